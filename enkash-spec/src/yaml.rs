//! The only module that reads YAML. It turns a file's text into a [`Node`] tree in which every
//! key and scalar knows its line and column ([`Positions::Track`]), or, much faster, one without
//! positions ([`Positions::Skip`]) for a spec that turns out to have no problems.
//!
//! serde_yaml 0.9 keeps no positions for a valid document, but it does attach the position of the
//! current event to an error raised by a visitor (`fix_mark`). So every scalar (key or value) is
//! read by a visitor that records the scalar and then *fails* with a marker message; the caller
//! catches that error, reads the position from it, and carries on with the next event. Scalars
//! are single events, so failing after reading one leaves the event stream exactly where a
//! successful read would. Mappings and sequences are built normally; their position is that of
//! their first key or element (which is where libyaml puts a block collection's start).
//!
//! serde_yaml's `Error` is only visible here as the generic error type of the map and sequence
//! accessors, which offers nothing but `Display`. The position is therefore read back from the
//! message, whose format (`<message> at line L column C`) is fixed in serde_yaml 0.9 and covered
//! by the tests below.
//!
//! Without positions, strings, booleans and nulls are built straight from the visitor. Numbers
//! still take the probe: the model keeps a number as written (`100.00`), which only the file's
//! line can tell, so the parser needs the number's position to find it. The nodes of such a parse
//! carry no span at all; the same file parsed with positions gives the same values.

use std::cell::{Cell, OnceCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, Visitor};

use crate::source::{Span, collection_start, plain_token, scalar_width, split_lines};

/// A YAML value with the position of its first character, when the parser reported one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts; for a mapping or sequence, where its first entry starts
    /// (`None` for an empty one).
    pub span: Option<Span>,
}

impl Node {
    /// A node without a position.
    fn unplaced(value: Value) -> Node {
        Node { value, span: None }
    }
}

/// The value of a [`Node`]. Scalars are kept as text where the spec may want text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false` (YAML 1.2: `yes`, `no`, `on`, `off` are strings).
    Bool(bool),
    /// An unquoted number, as written (`100.00` stays `100.00`).
    Number(String),
    /// Any other scalar.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order, duplicates kept (the decoder reports them).
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The key (usually a string, but YAML allows any node).
    pub key: Node,
    /// The value.
    pub value: Node,
}

impl Value {
    /// What the value is, for messages: "a string", "a list", ...
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The scalar as written, for a string, number or boolean.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match self {
            Value::String(text) | Value::Number(text) => Some(text.clone()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// A file that is not valid YAML (or not a single document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// What the parser said, without its position.
    pub message: String,
    /// Where, when the parser said.
    pub span: Option<Span>,
}

/// Deepest nesting of mappings and sequences accepted (the spec needs about six).
const MAX_DEPTH: usize = 64;

/// Most nodes built for one file; stops alias expansion from exhausting memory.
const MAX_NODES: usize = 1_000_000;

/// The message of the error a scalar visitor raises to learn its position. The NULs keep it
/// from colliding with anything a YAML file can make serde_yaml say.
const PROBE: &str = "\u{0}enkash-position-probe\u{0}";

/// Starts the message of an error this module raises itself (not a probe), so that the
/// location-free message can be cut out of serde_yaml's `<path>: <message> at ...` display.
const OWN: &str = "\u{1}";

/// Whether a parse records where each node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Positions {
    /// Every node gets its span: slower (see the module doc), needed to locate problems.
    Track,
    /// No node gets a span. The values are the same as with `Track`; syntax errors are still
    /// located.
    Skip,
}

/// Parses one YAML document. An empty document (or only comments) is `Value::Null`.
pub(crate) fn parse(text: &str, positions: Positions) -> Result<Node, SyntaxError> {
    let reader = Reader {
        text,
        lines: OnceCell::new(),
        positions,
        nodes: Cell::new(0),
    };
    let mut probed = None;
    let seed = NodeSeed {
        reader: &reader,
        probed: &mut probed,
        depth: 0,
    };
    let result = seed.deserialize(serde_yaml::Deserializer::from_str(text));
    match result {
        Ok(node) => Ok(node),
        Err(err) => {
            let message = err.to_string();
            if let (Some(span), Some(scalar)) = (probe_position(&message), probed.take()) {
                return Ok(reader.scalar_node(scalar, span));
            }
            if message == "EOF while parsing a value" && err.location().is_none() {
                // serde_yaml's answer for a stream without any document.
                return Ok(Node {
                    value: Value::Null,
                    span: None,
                });
            }
            let span = err.location().map(|at| Span::point(at.line(), at.column()));
            Err(SyntaxError {
                message: without_position(&message, span),
                span: span.or_else(|| second_document(reader.lines())),
            })
        }
    }
}

/// Removes serde_yaml's " at line L column C" for the reported position from `message`, and
/// the path serde_yaml puts before this module's own messages.
fn without_position(message: &str, span: Option<Span>) -> String {
    if let Some((_, own)) = message.rsplit_once(OWN) {
        let end = own.find(" at line ").unwrap_or(own.len());
        return own.get(..end).unwrap_or(own).to_string();
    }
    match span {
        Some(span) => {
            let suffix = format!(" at line {} column {}", span.line, span.column);
            message.replacen(&suffix, "", 1)
        }
        None => message.to_string(),
    }
}

/// For "more than one document": the line of the second `---`, which is where the problem is.
fn second_document(lines: &[&str]) -> Option<Span> {
    let mut content_seen = false;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if line.starts_with("---") && content_seen {
            return Some(Span::point(index + 1, 1));
        }
        if !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('%') {
            content_seen = true;
        }
    }
    None
}

/// The position in a probe error's message, if the message is a probe's.
fn probe_position(message: &str) -> Option<Span> {
    let after = message.get(message.rfind(PROBE)? + PROBE.len()..)?;
    if after.is_empty() {
        // serde_yaml leaves the position out for line 1, column 1.
        return Some(Span::point(1, 1));
    }
    let (line, column) = after.strip_prefix(" at line ")?.split_once(" column ")?;
    Some(Span::point(line.parse().ok()?, column.parse().ok()?))
}

/// A scalar read by a visitor, before its position is known.
enum Scalar {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Text(String),
}

/// What every node of one parse shares: the file's lines (to measure scalars and read numbers as
/// written), whether nodes get spans, and a node count.
struct Reader<'r> {
    text: &'r str,
    /// Split on first use: a parse without positions only needs them for numbers.
    lines: OnceCell<Vec<&'r str>>,
    positions: Positions,
    nodes: Cell<usize>,
}

impl<'r> Reader<'r> {
    /// The file's lines, as libyaml counts them.
    fn lines(&self) -> &[&'r str] {
        self.lines.get_or_init(|| split_lines(self.text))
    }

    /// The 1-based line `line` of the file, or `""`.
    fn line(&self, line: usize) -> &'r str {
        line.checked_sub(1)
            .and_then(|index| self.lines().get(index))
            .copied()
            .unwrap_or("")
    }

    /// Builds the node of a scalar found at `at` (without a span when positions are skipped).
    fn scalar_node(&self, scalar: Scalar, at: Span) -> Node {
        let line = self.line(at.line);
        let value = match scalar {
            Scalar::Null => Value::Null,
            Scalar::Bool(flag) => Value::Bool(flag),
            Scalar::Int(number) => Value::Number(
                written_number(line, at, |token| token.parse::<i128>().ok() == Some(number))
                    .unwrap_or_else(|| number.to_string()),
            ),
            Scalar::Float(number) => Value::Number(
                written_number(line, at, |token| token.parse::<f64>().ok() == Some(number))
                    .unwrap_or_else(|| number.to_string()),
            ),
            Scalar::Text(text) => Value::String(text),
        };
        if self.positions == Positions::Skip {
            return Node::unplaced(value);
        }
        // Null, booleans and numbers are plain tokens; strings are measured by their text.
        let text = match &value {
            Value::String(text) => Some(text.clone()),
            _ => Some(plain_token(line, at.column)),
        };
        let width = scalar_width(line, at.column, text.as_deref());
        Node {
            value,
            span: Some(Span { width, ..at }),
        }
    }
}

/// The number as written in the file (`100.00`), when the token at `at` reads back as the
/// number serde_yaml parsed (`same`); else `None` and the caller formats the number.
fn written_number(line: &str, at: Span, same: impl Fn(&str) -> bool) -> Option<String> {
    let token = plain_token(line, at.column);
    let unsigned = token.strip_prefix('+').unwrap_or(&token);
    same(unsigned).then_some(token)
}

/// Reads any node. Scalars are reported through `probed` and a probe error (see module doc).
struct NodeSeed<'s, 'r> {
    reader: &'s Reader<'r>,
    probed: &'s mut Option<Scalar>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Node;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl NodeSeed<'_, '_> {
    /// Records a scalar and fails with the probe message so serde_yaml adds the position.
    /// Without positions, a scalar other than a number is returned at once.
    fn probe<E: de::Error>(self, scalar: Scalar) -> Result<Node, E> {
        if self.reader.positions == Positions::Skip {
            match scalar {
                Scalar::Null => return Ok(Node::unplaced(Value::Null)),
                Scalar::Bool(flag) => return Ok(Node::unplaced(Value::Bool(flag))),
                Scalar::Text(text) => return Ok(Node::unplaced(Value::String(text))),
                // The number as written is on its line: it needs the position.
                Scalar::Int(_) | Scalar::Float(_) => {}
            }
        }
        *self.probed = Some(scalar);
        Err(E::custom(PROBE))
    }

    /// Counts one more node; fails once the file has produced too many.
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let nodes = self.reader.nodes.get() + 1;
        self.reader.nodes.set(nodes);
        if nodes > MAX_NODES {
            return Err(E::custom(format!(
                "{OWN}the document expands to more than {MAX_NODES} values (aliases?)"
            )));
        }
        Ok(())
    }

    /// Reads the next node through `read`, turning a probe error back into a scalar node.
    fn child<E: de::Error>(
        &self,
        read: impl FnOnce(NodeSeed<'_, '_>) -> Result<Option<Node>, E>,
    ) -> Result<Option<Node>, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "{OWN}mappings and lists are nested more than {MAX_DEPTH} deep"
            )));
        }
        let mut probed = None;
        let result = read(NodeSeed {
            reader: self.reader,
            probed: &mut probed,
            depth: self.depth + 1,
        });
        match result {
            Ok(node) => Ok(node),
            Err(err) => {
                let span = probe_position(&err.to_string());
                match (span, probed) {
                    (Some(span), Some(scalar)) => Ok(Some(self.reader.scalar_node(scalar, span))),
                    _ => Err(err),
                }
            }
        }
    }
}

impl Reader<'_> {
    /// The position of a collection: its opening `[` / `{` or first `-` when that is on its
    /// first entry's line, else its first entry's; one character wide.
    fn collection_span(&self, first: Option<&Node>) -> Option<Span> {
        let span = first.and_then(|node| node.span)?;
        let line = self.line(span.line);
        let column = collection_start(line, span.column).unwrap_or(span.column);
        Some(Span::point(span.line, column))
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_, '_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        self.probe(Scalar::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        self.probe(Scalar::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        self.probe(Scalar::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        self.probe(Scalar::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        match i128::try_from(v) {
            Ok(v) => self.probe(Scalar::Int(v)),
            Err(_) => self.probe(Scalar::Text(v.to_string())),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        self.probe(Scalar::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        self.probe(Scalar::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        self.probe(Scalar::Text(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        self.probe(Scalar::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        self.probe(Scalar::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        self.count()?;
        let mut items = Vec::new();
        while let Some(item) = self.child(|seed| seq.next_element_seed(seed))? {
            self.count()?;
            items.push(item);
        }
        Ok(Node {
            span: self.reader.collection_span(items.first()),
            value: Value::Seq(items),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        self.count()?;
        let mut entries = Vec::new();
        while let Some(key) = self.child(|seed| map.next_key_seed(seed))? {
            let value = self.child(|seed| map.next_value_seed(seed).map(Some))?;
            let value = value.unwrap_or(Node {
                value: Value::Null,
                span: None,
            });
            self.count()?;
            entries.push(Entry { key, value });
        }
        Ok(Node {
            span: self
                .reader
                .collection_span(entries.first().map(|entry| &entry.key)),
            value: Value::Map(entries),
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, _data: A) -> Result<Node, A::Error> {
        // serde_yaml presents a tagged value (`!name value`) as an enum.
        Err(de::Error::custom(format!(
            "{OWN}YAML tags (`!name`) are not supported in the spec"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_tracked(text: &str) -> Result<Node, SyntaxError> {
        parse(text, Positions::Track)
    }

    fn at(node: &Node) -> (usize, usize, usize) {
        node.span.map_or((0, 0, 0), |s| (s.line, s.column, s.width))
    }

    fn entries(node: &Node) -> &[Entry] {
        match &node.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    #[test]
    fn locates_keys_and_scalars() {
        let text = "a: 1\nbb:\n  c: \"x y\"\n  d: [100.00, true, ~]\né: ü\n";
        let root = parse_tracked(text).unwrap();
        let top = entries(&root);
        assert_eq!(at(&top[0].key), (1, 1, 1));
        assert_eq!(top[0].value.value, Value::Number("1".into()));
        assert_eq!(at(&top[1].key), (2, 1, 2));
        let inner = entries(&top[1].value);
        assert_eq!(at(&top[1].value), (3, 3, 1));
        assert_eq!(at(&inner[0].value), (3, 6, 5));
        let Value::Seq(items) = &inner[1].value.value else {
            panic!("not a list")
        };
        assert_eq!(items[0].value, Value::Number("100.00".into()));
        assert_eq!(at(&items[0]), (4, 7, 6));
        assert_eq!(items[1].value, Value::Bool(true));
        assert_eq!(items[2].value, Value::Null);
        // Columns count characters, not bytes.
        assert_eq!(at(&top[2].value), (5, 4, 1));
    }

    #[test]
    fn keeps_duplicates_and_odd_keys() {
        let root = parse_tracked("a: 1\na: 2\n1: x\n~: y\n[k]: z\n").unwrap();
        let keys: Vec<_> = entries(&root).iter().map(|e| e.key.value.kind()).collect();
        assert_eq!(
            keys,
            [
                "a string",
                "a string",
                "a number",
                "nothing (null)",
                "a list"
            ]
        );
    }

    #[test]
    fn yaml_1_2_booleans_only() {
        let root = parse_tracked("a: yes\nb: ON\nc: True\n").unwrap();
        let values: Vec<_> = entries(&root)
            .iter()
            .map(|e| e.value.value.clone())
            .collect();
        assert_eq!(
            values,
            [
                Value::String("yes".into()),
                Value::String("ON".into()),
                Value::Bool(true)
            ]
        );
    }

    #[test]
    fn empty_documents_and_scalars() {
        assert_eq!(parse_tracked("").unwrap().value, Value::Null);
        assert_eq!(parse_tracked("# nothing\n").unwrap().value, Value::Null);
        assert_eq!(
            parse_tracked("hello").unwrap().value,
            Value::String("hello".into())
        );
    }

    #[test]
    fn reports_syntax_errors_with_positions() {
        let err = parse_tracked("a: 1\n b: 2\n").unwrap_err();
        assert_eq!(err.span.map(|s| s.line), Some(2));
        assert!(
            !err.message.contains(" at line 2 column"),
            "{}",
            err.message
        );
        let err = parse_tracked("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.span.map(|s| s.line), Some(2));
        let err = parse_tracked("a: !tag x\n").unwrap_err();
        assert_eq!(
            err.message,
            "YAML tags (`!name`) are not supported in the spec"
        );
        assert_eq!(err.span, Some(Span::point(1, 4)));
        let err = parse_tracked(&format!("{}1{}", "[".repeat(70), "]".repeat(70))).unwrap_err();
        assert_eq!(
            err.message,
            "mappings and lists are nested more than 64 deep"
        );
    }

    #[test]
    fn bounds_nesting() {
        let deep = "[".repeat(10_000);
        assert!(parse_tracked(&deep).is_err());
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse_tracked(&deep).is_err());
    }

    /// `node` with every span removed.
    fn unplaced(node: &Node) -> Node {
        let value = match &node.value {
            Value::Seq(items) => Value::Seq(items.iter().map(unplaced).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|entry| Entry {
                        key: unplaced(&entry.key),
                        value: unplaced(&entry.value),
                    })
                    .collect(),
            ),
            scalar => scalar.clone(),
        };
        Node::unplaced(value)
    }

    #[test]
    fn same_values_without_positions() {
        let texts = [
            "a: 1\nbb:\n  c: \"x y\"\n  d: [100.00, true, ~, +5, 0x1F, .inf, 007]\né: ü\n",
            "a: 1\na: 2\n1: x\n~: y\n[k]: z\n",
            "a: yes\nb: ON\nc: True\n",
            "a: &x {b: 1.50}\nc: *x\nd: [*x, *x]\n",
            "- 1\n- - 2.0\n  - {k: 3e2}\n",
            "",
            "# nothing\n",
            "hello",
            "12.50",
            "~",
        ];
        for text in texts {
            let skipped = parse(text, Positions::Skip).unwrap();
            assert_eq!(skipped, unplaced(&skipped), "a span in {text:?}");
            assert_eq!(skipped, unplaced(&parse_tracked(text).unwrap()), "{text:?}");
        }
        let Value::Seq(items) = &parse("[100.00, +5, 0x1F]", Positions::Skip).unwrap().value else {
            panic!("not a list")
        };
        let numbers: Vec<_> = items.iter().map(|item| item.value.clone()).collect();
        assert_eq!(
            numbers,
            ["100.00", "+5", "31"].map(|n| Value::Number(n.into()))
        );
        for text in ["a: 1\n b: 2\n", "a: 1\n---\nb: 2\n", "a: !tag x\n", "[[[[1"] {
            assert_eq!(
                parse(text, Positions::Skip).unwrap_err(),
                parse_tracked(text).unwrap_err(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn survives_aliases() {
        let root = parse_tracked("a: &x {b: 1}\nc: *x\n").unwrap();
        assert_eq!(entries(&root).len(), 2);
    }
}
