//! Deterministic pseudo-random values for the value-analysis tests, so that the "random values
//! never match" tests fail the same way on every machine.

/// The charsets real generated secrets use.
pub(crate) const HEX: &[u8] = b"0123456789abcdef";
pub(crate) const BASE64URL: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub(crate) const ALPHANUMERIC: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// xorshift64*: tiny, seedable and good enough to stand in for a CSPRNG's output shape.
pub(crate) struct XorShift(u64);

impl XorShift {
    pub(crate) fn new(seed: u64) -> Self {
        // Zero is xorshift's only fixed point.
        Self(seed | 1)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`; the modulo bias is irrelevant for these tests.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub(crate) fn string(&mut self, charset: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(charset[self.below(charset.len())]))
            .collect()
    }
}

/// `count` values drawn from hex, base64url and alphanumeric, 24 to 64 characters long.
pub(crate) fn random_secrets(seed: u64, count: usize) -> Vec<String> {
    let mut rng = XorShift::new(seed);
    let charsets = [HEX, BASE64URL, ALPHANUMERIC];
    (0..count)
        .map(|_| {
            let charset = charsets[rng.below(charsets.len())];
            let len = 24 + rng.below(41);
            rng.string(charset, len)
        })
        .collect()
}
