//! `cargo xtask drift REPORT.json…`: turns drift reports recorded by the client
//! (`enkash_generated::DriftRecorder`, format version 1) into the spec changes they suggest, as a
//! unified diff against the spec's YAML files, and a summary table.
//!
//! It never edits the spec: the diff is printed (or written to `--apply FILE`) for a maintainer
//! to review and apply with `git apply`. Each finding is placed by loading the spec
//! (`enkash_spec::load`), following the finding's JSON path through schema fields from the type
//! its `operation` names — an operation's response type, or for `webhooks.<id>` the webhook's
//! payload type (root spec first, then the products) — and finding the YAML text of the schema,
//! field, enum or date-time type it lands on by searching the files of its product's folder.
//!
//! What each kind of finding suggests:
//! - `unknown_field`: an optional field of the type its JSON suggests; `unknown_enum_value`: the
//!   value, added to its enum.
//! - `number_as_string` / `string_as_number`: a `decimal` written as `decimal_string` or the
//!   other way round; an `i32`/`i64` sent as a string of digits written as `string`; a `string`
//!   sent as a JSON number only reviewed.
//! - `date_form`: a form added to the `reads` of a `datetimes:` type; a `datetime` or
//!   `datetime_local` field retyped to a `datetimes:` type that reads both the form found and
//!   the declared one, when there is one (otherwise, and for `date`, a review).
//! - `missing_field` / `null_value`: the field made optional / nullable.
//!
//! A finding the spec already allows suggests nothing (`none: ...`), so a second run over the
//! same reports against the patched spec changes nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use enkash_generated::{DriftFinding, DriftKind, DriftReport};
use enkash_spec::{DateFormat, DateTimeForm, DateTimeType, DecimalWire, Spec, TypeRef};

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

/// What the reports suggest.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The unified diff of every suggested change (empty when none applies).
    pub patch: String,
    /// The summary table (Markdown).
    pub summary: String,
}

/// Reads and merges the reports (counts add up, the earliest first-seen time is kept) with the
/// client's own reader of the format, `enkash_generated::DriftReport`; the findings come sorted
/// by operation, kind (in report order), path, JSON type, form and value.
pub fn read_reports(paths: &[PathBuf]) -> Result<Vec<DriftFinding>, String> {
    let mut merged = DriftReport::default();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let report =
            DriftReport::from_json(&text).map_err(|err| format!("{}: {err}", path.display()))?;
        merged.merge(report);
    }
    Ok(merged.findings)
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

    /// Where new entries of block `key` of item `name` of `section` go: the file, the line
    /// after the block, and the indentation of an entry; or why it was not found.
    fn block_end(
        &self,
        section: &str,
        name: &str,
        key: &str,
    ) -> Result<(usize, usize, String), String> {
        let (file, at) = self
            .find_item(section, name)
            .ok_or_else(|| "its YAML was not found".to_owned())?;
        let lines = self.lines(file);
        let block = child(lines, at, key).ok_or_else(|| format!("no `{key}:` block"))?;
        Ok((
            file,
            block_end(lines, block),
            " ".repeat(indent(&lines[block]) + 2),
        ))
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
    /// Its type in the spec (without lists and maps), when it has one.
    ty: Option<TypeRef>,
    /// The member is a field that is required.
    required: bool,
    /// The member is a field that may be `null`.
    nullable: bool,
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
    let field = spec
        .schemas
        .get(&schema)?
        .fields
        .iter()
        .find(|f| f.wire_name == name || f.aliases.iter().any(|a| a == name));
    Some(Place {
        schema,
        member: name.to_owned(),
        ty: field.map(|f| element(&f.ty)),
        required: field.is_some_and(|f| f.required),
        nullable: field.is_some_and(|f| f.nullable),
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

/// What a finding's `operation` names: `[<product>.]<operation id>`, or
/// `[<product>.]webhooks.<webhook id>` for findings recorded while decoding a notification's
/// body (the product's name for a product of the spec tree; ids are snake_case, so the dots
/// are unambiguous).
#[derive(Debug, Clone, Copy)]
struct Source<'a> {
    /// The product, `None` for the root spec.
    product: Option<&'a str>,
    /// The operation's or webhook's id.
    id: &'a str,
    /// True for a webhook.
    webhook: bool,
}

impl<'a> Source<'a> {
    fn of(name: &'a str) -> Self {
        let (product, rest) = match name.split_once('.') {
            Some((product, rest)) if product != "webhooks" => (Some(product), rest),
            _ => (None, name),
        };
        let (webhook, id) = match rest.strip_prefix("webhooks.") {
            Some(id) => (true, id),
            None => (false, rest),
        };
        Source {
            product,
            id,
            webhook,
        }
    }

    /// `operation` or `webhook`.
    fn noun(self) -> &'static str {
        if self.webhook { "webhook" } else { "operation" }
    }

    /// What its findings were seen in: `answers` or `notifications`.
    fn messages(self) -> &'static str {
        if self.webhook {
            "notifications"
        } else {
            "answers"
        }
    }

    /// The spec of its product (with the product's name), when that spec declares it.
    fn locate(self, spec: &Spec) -> Option<(Option<String>, &Spec)> {
        let (name, spec) = match self.product {
            None => (None, spec),
            Some(product) => (Some(product.to_owned()), &spec.products.get(product)?.spec),
        };
        let declared = if self.webhook {
            spec.webhooks.contains_key(self.id)
        } else {
            spec.operations.contains_key(self.id)
        };
        declared.then_some((name, spec))
    }

    /// The type its paths start from (the response type, the webhook's payload), or why none.
    fn root(self, spec: &Spec) -> Result<&TypeRef, String> {
        if self.webhook {
            return spec
                .webhooks
                .get(self.id)
                .map(|webhook| &webhook.payload)
                .ok_or_else(|| "no such webhook".to_owned());
        }
        spec.operations
            .get(self.id)
            .ok_or_else(|| "no such operation".to_owned())?
            .response
            .as_ref()
            .ok_or_else(|| "the operation has no response type in the spec".to_owned())
    }
}

/// The suggestions for `findings`, as a patch against the spec files and a summary table.
pub fn suggest(
    spec: &Spec,
    spec_dir: &Path,
    shown_dir: &str,
    findings: &[DriftFinding],
) -> Outcome {
    let mut folders: BTreeMap<Option<String>, Folder> = BTreeMap::new();
    let mut summary = String::from(
        "| operation | kind | path | found | answers | first seen | suggestion |\n|---|---|---|---|---|---|---|\n",
    );
    for finding in findings {
        let source = Source::of(&finding.operation);
        let suggestion = match source.locate(spec) {
            None => format!(
                "no such {} in the spec: is the report from another version?",
                source.noun()
            ),
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

/// One finding being planned: the spec it belongs to (the root or a product) and where its
/// path leads there.
struct Job<'a> {
    spec: &'a Spec,
    finding: &'a DriftFinding,
    /// Where the path leads (`None`: not to a schema of the spec).
    place: Option<Place>,
    /// What it was seen in: `answers` or `notifications`.
    messages: &'static str,
}

impl Job<'_> {
    /// The doc of an entry the patch adds: `TODO: not in the docs; seen in EnKash answers (10
    /// answers since ...<note>).`
    fn todo_doc(&self, note: &str) -> String {
        format!(
            "TODO: not in the docs; seen in EnKash {} ({}{note}).",
            self.messages,
            self.seen()
        )
    }

    /// `10 answers since 2026-05-02T09:00:00Z` (`1 answer since ...`).
    fn seen(&self) -> String {
        let messages = if self.finding.count == 1 {
            self.messages.trim_end_matches('s')
        } else {
            self.messages
        };
        format!(
            "{} {messages} since {}",
            self.finding.count, self.finding.first_seen
        )
    }
}

/// Plans the spec change for one finding in its product's folder; what it is, in words.
fn plan(spec: &Spec, folder: &mut Folder, finding: &DriftFinding) -> String {
    let source = Source::of(&finding.operation);
    let root = match source.root(spec) {
        Ok(root) => root,
        Err(why) => return why,
    };
    let job = Job {
        spec,
        finding,
        place: follow(spec, root, &finding.path),
        messages: source.messages(),
    };
    match finding.kind {
        DriftKind::UnknownField => unknown_field(&job, folder),
        DriftKind::UnknownEnumValue => unknown_enum_value(&job, folder),
        DriftKind::NumberAsString | DriftKind::StringAsNumber => number_form(&job, folder),
        DriftKind::DateForm => date_form(&job, folder),
        DriftKind::OtherDateForm => other_date_form(&job),
        DriftKind::MissingField | DriftKind::NullValue => optional(&job, folder),
        DriftKind::TypeMismatch => {
            "review: the field's type differs from what EnKash sends".to_owned()
        }
        DriftKind::UnknownCode => {
            "review: an envelope code the spec does not document (no error-code table to add it to)"
                .to_owned()
        }
        other => format!("review: a kind this version does not plan (`{other}`)"),
    }
}

/// `unknown_field`: an optional field of the type the JSON suggests, with a TODO doc.
fn unknown_field(job: &Job, folder: &mut Folder) -> String {
    let Some(place) = &job.place else {
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
    let finding = job.finding;
    let ty = new_type(job.spec, &finding.json_type, finding.form.as_deref());
    let (file, end, pad) = match folder.block_end("schemas", &place.schema, "fields") {
        Ok(found) => found,
        Err(why) => {
            return format!(
                "add optional `{}: {ty}` to `{}` ({why})",
                place.member, place.schema
            );
        }
    };
    let doc = job.todo_doc(", drift report");
    folder.edit(
        file,
        Edit::Insert(
            end,
            vec![
                format!("{pad}{}:", place.member),
                format!("{pad}  type: {ty}"),
                format!("{pad}  doc: \"{doc}\""),
            ],
        ),
    );
    format!(
        "add optional `{}: {ty}` to `{}`",
        place.member, place.schema
    )
}

/// `unknown_enum_value`: the value, added to its enum with a TODO doc.
fn unknown_enum_value(job: &Job, folder: &mut Folder) -> String {
    let (Some(TypeRef::Enum(name)), Some(value)) = (
        job.place.as_ref().and_then(|p| p.ty.clone()),
        job.finding.value.as_ref(),
    ) else {
        return "review: the value is not kept (it looked like data) or the field is no enum"
            .to_owned();
    };
    if job
        .spec
        .enums
        .get(&name)
        .is_some_and(|e| e.values.iter().any(|v| &v.wire == value))
    {
        return format!("none: `{value}` is in `{name}` now");
    }
    let (file, end, pad) = match folder.block_end("enums", &name, "values") {
        Ok(found) => found,
        Err(why) => return format!("add `{value}` to enum `{name}` ({why})"),
    };
    let doc = job.todo_doc("");
    folder.edit(
        file,
        Edit::Insert(end, vec![format!("{pad}{value}: \"{doc}\"")]),
    );
    format!("add `{value}` to enum `{name}`")
}

/// `number_as_string` / `string_as_number`: a decimal written in the form found, an integer
/// sent as a string of digits written as `string`, a string sent as a number reviewed.
fn number_form(job: &Job, folder: &mut Folder) -> String {
    let Some(place) = &job.place else {
        return "review: the path does not lead to a field of the spec".to_owned();
    };
    let (from, to) = match (job.finding.kind, &place.ty) {
        (DriftKind::NumberAsString, Some(TypeRef::Decimal(DecimalWire::Number))) => {
            ("decimal", "decimal_string")
        }
        (DriftKind::StringAsNumber, Some(TypeRef::Decimal(DecimalWire::String))) => {
            ("decimal_string", "decimal")
        }
        (_, Some(TypeRef::Decimal(_))) => {
            return "none: the spec says this form now".to_owned();
        }
        (DriftKind::NumberAsString, Some(TypeRef::I32 | TypeRef::I64)) => {
            return integer_as_string(job, folder, place);
        }
        (DriftKind::NumberAsString, Some(TypeRef::String)) => {
            return format!(
                "none: `{}.{}` is a `string` now",
                place.schema, place.member
            );
        }
        (DriftKind::StringAsNumber, Some(TypeRef::String)) => return number_as_text(job, place),
        _ => {
            return "review: the field reads both forms already; say so in its `doc`".to_owned();
        }
    };
    match field_line(folder, place, "type") {
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

/// `number_as_string` on an `i32`/`i64` field: its `type:` written as `string` when EnKash sent
/// a string of digits (and the line says that integer type).
fn integer_as_string(job: &Job, folder: &mut Folder, place: &Place) -> String {
    let field = format!("`{}.{}`", place.schema, place.member);
    let declared = if place.ty == Some(TypeRef::I32) {
        "i32"
    } else {
        "i64"
    };
    let form = job.finding.form.as_deref().unwrap_or("no form");
    if !form.starts_with("integer") {
        return format!(
            "review: {field} is sent as a string ({form}) where the spec says `{declared}`; the client fails to read it"
        );
    }
    match retype(folder, place, declared, "string") {
        Ok(()) => format!("{field} is sent as a string of digits: write it as `string`"),
        Err(why) => format!("{field} is sent as a string of digits: write it as `string` ({why})"),
    }
}

/// `string_as_number` on a `string` field: a review (the client fails to read the number).
fn number_as_text(job: &Job, place: &Place) -> String {
    let number = match job.finding.form.as_deref() {
        Some("integer") => "a JSON number (an integer)",
        Some("decimal") => "a JSON number (a decimal)",
        _ => "a JSON number",
    };
    format!(
        "review: `{}.{}` is sent as {number} where the spec says `string`; the client fails to read it",
        place.schema, place.member
    )
}

/// `date_form`: a form added to a `datetimes:` type's `reads`, or a fixed-format field
/// (`datetime`, `datetime_local`, `date`) retyped or reviewed.
fn date_form(job: &Job, folder: &mut Folder) -> String {
    let Some(place) = &job.place else {
        return "review: the path does not lead to a field of the spec".to_owned();
    };
    match &place.ty {
        Some(TypeRef::DateTimeType(name)) => read_form(job, folder, name),
        Some(TypeRef::DateTime(
            format @ (DateFormat::Iso8601 | DateFormat::LocalDateTime | DateFormat::Date),
        )) => fixed_date(job, folder, place, *format),
        _ => "review: the field is no `datetimes:` type, `datetime`, `datetime_local` or `date`"
            .to_owned(),
    }
}

/// `other_date_form`: a date read in a form its type reads, not the one it declares (writes).
/// Evidence, not an error: the spec keeps reading every form EnKash is known to use, and the
/// maintainer records in the field's doc which one it really uses.
fn other_date_form(job: &Job) -> String {
    let Some(place) = &job.place else {
        return "review: the path does not lead to a field of the spec".to_owned();
    };
    let Some(TypeRef::DateTimeType(name)) = &place.ty else {
        return "review: the field is no `datetimes:` type now".to_owned();
    };
    let form = job.finding.form.as_deref().unwrap_or_default();
    let found = spec_form(form).map_or(form, |found| found.spec_name());
    let declared = job
        .spec
        .datetimes
        .get(name)
        .map_or("?", |datetime| datetime.writes.spec_name());
    format!(
        "review: `{}.{}` is sent as `{found}`, which `{name}` reads but does not declare \
         (`{declared}`): say in its `doc` which form EnKash uses",
        place.schema, place.member
    )
}

/// `date_form` on a `datetimes:` type: the form found, added to its `reads`.
fn read_form(job: &Job, folder: &mut Folder, name: &str) -> String {
    let form = job.finding.form.as_deref().unwrap_or_default();
    let Some(wanted) = spec_form(form) else {
        return format!(
            "review: the client reads no `{form}` form yet (a new `DateTimeForm` in the runtime)"
        );
    };
    let Some(datetime) = job.spec.datetimes.get(name) else {
        return format!("add `{}` to `{name}.reads`", wanted.spec_name());
    };
    let mut reads: Vec<&str> = datetime.reads.iter().map(|f| f.spec_name()).collect();
    if reads.contains(&wanted.spec_name()) {
        return format!("none: `{name}` reads `{}` now", wanted.spec_name());
    }
    reads.push(wanted.spec_name());
    let Some((file, at)) = folder.find_item("datetimes", name) else {
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

/// `date_form` on a `datetime`, `datetime_local` or `date` field: retyped to a `datetimes:`
/// type that reads both the form found and the declared one, when the spec has one.
fn fixed_date(job: &Job, folder: &mut Folder, place: &Place, format: DateFormat) -> String {
    let (declared_name, pattern, declared) = match format {
        DateFormat::Iso8601 => (
            "datetime",
            "yyyy-MM-dd'T'HH:mm:ssXXX",
            Some(DateTimeForm::Rfc3339),
        ),
        DateFormat::LocalDateTime => (
            "datetime_local",
            "yyyy-MM-dd HH:mm:ss",
            Some(DateTimeForm::SpaceLocal),
        ),
        _ => ("date", "yyyy-MM-dd", None),
    };
    let field = format!("`{}.{}`", place.schema, place.member);
    let found = job.finding.form.as_deref().unwrap_or("no form");
    let review = |why: String| {
        format!(
            "review: {field} is sent as `{found}` where the spec says `{declared_name}` (`{pattern}`); {why}"
        )
    };
    let Some(declared) = declared else {
        return review("no `datetimes:` type reads a date alone".to_owned());
    };
    let Some(wanted) = spec_form(found) else {
        return review(format!(
            "the client reads no `{found}` form yet (a new `DateTimeForm` in the runtime)"
        ));
    };
    let Some(datetime) = reader(job.spec, wanted, declared) else {
        return review(format!(
            "no `datetimes:` type reads both `{}` and `{}`",
            declared.spec_name(),
            wanted.spec_name()
        ));
    };
    let reads: Vec<&str> = datetime.reads.iter().map(|f| f.spec_name()).collect();
    let suggestion = format!(
        "read {field} as `{}` (reads {})",
        datetime.name,
        reads.join(", ")
    );
    match retype(folder, place, declared_name, &datetime.name) {
        Ok(()) => suggestion,
        Err(why) => format!("{suggestion} ({why})"),
    }
}

/// A `datetimes:` type reading both forms; one that writes `declared` first (so what the client
/// sends does not change).
fn reader(spec: &Spec, found: DateTimeForm, declared: DateTimeForm) -> Option<&DateTimeType> {
    let readers = || {
        spec.datetimes
            .values()
            .filter(move |dt| dt.reads.contains(&found) && dt.reads.contains(&declared))
    };
    readers()
        .find(|dt| dt.writes == declared)
        .or_else(|| readers().next())
}

/// `missing_field` / `null_value`: the field made optional / nullable.
fn optional(job: &Job, folder: &mut Folder) -> String {
    let Some(place) = &job.place else {
        return "review: the path does not lead to a field of the spec".to_owned();
    };
    let missing = job.finding.kind == DriftKind::MissingField;
    let (text, what, now) = if missing {
        ("required: false", "make it optional", "optional")
    } else {
        ("nullable: true", "make it nullable", "nullable")
    };
    if place.ty.is_some()
        && (if missing {
            !place.required
        } else {
            place.nullable
        })
    {
        return format!("none: `{}.{}` is {now} now", place.schema, place.member);
    }
    match field_line(folder, place, "required") {
        Some((file, line)) => {
            let pad = " ".repeat(indent(&folder.lines(file)[line]));
            if missing {
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

/// Writes `to` for the type `from` in the `type:` line of field `place` (also inside `list<..>`
/// and `map<..>`); why not, when the line is not found or does not say `from`.
fn retype(folder: &mut Folder, place: &Place, from: &str, to: &str) -> Result<(), String> {
    let Some((file, line)) = field_line(folder, place, "type") else {
        return Err("its YAML was not found".to_owned());
    };
    let Some(text) = retyped(&folder.lines(file)[line], from, to) else {
        return Err(format!("its `type:` line does not say `{from}`"));
    };
    folder.edit(file, Edit::Replace(line, text));
    Ok(())
}

/// `    type: list<i64>` with `i64` → `string`: `    type: list<string>`; `None` when the line's
/// type, without its lists and maps, is not `from`.
fn retyped(line: &str, from: &str, to: &str) -> Option<String> {
    let (key, value) = line.split_once(':')?;
    if key.trim() != "type" {
        return None;
    }
    let value = value.trim();
    let (mut start, mut end) = (0, value.len());
    loop {
        let inner = value.get(start..end)?;
        if inner == from {
            return Some(format!("{key}: {}{to}{}", &value[..start], &value[end..]));
        }
        let open = ["list<", "map<"]
            .into_iter()
            .find(|open| inner.starts_with(open))?;
        if !inner.ends_with('>') {
            return None;
        }
        start += open.len();
        end -= 1;
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

#[cfg(test)]
mod tests {
    use super::retyped;

    #[test]
    fn retyped_replaces_the_type_only_when_the_line_says_it() {
        let retype = |line: &str| retyped(line, "i64", "string");
        assert_eq!(
            retype("        type: i64").as_deref(),
            Some("        type: string")
        );
        assert_eq!(
            retype("    type: list<map<i64>>").as_deref(),
            Some("    type: list<map<string>>")
        );
        for line in [
            "    type: i32",
            "    type: list<i64",
            "    type: i64 # count",
            "    doc: i64",
            "    type: list<>",
        ] {
            assert_eq!(retype(line), None, "{line}");
        }
    }
}
