//! The `companions` section: hand-written modules that use generated types, declared so that the
//! generator compiles them beside the generated code only for a spec that has them.

use std::collections::BTreeMap;

use crate::decode::{Decoder, Item};
use crate::model::{Companion, CompanionExport};
use crate::naming;
use crate::report::YamlPath;
use crate::source::Span;
use crate::suggest::did_you_mean;
use crate::yaml::Node;

/// Modules the generator writes itself, at the root of the generated folder: a companion of the
/// same name would clash with them.
pub(crate) const GENERATED_MODULES: [&str; 7] = [
    "client",
    "datetimes",
    "enums",
    "mock",
    "models",
    "operations",
    "webhooks",
];

/// The values of `export`.
const EXPORTS: [&str; 2] = ["root", "mock"];

/// The feature the generated `mock` module is compiled with.
const MOCK_FEATURE: &str = "mock";

/// Decodes `companions:`, a mapping of module names to companions.
pub(crate) fn decode_companions(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
) -> Option<BTreeMap<String, Companion>> {
    let mut companions = BTreeMap::new();
    let mut complete = true;
    for item in d.items(node, path, "companion") {
        match decode_companion(d, &item, &path.key(item.name)) {
            Some(companion) => {
                companions.insert(companion.module.clone(), companion);
            }
            None => complete = false,
        }
    }
    complete.then_some(companions)
}

fn decode_companion(d: &mut Decoder<'_>, item: &Item<'_>, path: &YamlPath) -> Option<Companion> {
    let mut ok = check_module_name(d, item.name, item.key_span, path);
    let keys = d.keys(
        item.value,
        path,
        item.key_span,
        &["doc", "feature", "export"],
    )?;
    let doc = keys.required_string(d, "doc");
    let feature = keys.optional_string(d, "feature");
    if let Ok(Some(name)) = &feature
        && !is_feature_name(name)
    {
        let span = keys.get("feature").and_then(|node| node.span);
        d.error(
            span,
            &keys.path_of("feature"),
            format!("'{name}' is not a cargo feature name"),
        )
        .help("use lower-case letters, digits, '_' and '-', starting with a letter");
        ok = false;
    }
    let export = match keys.optional_string(d, "export") {
        Err(()) => None,
        Ok(None) => Some(CompanionExport::Root),
        Ok(Some(text)) => {
            let span = keys.get("export").and_then(|node| node.span);
            match text.as_str() {
                "root" => Some(CompanionExport::Root),
                "mock" => Some(CompanionExport::Mock),
                other => {
                    let help = did_you_mean(other, EXPORTS).unwrap_or_else(|| {
                        "`root` (the crate root, the default) or `mock` (the generated mock \
                         module)"
                            .to_string()
                    });
                    d.error(
                        span,
                        &keys.path_of("export"),
                        format!("unknown export '{other}'"),
                    )
                    .help(help);
                    None
                }
            }
        }
    };
    let feature = feature.ok()?;
    if export == Some(CompanionExport::Mock) && feature.as_deref() != Some(MOCK_FEATURE) {
        let span = keys.key_span("export");
        d.error(
            span,
            &keys.path_of("export"),
            "a companion exported into `mock` must have `feature: mock`",
        )
        .help("the generated `mock` module exists only with the `mock` feature");
        ok = false;
    }
    let companion = Companion {
        module: item.name.to_string(),
        doc: doc?,
        feature,
        export: export?,
    };
    ok.then_some(companion)
}

/// A module name is a snake_case identifier that no generated module uses.
fn check_module_name(d: &mut Decoder<'_>, name: &str, span: Option<Span>, path: &YamlPath) -> bool {
    if !naming::is_snake_identifier(name) {
        let suggestion = Some(naming::snake(name))
            .filter(|s| naming::is_snake_identifier(s))
            .map(|s| format!("did you mean '{s}'?"));
        d.error(
            span,
            path,
            format!("companion module name '{name}' is not a snake_case Rust identifier"),
        )
        .maybe_help(suggestion.or_else(|| {
            Some("the name is the module's and its folder's: lower-case words joined by '_'".into())
        }));
        return false;
    }
    if GENERATED_MODULES.contains(&name) {
        d.error(
            span,
            path,
            format!("companion module name '{name}' is the name of a generated module"),
        )
        .help(format!(
            "the generated modules are: {}; choose another name",
            GENERATED_MODULES.join(", ")
        ));
        return false;
    }
    true
}

/// A cargo feature name as this project writes them: `mock`, `my-feature`, `tls_native`.
fn is_feature_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}
