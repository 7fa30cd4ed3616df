//! How spec names become Rust identifiers.
//!
//! The validator and the generator both use these functions, so a name the validator accepts is
//! exactly the name the generator emits.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, 2024 edition) plus names that cannot be raw identifiers,
/// in byte order (for the binary search of `is_keyword`).
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// snake_case Rust name for a wire name (`orderId` -> `order_id`, `start_at` -> `start_at`).
pub fn snake(name: &str) -> String {
    if !name.is_ascii() {
        return name.to_snake_case();
    }
    let mut snake = String::with_capacity(name.len() + 4);
    ascii_words(name, |word| {
        if !snake.is_empty() {
            snake.push('_');
        }
        snake.extend(
            word.iter()
                .map(|byte| char::from(byte.to_ascii_lowercase())),
        );
    });
    snake
}

/// PascalCase Rust name for a wire value (`PAYMENT_CONFIRMATION_PENDING` -> `PaymentConfirmationPending`).
pub fn pascal(name: &str) -> String {
    if !name.is_ascii() {
        return name.to_upper_camel_case();
    }
    let mut pascal = String::with_capacity(name.len());
    ascii_words(name, |word| {
        for (index, byte) in word.iter().enumerate() {
            let byte = if index == 0 {
                byte.to_ascii_uppercase()
            } else {
                byte.to_ascii_lowercase()
            };
            pascal.push(char::from(byte));
        }
    });
    pascal
}

/// Calls `word` with each word of the ASCII `name`, split as heck splits words (`snake` and
/// `pascal` give heck's answers without its per-character formatting; the loader and the
/// generator convert every field and type name). Words are the runs of letters and digits; a
/// word also ends before an uppercase letter that follows a lowercase one (`orderId`), and before
/// the last of several uppercase letters when a lowercase one follows (`HTTPServer`).
fn ascii_words(name: &str, mut word: impl FnMut(&[u8])) {
    for run in name.as_bytes().split(|byte| !byte.is_ascii_alphanumeric()) {
        // The case of the last letter since the word began (`Some(true)`: uppercase), if any.
        let mut last_upper: Option<bool> = None;
        let mut start = 0;
        for (index, pair) in run.windows(2).enumerate() {
            let (current, next) = (pair[0], pair[1]);
            let current_case = if current.is_ascii_lowercase() {
                Some(false)
            } else if current.is_ascii_uppercase() {
                Some(true)
            } else {
                last_upper
            };
            if current_case == Some(false) && next.is_ascii_uppercase() {
                word(&run[start..=index]);
                start = index + 1;
                last_upper = None;
            } else if last_upper == Some(true)
                && current.is_ascii_uppercase()
                && next.is_ascii_lowercase()
            {
                word(&run[start..index]);
                start = index;
                last_upper = None;
            } else {
                last_upper = current_case;
            }
        }
        if start < run.len() {
            word(&run[start..]);
        }
    }
}

/// True when `name` is a Rust keyword (it would need `r#`, and some cannot take it at all).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.binary_search(&name).is_ok()
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
    fn ascii_conversions_are_hecks() {
        let names = [
            "",
            "_",
            "__a__b__",
            "a",
            "A",
            "orderId",
            "OrderID",
            "HTTPServer",
            "getHTTPResponseCode",
            "a1B2",
            "A1b2C",
            "v2_name",
            "X-Request-Trace",
            "ABC",
            "ABc",
            "aBC",
            "9lives",
            "snake_case",
            "Synth00002Request",
            "  spaced out ",
            "k8sPodName",
            "iOS",
            "IDs",
            "a.b-c d",
            "ÄBC",
        ];
        for name in names {
            assert_eq!(snake(name), name.to_snake_case(), "{name:?}");
            assert_eq!(pascal(name), name.to_upper_camel_case(), "{name:?}");
        }
        // Every string of up to five characters drawn from the classes that matter.
        let alphabet = ['a', 'b', 'A', 'B', '0', '1', '_', '-', ' '];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|name| alphabet.iter().map(move |c| format!("{name}{c}")))
                .collect();
            for name in &longer {
                assert_eq!(snake(name), name.to_snake_case(), "{name:?}");
                assert_eq!(pascal(name), name.to_upper_camel_case(), "{name:?}");
            }
            names = longer;
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_conversions_match_heck(name in "[ -~]{0,24}") {
            proptest::prop_assert_eq!(snake(&name), name.to_snake_case());
            proptest::prop_assert_eq!(pascal(&name), name.to_upper_camel_case());
        }

        #[test]
        fn ascii_conversions_match_heck_on_identifiers(name in "[a-cA-C0-9_]{0,16}") {
            proptest::prop_assert_eq!(snake(&name), name.to_snake_case());
            proptest::prop_assert_eq!(pascal(&name), name.to_upper_camel_case());
        }
    }

    #[test]
    fn rejects_keywords_and_bad_identifiers() {
        assert!(KEYWORDS.is_sorted());
        assert!(KEYWORDS.iter().all(|keyword| is_keyword(keyword)));
        assert!(is_keyword("type"));
        assert!(is_keyword("Self"));
        assert!(!is_keyword("typ"));
        assert!(!is_identifier("type"));
        assert!(!is_identifier("0day"));
        assert!(!is_identifier("_"));
        assert!(is_snake_identifier("order_id"));
        assert!(!is_snake_identifier("orderId"));
        assert!(is_pascal_identifier("OrderStatus"));
        assert!(!is_pascal_identifier("orderStatus"));
    }
}
