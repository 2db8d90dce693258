//! Values encrypted in place (SOPS, dotenvx), which must not be judged as plaintext.

use std::sync::LazyLock;

use regex::Regex;

use super::format::Format;

/// A value encrypted in place, which must not be judged as if it were plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encrypted {
    /// SOPS: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]`.
    Sops,
    /// dotenvx: `encrypted:BASE64...`.
    Dotenvx,
}

impl Encrypted {
    /// The tool's name, for messages ("encrypted with SOPS").
    pub fn describe(self) -> &'static str {
        match self {
            Encrypted::Sops => "SOPS",
            Encrypted::Dotenvx => "dotenvx",
        }
    }
}

/// The whole SOPS envelope. `data` is empty for an encrypted empty string; `iv` and `tag` never
/// are. Only AES256_GCM exists in SOPS today; the cipher name is matched loosely so a future
/// one is still recognised as encrypted rather than reported as a weak plaintext.
static SOPS: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = [
        r"\AENC\[[A-Z0-9_]+",
        r",data:[A-Za-z0-9+/]*={0,2}",
        r",iv:[A-Za-z0-9+/]+={0,2}",
        r",tag:[A-Za-z0-9+/]+={0,2}",
        r",type:[a-z]+\]\z",
    ]
    .concat();
    Regex::new(&pattern).expect("the SOPS pattern is a valid regex")
});

const DOTENVX_PREFIX: &str = "encrypted:";

/// Whether `value` is encrypted in place, and by what.
pub fn encrypted(value: &str) -> Option<Encrypted> {
    if let Some(payload) = value.strip_prefix(DOTENVX_PREFIX) {
        // dotenvx writes standard base64; accepting the URL-safe alphabet costs nothing.
        let base64 = Format::Base64.matches(payload) || Format::Base64Url.matches(payload);
        return base64.then_some(Encrypted::Dotenvx);
    }
    // The cheap prefix test keeps the regex off the common path.
    if value.starts_with("ENC[") && SOPS.is_match(value) {
        return Some(Encrypted::Sops);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sops_envelopes() {
        for value in [
            "ENC[AES256_GCM,data:ZmFrZQ==,iv:ZmFrZS1pdi1mYWtlLWl2,tag:ZmFrZS10YWc=,type:str]",
            "ENC[AES256_GCM,data:,iv:ZmFrZS1pdg==,tag:ZmFrZS10YWc=,type:str]",
            "ENC[AES256_GCM,data:ZmFrZQ==,iv:ZmFrZS1pdg==,tag:ZmFrZS10YWc=,type:int]",
        ] {
            assert_eq!(encrypted(value), Some(Encrypted::Sops), "{value}");
        }
    }

    #[test]
    fn dotenvx_values() {
        assert_eq!(
            encrypted("encrypted:BFakeFakeFake0123+/Fak=="),
            Some(Encrypted::Dotenvx)
        );
        assert_eq!(
            encrypted("encrypted:BFake-Fake_Fake012"),
            Some(Encrypted::Dotenvx)
        );
    }

    #[test]
    fn lookalikes_are_plaintext() {
        for value in [
            "",
            "fake-value",
            "encrypted:",
            "encrypted:not base64!",
            "ENCRYPTED:BFakeFake",
            "ENC[AES256_GCM,data:ZmFrZQ==]",
            "ENC[AES256_GCM,data:ZmFrZQ==,iv:ZmFrZQ==,tag:ZmFrZQ==,type:str] trailing",
            "prefix ENC[AES256_GCM,data:ZmFrZQ==,iv:ZmFrZQ==,tag:ZmFrZQ==,type:str]",
            "ENC[AES256_GCM,data:ZmFr ZQ==,iv:ZmFrZQ==,tag:ZmFrZQ==,type:str]",
        ] {
            assert_eq!(encrypted(value), None, "{value}");
        }
    }

    #[test]
    fn describe_names_the_tool() {
        assert_eq!(Encrypted::Sops.describe(), "SOPS");
    }
}
