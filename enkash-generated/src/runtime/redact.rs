//! Keeping secrets out of error messages: bounded body excerpts with known secrets masked.
//!
//! Response bodies end up in errors, and errors end up in logs. EnKash may echo the merchant
//! access key (its `merchantIdentifierKey`/`publicIdentifierKey` fields appear to carry it), so
//! every text taken from a response passes through a [`Redactor`] that knows the secrets of the
//! call: access key, secret key and the bearer token it used.

use std::borrow::Cow;

/// Longest body excerpt kept in an error, in bytes (cut at a UTF-8 character boundary).
pub(crate) const EXCERPT_LIMIT: usize = 1024;

/// What replaces a secret in any text taken from a response.
pub(crate) const MASK: &str = "[REDACTED]";

/// The secrets one call knows about, to be masked wherever response text is kept.
#[derive(Default)]
pub(crate) struct Redactor<'a> {
    secrets: Vec<&'a str>,
}

impl<'a> Redactor<'a> {
    /// A redactor for these secrets; empty and absent ones are ignored.
    pub(crate) fn new(secrets: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        let mut secrets: Vec<&str> = secrets
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        // Longest first, so a secret containing another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        Redactor { secrets }
    }

    /// `text` with every secret replaced by [`MASK`].
    pub(crate) fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if out.contains(secret) {
                out = Cow::Owned(out.replace(secret, MASK));
            }
        }
        out
    }

    fn longest_secret(&self) -> usize {
        self.secrets.first().map_or(0, |s| s.len())
    }

    /// The whole body as (lossy) UTF-8 text with secrets masked.
    pub(crate) fn body_text(&self, body: &[u8]) -> String {
        self.redact(&String::from_utf8_lossy(body)).into_owned()
    }

    /// At most [`EXCERPT_LIMIT`] bytes of the body as text, secrets masked, ending in `…` when
    /// cut. Invalid UTF-8 becomes U+FFFD rather than an error.
    pub(crate) fn excerpt(&self, body: &[u8]) -> String {
        // Look a little past the limit so that a secret straddling the cut is still recognised
        // and masked whole, instead of leaking its first bytes.
        let window = EXCERPT_LIMIT + self.longest_secret() + 4;
        let cut = body.len() > window;
        let text = String::from_utf8_lossy(&body[..body.len().min(window)]);
        let text = self.redact(&text);
        let truncated = truncate_at_char_boundary(&text, EXCERPT_LIMIT);
        if cut || truncated.len() < text.len() {
            format!("{truncated}…")
        } else {
            truncated.to_owned()
        }
    }
}

/// The longest prefix of `text` of at most `limit` bytes that ends on a character boundary.
pub(crate) fn truncate_at_char_boundary(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bodies_are_kept_whole() {
        let r = Redactor::default();
        assert_eq!(
            r.excerpt(b"<html>Bad Gateway</html>"),
            "<html>Bad Gateway</html>"
        );
        assert_eq!(r.excerpt(b""), "");
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(2000);
        let excerpt = Redactor::default().excerpt(body.as_bytes());
        assert!(excerpt.ends_with('…'));
        let kept = excerpt.trim_end_matches('…');
        assert!(kept.len() <= EXCERPT_LIMIT);
        assert!(kept.chars().all(|c| c == 'é'));
    }

    #[test]
    fn invalid_utf8_does_not_fail() {
        assert_eq!(
            Redactor::default().excerpt(&[0x61, 0xff, 0x62]),
            "a\u{fffd}b"
        );
    }

    #[test]
    fn secrets_are_masked_even_across_the_cut() {
        let secret = "SECRET-KEY-VALUE-123";
        let r = Redactor::new([Some(secret), None, Some("")]);
        let mut body = "x".repeat(EXCERPT_LIMIT - 5);
        body.push_str(secret);
        body.push_str(&"y".repeat(100));
        let excerpt = r.excerpt(body.as_bytes());
        assert!(!excerpt.contains("SECRE"), "{excerpt}");
        assert!(r.body_text(body.as_bytes()).contains(MASK));
    }

    #[test]
    fn overlapping_secrets_are_masked_whole() {
        let r = Redactor::new([Some("abc"), Some("abcdef")]);
        assert_eq!(r.redact("xxabcdefyy abc"), "xx[REDACTED]yy [REDACTED]");
    }
}
