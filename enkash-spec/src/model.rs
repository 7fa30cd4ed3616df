//! The plain Rust model of a validated spec.
//!
//! Nothing here knows about YAML: the loader (`crate::load`) turns the YAML files into these types
//! after checking them, and the generator (`enkash-codegen`) reads only these types. Every map is a
//! `BTreeMap` and every list keeps the order of the YAML file, so whatever is derived from a `Spec`
//! is deterministic.

use std::collections::BTreeMap;
use std::fmt;

/// The whole API description: what `load` returns when the spec has no errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Name, version and docs of the API.
    pub api: Api,
    /// The hosts the client can talk to, in the order the spec lists them.
    pub environments: Vec<Environment>,
    /// How a client obtains its bearer token and what authenticated calls send.
    pub auth: Auth,
    /// Response envelopes by name (`standard`, `split`, ...).
    pub envelopes: BTreeMap<String, Envelope>,
    /// Named object schemas by name (`CreateOrderRequest`, ...).
    pub schemas: BTreeMap<String, Schema>,
    /// Named string enums by name (`OrderStatus`, ...).
    pub enums: BTreeMap<String, Enum>,
    /// Named date-time types by name (`EnkashDateTime`, ...): the forms each reads and writes.
    pub datetimes: BTreeMap<String, DateTimeType>,
    /// Operations by id (`create_order`, ...).
    pub operations: BTreeMap<String, Operation>,
    /// Notifications EnKash sends to the merchant, by id (`payment_notify`, ...).
    pub webhooks: BTreeMap<String, Webhook>,
    /// Endpoints the EnKash docs list (in their navigation) without publishing a path, by id.
    /// Nothing callable is generated for them; they are documented and counted as gaps.
    pub undocumented_operations: BTreeMap<String, UndocumentedOperation>,
    /// Hand-written modules that name generated types, compiled beside the generated code, by
    /// module name (empty when the spec declares none).
    pub companions: BTreeMap<String, Companion>,
    /// The functional areas operations are grouped by, in the order the client documents them.
    pub areas: Vec<Area>,
    /// What a refused reused id looks like (`duplicate_ids:`), for operations with a `dedup_key`.
    pub duplicate_ids: Option<DuplicateIds>,
    /// Other products (APIs) of the same spec tree, each described in its own folder and
    /// generated into its own module, by module name (only the root spec has products).
    pub products: BTreeMap<String, Product>,
}

/// Another product (API) of the spec tree: `products:` in the root spec, described by the files
/// of the folder of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Module and folder name, snake_case (`payouts`).
    pub name: String,
    /// What the product is.
    pub doc: String,
    /// The cargo feature the product's module is compiled with.
    pub feature: String,
    /// The product's own spec, loaded and validated like the root's.
    pub spec: Spec,
}

/// `duplicate_ids:`: how the API refuses a request whose `dedup_key` value was already used.
/// A refusal after this call resent a request whose answer was lost means the first attempt
/// landed; a refusal of a first attempt means the id was used before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateIds {
    /// What the docs say.
    pub doc: String,
    /// HTTP statuses meaning "this id already exists" (`[409]`).
    pub statuses: Vec<u16>,
    /// Envelope codes meaning the same (`[409]`).
    pub codes: Vec<i64>,
}

/// A functional area: the client groups operations by area (`client.orders()`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Area {
    /// snake_case name: the YAML name, the accessor and the module name (`split_settlements`).
    pub name: String,
    /// Human title (`Split settlements`).
    pub title: String,
}

/// Name, version and documentation of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// Human name, e.g. "EnKash Payment Gateway".
    pub name: String,
    /// Version of the API described, e.g. "v0".
    pub version: String,
    /// Paragraphs describing the API.
    pub doc: String,
    /// Home page of the API documentation.
    pub docs_url: Option<String>,
    /// Headers the API requires on every request that the client always sends
    /// (`User-Agent`); the mock refuses a request without them.
    pub required_headers: Vec<String>,
}

/// One host the client can be pointed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// Identifier, lower snake case (`uat`, `production`).
    pub name: String,
    /// Base URL without a trailing slash.
    pub url: String,
    /// Where the URL comes from and what the environment is for.
    pub doc: String,
}

/// Token exchange and the headers every authenticated call sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// How the bearer token is obtained.
    pub token: TokenExchange,
    /// Named sets of headers; an operation uses one of them or none.
    pub schemes: BTreeMap<String, AuthScheme>,
    /// The scheme of operations that do not name one.
    pub default_scheme: String,
    /// Envelope codes that mean "your token is invalid" (refresh and retry once).
    pub invalid_token_codes: Vec<i64>,
    /// The credentials the client is configured with, in the order its builder takes them
    /// (`[access_key, secret_key]` unless the spec says otherwise).
    pub credentials: Vec<Credential>,
}

/// The operation that exchanges the client's credentials for a bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenExchange {
    /// The protocol, which fixes what the rest must say.
    pub kind: TokenKind,
    /// Id of the token operation in `Spec::operations`.
    pub operation: String,
    /// Request fields the client fills with a credential, in spec order (`accessKey` ←
    /// `access_key`).
    pub request_fields: Vec<(String, Credential)>,
    /// Request fields with a fixed value (`grant_type` = `password`).
    pub fixed_fields: Vec<(String, String)>,
    /// Wire name of the response field carrying the token.
    pub token_field: String,
    /// Wire name of the response field carrying the expiry.
    pub expiry_field: String,
    /// What the expiry field holds.
    pub expiry: TokenExpiry,
}

/// The protocol of a token exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `key_pair`: the API's own exchange of key fields for a token (JSON or form body).
    KeyPair,
    /// `oauth2_password`: an OAuth2 resource-owner password grant (RFC 6749 §4.3): a
    /// form-encoded request with `grant_type=password`, the username and password, client
    /// authentication by HTTP Basic; the answer's expiry is a lifetime in seconds.
    OAuth2Password,
}

impl TokenKind {
    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::KeyPair => "key_pair",
            TokenKind::OAuth2Password => "oauth2_password",
        }
    }
}

/// What the expiry field of a token answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenExpiry {
    /// `epoch_ms`: the absolute expiry, milliseconds since the epoch (an `epoch_ms` field).
    EpochMillis,
    /// `seconds`: the token's lifetime in seconds from now (an integer field, OAuth2's
    /// `expires_in`).
    Seconds,
}

/// A named set of headers sent by authenticated operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// Scheme name (`merchant`, `bearer`).
    pub name: String,
    /// What the scheme is and where the docs say so.
    pub doc: String,
    /// Headers in the order the spec lists them.
    pub headers: Vec<AuthHeader>,
}

/// One header of an auth scheme, e.g. `Authorization: Bearer {token}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    /// Header name as sent.
    pub name: String,
    /// Literal text before the credential (`"Bearer "`), possibly empty.
    pub prefix: String,
    /// What follows the prefix.
    pub value: HeaderCredential,
}

/// The credential part of an auth header's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeaderCredential {
    /// One credential as it is (`{token}`).
    One(Credential),
    /// HTTP Basic: `Basic ` then Base64 of `user:password` (`{basic: [client_id, client_secret]}`).
    Basic(Credential, Credential),
}

impl HeaderCredential {
    /// The credentials the value needs.
    pub fn credentials(self) -> Vec<Credential> {
        match self {
            HeaderCredential::One(credential) => vec![credential],
            HeaderCredential::Basic(user, password) => vec![user, password],
        }
    }
}

/// A credential an auth header or a request field carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Credential {
    /// The bearer token from the token operation (`{token}`).
    Token,
    /// An access key (`{access_key}`).
    AccessKey,
    /// A secret key (`{secret_key}`).
    SecretKey,
    /// An OAuth2 client id (`{client_id}`).
    ClientId,
    /// An OAuth2 client secret (`{client_secret}`).
    ClientSecret,
    /// A user name (`{username}`).
    Username,
    /// A password (`{password}`).
    Password,
}

impl Credential {
    /// Every credential, with its spec name.
    pub const ALL: [(&'static str, Credential); 7] = [
        ("token", Credential::Token),
        ("access_key", Credential::AccessKey),
        ("secret_key", Credential::SecretKey),
        ("client_id", Credential::ClientId),
        ("client_secret", Credential::ClientSecret),
        ("username", Credential::Username),
        ("password", Credential::Password),
    ];

    /// The spec name (`access_key`).
    pub fn as_str(self) -> &'static str {
        Credential::ALL
            .iter()
            .find(|(_, credential)| *credential == self)
            .map_or("token", |(name, _)| name)
    }

    /// Parses a spec name.
    pub fn parse(name: &str) -> Option<Credential> {
        Credential::ALL
            .iter()
            .find(|(spelling, _)| *spelling == name)
            .map(|(_, credential)| *credential)
    }
}

/// How a response body wraps the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// Envelope name (`standard`, `split`, `token`, `text`).
    pub name: String,
    /// What the envelope looks like and which docs show it.
    pub doc: String,
    /// The envelope's shape.
    pub kind: EnvelopeKind,
    /// The cipher bodies are encrypted with on the wire, in both directions (the shape above
    /// is the decrypted body's).
    pub cipher: Option<BodyCipher>,
    /// Where a refused answer of a wrapped envelope may instead carry its code and message
    /// (`errors: {code_field: code, message_field: message}`).
    pub error_fields: Option<ErrorFields>,
}

/// The other shape of a refused answer: `{<code>: ..., <message>: ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFields {
    /// Wire name of the code (`code`).
    pub code_field: String,
    /// Wire name of the message (`message`).
    pub message_field: String,
}

/// `cipher:` of an envelope: request and response bodies travel encrypted, as Base64 text in a
/// one-member JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyCipher {
    /// The algorithm.
    pub algorithm: CipherAlgorithm,
    /// The member of the wrapper object holding the cipher text (`request`).
    pub field: String,
    /// The credential the key is derived from (`client_secret`).
    pub key: Credential,
}

/// A body cipher algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CipherAlgorithm {
    /// `aes128_ecb_sha256_key`: AES-128 in ECB mode with PKCS#7 padding; the key is the first 16
    /// bytes of SHA-256 over the credential's UTF-8 bytes; Base64 (standard alphabet, padded).
    Aes128EcbSha256Key,
}

impl CipherAlgorithm {
    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CipherAlgorithm::Aes128EcbSha256Key => "aes128_ecb_sha256_key",
        }
    }
}

/// The shape of an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeKind {
    /// `{<code>: int, <message>: string, <payload>: ...}`; the call succeeded when the code is
    /// one of `success_codes`.
    Wrapped {
        /// Wire name of the integer result code (`response_code`).
        code_field: String,
        /// Wire name of the message (`response_message`).
        message_field: String,
        /// Wire name of the payload (`payload`).
        payload_field: String,
        /// Codes meaning success (`[0]`).
        success_codes: Vec<i64>,
    },
    /// The JSON body is the payload itself (the token response). A failed answer may carry a
    /// result code and message at the top level, under the names given here.
    Bare {
        /// Wire name of the integer result code of a failed answer (`resultCode`), if any.
        code_field: Option<String>,
        /// Wire name of the message of a failed answer (`resultMessage`), if any.
        message_field: Option<String>,
    },
    /// The body is plain text; the payload type must be `string`.
    Text,
}

/// The wrapper object of an envelope whose payload sits in a field: the names of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeWrapper<'a> {
    /// Wire name of the integer result code.
    pub code_field: &'a str,
    /// Wire name of the message.
    pub message_field: &'a str,
    /// Wire name of the payload.
    pub payload_field: &'a str,
    /// Codes meaning success.
    pub success_codes: &'a [i64],
}

impl EnvelopeKind {
    /// The kind as the spec writes it: `wrapped`, `bare` or `text`.
    pub fn name(&self) -> &'static str {
        match self {
            EnvelopeKind::Wrapped { .. } => "wrapped",
            EnvelopeKind::Bare { .. } => "bare",
            EnvelopeKind::Text => "text",
        }
    }

    /// Whether bodies are JSON (not plain text).
    pub fn is_json(&self) -> bool {
        !matches!(self, EnvelopeKind::Text)
    }

    /// The wrapper object around the payload, for a kind that has one.
    pub fn wrapper(&self) -> Option<EnvelopeWrapper<'_>> {
        match self {
            EnvelopeKind::Wrapped {
                code_field,
                message_field,
                payload_field,
                success_codes,
            } => Some(EnvelopeWrapper {
                code_field,
                message_field,
                payload_field,
                success_codes,
            }),
            EnvelopeKind::Bare { .. } | EnvelopeKind::Text => None,
        }
    }

    /// The wire names the kind declares, as `(spec key, wire name)` in the spec's order
    /// (`("code_field", "response_code")`, ...).
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        match self {
            EnvelopeKind::Wrapped {
                code_field,
                message_field,
                payload_field,
                ..
            } => vec![
                ("code_field", code_field),
                ("message_field", message_field),
                ("payload_field", payload_field),
            ],
            EnvelopeKind::Bare {
                code_field,
                message_field,
            } => [("code_field", code_field), ("message_field", message_field)]
                .into_iter()
                .filter_map(|(key, name)| Some((key, name.as_deref()?)))
                .collect(),
            EnvelopeKind::Text => Vec::new(),
        }
    }

    /// The codes meaning success (empty for a kind without codes).
    pub fn success_codes(&self) -> &[i64] {
        match self {
            EnvelopeKind::Wrapped { success_codes, .. } => success_codes,
            EnvelopeKind::Bare { .. } | EnvelopeKind::Text => &[],
        }
    }
}

/// `wrapped {response_code, response_message, payload}, success [0]`, `bare {resultCode,
/// resultMessage}`, `bare`, `text`: the kind and what it names.
impl fmt::Display for EnvelopeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        let names: Vec<&str> = self.fields().into_iter().map(|(_, name)| name).collect();
        if !names.is_empty() {
            write!(f, " {{{}}}", names.join(", "))?;
        }
        let codes = self.success_codes();
        if !codes.is_empty() {
            write!(f, ", success {codes:?}")?;
        }
        Ok(())
    }
}

/// A named object type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// PascalCase name, used as the Rust type name.
    pub name: String,
    /// What the object is.
    pub doc: String,
    /// The EnKash doc page that shows it.
    pub doc_url: Option<String>,
    /// Fields in the order of the YAML file.
    pub fields: Vec<Field>,
}

/// A field of a schema, or a path, query or header parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Name exactly as on the wire (`orderId`, `merchantAccessKey`, `start_at`).
    pub wire_name: String,
    /// Rust identifier (snake case of the wire name unless the spec overrides it).
    pub rust_name: String,
    /// The field's type.
    pub ty: TypeRef,
    /// Present in every valid message.
    pub required: bool,
    /// May be JSON `null`.
    pub nullable: bool,
    /// One line (or more) of documentation.
    pub doc: String,
    /// An example value as written in the docs.
    pub example: Option<String>,
    /// Validation rules from the docs.
    pub constraints: Constraints,
    /// Card data, keys or tokens: never shown by `Debug` or logs.
    pub sensitive: bool,
    /// The client fills this field with its own credential when it sends the request; callers
    /// never set it (and the generated struct has no such member).
    pub credential: Option<Credential>,
    /// Other JSON names the field is also read from (an older doc revision's name), in spec
    /// order; never written. Only schema fields have them.
    pub aliases: Vec<String>,
}

/// Validation rules of a field. Numbers are kept as decimal literals, never floats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Regular expression the whole value must match.
    pub pattern: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// Inclusive minimum, as a decimal literal (`"0.01"`).
    pub min: Option<String>,
    /// Inclusive maximum, as a decimal literal (`"1000000000"`).
    pub max: Option<String>,
    /// Maximum number of digits after the decimal point.
    pub max_decimals: Option<u32>,
}

/// The type of a field, parameter, body or payload.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `string`
    String,
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `decimal` (written as a JSON number) or `decimal_string` (written as a JSON string);
    /// both read JSON numbers and strings.
    Decimal(DecimalWire),
    /// One of EnKash's date/time forms.
    DateTime(DateFormat),
    /// `json`: any JSON value, documented as free-form.
    Json,
    /// `undocumented`: the docs do not show this shape; kept as raw JSON until they do.
    Undocumented,
    /// `list<T>`
    List(Box<TypeRef>),
    /// `map<T>`: a JSON object with string keys.
    Map(Box<TypeRef>),
    /// A named schema.
    Schema(String),
    /// A named enum.
    Enum(String),
    /// A named date-time type (`datetimes:`).
    DateTimeType(String),
}

/// How a decimal is written to JSON (both forms are accepted when reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DecimalWire {
    /// `100.50`
    Number,
    /// `"100.50"`
    String,
}

/// The date/time forms EnKash uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateFormat {
    /// `datetime`: ISO-8601 / RFC 3339 with offset, `2019-08-24T14:15:22Z`.
    Iso8601,
    /// `datetime_local`: `yyyy-MM-dd HH:mm:ss` without offset, `2026-04-22 13:50:03`.
    LocalDateTime,
    /// `date`: `yyyy-MM-dd`.
    Date,
    /// `epoch_ms`: integer milliseconds since the Unix epoch.
    EpochMillis,
    /// `epoch_s`: integer seconds since the Unix epoch.
    EpochSeconds,
    /// `card_expiry`: card expiry `MM/YY`.
    CardExpiry,
}

/// A date-time type of the spec's `datetimes:` section: a date-time written as a JSON string in
/// one of several forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeType {
    /// PascalCase name, used as the Rust type name.
    pub name: String,
    /// What the type is for and why it reads the forms it does.
    pub doc: String,
    /// The EnKash doc page that shows the forms.
    pub doc_url: Option<String>,
    /// The forms read, tried in this order (at least one, no repeats).
    pub reads: Vec<DateTimeForm>,
    /// The form written; one of `reads`.
    pub writes: DateTimeForm,
    /// The offset assumed for values in a form without a zone; present whenever a local form is
    /// read or written.
    pub assumed_offset: Option<Offset>,
}

/// A form of a [`DateTimeType`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateTimeForm {
    /// `rfc3339`: `2019-08-24T14:15:22Z`, `2019-08-24T14:15:22+05:30`.
    Rfc3339,
    /// `iso_local`: `2019-08-24T14:15:22`, no zone.
    IsoLocal,
    /// `space_local`: `2026-04-22 13:50:03`, no zone.
    SpaceLocal,
}

impl DateTimeForm {
    /// Every form, with its spec name.
    pub const ALL: [(&'static str, DateTimeForm); 3] = [
        ("rfc3339", DateTimeForm::Rfc3339),
        ("iso_local", DateTimeForm::IsoLocal),
        ("space_local", DateTimeForm::SpaceLocal),
    ];

    /// The name the spec uses (`space_local`).
    pub fn spec_name(self) -> &'static str {
        match self {
            DateTimeForm::Rfc3339 => "rfc3339",
            DateTimeForm::IsoLocal => "iso_local",
            DateTimeForm::SpaceLocal => "space_local",
        }
    }

    /// An example value in the form.
    pub fn example(self) -> &'static str {
        match self {
            DateTimeForm::Rfc3339 => "2019-08-24T14:15:22Z",
            DateTimeForm::IsoLocal => "2019-08-24T14:15:22",
            DateTimeForm::SpaceLocal => "2026-04-22 13:50:03",
        }
    }

    /// True for the forms without a zone.
    pub fn is_local(self) -> bool {
        !matches!(self, DateTimeForm::Rfc3339)
    }
}

/// A UTC offset as the spec writes it (`+05:30`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offset {
    /// As written, `+HH:MM` or `-HH:MM`.
    pub text: String,
    /// Seconds east of UTC.
    pub seconds: i32,
}

/// A string enum with its wire values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    /// PascalCase name, used as the Rust type name.
    pub name: String,
    /// What the enum means.
    pub doc: String,
    /// The EnKash doc page that lists it.
    pub doc_url: Option<String>,
    /// Values in the order of the YAML file.
    pub values: Vec<EnumValue>,
}

/// One wire value of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// Value exactly as on the wire (`PAYMENT_CONFIRMATION_PENDING`).
    pub wire: String,
    /// Rust variant name (PascalCase of the wire value unless the spec overrides it).
    pub rust_name: String,
    /// What the value means.
    pub doc: String,
    /// No further status change follows this one (lifecycle fact from the docs).
    pub is_final: bool,
    /// A final value that means the money moved as asked (`PAID`, `SUCCESS`).
    pub is_success: bool,
}

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl HttpMethod {
    /// Upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Parses an upper-case method name.
    pub fn parse(name: &str) -> Option<HttpMethod> {
        [Self::Get, Self::Post, Self::Put, Self::Patch, Self::Delete]
            .into_iter()
            .find(|method| method.as_str() == name)
    }
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BodyEncoding {
    /// `json`: a JSON document (the default).
    Json,
    /// `form`: `application/x-www-form-urlencoded`; the body schema has only scalar fields.
    Form,
}

/// Whether EnKash considers an endpoint finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stability {
    /// Documented without reservation.
    Stable,
    /// Marked "Developing" on the EnKash doc page: may change without notice.
    Developing,
}

/// Which headers an operation sends to authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationAuth {
    /// The headers of the named scheme in `Auth::schemes`.
    Scheme(String),
    /// No authentication headers (the token call itself, and `/pay/...` endpoints).
    None,
}

/// One HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Unique snake_case id (`create_order`).
    pub id: String,
    /// Name of the area, which decides the client accessor (`client.orders()`).
    pub area: String,
    /// Method name on the area accessor (`create` in `client.orders().create(..)`).
    pub client_method: String,
    /// Title of the EnKash doc page ("Create Order").
    pub summary: String,
    /// What the operation does, with any contradiction between doc revisions.
    pub doc: String,
    /// The EnKash doc page.
    pub doc_url: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template, e.g. `/api/v0/orders/{orderId}`.
    pub path: String,
    /// Path parameters, in the order they appear in the template.
    pub path_params: Vec<Field>,
    /// Query parameters.
    pub query_params: Vec<Field>,
    /// Header parameters beyond the auth scheme's headers.
    pub header_params: Vec<Field>,
    /// Request body type, if the operation sends one.
    pub request: Option<TypeRef>,
    /// How the request body is encoded.
    pub request_encoding: BodyEncoding,
    /// Payload type inside the envelope, if the operation answers one.
    pub response: Option<TypeRef>,
    /// Name of the envelope in `Spec::envelopes`.
    pub envelope: String,
    /// Authentication headers the operation sends.
    pub auth: OperationAuth,
    /// "Developing" pages are marked as such.
    pub stability: Stability,
    /// Wire name of the request-body field the server deduplicates on (`orderId`, `requestId`):
    /// a retry with the same value cannot move money twice. `None`: no such key.
    pub dedup_key: Option<String>,
    /// Repeating the call cannot make EnKash act twice (the token request, searches sent as
    /// `POST`), so it may be resent like a `GET`. Never set on a `GET` or with a `dedup_key`.
    pub idempotent: bool,
    /// A generated method polling this operation until a status in its answer is final.
    pub waiter: Option<Waiter>,
    /// How the operation pages its results, for a generated `<client_method>_stream` method.
    pub pagination: Option<Pagination>,
}

/// `pagination:` of a search operation: the generated `<client_method>_stream` method fetches
/// the pages one after the other, lazily, and yields their items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Wire name of the query parameter or top-level request field holding the index of the
    /// first record (`offset`).
    pub offset: String,
    /// Wire name of the query parameter or top-level request field holding the page size
    /// (`limit`); its `max` is the largest page asked for.
    pub limit: String,
    /// Wire name of the response field holding the number of matching records
    /// (`recordsCount`).
    pub total: String,
    /// Wire name of the response field holding this page's records, a list (`data`).
    pub items: String,
}

/// `waiter:` of an operation: the generated method that calls the operation again and again
/// until the status enum in its answer reaches a value the spec marks `final`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// Method name on the area accessor (`wait_for_final`).
    pub method: String,
    /// Wire name of the response field holding the status (`status`); its type is an enum with
    /// `final` values.
    pub status_field: String,
}

/// An endpoint the EnKash docs name without a published path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndocumentedOperation {
    /// Unique snake_case id (`get_bnpl_payment_modes`).
    pub id: String,
    /// Name of the area it belongs to.
    pub area: String,
    /// Title in the EnKash navigation ("Get BNPL Payment Modes").
    pub summary: String,
    /// HTTP method the navigation shows, when it shows one.
    pub method: Option<HttpMethod>,
    /// What is known and what is missing.
    pub doc: String,
    /// The EnKash doc page.
    pub doc_url: String,
}

/// A notification EnKash sends to a merchant URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Unique snake_case id (`payment_notify`).
    pub id: String,
    /// Title of the EnKash doc page.
    pub summary: String,
    /// When EnKash sends it and what is (not) known about it.
    pub doc: String,
    /// The EnKash doc page.
    pub doc_url: String,
    /// Type of the JSON body.
    pub payload: TypeRef,
    /// What the merchant answers, when the docs say (`None`: not documented).
    pub acknowledgement: Option<Acknowledgement>,
}

/// The answer EnKash expects from the merchant for a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// HTTP status code (100 to 599).
    pub status: u16,
    /// The response body, exactly as sent (JSON text such as `{}`; may be empty).
    pub body: String,
}

/// A hand-written module that uses generated types (the mock EnKash server's state, payment
/// confirmation): `enkash-generated/src/companions/<module>/mod.rs`. The generator declares it in
/// the generated code, so it is compiled only for a spec that declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    /// The module name, snake_case (`enkash_mock`): also the name of its folder.
    pub module: String,
    /// What the module holds.
    pub doc: String,
    /// The cargo feature the module is compiled with; `None`: always compiled.
    pub feature: Option<String>,
    /// Where the module's public items can be reached.
    pub export: CompanionExport,
}

/// Where the public items of a [`Companion`] are re-exported: their one documented path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompanionExport {
    /// The crate root (`enkash_generated::ConfirmedPayment`).
    Root,
    /// The generated `mock` module, beside the mock router (`enkash_generated::mock::MockServer`);
    /// the companion must have `feature: mock`, the feature that module is compiled with.
    Mock,
}

impl CompanionExport {
    /// The spec spelling (`root`, `mock`).
    pub fn as_str(self) -> &'static str {
        match self {
            CompanionExport::Root => "root",
            CompanionExport::Mock => "mock",
        }
    }
}

/// The spec spelling of the type, as a maintainer writes it (`list<decimal>`, `OrderStatus`).
impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::List(inner) => write!(f, "list<{inner}>"),
            TypeRef::Map(inner) => write!(f, "map<{inner}>"),
            TypeRef::Schema(name) | TypeRef::Enum(name) | TypeRef::DateTimeType(name) => {
                f.write_str(name)
            }
            builtin => f.write_str(crate::types::builtin_name(builtin).unwrap_or("?")),
        }
    }
}

impl TypeRef {
    /// Calls `visit` on this type and every type nested in it.
    pub fn walk(&self, visit: &mut dyn FnMut(&TypeRef)) {
        visit(self);
        if let TypeRef::List(inner) | TypeRef::Map(inner) = self {
            inner.walk(visit);
        }
    }

    /// True when this type or a type nested in it is `undocumented`.
    pub fn is_undocumented(&self) -> bool {
        let mut found = false;
        self.walk(&mut |ty| found |= *ty == TypeRef::Undocumented);
        found
    }
}

impl Spec {
    /// Operations of one area, ordered by id.
    pub fn operations_in<'s>(&'s self, area: &'s Area) -> impl Iterator<Item = &'s Operation> {
        self.operations
            .values()
            .filter(move |op| op.area == area.name)
    }

    /// The area named `name`.
    pub fn area(&self, name: &str) -> Option<&Area> {
        self.areas.iter().find(|area| area.name == name)
    }

    /// The token operation named by `auth.token.operation`.
    pub fn token_operation(&self) -> Option<&Operation> {
        self.operations.get(&self.auth.token.operation)
    }

    /// Every place the spec marks `undocumented`, as a YAML path
    /// (`operations.create_qr_code.request`, `schemas.OrderTransaction.fields.extra`), sorted.
    pub fn undocumented(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        for schema in self.schemas.values() {
            for field in &schema.fields {
                if field.ty.is_undocumented() {
                    gaps.push(format!(
                        "schemas.{}.fields.{}",
                        schema.name, field.wire_name
                    ));
                }
            }
        }
        for op in self.operations.values() {
            if op.request.as_ref().is_some_and(TypeRef::is_undocumented) {
                gaps.push(format!("operations.{}.request", op.id));
            }
            if op.response.as_ref().is_some_and(TypeRef::is_undocumented) {
                gaps.push(format!("operations.{}.response", op.id));
            }
        }
        for hook in self.webhooks.values() {
            if hook.payload.is_undocumented() {
                gaps.push(format!("webhooks.{}.payload", hook.id));
            }
        }
        for op in self.undocumented_operations.values() {
            gaps.push(format!("undocumented_operations.{}", op.id));
        }
        gaps.sort();
        gaps
    }
}
