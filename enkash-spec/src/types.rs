//! Type strings (`decimal`, `list<Order>`, `map<string>`, `OrderStatus`) and what they mean.

use crate::model::{DateFormat, DecimalWire, TypeRef};
use crate::names::Names;
use crate::suggest::did_you_mean;

/// Deepest `list<list<...>>` accepted; the parser recurses once per level.
const MAX_NESTING: usize = 16;

/// The built-in type names and their meaning.
const BUILTINS: &[(&str, TypeRef)] = &[
    ("string", TypeRef::String),
    ("bool", TypeRef::Bool),
    ("i32", TypeRef::I32),
    ("i64", TypeRef::I64),
    ("decimal", TypeRef::Decimal(DecimalWire::Number)),
    ("decimal_string", TypeRef::Decimal(DecimalWire::String)),
    ("datetime", TypeRef::DateTime(DateFormat::Iso8601)),
    (
        "datetime_local",
        TypeRef::DateTime(DateFormat::LocalDateTime),
    ),
    ("date", TypeRef::DateTime(DateFormat::Date)),
    ("epoch_ms", TypeRef::DateTime(DateFormat::EpochMillis)),
    ("epoch_s", TypeRef::DateTime(DateFormat::EpochSeconds)),
    ("card_expiry", TypeRef::DateTime(DateFormat::CardExpiry)),
    ("json", TypeRef::Json),
    ("undocumented", TypeRef::Undocumented),
];

/// The spec name of a built-in type (`epoch_ms`), or `None` for lists, maps and named types.
pub(crate) fn builtin_name(ty: &TypeRef) -> Option<&'static str> {
    BUILTINS
        .iter()
        .find(|(_, builtin)| builtin == ty)
        .map(|(name, _)| *name)
}

/// The generic type constructors.
const GENERICS: [&str; 2] = ["list", "map"];

/// Why a type string has no meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeError {
    /// Not of the form `name`, `list<T>` or `map<T>`; says what is wrong.
    Malformed(String),
    /// A name that is neither built in nor a schema or enum, with a "did you mean" hint.
    Unknown {
        /// The name as written.
        name: String,
        /// A suggestion.
        help: Option<String>,
    },
}

/// Reads a type string, resolving schema and enum names against `names`.
pub(crate) fn parse_type(text: &str, names: &Names) -> Result<TypeRef, TypeError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let ty = parser.ty(0)?;
    parser.skip_spaces();
    let rest = parser.rest();
    if !rest.is_empty() {
        return Err(TypeError::Malformed(format!(
            "unexpected '{rest}' after the type"
        )));
    }
    resolve(ty, names)
}

/// Replaces the placeholder `TypeRef::Schema(name)` the parser gives every non-built-in name
/// by the schema or enum of that name. Recursion is bounded by the parser's nesting limit.
fn resolve(ty: TypeRef, names: &Names) -> Result<TypeRef, TypeError> {
    match ty {
        TypeRef::List(inner) => Ok(TypeRef::List(Box::new(resolve(*inner, names)?))),
        TypeRef::Map(inner) => Ok(TypeRef::Map(Box::new(resolve(*inner, names)?))),
        // A name that is both a schema and an enum is reported elsewhere; either reading
        // avoids a second, misleading error here.
        TypeRef::Schema(name) if names.enums.contains(&name) => Ok(TypeRef::Enum(name)),
        TypeRef::Schema(name) if names.datetimes.contains(&name) => Ok(TypeRef::DateTimeType(name)),
        TypeRef::Schema(name) if names.schemas.contains(&name) => Ok(TypeRef::Schema(name)),
        TypeRef::Schema(name) => {
            let builtins = BUILTINS.iter().map(|(builtin, _)| *builtin);
            Err(TypeError::Unknown {
                help: did_you_mean(&name, builtins.chain(names.type_names())),
                name,
            })
        }
        other => Ok(other),
    }
}

/// True for the numeric types that take `min`, `max` and `max_decimals`.
pub(crate) fn is_numeric(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::Decimal(_))
}

/// A recursive-descent reader of one type string.
struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn ty(&mut self, depth: usize) -> Result<TypeRef, TypeError> {
        if depth > MAX_NESTING {
            return Err(TypeError::Malformed(format!(
                "types nest at most {MAX_NESTING} deep"
            )));
        }
        self.skip_spaces();
        let name = self.name();
        if name.is_empty() {
            return Err(TypeError::Malformed(match self.peek() {
                None if depth == 0 => "the type is empty".to_string(),
                None => "expected an item type before the end".to_string(),
                Some(c) => format!("expected a type name, found '{c}'"),
            }));
        }
        self.skip_spaces();
        if self.peek() != Some('<') {
            return self.named(&name);
        }
        self.at += 1;
        let inner = self.ty(depth + 1)?;
        self.skip_spaces();
        if self.peek() != Some('>') {
            return Err(TypeError::Malformed(format!(
                "missing '>' to close '{name}<'"
            )));
        }
        self.at += 1;
        match name.as_str() {
            "list" => Ok(TypeRef::List(Box::new(inner))),
            "map" => Ok(TypeRef::Map(Box::new(inner))),
            _ => Err(TypeError::Unknown {
                help: did_you_mean(&name, GENERICS),
                name: format!("{name}<...>"),
            }),
        }
    }

    /// A type without parameters: a built-in, or a name resolved later.
    fn named(&self, name: &str) -> Result<TypeRef, TypeError> {
        if GENERICS.contains(&name) {
            return Err(TypeError::Malformed(format!(
                "'{name}' needs an item type, as in '{name}<string>'"
            )));
        }
        match BUILTINS.iter().find(|(builtin, _)| *builtin == name) {
            Some((_, ty)) => Ok(ty.clone()),
            None => Ok(TypeRef::Schema(name.to_string())),
        }
    }

    fn name(&mut self) -> String {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += 1;
        }
        self.chars
            .get(start..self.at)
            .unwrap_or_default()
            .iter()
            .collect()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn rest(&self) -> String {
        self.chars
            .get(self.at..)
            .unwrap_or_default()
            .iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut names = Names::default();
        names.schemas.insert("Order".to_string());
        names.enums.insert("OrderStatus".to_string());
        names
    }

    fn parse(text: &str) -> Result<TypeRef, TypeError> {
        parse_type(text, &names())
    }

    #[test]
    fn reads_types() {
        assert_eq!(parse("decimal"), Ok(TypeRef::Decimal(DecimalWire::Number)));
        assert_eq!(
            parse("list< map<OrderStatus> >"),
            Ok(TypeRef::List(Box::new(TypeRef::Map(Box::new(
                TypeRef::Enum("OrderStatus".into())
            )))))
        );
        assert_eq!(parse("Order"), Ok(TypeRef::Schema("Order".into())));
    }

    #[test]
    fn rejects_malformed_types() {
        for text in [
            "",
            "list<",
            "map<Order",
            "list<>",
            "list<Order>>",
            "list",
            "a b",
            "é",
        ] {
            assert!(
                matches!(parse(text), Err(TypeError::Malformed(_))),
                "{text}: {:?}",
                parse(text)
            );
        }
        let deep = format!("{}string{}", "list<".repeat(1000), ">".repeat(1000));
        assert!(matches!(parse(&deep), Err(TypeError::Malformed(_))));
    }

    #[test]
    fn suggests_known_types() {
        let unknown = |text| match parse(text) {
            Err(TypeError::Unknown { help, .. }) => help,
            other => panic!("{other:?}"),
        };
        assert_eq!(unknown("strng").as_deref(), Some("did you mean 'string'?"));
        assert_eq!(unknown("Orderr").as_deref(), Some("did you mean 'Order'?"));
        assert_eq!(
            unknown("List<string>").as_deref(),
            Some("did you mean 'list'?")
        );
    }
}
