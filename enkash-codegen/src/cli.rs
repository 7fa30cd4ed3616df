//! `cli_commands.rs` of the generated folder (feature `cli`): the `enkash` command line's
//! subcommands, one per operation and waiter of the spec, grouped by area (and by product for the
//! products of the tree), built with clap's builder API, and the code that turns a subcommand's
//! arguments into a typed call of the generated client and its answer into JSON. The root's file
//! also has `main`, the program: the root's and the products' commands handed to the runtime.
//!
//! What does not depend on the spec (the global options, reading the credentials, the config
//! file and `--body`, printing, exit codes, the spinner, the argument helpers) is the runtime's
//! (`src/runtime/cli.rs`), which names no generated type: it receives the command tree and the
//! dispatch function, so every spec's crate gets a working binary.

use std::collections::BTreeSet;

use enkash_spec::{Field, Operation, Spec, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::client::Target;
use crate::docs::{first_sentence, module_doc};
use crate::names::{ident, static_ident};
use crate::operations::areas_with_operations;
use crate::shape::params_struct_name;
use crate::types::rust_type;
use crate::{Error, Result};

/// Long flags the command line itself uses: a parameter whose flag would be one of them is
/// `--param-<name>` instead.
const RESERVED_FLAGS: [&str; 7] = [
    "body", "config", "env", "dry-run", "help", "timeout", "version",
];

/// The environment variable prefix of every credential (`ENKASH_ACCESS_KEY`).
const ENV_PREFIX: &str = "ENKASH";

/// The binary's name.
const BINARY: &str = "enkash";

/// The whole `cli_commands.rs` of the root (`product` `None`) or of a product.
pub(crate) fn cli_module(
    spec: &Spec,
    target: Target<'_>,
    validated: &BTreeSet<String>,
) -> Result<TokenStream> {
    let doc = module_doc(
        "The `enkash` command line's subcommands for this spec's operations and waiters \
         (feature `cli`), generated from the spec: clap's builder API for the arguments, and the \
         typed call of the generated client each subcommand makes.",
    );
    let product = match target {
        Target::Root => None,
        Target::Product(product) => Some(product),
    };
    let mut area_commands = Vec::new();
    let mut area_arms = Vec::new();
    let mut items = Vec::new();
    for area in areas_with_operations(spec) {
        let area_name = kebab(&area.name);
        let mut op_commands = Vec::new();
        let mut op_arms = Vec::new();
        let mut seen = BTreeSet::new();
        for op in spec.operations_in(area) {
            let name = kebab(&op.client_method);
            if !seen.insert(name.clone()) {
                return Err(clash(op, &name));
            }
            let (command, arm, item) =
                operation(spec, product.map(|p| p.name.as_str()), op, &name, validated)?;
            op_commands.push(command);
            op_arms.push(arm);
            items.push(item);
            if op.waiter.is_some() {
                let name = waiter_name(op);
                if !seen.insert(name.clone()) {
                    return Err(clash(op, &name));
                }
                let (command, arm, item) = waiter(op, &name)?;
                op_commands.push(command);
                op_arms.push(arm);
                items.push(item);
            }
        }
        let about = &area.title;
        let area_fn = format_ident!("run_area_{}", area.name);
        area_commands.push(quote! {
            Command::new(#area_name)
                .about(#about)
                .subcommand_required(true)
                .arg_required_else_help(true)
                #(.subcommand(#op_commands))*
        });
        area_arms.push(quote!(Some((#area_name, m)) => #area_fn(host, env, m).await,));
        items.push(quote! {
            async fn #area_fn(host: &dyn cli::Host, env: Option<&str>, matches: &ArgMatches) -> Result<cli::Outcome, cli::Failure> {
                match matches.subcommand() {
                    #(#op_arms)*
                    _ => Err(cli::Failure::Usage("no operation given".to_owned())),
                }
            }
        });
    }

    let credentials = spec
        .auth
        .credentials
        .iter()
        .map(|credential| credential_var(product.map(|p| p.name.as_str()), credential.as_str()))
        .collect::<Vec<_>>();
    let credential_list = credentials.join(", ");
    let after_help = format!(
        "Credentials are read from the environment variables {credential_list}, or from the \
         `KEY=VALUE` lines of the `--config` file; never from flags."
    );
    let env_names = spec.environments.iter().map(|env| &env.name);
    let env_urls = spec.environments.iter().map(|env| &env.url);
    let client_path = match target {
        Target::Root => quote!(crate::Client),
        Target::Product(_) => quote!(super::Client),
    };
    let common = quote! {
        /// The base URL `--env` names: one of the spec's environments, or a URL.
        #[allow(dead_code)]
        fn base_url(env: Option<&str>) -> Result<String, cli::Failure> {
            cli::resolve_env(env, &[#((#env_names, #env_urls)),*])
        }

        /// A client for `--env` with the credentials of the environment or the config file,
        /// recording drift when `--record-drift` asks for it.
        #[allow(dead_code)]
        fn client(host: &dyn cli::Host, env: Option<&str>) -> Result<#client_path, cli::Failure> {
            let base_url = base_url(env)?;
            let builder = #client_path::builder()
                .base_url(base_url)
                .credentials(#(cli::credential(host, #credentials)?),*);
            let builder = match host.drift_recorder() {
                Some(recorder) => builder.drift_recorder(recorder),
                None => builder,
            };
            builder.build().map_err(cli::Failure::Call)
        }
    };

    let head = match product {
        None => {
            let about = first_sentence(&spec.api.doc);
            let long_about = format!("{}\n\n{}", spec.api.name, spec.api.doc.trim_end());
            let mut product_commands = Vec::new();
            let mut product_arms = Vec::new();
            for product in spec.products.values() {
                let module = ident(&product.name)?;
                let name = kebab(&product.name);
                let feature = &product.feature;
                if spec.areas.iter().any(|area| kebab(&area.name) == name) {
                    return Err(Error::new(format!(
                        "products.{}: the command line's subcommand `{name}` is also an area's",
                        product.name
                    )));
                }
                product_commands.push(quote! {
                    #[cfg(feature = #feature)]
                    let command = command.subcommand(super::#module::cli_commands::command());
                });
                product_arms.push(quote! {
                    #[cfg(feature = #feature)]
                    Some((#name, m)) => super::#module::cli_commands::run(host, env, m).await,
                });
            }
            let env_names = spec.environments.iter().map(|env| &env.name);
            let head = quote! {
                use crate::runtime::cli;

                /// Runs the `enkash` command line with the process's arguments and returns its exit
                /// code: 0 success, 2 usage or validation (nothing was sent), 3 the API refused the
                /// call, 4 transport, timeout, HTTP, decoding or cipher failures, 5 authentication
                /// or configuration. Credentials come from the environment variables the
                /// subcommands' help names, or from the `KEY=VALUE` lines of `--config FILE`
                /// (which win over the environment); never from flags.
                pub fn main() -> std::process::ExitCode {
                    let app = cli::CliApp {
                        name: #BINARY,
                        environments: &[#(#env_names),*],
                        command,
                        run: run_boxed,
                    };
                    cli::main(&app, std::env::args_os())
                }

                /// [`run`] as the runtime calls it.
                fn run_boxed<'a>(host: &'a dyn cli::Host, env: Option<&'a str>, matches: &'a ArgMatches) -> cli::RunFuture<'a> {
                    Box::pin(run(host, env, matches))
                }

                /// The `enkash` command: every area of the spec (and every product compiled in)
                /// as a subcommand. The caller adds the global options.
                pub(crate) fn command(name: &'static str) -> Command {
                    let command = Command::new(name)
                        .about(#about)
                        .long_about(#long_about)
                        .after_help(#after_help)
                        .subcommand_required(true)
                        .arg_required_else_help(true)
                        #(.subcommand(#area_commands))*;
                    #(#product_commands)*
                    command
                }

                /// Runs the subcommand of `matches` (from [`command`]). `env` is `--env`.
                pub(crate) async fn run(host: &dyn cli::Host, env: Option<&str>, matches: &ArgMatches) -> Result<cli::Outcome, cli::Failure> {
                    match matches.subcommand() {
                        #(#area_arms)*
                        #(#product_arms)*
                        _ => Err(cli::Failure::Usage("no command given".to_owned())),
                    }
                }
            };
            head
        }
        Some(product) => {
            let name = kebab(&product.name);
            let about = first_sentence(&product.doc);
            let long_about = product.doc.trim_end().to_owned();
            let head = quote! {
                use crate::runtime::cli;

                /// This product's subcommand, with its areas as subcommands.
                pub(crate) fn command() -> Command {
                    Command::new(#name)
                        .about(#about)
                        .long_about(#long_about)
                        .after_help(#after_help)
                        .subcommand_required(true)
                        .arg_required_else_help(true)
                        #(.subcommand(#area_commands))*
                }

                /// Runs the subcommand of `matches` (from [`command`]). `env` is `--env`.
                pub(crate) async fn run(host: &dyn cli::Host, env: Option<&str>, matches: &ArgMatches) -> Result<cli::Outcome, cli::Failure> {
                    match matches.subcommand() {
                        #(#area_arms)*
                        _ => Err(cli::Failure::Usage("no command given".to_owned())),
                    }
                }
            };
            head
        }
    };

    Ok(quote! {
        #doc
        // A spec without operations, or a product's file, leaves some helpers unused.
        #![allow(dead_code)]

        #[allow(unused_imports)]
        use clap::{Arg, ArgMatches, Command};

        // The spec's types, whatever their names.
        #[allow(unused_imports)]
        use super::*;

        #head

        #common

        #(#items)*
    })
}

/// The subcommand of one operation: its clap `Command`, its arm in the area's `match`, and the
/// function running it.
fn operation(
    spec: &Spec,
    product: Option<&str>,
    op: &Operation,
    name: &str,
    validated: &BTreeSet<String>,
) -> Result<(TokenStream, TokenStream, TokenStream)> {
    let about = &op.summary;
    let long_about = format!(
        "{}\n\n{}\n\n`{} {}` ({})",
        op.summary,
        op.doc.trim_end(),
        op.method.as_str(),
        op.path,
        op.doc_url
    );
    let run_fn = format_ident!("run_{}", op.id);
    let mut args = path_args(op)?;
    let mut lets = path_lets(op)?;
    let mut call_args = path_call_args(op)?;
    let mut flags = BTreeSet::new();
    let mut body_preview = None;
    let mut validate = TokenStream::new();
    let token = &spec.auth.token;
    if let Some(ty) = &op.request
        && op.id == token.operation
    {
        // The token request carries the credentials: taken from the settings, never a flag.
        let rust = rust_type(ty)?;
        let filled = token.request_fields.iter().map(|(wire, credential)| {
            let var = credential_var(product, credential.as_str());
            quote!((#wire, #var))
        });
        let fixed = token
            .fixed_fields
            .iter()
            .map(|(wire, value)| quote!((#wire, #value)));
        lets.push(
            quote!(let request: #rust = cli::token_body(host, &[#(#filled),*], &[#(#fixed),*])?;),
        );
        // `cli::token_body` writes `<redacted>` in the credential fields of a dry run.
        call_args.push(quote!(&request));
        body_preview = Some(quote!(cli::json(&request)?));
    } else if let Some(ty) = &op.request {
        let rust = rust_type(ty)?;
        let help = format!(
            "The request body ({ty}) as JSON: inline, `@FILE`, or `-` for standard input \
             [default: {{}}]"
        );
        args.push(quote! {
            Arg::new("body").long("body").value_name("JSON|@FILE|-").help(#help)
        });
        lets.push(quote!(let request: #rust = cli::body(host, matches)?;));
        call_args.push(quote!(&request));
        body_preview = Some(quote!(cli::json(&request)?));
        if matches!(ty, TypeRef::Schema(name) if validated.contains(name)) {
            validate = quote!(cli::problems(request.validate())?;);
        }
    }
    let mut query = Vec::new();
    let mut headers = Vec::new();
    if let Some(params) = params_struct_name(op) {
        let params = ident(&params)?;
        let mut fields = Vec::new();
        for (param, kind) in op
            .query_params
            .iter()
            .map(|p| (p, "query"))
            .chain(op.header_params.iter().map(|p| (p, "header")))
        {
            let flag = flag_name(op, param, &mut flags)?;
            let id = format!("{kind}:{}", param.wire_name);
            let help = first_sentence(&param.doc);
            let long_help = param.doc.trim_end().to_owned();
            let value_name = param.rust_name.to_ascii_uppercase();
            let required = param.required && !param.nullable;
            args.push(quote! {
                Arg::new(#id).long(#flag).value_name(#value_name).required(#required).help(#help).long_help(#long_help)
            });
            let wire = &param.wire_name;
            let text = matches!(param.ty, TypeRef::String);
            fields.push(quote!((#wire, #id, #text)));
            let sensitive = param.sensitive;
            match kind {
                "query" => query.push(quote!((#wire, #id))),
                _ => headers.push(quote!((#wire, #id, #sensitive))),
            }
        }
        lets.push(quote!(let params: #params = cli::params(matches, &[#(#fields),*])?;));
        call_args.push(quote!(&params));
    }
    let mut parts = path_parts(op);
    if !query.is_empty() {
        parts.push(quote!(query: &[#(#query),*]));
    }
    if !headers.is_empty() {
        parts.push(quote!(headers: &[#(#headers),*]));
    }
    if let Some(body) = body_preview {
        parts.push(quote!(body: Some(#body)));
    }
    let preview = preview(op, parts)?;
    let area = ident(&op.area)?;
    let client_method = ident(&op.client_method)?;
    // A paginated search: `--all` reads every page through the `..._stream` method.
    let (all_arg, call) = match &op.pagination {
        Some(pagination) => {
            let stream = format_ident!("{}_stream", op.client_method);
            let help = format!(
                "Every record of every page (from `{}`, `{}` at a time, up to `{}`), as one JSON \
                 array of the `{}` items",
                pagination.offset, pagination.limit, pagination.total, pagination.items
            );
            (
                Some(
                    quote!(Arg::new("all").long("all").action(clap::ArgAction::SetTrue).help(#help)),
                ),
                quote! {
                    if matches.get_flag("all") {
                        use futures_util::TryStreamExt as _;
                        let items: Vec<_> = client.#area().#stream(#(#call_args),*).try_collect().await.map_err(cli::Failure::Call)?;
                        return Ok(cli::Outcome::Payload(cli::json(&items)?));
                    }
                    let answer = client.#area().#client_method(#(#call_args),*).await.map_err(cli::Failure::Call)?;
                },
            )
        }
        None => (
            None,
            quote! {
                let answer = client.#area().#client_method(#(#call_args),*).await.map_err(cli::Failure::Call)?;
            },
        ),
    };
    let all_arg = all_arg.into_iter();
    let command = quote! {
        Command::new(#name)
            .about(#about)
            .long_about(#long_about)
            #(.arg(#args))*
            #(.arg(#all_arg))*
    };
    let arm = quote!(Some((#name, m)) => #run_fn(host, env, m).await,);
    let item = quote! {
        async fn #run_fn(host: &dyn cli::Host, env: Option<&str>, matches: &ArgMatches) -> Result<cli::Outcome, cli::Failure> {
            #(#lets)*
            if host.dry_run() {
                #validate
                return #preview;
            }
            let client = client(host, env)?;
            #call
            Ok(cli::Outcome::Payload(cli::json(&answer)?))
        }
    };
    Ok((command, arm, item))
}

/// The subcommand of an operation's waiter (`wait`).
fn waiter(op: &Operation, name: &str) -> Result<(TokenStream, TokenStream, TokenStream)> {
    let Some(waiter) = &op.waiter else {
        return Err(Error::new(format!("operations.{}: no waiter", op.id)));
    };
    let call_name = kebab(&op.client_method);
    let about = format!(
        "Calls `{call_name}` ({}) until the answer's `{}` is final, and prints that answer",
        op.summary, waiter.status_field
    );
    let long_about = format!(
        "{about}.\n\nTransient failures are polled through; the command fails when `--timeout` \
         passes first. A spinner shows the wait on a terminal.\n\n{}",
        op.doc.trim_end()
    );
    let run_fn = format_ident!("run_{}_{}", op.id, waiter.method);
    let mut args = path_args(op)?;
    args.push(quote! {
        Arg::new("timeout").long("timeout").value_name("DURATION").default_value("300s")
            .help("Give up after this long (`90s`, `5m`, `500ms`; a bare number is seconds)")
    });
    let lets = path_lets(op)?;
    let call_args = path_call_args(op)?;
    let preview = preview(op, path_parts(op))?;
    let area = ident(&op.area)?;
    let wait_method = ident(&waiter.method)?;
    let progress = format!(
        "waiting for a final `{}` ({})",
        waiter.status_field, op.summary
    );
    let command = quote! {
        Command::new(#name)
            .about(#about)
            .long_about(#long_about)
            #(.arg(#args))*
    };
    let arm = quote!(Some((#name, m)) => #run_fn(host, env, m).await,);
    let item = quote! {
        async fn #run_fn(host: &dyn cli::Host, env: Option<&str>, matches: &ArgMatches) -> Result<cli::Outcome, cli::Failure> {
            #(#lets)*
            let deadline = cli::duration(matches)?;
            if host.dry_run() {
                return #preview;
            }
            let client = client(host, env)?;
            let options = crate::WaitOptions::default().deadline(deadline);
            host.progress(Some(#progress));
            let answer = client.#area().#wait_method(#(#call_args,)* &options).await;
            host.progress(None);
            let answer = answer.map_err(cli::Failure::Call)?;
            Ok(cli::Outcome::Payload(cli::json(&answer)?))
        }
    };
    Ok((command, arm, item))
}

/// `path: &[(wire, raw value)]` of `cli::Parts`, when the operation has path parameters.
fn path_parts(op: &Operation) -> Vec<TokenStream> {
    if op.path_params.is_empty() {
        return Vec::new();
    }
    let pairs = op.path_params.iter().map(|param| {
        let wire = &param.wire_name;
        let raw = format_ident!("raw_{}", param.rust_name);
        quote!((#wire, #raw.as_str()))
    });
    vec![quote!(path: &[#(#pairs),*])]
}

/// The dry run of `op`: `cli::preview` of the operation's `OperationInfo` (its method, path,
/// auth headers, body encoding and cipher are read there, not restated) with the `cli::Parts`
/// fields `parts`.
fn preview(op: &Operation, parts: Vec<TokenStream>) -> Result<TokenStream> {
    let area = ident(&op.area)?;
    let info = static_ident(&op.id)?;
    // `cli::Parts` has four fields: the rest, when some are not given, are their defaults.
    let rest = (parts.len() < 4).then(|| quote!(..Default::default()));
    Ok(quote! {
        cli::preview(
            &base_url(env)?,
            &super::operations::#area::#info,
            matches,
            cli::Parts { #(#parts,)* #rest },
        )
    })
}

/// The positional arguments of the path parameters.
fn path_args(op: &Operation) -> Result<Vec<TokenStream>> {
    op.path_params
        .iter()
        .map(|param| {
            let id = format!("path:{}", param.wire_name);
            let value_name = param.rust_name.to_ascii_uppercase();
            let help = first_sentence(&param.doc);
            let long_help = param.doc.trim_end().to_owned();
            Ok(quote! {
                Arg::new(#id).value_name(#value_name).required(true).help(#help).long_help(#long_help)
            })
        })
        .collect()
}

/// `let raw_<param> = ...; let <param> = ...;` for each path parameter.
fn path_lets(op: &Operation) -> Result<Vec<TokenStream>> {
    op.path_params
        .iter()
        .map(|param| {
            let id = format!("path:{}", param.wire_name);
            let raw = format_ident!("raw_{}", param.rust_name);
            let arg = ident(&param.rust_name)?;
            let wire = &param.wire_name;
            Ok(match &param.ty {
                TypeRef::String => quote! {
                    let #raw = cli::text(matches, #id)?;
                    let #arg = #raw.as_str();
                },
                other => {
                    let ty = rust_type(other)?;
                    quote! {
                        let #raw = cli::text(matches, #id)?;
                        let #arg: #ty = cli::value(#wire, &#raw)?;
                    }
                }
            })
        })
        .collect()
}

/// The path arguments of the client call.
fn path_call_args(op: &Operation) -> Result<Vec<TokenStream>> {
    op.path_params
        .iter()
        .map(|param| {
            let arg = ident(&param.rust_name)?;
            Ok(match &param.ty {
                TypeRef::String => quote!(#arg),
                _ => quote!(#arg.clone()),
            })
        })
        .collect()
}

/// The long flag of a query or header parameter: the kebab-case of its wire name, or
/// `param-<that>` when the command line uses the name itself or another parameter has it.
fn flag_name(op: &Operation, param: &Field, taken: &mut BTreeSet<String>) -> Result<String> {
    let flag = kebab(&param.wire_name);
    if !RESERVED_FLAGS.contains(&flag.as_str()) && taken.insert(flag.clone()) {
        return Ok(flag);
    }
    let flag = format!("param-{flag}");
    if taken.insert(flag.clone()) {
        Ok(flag)
    } else {
        Err(Error::new(format!(
            "operations.{}: two parameters would both be the command line's `--{flag}`",
            op.id
        )))
    }
}

/// The subcommand of a waiter: `wait` for `wait_for_final`, `wait-upi` for
/// `wait_for_final_upi`, the kebab-case of any other name.
fn waiter_name(op: &Operation) -> String {
    match op.waiter.as_ref().map(|w| w.method.as_str()) {
        Some(method) => match method.strip_prefix("wait_for_final") {
            Some(rest) => format!("wait{}", kebab(rest)),
            None => kebab(method),
        },
        None => "wait".to_owned(),
    }
}

fn clash(op: &Operation, name: &str) -> Error {
    Error::new(format!(
        "operations.{}: the command line's subcommand `{name}` is taken by another operation or waiter of the area",
        op.id
    ))
}

/// The environment variable of a credential: `ENKASH_ACCESS_KEY`, `ENKASH_PAYOUTS_CLIENT_ID`.
pub(crate) fn credential_var(product: Option<&str>, credential: &str) -> String {
    match product {
        None => format!("{ENV_PREFIX}_{}", credential.to_ascii_uppercase()),
        Some(product) => format!(
            "{ENV_PREFIX}_{}_{}",
            product.to_ascii_uppercase(),
            credential.to_ascii_uppercase()
        ),
    }
}

/// kebab-case of a snake_case or camelCase name: `merchantAccessKey` → `merchant-access-key`,
/// `split_settlements` → `split-settlements`, `_upi` → `-upi`.
pub(crate) fn kebab(name: &str) -> String {
    let mut out = String::new();
    let mut after_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | ' ' | '.') {
            out.push('-');
            after_lower = false;
        } else if c.is_ascii_uppercase() {
            if after_lower {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            after_lower = false;
        } else {
            out.push(c);
            after_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::{credential_var, kebab};

    /// The generated `cli_commands.rs` of the `operation_params` fixture spec.
    fn fixture_cli() -> String {
        let files = [
            ("base.yaml", include_str!("../tests/fixtures/base.yaml")),
            (
                "operation_params.operations.yaml",
                include_str!("../tests/fixtures/operation_params/operations.yaml"),
            ),
        ]
        .map(|(name, text)| enkash_spec::SourceFile {
            name: name.to_owned(),
            text: text.to_owned(),
        });
        let spec = enkash_spec::load_sources(&files).unwrap_or_else(|err| panic!("{err}"));
        let files = crate::generate(&spec).unwrap();
        files
            .into_iter()
            .find(|file| file.path == "cli_commands.rs")
            .expect("cli_commands.rs is generated")
            .contents
    }

    #[test]
    fn every_operation_of_a_spec_is_a_subcommand_with_its_parameters() {
        // Compared without whitespace: prettyplease breaks lines where it likes.
        let squeeze = |text: &str| text.split_whitespace().collect::<String>();
        let cli = squeeze(&fixture_cli());
        for expected in [
            // Areas, operations (client method names), with the spec's summary and doc.
            r#"Command::new("settlements")"#,
            r#"Command::new("search")"#,
            r#".about("Search Records")"#,
            "Searches records, one page at a time.",
            r#"Command::new("refunds")"#,
            // A path parameter is positional, query and header parameters are kebab-case flags.
            r#"Arg::new("path:accountId").value_name("ACCOUNT_ID").required(true)"#,
            r#".long("limit")"#,
            r#".long("api-key")"#,
            r#"Arg::new("body").long("body")"#,
            // The typed call of the generated client.
            "client.settlements().search(account_id, &request, &params).await",
            // Dry runs read the operation's facts (auth headers, method, path) from its
            // `OperationInfo`, the one the client sends with (`tests/cli.rs` checks the
            // headers are shown without their secrets).
            "&super::operations::settlements::SEARCH_RECORDS",
            r#"headers: &[("API-Key", "header:API-Key", false)]"#,
        ] {
            assert!(
                cli.contains(&squeeze(expected)),
                "`{expected}` is not in:\n{cli}"
            );
        }
        // The token request takes its credentials from the settings, not from `--body`.
        assert!(cli.contains("cli::token_body(host,"), "{cli}");
        assert!(
            cli.contains(&squeeze(r#"("accessKey", "ENKASH_ACCESS_KEY")"#)),
            "{cli}"
        );
    }

    #[test]
    fn kebab_case_of_wire_and_rust_names() {
        assert_eq!(kebab("merchantAccessKey"), "merchant-access-key");
        assert_eq!(kebab("split_settlements"), "split-settlements");
        assert_eq!(kebab("get_dynamic_upi_qr"), "get-dynamic-upi-qr");
        assert_eq!(kebab("_upi"), "-upi");
        assert_eq!(kebab("start_at"), "start-at");
    }

    #[test]
    fn credential_variables_are_named_after_the_product() {
        assert_eq!(credential_var(None, "access_key"), "ENKASH_ACCESS_KEY");
        assert_eq!(
            credential_var(Some("payouts"), "client_secret"),
            "ENKASH_PAYOUTS_CLIENT_SECRET"
        );
    }
}
