//! docker compose interpolation in `environment` values: `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, and `$$`
//! for a literal `$`, as the compose specification defines them.
//!
//! Variables come from the shell or the `.env` file beside the compose file, never from the
//! compose file itself, so the value here is the one compose sees with no variable set: a
//! default where one is written, the empty string otherwise. A value made only of references
//! is an alias, not a secret of its own; a default written in the file is a value like any
//! other and is judged.

/// Nested references (`${A:-${B}}`) deeper than this are refused rather than followed.
const MAX_NESTING: usize = 8;

/// A value after interpolation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Interpolated {
    pub value: String,
    /// Number of references.
    pub references: usize,
    /// Some reference supplies a default written in the file.
    pub defaults: bool,
    /// Some non-blank text stands outside the references.
    pub own_text: bool,
}

impl Interpolated {
    pub fn only_references(&self) -> bool {
        self.references > 0 && !self.own_text && !self.defaults
    }
}

/// Why a value cannot be interpolated; compose refuses such a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum InterpolationError {
    Unterminated,
    Invalid,
    TooDeep,
}

impl InterpolationError {
    pub fn describe(self) -> &'static str {
        match self {
            InterpolationError::Unterminated => "an unterminated `${` reference",
            InterpolationError::Invalid => "an invalid `${...}` reference",
            InterpolationError::TooDeep => "references nested too deeply",
        }
    }
}

pub(super) fn interpolate(text: &str) -> Result<Interpolated, InterpolationError> {
    let mut out = Interpolated::default();
    read(text, &mut out, 0)?;
    Ok(out)
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn read(text: &str, out: &mut Interpolated, depth: usize) -> Result<(), InterpolationError> {
    if depth > MAX_NESTING {
        return Err(InterpolationError::TooDeep);
    }
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        let before = &rest[..dollar];
        out.own_text |= !before.trim().is_empty();
        out.value.push_str(before);
        let after = &rest[dollar + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.value.push('$');
            out.own_text = true;
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let close = matching_brace(body).ok_or(InterpolationError::Unterminated)?;
            braced(&body[..close], out, depth)?;
            rest = &body[close + 1..];
        } else if after.starts_with(is_name_start) {
            let len = after.find(|c| !is_name(c)).unwrap_or(after.len());
            out.references += 1;
            rest = &after[len..];
        } else {
            // A `$` that starts nothing is itself.
            out.value.push('$');
            out.own_text = true;
            rest = after;
        }
    }
    out.own_text |= !rest.trim().is_empty();
    out.value.push_str(rest);
    Ok(())
}

/// The index of the `}` closing a `${`, counting nested `${...}`.
fn matching_brace(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The inside of `${...}`.
fn braced(body: &str, out: &mut Interpolated, depth: usize) -> Result<(), InterpolationError> {
    if !body.starts_with(is_name_start) {
        return Err(InterpolationError::Invalid);
    }
    let len = body.find(|c| !is_name(c)).unwrap_or(body.len());
    out.references += 1;
    let modifier = &body[len..];
    if modifier.is_empty() {
        return Ok(());
    }
    let (op, word) = match modifier.strip_prefix(':') {
        Some(m) => (m.chars().next(), m.get(1..).unwrap_or("")),
        None => (modifier.chars().next(), modifier.get(1..).unwrap_or("")),
    };
    match op {
        // With the variable unset, the default is the value.
        Some('-') => {
            let mut inner = Interpolated::default();
            read(word, &mut inner, depth + 1)?;
            out.value.push_str(&inner.value);
            out.references += inner.references;
            out.defaults |= inner.own_text || inner.defaults;
            Ok(())
        }
        // Unset: an error (`?`) or nothing (`+`); either way no text of the file is the value.
        Some('?' | '+') => {
            let mut inner = Interpolated::default();
            read(word, &mut inner, depth + 1)
        }
        _ => Err(InterpolationError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> (String, bool, bool) {
        let i = interpolate(text).unwrap_or_default();
        let only = i.only_references();
        (i.value, i.references > 0, only)
    }

    #[test]
    fn references_become_empty_and_defaults_stay() {
        assert_eq!(value("${SECRET_KEY}"), (String::new(), true, true));
        assert_eq!(value(" $SECRET_KEY "), (" ".repeat(2), true, true));
        assert_eq!(value("${A:-weak}"), ("weak".into(), true, false));
        assert_eq!(value("${A-${B:-x}}"), ("x".into(), true, false));
        assert_eq!(value("${A:?set A}"), (String::new(), true, true));
        assert_eq!(value("${A:+on}"), (String::new(), true, true));
        assert_eq!(
            value("postgres://u:${PW}@db/x"),
            ("postgres://u:@db/x".into(), true, false)
        );
    }

    #[test]
    fn dollars_that_start_nothing_stay() {
        assert_eq!(value("a$$b"), ("a$b".into(), false, false));
        assert_eq!(value("cost$"), ("cost$".into(), false, false));
        assert_eq!(value("$1x"), ("$1x".into(), false, false));
    }

    #[test]
    fn malformed_references_are_errors() {
        assert_eq!(interpolate("${A"), Err(InterpolationError::Unterminated));
        assert_eq!(interpolate("${}"), Err(InterpolationError::Invalid));
        assert_eq!(interpolate("${A B}"), Err(InterpolationError::Invalid));
        let deep = format!("{}{}", "${A:-".repeat(20), "}".repeat(20));
        assert_eq!(interpolate(&deep), Err(InterpolationError::TooDeep));
    }
}
