//! `cargo xtask drift REPORT.json…`: turns drift reports recorded by the client
//! (`enkash_generated::DriftRecorder`, format version 1) into the spec changes they suggest, as a
//! unified diff against the spec's YAML files, and a summary table.
//!
//! It never edits the spec: the diff is printed (or written to `--apply FILE`) for a maintainer
//! to review and apply with `git apply`. Each finding is placed by loading the spec
//! (`enkash_spec::load`), following the finding's JSON path from the operation's response type
//! through schema fields, and finding the YAML text of the schema, field, enum or date-time type
//! it lands on by searching the files of its product's folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use enkash_spec::{DateTimeForm, DecimalWire, Spec, TypeRef};

/// What `cargo xtask drift` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The reports to merge.
    pub reports: Vec<PathBuf>,
    /// The spec folder (default `enkash-spec/spec`).
    pub spec_dir: PathBuf,
    /// How file names are shown in the diff (`enkash-spec/spec`).
    pub shown_dir: String,
}

impl Options {
    /// The project's spec folder, shown as `enkash-spec/spec`.
    pub fn project_defaults() -> Self {
        Options {
            reports: Vec::new(),
            spec_dir: enkash_spec::default_spec_dir(),
            shown_dir: "enkash-spec/spec".to_owned(),
        }
    }
}

/// One finding of a report (the fields `cargo xtask drift` uses).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Spec id of the operation.
    pub operation: String,
    /// Kind, as written in the report (`unknown_field`, ...).
    pub kind: String,
    /// JSON path inside the payload (`.` for the payload).
    pub path: String,
    /// JSON type found.
    pub json_type: String,
    /// Form of the value.
    pub form: Option<String>,
    /// Enum value or envelope code.
    pub value: Option<String>,
    /// Answers it was seen in.
    pub count: u64,
    /// First seen, RFC 3339.
    pub first_seen: String,
}

/// What the reports suggest.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The unified diff of every suggested change (empty when none applies).
    pub patch: String,
    /// The summary table (Markdown).
    pub summary: String,
}

/// Reads and merges the reports (counts add up, the earliest first-seen time is kept) with the
/// client's own reader of the format, `enkash_generated::DriftReport`.
pub fn read_reports(paths: &[PathBuf]) -> Result<Vec<Finding>, String> {
    let mut merged = enkash_generated::DriftReport::default();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let report = enkash_generated::DriftReport::from_json(&text)
            .map_err(|err| format!("{}: {err}", path.display()))?;
        merged.merge(report);
    }
    let mut findings: Vec<Finding> = merged
        .findings
        .into_iter()
        .map(|finding| Finding {
            operation: finding.operation,
            kind: finding.kind.as_str().to_owned(),
            path: finding.path,
            json_type: finding.json_type,
            form: finding.form,
            value: finding.value,
            count: finding.count,
            first_seen: finding.first_seen,
        })
        .collect();
    findings.sort();
    Ok(findings)
}

/// Runs the command: the merged reports' suggestions against the spec.
pub fn run(options: &Options) -> Result<Outcome, String> {
    let findings = read_reports(&options.reports)?;
    let spec =
        enkash_spec::load(&options.spec_dir).map_err(|diagnostics| diagnostics.to_string())?;
    Ok(suggest(
        &spec,
        &options.spec_dir,
        &options.shown_dir,
        &findings,
    ))
}

/// A change to one line of a file: lines inserted before it, or the line replaced.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<String>),
    Replace(usize, String),
}

/// The files of one product's folder, loaded as text, with the edits planned on them.
struct Folder {
    /// `(file name, lines)`, in name order.
    files: Vec<(String, Vec<String>)>,
    edits: BTreeMap<String, Vec<Edit>>,
}

impl Folder {
    fn load(dir: &Path) -> Folder {
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        let files = names
            .into_iter()
            .filter_map(|path| {
                let text = std::fs::read_to_string(&path).ok()?;
                let name = path.file_name()?.to_string_lossy().into_owned();
                Some((name, text.lines().map(str::to_owned).collect()))
            })
            .collect();
        Folder {
            files,
            edits: BTreeMap::new(),
        }
    }

    /// The file and line of `  name:` under the top-level `section:`.
    fn find_item(&self, section: &str, name: &str) -> Option<(usize, usize)> {
        let header = format!("{section}:");
        let key = format!("{name}:");
        for (index, (_, lines)) in self.files.iter().enumerate() {
            let mut inside = false;
            for (number, line) in lines.iter().enumerate() {
                if !line.starts_with([' ', '#']) && !line.trim().is_empty() {
                    inside = line.trim_end() == header;
                    continue;
                }
                if inside && indent(line) == 2 && line.trim_end().trim_start() == key {
                    return Some((index, number));
                }
            }
        }
        None
    }

    fn lines(&self, file: usize) -> &[String] {
        &self.files[file].1
    }

    fn edit(&mut self, file: usize, edit: Edit) {
        let name = self.files[file].0.clone();
        self.edits.entry(name).or_default().push(edit);
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The line after the block that starts at `start` (its last line of content + 1).
fn block_end(lines: &[String], start: usize) -> usize {
    let own = indent(&lines[start]);
    let mut end = start + 1;
    for (number, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent(line) <= own {
            break;
        }
        end = number + 1;
    }
    end
}

/// The line of `key:` (or `key: ...`) directly inside the block at `start`.
fn child(lines: &[String], start: usize, key: &str) -> Option<usize> {
    let end = block_end(lines, start);
    let inner = lines[start + 1..end]
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| indent(line))
        .min()?;
    (start + 1..end).find(|&number| {
        let line = &lines[number];
        indent(line) == inner
            && line
                .trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// Where a finding's path leads in the spec.
struct Place {
    /// The schema holding the last member.
    schema: String,
    /// The last member's name.
    member: String,
    /// Its type in the spec, when it has one.
    ty: Option<TypeRef>,
}

/// Follows `path` from the type `root`: the schema of its last member, and that member's type.
fn follow(spec: &Spec, root: &TypeRef, path: &str) -> Option<Place> {
    let mut ty = root.clone();
    let segments: Vec<&str> = if path == "." {
        Vec::new()
    } else {
        path.split('.').collect()
    };
    let (last, parents) = segments.split_last()?;
    for segment in parents {
        let (name, _) = split_segment(segment);
        let schema = schema_of(&ty)?;
        let field = spec
            .schemas
            .get(&schema)?
            .fields
            .iter()
            .find(|f| f.wire_name == name || f.aliases.iter().any(|a| a == name))?;
        ty = field.ty.clone();
    }
    let (name, _) = split_segment(last);
    let schema = schema_of(&ty)?;
    let field_ty = spec
        .schemas
        .get(&schema)?
        .fields
        .iter()
        .find(|f| f.wire_name == name || f.aliases.iter().any(|a| a == name))
        .map(|f| element(&f.ty));
    Some(Place {
        schema,
        member: name.to_owned(),
        ty: field_ty,
    })
}

/// `items[][]` → (`items`, 2).
fn split_segment(segment: &str) -> (&str, usize) {
    let name = segment.trim_end_matches("[]");
    (name, (segment.len() - name.len()) / 2)
}

/// The schema a type is, through lists and maps.
fn schema_of(ty: &TypeRef) -> Option<String> {
    match element(ty) {
        TypeRef::Schema(name) => Some(name),
        _ => None,
    }
}

/// A type without its lists and maps.
fn element(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => element(inner),
        other => other.clone(),
    }
}

/// The spec form of a date pattern the client reports, when the runtime reads that form.
fn spec_form(form: &str) -> Option<DateTimeForm> {
    match form {
        "yyyy-MM-dd'T'HH:mm:ssXXX" => Some(DateTimeForm::Rfc3339),
        "yyyy-MM-dd'T'HH:mm:ss" | "yyyy-MM-dd'T'HH:mm:ss.SSS" => Some(DateTimeForm::IsoLocal),
        "yyyy-MM-dd HH:mm:ss" | "yyyy-MM-dd HH:mm:ss.SSS" => Some(DateTimeForm::SpaceLocal),
        _ => None,
    }
}

/// The spec type for a new member of this JSON type and form.
fn new_type(spec: &Spec, json_type: &str, form: Option<&str>) -> String {
    match (json_type, form) {
        ("string", Some(form)) => {
            if let Some(wanted) = spec_form(form)
                && let Some(name) = spec
                    .datetimes
                    .values()
                    .find(|dt| dt.reads.contains(&wanted))
                    .map(|dt| dt.name.clone())
            {
                return name;
            }
            match form {
                "yyyy-MM-dd" => "date".to_owned(),
                "decimal string" => "decimal_string".to_owned(),
                _ => "string".to_owned(),
            }
        }
        ("string", None) => "string".to_owned(),
        ("number", Some("integer")) => "i64".to_owned(),
        ("number", _) => "decimal".to_owned(),
        ("boolean", _) => "bool".to_owned(),
        ("array", Some("of string")) => "list<string>".to_owned(),
        _ => "json".to_owned(),
    }
}

/// The suggestions for `findings`, as a patch against the spec files and a summary table.
pub fn suggest(spec: &Spec, spec_dir: &Path, shown_dir: &str, findings: &[Finding]) -> Outcome {
    let mut folders: BTreeMap<Option<String>, Folder> = BTreeMap::new();
    let mut summary = String::from(
        "| operation | kind | path | found | answers | first seen | suggestion |\n|---|---|---|---|---|---|---|\n",
    );
    for finding in findings {
        let product = if spec.operations.contains_key(&finding.operation) {
            Some((None, spec))
        } else {
            spec.products
                .iter()
                .find(|(_, p)| p.spec.operations.contains_key(&finding.operation))
                .map(|(name, p)| (Some(name.clone()), &p.spec))
        };
        let suggestion = match product {
            None => "no such operation in the spec: is the report from another version?".to_owned(),
            Some((name, product_spec)) => {
                let folder = folders.entry(name.clone()).or_insert_with(|| {
                    Folder::load(
                        &name
                            .as_ref()
                            .map_or(spec_dir.to_path_buf(), |n| spec_dir.join(n)),
                    )
                });
                plan(product_spec, folder, finding)
            }
        };
        let found = match (&finding.form, &finding.value) {
            (_, Some(value)) => format!("{} `{value}`", finding.json_type),
            (Some(form), None) => format!("{} ({form})", finding.json_type),
            (None, None) => finding.json_type.clone(),
        };
        let _ = writeln!(
            summary,
            "| {} | {} | `{}` | {} | {} | {} | {} |",
            finding.operation,
            finding.kind,
            finding.path,
            found,
            finding.count,
            finding.first_seen,
            suggestion
        );
    }
    let mut patch = String::new();
    for (product, folder) in &folders {
        for (name, lines) in &folder.files {
            let Some(edits) = folder.edits.get(name) else {
                continue;
            };
            let new = apply(lines, edits);
            let old = lines.join("\n") + "\n";
            let shown = match product {
                Some(product) => format!("{shown_dir}/{product}/{name}"),
                None => format!("{shown_dir}/{name}"),
            };
            let diff = similar::TextDiff::from_lines(&old, &new);
            let _ = write!(
                patch,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
            );
        }
    }
    Outcome { patch, summary }
}

/// `lines` with `edits` made (replacements first, then insertions, each before its line, in
/// the order planned).
fn apply(lines: &[String], edits: &[Edit]) -> String {
    let mut out = String::new();
    for (number, line) in lines
        .iter()
        .enumerate()
        .chain([(lines.len(), &String::new())])
    {
        for edit in edits {
            if let Edit::Insert(at, inserted) = edit
                && *at == number
            {
                for text in inserted {
                    out.push_str(text);
                    out.push('\n');
                }
            }
        }
        if number == lines.len() {
            break;
        }
        let replaced = edits.iter().rev().find_map(|edit| match edit {
            Edit::Replace(at, text) if *at == number => Some(text),
            _ => None,
        });
        out.push_str(replaced.unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Plans the spec change for one finding in its product's folder; what it is, in words.
fn plan(spec: &Spec, folder: &mut Folder, finding: &Finding) -> String {
    let Some(operation) = spec.operations.get(&finding.operation) else {
        return "no such operation".to_owned();
    };
    let Some(response) = &operation.response else {
        return "the operation has no response type in the spec".to_owned();
    };
    let seen = format!("{} answers since {}", finding.count, finding.first_seen);
    let place = follow(spec, response, &finding.path);
    match finding.kind.as_str() {
        "unknown_field" => {
            let Some(place) = place else {
                return "review: the path does not lead to a schema of the spec".to_owned();
            };
            if place.ty.is_some() {
                return format!("none: `{}` is in `{}` now", place.member, place.schema);
            }
            if place.member == "<key>" {
                return format!(
                    "review: a member of `{}` whose name looks like data",
                    place.schema
                );
            }
            let ty = new_type(spec, &finding.json_type, finding.form.as_deref());
            let Some((file, at)) = folder.find_item("schemas", &place.schema) else {
                return format!(
                    "add optional `{}: {ty}` to `{}` (its YAML was not found)",
                    place.member, place.schema
                );
            };
            let lines = folder.lines(file);
            let Some(fields) = child(lines, at, "fields") else {
                return format!(
                    "add optional `{}: {ty}` to `{}` (no `fields:` block)",
                    place.member, place.schema
                );
            };
            let end = block_end(lines, fields);
            let pad = " ".repeat(indent(&lines[fields]) + 2);
            folder.edit(
                file,
                Edit::Insert(
                    end,
                    vec![
                        format!("{pad}{}:", place.member),
                        format!("{pad}  type: {ty}"),
                        format!("{pad}  doc: \"TODO: not in the docs; seen in EnKash answers ({seen}, drift report).\""),
                    ],
                ),
            );
            format!(
                "add optional `{}: {ty}` to `{}`",
                place.member, place.schema
            )
        }
        "unknown_enum_value" => {
            let (Some(TypeRef::Enum(name)), Some(value)) =
                (place.and_then(|p| p.ty), finding.value.as_ref())
            else {
                return "review: the value is not kept (it looked like data) or the field is no enum".to_owned();
            };
            if spec
                .enums
                .get(&name)
                .is_some_and(|e| e.values.iter().any(|v| &v.wire == value))
            {
                return format!("none: `{value}` is in `{name}` now");
            }
            let Some((file, at)) = folder.find_item("enums", &name) else {
                return format!("add `{value}` to enum `{name}` (its YAML was not found)");
            };
            let lines = folder.lines(file);
            let Some(values) = child(lines, at, "values") else {
                return format!("add `{value}` to enum `{name}` (no `values:` block)");
            };
            let end = block_end(lines, values);
            let pad = " ".repeat(indent(&lines[values]) + 2);
            folder.edit(
                file,
                Edit::Insert(
                    end,
                    vec![format!(
                        "{pad}{value}: \"TODO: not in the docs; seen in EnKash answers ({seen}).\""
                    )],
                ),
            );
            format!("add `{value}` to enum `{name}`")
        }
        "number_as_string" | "string_as_number" => {
            let Some(place) = place else {
                return "review: the path does not lead to a field of the spec".to_owned();
            };
            let (from, to) = match (finding.kind.as_str(), &place.ty) {
                ("number_as_string", Some(TypeRef::Decimal(DecimalWire::Number))) => {
                    ("decimal", "decimal_string")
                }
                ("string_as_number", Some(TypeRef::Decimal(DecimalWire::String))) => {
                    ("decimal_string", "decimal")
                }
                (_, Some(TypeRef::Decimal(_))) => {
                    return "none: the spec says this form now".to_owned();
                }
                _ => {
                    return "review: the field reads both forms already; say so in its `doc`"
                        .to_owned();
                }
            };
            match field_line(folder, &place, "type") {
                Some((file, line)) => {
                    let text = folder.lines(file)[line].replacen(from, to, 1);
                    folder.edit(file, Edit::Replace(line, text));
                    format!("write `{}.{}` as `{to}`", place.schema, place.member)
                }
                None => format!(
                    "change `{}.{}` to `{to}` (its YAML was not found)",
                    place.schema, place.member
                ),
            }
        }
        "date_form" => {
            let Some(TypeRef::DateTimeType(name)) = place.as_ref().and_then(|p| p.ty.clone())
            else {
                return "review: the field is no `datetimes:` type".to_owned();
            };
            let form = finding.form.as_deref().unwrap_or_default();
            let Some(wanted) = spec_form(form) else {
                return format!(
                    "review: the client reads no `{form}` form yet (a new `DateTimeForm` in the runtime)"
                );
            };
            let Some(datetime) = spec.datetimes.get(&name) else {
                return format!("add `{}` to `{name}.reads`", wanted.spec_name());
            };
            let mut reads: Vec<&str> = datetime.reads.iter().map(|f| f.spec_name()).collect();
            if reads.contains(&wanted.spec_name()) {
                return format!("none: `{name}` reads `{}` now", wanted.spec_name());
            }
            reads.push(wanted.spec_name());
            let Some((file, at)) = folder.find_item("datetimes", &name) else {
                return format!(
                    "add `{}` to `{name}.reads` (its YAML was not found)",
                    wanted.spec_name()
                );
            };
            let lines = folder.lines(file);
            let Some(line) = child(lines, at, "reads") else {
                return format!(
                    "add `{}` to `{name}.reads` (no `reads:` line)",
                    wanted.spec_name()
                );
            };
            let pad = " ".repeat(indent(&lines[line]));
            folder.edit(
                file,
                Edit::Replace(line, format!("{pad}reads: [{}]", reads.join(", "))),
            );
            format!("read `{}` in `{name}`", wanted.spec_name())
        }
        "missing_field" | "null_value" => {
            let Some(place) = place else {
                return "review: the path does not lead to a field of the spec".to_owned();
            };
            let (key, text, what) = if finding.kind == "missing_field" {
                ("required", "required: false", "make it optional")
            } else {
                ("required", "nullable: true", "make it nullable")
            };
            match field_line(folder, &place, key) {
                Some((file, line)) => {
                    let pad = " ".repeat(indent(&folder.lines(file)[line]));
                    if finding.kind == "missing_field" {
                        folder.edit(file, Edit::Replace(line, format!("{pad}{text}")));
                    } else {
                        folder.edit(file, Edit::Insert(line + 1, vec![format!("{pad}{text}")]));
                    }
                    format!("`{}.{}`: {what}", place.schema, place.member)
                }
                None => format!(
                    "`{}.{}`: {what} (no `required:` line found)",
                    place.schema, place.member
                ),
            }
        }
        "type_mismatch" => "review: the field's type differs from what EnKash sends".to_owned(),
        "unknown_code" => {
            "review: an envelope code the spec does not document (no error-code table to add it to)"
                .to_owned()
        }
        other => format!("review: unknown kind `{other}`"),
    }
}

/// The file and line of `key:` in the YAML of field `place`.
fn field_line(folder: &Folder, place: &Place, key: &str) -> Option<(usize, usize)> {
    let (file, at) = folder.find_item("schemas", &place.schema)?;
    let lines = folder.lines(file);
    let fields = child(lines, at, "fields")?;
    let field = child(lines, fields, &place.member)?;
    Some((file, child(lines, field, key)?))
}
