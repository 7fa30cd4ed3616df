//! The hosted checkout in a real browser: headless Chromium, driven over WebDriver by
//! `chromedriver`, clicks through the `merchant_site` example's shop (Buy, an outcome on the mock's
//! checkout page, back to the shop) for every outcome, and checks the status the shop confirmed
//! with the API. The checkout page's screenshot is kept in `target/browser-checkout.png`.
//!
//! Not run by a plain `cargo test` (it needs Chromium and chromedriver: Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs when they are missing):
//!
//! ```sh
//! cargo test -p enkash-generated --features mock --test browser_checkout
//! ```
//!
//! `CHROMEDRIVER` and `CHROMIUM` name the binaries when they are not `chromedriver` on the `PATH`
//! and `/usr/bin/chromium`. Everything listens on 127.0.0.1; nothing leaves the machine.

#![cfg(feature = "mock")]
// Helpers outside `#[test]` functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/e2e.rs"]
mod e2e;
#[path = "../examples/merchant_site/shop.rs"]
mod shop;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use e2e::*;
use enkash_generated::mock::MockConfig;
use serde_json::{Value, json};

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_driver() -> Driver {
    let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    let port = free_port();
    let child = Command::new(&program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| {
            panic!("`{program}` does not start ({err}): install Debian's chromium-driver, or set CHROMEDRIVER")
        });
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(answer) = http().get(format!("{}/status", driver.url)).send().await
            && answer.status().is_success()
        {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {}", driver.url);
}

/// One WebDriver session: a headless Chromium window.
struct Browser {
    base: String,
}

impl Browser {
    async fn open(driver: &Driver) -> Browser {
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=800,900"]
            }
        }}});
        let answer = call(
            http()
                .post(format!("{}/session", driver.url))
                .json(&capabilities),
        )
        .await;
        let id = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"));
        Browser {
            base: format!("{}/session/{id}", driver.url),
        }
    }

    async fn go(&self, url: &str) {
        call(
            http()
                .post(format!("{}/url", self.base))
                .json(&json!({"url": url})),
        )
        .await;
    }

    async fn url(&self) -> String {
        call(http().get(format!("{}/url", self.base)))
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The element `css` selects, waiting for it up to 10 s.
    async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let answer = http()
                .post(format!("{}/element", self.base))
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .unwrap();
            if answer.status().is_success() {
                let value: Value = answer.json().await.unwrap();
                let element = value["value"].as_object().unwrap().values().next().unwrap();
                return element.as_str().unwrap().to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no `{css}` on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        call(
            http()
                .post(format!("{}/element/{element}/click", self.base))
                .json(&json!({})),
        )
        .await;
    }

    async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        let answer = call(http().get(format!("{}/element/{element}/text", self.base))).await;
        answer.as_str().unwrap().to_owned()
    }

    /// Waits (up to 10 s) until the page's URL starts with `prefix`.
    async fn wait_for_url(&self, prefix: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.url().await.starts_with(prefix) {
            assert!(
                Instant::now() < deadline,
                "still on {}, not {prefix}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn screenshot(&self) -> Vec<u8> {
        let answer = call(http().get(format!("{}/screenshot", self.base))).await;
        base64::engine::general_purpose::STANDARD
            .decode(answer.as_str().unwrap())
            .unwrap()
    }

    async fn close(self) {
        call(http().delete(&self.base)).await;
    }
}

/// Sends a WebDriver command and returns its `value`, failing on a WebDriver error.
async fn call(request: reqwest::RequestBuilder) -> Value {
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    assert!(status.is_success(), "WebDriver: {status} {body}");
    body["value"].clone()
}

#[tokio::test]
async fn each_outcome_clicked_in_chromium_ends_on_the_status_the_shop_confirmed() {
    // A pending payment stays pending through the shop's few status reads.
    let (_mock, client) = start_with(MockConfig::default().complete_payments_after_polls(10)).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let shop_url = format!("http://{}", listener.local_addr().unwrap());
    let app = shop::router(shop_url.clone(), client);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let driver = start_driver().await;
    let browser = Browser::open(&driver).await;

    let cases = [
        ("card", "PAID"),
        ("upi", "PAID"),
        ("decline", "ATTEMPTED"),
        ("cancel", "CANCELLED"),
        ("pending", "PAYMENT_CONFIRMATION_PENDING"),
    ];
    for (index, (outcome, expected)) in cases.into_iter().enumerate() {
        browser.go(&shop_url).await;
        browser.click("form[action=\"/buy\"] button").await;
        browser.click(&format!("button[value=\"{outcome}\"]")).await;
        // The mock's page posts the outcome back to the shop by itself.
        browser.wait_for_url(&format!("{shop_url}/return")).await;
        let status = browser.text("#status").await;
        assert_eq!(status, expected, "outcome {outcome}");
        if index == 0 {
            // Keep the checkout page of the next order as it looks before a click.
            browser.go(&shop_url).await;
            browser.click("form[action=\"/buy\"] button").await;
            browser.find("button[value=\"card\"]").await;
            let png = browser.screenshot().await;
            assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/browser-checkout.png"
            );
            std::fs::write(path, png).unwrap();
        }
    }
    browser.close().await;
}
