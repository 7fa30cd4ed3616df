//! The *form* of a JSON string: a fixed class (a date pattern, a numeric string, a UUID, a length
//! class), never any part of the value. Every form is a `&'static str` from this file, so a
//! report cannot carry text it did not choose.

/// The form of `text`: one of a fixed list of classes.
pub(crate) fn of(text: &str) -> &'static str {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return "empty";
    }
    if let Some(form) = date_form(bytes) {
        return form;
    }
    if is_uuid(bytes) {
        return "uuid";
    }
    if text == "true" || text == "false" {
        return "boolean string";
    }
    if let Some(form) = numeric_form(bytes) {
        return form;
    }
    match text.chars().count() {
        0..=8 => "text (1-8 chars)",
        9..=32 => "text (9-32 chars)",
        33..=256 => "text (33-256 chars)",
        _ => "text (over 256 chars)",
    }
}

const RFC3339: &str = "yyyy-MM-dd'T'HH:mm:ssXXX";

/// Templates (`9` a digit, anything else itself) and the pattern each is named by.
const DATES: &[(&str, &str)] = &[
    ("9999-99-99 99:99:99", "yyyy-MM-dd HH:mm:ss"),
    ("9999-99-99T99:99:99", "yyyy-MM-dd'T'HH:mm:ss"),
    ("9999-99-99", "yyyy-MM-dd"),
    ("99-99-9999 99:99:99", "dd-MM-yyyy HH:mm:ss"),
    ("99/99/9999 99:99:99", "dd/MM/yyyy HH:mm:ss"),
    ("99-99-9999", "dd-MM-yyyy"),
    ("99/99/9999", "dd/MM/yyyy"),
    ("9999/99/99", "yyyy/MM/dd"),
    ("99:99:99", "HH:mm:ss"),
];

/// Matches `bytes` against `template` from the start; the length of the match.
fn matches(bytes: &[u8], template: &str) -> bool {
    bytes.len() >= template.len()
        && template.bytes().zip(bytes).all(|(t, b)| {
            if t == b'9' {
                b.is_ascii_digit()
            } else {
                t == *b
            }
        })
}

fn date_form(bytes: &[u8]) -> Option<&'static str> {
    for (template, name) in DATES {
        if !matches(bytes, template) {
            continue;
        }
        let rest = &bytes[template.len()..];
        let (fraction, rest) = match rest.strip_prefix(b".") {
            Some(after) => {
                let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
                if digits == 0 {
                    return None;
                }
                (true, &after[digits..])
            }
            None => (false, rest),
        };
        let zoned = rest == b"Z"
            || (rest.len() == 6 && matches(&rest[1..], "99:99") && matches!(rest[0], b'+' | b'-'));
        return match (rest.is_empty(), zoned, fraction, *name) {
            (true, _, false, name) => Some(name),
            (true, _, true, "yyyy-MM-dd HH:mm:ss") => Some("yyyy-MM-dd HH:mm:ss.SSS"),
            (true, _, true, "yyyy-MM-dd'T'HH:mm:ss") => Some("yyyy-MM-dd'T'HH:mm:ss.SSS"),
            (false, true, _, "yyyy-MM-dd'T'HH:mm:ss") => Some(RFC3339),
            (false, true, _, "yyyy-MM-dd HH:mm:ss") => Some("yyyy-MM-dd HH:mm:ssXXX"),
            _ => None,
        };
    }
    None
}

fn is_uuid(bytes: &[u8]) -> bool {
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn numeric_form(bytes: &[u8]) -> Option<&'static str> {
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    let (whole, fraction) = match digits.iter().position(|b| *b == b'.') {
        Some(dot) => (&digits[..dot], Some(&digits[dot + 1..])),
        None => (digits, None),
    };
    let all_digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    match fraction {
        None if all_digits(whole) => Some(match whole.len() {
            13 => "integer string (13 digits, epoch ms?)",
            10 => "integer string (10 digits)",
            n if n > 12 => "integer string (over 12 digits)",
            _ => "integer string",
        }),
        Some(fraction) if all_digits(whole) && all_digits(fraction) => Some("decimal string"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn forms_are_classes_not_values() {
        for (text, form) in [
            ("2026-04-22 13:50:03", "yyyy-MM-dd HH:mm:ss"),
            ("2026-04-22 13:50:03.125", "yyyy-MM-dd HH:mm:ss.SSS"),
            ("2026-04-22T13:50:03", "yyyy-MM-dd'T'HH:mm:ss"),
            ("2026-04-22T13:50:03Z", "yyyy-MM-dd'T'HH:mm:ssXXX"),
            ("2026-04-22T13:50:03.5+05:30", "yyyy-MM-dd'T'HH:mm:ssXXX"),
            ("22/04/2026", "dd/MM/yyyy"),
            ("2026-04-22", "yyyy-MM-dd"),
            ("123e4567-e89b-12d3-a456-426614174000", "uuid"),
            ("1713790203000", "integer string (13 digits, epoch ms?)"),
            ("13.70", "decimal string"),
            ("-5", "integer string"),
            ("4111111111111111", "integer string (over 12 digits)"),
            ("", "empty"),
            ("abc", "text (1-8 chars)"),
            ("jane.doe@example.com", "text (9-32 chars)"),
            ("2026-04-22X", "text (9-32 chars)"),
        ] {
            assert_eq!(of(text), form, "{text}");
        }
    }
}
