//! What one `cargo check --message-format json` run said about each scratch crate: its errors
//! (how many, in which files, the first few as rustc rendered them) and how many warnings.
//! Pure: it reads the run's standard output.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// Rendered errors kept per crate and run.
pub const FIRST_ERRORS: usize = 3;
/// Lines kept of one rendered error.
const LINES_PER_ERROR: usize = 30;

/// The compiler's verdict on one crate in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Errors reported (the closing "aborting due to" summary not counted).
    pub errors: usize,
    /// Warnings reported (the closing "N warnings emitted" summary not counted).
    pub warnings: usize,
    /// Errors per file of their primary span, relative to the crate (`src/runtime/flows.rs`).
    pub files: BTreeMap<String, usize>,
    /// The first [`FIRST_ERRORS`] errors (or, with none, warnings) as rustc rendered them, each cut to a few lines, with
    /// paths relative to the crate.
    pub first: Vec<String>,
}

/// Everything a run said, by crate folder name (`synth-30`); messages about crates that are not
/// scratch crates (a dependency) are under `other`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages {
    /// Per scratch crate, by the name of its folder under `crates/`.
    pub crates: BTreeMap<String, Verdict>,
    /// Errors of any other package, rendered.
    pub other: Vec<String>,
    /// The run's `build-finished` said it succeeded.
    pub success: Option<bool>,
}

/// Reads cargo's JSON messages (one per line; other lines are ignored). A crate is recognised by
/// its manifest path, `.../crates/<name>/Cargo.toml`.
pub fn parse(stdout: &str) -> Messages {
    let mut messages = Messages::default();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-message") => note(&mut messages, &message),
            Some("build-finished") => messages.success = message["success"].as_bool(),
            _ => {}
        }
    }
    messages
}

fn note(messages: &mut Messages, message: &Value) {
    let diagnostic = &message["message"];
    let level = diagnostic["level"].as_str().unwrap_or("");
    if is_summary(diagnostic) || !matches!(level, "error" | "warning") {
        return;
    }
    let rendered = diagnostic["rendered"]
        .as_str()
        .or_else(|| diagnostic["message"].as_str())
        .unwrap_or("")
        .trim_end();
    let Some(name) = scratch_crate(message["manifest_path"].as_str().unwrap_or("")) else {
        if level == "error" {
            messages.other.push(cut(rendered));
        }
        return;
    };
    let verdict = messages.crates.entry(name.clone()).or_default();
    if level == "warning" {
        // A warning fails the check too (the crate of any spec builds warning-free), shown
        // after the errors.
        verdict.warnings += 1;
        if verdict.errors == 0 && verdict.first.len() < FIRST_ERRORS {
            let prefix = format!("crates/{name}/");
            verdict.first.push(cut(&rendered.replace(&prefix, "")));
        }
        return;
    }
    if verdict.errors == 0 {
        // Errors first: warnings shown so far make room for them.
        verdict.first.clear();
    }
    verdict.errors += 1;
    let file = primary_file(diagnostic).map_or_else(
        || "(no file)".to_owned(),
        |file| {
            let prefix = format!("crates/{name}/");
            file.strip_prefix(&prefix).unwrap_or(&file).to_owned()
        },
    );
    *verdict.files.entry(file).or_default() += 1;
    if verdict.first.len() < FIRST_ERRORS {
        // Paths relative to the crate, so that the same error reads the same in every crate.
        let prefix = format!("crates/{name}/");
        verdict.first.push(cut(&rendered.replace(&prefix, "")));
    }
}

/// "aborting due to 3 previous errors", "2 warnings emitted": rustc's closing counts.
fn is_summary(diagnostic: &Value) -> bool {
    let text = diagnostic["message"].as_str().unwrap_or("");
    let no_spans = diagnostic["spans"].as_array().is_none_or(Vec::is_empty);
    no_spans && (text.starts_with("aborting due to") || text.ends_with("emitted"))
}

/// `synth-30` for `/any/where/crates/synth-30/Cargo.toml`.
fn scratch_crate(manifest_path: &str) -> Option<String> {
    let dir = Path::new(manifest_path).parent()?;
    let parent = dir.parent()?;
    if parent.file_name()? != "crates" {
        return None;
    }
    dir.file_name()?.to_str().map(str::to_owned)
}

fn primary_file(diagnostic: &Value) -> Option<String> {
    diagnostic["spans"]
        .as_array()?
        .iter()
        .find(|span| span["is_primary"].as_bool() == Some(true))
        .and_then(|span| span["file_name"].as_str())
        .map(str::to_owned)
}

fn cut(rendered: &str) -> String {
    let lines: Vec<&str> = rendered.lines().collect();
    if lines.len() <= LINES_PER_ERROR {
        return rendered.to_owned();
    }
    format!(
        "{}\n... ({} more lines)",
        lines[..LINES_PER_ERROR].join("\n"),
        lines.len() - LINES_PER_ERROR
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiler_message(manifest: &str, level: &str, text: &str, file: Option<&str>) -> String {
        let spans = match file {
            Some(file) => serde_json::json!([
                {"file_name": "elsewhere.rs", "is_primary": false},
                {"file_name": file, "is_primary": true}
            ]),
            None => serde_json::json!([]),
        };
        serde_json::json!({
            "reason": "compiler-message",
            "package_id": "path+file:///scratch/crates/x#0.1.0",
            "manifest_path": manifest,
            "message": {
                "level": level,
                "message": text,
                "spans": spans,
                "rendered": format!("{level}: {text}\n --> {}\n", file.unwrap_or("somewhere")),
            }
        })
        .to_string()
    }

    #[test]
    fn errors_and_warnings_are_counted_per_crate_and_file() {
        let synth = "/scratch/crates/synth-30/Cargo.toml";
        let fixture = "/scratch/crates/fixture-webhooks/Cargo.toml";
        let lines = [
            "not json: cargo printed something else".to_owned(),
            compiler_message(
                synth,
                "error",
                "cannot find type `Order`",
                Some("crates/synth-30/src/runtime/flows.rs"),
            ),
            compiler_message(
                synth,
                "error",
                "unresolved import",
                Some("crates/synth-30/src/runtime/flows.rs"),
            ),
            compiler_message(
                synth,
                "error",
                "no field `x`",
                Some("crates/synth-30/src/runtime/mock/routes.rs"),
            ),
            compiler_message(synth, "error", "fourth", Some("crates/synth-30/src/lib.rs")),
            compiler_message(synth, "error", "aborting due to 4 previous errors", None),
            compiler_message(
                synth,
                "warning",
                "unused import",
                Some("crates/synth-30/src/lib.rs"),
            ),
            compiler_message(synth, "warning", "1 warning emitted", None),
            compiler_message(
                fixture,
                "warning",
                "dead code",
                Some("crates/fixture-webhooks/src/lib.rs"),
            ),
            compiler_message(
                "/home/.cargo/registry/src/tokio/Cargo.toml",
                "error",
                "in a dependency",
                Some("src/lib.rs"),
            ),
            compiler_message(synth, "note", "a note", None),
            r#"{"reason":"build-finished","success":false}"#.to_owned(),
        ];
        let messages = parse(&lines.join("\n"));
        assert_eq!(messages.success, Some(false));
        assert_eq!(messages.other, ["error: in a dependency\n --> src/lib.rs"]);
        let synth = &messages.crates["synth-30"];
        assert_eq!((synth.errors, synth.warnings), (4, 1));
        assert_eq!(
            synth.files,
            BTreeMap::from([
                ("src/lib.rs".to_owned(), 1),
                ("src/runtime/flows.rs".to_owned(), 2),
                ("src/runtime/mock/routes.rs".to_owned(), 1),
            ])
        );
        assert_eq!(
            synth.first,
            [
                "error: cannot find type `Order`\n --> src/runtime/flows.rs",
                "error: unresolved import\n --> src/runtime/flows.rs",
                "error: no field `x`\n --> src/runtime/mock/routes.rs",
            ]
        );
        assert_eq!(
            messages.crates["fixture-webhooks"],
            Verdict {
                warnings: 1,
                first: vec!["warning: dead code\n --> src/lib.rs".to_owned()],
                ..Verdict::default()
            }
        );
    }

    #[test]
    fn long_errors_are_cut() {
        let long: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let text = cut(&long);
        assert_eq!(text.lines().count(), LINES_PER_ERROR + 1);
        assert!(text.ends_with("... (10 more lines)"), "{text}");
    }

    #[test]
    fn a_crate_is_known_by_its_folder_under_crates() {
        assert_eq!(
            scratch_crate("/a/crates/synth-300/Cargo.toml").as_deref(),
            Some("synth-300")
        );
        assert_eq!(scratch_crate("/a/enkash-generated/Cargo.toml"), None);
        assert_eq!(scratch_crate("Cargo.toml"), None);
    }
}
