//! Checks generated `validate()` methods run before a request is sent: the constraints the EnKash
//! docs give (patterns, lengths, ranges, decimal places). Each check appends a readable problem
//! naming the JSON path; nothing here panics.

use std::sync::LazyLock;

use regex_lite::Regex;
use rust_decimal::Decimal;

/// A pattern compiled on first use. `None` if the spec's pattern does not compile, which
/// [`pattern`] reports as a problem rather than panicking.
pub(crate) type Pattern = LazyLock<Option<Regex>>;

/// `path.field`, or `field` at the top level.
pub(crate) fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// `path[index]`.
pub(crate) fn index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// The whole of `value` must match `regex` (whose source is `source`). The problem does not
/// repeat the value: it may be card data.
pub(crate) fn pattern(
    problems: &mut Vec<String>,
    path: &str,
    value: &str,
    regex: &Pattern,
    source: &str,
) {
    match regex.as_ref() {
        Some(regex) if regex.is_match(value) => {}
        Some(_) => problems.push(format!("{path}: does not match `{source}`")),
        None => problems.push(format!(
            "{path}: the spec's pattern `{source}` does not compile"
        )),
    }
}

/// A string of `min..=max` characters.
pub(crate) fn length(
    problems: &mut Vec<String>,
    path: &str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) {
    let count = value.chars().count() as u64;
    if min.is_some_and(|min| count < min) || max.is_some_and(|max| count > max) {
        let bounds = match (min, max) {
            (Some(min), Some(max)) => format!("{min} to {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => return,
        };
        problems.push(format!("{path}: has {count} characters, expected {bounds}"));
    }
}

/// A required string that must not be empty.
pub(crate) fn non_empty(problems: &mut Vec<String>, path: &str, value: &str) {
    if value.is_empty() {
        problems.push(format!("{path}: is empty, but a value is required"));
    }
}

/// An integer within inclusive bounds.
pub(crate) fn int_range(
    problems: &mut Vec<String>,
    path: &str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) {
    if let Some(min) = min.filter(|min| value < *min) {
        problems.push(format!("{path}: {value} is below the minimum {min}"));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        problems.push(format!("{path}: {value} is above the maximum {max}"));
    }
}

/// A decimal within inclusive bounds.
pub(crate) fn decimal_range(
    problems: &mut Vec<String>,
    path: &str,
    value: &Decimal,
    min: Option<Decimal>,
    max: Option<Decimal>,
) {
    if let Some(min) = min.filter(|min| value < min) {
        problems.push(format!("{path}: {value} is below the minimum {min}"));
    }
    if let Some(max) = max.filter(|max| value > max) {
        problems.push(format!("{path}: {value} is above the maximum {max}"));
    }
}

/// At most `max` digits after the decimal point (trailing zeros do not count: `100.50` has 1).
pub(crate) fn decimals(problems: &mut Vec<String>, path: &str, value: &Decimal, max: u32) {
    if value.normalize().scale() > max {
        problems.push(format!(
            "{path}: {value} has more than {max} decimal places"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static IFSC: Pattern = LazyLock::new(|| Regex::new("^[A-Z]{4}0[A-Z0-9]{6}$").ok());
    static BROKEN: Pattern = LazyLock::new(|| Regex::new("([").ok());

    #[test]
    fn reports_each_violation_with_its_path() {
        let mut problems = Vec::new();
        pattern(
            &mut problems,
            "paymentDetail.ifsc",
            "KKBK0000432",
            &IFSC,
            "^[A-Z]{4}0[A-Z0-9]{6}$",
        );
        assert!(problems.is_empty());
        pattern(
            &mut problems,
            "paymentDetail.ifsc",
            "kkbk0000432",
            &IFSC,
            "^[A-Z]{4}0[A-Z0-9]{6}$",
        );
        length(
            &mut problems,
            "accountNumber",
            "12345678",
            Some(9),
            Some(36),
        );
        decimal_range(
            &mut problems,
            "amount.value",
            &Decimal::new(0, 2),
            Some(Decimal::new(1, 2)),
            None,
        );
        decimals(&mut problems, "amount.value", &Decimal::new(10001, 3), 2);
        int_range(&mut problems, "limit", 5001, None, Some(5000));
        pattern(&mut problems, "x", "y", &BROKEN, "([");
        assert_eq!(
            problems,
            [
                "paymentDetail.ifsc: does not match `^[A-Z]{4}0[A-Z0-9]{6}$`",
                "accountNumber: has 8 characters, expected 9 to 36",
                "amount.value: 0.00 is below the minimum 0.01",
                "amount.value: 10.001 has more than 2 decimal places",
                "limit: 5001 is above the maximum 5000",
                "x: the spec's pattern `([` does not compile",
            ]
        );
    }

    #[test]
    fn trailing_zeros_are_not_extra_decimals() {
        let mut problems = Vec::new();
        decimals(&mut problems, "v", &Decimal::new(10050, 2), 2);
        decimals(&mut problems, "v", &Decimal::new(100500, 3), 2);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
