//! Mutated copies of the real spec (and of the valid fixture) never make the loader panic, and
//! every problem they cause is located and renders.

mod common;

use enkash_spec::SourceFile;
use proptest::prelude::*;
use proptest::sample::Index;

/// The real spec when this checkout has it, and the valid fixture, which is always there.
fn corpora() -> Vec<Vec<SourceFile>> {
    let mut corpora = vec![common::read_sources(&common::fixture("valid"))];
    let real = enkash_spec::default_spec_dir();
    if real.is_dir() {
        let files = common::read_sources(&real);
        if !files.is_empty() {
            corpora.push(files);
        }
    }
    corpora
}

/// Characters that mean something to YAML, plus a few that are merely unusual.
const NASTY: &[char] = &[
    ':', '{', '}', '[', ']', '-', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ',', '?',
    '\t', '\n', '\r', ' ', '\u{0}', '\u{85}', '\u{2028}', '\u{feff}', 'é', '漢', '🦀',
];

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine {
        file: Index,
        line: Index,
    },
    DuplicateLine {
        file: Index,
        line: Index,
    },
    RenameKey {
        file: Index,
        line: Index,
        edit: Index,
        with: char,
    },
    SwapValues {
        file: Index,
        a: Index,
        b: Index,
    },
    Insert {
        file: Index,
        at: Index,
        text: String,
    },
    Indent {
        file: Index,
        line: Index,
        more: bool,
        by: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let text = prop::collection::vec(
        prop_oneof![prop::sample::select(NASTY), any::<char>()],
        1..6,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>());
    prop_oneof![
        (any::<Index>(), any::<Index>())
            .prop_map(|(file, line)| Mutation::DeleteLine { file, line }),
        (any::<Index>(), any::<Index>())
            .prop_map(|(file, line)| Mutation::DuplicateLine { file, line }),
        (
            any::<Index>(),
            any::<Index>(),
            any::<Index>(),
            prop::char::range('a', 'z')
        )
            .prop_map(|(file, line, edit, with)| Mutation::RenameKey {
                file,
                line,
                edit,
                with
            }),
        (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(file, a, b)| Mutation::SwapValues { file, a, b }),
        (any::<Index>(), any::<Index>(), text).prop_map(|(file, at, text)| Mutation::Insert {
            file,
            at,
            text
        }),
        (any::<Index>(), any::<Index>(), any::<bool>(), 1usize..6).prop_map(
            |(file, line, more, by)| Mutation::Indent {
                file,
                line,
                more,
                by
            }
        ),
    ]
}

/// Applies `mutation` to one file of `files`.
fn apply(files: &mut [SourceFile], mutation: &Mutation) {
    let file_index = match mutation {
        Mutation::DeleteLine { file, .. }
        | Mutation::DuplicateLine { file, .. }
        | Mutation::RenameKey { file, .. }
        | Mutation::SwapValues { file, .. }
        | Mutation::Insert { file, .. }
        | Mutation::Indent { file, .. } => file.index(files.len()),
    };
    let file = &mut files[file_index];
    let mut lines: Vec<String> = file.text.split('\n').map(String::from).collect();
    let count = lines.len();
    match mutation {
        Mutation::DeleteLine { line, .. } => {
            lines.remove(line.index(count));
        }
        Mutation::DuplicateLine { line, .. } => {
            let at = line.index(count);
            let copy = lines[at].clone();
            lines.insert(at, copy);
        }
        Mutation::RenameKey {
            line, edit, with, ..
        } => {
            let text = &mut lines[line.index(count)];
            if let Some(colon) = text.find(':') {
                let key: Vec<char> = text[..colon].chars().collect();
                if !key.is_empty() {
                    let mut key = key;
                    let at = edit.index(key.len());
                    key[at] = *with;
                    *text = format!("{}{}", key.into_iter().collect::<String>(), &text[colon..]);
                }
            }
        }
        Mutation::SwapValues { a, b, .. } => {
            let (a, b) = (a.index(count), b.index(count));
            let split = |line: &str| {
                line.find(": ")
                    .map(|at| (line[..at].to_string(), line[at..].to_string()))
            };
            if let (Some((key_a, value_a)), Some((key_b, value_b))) =
                (split(&lines[a]), split(&lines[b]))
            {
                lines[a] = format!("{key_a}{value_b}");
                lines[b] = format!("{key_b}{value_a}");
            }
        }
        Mutation::Insert { at, text, .. } => {
            let joined = lines.join("\n");
            let boundaries: Vec<usize> = joined
                .char_indices()
                .map(|(i, _)| i)
                .chain([joined.len()])
                .collect();
            let offset = boundaries[at.index(boundaries.len())];
            let mut joined = joined;
            joined.insert_str(offset, text);
            lines = joined.split('\n').map(String::from).collect();
        }
        Mutation::Indent { line, more, by, .. } => {
            let text = &mut lines[line.index(count)];
            if *more {
                *text = format!("{}{text}", " ".repeat(*by));
            } else {
                let spaces = text.len() - text.trim_start_matches(' ').len();
                *text = text[spaces.min(*by)..].to_string();
            }
        }
    }
    file.text = lines.join("\n");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_specs_never_panic_and_errors_are_located(
        corpus in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let corpora = corpora();
        let mut files = corpora[corpus.index(corpora.len())].clone();
        for mutation in &mutations {
            apply(&mut files, mutation);
        }
        if let Err(diagnostics) = enkash_spec::load_sources(&files) {
            common::assert_located(&diagnostics, &files);
            for error in &diagnostics.errors {
                let _ = error.to_string();
            }
        }
    }
}

/// Hand-picked inputs that are hard on a YAML reader.
#[test]
fn hostile_inputs_are_reported_not_panicked_on() {
    let inputs = [
        String::new(),
        "\u{feff}".to_string(),
        "---\n---\n".to_string(),
        "a: &x [*x]\n".to_string(),
        "a: *nope\n".to_string(),
        "? [a, b]\n: c\n".to_string(),
        "schemas: !custom {}\n".to_string(),
        "<<: {a: 1}\n".to_string(),
        format!("{}1{}", "[".repeat(100), "]".repeat(100)),
        format!("{}x", "- ".repeat(500)),
        "schemas:\n  A:\n    doc: x\n    fields:\n      b: {type: \"list<list<list<list<list<list<list<list<list<list<list<list<list<list<list<list<list<list<string>>>>>>>>>>>>>>>>>>\", doc: d}\n".to_string(),
        "a: 1\r\nb:\r  c\n\u{2028}d: \u{0}\n".to_string(),
        "lol: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d]\n".to_string(),
        "x: \"unterminated\n".to_string(),
        "\t- tab\n".to_string(),
        "9999999999999999999999999999999999999999: 1e999999\n".to_string(),
    ];
    for text in inputs {
        let files = [SourceFile {
            name: "a.yaml".into(),
            text,
        }];
        match enkash_spec::load_sources(&files) {
            Ok(_) => panic!("loaded {:?}", files[0].text),
            Err(diagnostics) => common::assert_located(&diagnostics, &files),
        }
    }
}
