#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The spec tree: the root spec declares products (`products:`), each described by the files of
//! the folder of its name (`shop/api.yaml`, ...), loaded and validated like the root.

mod common;

use enkash_spec::{Diagnostic, Diagnostics, SourceFile, Spec, TokenKind};

/// The `products:` section the root declares in the tests.
const SHOP: &str = "\nproducts:\n  shop:\n    doc: The shop API.\n    feature: shop\n";

/// The valid fixture's files.
fn valid() -> Vec<SourceFile> {
    common::read_sources(&common::fixture("valid"))
}

/// The valid fixture with `extra` appended to its `api.yaml`.
fn root(extra: &str) -> Vec<SourceFile> {
    let mut files = valid();
    let api = files
        .iter_mut()
        .find(|file| file.name == "api.yaml")
        .unwrap();
    api.text.push_str(extra);
    files
}

/// The valid fixture's files under `folder/`.
fn product(folder: &str) -> Vec<SourceFile> {
    valid()
        .into_iter()
        .map(|file| SourceFile {
            name: format!("{folder}/{}", file.name),
            text: file.text,
        })
        .collect()
}

/// The root declaring `shop` and the files of `shop/`.
fn tree() -> Vec<SourceFile> {
    let mut files = root(SHOP);
    files.extend(product("shop"));
    files
}

fn load(files: &[SourceFile]) -> Result<Spec, Diagnostics> {
    enkash_spec::load_sources(files)
}

fn errors(files: &[SourceFile]) -> Diagnostics {
    match load(files) {
        Ok(_) => panic!("the tree loaded without errors"),
        Err(diagnostics) => {
            common::assert_located(&diagnostics, files);
            diagnostics
        }
    }
}

/// The 1-based line and column of the first `needle` in the file `name` of `files`.
fn position(files: &[SourceFile], name: &str, needle: &str) -> (usize, usize) {
    let file = files.iter().find(|file| file.name == name).unwrap();
    file.text
        .lines()
        .enumerate()
        .find_map(|(index, line)| {
            let column = line.find(needle)?;
            Some((index + 1, line[..column].chars().count() + 1))
        })
        .unwrap_or_else(|| panic!("'{needle}' is not in {name}"))
}

/// The only diagnostic whose message contains `text`.
fn the_error<'d>(diagnostics: &'d Diagnostics, text: &str) -> &'d Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics
        .errors
        .iter()
        .filter(|error| error.message.contains(text))
        .collect();
    assert_eq!(found.len(), 1, "'{text}' in:\n{diagnostics}");
    found[0]
}

#[test]
fn a_valid_tree_loads_each_product_into_the_root_spec() {
    let files = tree();
    let spec = load(&files).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    let alone = load(&valid()).unwrap();
    assert_eq!(spec.operations, alone.operations);
    assert_eq!(spec.products.keys().collect::<Vec<_>>(), ["shop"]);
    let shop = &spec.products["shop"];
    assert_eq!(shop.name, "shop");
    assert_eq!(shop.doc, "The shop API.");
    assert_eq!(shop.feature, "shop");
    assert_eq!(shop.spec.operations, alone.operations);
    assert_eq!(
        shop.spec.operations.keys().collect::<Vec<_>>(),
        ["create_order", "get_order", "get_token", "resend_otp"]
    );
    assert!(shop.spec.products.is_empty());
}

/// The root declaring `shop` (with its files) and `bank` (without).
fn tree_with_bank() -> Vec<SourceFile> {
    let mut files = root(&format!(
        "{SHOP}  bank:\n    doc: No files.\n    feature: bank\n"
    ));
    files.extend(product("shop"));
    files
}

#[test]
fn a_declared_product_without_files_is_an_error() {
    let files = tree_with_bank();
    let diagnostics = errors(&files);
    assert_eq!(diagnostics.errors.len(), 1, "{diagnostics}");
    let error = the_error(&diagnostics, "product 'bank' has no spec files");
    assert_eq!(error.file, "api.yaml");
    assert!(error.message.contains("bank/*.yaml"), "{}", error.message);
}

#[test]
fn a_declared_product_without_files_is_located_at_its_entry() {
    let files = tree_with_bank();
    let diagnostics = errors(&files);
    let error = the_error(&diagnostics, "product 'bank' has no spec files");
    assert_eq!(
        (error.line, error.column),
        position(&files, "api.yaml", "bank:")
    );
}

#[test]
fn a_product_named_webhooks_is_refused_at_its_entry() {
    let mut files = root("\nproducts:\n  webhooks:\n    doc: Clashes.\n    feature: webhooks\n");
    files.extend(product("webhooks"));
    let diagnostics = errors(&files);
    let error = the_error(&diagnostics, "the product name 'webhooks' is reserved");
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("api.yaml", position(&files, "api.yaml", "webhooks:").0, 3)
    );
}

#[test]
fn a_folder_that_is_not_declared_is_an_error_naming_it() {
    let mut files = tree();
    files.extend(product("bank"));
    let diagnostics = errors(&files);
    let error = the_error(&diagnostics, "folder 'bank'");
    assert!(error.file.starts_with("bank/"), "{error:?}");
    assert!(error.message.contains("products:"), "{}", error.message);
    // Without any `products:` the same folder is refused too.
    let mut files = valid();
    files.extend(product("bank"));
    let diagnostics = errors(&files);
    the_error(&diagnostics, "folder 'bank'");
}

/// The valid tree whose product `shop` declares a product itself.
fn tree_with_nested_product() -> Vec<SourceFile> {
    let mut files = tree();
    let api = files
        .iter_mut()
        .find(|file| file.name == "shop/api.yaml")
        .unwrap();
    api.text
        .push_str("\nproducts:\n  inner:\n    doc: Nested.\n    feature: inner\n");
    files
}

#[test]
fn a_product_declaring_products_is_an_error() {
    let files = tree_with_nested_product();
    let diagnostics = errors(&files);
    assert_eq!(diagnostics.errors.len(), 1, "{diagnostics}");
    let error = the_error(&diagnostics, "only the root spec declares products");
    assert_eq!(error.file, "shop/api.yaml");
}

#[test]
fn a_product_declaring_products_is_located_at_its_entry() {
    let files = tree_with_nested_product();
    let diagnostics = errors(&files);
    let error = the_error(&diagnostics, "only the root spec declares products");
    assert_eq!(
        (error.line, error.column),
        position(&files, "shop/api.yaml", "inner:")
    );
}

#[test]
fn errors_in_a_product_name_its_file_line_and_column() {
    let mut files = tree();
    let orders = files
        .iter_mut()
        .find(|file| file.name == "shop/orders.yaml")
        .unwrap();
    orders.text = orders
        .text
        .replacen("    response: Order\n", "    response: Orderr\n", 1);
    let auth = files
        .iter_mut()
        .find(|file| file.name == "shop/authorization.yaml")
        .unwrap();
    auth.text = auth.text.replacen("method: POST", "method: post", 1);
    let diagnostics = errors(&files);
    assert_eq!(diagnostics.errors.len(), 2, "{diagnostics}");
    let error = the_error(&diagnostics, "unknown type 'Orderr'");
    assert_eq!(error.file, "shop/orders.yaml");
    assert_eq!(error.path, "operations.create_order.response");
    let (line, column) = position(&files, "shop/orders.yaml", "Orderr");
    assert_eq!((error.line, error.column), (line, column));
    assert_eq!(error.source_line.as_deref(), Some("    response: Orderr"));
    let error = the_error(&diagnostics, "unknown HTTP method 'post'");
    assert_eq!(error.file, "shop/authorization.yaml");
    assert_eq!(
        (error.line, error.column),
        position(&files, "shop/authorization.yaml", "post")
    );
    let rendered = diagnostics.to_string();
    assert!(
        rendered.contains(&format!("--> shop/orders.yaml:{line}:{column}")),
        "{rendered}"
    );
    // The root's files are not blamed.
    assert!(
        diagnostics
            .errors
            .iter()
            .all(|e| e.file.starts_with("shop/"))
    );
}

#[test]
fn the_project_tree_has_the_payouts_product() {
    let spec = enkash_spec::load(&enkash_spec::default_spec_dir())
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    let payouts = spec.products.get("payouts").expect("a payouts product");
    assert_eq!(payouts.name, "payouts");
    assert_eq!(payouts.feature, "payouts");
    let payouts = &payouts.spec;
    assert_eq!(payouts.operations.len(), 8);
    assert_eq!(payouts.auth.token.kind, TokenKind::OAuth2Password);
    assert!(payouts.envelopes["standard"].cipher.is_some());
    let duplicate_ids = payouts.duplicate_ids.as_ref().expect("duplicate_ids");
    assert!(duplicate_ids.statuses.contains(&409));
    assert!(payouts.products.is_empty());
}
