//! Doc comments from spec text. Spec text is prose copied from EnKash's pages, so everything that
//! rustdoc would read as markup it was not meant to be (`[S7]` as a link, `<accessKey>` as HTML, a
//! bare URL) is escaped; URLs become autolinks.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for `text` (already Markdown), one per line.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    doc_attributes(text, false)
}

/// Inner `#![doc = ...]` attributes for a module, one per line.
pub(crate) fn module_doc(text: &str) -> TokenStream {
    doc_attributes(text, true)
}

/// One doc attribute per line of `text`, inner (`#![doc]`) or outer (`#[doc]`). A line is
/// printed after a space (`/// text`); a blank line stays empty (`///`).
fn doc_attributes(text: &str, inner: bool) -> TokenStream {
    let attrs = text.trim_end().lines().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        }
    });
    quote! { #(#attrs)* }
}

/// The first sentence of spec prose, on one line: everything up to the first `.`, `!` or `?`
/// that is followed by whitespace or ends the text, outside parentheses and code spans (line
/// breaks count as spaces). The whole text when no sentence ends.
pub(crate) fn first_sentence(text: &str) -> String {
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut depth = 0usize;
    let mut in_code = false;
    let mut end = None;
    for (at, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '(' if !in_code => depth += 1,
            ')' if !in_code => depth = depth.saturating_sub(1),
            '.' | '!' | '?' if !in_code && depth == 0 => {
                let after = at + c.len_utf8();
                if text[after..].is_empty() || text[after..].starts_with(' ') {
                    end = Some(after);
                    break;
                }
            }
            _ => {}
        }
    }
    if let Some(end) = end {
        text.truncate(end);
    }
    text
}

/// Spec prose as Markdown: every line escaped (see [`escape`]).
pub(crate) fn prose(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(escape)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Markdown link to an EnKash doc page.
pub(crate) fn link(title: &str, url: &str) -> String {
    format!("[{}]({url})", title.replace(['[', ']'], ""))
}

/// Escapes rustdoc markup in one line of prose and turns bare URLs into autolinks. Text inside
/// backticks is left alone.
pub(crate) fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        } else if !in_code && matches!(c, '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if in_code {
        // An unbalanced backtick would swallow the following lines into a code span.
        out.push('`');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{doc_attrs, escape, first_sentence, module_doc};

    #[test]
    fn escapes_markup_but_not_code() {
        assert_eq!(escape("see [S7] <key>"), r"see \[S7\] \<key\>");
        assert_eq!(escape("`a_b<c>`"), "`a_b<c>`");
        assert_eq!(escape("at https://x.in/a."), "at <https://x.in/a>.");
    }

    #[test]
    fn outer_and_inner_docs_differ_only_in_the_bang() {
        let text = "One.\n\n  \nTwo.\n";
        assert_eq!(
            doc_attrs(text).to_string(),
            quote::quote!(#[doc = " One."] #[doc = ""] #[doc = ""] #[doc = " Two."]).to_string()
        );
        assert_eq!(
            module_doc(text).to_string(),
            quote::quote!(#![doc = " One."] #![doc = ""] #![doc = ""] #![doc = " Two."])
                .to_string()
        );
    }

    #[test]
    fn first_sentence_spans_lines_but_not_parentheses_or_code() {
        assert_eq!(
            first_sentence("Deactivates an account. The path is not published (by\nanalogy)."),
            "Deactivates an account."
        );
        assert_eq!(
            first_sentence(
                "Returns a refund (V5 only; renamed \"Get. Status\";\nmarked). The path."
            ),
            "Returns a refund (V5 only; renamed \"Get. Status\"; marked)."
        );
        assert_eq!(
            first_sentence("Lists `a. b` options, presumably with the\n`x` values. Path."),
            "Lists `a. b` options, presumably with the `x` values."
        );
        assert_eq!(
            first_sentence("See https://x.in/a.b for more"),
            "See https://x.in/a.b for more"
        );
        assert_eq!(first_sentence("Done!\nNext."), "Done!");
        assert_eq!(first_sentence(""), "");
    }
}
