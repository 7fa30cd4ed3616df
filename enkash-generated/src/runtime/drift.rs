//! Drift recording: what EnKash's answers hold that the spec does not say, per operation, as
//! shapes (never values), for `cargo xtask drift` to turn into spec changes.
//!
//! Opt-in per client ([`ClientBuilder::drift_recorder`](crate::ClientBuilder::drift_recorder)).
//! With a recorder, each answer's payload is decoded a second time, through a path-tracking
//! wrapper (`drift::scan`), after the client's own decode; without one, nothing of this module
//! runs. Notification bodies are recorded the same way by the generated
//! `webhooks::parse_*_recording` functions. Nothing is kept of a value read inside a member the
//! spec marks `sensitive`, not even an enum value. See [`DriftReport`] for the report format.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::envelope::Interpretation;
use super::error::Error;

mod form;
mod scan;

pub(crate) use scan::{
    hiding, note_date_form, note_date_refused, note_digits_string, note_number_form,
    note_other_date_form, note_refused_number, note_unknown_enum_value,
};

/// What kind of difference between an answer and the spec a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DriftKind {
    /// A member the spec's schema does not have (`json_type` and `form` say what it holds).
    UnknownField,
    /// A value of an enum field that the spec's enum does not list (`value` holds it when it
    /// looks like an enum value, `form` otherwise).
    UnknownEnumValue,
    /// A number sent as a JSON string: a `decimal` or `epoch_ms` (read all the same), or an
    /// integer (`i32`, `i64`: the answer failed to decode).
    NumberAsString,
    /// A string sent as a JSON number: a `decimal_string` (read all the same), or a `string`
    /// (the answer failed to decode).
    StringAsNumber,
    /// A date-time string in none of the forms its type reads (a `datetimes:` type, or the one
    /// form of `datetime`, `datetime_local` or `date`); `form` says which it is in.
    DateForm,
    /// A date-time read in one of the forms its `datetimes:` type reads, but not in the one
    /// the type writes, which the spec takes as EnKash's own (`form` says which): evidence of
    /// the form a field really uses where the docs show only a placeholder. The answer decoded.
    OtherDateForm,
    /// A required member that was missing: the answer failed to decode.
    MissingField,
    /// A required member that was `null`: the answer failed to decode.
    NullValue,
    /// A member of another JSON type (or string form) than the spec's: the answer failed to
    /// decode.
    TypeMismatch,
    /// An envelope whose result code is not a success code (`value` holds the code).
    UnknownCode,
}

impl DriftKind {
    /// Every kind, in report order.
    pub const ALL: [DriftKind; 10] = [
        DriftKind::UnknownField,
        DriftKind::UnknownEnumValue,
        DriftKind::NumberAsString,
        DriftKind::StringAsNumber,
        DriftKind::DateForm,
        DriftKind::OtherDateForm,
        DriftKind::MissingField,
        DriftKind::NullValue,
        DriftKind::TypeMismatch,
        DriftKind::UnknownCode,
    ];

    /// The kind as written in reports (`unknown_field`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::UnknownField => "unknown_field",
            DriftKind::UnknownEnumValue => "unknown_enum_value",
            DriftKind::NumberAsString => "number_as_string",
            DriftKind::StringAsNumber => "string_as_number",
            DriftKind::DateForm => "date_form",
            DriftKind::OtherDateForm => "other_date_form",
            DriftKind::MissingField => "missing_field",
            DriftKind::NullValue => "null_value",
            DriftKind::TypeMismatch => "type_mismatch",
            DriftKind::UnknownCode => "unknown_code",
        }
    }

    /// The kind written `name` in a report.
    pub fn parse(name: &str) -> Option<DriftKind> {
        DriftKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference, aggregated over the answers it was seen in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftFinding {
    /// What the payload was: the spec id of the operation (`get_settlement_payout`), or
    /// `webhooks.` and the spec id of the webhook for a notification body
    /// (`webhooks.payment_notify`); for a product of the spec tree, the product's name comes
    /// first (`payouts.get_balance`, `payouts.webhooks.transfer_status`).
    pub operation: String,
    /// What differs.
    pub kind: DriftKind,
    /// JSON path inside the payload (`settlementTransactions[].bankRef`; `.` for the payload
    /// itself): member names of the spec, unknown member names that look like names (others
    /// are `<key>`), `[]` for any array element, `*` for any key of a map.
    pub path: String,
    /// JSON type found: `string`, `number`, `boolean`, `null`, `object`, `array`, or `missing`.
    pub json_type: String,
    /// The class of the value, never the value: a date pattern (`yyyy-MM-dd HH:mm:ss`), `uuid`,
    /// `decimal string`, `integer`, a length class (`text (9-32 chars)`), an array's element type
    /// (`of object`).
    pub form: Option<String>,
    /// For [`DriftKind::UnknownEnumValue`] the enum value, for [`DriftKind::UnknownCode`] the
    /// code; `None` for every other kind.
    pub value: Option<String>,
    /// In how many answers it was seen.
    pub count: u64,
    /// When it was first seen, RFC 3339 in UTC to the second.
    pub first_seen: String,
}

impl DriftFinding {
    fn key(&self) -> (&str, DriftKind, &str, &str, Option<&str>, Option<&str>) {
        (
            &self.operation,
            self.kind,
            &self.path,
            &self.json_type,
            self.form.as_deref(),
            self.value.as_deref(),
        )
    }
}

/// What a [`DriftRecorder`] found: the findings, sorted, and how many were dropped.
///
/// As JSON ([`to_json`](Self::to_json), [`from_json`](Self::from_json)), format version 1:
///
/// ```text
/// {
///   "version": 1,
///   "dropped": 0,
///   "findings": [
///     {"operation": "get_settlement_payout", "kind": "unknown_field", "path": "bankRef",
///      "json_type": "string", "form": "text (9-32 chars)", "value": null, "count": 12,
///      "first_seen": "2026-05-01T10:00:00Z"}
///   ]
/// }
/// ```
///
/// `form` and `value` are `null` when they do not apply; `dropped` counts findings not kept
/// because the recorder's limit was reached. Reports of several runs or processes combine with
/// [`merge`](Self::merge).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftReport {
    /// The findings, sorted by operation, kind, path, JSON type, form and value.
    pub findings: Vec<DriftFinding>,
    /// Findings not kept because the recorder already held its limit of distinct findings.
    pub dropped: u64,
}

/// The report format version written and read.
const VERSION: u64 = 1;

impl DriftReport {
    /// Adds `other`'s findings: counts of the same finding add up, the earlier first-seen time
    /// is kept, dropped counts add up.
    pub fn merge(&mut self, other: DriftReport) {
        self.dropped = self.dropped.saturating_add(other.dropped);
        let mut findings = std::mem::take(&mut self.findings);
        findings.extend(other.findings);
        findings.sort_by(|a, b| a.key().cmp(&b.key()));
        let mut merged: Vec<DriftFinding> = Vec::with_capacity(findings.len());
        for finding in findings {
            match merged.last_mut() {
                Some(kept) if kept.key() == finding.key() => {
                    kept.count = kept.count.saturating_add(finding.count);
                    if finding.first_seen < kept.first_seen {
                        kept.first_seen = finding.first_seen;
                    }
                }
                _ => merged.push(finding),
            }
        }
        self.findings = merged;
    }

    fn sort(&mut self) {
        self.findings.sort_by(|a, b| a.key().cmp(&b.key()));
    }

    /// The report as JSON text, one finding per line, in the documented format.
    pub fn to_json(&self) -> String {
        let text = |value: &str| Value::from(value).to_string();
        let optional = |value: &Option<String>| value.as_deref().map_or("null".to_owned(), text);
        let mut out = format!(
            "{{\n  \"version\": {VERSION},\n  \"dropped\": {},\n  \"findings\": [",
            self.dropped
        );
        for (index, f) in self.findings.iter().enumerate() {
            out.push_str(if index == 0 { "\n    " } else { ",\n    " });
            out.push_str(&format!(
                "{{\"operation\": {}, \"kind\": {}, \"path\": {}, \"json_type\": {}, \"form\": {}, \
                 \"value\": {}, \"count\": {}, \"first_seen\": {}}}",
                text(&f.operation),
                text(f.kind.as_str()),
                text(&f.path),
                text(&f.json_type),
                optional(&f.form),
                optional(&f.value),
                f.count,
                text(&f.first_seen),
            ));
        }
        if !self.findings.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }

    /// Reads a report written by [`to_json`](Self::to_json) (any layout of the same JSON).
    /// Fails, saying why, on another version or a malformed finding.
    pub fn from_json(text: &str) -> Result<DriftReport, String> {
        let value: Value = serde_json::from_str(text).map_err(|err| format!("not JSON: {err}"))?;
        let version = value.get("version").and_then(Value::as_u64);
        if version != Some(VERSION) {
            return Err(format!(
                "expected a drift report of version {VERSION}, found version {}",
                value
                    .get("version")
                    .map_or("none".to_owned(), Value::to_string)
            ));
        }
        let dropped = value.get("dropped").and_then(Value::as_u64).unwrap_or(0);
        let Some(items) = value.get("findings").and_then(Value::as_array) else {
            return Err("`findings` is not a list".to_owned());
        };
        let mut report = DriftReport {
            findings: Vec::with_capacity(items.len()),
            dropped,
        };
        for (index, item) in items.iter().enumerate() {
            let text = |name: &str| {
                item.get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| format!("finding {index}: `{name}` is not a string"))
            };
            let optional = |name: &str| item.get(name).and_then(Value::as_str).map(str::to_owned);
            let kind_name = text("kind")?;
            let kind = DriftKind::parse(&kind_name)
                .ok_or_else(|| format!("finding {index}: unknown kind `{kind_name}`"))?;
            report.findings.push(DriftFinding {
                operation: text("operation")?,
                kind,
                path: text("path")?,
                json_type: text("json_type")?,
                form: optional("form"),
                value: optional("value"),
                count: item
                    .get("count")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| format!("finding {index}: `count` is not a number"))?,
                first_seen: text("first_seen")?,
            });
        }
        report.merge(DriftReport::default());
        Ok(report)
    }
}

/// The key of an aggregated finding: every part is spec text, a fixed class, a sanitized name
/// or an enum token.
type Key = (
    Source,
    DriftKind,
    String,
    &'static str,
    Option<&'static str>,
    Option<String>,
);

/// What a finding was read from: an answer of an operation or a body of a webhook (its spec
/// id), of the root spec (`None`) or of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    /// An answer of the operation with this spec id.
    Operation(Option<&'static str>, &'static str),
    /// A body of the webhook with this spec id.
    Webhook(Option<&'static str>, &'static str),
}

impl Source {
    /// The name written in reports: `[<product>.]<id>` or `[<product>.]webhooks.<id>`.
    fn name(self) -> String {
        let (product, section, id) = match self {
            Source::Operation(product, id) => (product, "", id),
            Source::Webhook(product, id) => (product, "webhooks.", id),
        };
        match product {
            Some(product) => format!("{product}.{section}{id}"),
            None => format!("{section}{id}"),
        }
    }
}

/// What a recorder holds.
#[derive(Debug)]
struct Store {
    limit: usize,
    findings: HashMap<Key, (u64, time::OffsetDateTime)>,
    dropped: u64,
}

/// Records drift for the clients it is given to; cheap to clone (clones share what was
/// recorded), `Send + Sync`, readable at any time with [`report`](Self::report).
///
/// ```
/// use enkash_generated::{Client, DriftRecorder};
///
/// let recorder = DriftRecorder::new();
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:9")
///     .drift_recorder(recorder.clone())
///     .build()?;
/// // ... calls ...
/// let report = recorder.report();
/// let json = report.to_json(); // for `cargo xtask drift`
/// assert!(json.contains("\"version\": 1"));
/// # Ok::<(), enkash_generated::Error>(())
/// ```
///
/// Memory is bounded: at most [`limit`](Self::with_limit) distinct findings (1,000 by default)
/// are kept; later new ones only add to [`DriftReport::dropped`]. Nothing of a value is kept
/// but enum values and envelope codes (see [`DriftFinding`]).
#[derive(Debug, Clone)]
pub struct DriftRecorder {
    store: Arc<Mutex<Store>>,
}

impl Default for DriftRecorder {
    fn default() -> Self {
        DriftRecorder::new()
    }
}

impl DriftRecorder {
    /// The default limit of distinct findings.
    pub const DEFAULT_LIMIT: usize = 1_000;

    /// A recorder keeping at most [`Self::DEFAULT_LIMIT`] distinct findings.
    pub fn new() -> Self {
        DriftRecorder::with_limit(Self::DEFAULT_LIMIT)
    }

    /// A recorder keeping at most `limit` distinct findings.
    pub fn with_limit(limit: usize) -> Self {
        DriftRecorder {
            store: Arc::new(Mutex::new(Store {
                limit,
                findings: HashMap::new(),
                dropped: 0,
            })),
        }
    }

    /// What was recorded so far (recording goes on).
    pub fn report(&self) -> DriftReport {
        let store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let second = |t: time::OffsetDateTime| {
            t.replace_nanosecond(0)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default()
        };
        let mut report = DriftReport {
            findings: store
                .findings
                .iter()
                .map(|(key, (count, first))| DriftFinding {
                    operation: key.0.name(),
                    kind: key.1,
                    path: if key.2.is_empty() {
                        ".".to_owned()
                    } else {
                        key.2.clone()
                    },
                    json_type: key.3.to_owned(),
                    form: key.4.map(str::to_owned),
                    value: key.5.clone(),
                    count: *count,
                    first_seen: second(*first),
                })
                .collect(),
            dropped: store.dropped,
        };
        report.sort();
        report
    }

    /// How many distinct findings are held.
    pub fn len(&self) -> usize {
        let store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        store.findings.len()
    }

    /// True when nothing was found yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records what the body of notification `webhook` holds that `T` does not expect. The
    /// generated `parse_*_recording` functions call this after their own reading of the body;
    /// a body that is not JSON at all is not recorded (the parse error says so).
    pub(crate) fn observe_webhook<T: DeserializeOwned>(
        &self,
        product: Option<&'static str>,
        webhook: &'static str,
        body: &[u8],
    ) {
        let Ok(json) = std::str::from_utf8(body) else {
            return;
        };
        if serde_json::from_str::<serde::de::IgnoredAny>(json).is_err() {
            return;
        }
        let scan = scan::scan::<T>(json);
        if !scan.notes.is_empty() || scan.dropped > 0 {
            self.absorb(Source::Webhook(product, webhook), scan);
        }
    }

    /// Records what an answer of `operation` (of `product`, `None` for the root spec) holds
    /// that `T` does not expect. The client calls this after its own reading of the answer,
    /// only when recording.
    pub(crate) fn observe<T: DeserializeOwned>(
        &self,
        product: Option<&'static str>,
        operation: &'static str,
        interpretation: &Interpretation<'_>,
    ) {
        match interpretation {
            Interpretation::Payload { json, .. } => {
                let scan = scan::scan::<T>(json);
                if scan.notes.is_empty() && scan.dropped == 0 {
                    return;
                }
                self.absorb(Source::Operation(product, operation), scan);
            }
            Interpretation::Failed(Error::Api { code, .. }) => {
                let note = scan::Note {
                    kind: DriftKind::UnknownCode,
                    path: String::new(),
                    json_type: "number",
                    form: None,
                    value: Some(code.to_string()),
                };
                self.absorb(
                    Source::Operation(product, operation),
                    scan::Scan {
                        notes: vec![note],
                        dropped: 0,
                    },
                );
            }
            Interpretation::Failed(_) | Interpretation::InvalidToken => {}
        }
    }

    fn absorb(&self, source: Source, scan: scan::Scan) {
        let now = time::OffsetDateTime::now_utc();
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        store.dropped = store.dropped.saturating_add(scan.dropped);
        for note in scan.notes {
            let key = (
                source,
                note.kind,
                note.path,
                note.json_type,
                note.form,
                note.value,
            );
            let limit = store.limit;
            let held = store.findings.len();
            match store.findings.get_mut(&key) {
                Some((count, _)) => *count = count.saturating_add(1),
                None if held < limit => {
                    store.findings.insert(key, (1, now));
                }
                None => store.dropped = store.dropped.saturating_add(1),
            }
        }
    }
}

#[cfg(test)]
mod tests;
