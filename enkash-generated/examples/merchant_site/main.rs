//! A tiny shop that takes payments through EnKash's hosted checkout, against a mock EnKash
//! started in this process: the redirect flow of a real integration, in a browser, offline.
//!
//! ```sh
//! cargo run -p enkash-generated --features mock --example merchant_site
//! # then open the printed URL (add `-- --port 8000` for a fixed port)
//! ```
//!
//! "Buy" creates an order with the generated client and sends the browser to the order's
//! `redirectionUrl`, the mock's checkout page, where you pick what happens. EnKash (the mock)
//! then POSTs Payment Notify to the shop's `/notify`, which confirms it through the API
//! (`Client::confirm_payment`: a notification alone proves nothing) before recording it, and
//! sends the browser back to the shop's `/return`, which shows the status the API confirms, never
//! the one the browser brought. Everything listens on 127.0.0.1 only.

mod shop;

use enkash_generated::mock::{MockConfig, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = port_argument()?;
    let mock = MockServer::start(MockConfig::default()).await?;
    let client = mock.client_builder().build()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("shop:          {url}");
    println!("mock EnKash:   {}", mock.url());
    println!("Open the shop's URL in a browser; Ctrl-C stops both.");
    axum::serve(listener, shop::router(url, client)).await?;
    Ok(())
}

/// `--port N` (default 0: any free port).
fn port_argument() -> Result<u16, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(0),
        (Some("--port"), Some(port)) => port.parse().map_err(|_| format!("not a port: {port}")),
        _ => Err("usage: merchant_site [--port N]".to_owned()),
    }
}
