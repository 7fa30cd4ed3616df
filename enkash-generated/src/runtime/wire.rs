//! How EnKash's JSON values map to Rust types: exact decimals, its date/time forms, card expiry
//! and the opaque payload of unknown enum values.
//!
//! Generated structs point at these modules with `#[serde(with = "...")]`. Every module has an
//! `option` sub-module for `Option<T>` fields.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{self, Serialize, Serializer};
use serde_json::value::RawValue;

/// Parses a decimal from the text of a JSON number or string, exactly (no float on the way).
fn parse_decimal(raw: &str) -> Result<Decimal, String> {
    let text = raw.trim();
    let text = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.trim(),
        None => text,
    };
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str(text)
    }
    .map_err(|err| format!("expected a decimal number, found {raw}: {err}"))
}

/// [`parse_decimal`], telling a drift pass (`runtime::drift`) when the value came in the other
/// JSON form than the field's (`expects_string`) or could not be read.
fn read_decimal(raw: &str, expects_string: bool) -> Result<Decimal, String> {
    let parsed = parse_decimal(raw);
    match &parsed {
        Ok(_) if raw.trim_start().starts_with('"') != expects_string => {
            crate::runtime::drift::note_number_form(raw, expects_string);
        }
        Ok(_) => {}
        Err(_) => crate::runtime::drift::note_refused_number(raw),
    }
    parsed
}

fn deserialize_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
    expects_string: bool,
) -> Result<Decimal, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    read_decimal(raw.get(), expects_string).map_err(de::Error::custom)
}

fn deserialize_optional_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
    expects_string: bool,
) -> Result<Option<Decimal>, D::Error> {
    let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
    match raw {
        None => Ok(None),
        Some(raw) if raw.get().trim() == "null" => Ok(None),
        Some(raw) => read_decimal(raw.get(), expects_string)
            .map(Some)
            .map_err(de::Error::custom),
    }
}

/// `decimal`: read from a JSON number or numeric string, written as a JSON number.
pub(crate) mod decimal {
    use super::*;

    /// Writes the decimal as a JSON number with exactly its digits.
    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(value.to_string()).map_err(ser::Error::custom)?;
        raw.serialize(serializer)
    }

    /// Reads a JSON number or a numeric string exactly.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        deserialize_decimal(deserializer, false)
    }

    crate::runtime::wire::object::wire_format!(Decimal);

    /// The same for `Option<Decimal>` (JSON `null` is `None`).
    pub(crate) mod option {
        use super::*;

        crate::runtime::wire::object::wire_format!(Option<Decimal>);

        /// Writes `Some` as a JSON number and `None` as `null`.
        pub(crate) fn serialize<S: Serializer>(
            value: &Option<Decimal>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, otherwise as `decimal` does.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Decimal>, D::Error> {
            deserialize_optional_decimal(deserializer, false)
        }
    }
}

/// `decimal_string`: read from a JSON number or numeric string, written as a JSON string.
pub(crate) mod decimal_string {
    use super::*;

    /// Writes the decimal as a JSON string.
    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a JSON number or a numeric string exactly.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        deserialize_decimal(deserializer, true)
    }

    crate::runtime::wire::object::wire_format!(Decimal);

    /// The same for `Option<Decimal>` (JSON `null` is `None`).
    pub(crate) mod option {
        use super::*;

        crate::runtime::wire::object::wire_format!(Option<Decimal>);

        /// Writes `Some` as a JSON string and `None` as `null`.
        pub(crate) fn serialize<S: Serializer>(
            value: &Option<Decimal>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, otherwise as `decimal_string` does.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Decimal>, D::Error> {
            deserialize_optional_decimal(deserializer, true)
        }
    }
}

#[doc(hidden)]
pub(crate) mod date_time;
pub(crate) mod object;

pub(crate) use object::{json_object, setters};

pub(crate) use date_time::date_time_type;
pub use date_time::{DateTimeForm, DateTimeParseError};

/// `pub(crate) fn deserialize` of a fixed date format: `$read`, telling a drift pass (when one
/// runs) that the format refused the value, so that the failure is reported as a date in
/// another form.
macro_rules! date_read {
    ($read:path, $ty:ty) => {
        /// Reads the value in this format; a refused value is an error (and, when drift is
        /// recorded, a date in another form).
        pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<$ty, D::Error> {
            $read(deserializer).inspect_err(|_| crate::runtime::drift::note_date_refused())
        }
    };
}

pub(crate) use date_read;

/// `datetime`: ISO-8601 / RFC 3339 with an offset, `2019-08-24T14:15:22Z`.
pub(crate) mod datetime {
    pub(crate) use time::serde::rfc3339::serialize;
    crate::runtime::wire::date_read!(time::serde::rfc3339::deserialize, time::OffsetDateTime);
    crate::runtime::wire::object::wire_format!(time::OffsetDateTime);

    /// The same for `Option<OffsetDateTime>`.
    pub(crate) mod option {
        pub(crate) use time::serde::rfc3339::option::serialize;
        crate::runtime::wire::date_read!(
            time::serde::rfc3339::option::deserialize,
            Option<time::OffsetDateTime>
        );
        crate::runtime::wire::object::wire_format!(Option<time::OffsetDateTime>);
    }
}

/// `epoch_ms`: milliseconds since the Unix epoch, read from a JSON integer or a string of
/// digits (both forms seen in EnKash answers of the token expiry), written as an integer.
pub(crate) mod epoch_ms {
    use serde::de::{self, Deserializer, Visitor};
    use serde::{Deserialize, Serializer};
    use time::OffsetDateTime;

    /// Writes the time as integer milliseconds.
    pub(crate) fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        time::serde::timestamp::milliseconds::serialize(value, serializer)
    }

    /// Reads a JSON integer or a string of digits as milliseconds since the epoch.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let millis = deserializer.deserialize_any(Millis)?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
            .map_err(|err| de::Error::custom(format!("{millis} ms is out of range: {err}")))
    }

    crate::runtime::wire::object::wire_format!(OffsetDateTime);

    struct Millis;

    impl Visitor<'_> for Millis {
        type Value = i64;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("epoch milliseconds as an integer or a string of digits")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
            Ok(value)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
            i64::try_from(value).map_err(|_| E::custom(format!("{value} ms is out of range")))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<i64, E> {
            let millis = value
                .trim()
                .parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))?;
            crate::runtime::drift::note_digits_string(value);
            Ok(millis)
        }
    }

    /// The same for `Option<OffsetDateTime>` (JSON `null` is `None`).
    pub(crate) mod option {
        use super::*;

        crate::runtime::wire::object::wire_format!(Option<OffsetDateTime>);

        /// Writes `Some` as integer milliseconds and `None` as `null`.
        pub(crate) fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            time::serde::timestamp::milliseconds::option::serialize(value, serializer)
        }

        /// Reads `null` as `None`, anything else as [`super::deserialize`] does.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            deserializer.deserialize_option(OptionalMillis)
        }

        /// `null` or, as [`super::deserialize`] reads it, a time.
        struct OptionalMillis;

        impl<'de> Visitor<'de> for OptionalMillis {
            type Value = Option<OffsetDateTime>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("null or epoch milliseconds")
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                super::deserialize(deserializer).map(Some)
            }
        }
    }
}

/// `epoch_s`: integer seconds since the Unix epoch.
pub(crate) mod epoch_s {
    pub(crate) use time::serde::timestamp::{deserialize, serialize};
    crate::runtime::wire::object::wire_format!(time::OffsetDateTime);

    /// The same for `Option<OffsetDateTime>`.
    pub(crate) mod option {
        pub(crate) use time::serde::timestamp::option::{deserialize, serialize};
        crate::runtime::wire::object::wire_format!(Option<time::OffsetDateTime>);
    }
}

/// `datetime_local`: `yyyy-MM-dd HH:mm:ss` without an offset, `2026-04-22 13:50:03`.
pub(crate) mod datetime_local {
    #![allow(missing_docs)]
    time::serde::format_description!(
        pub format,
        PrimitiveDateTime,
        "[year]-[month]-[day] [hour]:[minute]:[second]"
    );
    pub(crate) use format::serialize;
    crate::runtime::wire::date_read!(format::deserialize, time::PrimitiveDateTime);
    crate::runtime::wire::object::wire_format!(time::PrimitiveDateTime);

    /// The same for `Option<PrimitiveDateTime>`.
    pub(crate) mod option {
        pub(crate) use super::format::option::serialize;
        crate::runtime::wire::date_read!(
            super::format::option::deserialize,
            Option<time::PrimitiveDateTime>
        );
        crate::runtime::wire::object::wire_format!(Option<time::PrimitiveDateTime>);
    }
}

/// `date`: `yyyy-MM-dd`.
pub(crate) mod date {
    #![allow(missing_docs)]
    time::serde::format_description!(pub format, Date, "[year]-[month]-[day]");
    pub(crate) use format::serialize;
    crate::runtime::wire::date_read!(format::deserialize, time::Date);
    crate::runtime::wire::object::wire_format!(time::Date);

    /// The same for `Option<Date>`.
    pub(crate) mod option {
        pub(crate) use super::format::option::serialize;
        crate::runtime::wire::date_read!(super::format::option::deserialize, Option<time::Date>);
        crate::runtime::wire::object::wire_format!(Option<time::Date>);
    }
}

/// A card expiry, written `MM/YY` on the wire. Its `Debug` hides the value.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardExpiry {
    month: u8,
    year: u8,
}

impl CardExpiry {
    /// An expiry from a month (1-12) and a two-digit year (0-99); `None` when out of range.
    pub fn new(month: u8, year: u8) -> Option<Self> {
        ((1..=12).contains(&month) && year <= 99).then_some(CardExpiry { month, year })
    }

    /// Month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Two-digit year, 0-99.
    pub fn year(self) -> u8 {
        self.year
    }
}

impl fmt::Debug for CardExpiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardExpiry(**/**)")
    }
}

impl FromStr for CardExpiry {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || "expected a card expiry MM/YY".to_owned();
        let (month, year) = text.split_once('/').ok_or_else(bad)?;
        if month.len() != 2 || year.len() != 2 {
            return Err(bad());
        }
        let month = month.parse::<u8>().map_err(|_| bad())?;
        let year = year.parse::<u8>().map_err(|_| bad())?;
        CardExpiry::new(month, year).ok_or_else(bad)
    }
}

impl Serialize for CardExpiry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{:02}/{:02}", self.month, self.year))
    }
}

impl<'de> Deserialize<'de> for CardExpiry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// The wire value of an enum value this version of the crate does not know.
///
/// It is opaque on purpose: match on the known variants and treat everything else alike, so code
/// keeps compiling and behaving when EnKash adds a value. `as_str` gives the raw value. Only the
/// crate builds one (from a value no variant has), so an `Unknown` never holds a known value:
/// `Currency::from("INR")` is `Currency::Inr`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a raw wire value (generated enums call this for values they do not know).
    pub(crate) fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        crate::runtime::drift::note_unknown_enum_value(&value);
        UnknownValue(value)
    }

    /// The raw wire value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The impls every generated enum shares, written once: `parse_known`, `is_known`, `FromStr`
/// (never fails: unknown values become `Unknown`), `Display` (the wire value), and serde as the
/// wire string. The enum provides `as_str` and `From<&str>`; both are generated because they list
/// the spec's values.
macro_rules! string_enum {
    ($name:ident) => {
        impl $name {
            /// The known value for `value`, or `None`: a strict parse, unlike `From<&str>`.
            pub fn parse_known(value: &str) -> Option<Self> {
                match Self::from(value) {
                    Self::Unknown(_) => None,
                    known => Some(known),
                }
            }

            /// False for values this version of the crate does not know.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            /// Never fails: unknown values become `Unknown`. Use `parse_known` to reject them.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(PartialEq, Debug)]
    struct Amounts {
        number: Decimal,
        string: Decimal,
        maybe: Option<Decimal>,
    }

    crate::runtime::wire::json_object! {
        Amounts: both;
        required number = "number" => decimal;
        required string = "string" => decimal_string;
        optional maybe = "maybe" => decimal::option;
    }

    #[test]
    fn decimals_are_exact_both_ways() {
        let json = r#"{"number":0.1176,"string":"100","maybe":"13.70"}"#;
        let amounts: Amounts = serde_json::from_str(json).unwrap();
        assert_eq!(amounts.number.to_string(), "0.1176");
        assert_eq!(amounts.string.to_string(), "100");
        assert_eq!(amounts.maybe.unwrap().to_string(), "13.70");
        let back = serde_json::to_string(&amounts).unwrap();
        assert_eq!(back, r#"{"number":0.1176,"string":"100","maybe":13.70}"#);
    }

    #[test]
    fn more_digits_than_a_float_holds_survive() {
        let json = r#"{"number":12345678901234567.89,"string":"0.10000000000000000001"}"#;
        let amounts: Amounts = serde_json::from_str(json).unwrap();
        assert_eq!(amounts.number.to_string(), "12345678901234567.89");
        assert_eq!(amounts.string.to_string(), "0.10000000000000000001");
        assert_eq!(amounts.maybe, None);
    }

    #[test]
    fn non_numbers_are_errors() {
        let err = serde_json::from_str::<Amounts>(r#"{"number":"ten","string":"1"}"#).unwrap_err();
        assert!(
            err.to_string().contains("expected a decimal number"),
            "{err}"
        );
        assert!(serde_json::from_str::<Amounts>(r#"{"number":true,"string":"1"}"#).is_err());
    }

    #[test]
    fn card_expiry_round_trips_and_hides_itself() {
        let expiry: CardExpiry = serde_json::from_str(r#""12/24""#).unwrap();
        assert_eq!((expiry.month(), expiry.year()), (12, 24));
        assert_eq!(serde_json::to_string(&expiry).unwrap(), r#""12/24""#);
        assert_eq!(format!("{expiry:?}"), "CardExpiry(**/**)");
        assert!(serde_json::from_str::<CardExpiry>(r#""13/24""#).is_err());
        assert!(serde_json::from_str::<CardExpiry>(r#""1/24""#).is_err());
    }
}
