//! `cargo xtask synth --operations N --out DIR`: a valid spec of N EnKash-shaped operations, for
//! benchmarks and scale tests.
//!
//! The spec is built as text ([`synthesize`], pure and deterministic) and written as one file of
//! shared sections (`api.yaml`) plus one file per area, like the project's own spec. Of the N
//! operations, the first is the token exchange every spec needs (`auth.token`); the other N − 1
//! are shaped like EnKash's create calls:
//!
//! - `POST /api/v0/synth/rNNNNN/{resourceId}`, a path parameter and an optional `X-Request-Trace`
//!   header parameter, the standard envelope, merchant auth, `dedup_key: requestId`;
//! - its own request schema: a string id, a nested money object (`SynthMoney`: decimal value and a
//!   `SynthCurrency` enum), optional return/notify URLs and description, a string map, a string
//!   list and an integer;
//! - its own response schema: id, a `SynthStatus` enum, a decimal amount, a date-time and two
//!   optional strings.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use enkash_spec::SourceFile;

/// The areas synthetic operations are spread over, in turn.
const AREAS: [&str; 10] = [
    "authorization",
    "orders",
    "payments",
    "refunds",
    "settlements",
    "split_settlements",
    "upi_qr",
    "upi_mandates",
    "payment_links",
    "e_collect",
];

/// First line of every file `synth` writes; files starting with it are replaced on the next run.
pub const HEADER: &str = "# Synthetic spec written by `cargo xtask synth`; not the EnKash API.";

/// Where and how big.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of operations, the token exchange included (at least 1).
    pub operations: usize,
    /// Folder to write the spec files into (created if missing).
    pub out_dir: PathBuf,
}

/// The spec files of a synthetic spec with `operations` operations (at least 1; 0 counts as 1),
/// sorted by name. The same count always gives the same text.
pub fn synthesize(operations: usize) -> Vec<SourceFile> {
    // Per area: the `operations:` entries and the `schemas:` entries, joined at the end.
    let mut per_area: Vec<(String, String)> = vec![(String::new(), String::new()); AREAS.len()];
    for index in 1..operations.max(1) {
        let slot = (index - 1) % AREAS.len();
        let n = format!("{index:05}");
        let (ops, schemas) = &mut per_area[slot];
        write_operation(ops, AREAS[slot], &n);
        write_schemas(schemas, &n);
    }
    let mut files = vec![SourceFile {
        name: "api.yaml".to_owned(),
        text: shared_sections(operations.max(1)),
    }];
    for (area, (ops, schemas)) in AREAS.iter().zip(per_area) {
        if ops.is_empty() {
            continue;
        }
        files.push(SourceFile {
            name: format!("{area}.yaml"),
            text: format!("{HEADER}\n\noperations:\n{ops}\nschemas:\n{schemas}"),
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// [`synthesize`] with the auth and envelopes of an API like EnKash Payouts: an OAuth2 password
/// grant (form body, HTTP Basic client authentication, `expires_in` seconds) and AES-encrypted
/// bodies on every operation but the token call. The same operations and types otherwise: it
/// proves the token exchange and the body cipher are generic, for any spec.
pub fn synthesize_secured(operations: usize) -> Vec<SourceFile> {
    let mut files = synthesize(operations);
    for file in files.iter_mut().filter(|file| file.name == "api.yaml") {
        file.text = secured(&file.text);
    }
    files
}

/// The shared sections of a synthetic spec, turned into the secured variant.
fn secured(text: &str) -> String {
    let replacements: [(&str, &str); 6] = [
        (
            "name: Synthetic Payment Gateway",
            "name: Synthetic Secured Payouts",
        ),
        (
            r#"auth:
  token:
    operation: get_authorization_token
    access_key_field: accessKey
    secret_key_field: secretKey
    token_field: token
    expiry_field: expiry
  default_scheme: merchant
  invalid_token_codes: [117]
  schemes:
    merchant:
      doc: Bearer token plus the merchant access key.
      headers:
        Authorization: "Bearer {token}"
        merchantAccessKey: "{access_key}""#,
            r#"auth:
  credentials: [client_id, client_secret, username, password]
  token:
    kind: oauth2_password
    operation: get_authorization_token
    request_fields: {username: username, password: password, clientId: client_id}
    fixed_fields: {grant_type: password}
    token_field: access_token
    expiry_field: expires_in
    expiry: seconds
  default_scheme: merchant
  invalid_token_codes: []
  schemes:
    client:
      doc: HTTP Basic client authentication of the token request.
      headers:
        Authorization: {basic: [client_id, client_secret]}
    merchant:
      doc: The bearer token.
      headers:
        Authorization: "Bearer {token}""#,
        ),
        (
            "    success_codes: [0]
",
            "    success_codes: [0]
    cipher: {algorithm: aes128_ecb_sha256_key, field: request, key: client_secret}
",
        ),
        (
            r#"    path: /api/v0/merchant/token
    request: TokenRequest
    response: TokenResponse
    envelope: token
    auth: none"#,
            r#"    path: /oauth/token
    request: TokenRequest
    request_encoding: form
    response: TokenResponse
    envelope: token
    auth: client"#,
        ),
        (
            r#"      accessKey:
        type: string
        required: true
        sensitive: true
        doc: Access key.
      secretKey:
        type: string
        required: true
        sensitive: true
        doc: Secret key."#,
            r#"      username:
        type: string
        required: true
        sensitive: true
        doc: User name.
      password:
        type: string
        required: true
        sensitive: true
        doc: Password.
      grant_type:
        type: string
        required: true
        doc: Always `password`.
      clientId:
        type: string
        required: true
        doc: OAuth client id."#,
        ),
        (
            r#"      token:
        type: string
        required: true
        sensitive: true
        doc: Bearer token.
      expiry:
        type: epoch_ms
        required: true
        doc: When the token expires."#,
            r#"      access_token:
        type: string
        required: true
        sensitive: true
        aliases: [accessToken]
        doc: Bearer token.
      expires_in:
        type: i64
        aliases: [expiresIn]
        doc: Lifetime in seconds."#,
        ),
    ];
    let mut text = text.to_owned();
    for (from, to) in replacements {
        text = text.replacen(from, to, 1);
    }
    text
}

/// Writes the synthetic spec into `options.out_dir`, first removing `*.yaml` files an earlier
/// `synth` run wrote there (files without [`HEADER`] are left alone). Returns the files written.
pub fn run(options: &Options) -> Result<Vec<PathBuf>, (PathBuf, io::Error)> {
    let dir = &options.out_dir;
    fs::create_dir_all(dir).map_err(|err| (dir.clone(), err))?;
    remove_earlier_output(dir)?;
    let mut written = Vec::new();
    for file in synthesize(options.operations) {
        let path = dir.join(&file.name);
        fs::write(&path, &file.text).map_err(|err| (path.clone(), err))?;
        written.push(path);
    }
    Ok(written)
}

fn remove_earlier_output(dir: &Path) -> Result<(), (PathBuf, io::Error)> {
    let entries = fs::read_dir(dir).map_err(|err| (dir.to_path_buf(), err))?;
    for entry in entries {
        let path = entry.map_err(|err| (dir.to_path_buf(), err))?.path();
        if path.extension().is_none_or(|ext| ext != "yaml") {
            continue;
        }
        // Unreadable or non-UTF-8 files are not ours: leave them.
        if fs::read_to_string(&path).is_ok_and(|text| text.starts_with(HEADER)) {
            fs::remove_file(&path).map_err(|err| (path.clone(), err))?;
        }
    }
    Ok(())
}

/// `api`, `environments`, `auth`, `envelopes`, the token operation and the shared types.
fn shared_sections(operations: usize) -> String {
    format!(
        r#"{HEADER}

api:
  name: Synthetic Payment Gateway
  version: v0
  doc: |
    A synthetic API of {operations} operations shaped like EnKash's, for benchmarks and scale tests.
  docs_url: https://docs.example.test

environments:
  uat:
    url: https://uat.example.test
    doc: Test host.
  production:
    url: https://api.example.test
    doc: Production host.

auth:
  token:
    operation: get_authorization_token
    access_key_field: accessKey
    secret_key_field: secretKey
    token_field: token
    expiry_field: expiry
  default_scheme: merchant
  invalid_token_codes: [117]
  schemes:
    merchant:
      doc: Bearer token plus the merchant access key.
      headers:
        Authorization: "Bearer {{token}}"
        merchantAccessKey: "{{access_key}}"

envelopes:
  standard:
    doc: '`{{"response_code": 0, "response_message": "Success", "payload": ...}}`'
    kind: wrapped
    code_field: response_code
    message_field: response_message
    payload_field: payload
    success_codes: [0]
  token:
    doc: The token response is not wrapped.
    kind: bare

operations:
  get_authorization_token:
    area: authorization
    client_method: get_token
    summary: Get Authorization Token
    doc: Exchanges the access key and secret key for a bearer token.
    doc_url: https://docs.example.test/token
    method: POST
    path: /api/v0/merchant/token
    request: TokenRequest
    response: TokenResponse
    envelope: token
    auth: none

schemas:
  TokenRequest:
    doc: Merchant credentials exchanged for a bearer token.
    fields:
      accessKey:
        type: string
        required: true
        sensitive: true
        doc: Access key.
      secretKey:
        type: string
        required: true
        sensitive: true
        doc: Secret key.
  TokenResponse:
    doc: The bearer token and its expiry.
    fields:
      token:
        type: string
        required: true
        sensitive: true
        doc: Bearer token.
      expiry:
        type: epoch_ms
        required: true
        doc: When the token expires.
  SynthMoney:
    doc: An amount of money with its currency.
    fields:
      value:
        type: decimal
        required: true
        doc: Amount, at least 0.01, at most 2 decimals.
        example: "100.00"
        min: "0.01"
        max_decimals: 2
      currency:
        type: SynthCurrency
        required: true
        doc: Currency.

enums:
  SynthCurrency:
    doc: Currency of an amount.
    values:
      INR: Indian rupee.
      USD: US dollar.
  SynthStatus:
    doc: Status of a synthetic resource.
    values:
      CREATED: Created.
      PENDING: Waiting for the customer.
      SUCCESS:
        doc: Done.
        final: true
        success: true
      FAILED:
        doc: Failed.
        final: true
"#
    )
}

fn write_operation(out: &mut String, area: &str, n: &str) {
    let _ = write!(
        out,
        r#"  synth_op_{n}:
    area: {area}
    client_method: op_{n}
    summary: Synthetic Operation {n}
    doc: |
      Creates synthetic resource {n} under a parent resource.
      Shaped like EnKash's create calls: a JSON body, a path parameter, a header parameter.
    doc_url: https://docs.example.test/synth/{n}
    method: POST
    path: /api/v0/synth/r{n}/{{resourceId}}
    path_params:
      resourceId:
        type: string
        doc: Parent resource id.
        example: R{n}
    headers:
      X-Request-Trace:
        type: string
        doc: Trace id echoed in the server's logs.
    request: Synth{n}Request
    response: Synth{n}Response
    envelope: standard
    dedup_key: requestId
"#,
        area = area
    );
}

fn write_schemas(out: &mut String, n: &str) {
    let _ = write!(
        out,
        r#"  Synth{n}Request:
    doc: Request body of synthetic operation {n}.
    fields:
      requestId:
        type: string
        required: true
        doc: Merchant's unique id for this request.
        max_length: 40
      amount:
        type: SynthMoney
        required: true
        doc: Amount to charge.
      returnUrl:
        type: string
        doc: Where the customer returns.
      notifyUrl:
        type: string
        doc: Where notifications go.
      description:
        type: string
        doc: Free text.
        max_length: 255
      metadata:
        type: map<string>
        doc: Merchant key-value pairs.
      tags:
        type: list<string>
        doc: Labels.
      quantity:
        type: i32
        doc: Number of items.
  Synth{n}Response:
    doc: Response payload of synthetic operation {n}.
    fields:
      id:
        type: string
        required: true
        doc: Resource id.
      status:
        type: SynthStatus
        required: true
        doc: Status.
      amount:
        type: decimal
        required: true
        doc: Amount charged.
      createdAt:
        type: datetime
        required: true
        doc: When it was created.
      reference:
        type: string
        doc: Bank reference.
      note:
        type: string
        doc: Remarks.
"#
    );
}
