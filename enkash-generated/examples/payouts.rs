//! EnKash Payouts in a few calls: the OAuth2 token (fetched on the first call), a beneficiary,
//! a transfer and the balance. Bodies are AES-encrypted on the wire by the client; the code
//! below only ever sees plain types.
//!
//! Run against the sandbox with real credentials:
//! `ENKASH_PAYOUTS_CLIENT_ID=.. ENKASH_PAYOUTS_CLIENT_SECRET=.. ENKASH_PAYOUTS_USERNAME=..
//! ENKASH_PAYOUTS_PASSWORD=.. ENKASH_PAYOUTS_FUND_SOURCE=.. cargo run -p enkash-generated
//! --features payouts --example payouts`.

use enkash_generated::Decimal;
use enkash_generated::payouts::{
    BeneficiaryCreateRequest, Client, Environment, GetBalanceParams,
    PayoutTransactionCreateRequest, TransferMode,
};

fn env(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name).map_err(|_| format!("set {name}").into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .environment(Environment::Uat)
        .credentials(
            env("ENKASH_PAYOUTS_CLIENT_ID")?,
            env("ENKASH_PAYOUTS_CLIENT_SECRET")?,
            env("ENKASH_PAYOUTS_USERNAME")?,
            env("ENKASH_PAYOUTS_PASSWORD")?,
        )
        .build()?;

    let beneficiary = BeneficiaryCreateRequest::new("BEN001", "Asha Traders")
        .with_beneficiary_account_number("000111222333")
        .with_beneficiary_ifsc("HDFC0000001");
    client.beneficiaries().create(&beneficiary).await?;

    // ₹1,250.50 by IMPS. Resending the same `transactionId` is safe: a reused id is refused
    // (`Error::DuplicateId`), and `may_have_been_processed()` says whether this call's own
    // earlier attempt landed.
    let transfer = PayoutTransactionCreateRequest::new(
        "TXN-0001",
        Decimal::new(125_050, 2),
        TransferMode::Imps,
    )
    .with_beneficiary_id("BEN001");
    let created = client.transfers().create(&transfer).await?;
    println!(
        "transfer {:?}: {:?}",
        created.transaction_id, created.payout_status
    );

    let balance = client
        .accounts()
        .balance(&GetBalanceParams::new(env("ENKASH_PAYOUTS_FUND_SOURCE")?))
        .await?;
    println!("balance: ₹{}", balance.total_balance);
    Ok(())
}
