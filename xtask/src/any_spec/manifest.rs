//! The manifests of the scratch workspace, derived from the project's: each spec's crate gets
//! `enkash-generated/Cargo.toml` with every `workspace = true` entry resolved from the root
//! `Cargo.toml` (the crate no longer lives in the project's workspace), without its
//! dev-dependencies, examples, tests and benches, and with only the binaries whose source is
//! copied (`src/bin/<name>.rs`: the `enkash` command line); the
//! scratch workspace gets the root's resolver and profiles, so that dependencies built for the
//! project are reused.
//!
//! Manifests are read with `toml_edit` into [`Toml`] (order kept, comments dropped) and written
//! back by [`render`]: every top-level table as a `[section]` of `key = value` lines, nested
//! tables inline. Pure: paths are only joined, never read.

use std::path::Path;

/// A TOML value, in the order of its file.
#[derive(Debug, Clone, PartialEq)]
pub enum Toml {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Boolean(bool),
    /// A date-time, as written.
    Datetime(String),
    /// An array (of values or of tables).
    Array(Vec<Toml>),
    /// A table, inline or not.
    Table(Vec<(String, Toml)>),
}

impl Toml {
    /// The value at `key` of a table.
    pub fn get(&self, key: &str) -> Option<&Toml> {
        match self {
            Toml::Table(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a path of keys.
    pub fn at(&self, path: &[&str]) -> Option<&Toml> {
        path.iter().try_fold(self, |value, key| value.get(key))
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Toml::String(text) => Some(text),
            _ => None,
        }
    }

    fn entries(&self) -> &[(String, Toml)] {
        match self {
            Toml::Table(entries) => entries,
            _ => &[],
        }
    }

    /// True for a table holding `workspace = true`.
    fn inherits(&self) -> bool {
        self.get("workspace") == Some(&Toml::Boolean(true))
    }
}

/// Sets `key` of `entries` to `value`, in place or at the end.
fn set(entries: &mut Vec<(String, Toml)>, key: &str, value: Toml) {
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key.to_owned(), value)),
    }
}

/// Parses a manifest (`what` names it in errors) into a table.
pub fn parse(text: &str, what: &str) -> Result<Toml, String> {
    let document: toml_edit::DocumentMut = text
        .parse()
        .map_err(|err| format!("{what}: not valid TOML: {err}"))?;
    Ok(table(document.as_table()))
}

fn table(table: &dyn toml_edit::TableLike) -> Toml {
    Toml::Table(
        table
            .iter()
            .filter_map(|(key, item)| item_value(item).map(|value| (key.to_owned(), value)))
            .collect(),
    )
}

fn item_value(item: &toml_edit::Item) -> Option<Toml> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(value) => Some(value_of(value)),
        toml_edit::Item::Table(inner) => Some(table(inner)),
        toml_edit::Item::ArrayOfTables(tables) => Some(Toml::Array(
            tables.iter().map(|inner| table(inner)).collect(),
        )),
    }
}

fn value_of(value: &toml_edit::Value) -> Toml {
    match value {
        toml_edit::Value::String(text) => Toml::String(text.value().clone()),
        toml_edit::Value::Integer(n) => Toml::Integer(*n.value()),
        toml_edit::Value::Float(x) => Toml::Float(*x.value()),
        toml_edit::Value::Boolean(b) => Toml::Boolean(*b.value()),
        toml_edit::Value::Datetime(d) => Toml::Datetime(d.value().to_string()),
        toml_edit::Value::Array(items) => Toml::Array(items.iter().map(value_of).collect()),
        toml_edit::Value::InlineTable(inner) => table(inner),
    }
}

/// Writes a table as a manifest: each top-level entry a `[section]` (tables) or, before them,
/// `key = value` (anything else).
pub fn render(manifest: &Toml) -> String {
    let mut out = String::new();
    let (sections, plain): (Vec<_>, Vec<_>) = manifest
        .entries()
        .iter()
        .partition(|(_, value)| matches!(value, Toml::Table(_)));
    for (key, value) in plain {
        out.push_str(&format!("{} = {}\n", render_key(key), inline(value)));
    }
    for (key, value) in sections {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("[{}]\n", render_key(key)));
        for (key, value) in value.entries() {
            out.push_str(&format!("{} = {}\n", render_key(key), inline(value)));
        }
    }
    out
}

fn render_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        render_string(key)
    }
}

/// A TOML basic string: the escapes TOML and JSON share, written by the JSON writer.
fn render_string(text: &str) -> String {
    crate::json::string_literal(text)
}

fn inline(value: &Toml) -> String {
    match value {
        Toml::String(text) => render_string(text),
        Toml::Integer(n) => n.to_string(),
        Toml::Float(x) if x.is_finite() => format!("{x:?}"),
        Toml::Float(x) if x.is_nan() => "nan".to_owned(),
        Toml::Float(x) => (if *x > 0.0 { "inf" } else { "-inf" }).to_owned(),
        Toml::Boolean(b) => b.to_string(),
        Toml::Datetime(text) => text.clone(),
        Toml::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Toml::Table(entries) if entries.is_empty() => "{}".to_owned(),
        Toml::Table(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{} = {}", render_key(key), inline(value)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// Where the two manifests are and what the crate is called.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// `enkash-generated/Cargo.toml`, parsed.
    pub member: &'a Toml,
    /// Folder of the member manifest (its relative `path`s are from there).
    pub member_dir: &'a Path,
    /// The root `Cargo.toml`, parsed.
    pub root: &'a Toml,
    /// Folder of the root manifest.
    pub root_dir: &'a Path,
    /// The binaries' sources copied into the crate (`src/bin/enkash.rs`), relative to it: a
    /// `[[bin]]` is kept when its source is one of them.
    pub bin_files: &'a [String],
}

/// `[package]` keys kept; the rest describe the published crate, not what compiles.
const PACKAGE_KEYS: [&str; 4] = ["version", "edition", "rust-version", "license"];

/// Top-level sections of the member manifest that are dropped: only the library and the
/// binaries are copied.
const DROPPED: [&str; 6] = [
    "dev-dependencies",
    "dev_dependencies",
    "example",
    "test",
    "bench",
    "badges",
];

/// The manifest of a scratch crate called `name`: the member's, with `workspace = true` entries
/// resolved from the root, only its library and the binaries of [`Sources::bin_files`], and
/// nothing published.
pub fn crate_manifest(sources: Sources<'_>, name: &str) -> Result<Toml, String> {
    let mut out = Vec::new();
    for (section, value) in sources.member.entries() {
        match section.as_str() {
            "package" => out.push((section.clone(), package(sources, value, name)?)),
            "lib" => out.push((section.clone(), value.clone())),
            "features" => out.push((section.clone(), value.clone())),
            "dependencies" => out.push((section.clone(), dependencies(sources, value, section)?)),
            "lints" if value.inherits() => {
                let lints = sources.root.at(&["workspace", "lints"]).ok_or(
                    "`lints.workspace = true`, but the root Cargo.toml has no `[workspace.lints]`",
                )?;
                out.push((section.clone(), lints.clone()));
            }
            "lints" => out.push((section.clone(), value.clone())),
            "target" => out.push((section.clone(), targets(sources, value)?)),
            "bin" => {
                let kept = bins(sources, value);
                if !kept.is_empty() {
                    out.push((section.clone(), Toml::Array(kept)));
                }
            }
            dropped if DROPPED.contains(&dropped) => {}
            "build-dependencies" | "build_dependencies" => {
                return Err(
                    "`[build-dependencies]`: any-spec copies no build script; teach it to"
                        .to_owned(),
                );
            }
            other => {
                return Err(format!(
                    "section `[{other}]` is not one any-spec knows how to carry over"
                ));
            }
        }
    }
    Ok(Toml::Table(out))
}

fn package(sources: Sources<'_>, package: &Toml, name: &str) -> Result<Toml, String> {
    if package
        .get("build")
        .is_some_and(|build| *build != Toml::Boolean(false))
    {
        return Err("`package.build`: any-spec copies no build script".to_owned());
    }
    let mut out = vec![("name".to_owned(), Toml::String(name.to_owned()))];
    for key in PACKAGE_KEYS {
        let Some(value) = package.get(key) else {
            continue;
        };
        let value = if value.inherits() {
            sources
                .root
                .at(&["workspace", "package", key])
                .ok_or_else(|| {
                    format!(
                        "`package.{key}.workspace = true`, but the root Cargo.toml has no \
                         `workspace.package.{key}`"
                    )
                })?
                .clone()
        } else {
            value.clone()
        };
        out.push((key.to_owned(), value));
    }
    out.push(("publish".to_owned(), Toml::Boolean(false)));
    for auto in ["autobins", "autoexamples", "autotests", "autobenches"] {
        out.push((auto.to_owned(), Toml::Boolean(false)));
    }
    Ok(Toml::Table(out))
}

/// The `[[bin]]` targets whose source (`path`, else `src/bin/<name>.rs`) is copied, each with
/// its `path` written out (the crate has `autobins = false`).
fn bins(sources: Sources<'_>, bins: &Toml) -> Vec<Toml> {
    let Toml::Array(bins) = bins else {
        return Vec::new();
    };
    bins.iter()
        .filter_map(|bin| {
            let path = match (bin.get("path"), bin.get("name")) {
                (Some(Toml::String(path)), _) => path.clone(),
                (_, Some(Toml::String(name))) => format!("src/bin/{name}.rs"),
                _ => return None,
            };
            if !sources.bin_files.contains(&path) {
                return None;
            }
            let mut entries = bin.entries().to_vec();
            set(&mut entries, "path", Toml::String(path));
            Some(Toml::Table(entries))
        })
        .collect()
}

/// `[target.'cfg(..)'.dependencies]`: dependencies resolved, dev- and build-dependencies dropped.
fn targets(sources: Sources<'_>, targets: &Toml) -> Result<Toml, String> {
    let mut out = Vec::new();
    for (cfg, tables) in targets.entries() {
        let mut kept = Vec::new();
        for (kind, value) in tables.entries() {
            match kind.as_str() {
                "dependencies" => kept.push((
                    kind.clone(),
                    dependencies(sources, value, &format!("target.{cfg}.dependencies"))?,
                )),
                "dev-dependencies" | "dev_dependencies" => {}
                other => {
                    return Err(format!(
                        "`[target.{cfg}.{other}]` is not one any-spec knows how to carry over"
                    ));
                }
            }
        }
        if !kept.is_empty() {
            out.push((cfg.clone(), Toml::Table(kept)));
        }
    }
    Ok(Toml::Table(out))
}

/// Every dependency of a `[dependencies]` table with `workspace = true` resolved and relative
/// paths made absolute (the crate is built elsewhere).
fn dependencies(sources: Sources<'_>, table: &Toml, section: &str) -> Result<Toml, String> {
    let mut out = Vec::new();
    for (name, spec) in table.entries() {
        let resolved = if spec.inherits() {
            let inherited = sources
                .root
                .at(&["workspace", "dependencies", name])
                .ok_or_else(|| {
                    format!(
                        "`{section}.{name}` has `workspace = true`, but the root Cargo.toml has \
                         no `workspace.dependencies.{name}`"
                    )
                })?;
            let mut entries = detailed(inherited, sources.root_dir);
            for (key, value) in spec.entries() {
                match key.as_str() {
                    "workspace" => {}
                    "features" => {
                        let mut features = match entries.iter().find(|(k, _)| k == "features") {
                            Some((_, Toml::Array(features))) => features.clone(),
                            _ => Vec::new(),
                        };
                        if let Toml::Array(more) = value {
                            for feature in more {
                                if !features.contains(feature) {
                                    features.push(feature.clone());
                                }
                            }
                        }
                        set(&mut entries, "features", Toml::Array(features));
                    }
                    "path" => set(&mut entries, key, absolute(value, sources.member_dir)),
                    _ => set(&mut entries, key, value.clone()),
                }
            }
            Toml::Table(entries)
        } else {
            match spec {
                Toml::Table(_) => Toml::Table(detailed(spec, sources.member_dir)),
                version => version.clone(),
            }
        };
        out.push((name.clone(), resolved));
    }
    Ok(Toml::Table(out))
}

/// A dependency as a table (`"1.0"` is `{ version = "1.0" }`), its `path` made absolute from
/// `dir`.
fn detailed(spec: &Toml, dir: &Path) -> Vec<(String, Toml)> {
    match spec {
        Toml::Table(entries) => entries
            .iter()
            .map(|(key, value)| {
                let value = if key == "path" {
                    absolute(value, dir)
                } else {
                    value.clone()
                };
                (key.clone(), value)
            })
            .collect(),
        version => vec![("version".to_owned(), version.clone())],
    }
}

fn absolute(path: &Toml, dir: &Path) -> Toml {
    match path {
        Toml::String(path) if Path::new(path).is_relative() => {
            Toml::String(dir.join(path).to_string_lossy().into_owned())
        }
        other => other.clone(),
    }
}

/// The scratch workspace's root manifest: `members`, and the root's resolver and profiles (a
/// dependency is reused only when it is built with the same profile).
pub fn workspace_manifest(root: &Toml, members: &[String]) -> Result<Toml, String> {
    for unsupported in ["patch", "replace"] {
        if root.get(unsupported).is_some() {
            return Err(format!(
                "the root Cargo.toml has `[{unsupported}]`, which any-spec does not carry over"
            ));
        }
    }
    let resolver = root
        .at(&["workspace", "resolver"])
        .cloned()
        .unwrap_or_else(|| Toml::String("3".to_owned()));
    let members = Toml::Array(members.iter().cloned().map(Toml::String).collect());
    let mut out = vec![(
        "workspace".to_owned(),
        Toml::Table(vec![
            ("resolver".to_owned(), resolver),
            ("members".to_owned(), members),
        ]),
    )];
    if let Some(profile) = root.get("profile") {
        out.push(("profile".to_owned(), profile.clone()));
    }
    Ok(Toml::Table(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = r#"
[workspace]
resolver = "3"
members = ["a", "b"]

[workspace.package]
edition = "2024"
rust-version = "1.89"
license = "MIT OR Apache-2.0"

[workspace.dependencies]
enkash-spec = { path = "enkash-spec" }
serde = { version = "1.0.228", features = ["derive"] }
serde_json = "1.0.145"

[profile.dev.package."*"]
debug = false
"#;

    const MEMBER: &str = r#"
[package]
name = "enkash-generated"
version = "0.1.0"
description = "Typed client."
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[dependencies]
reqwest = { version = "0.13.5", default-features = false, features = ["json"] }
serde.workspace = true
serde_json = { workspace = true, features = ["raw_value"] }
tokio = { version = "1.48", features = ["sync"] } # a comment
axum = { version = "0.8.9", optional = true }
local = { path = "../local" }

[features]
# The mock.
mock = ["dep:axum", "tokio/net"]

[dev-dependencies]
enkash-spec.workspace = true

[[bin]]
name = "enkash-mock"
required-features = ["mock"]

[[example]]
name = "checkout"
"#;

    fn derive(member: &str) -> Result<String, String> {
        derive_with_bins(member, &[])
    }

    fn derive_with_bins(member: &str, bin_files: &[String]) -> Result<String, String> {
        let member = parse(member, "member")?;
        let root = parse(ROOT, "root")?;
        let sources = Sources {
            member: &member,
            member_dir: Path::new("/repo/enkash-generated"),
            root: &root,
            root_dir: Path::new("/repo"),
            bin_files,
        };
        crate_manifest(sources, "any-spec-synth-30").map(|manifest| render(&manifest))
    }

    #[test]
    fn resolves_workspace_entries_and_keeps_only_the_library() {
        assert_eq!(
            derive(MEMBER).unwrap(),
            r#"[package]
name = "any-spec-synth-30"
version = "0.1.0"
edition = "2024"
rust-version = "1.89"
license = "MIT OR Apache-2.0"
publish = false
autobins = false
autoexamples = false
autotests = false
autobenches = false

[dependencies]
reqwest = { version = "0.13.5", default-features = false, features = ["json"] }
serde = { version = "1.0.228", features = ["derive"] }
serde_json = { version = "1.0.145", features = ["raw_value"] }
tokio = { version = "1.48", features = ["sync"] }
axum = { version = "0.8.9", optional = true }
local = { path = "/repo/enkash-generated/../local" }

[features]
mock = ["dep:axum", "tokio/net"]
"#
        );
    }

    #[test]
    fn a_binary_is_kept_when_its_source_is_copied() {
        let text = derive_with_bins(MEMBER, &["src/bin/enkash-mock.rs".to_owned()]).unwrap();
        assert!(
            text.contains(
                "bin = [{ name = \"enkash-mock\", required-features = [\"mock\"], path = \"src/bin/enkash-mock.rs\" }]\n"
            ),
            "{text}"
        );
        assert_eq!(render(&parse(&text, "derived").unwrap()), text);
        let other = derive_with_bins(MEMBER, &["src/bin/other.rs".to_owned()]).unwrap();
        assert!(!other.contains("bin ="), "{other}");
    }

    #[test]
    fn the_derived_manifest_is_valid_toml_that_reads_back_the_same() {
        let text = derive(MEMBER).unwrap();
        let again = parse(&text, "derived").unwrap();
        assert_eq!(render(&again), text);
    }

    #[test]
    fn inherited_features_are_merged_and_paths_resolved_from_the_root() {
        let member = "[package]\nname = \"m\"\nversion = \"0.1.0\"\n\n[dependencies]\n\
                      serde = { workspace = true, features = [\"derive\", \"rc\"], optional = true }\n\
                      enkash-spec.workspace = true\n";
        let text = derive(member).unwrap();
        assert!(
            text.contains(
                "serde = { version = \"1.0.228\", features = [\"derive\", \"rc\"], optional = true }"
            ),
            "{text}"
        );
        assert!(
            text.contains("enkash-spec = { path = \"/repo/enkash-spec\" }"),
            "{text}"
        );
    }

    #[test]
    fn what_cannot_be_resolved_or_carried_over_is_an_error() {
        let missing =
            "[package]\nname = \"m\"\nversion = \"0.1.0\"\n[dependencies]\nrand.workspace = true\n";
        assert_eq!(
            derive(missing).unwrap_err(),
            "`dependencies.rand` has `workspace = true`, but the root Cargo.toml has no \
             `workspace.dependencies.rand`"
        );
        let homepage = "[package]\nname = \"m\"\nversion = \"0.1.0\"\nreadme.workspace = true\n\
                        documentation.workspace = true\n[package.metadata.x]\ny = 1\n";
        assert!(derive(homepage).is_ok(), "keys not kept are not resolved");
        let edition = "[package]\nname = \"m\"\nversion = \"0.1.0\"\nedition.workspace = true\n";
        let no_package = ROOT.replace("edition = \"2024\"\n", "");
        let member = parse(edition, "member").unwrap();
        let root = parse(&no_package, "root").unwrap();
        let sources = Sources {
            member: &member,
            member_dir: Path::new("/m"),
            root: &root,
            root_dir: Path::new("/"),
            bin_files: &[],
        };
        assert_eq!(
            crate_manifest(sources, "x").unwrap_err(),
            "`package.edition.workspace = true`, but the root Cargo.toml has no \
             `workspace.package.edition`"
        );
        let build =
            "[package]\nname = \"m\"\nversion = \"0.1.0\"\n[build-dependencies]\ncc = \"1\"\n";
        assert!(derive(build).unwrap_err().contains("no build script"));
        let unknown = "[package]\nname = \"m\"\nversion = \"0.1.0\"\n[weird]\nx = 1\n";
        assert_eq!(
            derive(unknown).unwrap_err(),
            "section `[weird]` is not one any-spec knows how to carry over"
        );
        assert!(
            parse("[package", "broken.toml")
                .unwrap_err()
                .starts_with("broken.toml: not valid TOML")
        );
    }

    #[test]
    fn target_specific_dependencies_are_resolved_and_dev_ones_dropped() {
        let member = "[package]\nname = \"m\"\nversion = \"0.1.0\"\n\
                      [target.'cfg(unix)'.dependencies]\nserde.workspace = true\n\
                      [target.'cfg(unix)'.dev-dependencies]\nproptest = \"1\"\n\
                      [target.'cfg(windows)'.dev-dependencies]\nproptest = \"1\"\n";
        let text = derive(member).unwrap();
        assert!(
            text.contains(
                "[target]\n\"cfg(unix)\" = { dependencies = { serde = { version = \"1.0.228\", \
                 features = [\"derive\"] } } }\n"
            ),
            "{text}"
        );
        assert!(
            !text.contains("proptest") && !text.contains("windows"),
            "{text}"
        );
    }

    #[test]
    fn the_workspace_keeps_the_resolver_and_profiles() {
        let root = parse(ROOT, "root").unwrap();
        let members = [
            "crates/synth-30".to_owned(),
            "crates/fixture-webhooks".to_owned(),
        ];
        assert_eq!(
            render(&workspace_manifest(&root, &members).unwrap()),
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/synth-30\", \"crates/fixture-webhooks\"]\n\n\
             [profile]\ndev = { package = { \"*\" = { debug = false } } }\n"
        );
        let patched = parse(
            &format!("{ROOT}\n[patch.crates-io]\nserde = {{ path = \"x\" }}\n"),
            "root",
        )
        .unwrap();
        assert!(
            workspace_manifest(&patched, &members)
                .unwrap_err()
                .contains("[patch]")
        );
    }
}
