//! Backups: the exact bytes and mode of every file a fix is about to change, and the rotation
//! metadata of every key it touches, encrypted with age to the team's x25519 recipients.
//!
//! A backup is two files in the backup directory (`.secretlint/backups` by default):
//!
//! - `<id>.age` — the body, a JSON document ([`Backup`]) encrypted with age; or `<id>.json`
//!   unencrypted (mode 0600) when the user asked for `--plaintext-backup`. The body holds the
//!   old values: it is a secret like the files it copies.
//! - `<id>.meta.json` — a clear index ([`BackupMeta`]) for `secretlint backups`: when, who,
//!   which files and keys, whether it is encrypted and to whom, and whether the run that wrote
//!   it finished. It holds no value and no hash of one.
//!
//! This module encodes, encrypts and decrypts; writing the files is the caller's (the disk
//! layer), which makes both durable before it changes anything else.

use std::io::{Read, Write};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::secret::SecretString;

/// The default backup directory, relative to the policy's directory.
pub const DEFAULT_DIR: &str = ".secretlint/backups";

/// The body format version.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error("invalid age recipient `{recipient}`: {reason}")]
    InvalidRecipient { recipient: String, reason: String },
    #[error("no age recipient to encrypt the backup to")]
    NoRecipient,
    #[error("could not encrypt the backup: {0}")]
    Encrypt(String),
    #[error("the identity file holds no usable age identity: {0}")]
    Identity(String),
    #[error("could not decrypt the backup: {0}")]
    Decrypt(String),
    #[error("the backup is damaged or not a secretlint backup: {0}")]
    Format(String),
}

/// One file as it was before the fix.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupFile {
    /// Root-relative, slash-separated.
    pub path: String,
    /// Unix permission bits.
    pub mode: Option<u32>,
    /// The file's bytes, base64 in the body.
    #[serde(with = "bytes_base64")]
    pub content: Vec<u8>,
    /// SHA-256 (hex) of the content the fix writes, so `restore` can tell whether the file
    /// changed again since. Kept only inside the body, which is as secret as the content.
    pub written_sha256: Option<String>,
}

impl std::fmt::Debug for BackupFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupFile")
            .field("path", &self.path)
            .field("mode", &self.mode)
            .field(
                "content",
                &format_args!("<{} bytes redacted>", self.content.len()),
            )
            .finish()
    }
}

/// A key a backup covers, in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Touched {
    pub file: String,
    pub key: String,
}

/// A ledger entry as it was before the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSnapshot {
    pub file: String,
    pub key: String,
    /// RFC 3339.
    pub rotated: String,
    pub by: String,
    pub actor: Option<String>,
    pub previous_until: Option<String>,
}

/// The body of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    pub version: u32,
    pub id: String,
    /// RFC 3339.
    pub created: String,
    pub actor: String,
    /// `fix`, `rotate` or `restore`.
    pub command: String,
    pub files: Vec<BackupFile>,
    /// Every (file, key) the run changes: their ledger entries are restored with the files.
    pub touched: Vec<Touched>,
    /// The ledger entries of `touched` keys before the run.
    pub ledger: Vec<LedgerSnapshot>,
}

/// Whether the run that wrote a backup finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackupState {
    /// Written before the changes; still so if the run was interrupted.
    Pending,
    /// Every change of the run was written.
    Complete,
}

/// The clear index of a backup. No value, no hash of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupMeta {
    pub version: u32,
    pub id: String,
    /// Orders backups even when the clock does not move (`--now`).
    pub sequence: u64,
    pub created: String,
    pub actor: String,
    pub command: String,
    pub state: BackupState,
    pub encrypted: bool,
    /// The age recipients (public keys) the body is encrypted to.
    pub recipients: Vec<String>,
    pub files: Vec<String>,
    pub touched: Vec<Touched>,
}

impl BackupMeta {
    /// The body's file name in the backup directory.
    pub fn body_name(&self) -> String {
        body_name(&self.id, self.encrypted)
    }
}

/// `<id>.age` or `<id>.json`.
pub fn body_name(id: &str, encrypted: bool) -> String {
    if encrypted {
        format!("{id}.age")
    } else {
        format!("{id}.json")
    }
}

/// `<id>.meta.json`.
pub fn meta_name(id: &str) -> String {
    format!("{id}.meta.json")
}

/// A backup id: the time and a sequence number, sortable and unique within a repository
/// (the caller holds the repository lock while it picks the next sequence number).
pub fn new_id(now: jiff::Timestamp, sequence: u64) -> String {
    let stamp = now
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    format!("{stamp}-{sequence:04}")
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Backup {
    /// The body as JSON. It holds old values, hence a [`SecretString`].
    pub fn to_json(&self) -> SecretString {
        SecretString::new(serde_json::to_string_pretty(self).unwrap_or_default())
    }

    pub fn from_json(bytes: &[u8]) -> Result<Backup, BackupError> {
        let backup: Backup = serde_json::from_slice(bytes)
            .map_err(|e| BackupError::Format(format!("line {} column {}", e.line(), e.column())))?;
        if backup.version != VERSION {
            return Err(BackupError::Format(format!(
                "body version {} (this secretlint reads {VERSION})",
                backup.version
            )));
        }
        Ok(backup)
    }
}

/// Checks an age x25519 recipient (`age1...`).
pub fn parse_recipient(text: &str) -> Result<age::x25519::Recipient, BackupError> {
    age::x25519::Recipient::from_str(text.trim()).map_err(|reason| BackupError::InvalidRecipient {
        recipient: text.to_owned(),
        reason: reason.to_string(),
    })
}

/// Recipients from a list where entries may also be separated by commas or blanks
/// (`SECRETLINT_BACKUP_RECIPIENTS="age1... age1..."`).
pub fn split_recipients<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    items
        .into_iter()
        .flat_map(|s| s.split([',', ' ', '\t', '\n']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Encrypts `plain` to every recipient.
pub fn encrypt(plain: &[u8], recipients: &[String]) -> Result<Vec<u8>, BackupError> {
    if recipients.is_empty() {
        return Err(BackupError::NoRecipient);
    }
    let parsed = recipients
        .iter()
        .map(|r| parse_recipient(r))
        .collect::<Result<Vec<_>, _>>()?;
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| BackupError::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plain.len() + 256);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| BackupError::Encrypt(e.to_string()))?;
    writer
        .write_all(plain)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| BackupError::Encrypt(e.to_string()))?;
    Ok(out)
}

/// Decrypts an age file with the identities in `identity_file` (the text of an age identity
/// file: `AGE-SECRET-KEY-1...` lines, `#` comments). A wrong identity is an error, never a
/// garbled result.
pub fn decrypt(cipher: &[u8], identity_file: &str) -> Result<SecretString, BackupError> {
    let identities = age::IdentityFile::from_buffer(identity_file.as_bytes())
        .map_err(|e| BackupError::Identity(e.to_string()))?
        .into_identities()
        .map_err(|e| BackupError::Identity(e.to_string()))?;
    if identities.is_empty() {
        return Err(BackupError::Identity("it is empty".into()));
    }
    let decryptor =
        age::Decryptor::new_buffered(cipher).map_err(|e| BackupError::Decrypt(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => BackupError::Decrypt(
                "none of the given identities is a recipient of this backup".into(),
            ),
            other => BackupError::Decrypt(other.to_string()),
        })?;
    let mut plain = Vec::new();
    reader
        .read_to_end(&mut plain)
        .map_err(|e| BackupError::Decrypt(e.to_string()))?;
    String::from_utf8(plain)
        .map(SecretString::new)
        .map_err(|_| BackupError::Format("the body is not UTF-8".into()))
}

/// The recipients of the x25519 identities in an identity file (`AGE-SECRET-KEY-1...`
/// lines; comments and other lines are skipped): whoever restores with these identities can
/// read a backup encrypted to them.
pub fn identity_recipients(identity_file: &str) -> Vec<String> {
    identity_file
        .lines()
        .filter_map(|line| line.trim().parse::<age::x25519::Identity>().ok())
        .map(|identity| identity.to_public().to_string())
        .collect()
}

/// A new x25519 identity (the secret, as an identity file line) and its recipient.
pub fn generate_identity() -> (SecretString, String) {
    let identity = age::x25519::Identity::generate();
    let secret = SecretString::new(identity.to_string().expose_secret().to_owned());
    (secret, identity.to_public().to_string())
}

mod bytes_base64 {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;

    fn backup() -> Backup {
        Backup {
            version: VERSION,
            id: "20261130T000000Z-0001".into(),
            created: "2026-11-30T00:00:00Z".into(),
            actor: "alice@laptop".into(),
            command: "fix".into(),
            files: vec![BackupFile {
                path: "api/.env".into(),
                mode: Some(0o644),
                content: b"SECRET_KEY=hunter2-old\r\n".to_vec(),
                written_sha256: Some(sha256_hex(b"x")),
            }],
            touched: vec![Touched {
                file: "api/.env".into(),
                key: "SECRET_KEY".into(),
            }],
            ledger: Vec::new(),
        }
    }

    #[test]
    fn the_right_identity_decrypts_and_a_wrong_one_fails_cleanly() {
        let (secret, recipient) = generate_identity();
        let (other, _) = generate_identity();
        let body = backup().to_json();
        let cipher = encrypt(body.expose().as_bytes(), &[recipient]).unwrap();
        assert!(!cipher.windows(7).any(|w| w == b"hunter2"));
        let plain = decrypt(&cipher, secret.expose()).unwrap();
        assert_eq!(
            Backup::from_json(plain.expose().as_bytes()).unwrap(),
            backup()
        );
        let wrong = decrypt(&cipher, other.expose()).unwrap_err();
        assert_eq!(
            wrong.to_string(),
            "could not decrypt the backup: none of the given identities is a recipient of this backup"
        );
        assert!(decrypt(&cipher, "not an identity").is_err());
        assert!(decrypt(b"garbage", secret.expose()).is_err());
    }

    #[test]
    fn an_identity_file_names_its_recipients() {
        let (secret, recipient) = generate_identity();
        let file = format!(
            "# created: today\n# public key: {recipient}\n{}\n",
            secret.expose()
        );
        assert_eq!(identity_recipients(&file), vec![recipient]);
        assert!(identity_recipients("# nothing here\n").is_empty());
    }

    #[test]
    fn recipients_are_checked_and_split() {
        let (_, recipient) = generate_identity();
        assert!(parse_recipient(&recipient).is_ok());
        assert!(matches!(
            parse_recipient("age1nope"),
            Err(BackupError::InvalidRecipient { .. })
        ));
        assert_eq!(
            split_recipients(["a, b", "c"]),
            vec!["a".to_owned(), "b".into(), "c".into()]
        );
        assert_eq!(encrypt(b"x", &[]), Err(BackupError::NoRecipient));
    }

    #[test]
    fn debug_never_shows_the_content() {
        let shown = format!("{:?}", backup());
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains(&base64::engine::general_purpose::STANDARD.encode("SECRET_KEY")));
    }

    #[test]
    fn ids_sort_by_time_and_sequence() {
        let t: jiff::Timestamp = "2026-11-30T10:20:30Z".parse().unwrap();
        assert_eq!(new_id(t, 7), "20261130T102030Z-0007");
    }
}
