//! Example JSON for any spec type: deterministic text that the generated Rust type reads, and that
//! passes the generated `validate()` of request types.
//!
//! [`json_text`] gives the example of a type, [`field_json_text`] that of a field (whose `example`
//! and constraints then apply), and [`parameter_text`] that of a path, query or header parameter
//! as the text sent. How a value is chosen:
//!
//! - A field's `example` is used when it fits: it reads as the field's type in the form the
//!   generated code reads (an enum value the enum lists, a decimal within the bounds and decimal
//!   places, a date in the exact form written, ...) and satisfies the field's constraints. The
//!   example of a `list<T>` or `map<T>` field is that of its items, like its constraints.
//! - Otherwise a value that satisfies the constraints: a string matching the field's `pattern`
//!   (found from the pattern's syntax, then checked with `regex-lite`, the engine the generated
//!   `validate()` uses) with a length within `min_length`/`max_length`, and never empty unless only
//!   the empty string fits; numbers inside `min`/`max` with at most `max_decimals` places.
//! - Decimals are written in their wire form (`decimal` a JSON number, `decimal_string` a JSON
//!   string), spec date-time types (`datetimes:`) in the form they write, `epoch_ms`/`epoch_s` as
//!   JSON integers, `card_expiry` as `MM/YY`; `json` and `undocumented` are `{}`.
//! - Objects have every field (optional ones too, so that every field is exercised) in spec order,
//!   except the fields the client fills with a credential (they are not members of the generated
//!   struct). Lists have one item and maps one entry (key `"key"`).
//! - A schema that contains itself, directly or through others, is cut where the cycle closes: an
//!   optional field is left out, a nullable one is `null`, a list or map is empty. When the field
//!   that closes it is required and none of these, the nearest field on the way that is gets cut
//!   instead; when there is none, no finite example exists and the error names the closing field.
//!
//! The same spec always gives the same text; nothing here performs I/O.

use enkash_spec::{
    Constraints, DateFormat, DateTimeForm, DecimalWire, Field, Schema, Spec, TypeRef,
};
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::validation::decimal_parts;
use crate::{Error, Result};

/// The example JSON text (compact, no spaces) of a value of type `ty`.
///
/// Errors name the place of the spec they come from (`schemas.Foo.fields.bar: ...`): a pattern no
/// string could be found for (give the field an `example` that fits), bounds no value satisfies,
/// a name the spec does not define, or a required field that closes a cycle of schemas.
pub fn json_text(spec: &Spec, ty: &TypeRef) -> Result<String> {
    let mut writer = Writer {
        spec,
        stack: Vec::new(),
    };
    writer.value(ty, &Hints::none(), &ty.to_string())
}

/// The example JSON text of `field`'s value: its `example` when it fits, else a value satisfying
/// its constraints (see the [module docs](self)). For a path, query or header parameter this is
/// the value as JSON; a string parameter's text is the JSON string's contents.
pub fn field_json_text(spec: &Spec, field: &Field) -> Result<String> {
    let mut writer = Writer {
        spec,
        stack: Vec::new(),
    };
    writer.value(&field.ty, &Hints::of(field), &field.wire_name)
}

/// The example of a path, query or header parameter as the text sent: the contents of what JSON
/// writes as a string (a string, an enum value, a date, a `decimal_string`), the number or boolean
/// otherwise. The value is the one [`field_json_text`] writes. Errors for a type that is not one
/// scalar (a list, a map, a schema, free JSON): it has no single text.
pub fn parameter_text(spec: &Spec, field: &Field) -> Result<String> {
    let writer = Writer {
        spec,
        stack: Vec::new(),
    };
    writer
        .scalar(&field.ty, &Hints::of(field), &field.wire_name)?
        .map(|scalar| scalar.text)
        .ok_or_else(|| {
            Error::new(format!(
                "{}: a parameter of type {} has no single text",
                field.wire_name, field.ty
            ))
        })
}

/// What a field adds to the choice of its value.
struct Hints<'a> {
    example: Option<&'a str>,
    constraints: Option<&'a Constraints>,
    /// The wire name, the base of a string without example or pattern.
    name: Option<&'a str>,
    /// The generated `validate()` refuses an empty value (a required string without `min_length`).
    non_empty: bool,
}

impl<'a> Hints<'a> {
    fn none() -> Self {
        Hints {
            example: None,
            constraints: None,
            name: None,
            non_empty: false,
        }
    }

    fn of(field: &'a Field) -> Self {
        Hints {
            example: field.example.as_deref(),
            constraints: Some(&field.constraints),
            name: Some(&field.wire_name),
            non_empty: field.required
                && !field.nullable
                && field.ty == TypeRef::String
                && field.constraints.min_length.is_none(),
        }
    }

    /// The same hints for the items of a list or map: example and constraints apply to items;
    /// the non-empty rule applies to the field's own string only.
    fn items(&self) -> Self {
        Hints {
            non_empty: false,
            ..*self
        }
    }

    fn constraints(&self) -> Constraints {
        self.constraints.cloned().unwrap_or_default()
    }
}

struct Writer<'a> {
    spec: &'a Spec,
    /// Schemas being written, outermost first: the recursion guard.
    stack: Vec<&'a str>,
}

impl<'a> Writer<'a> {
    fn value(&mut self, ty: &TypeRef, hints: &Hints<'_>, at: &str) -> Result<String> {
        if let Some(scalar) = self.scalar(ty, hints, at)? {
            return Ok(scalar.json());
        }
        Ok(match ty {
            TypeRef::List(inner) => format!("[{}]", self.value(inner, &hints.items(), at)?),
            TypeRef::Map(inner) => {
                format!("{{\"key\":{}}}", self.value(inner, &hints.items(), at)?)
            }
            TypeRef::Schema(name) => {
                let schema =
                    self.spec.schemas.get(name).ok_or_else(|| {
                        Error::new(format!("{at}: no schema `{name}` in the spec"))
                    })?;
                self.object(schema)?
            }
            _ => "{}".to_owned(),
        })
    }

    /// The value of a type written as one JSON scalar; `None` for lists, maps, schemas and free
    /// JSON.
    fn scalar(&self, ty: &TypeRef, hints: &Hints<'_>, at: &str) -> Result<Option<Scalar>> {
        Ok(Some(match ty {
            TypeRef::String => Scalar::string(string_value(hints, at)?),
            TypeRef::Bool => Scalar::bare(
                hints
                    .example
                    .filter(|example| matches!(*example, "true" | "false"))
                    .unwrap_or("true"),
            ),
            TypeRef::I32 => Scalar::bare(integer(
                hints,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                at,
            )?),
            TypeRef::I64 => Scalar::bare(integer(hints, i64::MIN, i64::MAX, at)?),
            TypeRef::Decimal(DecimalWire::Number) => Scalar::bare(decimal(hints, at)?),
            TypeRef::Decimal(DecimalWire::String) => Scalar::string(decimal(hints, at)?),
            TypeRef::DateTime(format) => date_time(*format, hints.example),
            TypeRef::DateTimeType(name) => {
                let datetime = self.spec.datetimes.get(name).ok_or_else(|| {
                    Error::new(format!("{at}: no date-time type `{name}` in the spec"))
                })?;
                let form = datetime.writes;
                Scalar::string(
                    hints
                        .example
                        .filter(|example| form_fits(form, example))
                        .unwrap_or_else(|| form.example()),
                )
            }
            TypeRef::Enum(name) => {
                let known = self
                    .spec
                    .enums
                    .get(name)
                    .ok_or_else(|| Error::new(format!("{at}: no enum `{name}` in the spec")))?;
                let wire = hints
                    .example
                    .filter(|example| known.values.iter().any(|value| value.wire == *example))
                    .or_else(|| known.values.first().map(|value| value.wire.as_str()))
                    .ok_or_else(|| {
                        Error::new(format!("{at}: enum `{name}` has no value to use"))
                    })?;
                Scalar::string(wire)
            }
            TypeRef::Json
            | TypeRef::Undocumented
            | TypeRef::List(_)
            | TypeRef::Map(_)
            | TypeRef::Schema(_) => return Ok(None),
        }))
    }

    fn object(&mut self, schema: &'a Schema) -> Result<String> {
        self.stack.push(&schema.name);
        let members = self.members(schema);
        self.stack.pop();
        Ok(format!("{{{}}}", members?.join(",")))
    }

    fn members(&mut self, schema: &'a Schema) -> Result<Vec<String>> {
        let mut members = Vec::new();
        for field in schema.fields.iter().filter(|f| f.credential.is_none()) {
            let at = format!("schemas.{}.fields.{}", schema.name, field.wire_name);
            let value = if self.closes_cycle(&field.ty) {
                cut_cycle(field).ok_or_else(|| {
                    Error::new(format!(
                        "{at}: {CYCLE}: it is required, of type {}, and not nullable",
                        field.ty
                    ))
                })?
            } else {
                match self.value(&field.ty, &Hints::of(field), &at) {
                    Ok(value) => Some(value),
                    // A cycle closed below that could not be cut there is cut here, if it can.
                    Err(err) if err.message.contains(CYCLE) => cut_cycle(field).ok_or(err)?,
                    Err(err) => return Err(err),
                }
            };
            if let Some(value) = value {
                members.push(format!("{}:{value}", json_string(&field.wire_name)));
            }
        }
        Ok(members)
    }

    /// True when `ty` names a schema being written.
    fn closes_cycle(&self, ty: &TypeRef) -> bool {
        let mut found = false;
        ty.walk(&mut |inner| {
            if let TypeRef::Schema(name) = inner {
                found |= self.stack.contains(&name.as_str());
            }
        });
        found
    }
}

/// The words of the error of a cycle no field cuts (also how a cycle error is told apart).
const CYCLE: &str = "closes a cycle of schemas that no field on the way cuts, so no finite \
                     example exists";

/// How a field that closes a cycle is cut: `Some(Some(json))` a value, `Some(None)` left out,
/// `None` when it cannot be (required, not nullable, not a list or map).
fn cut_cycle(field: &Field) -> Option<Option<String>> {
    if !field.required {
        Some(None)
    } else if field.nullable {
        Some(Some("null".to_owned()))
    } else {
        match field.ty {
            TypeRef::List(_) => Some(Some("[]".to_owned())),
            TypeRef::Map(_) => Some(Some("{}".to_owned())),
            _ => None,
        }
    }
}

/// A value written as one JSON scalar: its text, and whether JSON quotes it.
struct Scalar {
    text: String,
    quoted: bool,
}

impl Scalar {
    /// A JSON string holding `text`.
    fn string(text: impl Into<String>) -> Self {
        Scalar {
            text: text.into(),
            quoted: true,
        }
    }

    /// A JSON number or boolean written as `text`.
    fn bare(text: impl Into<String>) -> Self {
        Scalar {
            text: text.into(),
            quoted: false,
        }
    }

    fn json(self) -> String {
        if self.quoted {
            json_string(&self.text)
        } else {
            self.text
        }
    }
}

/// A JSON string literal of `text`.
pub(crate) fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

// ---------------------------------------------------------------------------------------------
// Strings

/// Fewest characters an acceptable string has, first the preferred (never empty), then the least
/// the generated `validate()` takes.
fn length_floors(hints: &Hints<'_>, c: &Constraints) -> [u64; 2] {
    let least = c.min_length.unwrap_or(if hints.non_empty { 1 } else { 0 });
    [least.max(1), least]
}

fn string_value(hints: &Hints<'_>, at: &str) -> Result<String> {
    let c = hints.constraints();
    let regex = match &c.pattern {
        Some(pattern) => Some(regex_lite::Regex::new(pattern).map_err(|err| {
            Error::new(format!(
                "{at}: the pattern `{pattern}` does not compile with regex-lite: {err}"
            ))
        })?),
        None => None,
    };
    let max = c.max_length;
    let fits = |text: &str, floor: u64| {
        let count = text.chars().count() as u64;
        count >= floor
            && max.is_none_or(|max| count <= max)
            && regex.as_ref().is_none_or(|regex| regex.is_match(text))
    };
    let floors = length_floors(hints, &c);
    if let Some(example) = hints.example
        && floors.iter().any(|floor| fits(example, *floor))
    {
        return Ok(example.to_owned());
    }
    let candidates = match &c.pattern {
        Some(pattern) => pattern_candidates(pattern, &c, at)?,
        None => vec![plain_string(hints.name.unwrap_or("text"), floors[0], max)],
    };
    for floor in floors {
        if let Some(found) = candidates.iter().find(|text| fits(text, floor)) {
            return Ok(found.clone());
        }
    }
    let lengths = match (c.min_length, max) {
        (Some(min), Some(max)) => format!(" of {min} to {max} characters"),
        (Some(min), None) => format!(" of at least {min} characters"),
        (None, Some(max)) => format!(" of at most {max} characters"),
        (None, None) => String::new(),
    };
    Err(Error::new(match &c.pattern {
        Some(pattern) => format!(
            "{at}: found no example string{lengths} matching `{pattern}`; give the field an \
             `example` that fits"
        ),
        None => format!("{at}: no string{lengths} exists"),
    }))
}

/// `base`, padded with digits to `min` characters and cut to `max`.
fn plain_string(base: &str, min: u64, max: Option<u64>) -> String {
    let mut text: String = base.to_owned();
    let mut digit = 0u8;
    while (text.chars().count() as u64) < min {
        text.push(char::from(b'0' + digit));
        digit = (digit + 1) % 10;
    }
    match max {
        Some(max) => text
            .chars()
            .take(usize::try_from(max).unwrap_or(usize::MAX))
            .collect(),
        None => text,
    }
}

/// Most candidate strings kept per part of a pattern (and in all).
const MAX_CANDIDATES: usize = 64;
/// Most repetitions of one part of a pattern tried.
const MAX_REPEAT: u32 = 256;
/// Characters a class is written with, in order of preference: readable ASCII first.
const PREFERRED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz-_.@ \
                         !#$%&'()*+,/:;<=>?[]^`{|}~\"\\";

/// Strings the pattern may match, most likely first; the caller keeps those that do.
fn pattern_candidates(pattern: &str, c: &Constraints, at: &str) -> Result<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).map_err(|err| {
        Error::new(format!(
            "{at}: cannot read the pattern `{pattern}` to find an example: {err}"
        ))
    })?;
    // Repetition counts worth trying besides the pattern's own bounds: those that make a
    // one-repetition pattern as long as the length constraints ask.
    let goals: Vec<u32> = [c.min_length, c.max_length, Some(1)]
        .into_iter()
        .flatten()
        .filter_map(|n| u32::try_from(n).ok())
        .collect();
    Ok(candidates(&hir, &goals, 0))
}

fn candidates(hir: &Hir, goals: &[u32], seed: usize) -> Vec<String> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![String::new()],
        HirKind::Literal(literal) => String::from_utf8(literal.0.to_vec())
            .map(|text| vec![text])
            .unwrap_or_default(),
        HirKind::Class(class) => class_member(class, seed)
            .map(|c| vec![c.to_string()])
            .unwrap_or_default(),
        HirKind::Capture(capture) => candidates(&capture.sub, goals, seed),
        HirKind::Concat(parts) => {
            let mut acc = vec![String::new()];
            for part in parts {
                let next = candidates(part, goals, seed);
                acc = acc
                    .iter()
                    .flat_map(|head| next.iter().map(move |tail| format!("{head}{tail}")))
                    .take(MAX_CANDIDATES)
                    .collect();
            }
            acc
        }
        HirKind::Alternation(branches) => branches
            .iter()
            .flat_map(|branch| candidates(branch, goals, seed))
            .take(MAX_CANDIDATES)
            .collect(),
        HirKind::Repetition(repetition) => {
            let (min, max) = (repetition.min, repetition.max);
            let mut counts: Vec<u32> = [min, min.saturating_add(1)]
                .into_iter()
                .chain(max)
                .chain(
                    goals
                        .iter()
                        .map(|goal| (*goal).max(min).min(max.unwrap_or(u32::MAX))),
                )
                .filter(|count| *count >= min && max.is_none_or(|max| *count <= max))
                .filter(|count| *count <= MAX_REPEAT)
                .collect();
            counts.sort_unstable();
            counts.dedup();
            let mut out = Vec::new();
            for count in counts {
                // One string per count: the i-th repetition takes the first candidate at seed
                // `seed + i`, so repeated classes vary (`ABCD`, not `AAAA`).
                let mut text = String::new();
                let mut complete = true;
                for i in 0..count as usize {
                    match candidates(&repetition.sub, goals, seed + i)
                        .into_iter()
                        .next()
                    {
                        Some(item) => text.push_str(&item),
                        None => {
                            complete = false;
                            break;
                        }
                    }
                }
                if complete {
                    out.push(text);
                }
            }
            out
        }
    }
}

/// The `seed`-th member (cyclically) of the class among the preferred characters, else its first
/// character.
fn class_member(class: &Class, seed: usize) -> Option<char> {
    let contains = |c: char| match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .any(|range| range.start() <= c && c <= range.end()),
        Class::Bytes(class) => u8::try_from(c).is_ok_and(|byte| {
            class
                .ranges()
                .iter()
                .any(|range| range.start() <= byte && byte <= range.end())
        }),
    };
    let members: Vec<char> = PREFERRED.chars().filter(|c| contains(*c)).collect();
    if !members.is_empty() {
        return members.get(seed % members.len()).copied();
    }
    match class {
        Class::Unicode(class) => class.ranges().first().map(|range| range.start()),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .find(|range| range.start() < 0x80)
            .map(|range| char::from(range.start())),
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn integer(hints: &Hints<'_>, type_min: i64, type_max: i64, at: &str) -> Result<String> {
    let c = hints.constraints();
    let bound = |text: &Option<String>, default: i64| -> Result<i64> {
        match text {
            None => Ok(default),
            Some(text) => text.trim().parse::<i64>().map_err(|_| {
                Error::new(format!(
                    "{at}: bound `{text}` of an integer field is not an integer"
                ))
            }),
        }
    };
    let min = bound(&c.min, type_min)?.max(type_min);
    let max = bound(&c.max, type_max)?.min(type_max);
    if min > max {
        return Err(Error::new(format!(
            "{at}: no integer lies between the minimum {min} and the maximum {max}"
        )));
    }
    let example = hints
        .example
        .and_then(|text| text.trim().parse::<i64>().ok())
        .filter(|value| (min..=max).contains(value));
    Ok(example.unwrap_or_else(|| 1.clamp(min, max)).to_string())
}

/// An exact decimal: `mantissa × 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dec {
    mantissa: i128,
    scale: u32,
}

impl Dec {
    fn parse(text: &str) -> Option<Dec> {
        let (mantissa, scale) = decimal_parts(text)?;
        // What `rust_decimal` holds: a 96-bit mantissa and at most 28 decimal places.
        (mantissa.unsigned_abs() < 1u128 << 96 && scale <= 28).then_some(Dec { mantissa, scale })
    }

    /// The same value with `scale` places, if it has no more and fits.
    fn rescale(self, scale: u32) -> Option<i128> {
        let factor = 10i128.checked_pow(scale.checked_sub(self.scale)?)?;
        self.mantissa.checked_mul(factor)
    }

    /// Compares two decimals exactly; `None` when one cannot be brought to the other's scale.
    fn cmp(self, other: Dec) -> Option<std::cmp::Ordering> {
        let scale = self.scale.max(other.scale);
        Some(self.rescale(scale)?.cmp(&other.rescale(scale)?))
    }

    /// Places after the point once trailing zeros are dropped.
    fn places(self) -> u32 {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        scale
    }

    /// Rounded to `places` places towards positive (`up`) or negative infinity.
    fn round(self, places: u32, up: bool) -> Option<Dec> {
        if self.scale <= places {
            return Some(self);
        }
        let factor = 10i128.checked_pow(self.scale - places)?;
        let mut mantissa = self.mantissa.div_euclid(factor);
        if up && self.mantissa.rem_euclid(factor) != 0 {
            mantissa += 1;
        }
        Some(Dec {
            mantissa,
            scale: places,
        })
    }

    /// JSON number text: `-12.50`, `0.05`, `100`.
    fn text(self) -> String {
        let digits = self.mantissa.unsigned_abs().to_string();
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        format!("{sign}{whole}.{fraction}")
    }
}

/// A decimal's text (a JSON number's): the example when it fits, else 100.00 brought within
/// the bounds and decimal places.
fn decimal(hints: &Hints<'_>, at: &str) -> Result<String> {
    let c = hints.constraints();
    let bound = |text: &Option<String>| -> Result<Option<Dec>> {
        match text {
            None => Ok(None),
            Some(text) => Dec::parse(text).map(Some).ok_or_else(|| {
                Error::new(format!("{at}: bound `{text}` is not a decimal literal"))
            }),
        }
    };
    let (min, max) = (bound(&c.min)?, bound(&c.max)?);
    let fits = |value: Dec| -> bool {
        min.is_none_or(|min| value.cmp(min).is_some_and(|o| o.is_ge()))
            && max.is_none_or(|max| value.cmp(max).is_some_and(|o| o.is_le()))
            && c.max_decimals.is_none_or(|places| value.places() <= places)
    };
    if let Some(example) = hints.example.and_then(Dec::parse).filter(|v| fits(*v)) {
        return Ok(example.text());
    }
    let mut value = Dec {
        mantissa: 10000,
        scale: 2,
    };
    if let Some(min) = min.filter(|min| value.cmp(*min).is_some_and(|o| o.is_lt())) {
        value = min;
    }
    if let Some(max) = max.filter(|max| value.cmp(*max).is_some_and(|o| o.is_gt())) {
        value = max;
    }
    let places = c.max_decimals.unwrap_or(28);
    [value.round(places, true), value.round(places, false)]
        .into_iter()
        .flatten()
        .find(|value| fits(*value))
        .map(Dec::text)
        .ok_or_else(|| {
            Error::new(format!(
                "{at}: no decimal satisfies min {}, max {} and at most {} decimal places",
                c.min.as_deref().unwrap_or("none"),
                c.max.as_deref().unwrap_or("none"),
                c.max_decimals
                    .map_or_else(|| "any".to_owned(), |places| places.to_string())
            ))
        })
}

// ---------------------------------------------------------------------------------------------
// Dates

/// Largest epoch seconds `time` represents by default (9999-12-31T23:59:59Z).
const MAX_EPOCH_SECONDS: u64 = 253_402_300_799;

fn date_time(format: DateFormat, example: Option<&str>) -> Scalar {
    let fits = |check: fn(&str) -> bool, default: &'static str| {
        example.filter(|example| check(example)).unwrap_or(default)
    };
    match format {
        DateFormat::Iso8601 => Scalar::string(fits(rfc3339, DateTimeForm::Rfc3339.example())),
        DateFormat::LocalDateTime => {
            Scalar::string(fits(space_local, DateTimeForm::SpaceLocal.example()))
        }
        DateFormat::Date => Scalar::string(fits(date, "2026-04-22")),
        DateFormat::CardExpiry => Scalar::string(fits(card_expiry, "12/30")),
        DateFormat::EpochMillis => Scalar::bare(fits(
            |text| epoch(text, MAX_EPOCH_SECONDS * 1000),
            "1672531199000",
        )),
        DateFormat::EpochSeconds => {
            Scalar::bare(fits(|text| epoch(text, MAX_EPOCH_SECONDS), "1672531199"))
        }
    }
}

/// True when `text` is written exactly in `form` (to the second, as the generated types write).
fn form_fits(form: DateTimeForm, text: &str) -> bool {
    match form {
        DateTimeForm::Rfc3339 => rfc3339(text),
        DateTimeForm::IsoLocal => local(text, 'T'),
        DateTimeForm::SpaceLocal => space_local(text),
    }
}

/// The number of `digits` long at `text[at..]`, if all are ASCII digits.
fn number(text: &str, at: usize, digits: usize) -> Option<u32> {
    let part = text.get(at..at + digits)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

/// `yyyy-MM-dd`, a real day.
fn date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (number(text, 0, 4), number(text, 5, 2), number(text, 8, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `HH:mm:ss`.
fn time_of_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 8
        && bytes[2] == b':'
        && bytes[5] == b':'
        && number(text, 0, 2).is_some_and(|h| h < 24)
        && number(text, 3, 2).is_some_and(|m| m < 60)
        && number(text, 6, 2).is_some_and(|s| s < 60)
}

/// `yyyy-MM-dd<separator>HH:mm:ss`.
fn local(text: &str, separator: char) -> bool {
    text.len() == 19
        && text.is_char_boundary(10)
        && text.is_char_boundary(11)
        && date(&text[..10])
        && text[10..11].starts_with(separator)
        && time_of_day(&text[11..])
}

fn space_local(text: &str) -> bool {
    local(text, ' ')
}

/// `yyyy-MM-ddTHH:mm:ss` then `Z` or `+HH:MM`/`-HH:MM`.
fn rfc3339(text: &str) -> bool {
    if text.len() < 20 || !text.is_char_boundary(19) || !local(&text[..19], 'T') {
        return false;
    }
    match &text[19..] {
        "Z" => true,
        offset => {
            let bytes = offset.as_bytes();
            bytes.len() == 6
                && (bytes[0] == b'+' || bytes[0] == b'-')
                && bytes[3] == b':'
                && number(offset, 1, 2).is_some_and(|h| h < 24)
                && number(offset, 4, 2).is_some_and(|m| m < 60)
        }
    }
}

/// `MM/YY`, month 01-12.
fn card_expiry(text: &str) -> bool {
    text.len() == 5
        && text.as_bytes()[2] == b'/'
        && number(text, 0, 2).is_some_and(|month| (1..=12).contains(&month))
        && number(text, 3, 2).is_some()
}

/// Digits only (a JSON integer as written), at most `max`.
fn epoch(text: &str, max: u64) -> bool {
    !text.is_empty()
        && text.len() <= 19
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
        && text.parse::<u64>().is_ok_and(|value| value <= max)
}

#[cfg(test)]
mod tests;
