//! The validation rules of the payout bodies (the patterns of the spec, checked by hand) and the
//! error answers of the response-code table (reference §4), whose codes the mock sends both as
//! the HTTP status and as the envelope's code.

use rust_decimal::Decimal;

use crate::runtime::mock::MockError;

/// "Beneficiary ID already exists." (409).
pub(super) const BENEFICIARY_EXISTS: &str = "Beneficiary ID already exists.";
/// "Transaction ID already exists." (409).
pub(super) const TRANSACTION_EXISTS: &str = "Transaction ID already exists.";
/// "Batch Transaction ID already exists." (409).
pub(super) const BATCH_EXISTS: &str = "Batch Transaction ID already exists.";
/// "No beneficiary details present." (422).
pub(super) const NO_BENEFICIARY: &str = "No beneficiary details present.";
/// "Invalid or missing parameter in the request." (422).
pub(super) const INVALID_PARAMETER: &str = "Invalid or missing parameter in the request.";

/// An error answer whose HTTP status and envelope code are both `code`.
pub(super) fn refusal(code: u16, message: &str) -> MockError {
    MockError {
        status: code,
        code: i64::from(code),
        message: message.to_owned(),
    }
}

/// 409 with `message`.
pub(super) fn conflict(message: &str) -> MockError {
    refusal(409, message)
}

/// `^[A-Za-z0-9]+$`: beneficiary ids.
pub(super) fn is_alphanumeric_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Merchant transfer ids: letters, digits, `-` and `_` (no pattern is documented; the mock
/// refuses only what no id should hold).
pub(super) fn is_transaction_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `^[A-Za-z ]+$`, at most 100 characters: beneficiary names.
pub(super) fn is_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.len() <= 100
        && name.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
}

/// `^[A-Za-z]{4}0[A-Z0-9a-z]{6}$`: IFSC, case-insensitive.
pub(super) fn is_ifsc(ifsc: &str) -> bool {
    let bytes = ifsc.as_bytes();
    bytes.len() == 11
        && bytes[..4].iter().all(u8::is_ascii_alphabetic)
        && bytes[4] == b'0'
        && bytes[5..].iter().all(u8::is_ascii_alphanumeric)
}

/// `^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+$`: VPAs.
pub(super) fn is_vpa(vpa: &str) -> bool {
    let Some((user, handle)) = vpa.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && !handle.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// `^[A-Za-z0-9]{9,36}$`: source bank account numbers.
pub(super) fn is_account_number(account: &str) -> bool {
    (9..=36).contains(&account.len()) && account.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `^CEK[A-Z0-9]{7}$`: company ids.
pub(super) fn is_company_id(id: &str) -> bool {
    id.len() == 10
        && id.starts_with("CEK")
        && id[3..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `^[A-Za-z0-9 ]*$`: transfer remarks.
pub(super) fn is_remark(remark: &str) -> bool {
    remark
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ')
}

/// At least 1.00 rupee, in whole paise.
pub(super) fn is_transfer_amount(amount: Decimal) -> bool {
    amount >= Decimal::ONE && amount.normalize().scale() <= 2
}

/// `amount` in paise (exact for amounts of at most 2 decimals; more are cut off); `None` when
/// it does not fit an `i64`.
pub(super) fn paise(amount: Decimal) -> Option<i64> {
    let paise = amount.checked_mul(Decimal::ONE_HUNDRED)?.trunc();
    i64::try_from(paise).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(is_ifsc("HDFC0001234"));
        assert!(is_ifsc("hdfc0abc123"));
        assert!(!is_ifsc("HDFC1001234"));
        assert!(!is_ifsc("HDFC000123"));
        assert!(is_vpa("test.user@okbank"));
        assert!(!is_vpa("testuser"));
        assert!(!is_vpa("a b@upi"));
        assert!(is_name("Asha Verkatraman"));
        assert!(!is_name("Asha 2"));
        assert!(is_company_id("CEKMOCK001"));
        assert!(!is_company_id("CEKmock001"));
        assert!(is_account_number("50100012345678"));
        assert!(!is_account_number("1234"));
        assert!(is_remark("Invoice 42"));
        assert!(!is_remark("Invoice #42"));
        assert!(is_transaction_id("TXN-1_a"));
        assert!(!is_transaction_id("TXN 1"));
    }

    #[test]
    fn amounts() {
        assert!(is_transfer_amount(Decimal::new(100, 2)));
        assert!(is_transfer_amount(Decimal::new(25050, 2)));
        assert!(is_transfer_amount(Decimal::new(250500, 3)));
        assert!(!is_transfer_amount(Decimal::new(99, 2)));
        assert!(!is_transfer_amount(Decimal::new(250505, 3)));
        assert_eq!(paise(Decimal::new(25050, 2)), Some(25050));
        assert_eq!(paise(Decimal::new(12, 0)), Some(1200));
    }
}
