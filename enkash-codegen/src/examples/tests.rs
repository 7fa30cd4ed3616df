use enkash_spec::{DecimalWire, SourceFile, Spec, TypeRef};
use serde_json::{Value, json};

use super::{field_json_text, json_text, parameter_text};

/// `tests/fixtures/base.yaml` (the sections every spec needs) plus `extra`.
fn spec(extra: &str) -> Spec {
    let files = [
        SourceFile {
            name: "base.yaml".to_owned(),
            text: include_str!("../../tests/fixtures/base.yaml").to_owned(),
        },
        SourceFile {
            name: "extra.yaml".to_owned(),
            text: extra.to_owned(),
        },
    ];
    enkash_spec::load_sources(&files).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

fn fixture(case: &str, file: &str) -> Spec {
    let path = format!(
        "{}/tests/fixtures/{case}/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    spec(&std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}")))
}

fn schema(name: &str) -> TypeRef {
    TypeRef::Schema(name.to_owned())
}

/// The example of `ty`, parsed (so it is JSON).
fn example(spec: &Spec, ty: &TypeRef) -> Value {
    let text = json_text(spec, ty).unwrap_or_else(|err| panic!("{err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{text}: {err}"))
}

/// A schema `Thing` with one field `value` declared by the YAML lines `field` (indented 8).
fn one_field(field: &str) -> Spec {
    let field: String = field
        .lines()
        .map(|line| format!("        {line}\n"))
        .collect();
    spec(&format!(
        "schemas:\n  Thing:\n    doc: One field.\n    fields:\n      value:\n        doc: The field.\n{field}\
         enums:\n  Kind:\n    doc: Kinds.\n    values:\n      FIRST: The first.\n      SECOND: The second.\n"
    ))
}

fn value_of(field: &str) -> Value {
    let spec = one_field(field);
    example(&spec, &schema("Thing"))["value"].clone()
}

fn error_of(field: &str) -> String {
    let spec = one_field(field);
    json_text(&spec, &schema("Thing"))
        .expect_err("no example expected")
        .message
}

#[test]
fn every_field_type() {
    let spec = fixture("every_field_type", "schemas.yaml");
    assert_eq!(
        example(&spec, &schema("Everything")),
        json!({
            "name": "Asha",
            "active": true,
            "count": 1,
            "big": 1,
            "amount": 100.00,
            "amountText": "100.00",
            "createdAt": "2019-08-24T14:15:22Z",
            "payoutDate": "2026-04-22 13:50:03",
            "debitDate": "2026-04-22",
            "expireAt": 1672531199,
            "validUntil": 1672531199000u64,
            "expiry": "12/30",
            "cardNumber": "012345678901",
            "extra": {},
            "mystery": {},
            "tags": ["tags"],
            "labels": {"key": "labels"},
            "children": [{"ifsc": "ABCD0ABCDEF"}],
            "kinds": {"key": "FIRST"},
            "child": {"ifsc": "ABCD0ABCDEF"},
            "kind": "FIRST",
            "type": "type",
        })
    );
    // Decimals keep their digits: the number is written as `100.00`, not as a float.
    let text = json_text(&spec, &schema("Everything")).unwrap();
    assert!(text.contains(r#""amount":100.00,"#), "{text}");
}

#[test]
fn dates_in_each_form_and_date_time_types_in_their_written_form() {
    let spec = fixture("date_formats", "schemas.yaml");
    let dates = example(&spec, &schema("Dates"));
    assert_eq!(dates["iso"], "2019-08-24T14:15:22Z");
    assert_eq!(dates["local"], "2026-04-22 13:50:03");
    assert_eq!(dates["day"], "2026-04-22");
    assert_eq!(dates["millis"], 1672531199000u64);
    assert_eq!(dates["seconds"], 1672531199);
    assert_eq!(dates["card"], "12/30");
    // AnyTime reads three forms and writes RFC 3339.
    assert_eq!(dates["lenient"], "2019-08-24T14:15:22Z");
    assert_eq!(dates["lenientList"], json!(["2019-08-24T14:15:22Z"]));
}

#[test]
fn a_fitting_example_is_used() {
    assert_eq!(value_of("type: string\nexample: ORDER-1"), "ORDER-1");
    assert_eq!(value_of("type: bool\nexample: \"false\""), false);
    assert_eq!(value_of("type: i32\nexample: \"200\""), 200);
    assert_eq!(value_of("type: decimal\nexample: \"13.84\""), json!(13.84));
    assert_eq!(
        value_of("type: decimal_string\nexample: \"0.1176\""),
        "0.1176"
    );
    assert_eq!(value_of("type: Kind\nexample: SECOND"), "SECOND");
    assert_eq!(
        value_of("type: datetime_local\nexample: \"2024-02-29 23:59:59\""),
        "2024-02-29 23:59:59"
    );
    assert_eq!(
        value_of("type: epoch_ms\nexample: \"1700000000000\""),
        1700000000000u64
    );
    assert_eq!(value_of("type: card_expiry\nexample: 01/29"), "01/29");
    assert_eq!(
        value_of("type: string\nexample: KKBK0000432\npattern: '^[A-Z]{4}0[A-Z0-9]{6}$'"),
        "KKBK0000432"
    );
    // The example of a list is that of its items.
    assert_eq!(
        value_of("type: list<Kind>\nexample: SECOND"),
        json!(["SECOND"])
    );
}

#[test]
fn an_example_that_does_not_fit_is_replaced() {
    // Against the pattern, the length, the bounds, the decimal places, the enum and the form.
    assert_eq!(
        value_of("type: string\nexample: kkbk0000432\npattern: '^[A-Z]{4}0[A-Z0-9]{6}$'"),
        "ABCD0ABCDEF"
    );
    assert_eq!(
        value_of("type: string\nexample: toolong\nmax_length: 4"),
        "valu"
    );
    assert_eq!(value_of("type: i32\nexample: \"9000\"\nmax: \"5000\""), 1);
    assert_eq!(value_of("type: i64\nexample: lots"), 1);
    assert_eq!(
        value_of("type: decimal\nexample: \"0\"\nmin: \"0.01\""),
        json!(100.00)
    );
    assert_eq!(
        value_of("type: decimal_string\nexample: \"1.005\"\nmax_decimals: 2"),
        "100.00"
    );
    assert_eq!(value_of("type: Kind\nexample: THIRD"), "FIRST");
    assert_eq!(
        value_of("type: datetime_local\nexample: \"2026-04-22T13:50:03\""),
        "2026-04-22 13:50:03"
    );
    assert_eq!(
        value_of("type: date\nexample: \"2026-02-30\""),
        "2026-04-22"
    );
    assert_eq!(
        value_of("type: datetime\nexample: \"2026-04-22\""),
        "2019-08-24T14:15:22Z"
    );
    assert_eq!(value_of("type: card_expiry\nexample: 13/29"), "12/30");
    assert_eq!(value_of("type: epoch_s\nexample: \"-5\""), 1672531199);
    assert_eq!(value_of("type: bool\nexample: \"yes\""), true);
}

#[test]
fn a_date_time_type_uses_an_example_only_in_its_written_form() {
    let spec = spec(
        "datetimes:\n  Written:\n    doc: Space form.\n    reads: [rfc3339, space_local]\n    \
         writes: space_local\n    assumed_offset: \"+05:30\"\n\
         schemas:\n  Thing:\n    doc: Two dates.\n    fields:\n      \
         written:\n        type: Written\n        doc: In the written form.\n        example: \"2024-01-02 03:04:05\"\n      \
         read:\n        type: Written\n        doc: In a read form only.\n        example: \"2024-01-02T03:04:05Z\"\n",
    );
    let thing = example(&spec, &schema("Thing"));
    assert_eq!(thing["written"], "2024-01-02 03:04:05");
    assert_eq!(thing["read"], "2026-04-22 13:50:03");
}

#[test]
fn strings_match_their_pattern_and_length() {
    // The EnKash spec's patterns.
    assert_eq!(
        value_of("type: string\npattern: '^$|^((\\+|00)(\\d{1,3})[\\s-]?)?(\\d{10})$'"),
        "0123456789"
    );
    assert_eq!(
        value_of("type: string\npattern: '^CEK[A-Z0-9]{7}$'"),
        "CEKABCDEFG"
    );
    assert_eq!(
        value_of("type: string\npattern: '^$|^[A-Za-z0-9]{9,36}$'\nmin_length: 9\nmax_length: 36"),
        "ABCDEFGHI"
    );
    assert_eq!(
        value_of("type: string\npattern: '^[A-Za-z0-9]+$'\nmin_length: 12"),
        "ABCDEFGHIJKL"
    );
    // Escapes, alternation, classes that exclude the preferred letters.
    assert_eq!(
        value_of("type: string\npattern: '^(foo|bar)\\.[^A-Za-z0-9]{2}-x*$'"),
        "foo.-_-"
    );
    // Without a pattern: the wire name, padded or cut to the length.
    assert_eq!(value_of("type: string\nmin_length: 8"), "value012");
    assert_eq!(value_of("type: string\nmax_length: 3"), "val");
}

#[test]
fn a_required_string_is_never_empty_and_an_allowed_empty_one_is_still_filled() {
    assert_eq!(
        value_of("type: string\nrequired: true\npattern: '^$|^[0-9]{4}$'"),
        "0123"
    );
    assert_eq!(value_of("type: string\nmin_length: 0\nmax_length: 0"), "");
}

#[test]
fn impossible_constraints_are_errors_that_name_the_field() {
    let err = error_of("type: string\npattern: '^[0-9]{3}$'\nmax_length: 2");
    assert!(
        err.starts_with("schemas.Thing.fields.value: found no example string of at most 2"),
        "{err}"
    );
    assert!(err.contains("give the field an `example`"), "{err}");
    let err = error_of("type: decimal\nmin: \"0.001\"\nmax: \"0.009\"\nmax_decimals: 2");
    assert!(
        err.starts_with("schemas.Thing.fields.value: no decimal satisfies min 0.001, max 0.009"),
        "{err}"
    );
    let err = error_of("type: string\npattern: '(['");
    assert!(err.contains("does not compile with regex-lite"), "{err}");
}

#[test]
fn numbers_stay_within_bounds_and_places() {
    assert_eq!(value_of("type: i32\nmin: \"10\"\nmax: \"20\""), 10);
    assert_eq!(value_of("type: i64\nmax: \"-3\""), -3);
    assert_eq!(value_of("type: decimal\nmax: \"5.5\""), json!(5.5));
    assert_eq!(
        value_of("type: decimal_string\nmin: \"1000.005\"\nmax_decimals: 2"),
        "1000.01"
    );
    assert_eq!(value_of("type: decimal\nmax_decimals: 0"), json!(100));
    assert_eq!(
        value_of("type: decimal_string\nmin: \"-0.5\"\nmax: \"-0.25\""),
        "-0.25"
    );
}

#[test]
fn decimal_wire_forms() {
    let spec = one_field("type: decimal");
    assert_eq!(
        json_text(&spec, &TypeRef::Decimal(DecimalWire::Number)).unwrap(),
        "100.00"
    );
    assert_eq!(
        json_text(&spec, &TypeRef::Decimal(DecimalWire::String)).unwrap(),
        r#""100.00""#
    );
}

#[test]
fn credential_fields_are_left_out() {
    let spec = spec(
        "schemas:\n  Verify:\n    doc: A body.\n    fields:\n      \
         merchantKey:\n        type: string\n        required: true\n        credential: access_key\n        doc: Filled by the client.\n      \
         vpa:\n        type: string\n        required: true\n        doc: A VPA.\n        example: asha@upi\n\
         operations:\n  verify:\n    area: payments\n    client_method: verify\n    summary: Verify\n    \
         doc: Verifies.\n    doc_url: https://docs.example.test/verify\n    method: POST\n    path: /verify\n    \
         request: Verify\n    envelope: standard\n",
    );
    assert_eq!(
        example(&spec, &schema("Verify")),
        json!({"vpa": "asha@upi"})
    );
}

#[test]
fn cycles_are_cut_where_they_close() {
    let spec = spec(
        "schemas:\n  Node:\n    doc: A tree.\n    fields:\n      \
         name:\n        type: string\n        required: true\n        doc: Name.\n      \
         parent:\n        type: Node\n        doc: Optional, left out.\n      \
         children:\n        type: list<Node>\n        required: true\n        doc: Required list, empty.\n      \
         index:\n        type: map<Node>\n        required: true\n        doc: Required map, empty.\n      \
         twin:\n        type: Node\n        required: true\n        nullable: true\n        doc: Nullable, null.\n      \
         leaf:\n        type: Leaf\n        required: true\n        doc: Goes on.\n  \
         Leaf:\n    doc: Points back.\n    fields:\n      \
         root:\n        type: list<Node>\n        required: true\n        doc: Cut inside Leaf.\n",
    );
    assert_eq!(
        example(&spec, &schema("Node")),
        json!({
            "name": "name",
            "children": [],
            "index": {},
            "twin": null,
            "leaf": {"root": []},
        })
    );
    // Started from Leaf, the cycle closes at Node.leaf, which cannot be cut: Leaf.root is.
    assert_eq!(example(&spec, &schema("Leaf")), json!({"root": []}));
}

#[test]
fn a_required_cycle_is_an_error_naming_where_it_closes() {
    let spec = spec(
        "schemas:\n  Egg:\n    doc: Needs a hen.\n    fields:\n      \
         hen:\n        type: Hen\n        required: true\n        doc: Required.\n  \
         Hen:\n    doc: Needs an egg.\n    fields:\n      \
         egg:\n        type: Egg\n        required: true\n        doc: Required.\n",
    );
    let err = json_text(&spec, &schema("Egg")).unwrap_err().message;
    assert!(
        err.starts_with(
            "schemas.Hen.fields.egg: closes a cycle of schemas that no field on the way cuts"
        ),
        "{err}"
    );
}

#[test]
fn unknown_names_are_errors() {
    let spec = one_field("type: string");
    let err = json_text(&spec, &schema("Missing")).unwrap_err().message;
    assert_eq!(err, "Missing: no schema `Missing` in the spec");
    let err = json_text(&spec, &TypeRef::Enum("Nope".to_owned()))
        .unwrap_err()
        .message;
    assert_eq!(err, "Nope: no enum `Nope` in the spec");
}

#[test]
fn a_field_alone_and_strings_with_quotes() {
    let spec = spec(
        "schemas:\n  Quote:\n    doc: Text.\n    fields:\n      \
         said:\n        type: string\n        doc: Quoted.\n        example: 'He said \"hi\"\\ and left'\n",
    );
    let field = &spec.schemas["Quote"].fields[0];
    let text = field_json_text(&spec, field).unwrap();
    assert_eq!(text, r#""He said \"hi\"\\ and left""#);
    assert_eq!(
        serde_json::from_str::<String>(&text).unwrap(),
        r#"He said "hi"\ and left"#
    );
}

#[test]
fn the_enkash_spec_has_an_example_for_every_payload_and_parameter_and_the_same_each_time() {
    let spec = enkash_spec::load(&enkash_spec::default_spec_dir())
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    let types: Vec<TypeRef> = spec
        .operations
        .values()
        .flat_map(|op| op.request.iter().chain(&op.response).cloned())
        .chain(spec.webhooks.values().map(|hook| hook.payload.clone()))
        .chain(spec.schemas.keys().map(|name| schema(name)))
        .collect();
    for op in spec.operations.values() {
        for field in op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
        {
            let text =
                parameter_text(&spec, field).unwrap_or_else(|err| panic!("{}: {err}", op.id));
            assert!(!text.is_empty(), "{}.{}", op.id, field.wire_name);
        }
    }
    for ty in &types {
        let first = json_text(&spec, ty).unwrap_or_else(|err| panic!("{ty}: {err}"));
        serde_json::from_str::<Value>(&first).unwrap_or_else(|err| panic!("{ty}: {first}: {err}"));
        assert_eq!(json_text(&spec, ty).unwrap(), first, "{ty}");
    }
}

#[test]
fn parameters_are_the_text_sent() {
    let spec = fixture("operation_params", "operations.yaml");
    let texts: Vec<(String, String)> = spec
        .operations
        .values()
        .flat_map(|op| {
            op.path_params
                .iter()
                .chain(&op.query_params)
                .chain(&op.header_params)
        })
        .map(|field| {
            let text = parameter_text(&spec, field).unwrap_or_else(|err| panic!("{err}"));
            (field.wire_name.clone(), text)
        })
        .collect();
    assert!(
        texts.contains(&("accountId".to_owned(), "accountId".to_owned())),
        "{texts:?}"
    );
    assert!(
        texts.contains(&("limit".to_owned(), "1".to_owned())),
        "{texts:?}"
    );
    // Strings, enums, dates and decimal strings lose their JSON quotes; the value is the same.
    let spec = one_field("type: decimal_string\nexample: \"12.50\"");
    let field = &spec.schemas["Thing"].fields[0];
    assert_eq!(parameter_text(&spec, field).unwrap(), "12.50");
    assert_eq!(field_json_text(&spec, field).unwrap(), r#""12.50""#);
    let spec = one_field("type: Kind");
    assert_eq!(
        parameter_text(&spec, &spec.schemas["Thing"].fields[0]).unwrap(),
        "FIRST"
    );
    let spec = one_field("type: list<string>");
    let err = parameter_text(&spec, &spec.schemas["Thing"].fields[0]).unwrap_err();
    assert_eq!(
        err.message,
        "value: a parameter of type list<string> has no single text"
    );
}
