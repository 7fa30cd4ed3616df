//! A mock EnKash server to try the API by hand:
//! `cargo run -p enkash-generated --features mock --example enkash-mock -- [--port N]`.
//!
//! It listens on 127.0.0.1 only, prints its URL and test credentials, and runs until stopped
//! (Ctrl-C). Nothing it holds is real: orders, payments and settlements live in memory.

use std::process::ExitCode;

use enkash_generated::mock::{MockConfig, MockServer};

const USAGE: &str = "usage: enkash-mock [--port N] [--access-key KEY --secret-key KEY]

Starts a mock EnKash payment gateway on 127.0.0.1 and prints its URL and test credentials.
  --port N          listen on port N (default: any free port)
  --access-key KEY  accept this access key (default: a random test key)
  --secret-key KEY  accept this secret key (default: a random test key)";

fn parse_args(args: impl Iterator<Item = String>) -> Result<MockConfig, String> {
    let mut config = MockConfig::default();
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                let port = value("--port")?;
                config.port = port
                    .parse()
                    .map_err(|_| format!("--port: `{port}` is not a port number"))?;
            }
            "--access-key" => config.access_key = value("--access-key")?,
            "--secret-key" => config.secret_key = value("--secret-key")?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("enkash-mock: {problem}");
            }
            eprintln!("{USAGE}");
            return if problem.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(err) => {
            eprintln!("enkash-mock: cannot listen: {err}");
            return ExitCode::FAILURE;
        }
    };
    let url = server.url();
    // These are the mock's own test credentials, printed on purpose for trying it by hand.
    println!("EnKash mock server listening on {url}");
    println!("  access key: {}", server.access_key());
    println!("  secret key: {}", server.secret_key());
    println!("  client:     Environment::Custom(\"{url}\".into())");
    println!();
    println!("Try:");
    println!(
        "  curl -s {url}/api/v0/merchant/token -H 'Content-Type: application/json' \\\n    -d '{{\"accessKey\":\"{}\",\"secretKey\":\"{}\"}}'",
        server.access_key(),
        server.secret_key()
    );
    println!("Stop it with Ctrl-C.");
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn parses_port_and_credentials() {
        let config = parse_args(args(&[
            "--port",
            "8080",
            "--access-key",
            "a",
            "--secret-key",
            "s",
        ]))
        .expect("valid arguments");
        assert_eq!(
            (
                config.port,
                config.access_key.as_str(),
                config.secret_key.as_str()
            ),
            (8080, "a", "s")
        );
        assert!(parse_args(args(&["--port", "x"])).is_err());
        assert!(parse_args(args(&["--port"])).is_err());
        assert!(parse_args(args(&["--bogus"])).is_err());
        assert_eq!(parse_args(args(&["--help"])).err().as_deref(), Some(""));
    }
}
