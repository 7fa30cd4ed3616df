//! The names the spec defines, gathered from every file before any file is decoded, so a
//! reference to a schema, enum, envelope, auth scheme or operation defined in another file (or
//! later in the same one) resolves.

use std::collections::BTreeSet;

use crate::yaml::{Node, Value};

/// Every defined name, by kind.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Schema names.
    pub schemas: BTreeSet<String>,
    /// Enum names.
    pub enums: BTreeSet<String>,
    /// Date-time type names.
    pub datetimes: BTreeSet<String>,
    /// Envelope names; `None` when no file has an `envelopes` section (then references are not
    /// checked: the missing section is the one error worth reporting).
    pub envelopes: Option<BTreeSet<String>>,
    /// Auth scheme names; `None` when no file has `auth.schemes`.
    pub schemes: Option<BTreeSet<String>>,
    /// Operation ids.
    pub operations: BTreeSet<String>,
}

impl Names {
    /// Gathers the names from the parsed roots of all files.
    pub(crate) fn collect<'a>(roots: impl IntoIterator<Item = &'a Node>) -> Names {
        let mut names = Names::default();
        for root in roots {
            names.schemas.extend(string_keys(child(root, "schemas")));
            names.enums.extend(string_keys(child(root, "enums")));
            names
                .datetimes
                .extend(string_keys(child(root, "datetimes")));
            names
                .operations
                .extend(string_keys(child(root, "operations")));
            if let Some(envelopes) = child(root, "envelopes") {
                let known = names.envelopes.get_or_insert_with(BTreeSet::new);
                known.extend(string_keys(Some(envelopes)));
            }
            if let Some(schemes) = child(root, "auth").and_then(|auth| child(auth, "schemes")) {
                let known = names.schemes.get_or_insert_with(BTreeSet::new);
                known.extend(string_keys(Some(schemes)));
            }
        }
        names
    }

    /// Every schema, enum and date-time type name, for "did you mean" hints.
    pub(crate) fn type_names(&self) -> impl Iterator<Item = &str> {
        self.schemas
            .iter()
            .chain(&self.enums)
            .chain(&self.datetimes)
            .map(String::as_str)
    }
}

/// The value under the string key `key` of a mapping node.
fn child<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    let Value::Map(entries) = &node.value else {
        return None;
    };
    entries
        .iter()
        .find(|entry| matches!(&entry.key.value, Value::String(k) if k == key))
        .map(|entry| &entry.value)
}

/// The string keys of a mapping node.
fn string_keys(node: Option<&Node>) -> Vec<String> {
    let Some(Node {
        value: Value::Map(entries),
        ..
    }) = node
    else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| match &entry.key.value {
            Value::String(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
}
