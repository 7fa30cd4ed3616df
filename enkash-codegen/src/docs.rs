//! Doc comments from spec text. Spec text is prose copied from EnKash's pages, so everything that
//! rustdoc would read as markup it was not meant to be (`[S7]` as a link, `<accessKey>` as HTML, a
//! bare URL) is escaped; URLs become autolinks.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for `text` (already Markdown), one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .trim_end()
        .lines()
        .map(|line| format!(" {line}"))
        .collect();
    let lines = lines.iter().map(|line| {
        if line.trim().is_empty() {
            ""
        } else {
            line.as_str()
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Inner `#![doc = ...]` attributes for a module.
pub fn module_doc(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .trim_end()
        .lines()
        .map(|line| format!(" {line}"))
        .collect();
    let lines = lines.iter().map(|line| {
        if line.trim().is_empty() {
            ""
        } else {
            line.as_str()
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Spec prose as Markdown: every line escaped (see [`escape`]).
pub fn prose(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(escape)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A Markdown link to an EnKash doc page.
pub fn link(title: &str, url: &str) -> String {
    format!("[{}]({url})", title.replace(['[', ']'], ""))
}

/// Escapes rustdoc markup in one line of prose and turns bare URLs into autolinks. Text inside
/// backticks is left alone.
pub fn escape(line: &str) -> String {
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
    use super::escape;

    #[test]
    fn escapes_markup_but_not_code() {
        assert_eq!(escape("see [S7] <key>"), r"see \[S7\] \<key\>");
        assert_eq!(escape("`a_b<c>`"), "`a_b<c>`");
        assert_eq!(escape("at https://x.in/a."), "at <https://x.in/a>.");
    }
}
