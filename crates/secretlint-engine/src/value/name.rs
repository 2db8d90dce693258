//! Whether a key name looks like it holds a secret, for `undeclared-secret` and the built-in
//! policy.
//!
//! A name is split into segments on `_`, `-`, `.` and camelCase boundaries (`dbPassword`,
//! `apiKey` appear in Helm values and JSON manifests). It is secret-like when some segment
//! names a secret and no segment after it turns the name into configuration *about* the
//! secret: `PASSWORD` is a secret, `PASSWORD_MIN_LENGTH` and `ACCESS_TOKEN_EXPIRES_IN` are not,
//! `DB_USER_PASSWORD` is.

/// Segments that name a secret wherever they appear.
#[rustfmt::skip]
const SECRET_WORDS: &[&str] = &[
    "SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE", "TOKEN",
    "CREDENTIAL", "CREDENTIALS", "CREDS", "DSN", "SALT", "SIGNING", "APIKEY", "PRIVATEKEY",
    "ACCESSKEY", "SECRETKEY", "CONNECTIONSTRING",
];

/// Endings that name a secret inside one run-together segment: `DBPASSWORD`, `AUTHTOKEN`.
#[rustfmt::skip]
const SECRET_SUFFIXES: &[&str] = &[
    "PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY",
];

/// Segments before `KEY` that make it a secret even when more follows (`API_KEY_V2`).
#[rustfmt::skip]
const KEY_QUALIFIERS: &[&str] = &[
    "API", "PRIVATE", "ACCESS", "SECRET", "ENCRYPTION", "SIGNING", "MASTER", "LICENSE", "CLIENT",
];

/// Segments before a final `KEY` that make it a lookup key rather than a cryptographic one.
#[rustfmt::skip]
const NON_SECRET_KEY_QUALIFIERS: &[&str] = &[
    "PRIMARY", "FOREIGN", "SORT", "PARTITION", "RANGE", "HASH", "CACHE", "IDEMPOTENCY", "OBJECT",
    "LOOKUP", "ROUTING", "SHORTCUT", "HOT", "GROUP", "MAP", "DEDUP", "DEDUPLICATION",
];

/// Services whose connection URLs usually carry a password: `DATABASE_URL`,
/// `TEST_DATABASE_URL`, `REDIS_TLS_URL`, `CELERY_BROKER_URL`, `MONGO_URI`.
#[rustfmt::skip]
const CREDENTIAL_URL_SERVICES: &[&str] = &[
    "DATABASE", "DB", "REDIS", "POSTGRES", "POSTGRESQL", "PG", "MYSQL", "MARIADB", "MONGO",
    "MONGODB", "AMQP", "RABBITMQ", "BROKER",
];

/// Segments that, after a secret word, make the name about the secret rather than the secret
/// itself: identifiers, locations, sizes, lifetimes, algorithms, switches.
#[rustfmt::skip]
const ABOUT_WORDS: &[&str] = &[
    "ID", "IDS", "NAME", "NAMES", "USER", "USERNAME", "LOGIN", "EMAIL", "FILE", "FILES", "PATH",
    "DIR", "DIRECTORY", "LOCATION", "HOST", "HOSTNAME", "PORT", "URL", "URI", "ENDPOINT", "DOMAIN",
    "ARN", "LENGTH", "LEN", "SIZE", "BITS", "BYTES", "TTL", "EXPIRY", "EXPIRES", "EXPIRATION",
    "EXPIRE", "TIMEOUT", "LIFETIME", "DURATION", "INTERVAL", "AGE", "DAYS", "HOURS", "MINUTES",
    "SECONDS", "ROTATION", "ROUNDS", "ITERATIONS", "COST", "ALGORITHM", "ALGORITHMS", "ALG", "TYPE",
    "KIND", "FORMAT", "ENCODING", "ENABLED", "ENABLE", "DISABLED", "DISABLE", "REQUIRED", "HEADER",
    "HEADERS", "PREFIX", "SUFFIX", "ISSUER", "AUDIENCE", "SCOPE", "SCOPES", "REGION", "VERSION",
    "COUNT", "LIMIT", "MIN", "MAX", "MODE", "POLICY", "STRATEGY", "PROVIDER", "MANAGER", "STORE",
    "BACKEND", "FIELD", "PARAM", "COOKIE",
];

/// Values meant to be public (`JWT_PUBLIC_KEY`, `STRIPE_PUBLISHABLE_KEY`,
/// `NEXT_PUBLIC_API_KEY` shipped to browsers) are not secrets by definition.
const PUBLIC_WORDS: &[&str] = &["PUBLIC", "PUBLISHABLE", "PUBKEY", "PUBLICKEY"];

/// Whether a key name looks like it holds a secret: `*_SECRET`, `*_KEY`, `*_TOKEN`,
/// `*_PASSWORD`, `*_PASSWD`, `*_PWD`, `DATABASE_URL`, `*_DSN`, `*_CREDENTIALS`, `*_PRIVATE_KEY`,
/// ... but not `*_KEY_ID`, `*_PUBLIC_KEY`, `*_TOKEN_URL`, `*_PASSWORD_MIN_LENGTH` and the like.
pub fn secret_like_name(key: &str) -> bool {
    // The shell's working directory, not a password.
    if key.eq_ignore_ascii_case("PWD") {
        return false;
    }
    let segments = segments(key);
    if segments.iter().any(|s| one_of(s, PUBLIC_WORDS)) {
        return false;
    }
    let mut last_secret = None;
    let mut last_about = None;
    for i in 0..segments.len() {
        if names_secret(&segments, i) {
            last_secret = Some(i);
        } else if one_of(segments[i], ABOUT_WORDS) {
            last_about = Some(i);
        }
    }
    match (last_secret, last_about) {
        (Some(secret), Some(about)) => secret > about,
        (secret, _) => secret.is_some(),
    }
}

/// Whether segment `i` names a secret, given its neighbours.
fn names_secret(segments: &[&str], i: usize) -> bool {
    let segment = segments[i];
    let last = i + 1 == segments.len();
    let previous = i.checked_sub(1).map(|p| segments[p]);
    let previous_is = |words: &[&str]| previous.is_some_and(|p| one_of(p, words));
    if one_of(segment, SECRET_WORDS) || SECRET_SUFFIXES.iter().any(|s| ends_with(segment, s)) {
        return true;
    }
    if one_of(segment, &["KEY", "KEYS"]) {
        return previous_is(KEY_QUALIFIERS) || (last && !previous_is(NON_SECRET_KEY_QUALIFIERS));
    }
    if one_of(segment, &["AUTH", "AUTHORIZATION"]) {
        // `BASIC_AUTH` holds credentials; `AUTH_PROVIDER` is about them.
        return last;
    }
    if one_of(segment, &["URL", "URI"]) {
        let first = segments
            .first()
            .is_some_and(|f| one_of(f, CREDENTIAL_URL_SERVICES));
        return first || previous_is(CREDENTIAL_URL_SERVICES);
    }
    one_of(segment, &["STRING"]) && previous_is(&["CONNECTION"])
}

/// Splits on `_`, `-`, `.` and at lowercase-to-uppercase steps (`dbPassword`, not `APIKey`).
fn segments(key: &str) -> Vec<&str> {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(8);
    let mut start = 0;
    for i in 0..=bytes.len() {
        let boundary = match bytes.get(i) {
            None => true,
            Some(b'_' | b'-' | b'.') => true,
            Some(b) => b.is_ascii_uppercase() && i > 0 && bytes[i - 1].is_ascii_lowercase(),
        };
        if !boundary {
            continue;
        }
        if i > start {
            out.push(&key[start..i]);
        }
        // A camelCase boundary starts the next segment at the capital; a separator is skipped.
        start = if bytes.get(i).is_some_and(u8::is_ascii_uppercase) {
            i
        } else {
            i + 1
        };
    }
    out
}

fn one_of(segment: &str, words: &[&str]) -> bool {
    words.iter().any(|w| segment.eq_ignore_ascii_case(w))
}

/// `segment` ends with `suffix` (case-insensitively) after at least one more character.
fn ends_with(segment: &str, suffix: &str) -> bool {
    let (s, x) = (segment.as_bytes(), suffix.as_bytes());
    s.len() > x.len() && s[s.len() - x.len()..].eq_ignore_ascii_case(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_table() {
        let cases: &[(&str, bool)] = &[
            // Secrets.
            ("SECRET_KEY", true),
            ("SECRET_KEY_BASE", true),
            ("JWT_SECRET", true),
            ("CLIENT_SECRET", true),
            ("COOKIE_SECRET", true),
            ("WEBHOOK_SECRET", true),
            ("NEXTAUTH_SECRET", true),
            ("POSTGRES_PASSWORD", true),
            ("DB_USER_PASSWORD", true),
            ("MYSQL_ROOT_PASSWD", true),
            ("DB_PASS", true),
            ("SMTP_PWD", true),
            ("GITHUB_TOKEN", true),
            ("VAULT_TOKEN", true),
            ("STRIPE_API_KEY", true),
            ("API_KEY_V2", true),
            ("ENCRYPTION_KEY", true),
            ("STRIPE_KEY", true),
            ("JWT_PRIVATE_KEY", true),
            ("AWS_SECRET_ACCESS_KEY", true),
            ("GOOGLE_APPLICATION_CREDENTIALS", true),
            ("DATABASE_URL", true),
            ("TEST_DATABASE_URL", true),
            ("REDIS_URL", true),
            ("REDIS_TLS_URL", true),
            ("MONGO_URI", true),
            ("AMQP_URL", true),
            ("CELERY_BROKER_URL", true),
            ("SQLALCHEMY_DATABASE_URI", true),
            ("SENTRY_DSN", true),
            ("PASSWORD_SALT", true),
            ("JWT_SIGNING_KEY", true),
            ("REDIS_AUTH", true),
            ("AZURE_STORAGE_CONNECTION_STRING", true),
            ("dbPassword", true),
            ("apiKey", true),
            ("APIKEY", true),
            ("AUTHTOKEN", true),
            ("secret_key", true),
            ("smtp.password", true),
            ("KEY", true),
            ("PASSWORD_HASH", true),
            // Not secrets.
            ("AWS_ACCESS_KEY_ID", false),
            ("API_KEY_ID", false),
            ("JWT_PUBLIC_KEY", false),
            ("STRIPE_PUBLISHABLE_KEY", false),
            ("NEXT_PUBLIC_API_KEY", false),
            ("TOKEN_URL", false),
            ("OAUTH_TOKEN_URL", false),
            ("PASSWORD_MIN_LENGTH", false),
            ("ACCESS_TOKEN_EXPIRES_IN", false),
            ("JWT_EXPIRY", false),
            ("TOKEN_TTL", false),
            ("SECRET_NAME", false),
            ("DB_PASSWORD_FILE", false),
            ("PRIVATE_KEY_PATH", false),
            ("JWT_ALGORITHM", false),
            ("TOKEN_TYPE", false),
            ("AUTH_ENABLED", false),
            ("AUTH_HEADER", false),
            ("AUTH_PROVIDER", false),
            ("DATABASE_HOST", false),
            ("DB_PORT", false),
            ("DB_USER", false),
            ("DB_USERNAME", false),
            ("POSTGRES_DB", false),
            ("API_URL", false),
            ("DATABASE_URL_TIMEOUT", false),
            ("KEYBOARD_LAYOUT", false),
            ("CACHE_KEY", false),
            ("PRIMARY_KEY", false),
            ("BCRYPT_SALT_ROUNDS", false),
            ("SESSION_TIMEOUT", false),
            ("PASSPORT_STRATEGY", false),
            ("BYPASS_CACHE", false),
            ("OPENAI_MAX_TOKENS", false),
            ("PWD", false),
            ("OLDPWD", false),
            ("NODE_ENV", false),
            ("LOG_LEVEL", false),
            ("apiKeyId", false),
            ("ПАРОЛЬ", false),
            ("ÜBER_SECRET", true),
            ("", false),
        ];
        for &(name, expected) in cases {
            assert_eq!(secret_like_name(name), expected, "{name}");
        }
    }

    #[test]
    fn segments_split_on_separators_and_camel_case() {
        assert_eq!(segments("db_user-name.x"), ["db", "user", "name", "x"]);
        assert_eq!(segments("dbPassword"), ["db", "Password"]);
        assert_eq!(segments("APIKey"), ["APIKey"]);
        assert_eq!(segments("__A__"), ["A"]);
        assert!(segments("").is_empty());
    }
}
