//! The lossless .env reader: every entry with byte spans for its key and value, and every
//! comment, blank line and byte of layout left where it was so that a rewrite can change one
//! value and nothing else.
//!
//! Values are read with dotenvy's semantics (see the differential tests); the deliberate
//! differences are listed on [`parse`].

use crate::secret::SecretString;
use crate::span::Span;

/// How a value was quoted in the source; a rewrite keeps the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quote {
    None,
    Single,
    Double,
}

/// A `$VAR` or `${VAR}` reference inside a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The referenced variable's name.
    pub name: String,
    /// The whole reference as written (`${VAR}` or `$VAR`), in the document.
    pub span: Span,
    /// Whether an earlier entry of the same file defined the name. References are resolved only
    /// from the file being read, never from the linter's own process environment.
    pub resolved: bool,
}

/// One `KEY=value` assignment.
#[derive(Debug, Clone)]
pub struct EnvEntry {
    pub key: String,
    pub key_span: Span,
    /// The value as a program would see it: quotes removed, escapes processed, references
    /// substituted (unresolved ones by the empty string, as dotenvy does).
    pub value: SecretString,
    /// The value token as written, quotes included. For `KEY=` it is empty, right after `=`.
    pub raw_value_span: Span,
    /// The value between its quotes (equal to `raw_value_span` when unquoted).
    pub inner_value_span: Span,
    pub quote: Quote,
    /// `export KEY=value`.
    pub exported: bool,
    /// The whole assignment from its first byte (or `export`) to the end of its last line,
    /// line terminator excluded. Multi-line values span several lines.
    pub span: Span,
    /// A trailing `# comment` on the assignment's (last) line, `#` included.
    pub comment: Option<Span>,
    pub references: Vec<Reference>,
    /// 0-based line of the key.
    pub line: usize,
}

/// A line that could not be read as an assignment. The message never quotes the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The offending line(s), line terminator excluded.
    pub span: Span,
    /// Where on that line the problem is (may equal `span`).
    pub at: Span,
    /// Lowercase, no trailing period, no value text: "expected `=` after key `DB_HOST`".
    pub message: String,
    pub line: usize,
}

/// A full-line comment (`# ...`), `#` included, line terminator excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub line: usize,
}

/// A parsed .env file. Spans index into the text given to [`parse`] (BOM included).
#[derive(Debug, Clone, Default)]
pub struct EnvDocument {
    pub entries: Vec<EnvEntry>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
    /// The text starts with a UTF-8 byte order mark (skipped, kept on rewrite).
    pub bom: bool,
    /// The text's dominant line terminator, for lines a fix adds.
    pub crlf: bool,
}

/// Reads a .env file. Never fails: lines that cannot be read become [`SyntaxError`]s and
/// reading goes on with the next line.
///
/// Values are what dotenvy 0.15.7 reads, down to its quirks:
/// - quoted and unquoted parts concatenate (`'a'b"c"` is `abc`; such a value has
///   [`Quote::None`], its inner span equal to its raw span);
/// - `#` starts a comment right after `=` (`KEY=#x` is empty) or after a blank that ends an
///   unquoted or quoted value (`KEY=a #b` is `a`), never inside a value (`KEY=a#b` is `a#b`);
/// - a blank inside an unquoted value is an error unless escaped (`\ `); leading and trailing
///   Unicode whitespace around keys, `=` and values is skipped, but only a space or a tab ends
///   an unquoted value;
/// - `\` escapes only `\ `, `\\`, `\'`, `\"`, `\$` and `\n`, in double quotes and unquoted;
///   single quotes are literal; an unquoted `\` at the end of a line is dropped;
/// - a bare `$NAME` ends at the first character that is not alphanumeric (`$A_B` is `$A`
///   followed by `_B`) and that character is kept as plain text, even a blank or a quote, so
///   `"$A"` leaves the quotes open; `${NAME}` takes anything up to `}`; a lone `$` vanishes;
/// - quoted values run over several lines, and lines are joined into one logical line exactly
///   as dotenvy joins them: a quote in an inline comment after an even run of blanks keeps the
///   line open, and the end of the text right after a single trailing blank is an error.
///
/// Deliberate differences from dotenvy:
/// - **Errors do not stop reading.** dotenvy's iterator returns an error for a bad line and
///   reads nothing after it; here the line becomes a [`SyntaxError`] (with no entry) and
///   reading goes on. After a quote that is never closed, dotenvy treats the rest of the file
///   as one bad line; here only the line with the opening quote is reported and reading
///   resumes on the next line.
/// - **References resolve only from the same file.** dotenvy looks `$VAR` up in the process
///   environment first and only then among earlier entries; here only earlier entries of the
///   file count, so the result never depends on the machine running the linter. Unresolved
///   references become the empty string, as in dotenvy.
/// - **A UTF-8 byte order mark is skipped** (and reported in [`EnvDocument::bom`]). dotenvy's
///   `load` functions skip it too, but its iterator (`from_read_iter`) reads it as part of the
///   first key and fails.
/// - **A lone CR ends a line**, as `\n` and `\r\n` do. dotenvy splits only at `\n` and keeps
///   a lone `\r` in the line. Inside a quoted value a lone CR stays in the value in both.
/// - **Lines hidden by a quote in a comment are reported.** When an inline comment holds an
///   unclosed quote, dotenvy reads the following lines as part of that comment until the
///   quote closes, and silently drops them. They are dropped here too (no entries), but they
///   also become a [`SyntaxError`] so that the loss is visible.
/// - **`$` with no name** (`cost$`, `${}`) becomes the empty string as in dotenvy, but is not
///   listed in [`EnvEntry::references`].
///
/// Rewriting: replacing [`EnvEntry::raw_value_span`] with another non-empty, plain value token
/// (unquoted, or one single- or double-quoted part, with no `$NAME` right before a quote and
/// no `\` right before a closing single quote) changes that value, and those of later entries
/// that reference it, and leaves every other entry, comment and byte as it was. Two edits need
/// more care: filling an empty value that is followed directly by `#` (`KEY=#x`) needs a blank
/// before the `#`, or the comment joins the value; emptying a value should remove from right
/// after `=` to the end of the raw value, so that the blanks before a comment keep their count.
pub fn parse(text: &str) -> EnvDocument {
    Reader::new(text).read()
}

const BOM: char = '\u{feff}';

/// One line of the text: `start..end` is its content, `next` the first byte after its line
/// terminator (equal to `end` on a last line without one).
#[derive(Debug, Clone, Copy)]
struct PhysicalLine {
    start: usize,
    end: usize,
    next: usize,
}

impl PhysicalLine {
    fn span(self) -> Span {
        Span::new(self.start, self.end)
    }

    fn has_terminator(self) -> bool {
        self.next > self.end
    }
}

/// Splits at `\n`, `\r\n` and lone `\r`, from byte `from` on; also says whether `\r\n` is the
/// most common terminator. Works on bytes: `\r` and `\n` never occur inside a UTF-8 sequence.
fn split_lines(text: &str, from: usize) -> (Vec<PhysicalLine>, bool) {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let (mut crlf, mut other) = (0usize, 0usize);
    let mut start = from;
    let mut i = from;
    while i < bytes.len() {
        let terminator = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                crlf += 1;
                2
            }
            b'\r' | b'\n' => {
                other += 1;
                1
            }
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(PhysicalLine {
            start,
            end: i,
            next: i + terminator,
        });
        i += terminator;
        start = i;
    }
    if start < bytes.len() {
        lines.push(PhysicalLine {
            start,
            end: bytes.len(),
            next: bytes.len(),
        });
    }
    (lines, crlf > other)
}

/// dotenvy's line-joining states (`ParseState` in its `iter.rs`). Its `Comment` state is not
/// here: it ends the logical line at once, which [`Join::step`] reports as `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Complete,
    Escape,
    WhiteSpace,
    Strong,
    StrongEscape,
    Weak,
    WeakEscape,
}

impl Join {
    /// One step of dotenvy's `eval_end_state`; `None` when `c` is a `#` that ends the line.
    ///
    /// Note the quirks kept on purpose: a second blank in a row goes back to `Complete`, so
    /// only a `#` after an odd run of blanks ends the line here, and a backslash skips the
    /// next character even inside single quotes.
    fn step(self, c: char) -> Option<Join> {
        let next = match self {
            Join::WhiteSpace => match c {
                '#' => return None,
                '\\' => Join::Escape,
                '"' => Join::Weak,
                '\'' => Join::Strong,
                _ => Join::Complete,
            },
            Join::Complete => match c {
                '\\' => Join::Escape,
                '"' => Join::Weak,
                '\'' => Join::Strong,
                c if c.is_whitespace() && c != '\n' && c != '\r' => Join::WhiteSpace,
                _ => Join::Complete,
            },
            Join::Escape => Join::Complete,
            Join::Weak => match c {
                '\\' => Join::WeakEscape,
                '"' => Join::Complete,
                _ => Join::Weak,
            },
            Join::WeakEscape => Join::Weak,
            Join::Strong => match c {
                '\\' => Join::StrongEscape,
                '\'' => Join::Complete,
                _ => Join::Strong,
            },
            Join::StrongEscape => Join::Strong,
        };
        Some(next)
    }

    /// The state after a line terminator. dotenvy sees `\n` (after `\r` for CRLF); `\r` and
    /// `\n` act alike in every state, so one `\n` stands for every kind of terminator.
    fn end_line(self) -> Join {
        self.step('\n').unwrap_or(self)
    }

    fn in_quotes(self) -> bool {
        matches!(
            self,
            Join::Strong | Join::StrongEscape | Join::Weak | Join::WeakEscape
        )
    }
}

/// What [`join_lines`] found starting at one physical line.
#[derive(Debug)]
enum Group {
    /// A full-line comment whose `#` is at `hash`.
    Comment { hash: usize },
    /// A logical line from the first physical line to line `last`, its text ending at `end`.
    /// `cut` is set when a `#` after a blank ended it (then `end == cut`).
    Logical {
        last: usize,
        end: usize,
        cut: Option<usize>,
    },
    /// The end of the text came while the line was still open. `open_quote` is the quote that
    /// kept the first physical line open, if a quote did.
    Unfinished {
        state: Join,
        open_quote: Option<usize>,
    },
}

/// Joins physical lines into one logical line the way dotenvy's `QuotedLines` does: a line
/// whose first non-blank character is `#` is a comment; otherwise lines are joined while a
/// quote is open.
///
/// Reading resumes on the next line after an unfinished group, so the same lines can be
/// scanned again. This stays linear: each quote character swaps two of the three states
/// (outside, in `"…"`, in `'…'`) and a backslash skips the next character in all of them, so
/// two scans that are still open at the end of a line are in different quote states. At most
/// two scans are open at any line end, and no line is scanned more than three times.
fn join_lines(text: &str, lines: &[PhysicalLine], first: usize) -> Group {
    let head = lines[first];
    let content = &text[head.start..head.end];
    let trimmed = content.trim_start();
    if trimmed.starts_with('#') {
        return Group::Comment {
            hash: head.end - trimmed.len(),
        };
    }
    let mut state = Join::Complete;
    let mut open_quote = None;
    for (index, line) in lines.iter().enumerate().skip(first) {
        for (offset, c) in text[line.start..line.end].char_indices() {
            let at = line.start + offset;
            let Some(next) = state.step(c) else {
                return Group::Logical {
                    last: index,
                    end: at,
                    cut: Some(at),
                };
            };
            if index == first && next.in_quotes() && !state.in_quotes() {
                open_quote = Some(at);
            }
            state = next;
        }
        if line.has_terminator() {
            state = state.end_line();
        }
        if state == Join::Complete {
            return Group::Logical {
                last: index,
                end: line.end,
                cut: None,
            };
        }
    }
    Group::Unfinished { state, open_quote }
}

/// A line that failed, before it is placed in the document.
#[derive(Debug)]
struct LineError {
    at: Span,
    message: String,
}

impl LineError {
    fn new(at: Span, message: impl Into<String>) -> Self {
        Self {
            at,
            message: message.into(),
        }
    }
}

/// The span of the character starting at byte `at` (empty at the end of the text).
fn char_span(text: &str, at: usize) -> Span {
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

/// A read assignment, before it is placed in the document.
#[derive(Debug)]
struct Assignment {
    /// The first byte: of the key, or of `export`.
    start: usize,
    key: String,
    key_span: Span,
    exported: bool,
    value: ScannedValue,
    /// The `#` of a comment that the line parser found (the joiner may find one too).
    comment: Option<usize>,
}

/// A cursor over one logical line, trailing whitespace already cut off as dotenvy does.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

/// The message for a line without `=`, which never quotes the line.
const NO_EQUALS: &str = "expected `KEY=value`; the line has no `=`";

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..self.end]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// dotenvy's `parse_key`: `[A-Za-z_][A-Za-z0-9_.]*`.
    fn key(&mut self) -> Result<Span, LineError> {
        let rest = self.rest();
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            let at = char_span(self.text, self.pos);
            return Err(if rest.starts_with('=') {
                LineError::new(at, "expected a key before `=`")
            } else {
                LineError::new(at, "invalid character in key")
            });
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let span = Span::new(self.pos, self.pos + len);
        self.pos += len;
        Ok(span)
    }

    /// dotenvy's `expect_equal`, after the blanks that follow the key.
    fn equals(&mut self, key: Span) -> Result<(), LineError> {
        if self.rest().starts_with('=') {
            self.pos += 1;
            return Ok(());
        }
        if self.pos == key.end && !self.at_end() {
            // Directly attached to the key, as in `DB-HOST=x`.
            return Err(LineError::new(
                char_span(self.text, self.pos),
                "invalid character in key",
            ));
        }
        let at = if self.at_end() {
            key
        } else {
            char_span(self.text, self.pos)
        };
        // A line with no `=` at all may be a value pasted on its own line (a token is a valid
        // key name): the message must not show more of it than its masked snippet, which
        // hides such a line entirely (`mask::masked_text`).
        if !self.text[key.start..self.end].contains('=') {
            return Err(LineError::new(at, NO_EQUALS));
        }
        let name = &self.text[key.range()];
        // The masked snippet keeps a key only up to its first character outside
        // `[A-Za-z0-9_]`: a dotted name here may be a token, and is not repeated.
        if !crate::mask::plain_env_key(name) {
            return Err(LineError::new(at, "expected `=` after the key"));
        }
        Err(LineError::new(
            at,
            format!("expected `=` after key `{name}`"),
        ))
    }
}

/// Reads the logical line `text[start..end]` as dotenvy's `parse_line` does: `Ok(None)` for a
/// blank line or a comment.
fn parse_assignment(
    text: &str,
    start: usize,
    end: usize,
    defined: Defined<'_>,
) -> Result<Option<Assignment>, LineError> {
    let end = start + text[start..end].trim_end().len();
    let mut cur = Cursor {
        text,
        pos: start,
        end,
    };
    cur.skip_whitespace();
    if cur.at_end() || cur.rest().starts_with('#') {
        return Ok(None);
    }
    let first = cur.pos;
    let mut key_span = cur.key()?;
    cur.skip_whitespace();
    let mut exported = false;
    // `export` is a prefix unless it is the key itself (`export=value`).
    if &text[key_span.range()] == "export" && !cur.rest().starts_with('=') {
        if cur.at_end() {
            return Err(LineError::new(key_span, "expected `=` after key `export`"));
        }
        exported = true;
        key_span = cur.key()?;
        cur.skip_whitespace();
    }
    cur.equals(key_span)?;
    let key = text[key_span.range()].to_owned();
    let after_equals = cur.pos;
    cur.skip_whitespace();
    let (value, comment) = if cur.at_end() || cur.rest().starts_with('#') {
        let comment = (!cur.at_end()).then_some(cur.pos);
        (ScannedValue::empty(after_equals), comment)
    } else {
        let mut scanner = ValueScanner::new(&key, defined);
        scanner.scan(text, cur.pos, end)?
    };
    Ok(Some(Assignment {
        start: first,
        key,
        key_span,
        exported,
        value,
        comment,
    }))
}

/// A value as read: the text a program sees, and where it was written.
#[derive(Debug)]
struct ScannedValue {
    value: String,
    raw: Span,
    inner: Span,
    quote: Quote,
    references: Vec<Reference>,
}

impl ScannedValue {
    /// `KEY=`: an empty token right after the `=`.
    fn empty(at: usize) -> Self {
        Self {
            value: String::new(),
            raw: Span::empty(at),
            inner: Span::empty(at),
            quote: Quote::None,
            references: Vec::new(),
        }
    }
}

/// dotenvy's `SubstitutionMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Substitution {
    Off,
    /// `$NAME`
    Bare,
    /// `${NAME}`
    Braced,
}

/// A quoted part of a value token.
#[derive(Debug, Clone, Copy)]
struct Segment {
    quote: Quote,
    open: usize,
    close: Option<usize>,
}

/// What the scanner wants after a character.
enum Flow {
    Continue,
    /// A `#` after the value: the rest of the line is a comment.
    Comment,
}

/// dotenvy's `parse_value`, one character at a time, with positions kept.
struct ValueScanner<'a> {
    key: &'a str,
    defined: Defined<'a>,
    value: String,
    strong: bool,
    weak: bool,
    /// The backslash whose escape is pending.
    escape: Option<usize>,
    /// Where an unquoted blank ended the token (dotenvy's `expecting_end`).
    blank: Option<usize>,
    substitution: Substitution,
    name: String,
    dollar: usize,
    references: Vec<Reference>,
    segments: Vec<Segment>,
    /// A `"` that ended a bare `$NAME` inside double quotes: dotenvy keeps it as text, so it
    /// does not close the quotes.
    quote_taken_by_reference: Option<usize>,
}

impl<'a> ValueScanner<'a> {
    fn new(key: &'a str, defined: Defined<'a>) -> Self {
        Self {
            key,
            defined,
            value: String::new(),
            strong: false,
            weak: false,
            escape: None,
            blank: None,
            substitution: Substitution::Off,
            name: String::new(),
            dollar: 0,
            references: Vec::new(),
            segments: Vec::new(),
            quote_taken_by_reference: None,
        }
    }

    /// Scans `text[start..end]` (non-empty, no trailing whitespace); also returns the `#` of
    /// a trailing comment.
    fn scan(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
    ) -> Result<(ScannedValue, Option<usize>), LineError> {
        let token = &text[start..end];
        // Most values are one plain token: no quote, escape, reference or blank, so nothing
        // in them can change what they mean and the text is the value.
        if !token
            .bytes()
            .any(|b| matches!(b, b'\'' | b'"' | b'\\' | b'$' | b' ' | b'\t'))
        {
            let raw = Span::new(start, end);
            let value = ScannedValue {
                value: token.to_owned(),
                raw,
                inner: raw,
                quote: Quote::None,
                references: Vec::new(),
            };
            return Ok((value, None));
        }
        self.value.reserve(token.len());
        let mut comment = None;
        for (offset, c) in token.char_indices() {
            let at = start + offset;
            if let Flow::Comment = self.step(at, c)? {
                comment = Some(at);
                break;
            }
        }
        let value = self.finish(start, end)?;
        Ok((value, comment))
    }

    /// One character, in the order of the branches of dotenvy's loop.
    fn step(&mut self, at: usize, c: char) -> Result<Flow, LineError> {
        if self.blank.is_some() {
            return match c {
                ' ' | '\t' => Ok(Flow::Continue),
                '#' => Ok(Flow::Comment),
                _ => Err(LineError::new(
                    Span::new(at, at + c.len_utf8()),
                    format!("unexpected text after the value of key `{}`", self.key),
                )),
            };
        }
        if let Some(backslash) = self.escape.take() {
            self.escaped(backslash, at, c)?;
        } else if self.strong {
            if c == '\'' {
                self.strong = false;
                self.close(at);
            } else {
                self.value.push(c);
            }
        } else if self.substitution != Substitution::Off {
            self.substitution_step(at, c);
        } else if c == '$' {
            self.substitution = Substitution::Bare;
            self.dollar = at;
        } else if self.weak {
            match c {
                '"' => {
                    self.weak = false;
                    self.close(at);
                }
                '\\' => self.escape = Some(at),
                _ => self.value.push(c),
            }
        } else {
            match c {
                '\'' => {
                    self.strong = true;
                    self.segments.push(Segment {
                        quote: Quote::Single,
                        open: at,
                        close: None,
                    });
                }
                '"' => {
                    self.weak = true;
                    self.segments.push(Segment {
                        quote: Quote::Double,
                        open: at,
                        close: None,
                    });
                }
                '\\' => self.escape = Some(at),
                ' ' | '\t' => self.blank = Some(at),
                _ => self.value.push(c),
            }
        }
        Ok(Flow::Continue)
    }

    fn close(&mut self, at: usize) {
        if let Some(segment) = self.segments.last_mut() {
            segment.close = Some(at);
        }
    }

    /// The character after a backslash; dotenvy knows only these escapes.
    fn escaped(&mut self, backslash: usize, at: usize, c: char) -> Result<(), LineError> {
        match c {
            '\\' | '\'' | '"' | '$' | ' ' => self.value.push(c),
            'n' => self.value.push('\n'),
            _ => {
                return Err(LineError::new(
                    Span::new(backslash, at + c.len_utf8()),
                    format!("invalid escape sequence in the value of key `{}`", self.key),
                ));
            }
        }
        Ok(())
    }

    /// A character while reading a reference's name.
    fn substitution_step(&mut self, at: usize, c: char) {
        // Any alphanumeric character (not `_`) continues the name, in both forms.
        if c.is_alphanumeric() {
            self.name.push(c);
            return;
        }
        match self.substitution {
            Substitution::Bare if c == '{' && self.name.is_empty() => {
                self.substitution = Substitution::Braced;
            }
            Substitution::Bare => {
                self.substitute(Span::new(self.dollar, at));
                if c == '$' {
                    // Another reference starts right away.
                    self.dollar = at;
                } else {
                    // dotenvy keeps the character that ended the name as plain text, whatever
                    // it is: a blank does not end the token, a quote opens nothing.
                    self.substitution = Substitution::Off;
                    if c == '"' && self.weak {
                        self.quote_taken_by_reference = Some(at);
                    }
                    self.value.push(c);
                }
            }
            Substitution::Braced => {
                if c == '}' {
                    self.substitution = Substitution::Off;
                    self.substitute(Span::new(self.dollar, at + 1));
                } else {
                    self.name.push(c);
                }
            }
            Substitution::Off => {}
        }
    }

    /// Replaces the reference just read by the value of an earlier entry, or by nothing.
    fn substitute(&mut self, span: Span) {
        let name = std::mem::take(&mut self.name);
        // No variable has the empty name: dotenvy substitutes "" and so do we, silently.
        if name.is_empty() {
            return;
        }
        let found = self.defined.get(&name);
        if let Some(value) = found {
            self.value.push_str(value);
        }
        self.references.push(Reference {
            name,
            span,
            resolved: found.is_some(),
        });
    }

    /// The end of the value: dotenvy's checks after its loop.
    fn finish(&mut self, start: usize, end: usize) -> Result<ScannedValue, LineError> {
        let open = self
            .segments
            .last()
            .filter(|s| s.close.is_none())
            .map(|s| s.open);
        let quote_at =
            |at: Option<usize>| at.map_or(Span::new(start, end), |q| Span::new(q, q + 1));
        if self.substitution == Substitution::Braced {
            return Err(LineError::new(
                Span::new(self.dollar, self.dollar + 2),
                format!(
                    "unterminated `${{` reference in the value of key `{}`",
                    self.key
                ),
            ));
        }
        if self.strong {
            return Err(LineError::new(
                quote_at(open),
                format!("unterminated single-quoted value for key `{}`", self.key),
            ));
        }
        if self.weak {
            return Err(match self.quote_taken_by_reference {
                Some(q) => LineError::new(
                    Span::new(q, q + 1),
                    format!(
                        "the closing quote of key `{}` is read as part of the `$` reference \
                         before it (write the reference as `${{...}}`)",
                        self.key
                    ),
                ),
                None => LineError::new(
                    quote_at(open),
                    format!("unterminated double-quoted value for key `{}`", self.key),
                ),
            });
        }
        if self.substitution == Substitution::Bare {
            self.substitute(Span::new(self.dollar, end));
        }
        let token_end = self.blank.unwrap_or(end);
        let raw = Span::new(start, token_end);
        // Quote::Single or Double only when one quoted part is the whole token.
        let (quote, inner) = match self.segments.as_slice() {
            [only] if only.open == start && only.close.map(|c| c + 1) == Some(token_end) => {
                (only.quote, Span::new(start + 1, token_end - 1))
            }
            _ => (Quote::None, raw),
        };
        Ok(ScannedValue {
            value: std::mem::take(&mut self.value),
            raw,
            inner,
            quote,
            references: std::mem::take(&mut self.references),
        })
    }
}

/// The values a reference can take: those of the entries read so far, the latest definition
/// of each key winning. Looked up by index rather than kept as copies: most files define no
/// reference at all.
#[derive(Clone, Copy)]
struct Defined<'a> {
    latest: Option<&'a foldhash::HashMap<&'a str, usize>>,
    entries: &'a [EnvEntry],
}

impl<'a> Defined<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        let i = *self.latest?.get(name)?;
        Some(self.entries.get(i)?.value.expose())
    }
}

/// Reads a whole text into an [`EnvDocument`].
struct Reader<'a> {
    text: &'a str,
    lines: Vec<PhysicalLine>,
    /// The latest entry of each key read so far, for references.
    defined: foldhash::HashMap<&'a str, usize>,
    doc: EnvDocument,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let bom = text.starts_with(BOM);
        let (lines, crlf) = split_lines(text, if bom { BOM.len_utf8() } else { 0 });
        Self {
            text,
            lines,
            defined: foldhash::HashMap::default(),
            doc: EnvDocument {
                bom,
                crlf,
                ..EnvDocument::default()
            },
        }
    }

    fn read(mut self) -> EnvDocument {
        let mut next = 0;
        while next < self.lines.len() {
            next = self.read_at(next);
        }
        self.doc
    }

    /// Reads the logical line starting at physical line `first`; returns the next line to read.
    fn read_at(&mut self, first: usize) -> usize {
        match join_lines(self.text, &self.lines, first) {
            Group::Comment { hash } => {
                let span = Span::new(hash, self.lines[first].end);
                self.doc.comments.push(Comment { span, line: first });
                first + 1
            }
            Group::Logical { last, end, cut } => {
                self.read_logical(first, last, end, cut);
                last + 1
            }
            Group::Unfinished { state, open_quote } => {
                self.read_unfinished(first, state, open_quote)
            }
        }
    }

    fn read_logical(&mut self, first: usize, last: usize, end: usize, cut: Option<usize>) {
        let start = self.lines[first].start;
        let defined = Defined {
            latest: Some(&self.defined),
            entries: &self.doc.entries,
        };
        match parse_assignment(self.text, start, end, defined) {
            Ok(None) => {}
            Ok(Some(assignment)) => self.add_entry(first, last, assignment, cut),
            Err(error) => {
                let span = Span::new(start, self.lines[last].end);
                self.add_error(span, error, first);
            }
        }
    }

    fn add_entry(&mut self, first: usize, last: usize, a: Assignment, cut: Option<usize>) {
        let hash = a.comment.or(cut);
        let comment_line = hash.map_or(last, |h| self.line_of(h, first, last));
        let end = self.lines[comment_line].end;
        if comment_line < last {
            // A quote in the comment kept dotenvy reading: the lines up to the closing quote
            // belong to the comment, and no program sees them.
            let hidden = self.lines[comment_line + 1];
            let span = Span::new(hidden.start, self.lines[last].end);
            let message = format!(
                "line is read as part of the comment of key `{}` because of a quote in that \
                 comment",
                a.key
            );
            self.add_error(
                span,
                LineError::new(hidden.span(), message),
                comment_line + 1,
            );
        }
        self.defined
            .insert(&self.text[a.key_span.range()], self.doc.entries.len());
        let value = a.value;
        self.doc.entries.push(EnvEntry {
            key: a.key,
            key_span: a.key_span,
            value: SecretString::new(value.value),
            raw_value_span: value.raw,
            inner_value_span: value.inner,
            quote: value.quote,
            exported: a.exported,
            span: Span::new(a.start, end),
            comment: hash.map(|h| Span::new(h, end)),
            references: value.references,
            line: first,
        });
    }

    /// The end of the text came inside an open quote, after a backslash or after a single
    /// trailing blank: dotenvy fails there. Returns the next line to read.
    fn read_unfinished(&mut self, first: usize, state: Join, open_quote: Option<usize>) -> usize {
        let head = self.lines[first];
        if !state.in_quotes() {
            // Escape and WhiteSpace last only to the end of a line, so this is the last line,
            // which has no terminator.
            let end = self.text.len();
            let last = self.text[head.start..]
                .chars()
                .next_back()
                .map_or(0, char::len_utf8);
            let at = Span::new(end - last, end);
            let message = if state == Join::Escape {
                "unexpected end of file after a backslash"
            } else {
                "unexpected end of file after trailing whitespace (add a final newline)"
            };
            self.add_error(
                Span::new(head.start, end),
                LineError::new(at, message),
                first,
            );
            return self.lines.len();
        }
        let error = self.describe_unclosed(head, open_quote);
        self.add_error(head.span(), error, first);
        first + 1
    }

    /// Why the first line of an unfinished group left a quote open. Reading that line alone
    /// gives the answer when dotenvy's value parser agrees the quote is open; when it does not,
    /// the joiner saw a quote that the parser does not (in a comment, or after `\` inside
    /// single quotes).
    fn describe_unclosed(&self, head: PhysicalLine, open_quote: Option<usize>) -> LineError {
        let no_entries = Defined {
            latest: None,
            entries: &[],
        };
        let assignment = match parse_assignment(self.text, head.start, head.end, no_entries) {
            Err(error) => return error,
            Ok(assignment) => assignment,
        };
        let at = open_quote.map_or(head.span(), |q| Span::new(q, q + 1));
        let Some(a) = assignment else {
            return LineError::new(at, "unterminated quote");
        };
        let key = &a.key;
        let in_comment = matches!((a.comment, open_quote), (Some(h), Some(q)) if h < q);
        if in_comment {
            return LineError::new(
                at,
                format!("unterminated quote in the comment of key `{key}`"),
            );
        }
        let after_quote = &self.text[at.start.min(head.end)..head.end];
        if after_quote.starts_with('\'') && after_quote.contains("\\'") {
            return LineError::new(
                at,
                format!(
                    "single-quoted value of key `{key}` is left open: dotenv does not end it at a \
                     quote right after a backslash"
                ),
            );
        }
        LineError::new(
            at,
            format!("unterminated quote in the value of key `{key}`"),
        )
    }

    /// The physical line (between `first` and `last`) that holds byte `pos`.
    fn line_of(&self, pos: usize, first: usize, last: usize) -> usize {
        (first..=last)
            .find(|&i| pos <= self.lines[i].end)
            .unwrap_or(last)
    }

    fn add_error(&mut self, span: Span, error: LineError, line: usize) {
        self.doc.errors.push(SyntaxError {
            span,
            at: error.at,
            message: error.message,
            line,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text)
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.value.expose().to_owned()))
            .collect()
    }

    fn values(text: &str) -> Vec<String> {
        pairs(text).into_iter().map(|(_, value)| value).collect()
    }

    /// The only entry of a text that must read without errors.
    fn only(text: &str) -> EnvEntry {
        let doc = parse(text);
        assert!(doc.errors.is_empty(), "unexpected errors: {:?}", doc.errors);
        assert_eq!(doc.entries.len(), 1, "expected one entry");
        doc.entries[0].clone()
    }

    fn errors(text: &str) -> Vec<(usize, String)> {
        parse(text)
            .errors
            .into_iter()
            .map(|e| (e.line, e.message))
            .collect()
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn spans_cover_key_value_quotes_and_comment() {
        let text = "  export DB_HOST = 'fake-host'   # the host\nNEXT=1\n";
        let e = &parse(text).entries[0];
        assert_eq!(e.key, "DB_HOST");
        assert!(e.exported);
        assert_eq!(e.quote, Quote::Single);
        assert_eq!(e.value.expose(), "fake-host");
        assert_eq!(at(text, e.key_span), "DB_HOST");
        assert_eq!(at(text, e.raw_value_span), "'fake-host'");
        assert_eq!(at(text, e.inner_value_span), "fake-host");
        assert_eq!(at(text, e.comment.expect("comment")), "# the host");
        assert_eq!(
            at(text, e.span),
            "export DB_HOST = 'fake-host'   # the host"
        );
        assert_eq!(e.line, 0);
        assert_eq!(parse(text).entries[1].line, 1);
    }

    #[test]
    fn export_is_a_prefix_unless_it_is_the_key() {
        assert_eq!(
            pairs("export A=1\nexport=2\nexport =3\nexportB=4\nexport export=5\n"),
            [
                ("A", "1"),
                ("export", "2"),
                ("export", "3"),
                ("exportB", "4"),
                ("export", "5")
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        let doc = parse("export=2\nexport\tC=3\n");
        assert!(!doc.entries[0].exported);
        assert!(doc.entries[1].exported);
    }

    #[test]
    fn single_quotes_are_literal() {
        let e = only(r"A='fake $B ${C} \n \ # x'");
        assert_eq!(e.value.expose(), r"fake $B ${C} \n \ # x");
        assert!(e.references.is_empty());
        assert_eq!(e.comment, None);
    }

    #[test]
    fn double_quotes_know_dotenvys_escapes() {
        let e = only(r#"A="a\nb\\c\"d\$e\'f\ g""#);
        assert_eq!(e.value.expose(), "a\nb\\c\"d$e'f g");
        assert_eq!(e.quote, Quote::Double);
        // The same escapes work unquoted, where `\ ` keeps a blank in the value.
        assert_eq!(values(r"A=s\ ix\$\\"), ["s ix$\\"]);
    }

    #[test]
    fn unknown_escape_is_an_error_and_reading_goes_on() {
        let text = "A=\"fake\\tvalue\"\nB=fake-b\n";
        let doc = parse(text);
        assert_eq!(doc.errors.len(), 1);
        let error = &doc.errors[0];
        assert_eq!(
            error.message,
            "invalid escape sequence in the value of key `A`"
        );
        assert_eq!(at(text, error.at), "\\t");
        assert_eq!(at(text, error.span), "A=\"fake\\tvalue\"");
        assert_eq!(pairs(text), [("B".to_owned(), "fake-b".to_owned())]);
    }

    #[test]
    fn hash_starts_a_comment_only_after_a_blank_or_right_after_equals() {
        assert_eq!(
            values("A=x#y\nB=x #y\nC=x\t#y\nD='x'#y\n"),
            ["x#y", "x", "x", "x#y"]
        );
        let text = "A=#all comment\n";
        let e = only(text);
        assert_eq!(e.value.expose(), "");
        assert_eq!(e.raw_value_span, Span::empty(2));
        assert_eq!(at(text, e.comment.expect("comment")), "#all comment");
    }

    #[test]
    fn quoted_and_plain_parts_concatenate() {
        let text = r#"A='a'b"c"d"#;
        let e = only(text);
        assert_eq!(e.value.expose(), "abcd");
        assert_eq!(e.quote, Quote::None);
        assert_eq!(e.inner_value_span, e.raw_value_span);
        assert_eq!(values(r"A='it'\''s'"), ["it's"]);
    }

    #[test]
    fn double_quoted_values_run_over_lines() {
        let text = "A=\"fake line one\nfake line two\" # note\nB=2\n";
        let doc = parse(text);
        let a = &doc.entries[0];
        assert_eq!(a.value.expose(), "fake line one\nfake line two");
        assert_eq!(
            at(text, a.span),
            "A=\"fake line one\nfake line two\" # note"
        );
        assert_eq!(at(text, a.inner_value_span), "fake line one\nfake line two");
        assert_eq!(at(text, a.comment.expect("comment")), "# note");
        assert_eq!(doc.entries[1].line, 2);
    }

    #[test]
    fn crlf_is_excluded_from_spans_and_kept_inside_values() {
        let text = "A=1\r\nB=\"x\r\ny\"\r\n# c\r\nC=3\n";
        let doc = parse(text);
        assert!(doc.crlf);
        assert_eq!(at(text, doc.entries[0].span), "A=1");
        assert_eq!(doc.entries[1].value.expose(), "x\r\ny");
        assert_eq!(at(text, doc.comments[0].span), "# c");
        assert_eq!(doc.comments[0].line, 3);
        assert!(!parse("A=1\nB=2\r\nC=3\n").crlf);
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let text = "A=1\rB=2 # c\r# full\rC='x\ry'";
        let doc = parse(text);
        assert_eq!(pairs(text).len(), 3);
        assert_eq!(doc.entries[1].value.expose(), "2");
        assert_eq!(doc.entries[2].value.expose(), "x\ry");
        assert_eq!(doc.entries[2].line, 3);
        assert_eq!(doc.comments[0].line, 2);
    }

    #[test]
    fn bom_is_skipped_and_spans_index_the_original_text() {
        let text = "\u{feff}A=fake\n";
        let doc = parse(text);
        assert!(doc.bom);
        assert_eq!(doc.entries[0].key_span, Span::new(3, 4));
        assert_eq!(at(text, doc.entries[0].span), "A=fake");
        assert_eq!(doc.entries[0].line, 0);
        // A BOM anywhere else is an ordinary (invalid) key character.
        assert_eq!(
            errors("A=1\n\u{feff}B=2\n"),
            [(1, "invalid character in key".to_owned())]
        );
    }

    #[test]
    fn references_resolve_only_from_earlier_entries_of_the_file() {
        let text = "A=fake\nB=${A}-$A-${LATER}\nC=$HOME${PATH}\nLATER=x\n";
        let doc = parse(text);
        let b = &doc.entries[1];
        assert_eq!(b.value.expose(), "fake-fake-");
        let refs: Vec<_> = b
            .references
            .iter()
            .map(|r| (r.name.as_str(), at(text, r.span), r.resolved))
            .collect();
        assert_eq!(
            refs,
            [
                ("A", "${A}", true),
                ("A", "$A", true),
                ("LATER", "${LATER}", false)
            ]
        );
        // The process environment is never consulted.
        assert_eq!(doc.entries[2].value.expose(), "");
        assert!(doc.entries[2].references.iter().all(|r| !r.resolved));
    }

    #[test]
    fn references_see_the_latest_earlier_definition() {
        assert_eq!(
            values("A=1\nA=${A}2\nB=$A\nA=\nC=x${A}y\n"),
            ["1", "12", "12", "", "xy"]
        );
        let doc = parse("A=\nB=$A\n");
        assert!(doc.entries[1].references[0].resolved);
    }

    #[test]
    fn bare_reference_names_are_alphanumeric_and_keep_the_character_after() {
        let text = "A_B=no\nA=x\nB=$A_B\nC=$A-$A{y}\nD=a$ b\nE=cost$\nF=${}z\n";
        assert_eq!(
            values(text),
            ["no", "x", "x_B", "x-x{y}", "a b", "cost", "z"]
        );
        let doc = parse(text);
        assert_eq!(doc.entries[2].references[0].name, "A");
        assert!(doc.entries[4].references.is_empty());
        assert!(doc.entries[6].references.is_empty());
    }

    #[test]
    fn bare_reference_before_a_closing_quote_keeps_it_open() {
        let text = "B=1\nA=\"$B\"\nC=\"${B}\"\n";
        assert_eq!(
            errors(text),
            [(
                1,
                "the closing quote of key `A` is read as part of the `$` reference before it \
                 (write the reference as `${...}`)"
                    .to_owned()
            )]
        );
        assert_eq!(parse(text).entries[1].value.expose(), "1");
    }

    #[test]
    fn unterminated_quote_reports_its_line_and_reading_resumes() {
        let text = "A=\"fake never closed\nB=fake-b\nC='fake\n";
        let doc = parse(text);
        let found: Vec<_> = doc
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str(), at(text, e.at)))
            .collect();
        assert_eq!(
            found,
            [
                (0, "unterminated double-quoted value for key `A`", "\""),
                (2, "unterminated single-quoted value for key `C`", "'"),
            ]
        );
        assert_eq!(at(text, doc.errors[0].span), "A=\"fake never closed");
        assert_eq!(pairs(text), [("B".to_owned(), "fake-b".to_owned())]);
        assert_eq!(
            errors("A=${B\n"),
            [(
                0,
                "unterminated `${` reference in the value of key `A`".to_owned()
            )]
        );
    }

    #[test]
    fn quote_in_a_comment_after_an_even_blank_run_hides_lines() {
        // dotenvy reads `'` in the comment as opening a value, up to the next `'`.
        let text = "A=x  # it's\nB=it's\nC=3\n";
        let doc = parse(text);
        assert_eq!(
            pairs(text),
            [("A", "x"), ("C", "3")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(at(text, doc.entries[0].span), "A=x  # it's");
        assert_eq!(at(text, doc.entries[0].comment.expect("comment")), "# it's");
        let hidden = &doc.errors[0];
        assert_eq!(
            (hidden.line, hidden.message.as_str(), at(text, hidden.span)),
            (
                1,
                "line is read as part of the comment of key `A` because of a quote in that comment",
                "B=it's"
            )
        );
        // After an odd run the joiner sees the comment and the quote does not matter.
        assert_eq!(pairs("A=x # it's\nB=2\n").len(), 2);
        // Never closed: dotenvy fails there.
        assert_eq!(
            errors("A=x  # it's\nB=2\n"),
            [(0, "unterminated quote in the comment of key `A`".to_owned())]
        );
        assert_eq!(values("A=x  # it's\nB=2\n"), ["2"]);
    }

    #[test]
    fn backslash_before_a_closing_single_quote_keeps_the_line_open() {
        // dotenvy's parser closes `'a\'` but its line joiner does not.
        assert_eq!(values("A='a\\' #'\nB=2\n"), ["a\\", "2"]);
        let expected = "single-quoted value of key `A` is left open: dotenv does not end it at a quote \
                        right after a backslash";
        assert_eq!(errors("A='a\\'\nB=2\n"), [(0, expected.to_owned())]);
    }

    #[test]
    fn end_of_file_after_one_trailing_blank_or_a_backslash_is_an_error() {
        let message = "unexpected end of file after trailing whitespace (add a final newline)";
        assert_eq!(errors("A=1\nB=2 "), [(1, message.to_owned())]);
        assert_eq!(errors(" "), [(0, message.to_owned())]);
        assert!(errors("A=1  ").is_empty());
        assert!(errors("A=1 \n").is_empty());
        assert_eq!(
            errors("A=x\\"),
            [(0, "unexpected end of file after a backslash".to_owned())]
        );
        // Before a line break, a trailing backslash is dropped.
        assert_eq!(values("A=x\\\nB=2\n"), ["x", "2"]);
    }

    #[test]
    fn key_errors_say_what_was_expected() {
        let found =
            errors("DB_HOST localhost\nDB-HOST=x\n=x\n1A=x\nexport\nexport B\nexport 1C=x\nD\n");
        let expected = [
            (0, NO_EQUALS),
            (1, "invalid character in key"),
            (2, "expected a key before `=`"),
            (3, "invalid character in key"),
            (4, "expected `=` after key `export`"),
            (5, NO_EQUALS),
            (6, "invalid character in key"),
            (7, NO_EQUALS),
        ];
        assert_eq!(found, expected.map(|(line, m)| (line, m.to_owned())));
        let text = "DB_HOST localhost\n";
        assert_eq!(at(text, parse(text).errors[0].at), "l");
    }

    #[test]
    fn a_dotted_name_before_a_missing_equals_sign_is_not_repeated() {
        // The masked snippet keeps only `Tok9Fake`: a dotted word here may be a pasted token
        // (found by the `check_files` fuzz target), so the message must not name it.
        let found = errors(
            "Tok9Fake.Xq7ZpL2w and = later
PLAIN_KEY and = later
",
        );
        assert_eq!(
            found,
            [
                (0, "expected `=` after the key".to_owned()),
                (1, "expected `=` after key `PLAIN_KEY`".to_owned()),
            ]
        );
    }

    #[test]
    fn blanks_inside_an_unquoted_value_are_an_error() {
        let text = "A=fake words\nB=ok\n";
        let doc = parse(text);
        assert_eq!(
            doc.errors[0].message,
            "unexpected text after the value of key `A`"
        );
        assert_eq!(at(text, doc.errors[0].at), "w");
        assert_eq!(values(text), ["ok"]);
    }

    #[test]
    fn messages_never_quote_the_line() {
        let bad = [
            "K=fake-secret-value words",
            "K=\"fake-secret-value\\q\"",
            "K=\"fake-secret-value",
            "K='fake-secret-value",
            "K=${fake-secret-value",
            "K=\"$FAKE\"",
            "fake-secret-value",
            "K fake-secret-value",
            "K=fake-secret-value  # it's",
            "K=fake-secret-value ",
            "K=fake-secret-value\\",
        ];
        for line in bad {
            let doc = parse(line);
            assert_eq!(doc.errors.len(), 1, "{line}");
            let message = &doc.errors[0].message;
            assert!(
                !message.contains("fake") && !message.contains("FAKE"),
                "{message}"
            );
            assert!(message.starts_with(|c: char| c.is_lowercase()) && !message.ends_with('.'));
        }
    }

    #[test]
    fn blanks_around_keys_and_equals_follow_dotenvy() {
        let text = "  A = 1\n\tB\t=\t2\nC\u{3000}=3\nD=x\u{a0}#c\nE=x\u{a0}y\nF=   \n";
        assert_eq!(values(text), ["1", "2", "3", "x", "x\u{a0}y", ""]);
        let doc = parse(text);
        assert_eq!(doc.entries[0].span.start, 2);
        assert_eq!(at(text, doc.entries[3].comment.expect("comment")), "#c");
        assert_eq!(
            doc.entries[5].raw_value_span,
            Span::empty(text.find("F=").unwrap_or(0) + 2)
        );
    }

    #[test]
    fn empty_values_have_empty_spans_after_equals() {
        let text = "A=\nB=''\nC=\"\"\n";
        let doc = parse(text);
        assert_eq!(doc.entries[0].raw_value_span, Span::empty(2));
        assert_eq!(doc.entries[1].quote, Quote::Single);
        assert_eq!(at(text, doc.entries[1].raw_value_span), "''");
        assert!(doc.entries[1].inner_value_span.is_empty());
        assert_eq!(doc.entries[2].quote, Quote::Double);
        assert!(doc.entries.iter().all(|e| e.value.is_empty()));
    }

    #[test]
    fn odd_input_never_panics_and_stays_in_bounds() {
        let odd = [
            "",
            "\0",
            "\r",
            "\r\r\n\n",
            "\u{feff}",
            "\u{feff}\u{feff}",
            "'",
            "\"",
            "\\",
            "$",
            "${",
            "=",
            "#",
            "export",
            "export ",
            "A=\0\"\0",
            "A=\"\\",
            "A='\\",
            "A=$",
            "A=${é",
            "é=é",
            "A=\"\r",
            "A=x\r\n\r",
            "\t\u{85}\u{2028}",
            "A=\"${\"}\"",
            "A='a'\\'",
            "A=\\\r",
        ];
        for text in odd {
            let doc = parse(text);
            let spans = doc
                .entries
                .iter()
                .flat_map(|e| [e.span, e.key_span, e.raw_value_span, e.inner_value_span])
                .chain(doc.errors.iter().flat_map(|e| [e.span, e.at]))
                .chain(doc.comments.iter().map(|c| c.span));
            for span in spans {
                assert!(text.get(span.range()).is_some(), "{text:?}: {span:?}");
            }
        }
    }

    #[test]
    fn large_inputs_are_read_in_linear_time() {
        // A huge line, and a quote that stays open to the end of many lines: reading resumes
        // on the next line, which must not rescan the rest of the text for every line.
        let long = format!("A={}\n", "x".repeat(4_000_000));
        assert_eq!(parse(&long).entries[0].value.len(), 4_000_000);
        let mut text = String::from("A=\"open\n");
        for i in 0..100_000 {
            text.push_str(if i % 2 == 0 { "B='x\n" } else { "C=y\n" });
        }
        let doc = parse(&text);
        // The `"` is never closed; then each pair of `'` joins three lines into one value.
        assert_eq!(doc.errors.len(), 1);
        assert_eq!(doc.entries.len(), 50_000);
        assert_eq!(doc.entries[0].value.expose(), "x\nC=y\nB=x");
    }
}
