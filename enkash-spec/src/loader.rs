//! Reads the spec folder: parses every file, decodes it, merges the files, validates the
//! result, and returns the model or every problem found, located and sorted.

use std::fs;
use std::path::Path;

use crate::decode::Decoder;
use crate::files::decode_file;
use crate::merge::merge;
use crate::model::Product;
use crate::names::Names;
use crate::products::ProductDecl;
use crate::report::{Problem, Report, YamlPath};
use crate::source::{Span, line_text, split_lines};
use crate::validate::validate;
use crate::yaml::{self, Node, Positions};
use crate::{Diagnostic, Diagnostics, Spec};

/// One spec file's name and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Name relative to the spec folder.
    pub name: String,
    /// Contents.
    pub text: String,
}

/// Loads and validates the spec tree in `dir`: every `*.yaml` file directly in it (the root
/// product), and those of each sub-folder (the products the root declares in `products:`,
/// named `folder/file.yaml`), in file-name order.
///
/// A folder that cannot be read, a file that cannot be read or is not UTF-8, and a folder
/// without spec files are reported like any other problem.
pub fn load(dir: &Path) -> Result<Spec, Diagnostics> {
    let mut io_errors = Vec::new();
    let mut files = Vec::new();
    match tree_files(dir) {
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

/// The `*.yaml` files of the spec tree: those directly in `dir`, then those of its sub-folders
/// as `folder/file.yaml`, sorted.
fn tree_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = yaml_files(dir)?;
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if fs::metadata(entry.path()).is_ok_and(|meta| meta.is_dir()) {
            folders.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    folders.sort();
    for folder in folders {
        for name in yaml_files(&dir.join(&folder))? {
            names.push(format!("{folder}/{name}"));
        }
    }
    Ok(names)
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

/// Loads and validates spec files already in memory, merged in the order given. A name with a
/// folder (`payouts/api.yaml`) belongs to the product of that name, which the others (the root
/// product) declare in `products:`.
pub fn load_sources(files: &[SourceFile]) -> Result<Spec, Diagnostics> {
    let mut root = Vec::new();
    let mut folders: Vec<(String, Vec<SourceFile>)> = Vec::new();
    for file in files {
        match file.name.split_once('/') {
            None => root.push(file.clone()),
            Some((folder, _)) => match folders.iter_mut().find(|(name, _)| name == folder) {
                Some((_, group)) => group.push(file.clone()),
                None => folders.push((folder.to_string(), vec![file.clone()])),
            },
        }
    }
    let mut errors = Vec::new();
    let loaded = load_product(&root);
    let (mut spec, declared) = match loaded {
        Ok((spec, declared)) => (Some(spec), declared),
        Err(diagnostics) => {
            errors.extend(diagnostics.errors);
            (None, Vec::new())
        }
    };
    for decl in &located_decls(&root, &declared, |decl| {
        !folders.iter().any(|(name, _)| *name == decl.name)
    }) {
        if !folders.iter().any(|(name, _)| *name == decl.name) {
            let span = decl.key_span.unwrap_or(Span::point(1, 1));
            let file = root.get(decl.file).map_or("api.yaml", |f| f.name.as_str());
            errors.push(io_diagnostic(
                file,
                format!(
                    "product '{}' has no spec files: expected '{}/*.yaml' beside this file",
                    decl.name, decl.name
                ),
                span.line,
                span.column,
            ));
        }
    }
    for (folder, group) in folders {
        let decl = declared.iter().find(|decl| decl.name == folder);
        if decl.is_none() && spec.is_some() {
            errors.push(io_diagnostic(
                &group[0].name,
                format!(
                    "folder '{folder}' is not a product of the spec: declare it in the root's \
                     `products:` (with its `doc` and `feature`) or move its files out"
                ),
                1,
                1,
            ));
        }
        match load_product(&group) {
            Ok((product, nested)) => {
                let nested = located_decls(&group, &nested, |_| true);
                if let Some(nested) = nested.first() {
                    let span = nested.key_span.unwrap_or(Span::point(1, 1));
                    let file = group.get(nested.file).map_or(folder.as_str(), |f| &f.name);
                    errors.push(io_diagnostic(
                        file,
                        "only the root spec declares products".to_string(),
                        span.line,
                        span.column,
                    ));
                }
                if let (Some(spec), Some(decl)) = (spec.as_mut(), decl) {
                    spec.products.insert(
                        folder.clone(),
                        Product {
                            name: folder,
                            doc: decl.doc.clone(),
                            feature: decl.feature.clone(),
                            spec: product,
                        },
                    );
                }
            }
            Err(diagnostics) => errors.extend(diagnostics.errors),
        }
    }
    match spec {
        Some(spec) if errors.is_empty() => Ok(spec),
        _ => {
            let mut diagnostics = Diagnostics { errors };
            diagnostics.sort();
            Err(diagnostics)
        }
    }
}

/// `declared` with the positions of their entries when one of them is `wanted` for an error:
/// a spec that loads without problems is read without positions, so its entries have none.
fn located_decls(
    files: &[SourceFile],
    declared: &[ProductDecl],
    wanted: impl Fn(&ProductDecl) -> bool,
) -> Vec<ProductDecl> {
    if !declared
        .iter()
        .any(|decl| wanted(decl) && decl.key_span.is_none())
    {
        return declared.to_vec();
    }
    match run(files, Positions::Track) {
        Ok((_, located)) => located,
        Err(_) => declared.to_vec(),
    }
}

/// Loads the files of one product: its spec and the products it declares.
fn load_product(files: &[SourceFile]) -> Result<(Spec, Vec<ProductDecl>), Diagnostics> {
    // Positions only matter for problems. Reading YAML with positions costs several times
    // more than without (see the `yaml` module), so the files are first loaded without them;
    // only when that finds a problem are they loaded again with positions, to say where.
    // Both loads find the same problems: no check looks at a position.
    match run(files, Positions::Skip) {
        Ok(loaded) => Ok(loaded),
        Err(_) => {
            run(files, Positions::Track).map_err(|report| diagnostics(report.into_located(), files))
        }
    }
}

/// Parses, decodes, merges and validates `files`: the spec, or the report of its problems
/// (without sites or spans when `positions` is `Skip`).
fn run(files: &[SourceFile], positions: Positions) -> Result<(Spec, Vec<ProductDecl>), Report> {
    let mut report = match positions {
        Positions::Track => Report::default(),
        Positions::Skip => Report::without_sites(),
    };
    let parsed = crate::parallel::map(files.iter().collect(), |_, file: &SourceFile| {
        yaml::parse(&file.text, positions)
    });
    let roots: Vec<Option<Node>> = parsed
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
    // Each file is decoded into its own report, and the reports are appended in file order:
    // the same problems and sites, in the same order, as decoding the files one by one. A file's
    // tree is dropped by the thread that decoded it.
    let decoded = crate::parallel::map(roots, |index, root: Option<Node>| {
        let root = root?;
        let mut file_report = match positions {
            Positions::Track => Report::default(),
            Positions::Skip => Report::without_sites(),
        };
        let mut decoder = Decoder {
            file: index,
            report: &mut file_report,
            names: &names,
        };
        let decls = decode_file(&mut decoder, &root);
        Some((decls, file_report))
    });
    let mut decls = Vec::with_capacity(decoded.len());
    for (file_decls, file_report) in decoded.into_iter().flatten() {
        decls.push(file_decls);
        report.append(file_report);
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
    Err(report)
}

/// Turns located problems into sorted diagnostics with their source lines.
fn diagnostics(problems: Vec<Problem>, files: &[SourceFile]) -> Diagnostics {
    let default_file = files
        .iter()
        .position(|file| file.name == "api.yaml" || file.name.ends_with("/api.yaml"))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `*.yaml` files of `dir`, as `load` reads them.
    fn read_dir(dir: &Path) -> Vec<SourceFile> {
        tree_files(dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|name| {
                let text = read_text(&dir.join(&name)).ok()?;
                Some(SourceFile { name, text })
            })
            .collect()
    }

    fn valid_fixture() -> Vec<SourceFile> {
        read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"))
    }

    /// The number of problems of a load, or its spec.
    fn outcome(files: &[SourceFile], positions: Positions) -> Result<Spec, usize> {
        run(files, positions)
            .map(|(spec, _)| spec)
            .map_err(|report| report.into_located().len())
    }

    #[test]
    fn valid_specs_load_the_same_with_and_without_positions() {
        let mut corpora = vec![valid_fixture()];
        let real = crate::default_spec_dir();
        let tree = read_dir(&real);
        assert!(load_sources(&tree).is_ok(), "the project's spec tree loads");
        // Each product of the tree on its own: the root, then every folder.
        let mut folders: Vec<&str> = tree
            .iter()
            .filter_map(|file| Some(file.name.split_once('/')?.0))
            .collect();
        folders.dedup();
        corpora.push(
            tree.iter()
                .filter(|f| !f.name.contains('/'))
                .cloned()
                .collect(),
        );
        for folder in folders {
            let prefix = format!("{folder}/");
            corpora.push(
                tree.iter()
                    .filter(|f| f.name.starts_with(&prefix))
                    .cloned()
                    .collect(),
            );
        }
        for files in corpora {
            assert!(!files.is_empty());
            let fast = run(&files, Positions::Skip)
                .map(|(spec, _)| spec)
                .map_err(|_| "fast load failed");
            let located = run(&files, Positions::Track)
                .map(|(spec, _)| spec)
                .map_err(|_| "located load failed");
            assert!(fast.is_ok());
            assert_eq!(fast, located);
        }
        assert_eq!(
            load_sources(&valid_fixture()).ok(),
            run(&valid_fixture(), Positions::Track)
                .ok()
                .map(|(spec, _)| spec)
        );
    }

    /// Whatever the input, the load without positions finds as many problems as the one with
    /// them (so it never accepts a spec the located load rejects), and the same spec otherwise.
    #[test]
    fn both_loads_agree_on_broken_specs() {
        let valid = valid_fixture();
        let mut broken = 0;
        for file in 0..valid.len() {
            let lines: Vec<&str> = valid[file].text.split('\n').collect();
            for line in 0..lines.len() {
                let deleted = lines
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| *index != line)
                    .map(|(_, text)| *text);
                let indented = lines.iter().enumerate().map(|(index, text)| {
                    if index == line {
                        format!(" {text}")
                    } else {
                        text.to_string()
                    }
                });
                for text in [
                    deleted.collect::<Vec<_>>().join("\n"),
                    indented.collect::<Vec<_>>().join("\n"),
                ] {
                    let mut files = valid.clone();
                    files[file].text = text;
                    let fast = outcome(&files, Positions::Skip);
                    let located = outcome(&files, Positions::Track);
                    assert_eq!(fast, located, "{}:{}", files[file].name, line + 1);
                    broken += usize::from(located.is_err());
                }
            }
        }
        assert!(broken > 100, "only {broken} broken variants");
    }
}
