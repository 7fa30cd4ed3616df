//! "Did you mean ...?" hints: the closest known name to a misspelt one.

/// Names longer than this are not compared (the spec's names are short; this bounds the work
/// a hostile file can cause).
const MAX_LEN: usize = 64;

/// The candidate closest to `word`, if one is close enough to be a likely typo: a match that
/// differs only in case, or within an edit distance of about a third of the word's length
/// (at least 1), as rustc does.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_len = word.chars().count();
    if word_len == 0 || word_len > MAX_LEN {
        return None;
    }
    let limit = (word_len / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word || candidate.chars().count() > MAX_LEN {
            continue;
        }
        let distance = if candidate.eq_ignore_ascii_case(word) {
            0
        } else {
            edit_distance(word, candidate)
        };
        // Strictly smaller keeps the first of equally close candidates: deterministic for
        // candidates given in a fixed order.
        if distance <= limit && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `help: did you mean 'X'?` for the closest candidate, if any.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|name| format!("did you mean '{name}'?"))
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost 1 (`requird` -> `required` is 1, `tpye` -> `type` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // rows[i * width + j] is the distance between a[..i] and b[..j].
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (i, row) in rows.chunks_mut(width).enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i;
        }
    }
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let at = |i: usize, j: usize| rows.get(i * width + j).copied().unwrap_or(usize::MAX);
            let same = a.get(i - 1) == b.get(j - 1);
            let mut best = (at(i - 1, j) + 1)
                .min(at(i, j - 1) + 1)
                .min(at(i - 1, j - 1) + usize::from(!same));
            let swapped =
                i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1);
            if swapped {
                best = best.min(at(i - 2, j - 2) + 1);
            }
            if let Some(cell) = rows.get_mut(i * width + j) {
                *cell = best;
            }
        }
    }
    rows.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_edits() {
        assert_eq!(edit_distance("requird", "required"), 1);
        assert_eq!(edit_distance("tpye", "type"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["Order", "OrderStatus", "Amount"];
        assert_eq!(closest("Orderr", names), Some("Order"));
        assert_eq!(closest("amount", names), Some("Amount"));
        assert_eq!(closest("Zebra", names), None);
        assert_eq!(closest("strng", ["string", "bool"]), Some("string"));
        assert_eq!(closest("", names), None);
    }
}
