//! Lines and columns of a spec file, counted the way the YAML parser counts them.
//!
//! libyaml breaks lines at `\n`, `\r\n`, a lone `\r`, and the Unicode breaks NEL, LS and PS, and
//! counts columns in characters. The renderer must find the same line the parser reported, so
//! the splitting here follows libyaml rather than `str::lines`.

/// A position in a file: 1-based line and 1-based column (in characters), plus how many
/// characters the offending scalar or key covers (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Number of characters to underline (at least 1).
    pub width: usize,
}

impl Span {
    /// A one-character span at `line`:`column`.
    pub(crate) fn point(line: usize, column: usize) -> Span {
        Span {
            line: line.max(1),
            column: column.max(1),
            width: 1,
        }
    }
}

/// The lines of `text` as libyaml sees them, without their line breaks. A leading byte-order mark
/// is dropped: libyaml does not count it as a column.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    if text.is_ascii() && !text.contains('\r') {
        // Only `\n` breaks lines, and core's search for it is faster than the loop below.
        return text.split('\n').collect();
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut at = 0;
    // Bytes, not chars: every break starts with a byte that is never inside another character
    // (`\n`, `\r`, or the lead byte of NEL `C2 85`, LS `E2 80 A8`, PS `E2 80 A9`).
    while let Some(&byte) = bytes.get(at) {
        let break_len = match byte {
            b'\n' => 1,
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => 2,
            b'\r' => 1,
            0xC2 if bytes.get(at + 1) == Some(&0x85) => 2,
            0xE2 if bytes.get(at + 1) == Some(&0x80)
                && matches!(bytes.get(at + 2), Some(0xA8 | 0xA9)) =>
            {
                3
            }
            _ => {
                at += 1;
                continue;
            }
        };
        lines.push(text.get(start..at).unwrap_or(""));
        at += break_len;
        start = at;
    }
    lines.push(text.get(start..).unwrap_or(""));
    lines
}

/// The 1-based `line` of `lines`, if there is one.
pub(crate) fn line_text<'a>(lines: &[&'a str], line: usize) -> Option<&'a str> {
    lines.get(line.checked_sub(1)?).copied()
}

/// How many characters the scalar starting at `column` of `line` covers.
///
/// `text` is the scalar's value when it is known. Quoted scalars run to their closing quote,
/// plain ones to the end of the value (`text` when the line shows it verbatim, else up to a
/// comment or the end of the line). Block scalars (`|`, `>`), anchors and tags get one
/// character: their text is on other lines or is not the value.
pub(crate) fn scalar_width(line: &str, column: usize, text: Option<&str>) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let Some(&first) = rest.first() else {
        return 1;
    };
    let width = match first {
        '"' => closing_quote(&rest, '"'),
        '\'' => closing_quote(&rest, '\''),
        '|' | '>' | '&' | '!' | '*' => 1,
        _ => plain_width(&rest, text),
    };
    width.max(1)
}

/// Characters up to and including the quote that closes the one at `rest[0]`, or the rest of
/// the line when the scalar continues on the next line.
fn closing_quote(rest: &[char], quote: char) -> usize {
    let mut i = 1;
    while i < rest.len() {
        let c = rest.get(i).copied().unwrap_or(quote);
        if quote == '"' && c == '\\' {
            i += 2;
            continue;
        }
        if c == quote {
            // In single quotes, `''` is an escaped quote, not the end.
            if quote == '\'' && rest.get(i + 1) == Some(&'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    trimmed_len(rest)
}

/// Width of a plain scalar: its text when the line shows it verbatim, else up to ` #` or the
/// end of the line, or up to a flow indicator for a single token.
fn plain_width(rest: &[char], text: Option<&str>) -> usize {
    if let Some(text) = text.filter(|t| !t.is_empty() && !t.contains(['\n', '\r'])) {
        let n = text.chars().count();
        if rest.len() >= n && rest.iter().take(n).copied().eq(text.chars()) {
            return n;
        }
    }
    let mut end = rest.len();
    for (i, pair) in rest.windows(2).enumerate() {
        if pair.first().is_some_and(|c| c.is_whitespace()) && pair.get(1) == Some(&'#') {
            end = i;
            break;
        }
    }
    trimmed_len(rest.get(..end).unwrap_or(rest))
}

/// Length of `chars` without trailing whitespace.
fn trimmed_len(chars: &[char]) -> usize {
    chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count()
}

/// The plain token starting at `column` of `line`: characters up to whitespace, a comment, or a
/// flow indicator (`,`, `]`, `}`). Used to recover how a number was written (`100.00`).
pub(crate) fn plain_token(line: &str, column: usize) -> String {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let mut token = String::new();
    for (index, &c) in rest.iter().enumerate() {
        // `: ` ends a key (`~: x`, `1: x`); a colon inside a token (`12:30`) does not.
        let ends_key = c == ':' && rest.get(index + 1).is_none_or(|next| next.is_whitespace());
        if c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#') || ends_key {
            break;
        }
        token.push(c);
    }
    token
}

/// The column of the flow bracket (`[`, `{`) or block sequence dash (`-`) just before
/// `column` on `line`, if there is one: where a collection whose first entry is at `column`
/// starts.
pub(crate) fn collection_start(line: &str, column: usize) -> Option<usize> {
    let before: Vec<char> = line.chars().take(column.saturating_sub(1)).collect();
    let index = before.iter().rposition(|c| !c.is_whitespace())?;
    matches!(before.get(index), Some('[' | '{' | '-')).then_some(index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_libyaml() {
        assert_eq!(
            split_lines("a\nb\r\nc\rd\u{2028}e"),
            ["a", "b", "c", "d", "e"]
        );
        assert_eq!(split_lines("\u{feff}x\n"), ["x", ""]);
        assert_eq!(split_lines(""), [""]);
    }

    /// The splitting of `split_lines`, one character at a time.
    fn split_by_chars(text: &str) -> Vec<&str> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let break_len = match c {
                '\r' if chars.next_if(|(_, next)| *next == '\n').is_some() => 2,
                '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => c.len_utf8(),
                _ => continue,
            };
            lines.push(&text[start..at]);
            start = at + break_len;
        }
        lines.push(&text[start..]);
        lines
    }

    proptest::proptest! {
        #[test]
        fn splits_bytes_like_chars(
            text in "[a\u{85}\u{2028}\u{2029}\u{feff}\u{a0}\u{2027}\u{2030}\u{e000}\u{c5}\r\né]{0,24}",
            ascii in "[a \r\n]{0,24}",
        ) {
            proptest::prop_assert_eq!(split_lines(&text), split_by_chars(&text));
            proptest::prop_assert_eq!(split_lines(&ascii), split_by_chars(&ascii));
        }
    }

    #[test]
    fn measures_scalars() {
        assert_eq!(scalar_width("  response: Orderr", 13, Some("Orderr")), 6);
        assert_eq!(scalar_width("  a: \"x\\\"y\" # c", 6, Some("x\"y")), 6);
        assert_eq!(scalar_width("  a: 'it''s'", 6, Some("it's")), 7);
        assert_eq!(scalar_width("  doc: |", 8, None), 1);
        assert_eq!(scalar_width("  a: some text # comment", 6, None), 9);
        assert_eq!(scalar_width("short", 40, None), 1);
        assert_eq!(plain_token("  ex: 100.00 # x", 7), "100.00");
        assert_eq!(plain_token("[1.50, 2]", 2), "1.50");
        assert_eq!(plain_token("~: x", 1), "~");
        assert_eq!(plain_token("at: 12:30", 5), "12:30");
        assert_eq!(collection_start("doc: [a, b]", 7), Some(6));
        assert_eq!(collection_start("  - a", 5), Some(3));
        assert_eq!(collection_start("  key: v", 3), None);
    }
}
