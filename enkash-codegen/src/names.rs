//! Identifiers for generated items. Spec names were validated with `enkash_spec::naming`; these
//! helpers still refuse (rather than panic on) anything that is not an identifier.

use enkash_spec::naming;
use proc_macro2::{Ident, Span};

use crate::{Error, Result};

/// An identifier from a name the spec validated as one.
pub(crate) fn ident(name: &str) -> Result<Ident> {
    if naming::is_identifier(name) {
        Ok(Ident::new(name, Span::call_site()))
    } else {
        Err(Error::new(format!("`{name}` is not a Rust identifier")))
    }
}

/// `SCREAMING_SNAKE_CASE` identifier of a `static` (`create_order` -> `CREATE_ORDER`).
pub(crate) fn static_ident(snake: &str) -> Result<Ident> {
    ident(&snake.to_ascii_uppercase())
}

/// PascalCase identifier derived from a snake_case spec id (`create_order` -> `CreateOrder`).
pub(crate) fn pascal_ident(snake: &str) -> Result<Ident> {
    ident(&naming::pascal(snake))
}
