//! The helpers generated commands call: the base URL of `--env`, credentials, arguments and
//! request bodies read into the spec's types (by serde, so without naming them), and the
//! `--dry-run` preview of a request, built from its operation's `OperationInfo` (the facts the
//! client sends it with) and the arguments given, secrets redacted.

use std::time::Duration;

use clap::ArgMatches;

use super::{Failure, Host, Outcome, Preview};
use crate::runtime::operation::{
    AuthHeader, BodyEncoding, OperationInfo, encode_path_segment, path_param_problem,
};
use crate::runtime::read_json;

/// What stands for a secret in a preview.
const REDACTED: &str = "<redacted>";

/// The base URL of `--env`: an environment's name (of `environments`, name and URL) or a URL.
pub(crate) fn resolve_env(
    env: Option<&str>,
    environments: &[(&str, &str)],
) -> Result<String, Failure> {
    let names = environments
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let choices = if names.is_empty() {
        "a URL".to_owned()
    } else {
        format!("one of {names}, or a URL")
    };
    let Some(name) = env else {
        return Err(Failure::Config(format!("`--env` is required: {choices}")));
    };
    if let Some((_, url)) = environments.iter().find(|(known, _)| *known == name) {
        return Ok((*url).to_owned());
    }
    if name.starts_with("http://") || name.starts_with("https://") {
        return Ok(name.trim_end_matches('/').to_owned());
    }
    Err(Failure::Config(format!(
        "`{name}` is not an environment: use {choices}"
    )))
}

/// A credential's setting, or the failure naming it.
pub(crate) fn credential(host: &dyn Host, name: &str) -> Result<String, Failure> {
    host.setting(name).ok_or_else(|| {
        Failure::Config(format!(
            "the credential `{name}` is not set: set the environment variable or add `{name}=...` to the `--config` file"
        ))
    })
}

/// The text of a required argument.
pub(crate) fn text(matches: &ArgMatches, id: &str) -> Result<String, Failure> {
    matches
        .get_one::<String>(id)
        .cloned()
        .ok_or_else(|| Failure::Usage(format!("`{id}` is missing")))
}

/// An argument read as a `T`: as JSON (a number), else as a JSON string (an enum value).
pub(crate) fn value<T: serde::de::DeserializeOwned>(name: &str, raw: &str) -> Result<T, Failure> {
    serde_json::from_str::<T>(raw)
        .or_else(|_| serde_json::from_value::<T>(serde_json::Value::String(raw.to_owned())))
        .map_err(|err| Failure::Usage(format!("`{name}`: {raw:?} is not valid: {err}")))
}

/// The request body of `--body` (`{}` without it) read as a `T`.
pub(crate) fn body<T: serde::de::DeserializeOwned>(
    host: &dyn Host,
    matches: &ArgMatches,
) -> Result<T, Failure> {
    let source = matches
        .get_one::<String>("body")
        .map_or("{}", String::as_str);
    let text = host.read_body(source)?;
    read_json::<T>(text.as_bytes()).map_err(|(path, message)| {
        Failure::Usage(format!(
            "the request body does not fit `{}` at `{path}`: {message}",
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or_default()
        ))
    })
}

/// The token request: its credential fields (wire name, setting) from the settings
/// (`<redacted>` for a dry run, which needs no credentials) and its fixed fields.
pub(crate) fn token_body<T: serde::de::DeserializeOwned>(
    host: &dyn Host,
    filled: &[(&str, &str)],
    fixed: &[(&str, &str)],
) -> Result<T, Failure> {
    let mut object = serde_json::Map::new();
    for (wire, name) in filled {
        let value = if host.dry_run() {
            REDACTED.to_owned()
        } else {
            credential(host, name)?
        };
        object.insert((*wire).to_owned(), serde_json::Value::String(value));
    }
    for (wire, value) in fixed {
        object.insert(
            (*wire).to_owned(),
            serde_json::Value::String((*value).to_owned()),
        );
    }
    read_json::<T>(serde_json::Value::Object(object).to_string().as_bytes()).map_err(
        |(path, message)| Failure::Usage(format!("the token request at `{path}`: {message}")),
    )
}

/// The query and header parameters given as flags, read as the params struct `T`. `fields`:
/// wire name, argument id, and whether the value is text (else JSON when it parses).
pub(crate) fn params<T: serde::de::DeserializeOwned>(
    matches: &ArgMatches,
    fields: &[(&str, &str, bool)],
) -> Result<T, Failure> {
    let mut object = serde_json::Map::new();
    for (wire, id, text) in fields {
        if let Some(raw) = matches.get_one::<String>(id) {
            let value = if *text {
                serde_json::Value::String(raw.clone())
            } else {
                serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::String(raw.clone()))
            };
            object.insert((*wire).to_owned(), value);
        }
    }
    read_json::<T>(serde_json::Value::Object(object).to_string().as_bytes())
        .map_err(|(path, message)| Failure::Usage(format!("parameter `{path}`: {message}")))
}

/// `validate()`'s problems as a failure.
pub(crate) fn problems(problems: Vec<String>) -> Result<(), Failure> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "invalid request, nothing was sent: {}",
            problems.join("; ")
        )))
    }
}

/// `value` as JSON.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value).map_err(|err| Failure::Output(err.to_string()))
}

/// What a `--dry-run` shows of a request besides what its operation fixes (method, path, auth
/// headers, body encoding and cipher, credential members of the body: all read from its
/// [`OperationInfo`]).
#[derive(Debug, Default)]
pub(crate) struct Parts<'a> {
    /// The path parameters: wire name, value.
    pub(crate) path: &'a [(&'a str, &'a str)],
    /// The query flags: wire name, argument id.
    pub(crate) query: &'a [(&'a str, &'a str)],
    /// The header flags: wire name, argument id, whether the spec marks it sensitive.
    pub(crate) headers: &'a [(&'a str, &'a str, bool)],
    /// The body, as JSON (the token request's credentials are already `<redacted>` in it:
    /// [`token_body`]).
    pub(crate) body: Option<serde_json::Value>,
}

/// The request `op` would send to `base` with `parts`, its secrets `<redacted>`: the dry run's
/// outcome. Path parameters are checked and encoded as the client does it.
pub(crate) fn preview(
    base: &str,
    op: &OperationInfo,
    matches: &ArgMatches,
    parts: Parts<'_>,
) -> Result<Outcome, Failure> {
    let content_type = parts.body.as_ref().map(|_| match op.body {
        BodyEncoding::Json => "application/json",
        BodyEncoding::Form => "application/x-www-form-urlencoded",
    });
    let secret_fields = op.body_credentials.iter().map(|(name, _)| *name);
    Ok(Outcome::DryRun(Preview {
        method: op.method.as_str(),
        url: url(base, op.path, parts.path, matches, parts.query)?,
        headers: headers(op.auth, matches, parts.headers, content_type),
        body: parts.body.map(|body| with_redacted(body, secret_fields)),
        encrypted: op.cipher.is_some(),
    }))
}

/// `body` with the top-level members `secret_fields` shown as `<redacted>`.
fn with_redacted<'a>(
    mut body: serde_json::Value,
    secret_fields: impl Iterator<Item = &'a str>,
) -> serde_json::Value {
    if let Some(object) = body.as_object_mut() {
        for name in secret_fields {
            object.insert(
                name.to_owned(),
                serde_json::Value::String(REDACTED.to_owned()),
            );
        }
    }
    body
}

/// The URL of a request: `base`, the path `template` with its parameters (wire name, value)
/// checked and percent-encoded exactly as the client does it (a value that would leave its
/// segment, such as `..`, is a usage error, as the call itself would refuse it), and the query
/// flags (wire name, argument id) given.
fn url(
    base: &str,
    template: &str,
    path: &[(&str, &str)],
    matches: &ArgMatches,
    query: &[(&str, &str)],
) -> Result<String, Failure> {
    let mut url = format!("{base}{template}");
    for (wire, value) in path {
        if let Some(problem) = path_param_problem(wire, value) {
            return Err(Failure::Usage(problem));
        }
        url = url.replace(&format!("{{{wire}}}"), &encode_path_segment(value));
    }
    let pairs: Vec<(&str, &str)> = query
        .iter()
        .filter_map(|(wire, id)| {
            matches
                .get_one::<String>(id)
                .map(|value| (*wire, value.as_str()))
        })
        .collect();
    if !pairs.is_empty() {
        let query =
            serde_urlencoded::to_string(&pairs).map_err(|err| Failure::Usage(err.to_string()))?;
        url.push('?');
        url.push_str(&query);
    }
    Ok(url)
}

/// The headers of a request: the operation's auth headers (name, then the text before the
/// secret), the header flags given (wire name, argument id, sensitive) and the content type;
/// secrets `<redacted>`.
fn headers(
    auth: &[AuthHeader],
    matches: &ArgMatches,
    params: &[(&str, &str, bool)],
    content_type: Option<&str>,
) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = auth
        .iter()
        .map(|header| {
            (
                header.name.to_owned(),
                format!("{}{REDACTED}", header.prefix),
            )
        })
        .collect();
    for (wire, id, sensitive) in params {
        if let Some(value) = matches.get_one::<String>(id) {
            let value = if *sensitive {
                REDACTED.to_owned()
            } else {
                value.clone()
            };
            headers.push(((*wire).to_owned(), value));
        }
    }
    if let Some(content_type) = content_type {
        headers.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    headers
}

/// `--timeout`: `90s`, `5m`, `2h`, `500ms`, or a number of seconds (`300s` without it).
pub(crate) fn duration(matches: &ArgMatches) -> Result<Duration, Failure> {
    let raw = matches
        .get_one::<String>("timeout")
        .map_or("300s", String::as_str);
    let (number, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => raw.split_at(at),
        None => (raw, "s"),
    };
    let number: u64 = number
        .parse()
        .map_err(|_| Failure::Usage(format!("`--timeout {raw}`: not a duration such as `90s`")))?;
    match unit {
        "ms" => Ok(Duration::from_millis(number)),
        "s" => Ok(Duration::from_secs(number)),
        "m" => Ok(Duration::from_secs(number.saturating_mul(60))),
        "h" => Ok(Duration::from_secs(number.saturating_mul(3600))),
        _ => Err(Failure::Usage(format!(
            "`--timeout {raw}`: the unit is ms, s, m or h"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::resolve_env;

    #[test]
    fn env_names_an_environment_or_a_url() {
        let environments = [("uat", "https://uat.example")];
        assert_eq!(
            resolve_env(Some("uat"), &environments).ok().as_deref(),
            Some("https://uat.example")
        );
        assert_eq!(
            resolve_env(Some("http://127.0.0.1:8080/"), &environments)
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:8080")
        );
        let err = format!("{:?}", resolve_env(Some("prod"), &environments));
        assert!(err.contains("one of uat, or a URL"), "{err}");
        assert!(resolve_env(None, &[]).is_err());
    }
}
