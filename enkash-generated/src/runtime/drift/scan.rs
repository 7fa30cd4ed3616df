//! The drift pass: a second decode of a payload's JSON text into its type, through a
//! deserializer wrapper that tracks the JSON path, only when a client records drift.
//!
//! The wrapper sees every member name a generated struct is asked about (`deserialize_struct`
//! gives it the struct's member names), so it knows the one place where an unknown member is
//! skipped: the `IgnoredAny` of `wire::object::skip`, which it answers by classifying the value
//! (its JSON type and string form, never the value) instead. The `wire` formats report what only
//! they know (a number sent as a string, an enum value not in the spec, a date in no form its
//! type reads) through the `note_*` hooks below, which do nothing unless a pass runs on this
//! thread. A failing decode is classified too (a missing or `null` required member, a type
//! mismatch), from the error's kind and the shape of the value that failed, never its message.
//!
//! The plain decode of the client never goes through here: with recording off nothing in this
//! file runs, and the hooks in `wire` sit on paths that are already off the common case.

use std::cell::RefCell;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess,
    SeqAccess, Visitor,
};

use super::{DriftKind, form};

/// Most distinct notes kept from one response; more are counted as dropped.
const NOTES_PER_RESPONSE: usize = 64;
/// Longest path kept; a deeper finding is counted as dropped.
const MAX_PATH: usize = 256;
/// Longest unknown member name kept as it is.
const MAX_KEY: usize = 64;
/// Longest enum value kept.
const MAX_ENUM_VALUE: usize = 48;

/// One thing a pass found, before it is aggregated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub kind: DriftKind,
    pub path: String,
    pub json_type: &'static str,
    pub form: Option<&'static str>,
    pub value: Option<String>,
}

/// What one pass found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub notes: Vec<Note>,
    pub dropped: u64,
}

/// The state of the pass running on this thread.
#[derive(Default)]
struct Pass {
    /// The JSON path of the value being read: `a.b[].c`, `*` for a key of a map.
    path: String,
    /// The shape of the innermost value a visitor refused.
    refused: Option<(&'static str, Option<&'static str>)>,
    /// A member name read by the key being visited.
    key: Option<String>,
    /// The failure, once classified (the first one; the decode stops there).
    failed: bool,
    /// A hook already said why the value at this path failed.
    explained: Option<String>,
    /// A date format refused the value at this path (its failure is a date in another form).
    date_refused: Option<String>,
    /// How many sensitive members the value being read is inside: no value is kept there.
    hidden: u32,
    scan: Scan,
}

thread_local! {
    static PASS: RefCell<Option<Pass>> = const { RefCell::new(None) };
}

/// Runs `f` on the pass of this thread, if one runs.
fn with_pass(f: impl FnOnce(&mut Pass)) {
    // `try_with`: a hook during thread teardown does nothing.
    let _ = PASS.try_with(|cell| {
        if let Ok(mut pass) = cell.try_borrow_mut()
            && let Some(pass) = pass.as_mut()
        {
            f(pass);
        }
    });
}

impl Pass {
    fn note(
        &mut self,
        kind: DriftKind,
        path: String,
        shape: (&'static str, Option<&'static str>),
        value: Option<String>,
    ) {
        if path.len() > MAX_PATH {
            self.scan.dropped += 1;
            return;
        }
        let note = Note {
            kind,
            path,
            json_type: shape.0,
            form: shape.1,
            value,
        };
        if self.scan.notes.contains(&note) {
            return;
        }
        if self.scan.notes.len() >= NOTES_PER_RESPONSE {
            self.scan.dropped += 1;
            return;
        }
        self.scan.notes.push(note);
    }

    fn note_here(
        &mut self,
        kind: DriftKind,
        shape: (&'static str, Option<&'static str>),
        value: Option<String>,
    ) {
        let path = self.path.clone();
        self.note(kind, path, shape, value);
    }

    /// Classifies the failure `message` raised at the current path (only the first one).
    fn fail(&mut self, message: &str) {
        if self.failed {
            return;
        }
        self.failed = true;
        if self.explained.as_deref() == Some(self.path.as_str()) {
            return;
        }
        if let Some(rest) = message.strip_prefix("missing field `") {
            let name = rest.split('`').next().unwrap_or_default();
            let path = join(&self.path, &member_name(name));
            self.note(DriftKind::MissingField, path, ("missing", None), None);
        } else if message.starts_with("invalid type: null") {
            self.note_here(DriftKind::NullValue, ("null", None), None);
        } else if !message.starts_with("duplicate field") {
            let shape = self
                .refused
                .take()
                .unwrap_or_else(|| shape_in_message(message));
            let kind = self.mismatch_kind(shape, message);
            self.note_here(kind, shape, None);
        }
    }

    /// What a value of `shape` that failed to read is: a date in another form (a date format
    /// refused it), a number sent as a string or a string sent as a number (the message names
    /// what was expected), or else a type mismatch.
    fn mismatch_kind(&self, shape: Shape, message: &str) -> DriftKind {
        let expected = message
            .rsplit_once(", expected ")
            .map_or("", |(_, expected)| expected);
        let numeric_form = shape
            .1
            .is_some_and(|form| form.starts_with("integer") || form.starts_with("decimal"));
        match shape.0 {
            "string" if self.date_refused.as_deref() == Some(self.path.as_str()) => {
                DriftKind::DateForm
            }
            "string" if numeric_form && expects_number(expected) => DriftKind::NumberAsString,
            "number" if expected.starts_with("a string") => DriftKind::StringAsNumber,
            _ => DriftKind::TypeMismatch,
        }
    }
}

/// True when serde's `expected` text names a number type (`i32`, `u64`, `f64`, ...).
fn expects_number(expected: &str) -> bool {
    // serde_json may add ` at line 1 column 9`: the type is the first word.
    let name = expected.split_whitespace().next().unwrap_or_default();
    matches!(
        name,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "f32"
            | "f64"
    )
}

/// The shape of the value a serde message (`invalid type: string "7", expected i32`) names,
/// for a failure no visitor saw; the message itself is not kept.
fn shape_in_message(message: &str) -> Shape {
    let Some(found) = message.strip_prefix("invalid type: ") else {
        return ("unknown", None);
    };
    if let Some(quoted) = found.strip_prefix("string \"") {
        let text = quoted
            .rsplit_once("\", expected")
            .map_or(quoted, |(text, _)| text);
        return ("string", Some(form::of(text)));
    }
    for (prefix, shape) in [
        ("integer", ("number", Some("integer"))),
        ("floating point", ("number", Some("decimal"))),
        ("boolean", ("boolean", None)),
        ("map", ("object", None)),
        ("sequence", ("array", None)),
        ("null", ("null", None)),
    ] {
        if found.starts_with(prefix) {
            return shape;
        }
    }
    ("unknown", None)
}

/// `path` + `name`, for a member.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// A member name as kept in a path: as it is when it looks like a name, `<key>` otherwise (an
/// e-mail, a number, anything long or with spaces is data, not a name).
fn member_name(name: &str) -> String {
    let mut chars = name.chars();
    let looks_like_a_name = name.len() <= MAX_KEY
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$'));
    if looks_like_a_name {
        name.to_owned()
    } else {
        "<key>".to_owned()
    }
}

/// An enum value as kept: a short token of letters, digits and `_-.` with at least one letter
/// and not Title-case (a name); anything else is data and is kept as its form only.
fn enum_token(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let token = !bytes.is_empty()
        && bytes.len() <= MAX_ENUM_VALUE
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && bytes.iter().any(u8::is_ascii_alphabetic);
    let title_case = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().skip(1).any(u8::is_ascii_lowercase);
    (token && !title_case).then(|| value.to_owned())
}

/// Decodes `json` into `T` through the tracking wrapper and returns what it found.
pub(crate) fn scan<T: DeserializeOwned>(json: &str) -> Scan {
    struct Running;
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = PASS.try_with(|cell| cell.borrow_mut().take());
        }
    }
    let started = PASS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut pass) if pass.is_none() => {
            *pass = Some(Pass::default());
            true
        }
        _ => false,
    });
    if !started {
        return Scan::default();
    }
    let running = Running;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    if let Err(err) = T::deserialize(Track::new(&mut deserializer, Role::Value)) {
        let message = err.to_string();
        with_pass(|pass| pass.fail(&message));
    }
    let pass = PASS.with(|cell| cell.borrow_mut().take());
    drop(running);
    pass.map(|pass| pass.scan).unwrap_or_default()
}

/// Hook of `wire`: a number format read its value from a JSON string (`expected_string`
/// false), or a string format from a JSON number (`true`).
pub(crate) fn note_number_form(raw: &str, expected_string: bool) {
    with_pass(|pass| {
        let (kind, shape) = if expected_string {
            let form = if raw.contains(['.', 'e', 'E']) {
                "decimal"
            } else {
                "integer"
            };
            (DriftKind::StringAsNumber, ("number", Some(form)))
        } else {
            let text = raw.trim().trim_matches('"');
            (DriftKind::NumberAsString, ("string", Some(form::of(text))))
        };
        pass.note_here(kind, shape, None);
    });
}

/// Hook of `wire`: a value that failed to read as a number (its shape, for the failure).
pub(crate) fn note_refused_number(raw: &str) {
    with_pass(|pass| {
        let raw = raw.trim();
        let shape = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(text) => ("string", Some(form::of(text))),
            None => (json_type_of_raw(raw), None),
        };
        if pass.refused.is_none() {
            pass.refused = Some(shape);
        }
    });
}

fn json_type_of_raw(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

/// Hook of `wire`: an enum value the spec does not list.
pub(crate) fn note_unknown_enum_value(value: &str) {
    with_pass(|pass| {
        let kept = enum_token(value).filter(|_| pass.hidden == 0);
        let form = if kept.is_some() {
            None
        } else {
            Some(form::of(value))
        };
        pass.note_here(DriftKind::UnknownEnumValue, ("string", form), kept);
    });
}

/// Hook of `wire`: a date-time string read in one of the forms its type reads, but not in the
/// one it writes (the form the spec declares).
pub(crate) fn note_other_date_form(text: &str) {
    with_pass(|pass| {
        pass.note_here(
            DriftKind::OtherDateForm,
            ("string", Some(form::of(text))),
            None,
        );
    });
}

/// Hook of `wire`: a date-time string in none of the forms its type reads.
pub(crate) fn note_date_form(text: &str) {
    with_pass(|pass| {
        pass.note_here(DriftKind::DateForm, ("string", Some(form::of(text))), None);
        pass.explained = Some(pass.path.clone());
    });
}

/// Hook of `wire`: a fixed date format (`datetime`, `datetime_local`, `date`) refused the value
/// at the current path; the failure that follows is a date in another form.
pub(crate) fn note_date_refused() {
    with_pass(|pass| pass.date_refused = Some(pass.path.clone()));
}

/// Hook of `wire`: `read` reads the value of a member the spec marks sensitive; while it runs,
/// findings keep no value (an enum value is kept as its form only).
pub(crate) fn hiding<T>(read: impl FnOnce() -> T) -> T {
    with_pass(|pass| pass.hidden += 1);
    let value = read();
    with_pass(|pass| pass.hidden = pass.hidden.saturating_sub(1));
    value
}

/// Hook of `wire`: a number format (epoch milliseconds) read from a string of digits.
pub(crate) fn note_digits_string(text: &str) {
    with_pass(|pass| {
        pass.note_here(
            DriftKind::NumberAsString,
            ("string", Some(form::of(text.trim()))),
            None,
        );
    });
}

/// What a wrapped deserializer or visitor is reading.
#[derive(Clone, Copy)]
enum Role {
    /// A value.
    Value,
    /// The value of a member the struct does not have.
    Unknown,
    /// A member name.
    Key,
}

/// A deserializer at the current path.
struct Track<D> {
    inner: D,
    role: Role,
}

impl<D> Track<D> {
    fn new(inner: D, role: Role) -> Self {
        Track { inner, role }
    }

    fn visit<V>(&self, visitor: V, keys: Keys) -> Visit<V> {
        Visit {
            inner: visitor,
            keys,
            role: self.role,
        }
    }
}

/// Which names a map's keys are: a struct's members, or data (a map's keys, never kept).
#[derive(Clone, Copy)]
enum Keys {
    Members(&'static [&'static str]),
    Data,
}

macro_rules! forward {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            let visitor = self.visit(visitor, Keys::Data);
            self.inner.$method(visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Track<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier
    );

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.role {
            Role::Unknown => {
                let shape = self.inner.deserialize_any(ShapeVisitor)?;
                with_pass(|pass| pass.note_here(DriftKind::UnknownField, shape, None));
                visitor.visit_unit()
            }
            Role::Value | Role::Key => self.inner.deserialize_ignored_any(visitor),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let visitor = self.visit(visitor, Keys::Data);
        self.inner.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let visitor = self.visit(visitor, Keys::Data);
        self.inner.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let visitor = self.visit(visitor, Keys::Data);
        self.inner.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let visitor = self.visit(visitor, Keys::Data);
        self.inner.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let visitor = self.visit(visitor, Keys::Members(fields));
        self.inner.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // Generated enums are strings; a data-carrying enum is read untracked.
        self.inner.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// A visitor at the current path: wraps what it is given so that the path follows, remembers
/// the shape of a value its visitor refuses, and captures member names.
struct Visit<V> {
    inner: V,
    keys: Keys,
    role: Role,
}

/// The shape of a value.
type Shape = (&'static str, Option<&'static str>);

/// `result`, remembering `shape` as the refused value's when it is an error (and not a key's).
fn refused<T, E>(role: Role, result: Result<T, E>, shape: impl FnOnce() -> Shape) -> Result<T, E> {
    if result.is_err() && !matches!(role, Role::Key) {
        let shape = shape();
        with_pass(|pass| {
            if pass.refused.is_none() {
                pass.refused = Some(shape);
            }
        });
    }
    result
}

/// Keeps a member name read as a key.
fn capture_key(role: Role, text: &str) {
    if matches!(role, Role::Key) {
        let key = text.to_owned();
        with_pass(|pass| pass.key = Some(key));
    }
}

macro_rules! scalar {
    ($($method:ident($ty:ty) => $shape:expr;)*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<Self::Value, E> {
            refused(self.role, self.inner.$method(value), || $shape)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    scalar! {
        visit_bool(bool) => ("boolean", None);
        visit_i64(i64) => ("number", Some("integer"));
        visit_u64(u64) => ("number", Some("integer"));
        visit_i128(i128) => ("number", Some("integer"));
        visit_u128(u128) => ("number", Some("integer"));
        visit_f64(f64) => ("number", Some("decimal"));
        visit_char(char) => ("string", Some("text (1-8 chars)"));
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        capture_key(self.role, value);
        refused(self.role, self.inner.visit_str(value), || {
            ("string", Some(form::of(value)))
        })
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        capture_key(self.role, value);
        let result = self.inner.visit_borrowed_str(value);
        refused(self.role, result, || ("string", Some(form::of(value))))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        capture_key(self.role, &value);
        let shape = ("string", Some(form::of(&value)));
        refused(self.role, self.inner.visit_string(value), || shape)
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Self::Value, E> {
        self.inner.visit_bytes(value)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        refused(self.role, self.inner.visit_none(), || ("null", None))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.inner.visit_some(Track::new(deserializer, self.role))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        refused(self.role, self.inner.visit_unit(), || ("null", None))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        self.inner
            .visit_newtype_struct(Track::new(deserializer, self.role))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let result = self.inner.visit_seq(Seq { inner: seq });
        refused(self.role, result, || ("array", None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let result = self.inner.visit_map(Map {
            inner: map,
            keys: self.keys,
            segment: None,
        });
        refused(self.role, result, || ("object", None))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

/// The elements of an array, each at `path[]`.
struct Seq<A> {
    inner: A,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let mut mark = 0;
        with_pass(|pass| {
            mark = pass.path.len();
            pass.path.push_str("[]");
        });
        let result = self.inner.next_element_seed(Seed {
            inner: seed,
            role: Role::Value,
        });
        with_pass(|pass| {
            if let Err(err) = &result {
                pass.fail(&err.to_string());
            }
            pass.path.truncate(mark);
        });
        result
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The members of an object, each at `path.name` (`path.*` for a map's keys).
struct Map<A> {
    inner: A,
    keys: Keys,
    /// The path segment of the member whose value comes next, and whether the struct lacks it.
    segment: Option<(String, bool)>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        with_pass(|pass| pass.key = None);
        let key = self.inner.next_key_seed(Seed {
            inner: seed,
            role: Role::Key,
        })?;
        let mut name = None;
        with_pass(|pass| name = pass.key.take());
        self.segment = Some(match (self.keys, name) {
            (Keys::Members(members), Some(name)) => {
                let known = members.contains(&name.as_str());
                (member_name(&name), !known)
            }
            (Keys::Members(_), None) => ("<key>".to_owned(), false),
            (Keys::Data, _) => ("*".to_owned(), false),
        });
        Ok(key)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let (segment, unknown) = self
            .segment
            .take()
            .unwrap_or_else(|| ("<key>".to_owned(), false));
        let mut mark = 0;
        with_pass(|pass| {
            mark = pass.path.len();
            if !pass.path.is_empty() {
                pass.path.push('.');
            }
            pass.path.push_str(&segment);
        });
        let role = if unknown { Role::Unknown } else { Role::Value };
        let result = self.inner.next_value_seed(Seed { inner: seed, role });
        with_pass(|pass| {
            if let Err(err) = &result {
                pass.fail(&err.to_string());
            }
            pass.path.truncate(mark);
        });
        result
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A seed whose deserializer is tracked.
struct Seed<S> {
    inner: S,
    role: Role,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Track::new(deserializer, self.role))
    }
}

/// Reads any value for its shape: JSON type and, for a string, its form (for an array, the
/// JSON type of its first element).
struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = (&'static str, Option<&'static str>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(("boolean", None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(("number", Some("integer")))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(("number", Some("integer")))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(("number", Some("decimal")))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(("string", Some(form::of(value))))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(("null", None))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(("null", None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first = seq.next_element::<ElementType>()?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(("array", first.map(|ElementType(t)| t)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(("object", None))
    }
}

/// The JSON type of an array element, as an array's form (`"of object"`).
struct ElementType(&'static str);

impl<'de> de::Deserialize<'de> for ElementType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (json_type, _) = deserializer.deserialize_any(ShapeVisitor)?;
        Ok(ElementType(match json_type {
            "object" => "of object",
            "array" => "of array",
            "string" => "of string",
            "number" => "of number",
            "boolean" => "of boolean",
            _ => "of null",
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::{enum_token, member_name};

    #[test]
    fn names_and_enum_values_that_look_like_data_are_not_kept() {
        assert_eq!(member_name("newField"), "newField");
        assert_eq!(member_name("jane@example.com"), "<key>");
        assert_eq!(member_name("9876543210"), "<key>");
        assert_eq!(member_name("two words"), "<key>");
        assert_eq!(enum_token("ON_HOLD").as_deref(), Some("ON_HOLD"));
        assert_eq!(enum_token("pending").as_deref(), Some("pending"));
        assert_eq!(enum_token("Rahul"), None);
        assert_eq!(enum_token("4111111111111111"), None);
        assert_eq!(enum_token("a@b.co"), None);
        assert_eq!(enum_token("Jane Doe"), None);
    }
}
