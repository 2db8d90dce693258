//! Generators: compliant secret values drawn from the operating system's CSPRNG.
//!
//! Characters are chosen by rejection sampling (a random byte is used only when it falls in
//! the largest multiple of the alphabet's size), so no character is likelier than another.
//! Every generated value is checked against the policy before it is returned; a value that
//! fails (a random string that happens to contain a keyboard walk) is drawn again.

use crate::SecretString;
use crate::check::requirement_violations;
use crate::policy::{Charset, Generator, Policy};

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
/// URL-unreserved symbols: no quoting in dotenv (no `#`, `$`, quotes or spaces), none of
/// YAML's indicators at the start (values start with a letter or digit), no percent-encoding
/// inside a URL's userinfo.
const PASSWORD_SYMBOLS: &[u8] = b"-_.~";

/// How many draws before giving up on a policy that no value can meet.
const MAX_ATTEMPTS: usize = 64;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GenerateError {
    #[error("the operating system's random generator failed: {0}")]
    Random(String),
    #[error("the profile of `{0}` has no generator")]
    NoGenerator(String),
    #[error(
        "no generated value met the policy for `{key}` after {MAX_ATTEMPTS} attempts; the profile's generator cannot satisfy its own requirements ({rules})"
    )]
    Unsatisfiable { key: String, rules: String },
}

fn alphabet(charset: Charset) -> Vec<u8> {
    match charset {
        Charset::Hex => b"0123456789abcdef".to_vec(),
        Charset::Base64 => [UPPER, LOWER, DIGITS, b"+/"].concat(),
        Charset::Base64Url | Charset::Fernet => [UPPER, LOWER, DIGITS, b"-_"].concat(),
        Charset::Alphanumeric | Charset::Uuid => [UPPER, LOWER, DIGITS].concat(),
        Charset::Password => [UPPER, LOWER, DIGITS, PASSWORD_SYMBOLS].concat(),
    }
}

fn random_bytes(n: usize) -> Result<Vec<u8>, GenerateError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| GenerateError::Random(e.to_string()))?;
    Ok(buf)
}

/// `n` characters drawn uniformly from `alphabet`.
fn sample(alphabet: &[u8], n: usize) -> Result<Vec<u8>, GenerateError> {
    debug_assert!(!alphabet.is_empty() && alphabet.len() <= 256);
    let size = alphabet.len();
    // Bytes at or above `limit` would favour the first characters of the alphabet.
    let limit = 256 - (256 % size);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        for b in random_bytes((n - out.len()) * 2)? {
            if (b as usize) < limit && out.len() < n {
                out.push(alphabet[b as usize % size]);
            }
        }
    }
    Ok(out)
}

fn uuid_v4() -> Result<String, GenerateError> {
    let mut b = random_bytes(16)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// A Fernet key: 32 random bytes, URL-safe base64 with padding.
fn fernet() -> Result<String, GenerateError> {
    let bytes = random_bytes(32)?;
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(44);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(out)
}

/// One value from a generator, not yet checked against any policy.
pub fn generate(generator: Generator) -> Result<SecretString, GenerateError> {
    let text = match generator.charset {
        Charset::Uuid => uuid_v4()?,
        Charset::Fernet => fernet()?,
        Charset::Password => {
            // Start with a letter or digit so that no format reads the first character as
            // syntax (YAML's `-`, `~`, `.`).
            let mut v = sample(&[UPPER, LOWER, DIGITS].concat(), 1)?;
            v.extend(sample(
                &alphabet(Charset::Password),
                generator.length.saturating_sub(1),
            )?);
            String::from_utf8(v).unwrap_or_default()
        }
        other => String::from_utf8(sample(&alphabet(other), generator.length)?).unwrap_or_default(),
    };
    Ok(SecretString::new(text))
}

/// A value for secret rule `secret` that meets its requirements in `environment`.
pub fn generate_compliant(
    policy: &Policy,
    secret: usize,
    environment: Option<usize>,
    key: &str,
) -> Result<SecretString, GenerateError> {
    let Some(generator) = policy.generator(secret) else {
        return Err(GenerateError::NoGenerator(key.to_owned()));
    };
    let requirements = policy.requirements(secret, environment);
    let mut last = Vec::new();
    for _ in 0..MAX_ATTEMPTS {
        let value = generate(generator)?;
        last = requirement_violations(requirements, value.expose(), key);
        if last.is_empty() {
            return Ok(value);
        }
    }
    let rules: Vec<&str> = last.iter().map(|r| r.id()).collect();
    Err(GenerateError::Unsatisfiable {
        key: key.to_owned(),
        rules: rules.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_and_lengths_are_respected() {
        for charset in Charset::ALL {
            let g = Generator {
                charset,
                length: charset.fixed_length().unwrap_or(40),
            };
            let v = generate(g).unwrap();
            let v = v.expose();
            assert_eq!(v.chars().count(), g.length, "{charset:?}");
            match charset {
                Charset::Uuid => assert!(crate::value::Format::Uuid.matches(v)),
                Charset::Fernet => {
                    assert!(crate::value::Format::Base64Url.matches(v) && v.ends_with('='))
                }
                Charset::Password => assert!(v.bytes().all(|b| alphabet(charset).contains(&b))),
                _ => assert!(
                    v.bytes().all(|b| alphabet(charset).contains(&b)),
                    "{charset:?}"
                ),
            }
        }
    }

    #[test]
    fn sampling_is_roughly_uniform() {
        // 64,000 hex characters: each of 16 should appear about 4,000 times; a modulo bias or
        // a stuck generator would push some far outside this band.
        let v = sample(b"0123456789abcdef", 64_000).unwrap();
        for c in b"0123456789abcdef" {
            let n = v.iter().filter(|x| *x == c).count();
            assert!(
                (3_500..4_500).contains(&n),
                "{} appears {n} times",
                *c as char
            );
        }
    }

    #[test]
    fn values_differ() {
        let g = Generator {
            charset: Charset::Base64Url,
            length: 32,
        };
        assert_ne!(generate(g).unwrap(), generate(g).unwrap());
    }
}
