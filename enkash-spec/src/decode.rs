//! Reading [`Node`]s into plain values while collecting every problem.
//!
//! serde's derive stops at the first error; the spec must report them all. So the decoder reads
//! the node tree by hand: every helper reports what is wrong (with the node's position and YAML
//! path) and returns `None`, and the caller carries on with the rest of the file.

use std::collections::{BTreeMap, HashMap};

use crate::names::Names;
use crate::report::{Problem, Report, Site, YamlPath};
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::yaml::{Entry, Node, Value};

/// Up to this many entries, a mapping is searched for a repeated name rather than indexed.
const LINEAR_SEARCH_MAX: usize = 16;

/// Decoding state of one file.
pub(crate) struct Decoder<'a> {
    /// Index of the file being decoded.
    pub file: usize,
    /// Where problems go.
    pub report: &'a mut Report,
    /// Every name the spec defines, across all files, for references.
    pub names: &'a Names,
}

/// A named entry of a mapping: a schema, a field, an operation, ...
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item<'n> {
    /// The key.
    pub name: &'n str,
    /// The key's span.
    pub key_span: Option<Span>,
    /// The value.
    pub value: &'n Node,
}

/// A mapping with a fixed set of keys (a schema's `doc`, `doc_url`, `fields`, ...), checked for
/// unknown and duplicate keys.
pub(crate) struct Keys<'n> {
    /// Path of the mapping.
    pub path: YamlPath,
    /// Where to report a missing key: the key that holds this mapping.
    owner: Option<Span>,
    found: BTreeMap<&'static str, Item<'n>>,
}

impl Decoder<'_> {
    /// Records a problem at `span` in this file.
    pub(crate) fn error(
        &mut self,
        span: Option<Span>,
        path: &YamlPath,
        message: impl Into<String>,
    ) -> &mut Problem {
        self.report.error(self.file, span, path, message)
    }

    /// Reports that `node` is not what was expected (`expected`: "a string", ...).
    pub(crate) fn wrong_type(&mut self, node: &Node, path: &YamlPath, expected: &str) {
        let help = match (&node.value, expected) {
            (Value::Null, _) => Some("give the key a value, or remove it"),
            (Value::Bool(_) | Value::Number(_), "a string") => Some(
                "write the value in quotes to make it a string (YAML reads it as another type)",
            ),
            (Value::String(text), "true or false") if is_yaml_1_1_bool(text) => {
                Some("this spec is YAML 1.2: write `true` or `false`")
            }
            _ => None,
        };
        let message = format!("expected {expected}, found {}", node.value.kind());
        let problem = self.error(node.span, path, message);
        if let Some(help) = help {
            problem.help(help);
        }
    }

    /// A string value.
    pub(crate) fn string(&mut self, node: &Node, path: &YamlPath) -> Option<String> {
        match &node.value {
            Value::String(text) => Some(text.clone()),
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// A scalar as written (`example: 100.00` is the text `100.00`); `null` is the text `null`.
    pub(crate) fn scalar_text(&mut self, node: &Node, path: &YamlPath) -> Option<String> {
        match &node.value {
            Value::Null => Some("null".to_string()),
            value => value.scalar_text().or_else(|| {
                self.wrong_type(node, path, "a scalar");
                None
            }),
        }
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self, node: &Node, path: &YamlPath) -> Option<bool> {
        match node.value {
            Value::Bool(flag) => Some(flag),
            _ => {
                self.wrong_type(node, path, "true or false");
                None
            }
        }
    }

    /// A whole number of at least 0.
    pub(crate) fn unsigned(&mut self, node: &Node, path: &YamlPath) -> Option<u64> {
        let parsed = match &node.value {
            Value::Number(text) => text.strip_prefix('+').unwrap_or(text).parse().ok(),
            _ => None,
        };
        match (&node.value, parsed) {
            (_, Some(number)) => return Some(number),
            (Value::Number(text), None) => {
                let message = format!("expected a whole number of at least 0, found '{text}'");
                self.error(node.span, path, message);
            }
            (_, None) => self.wrong_type(node, path, "a whole number of at least 0"),
        }
        None
    }

    /// A list of whole numbers (envelope codes).
    pub(crate) fn integers(&mut self, node: &Node, path: &YamlPath) -> Option<Vec<i64>> {
        let Value::Seq(items) = &node.value else {
            self.wrong_type(node, path, "a list of whole numbers");
            return None;
        };
        let mut numbers = Vec::new();
        let mut ok = true;
        for (index, item) in items.iter().enumerate() {
            let parsed = match &item.value {
                Value::Number(text) => text.strip_prefix('+').unwrap_or(text).parse().ok(),
                _ => None,
            };
            match parsed {
                Some(number) => numbers.push(number),
                None => {
                    self.wrong_type(item, &path.index(index), "a whole number");
                    ok = false;
                }
            }
        }
        ok.then_some(numbers)
    }

    /// The entries of a mapping of named items (`what`: "schema", "field", ...), in file order.
    /// Non-string keys and repeated names are reported and left out; each kept entry's site is
    /// recorded under `path.<name>`.
    pub(crate) fn items<'n>(
        &mut self,
        node: &'n Node,
        path: &YamlPath,
        what: &str,
    ) -> Vec<Item<'n>> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(node, path, &format!("a mapping of {what} names to {what}s"));
            return Vec::new();
        };
        let mut items: Vec<Item<'n>> = Vec::with_capacity(entries.len());
        // Where each name is in `items`, for a mapping too big to search (a section of
        // thousands of schemas); small ones (a field's keys) are searched.
        let mut index: Option<HashMap<&'n str, usize>> =
            (entries.len() > LINEAR_SEARCH_MAX).then(|| HashMap::with_capacity(entries.len()));
        for entry in entries {
            let Some(name) = self.key_name(entry, path) else {
                continue;
            };
            let first = match &index {
                Some(index) => index.get(name).and_then(|&at| items.get(at)),
                None => items.iter().find(|item| item.name == name),
            };
            if let Some(first) = first {
                let first_line = first.key_span.map(|span| span.line);
                let problem = self.error(
                    entry.key.span,
                    &path.key(name),
                    format!("duplicate {what} '{name}'"),
                );
                if let Some(line) = first_line {
                    problem.help(format!("'{name}' is already defined on line {line}"));
                }
                continue;
            }
            if self.report.records_sites() {
                self.report.record_site(
                    path.key(name),
                    Site {
                        file: self.file,
                        key: entry.key.span,
                        value: entry.value.span.or(entry.key.span),
                    },
                );
            }
            if let Some(index) = &mut index {
                index.insert(name, items.len());
            }
            items.push(Item {
                name,
                key_span: entry.key.span,
                value: &entry.value,
            });
        }
        items
    }

    /// The text of a mapping key, or a reported problem when the key is not a string.
    fn key_name<'n>(&mut self, entry: &'n Entry, path: &YamlPath) -> Option<&'n str> {
        match &entry.key.value {
            Value::String(name) => Some(name),
            other => {
                let message = format!("expected a string key, found {}", other.kind());
                let problem = self.error(entry.key.span, path, message);
                if matches!(other, Value::Number(_) | Value::Bool(_) | Value::Null) {
                    problem.help("write the key in quotes to make it a string");
                }
                None
            }
        }
    }

    /// Opens a mapping whose keys must be among `allowed`. Unknown keys are reported with the
    /// closest allowed key as a hint; missing required keys are reported at `owner`.
    pub(crate) fn keys<'n>(
        &mut self,
        node: &'n Node,
        path: &YamlPath,
        owner: Option<Span>,
        allowed: &[&'static str],
    ) -> Option<Keys<'n>> {
        if !matches!(node.value, Value::Map(_)) {
            self.wrong_type(node, path, "a mapping");
            return None;
        }
        let mut found = BTreeMap::new();
        for item in self.items(node, path, "key") {
            match allowed.iter().find(|key| **key == item.name) {
                Some(key) => {
                    found.insert(*key, item);
                }
                None => {
                    let help = did_you_mean(item.name, allowed.iter().copied());
                    self.error(
                        item.key_span,
                        &path.key(item.name),
                        format!("unknown key '{}'", item.name),
                    )
                    .maybe_help(
                        help.or_else(|| Some(format!("expected one of: {}", allowed.join(", ")))),
                    );
                }
            }
        }
        Some(Keys {
            path: path.clone(),
            owner: owner.or(node.span),
            found,
        })
    }
}

/// YAML 1.1 spellings of booleans, which YAML 1.2 (and serde_yaml 0.9) reads as strings.
fn is_yaml_1_1_bool(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

impl<'n> Keys<'n> {
    /// The value under `key`, if present.
    pub(crate) fn get(&self, key: &'static str) -> Option<&'n Node> {
        self.found.get(key).map(|item| item.value)
    }

    /// True when `key` is present.
    pub(crate) fn has(&self, key: &'static str) -> bool {
        self.found.contains_key(key)
    }

    /// The span of `key` itself, if present.
    pub(crate) fn key_span(&self, key: &'static str) -> Option<Span> {
        self.found.get(key).and_then(|item| item.key_span)
    }

    /// The path of `key` in this mapping.
    pub(crate) fn path_of(&self, key: &str) -> YamlPath {
        self.path.key(key)
    }

    /// The value under `key`, or a reported "missing key" problem.
    pub(crate) fn required(&self, d: &mut Decoder<'_>, key: &'static str) -> Option<&'n Node> {
        let node = self.get(key);
        if node.is_none() {
            d.error(self.owner, &self.path, format!("missing key '{key}'"));
        }
        node
    }

    /// A required string.
    pub(crate) fn required_string(&self, d: &mut Decoder<'_>, key: &'static str) -> Option<String> {
        let node = self.required(d, key)?;
        d.string(node, &self.path_of(key))
    }

    /// An optional string: `Ok(None)` when absent, `Err(())` when present but not a string.
    pub(crate) fn optional_string(
        &self,
        d: &mut Decoder<'_>,
        key: &'static str,
    ) -> Result<Option<String>, ()> {
        match self.get(key) {
            None => Ok(None),
            Some(node) => d.string(node, &self.path_of(key)).map(Some).ok_or(()),
        }
    }

    /// An optional `true`/`false`, `default` when absent.
    pub(crate) fn flag(
        &self,
        d: &mut Decoder<'_>,
        key: &'static str,
        default: bool,
    ) -> Option<bool> {
        match self.get(key) {
            None => Some(default),
            Some(node) => d.bool(node, &self.path_of(key)),
        }
    }
}
