//! The project's own spec tree (`enkash-spec/spec/`) loads, and the counts of the root and of
//! each product match their tally tables in `enkash-spec/GAPS.md` (`## Tally`, and
//! `## Tally (Payouts)` for the product `payouts`).

use std::collections::BTreeMap;
use std::path::Path;

/// The rows the tally table must have, in order.
const ITEMS: [&str; 8] = [
    "operations",
    "schemas",
    "schema fields",
    "enums",
    "enum values",
    "webhooks",
    "undocumented_operations",
    "undocumented markers",
];

/// Reads the `## Tally` table of GAPS.md: `| item | count |` rows after the heading.
fn tally(gaps: &str) -> Result<BTreeMap<String, usize>, String> {
    tally_under(gaps, "## Tally")
}

/// Reads the `| item | count |` rows after the line `heading`.
fn tally_under(gaps: &str, heading: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut lines = gaps
        .lines()
        .skip_while(|line| line.trim() != heading)
        .skip(1);
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in lines.by_ref() {
        let line = line.trim();
        if !line.starts_with('|') {
            if in_table {
                break;
            }
            continue;
        }
        in_table = true;
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [item, count] = cells[..] else {
            return Err(format!("a tally row does not have two cells: {line:?}"));
        };
        if item == "item" || count.starts_with("---") {
            continue;
        }
        let count = count
            .parse()
            .map_err(|_| format!("the count of '{item}' is not a number: {count:?}"))?;
        rows.insert(item.to_string(), count);
    }
    if rows.is_empty() {
        return Err(format!(
            "GAPS.md has no `{heading}` table of `| item | count |` rows"
        ));
    }
    Ok(rows)
}

#[test]
fn real_spec_matches_the_gaps_tally() {
    let dir = enkash_spec::default_spec_dir();
    let spec = enkash_spec::load(&dir).unwrap_or_else(|diagnostics| {
        panic!(
            "the spec in {} does not load:\n{diagnostics}",
            dir.display()
        )
    });
    let gaps_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("GAPS.md");
    let gaps = std::fs::read_to_string(&gaps_path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", gaps_path.display()));
    let mut mismatches = mismatches_of(&spec, &gaps, "## Tally");
    for product in spec.products.values() {
        // `payouts` → `## Tally (Payouts)`.
        let mut title = product.name.replace('_', " ");
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        let heading = format!("## Tally ({title})");
        mismatches.extend(
            mismatches_of(&product.spec, &gaps, &heading)
                .into_iter()
                .map(|m| format!("{}: {m}", product.name)),
        );
    }
    assert!(
        mismatches.is_empty(),
        "GAPS.md's tally is out of date:\n{}",
        mismatches.join("\n")
    );
}

/// What differs between `spec`'s counts and the tally under `heading`.
fn mismatches_of(spec: &enkash_spec::Spec, gaps: &str, heading: &str) -> Vec<String> {
    let table = match tally_under(gaps, heading) {
        Ok(table) => table,
        Err(err) => return vec![err],
    };
    let undocumented_operations = spec.undocumented_operations.len();
    let actual = BTreeMap::from([
        ("operations", spec.operations.len()),
        ("schemas", spec.schemas.len()),
        (
            "schema fields",
            spec.schemas.values().map(|s| s.fields.len()).sum(),
        ),
        ("enums", spec.enums.len()),
        (
            "enum values",
            spec.enums.values().map(|e| e.values.len()).sum(),
        ),
        ("webhooks", spec.webhooks.len()),
        ("undocumented_operations", undocumented_operations),
        (
            "undocumented markers",
            spec.undocumented().len() - undocumented_operations,
        ),
    ]);
    let mut mismatches = Vec::new();
    for item in ITEMS {
        let spec_count = actual[item];
        match table.get(item) {
            None => mismatches.push(format!(
                "GAPS.md's tally has no '{item}' row (the spec has {spec_count})"
            )),
            Some(&listed) if listed != spec_count => mismatches.push(format!(
                "{item}: GAPS.md says {listed}, the spec has {spec_count}"
            )),
            Some(_) => {}
        }
    }
    mismatches
}

#[test]
fn reads_the_tally_table() {
    let gaps = "# Gaps\n\n## Tally\n\n| item | count |\n|---|---|\n| operations | 30 |\n| schemas | 2 |\n\nText.\n| other | 1 |\n";
    let table = tally(gaps).unwrap();
    assert_eq!(table.len(), 2);
    assert_eq!(table["operations"], 30);
    assert!(
        tally("# Gaps\n")
            .unwrap_err()
            .contains("no `## Tally` table")
    );
    assert!(
        tally("## Tally\n| operations | many |\n")
            .unwrap_err()
            .contains("not a number")
    );
}
