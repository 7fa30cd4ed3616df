//! The sections that describe the spec tree around the operations: `areas` (how the client
//! groups operations), `products` (other APIs described in sub-folders) and `duplicate_ids`
//! (how a reused dedup id is refused).

use crate::decode::{Decoder, Item};
use crate::model::{Area, DuplicateIds};
use crate::naming;
use crate::report::YamlPath;
use crate::source::Span;
use crate::yaml::{Node, Value};

/// A product as declared in `products:`: its spec is loaded from its folder afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProductDecl {
    /// Module and folder name.
    pub name: String,
    /// What the product is.
    pub doc: String,
    /// Its cargo feature.
    pub feature: String,
    /// The file that declares it (index in the root's files).
    pub file: usize,
    /// Where its name is written.
    pub key_span: Option<Span>,
}

/// Decodes `areas: {name: Title, ...}`, in file order.
pub(crate) fn decode_areas(d: &mut Decoder<'_>, node: &Node, path: &YamlPath) -> Option<Vec<Area>> {
    let mut areas = Vec::new();
    let mut ok = matches!(node.value, Value::Map(_));
    for item in d.items(node, path, "area") {
        let item_path = path.key(item.name);
        if !snake_name(d, &item, &item_path, "area") {
            ok = false;
            continue;
        }
        match d.string(item.value, &item_path) {
            Some(title) => areas.push(Area {
                name: item.name.to_string(),
                title,
            }),
            None => ok = false,
        }
    }
    ok.then_some(areas)
}

/// Decodes `products: {name: {doc, feature}}`.
pub(crate) fn decode_products(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
) -> Option<Vec<ProductDecl>> {
    let mut products = Vec::new();
    let mut ok = matches!(node.value, Value::Map(_));
    for item in d.items(node, path, "product") {
        let item_path = path.key(item.name);
        let mut named = snake_name(d, &item, &item_path, "product");
        if item.name == "webhooks" {
            d.error(
                item.key_span,
                &item_path,
                "the product name 'webhooks' is reserved".to_string(),
            )
            .help(
                "drift reports name a product's findings `<product>.<id>` and notifications \
                 `webhooks.<id>`: choose another name",
            );
            named = false;
        }
        let Some(keys) = d.keys(item.value, &item_path, item.key_span, &["doc", "feature"]) else {
            ok = false;
            continue;
        };
        let doc = keys.required_string(d, "doc");
        let feature = keys.required_string(d, "feature");
        match (named, doc, feature) {
            (true, Some(doc), Some(feature)) => products.push(ProductDecl {
                name: item.name.to_string(),
                doc,
                feature,
                file: d.file,
                key_span: item.key_span,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(products)
}

/// Decodes `duplicate_ids: {doc, statuses, codes}`.
pub(crate) fn decode_duplicate_ids(
    d: &mut Decoder<'_>,
    node: &Node,
    path: &YamlPath,
    owner: Option<Span>,
) -> Option<DuplicateIds> {
    let keys = d.keys(node, path, owner, &["doc", "statuses", "codes"])?;
    let doc = keys.required_string(d, "doc");
    let statuses = match keys.get("statuses") {
        None => Some(Vec::new()),
        Some(node) => {
            let statuses_path = keys.path_of("statuses");
            d.integers(node, &statuses_path).and_then(|codes| {
                let statuses: Vec<u16> = codes
                    .iter()
                    .filter_map(|code| u16::try_from(*code).ok())
                    .filter(|code| (400..=599).contains(code))
                    .collect();
                if statuses.len() == codes.len() {
                    Some(statuses)
                } else {
                    d.error(
                        node.span,
                        &statuses_path,
                        "a status is not an HTTP error status",
                    )
                    .help("list statuses from 400 to 599, e.g. `[409]`");
                    None
                }
            })
        }
    };
    let codes = match keys.get("codes") {
        None => Some(Vec::new()),
        Some(node) => d.integers(node, &keys.path_of("codes")),
    };
    let (doc, statuses, codes) = (doc?, statuses?, codes?);
    if statuses.is_empty() && codes.is_empty() {
        d.error(owner, path, "`duplicate_ids` names no status and no code")
            .help("add `statuses: [409]` and/or `codes: [409]`");
        return None;
    }
    Some(DuplicateIds {
        doc,
        statuses,
        codes,
    })
}

/// Whether `item`'s name is snake_case (reported otherwise).
pub(crate) fn snake_name(
    d: &mut Decoder<'_>,
    item: &Item<'_>,
    path: &YamlPath,
    what: &str,
) -> bool {
    if naming::is_snake_identifier(item.name) {
        return true;
    }
    d.error(
        item.key_span,
        path,
        format!("{what} name '{}' is not snake_case", item.name),
    )
    .maybe_help(
        Some(naming::snake(item.name))
            .filter(|s| naming::is_snake_identifier(s))
            .map(|s| format!("did you mean '{s}'?")),
    );
    false
}
