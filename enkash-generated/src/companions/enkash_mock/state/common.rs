//! Helpers every area of the state uses: ids, clocks and date formats, reading loose JSON
//! bodies, amount checks, pagination, and the error answers.

use rust_decimal::Decimal;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::codes;
use crate::runtime::mock::{MockContext, MockError};

/// `value` in upper-case base 36, left-padded with zeros to `width`.
pub(super) fn base36(mut value: u64, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    while value > 0 {
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Now, in UTC, to the second (like the docs' `2019-08-24T14:15:22Z`).
pub(super) fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

/// Now in India (UTC+05:30), without offset, as the V5 settlement examples write dates.
pub(super) fn now_local() -> PrimitiveDateTime {
    let offset = UtcOffset::from_hms(5, 30, 0).unwrap_or(UtcOffset::UTC);
    let local = now().to_offset(offset);
    PrimitiveDateTime::new(local.date(), local.time())
}

/// `yyyy-MM-dd HH:mm:ss`, the format of EnKash's plain-string dates in real examples.
pub(super) fn local_text(at: PrimitiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A decimal as a JSON number.
pub(super) fn json_decimal(value: Decimal) -> serde_json::Value {
    value
        .to_string()
        .parse::<serde_json::Number>()
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// A JSON number or numeric string as a decimal; `None` when absent or `null`.
pub(super) fn decimal_field(
    body: &serde_json::Value,
    name: &str,
) -> Result<Option<Decimal>, MockError> {
    match body.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .to_string()
            .parse::<Decimal>()
            .map(Some)
            .map_err(|_| MockError::bad_request(format!("`{name}` is not a decimal number"))),
        Some(serde_json::Value::String(text)) => text
            .trim()
            .parse::<Decimal>()
            .map(Some)
            .map_err(|_| MockError::bad_request(format!("`{name}` is not a decimal number"))),
        Some(_) => Err(MockError::bad_request(format!(
            "`{name}` is not a decimal number"
        ))),
    }
}

/// A string field of a JSON body; `None` when absent or `null`, a 400 when not a string.
pub(super) fn string_field<'v>(
    body: &'v serde_json::Value,
    name: &str,
) -> Result<Option<&'v str>, MockError> {
    match body.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(MockError::bad_request(format!("`{name}` must be a string"))),
    }
}

/// A body that must be a JSON object (`null` counts as an empty one).
pub(super) fn object_body(body: &serde_json::Value) -> Result<(), MockError> {
    match body {
        serde_json::Value::Object(_) | serde_json::Value::Null => Ok(()),
        _ => Err(MockError::bad_request("the body must be a JSON object")),
    }
}

/// An amount of money: more than zero, at most 2 decimals.
pub(super) fn check_amount(what: &str, amount: Decimal) -> Result<(), MockError> {
    if amount <= Decimal::ZERO {
        return Err(MockError::bad_request(format!(
            "{what} must be more than 0"
        )));
    }
    if amount.normalize().scale() > 2 {
        return Err(MockError::bad_request(format!(
            "{what} has more than 2 decimals"
        )));
    }
    Ok(())
}

/// `offset` and `limit` query parameters (defaults 0 and 20; limit at most 5000).
pub(super) fn page(ctx: &MockContext) -> Result<(usize, usize), MockError> {
    let parse = |name: &str, default: usize| -> Result<usize, MockError> {
        match ctx.query_param(name) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| MockError::bad_request(format!("`{name}` must be a whole number"))),
        }
    };
    let offset = parse("offset", 0)?;
    let limit = parse("limit", 20)?;
    if limit == 0 || limit > 5000 {
        return Err(MockError::bad_request("`limit` must be between 1 and 5000"));
    }
    Ok((offset, limit))
}

/// The `{recordsCount, data}` page of a search.
pub(super) fn search_page(
    items: Vec<serde_json::Value>,
    offset: usize,
    limit: usize,
) -> serde_json::Value {
    let count = items.len();
    let data: Vec<_> = items.into_iter().skip(offset).take(limit).collect();
    serde_json::json!({ "recordsCount": count, "data": data })
}

pub(super) fn not_found(what: &str, id: &str) -> MockError {
    MockError::api(codes::NOT_FOUND, format!("{what} {id} not found"))
}

pub(super) fn invalid_state(message: impl Into<String>) -> MockError {
    MockError::api(codes::INVALID_STATE, message)
}

pub(super) fn duplicate(message: impl Into<String>) -> MockError {
    MockError::api(codes::DUPLICATE, message)
}

pub(super) fn exceeded(message: impl Into<String>) -> MockError {
    MockError::api(codes::AMOUNT_EXCEEDED, message)
}

/// Whether `vpa` looks like a UPI VPA (`name@handle`).
pub(super) fn is_vpa(vpa: &str) -> bool {
    let Some((name, handle)) = vpa.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !handle.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && handle.chars().all(|c| c.is_ascii_alphanumeric())
}
