//! Located errors about a spec, rendered like rustc's:
//!
//! ```text
//! error: unknown type 'Orderr'
//!  --> orders.yaml:41:17
//!    |
//! 41 |     response: Orderr
//!    |               ^^^^^^
//!    = at: operations.create_order.response
//! help: did you mean 'Order'?
//! ```

use std::fmt;

/// Columns a tab occupies when a source line is shown (as rustc shows them).
const TAB_WIDTH: usize = 4;

/// One problem in the spec, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong.
    pub message: String,
    /// File name relative to the spec folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// YAML path (`operations.create_order.response`); `(root)` for a file's root.
    pub path: String,
    /// A suggestion.
    pub help: Option<String>,
    /// The text of line `line`, when the file has that line.
    pub source_line: Option<String>,
    /// How many characters from `column` to underline (at least 1).
    pub width: usize,
}

/// Every problem found in one load, sorted by file, line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// The problems, in file and line order.
    pub errors: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Sorts the problems by file, line, column, then message and path, so the output is the
    /// same whatever order the checks ran in; drops exact repeats.
    pub fn sort(&mut self) {
        self.errors.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message, &a.path, &a.help)
                .cmp(&(&b.file, b.line, b.column, &b.message, &b.path, &b.help))
        });
        self.errors.dedup();
    }

    /// The summary line printed after the errors.
    pub fn summary(&self) -> String {
        match self.errors.len() {
            1 => "error: could not load the spec due to 1 previous error".to_string(),
            n => format!("error: could not load the spec due to {n} previous errors"),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(f, "error: {}", self.message)?;
        // The arrow ends where the gutter's bar is, as in the spec format's example.
        let arrow_indent = " ".repeat(gutter.saturating_sub(1).max(1));
        writeln!(
            f,
            "{arrow_indent}--> {}:{}:{}",
            self.file, self.line, self.column
        )?;
        if let Some(source) = &self.source_line {
            let (shown, offset, width) = underline(source, self.column, self.width);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", self.line, shown.trim_end())?;
            writeln!(f, "{pad} | {}{}", " ".repeat(offset), "^".repeat(width))?;
        }
        writeln!(f, "{pad} = at: {}", self.path)?;
        if let Some(help) = &self.help {
            writeln!(f, "help: {help}")?;
        }
        Ok(())
    }
}

/// The line as shown (tabs expanded, control characters replaced so they cannot act on the
/// terminal), and the display offset and width of the underline for `column`/`width`, clamped
/// to the line.
fn underline(source: &str, column: usize, width: usize) -> (String, usize, usize) {
    let mut shown = String::new();
    let mut offset = None;
    let mut end = None;
    let start = column.saturating_sub(1);
    let stop = start.saturating_add(width.max(1));
    for (index, c) in source.chars().enumerate() {
        if index == start {
            offset = Some(shown.chars().count());
        }
        if index == stop {
            end = Some(shown.chars().count());
        }
        match c {
            '\t' => shown.push_str(&" ".repeat(TAB_WIDTH)),
            c if c.is_control() => shown.push('\u{fffd}'),
            c => shown.push(c),
        }
    }
    let len = shown.chars().count();
    // A column past the end (an error at the end of a line) points just after the text.
    let offset = offset.unwrap_or(len);
    let end = end.unwrap_or(len).max(offset + 1);
    (shown, offset, end - offset)
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "{error}")?;
        }
        write!(f, "{}", self.summary())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(line: usize, column: usize, width: usize, source: Option<&str>) -> Diagnostic {
        Diagnostic {
            message: "unknown type 'Orderr'".into(),
            file: "orders.yaml".into(),
            line,
            column,
            path: "operations.create_order.response".into(),
            help: Some("did you mean 'Order'?".into()),
            source_line: source.map(String::from),
            width,
        }
    }

    #[test]
    fn renders_like_the_spec_format_example() {
        let shown = diagnostic(41, 15, 6, Some("    response: Orderr")).to_string();
        let expected = "\
error: unknown type 'Orderr'
 --> orders.yaml:41:15
   |
41 |     response: Orderr
   |               ^^^^^^
   = at: operations.create_order.response
help: did you mean 'Order'?
";
        assert_eq!(shown, expected);
    }

    #[test]
    fn clamps_odd_columns() {
        for (column, width, source) in [
            (0, 0, ""),
            (99, 3, "short"),
            (2, 99, "\ta: é\u{1b}"),
            (usize::MAX, usize::MAX, "x"),
        ] {
            let shown = diagnostic(7, column, width, Some(source)).to_string();
            assert!(shown.contains('^'), "{shown}");
        }
        assert_eq!(underline("\tx", 2, 1), ("    x".to_string(), 4, 1));
        let shown = diagnostic(7, 1, 1, None).to_string();
        assert!(!shown.contains('^'));
    }

    #[test]
    fn summarises() {
        let mut diagnostics = Diagnostics {
            errors: vec![diagnostic(2, 1, 1, None), diagnostic(1, 1, 1, None)],
        };
        diagnostics.sort();
        assert_eq!(diagnostics.errors[0].line, 1);
        assert!(
            diagnostics
                .to_string()
                .ends_with("due to 2 previous errors")
        );
    }
}
