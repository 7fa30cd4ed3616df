//! Date-times that EnKash writes in more than one form.
//!
//! The spec's `datetimes:` section names a date-time type, lists the forms it reads and the one it
//! writes, and the offset assumed for forms without a zone. `cargo xtask codegen` turns each into
//! a type through the crate-private `date_time_type!` macro; the parsing and
//! formatting below are shared by all of them.

use std::fmt;

use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// One way of writing a date-time as a JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateTimeForm {
    /// RFC 3339 with an offset or `Z`: `2019-08-24T14:15:22Z`, `2019-08-24T14:15:22.5+05:30`.
    Rfc3339,
    /// ISO 8601 local date-time, no zone: `2019-08-24T14:15:22` (a fraction of a second is read).
    IsoLocal,
    /// `yyyy-MM-dd HH:mm:ss`, no zone: `2026-04-22 13:50:03` (a fraction of a second is read).
    SpaceLocal,
}

const ISO_LOCAL_READ: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");
const SPACE_LOCAL_READ: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]]");
const ISO_LOCAL_WRITE: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
const SPACE_LOCAL_WRITE: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");

impl DateTimeForm {
    /// How the form is named in messages and docs.
    pub fn name(self) -> &'static str {
        match self {
            DateTimeForm::Rfc3339 => "RFC 3339",
            DateTimeForm::IsoLocal => "ISO local date-time",
            DateTimeForm::SpaceLocal => "`yyyy-MM-dd HH:mm:ss`",
        }
    }

    /// An example value in this form.
    pub fn example(self) -> &'static str {
        match self {
            DateTimeForm::Rfc3339 => "2019-08-24T14:15:22Z",
            DateTimeForm::IsoLocal => "2019-08-24T14:15:22",
            DateTimeForm::SpaceLocal => "2026-04-22 13:50:03",
        }
    }

    /// True for the forms that carry no offset.
    pub fn is_local(self) -> bool {
        !matches!(self, DateTimeForm::Rfc3339)
    }

    fn parse(self, text: &str) -> Option<DateTimeParts> {
        match self {
            DateTimeForm::Rfc3339 => OffsetDateTime::parse(text, &Rfc3339)
                .ok()
                .map(DateTimeParts::from_offset),
            DateTimeForm::IsoLocal => PrimitiveDateTime::parse(text, ISO_LOCAL_READ)
                .ok()
                .map(DateTimeParts::from_local),
            DateTimeForm::SpaceLocal => PrimitiveDateTime::parse(text, SPACE_LOCAL_READ)
                .ok()
                .map(DateTimeParts::from_local),
        }
    }
}

/// A date-time as EnKash sent it: the wall-clock date and time, and the offset when the form
/// carried one. Generated date-time types wrap it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DateTimeParts {
    /// Date and time as written.
    pub local: PrimitiveDateTime,
    /// The offset written with it; `None` for the local forms.
    pub offset: Option<UtcOffset>,
}

impl DateTimeParts {
    /// A local date-time, without an offset.
    pub(crate) fn from_local(local: PrimitiveDateTime) -> Self {
        DateTimeParts {
            local,
            offset: None,
        }
    }

    /// A date-time with its offset.
    pub(crate) fn from_offset(value: OffsetDateTime) -> Self {
        DateTimeParts {
            local: PrimitiveDateTime::new(value.date(), value.time()),
            offset: Some(value.offset()),
        }
    }

    /// The instant: with the offset that was sent, or else `assumed`.
    pub(crate) fn with_offset_or(self, assumed: UtcOffset) -> OffsetDateTime {
        self.local.assume_offset(self.offset.unwrap_or(assumed))
    }

    /// Reads `text` in the first of `reads` that fits it. For a drift pass (when one runs), a
    /// value in none of them is a date in another form, and a value in another of them than
    /// `declared` (the form the type writes) is evidence of the form the field really uses.
    pub(crate) fn parse(
        text: &str,
        reads: &'static [DateTimeForm],
        declared: DateTimeForm,
    ) -> Result<Self, DateTimeParseError> {
        match reads
            .iter()
            .find_map(|form| form.parse(text).map(|parts| (*form, parts)))
        {
            Some((form, parts)) => {
                if form != declared {
                    crate::runtime::drift::note_other_date_form(text);
                }
                Ok(parts)
            }
            None => {
                crate::runtime::drift::note_date_form(text);
                Err(DateTimeParseError::new(text, reads))
            }
        }
    }

    /// Writes the value in `form`. A value with an offset written in a local form is first moved
    /// to `assumed`; a local value written as RFC 3339 gets `assumed` as its offset. Local forms
    /// are written to the second.
    pub(crate) fn write(
        self,
        form: DateTimeForm,
        assumed: UtcOffset,
        f: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        let formatted = match form {
            DateTimeForm::Rfc3339 => self.with_offset_or(assumed).format(&Rfc3339),
            DateTimeForm::IsoLocal => self.local_at(assumed).format(ISO_LOCAL_WRITE),
            DateTimeForm::SpaceLocal => self.local_at(assumed).format(SPACE_LOCAL_WRITE),
        };
        // Formatting fails only for years outside 0..=9999, which no reader accepts either.
        f.write_str(&formatted.map_err(|_| fmt::Error)?)
    }

    /// The wall-clock time at `assumed` (unchanged for a value without an offset).
    fn local_at(self, assumed: UtcOffset) -> PrimitiveDateTime {
        match self.offset {
            None => self.local,
            Some(_) => {
                let moved = self.with_offset_or(assumed).to_offset(assumed);
                PrimitiveDateTime::new(moved.date(), moved.time())
            }
        }
    }
}

/// A date-time string in none of the forms its type reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    found: String,
    forms: &'static [DateTimeForm],
}

/// Longest part of a rejected value quoted in the error.
const QUOTED_CHARS: usize = 64;

impl DateTimeParseError {
    fn new(text: &str, forms: &'static [DateTimeForm]) -> Self {
        DateTimeParseError {
            found: text.chars().take(QUOTED_CHARS).collect(),
            forms,
        }
    }

    /// The forms that were tried, in order.
    pub fn forms(&self) -> &'static [DateTimeForm] {
        self.forms
    }
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a date-time as ")?;
        for (index, form) in self.forms.iter().enumerate() {
            let separator = match index {
                0 => "",
                i if i + 1 == self.forms.len() => " or ",
                _ => ", ",
            };
            write!(f, "{separator}{} (`{}`)", form.name(), form.example())?;
        }
        write!(f, ", found `{}`", self.found.escape_debug())
    }
}

impl std::error::Error for DateTimeParseError {}

/// The offset `seconds` east of UTC, as the spec loader computed it from the spec's `+HH:MM`;
/// UTC when out of range (the loader refuses such offsets, so generated code never passes one).
#[doc(hidden)]
pub(crate) const fn offset_from_seconds(seconds: i32) -> UtcOffset {
    match UtcOffset::from_whole_seconds(seconds) {
        Ok(offset) => offset,
        Err(_) => UtcOffset::UTC,
    }
}

/// The impls of a date-time type of the spec, a tuple struct around [`DateTimeParts`] declared
/// by generated code: it reads the forms listed, writes one, and converts to an instant with the
/// offset the spec assumes for local forms.
macro_rules! date_time_type {
    // `Name, [forms read], form written, "assumed offset", assumed offset in seconds`
    ($name:ident, [$($read:ident),+ $(,)?], $write:ident, $offset_text:literal, $offset_seconds:expr $(,)?) => {
        impl $name {
            /// The forms read, tried in this order.
            pub const READS: &'static [$crate::runtime::wire::DateTimeForm] =
                &[$($crate::runtime::wire::DateTimeForm::$read),+];

            /// The form written (by `Display` and serde).
            pub const WRITES: $crate::runtime::wire::DateTimeForm =
                $crate::runtime::wire::DateTimeForm::$write;

            #[doc = concat!(
                "The offset assumed for a value sent without one (", $offset_text, "). ",
                "This is an assumption of the spec, not a documented EnKash fact."
            )]
            pub const ASSUMED_OFFSET: time::UtcOffset =
                $crate::runtime::wire::date_time::offset_from_seconds($offset_seconds);

            /// A value without an offset (written as is in a local form).
            pub fn from_local(local: time::PrimitiveDateTime) -> Self {
                Self($crate::runtime::wire::date_time::DateTimeParts::from_local(local))
            }

            /// A value with an offset.
            pub fn from_offset(value: time::OffsetDateTime) -> Self {
                Self($crate::runtime::wire::date_time::DateTimeParts::from_offset(value))
            }

            /// The date and time as written, without the offset.
            pub fn local(self) -> time::PrimitiveDateTime {
                self.0.local
            }

            /// The offset written with the value; `None` when it came in a form without a zone.
            pub fn offset(self) -> Option<time::UtcOffset> {
                self.0.offset
            }

            #[doc = concat!(
                "The instant: with the offset that was sent, or else [`Self::ASSUMED_OFFSET`] (",
                $offset_text, "), an assumption (EnKash does not state the zone of its local \
                 times). Use [`Self::assume_offset`] to choose another."
            )]
            pub fn to_offset_date_time(self) -> time::OffsetDateTime {
                self.0.with_offset_or(Self::ASSUMED_OFFSET)
            }

            /// The instant: with the offset that was sent, or else `offset`.
            pub fn assume_offset(self, offset: time::UtcOffset) -> time::OffsetDateTime {
                self.0.with_offset_or(offset)
            }
        }

        impl From<time::OffsetDateTime> for $name {
            fn from(value: time::OffsetDateTime) -> Self {
                Self::from_offset(value)
            }
        }

        impl From<time::PrimitiveDateTime> for $name {
            fn from(value: time::PrimitiveDateTime) -> Self {
                Self::from_local(value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::runtime::wire::DateTimeParseError;

            /// Reads any of [`Self::READS`].
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::runtime::wire::date_time::DateTimeParts::parse(
                    text,
                    Self::READS,
                    Self::WRITES,
                )
                .map(Self)
            }
        }

        impl std::fmt::Display for $name {
            /// Writes [`Self::WRITES`].
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.write(Self::WRITES, Self::ASSUMED_OFFSET, f)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use date_time_type;

#[cfg(test)]
// The macro writes the public API of a generated type; these test types are private.
#[allow(unreachable_pub)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    /// Reads every form, writes the space form, assumes IST.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    struct Lenient(DateTimeParts);

    date_time_type!(
        Lenient,
        [Rfc3339, IsoLocal, SpaceLocal],
        SpaceLocal,
        "+05:30",
        19800
    );

    /// Reads and writes RFC 3339 only.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    struct Strict(DateTimeParts);

    date_time_type!(Strict, [Rfc3339], Rfc3339, "+00:00", 0);

    fn lenient(text: &str) -> Lenient {
        text.parse().unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    #[test]
    fn every_form_reads_to_the_same_wall_clock() {
        for text in [
            "2026-04-22T13:50:03Z",
            "2026-04-22T13:50:03+05:30",
            "2026-04-22T13:50:03",
            "2026-04-22 13:50:03",
        ] {
            assert_eq!(
                lenient(text).local(),
                datetime!(2026-04-22 13:50:03),
                "{text}"
            );
        }
        assert_eq!(
            lenient("2026-04-22T13:50:03Z").offset(),
            Some(UtcOffset::UTC)
        );
        assert_eq!(lenient("2026-04-22 13:50:03").offset(), None);
        assert_eq!(
            lenient("2026-04-22T13:50:03.250").local(),
            datetime!(2026-04-22 13:50:03.25)
        );
        assert_eq!(
            lenient("2026-04-22 13:50:03.5").local(),
            datetime!(2026-04-22 13:50:03.5)
        );
    }

    #[test]
    fn local_values_become_instants_with_the_assumed_offset() {
        let local = lenient("2026-04-22 13:50:03");
        assert_eq!(
            local.to_offset_date_time(),
            datetime!(2026-04-22 13:50:03 +05:30)
        );
        assert_eq!(
            local.assume_offset(offset!(UTC)),
            datetime!(2026-04-22 13:50:03 UTC)
        );
        let sent = lenient("2026-04-22T13:50:03Z");
        assert_eq!(
            sent.to_offset_date_time(),
            datetime!(2026-04-22 13:50:03 UTC)
        );
        assert_eq!(
            sent.assume_offset(offset!(+1)),
            datetime!(2026-04-22 13:50:03 UTC)
        );
    }

    #[test]
    fn writes_its_one_form() {
        assert_eq!(
            lenient("2026-04-22 13:50:03").to_string(),
            "2026-04-22 13:50:03"
        );
        assert_eq!(
            lenient("2026-04-22T13:50:03").to_string(),
            "2026-04-22 13:50:03"
        );
        // An offset value is written at the assumed offset: 08:20 UTC is 13:50 IST.
        assert_eq!(
            lenient("2026-04-22T08:20:03Z").to_string(),
            "2026-04-22 13:50:03"
        );
        let strict: Strict = "2019-08-24T14:15:22+05:30".parse().unwrap();
        assert_eq!(strict.to_string(), "2019-08-24T14:15:22+05:30");
        assert_eq!(strict.local(), datetime!(2019-08-24 14:15:22));
        assert_eq!(strict.offset(), Some(offset!(+5:30)));
        assert_eq!(
            strict.to_offset_date_time(),
            strict.assume_offset(offset!(UTC))
        );
        assert_eq!(
            Strict::from_local(datetime!(2019-08-24 14:15:22)).to_string(),
            "2019-08-24T14:15:22Z"
        );
        let json = serde_json::to_string(&lenient("2026-04-22 13:50:03")).unwrap();
        assert_eq!(json, r#""2026-04-22 13:50:03""#);
        let back: Lenient = serde_json::from_str(&json).unwrap();
        assert_eq!(back, lenient("2026-04-22 13:50:03"));
    }

    #[test]
    fn offsets_come_from_the_seconds_the_spec_gives() {
        assert_eq!(offset_from_seconds(19800), offset!(+5:30));
        assert_eq!(offset_from_seconds(-10800), offset!(-3));
        assert_eq!(offset_from_seconds(0), UtcOffset::UTC);
        // Out of range for `time` (the spec loader refuses these, with a located error).
        for bad in [26 * 3600, -26 * 3600, i32::MAX, i32::MIN] {
            assert_eq!(offset_from_seconds(bad), UtcOffset::UTC, "{bad}");
        }
        assert_eq!(Lenient::ASSUMED_OFFSET, offset!(+5:30));
    }

    #[test]
    fn other_forms_are_errors_naming_the_accepted_ones() {
        let err = "2026/04/22".parse::<Lenient>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a date-time as RFC 3339 (`2019-08-24T14:15:22Z`), ISO local date-time \
             (`2019-08-24T14:15:22`) or `yyyy-MM-dd HH:mm:ss` (`2026-04-22 13:50:03`), found \
             `2026/04/22`"
        );
        assert!("2026-04-22 13:50:03".parse::<Strict>().is_err());
        assert!("".parse::<Lenient>().is_err());
        assert!("2026-13-40 25:61:61".parse::<Lenient>().is_err());
        let long = "9".repeat(10_000);
        assert!(long.parse::<Lenient>().unwrap_err().to_string().len() < 400);
        assert!(serde_json::from_str::<Lenient>("1713790203000").is_err());
    }
}
