//! A minimal consumer of enkash-generated: creates an order against the URL given as the first
//! argument. `bench/consumer-build.sh` builds it cold (it is not run, and not part of the
//! workspace) to measure what a merchant's crate pays for the client.

use enkash_generated::{Amount, Client, CreateOrderRequest, Currency, Decimal, Environment};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_else(|| "https://olympus-pg-uat.enkash.in".into());
    let client = Client::builder()
        .environment(Environment::Custom(url))
        .credentials("access-key", "secret-key")
        .build()?;
    let request = CreateOrderRequest::new("ORDER1", Amount::new(Decimal::new(100, 0), Currency::Inr));
    let created = client.orders().create(&request).await?;
    println!("{}", serde_json::json!({ "redirect": created.redirection_url }));
    Ok(())
}
