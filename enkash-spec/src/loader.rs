//! Reads the spec folder: parses every file, decodes it, merges the files, validates the
//! result, and returns the model or every problem found, located and sorted.

use std::fs;
use std::path::Path;

use crate::decode::Decoder;
use crate::files::decode_file;
use crate::merge::merge;
use crate::names::Names;
use crate::report::{Problem, Report, YamlPath};
use crate::source::{Span, line_text, split_lines};
use crate::validate::validate;
use crate::yaml::{self, Node};
use crate::{Diagnostic, Diagnostics, Spec};

/// One spec file's name and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name relative to the spec folder.
    pub name: String,
    /// Contents.
    pub text: String,
}

/// Loads and validates every `*.yaml` file directly in `dir`, in file-name order.
///
/// A folder that cannot be read, a file that cannot be read or is not UTF-8, and a folder
/// without spec files are reported like any other problem.
pub fn load(dir: &Path) -> Result<Spec, Diagnostics> {
    let mut io_errors = Vec::new();
    let mut files = Vec::new();
    match yaml_files(dir) {
        Ok(names) => {
            for name in names {
                match read_text(&dir.join(&name)) {
                    Ok(text) => files.push(SourceFile { name, text }),
                    Err((message, line, column)) => {
                        io_errors.push(io_diagnostic(&name, message, line, column));
                    }
                }
            }
            if files.is_empty() && io_errors.is_empty() {
                let message = format!("no *.yaml files in '{}'", dir.display());
                io_errors.push(io_diagnostic(&dir.display().to_string(), message, 1, 1));
            }
        }
        Err(err) => {
            let message = format!("cannot read the spec folder '{}': {err}", dir.display());
            io_errors.push(io_diagnostic(&dir.display().to_string(), message, 1, 1));
        }
    }
    if io_errors.is_empty() {
        return load_sources(&files);
    }
    let mut diagnostics = Diagnostics { errors: io_errors };
    if !files.is_empty()
        && let Err(more) = load_sources(&files)
    {
        diagnostics.errors.extend(more.errors);
    }
    diagnostics.sort();
    Err(diagnostics)
}

/// The names of the `*.yaml` files directly in `dir`, sorted.
fn yaml_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // `metadata` follows symlinks: a link to a spec file counts, a folder named x.yaml not.
        let is_file = fs::metadata(entry.path()).is_ok_and(|meta| meta.is_file());
        if name.ends_with(".yaml") && is_file {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The text of a file, or why not with the line and column of the problem.
fn read_text(path: &Path) -> Result<String, (String, usize, usize)> {
    let bytes = fs::read(path).map_err(|err| (format!("cannot read the file: {err}"), 1, 1))?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err
            .as_bytes()
            .get(..err.utf8_error().valid_up_to())
            .unwrap_or_default();
        // The valid prefix is UTF-8 by definition; lossy conversion never alters it.
        let prefix = String::from_utf8_lossy(valid);
        let lines = split_lines(&prefix);
        let line = lines.len();
        let column = lines.last().map_or(0, |last| last.chars().count()) + 1;
        ("the file is not valid UTF-8".to_string(), line, column)
    })
}

fn io_diagnostic(file: &str, message: String, line: usize, column: usize) -> Diagnostic {
    Diagnostic {
        message,
        file: file.to_string(),
        line,
        column,
        path: YamlPath::root().to_string(),
        help: None,
        source_line: None,
        width: 1,
    }
}

/// Loads and validates spec files already in memory, merged in the order given.
pub fn load_sources(files: &[SourceFile]) -> Result<Spec, Diagnostics> {
    let mut report = Report::default();
    let roots: Vec<Option<Node>> = parse_all(files)
        .into_iter()
        .enumerate()
        .map(|(index, parsed)| match parsed {
            Ok(root) => Some(root),
            Err(err) => {
                report.error(
                    index,
                    err.span,
                    &YamlPath::root(),
                    format!("invalid YAML: {}", err.message),
                );
                None
            }
        })
        .collect();
    let names = Names::collect(roots.iter().flatten());
    let mut decls = Vec::new();
    for (index, root) in roots.iter().enumerate() {
        if let Some(root) = root {
            let mut decoder = Decoder {
                file: index,
                report: &mut report,
                names: &names,
            };
            decls.push(decode_file(&mut decoder, root));
        }
    }
    let file_names: Vec<String> = files.iter().map(|file| file.name.clone()).collect();
    let merged = merge(&mut report, decls, &file_names);
    validate(&mut report, &merged);
    if report.is_empty() {
        if let Some(spec) = merged.into_spec() {
            return Ok(spec);
        }
        // Every part that fails to decode reports why; this is a safety net.
        report.error_at(
            &YamlPath::root(),
            crate::report::Target::Key,
            "the spec is incomplete",
        );
    }
    Err(diagnostics(report.into_located(), files))
}

/// Parses every file, on all cores: files are independent, and parsing is most of the loading
/// time. Results keep the order of `files`.
fn parse_all(files: &[SourceFile]) -> Vec<Result<Node, yaml::SyntaxError>> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    if workers < 2 || files.len() < 2 {
        return files.iter().map(|file| yaml::parse(&file.text)).collect();
    }
    let chunk = files.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|file| yaml::parse(&file.text))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut results = Vec::with_capacity(files.len());
        for handle in handles {
            // The parser does not panic on any input (see the mutation tests); if it ever did,
            // the panic goes on as if there were no threads.
            results.extend(
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        results
    })
}

/// Turns located problems into sorted diagnostics with their source lines.
fn diagnostics(problems: Vec<Problem>, files: &[SourceFile]) -> Diagnostics {
    let default_file = files
        .iter()
        .position(|file| file.name == "api.yaml")
        .unwrap_or(0);
    let lines: Vec<Vec<&str>> = files.iter().map(|file| split_lines(&file.text)).collect();
    let errors = problems
        .into_iter()
        .map(|problem| {
            let file = problem.file.unwrap_or(default_file);
            let span = problem.span.unwrap_or(Span::point(1, 1));
            let source_line = lines
                .get(file)
                .and_then(|lines| line_text(lines, span.line))
                .map(str::to_string);
            Diagnostic {
                message: problem.message,
                file: files.get(file).map_or(String::new(), |f| f.name.clone()),
                line: span.line.max(1),
                column: span.column.max(1),
                path: problem.path.to_string(),
                help: problem.help,
                source_line,
                width: span.width.max(1),
            }
        })
        .collect();
    let mut diagnostics = Diagnostics { errors };
    diagnostics.sort();
    diagnostics
}
