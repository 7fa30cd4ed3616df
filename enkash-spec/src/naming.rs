//! How spec names become Rust identifiers.
//!
//! The validator and the generator both use these functions, so a name the validator accepts is
//! exactly the name the generator emits.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, 2024 edition) plus names that cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// snake_case Rust name for a wire name (`orderId` -> `order_id`, `start_at` -> `start_at`).
pub fn snake(name: &str) -> String {
    name.to_snake_case()
}

/// PascalCase Rust name for a wire value (`PAYMENT_CONFIRMATION_PENDING` -> `PaymentConfirmationPending`).
pub fn pascal(name: &str) -> String {
    name.to_upper_camel_case()
}

/// True when `name` is a Rust keyword (it would need `r#`, and some cannot take it at all).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// True when `name` is a plain Rust identifier: ASCII letter or `_` first, then letters, digits
/// or `_`, not `_` alone, and not a keyword.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    first_ok
        && name != "_"
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(name)
}

/// True when `name` is snake_case as `snake` would write it (and a valid identifier).
pub fn is_snake_identifier(name: &str) -> bool {
    is_identifier(name) && snake(name) == name
}

/// True when `name` is PascalCase as `pascal` would write it (and a valid identifier).
pub fn is_pascal_identifier(name: &str) -> bool {
    is_identifier(name) && pascal(name) == name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(snake("orderId"), "order_id");
        assert_eq!(snake("response_code"), "response_code");
        assert_eq!(snake("merchantAccessKey"), "merchant_access_key");
        assert_eq!(
            pascal("PAYMENT_CONFIRMATION_PENDING"),
            "PaymentConfirmationPending"
        );
        assert_eq!(pascal("T0"), "T0");
    }

    #[test]
    fn rejects_keywords_and_bad_identifiers() {
        assert!(is_keyword("type"));
        assert!(!is_identifier("type"));
        assert!(!is_identifier("0day"));
        assert!(!is_identifier("_"));
        assert!(is_snake_identifier("order_id"));
        assert!(!is_snake_identifier("orderId"));
        assert!(is_pascal_identifier("OrderStatus"));
        assert!(!is_pascal_identifier("orderStatus"));
    }
}
