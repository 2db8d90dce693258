//! Builds one tree per YAML document from saphyr-parser's event stream, within the limits of
//! [`super`]: the event parser never expands an alias, and this builder keeps an alias as a
//! pointer to its anchored node, so a document costs memory in proportion to its text. What
//! aliases *would* expand to is counted as the tree is built, so an alias bomb is refused
//! before anything walks it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, StrInput};

use super::spans::{char_at, line_start, text_spans};
use super::{MAX_DEPTH, MAX_EXPANDED_NODES, MAX_NODES};
use crate::span::Span;

/// Index of a node in its [`Tree`].
pub(super) type NodeId = usize;

/// A scalar with the spans a reader needs.
#[derive(Debug)]
pub(super) struct Scalar<'a> {
    /// The value as YAML reads it: quotes removed, escapes processed, lines folded.
    pub value: Cow<'a, str>,
    pub style: ScalarStyle,
    /// Whether a tag (`!!str`, `!!binary`) was written: a tagged scalar is never null.
    pub tagged: bool,
    /// The token as written, without anchor or tag: quotes included, and for a block scalar
    /// from its `|` or `>` header to the end of its last line of content. Empty for a value
    /// left out (`KEY:`), right after the colon.
    pub raw: Span,
    /// The text between the quotes; for a block scalar, its content lines.
    pub inner: Span,
}

impl Scalar<'_> {
    /// A YAML null: nothing written, `~` or `null` (plain and untagged).
    pub fn is_null(&self) -> bool {
        self.style == ScalarStyle::Plain
            && !self.tagged
            && matches!(self.value.as_ref(), "" | "~" | "null" | "Null" | "NULL")
    }
}

#[derive(Debug)]
pub(super) enum Kind<'a> {
    Scalar(Scalar<'a>),
    /// Key and value pairs in the order written.
    Map(Vec<(NodeId, NodeId)>),
    Seq(Vec<NodeId>),
    /// An alias: the anchored node it names, which always comes earlier and is never itself
    /// an alias.
    Alias(NodeId),
}

#[derive(Debug)]
pub(super) struct Node<'a> {
    pub kind: Kind<'a>,
    /// Where the node is written: for an alias the `*name` token, for a collection its
    /// opening (which may be empty for a block collection).
    pub span: Span,
}

/// One YAML document.
#[derive(Debug)]
pub(super) struct Tree<'a> {
    pub nodes: Vec<Node<'a>>,
    pub root: Option<NodeId>,
}

/// The merge key of YAML 1.1, which compose files use to share settings.
const MERGE_KEY: &str = "<<";

impl<'a> Tree<'a> {
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id]
    }

    /// The node an alias names, or the node itself.
    pub fn resolve(&self, id: NodeId) -> NodeId {
        match self.nodes[id].kind {
            Kind::Alias(target) => target,
            _ => id,
        }
    }

    /// The scalar at `id`, through an alias.
    pub fn scalar(&self, id: NodeId) -> Option<&Scalar<'a>> {
        match &self.nodes[self.resolve(id)].kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar key (through an alias).
    pub fn key_text(&self, id: NodeId) -> Option<&str> {
        self.scalar(id).map(|s| s.value.as_ref())
    }

    /// Whether `id` is a null scalar (or an alias of one).
    pub fn is_null(&self, id: NodeId) -> bool {
        self.scalar(id).is_some_and(Scalar::is_null)
    }

    /// The pairs of the mapping at `id` (through an alias) with merge keys (`<<`) expanded:
    /// a key written in the mapping wins over a merged one, and an earlier merged mapping wins
    /// over a later one, as YAML's merge key says. A key written twice stays twice (a
    /// duplicate for the rules to report). `None` when `id` is not a mapping.
    ///
    /// The work is bounded by the expanded size of the mapping, which the builder capped at
    /// [`MAX_EXPANDED_NODES`]; merges nest at most [`MAX_DEPTH`] deep.
    pub fn pairs(&self, id: NodeId) -> Result<Option<Vec<(NodeId, NodeId)>>, MergeError> {
        let Kind::Map(own) = &self.nodes[self.resolve(id)].kind else {
            return Ok(None);
        };
        if !own
            .iter()
            .any(|(k, _)| self.key_text(*k) == Some(MERGE_KEY))
        {
            return Ok(Some(own.clone()));
        }
        let mut out = Vec::with_capacity(own.len());
        let mut seen: HashSet<&str> = own
            .iter()
            .filter_map(|(k, _)| self.key_text(*k))
            .filter(|k| *k != MERGE_KEY)
            .collect();
        for &(k, v) in own {
            if self.key_text(k) == Some(MERGE_KEY) {
                self.merge(v, &mut seen, &mut out, 1)?;
            } else {
                out.push((k, v));
            }
        }
        Ok(Some(out))
    }

    /// Appends the pairs a `<<` value brings in, skipping keys already present.
    fn merge<'t>(
        &'t self,
        value: NodeId,
        seen: &mut HashSet<&'t str>,
        out: &mut Vec<(NodeId, NodeId)>,
        depth: usize,
    ) -> Result<(), MergeError> {
        if depth > MAX_DEPTH {
            return Err(MergeError::TooDeep(self.nodes[value].span));
        }
        let target = self.resolve(value);
        match &self.nodes[target].kind {
            Kind::Map(pairs) => {
                // Keys written in the merged mapping win over what it merges in turn.
                let own: Vec<&str> = pairs
                    .iter()
                    .filter_map(|(k, _)| self.key_text(*k))
                    .filter(|k| *k != MERGE_KEY)
                    .collect();
                let mut pending = Vec::new();
                for &(k, v) in pairs {
                    match self.key_text(k) {
                        Some(MERGE_KEY) => pending.push(v),
                        Some(text) if !seen.contains(text) => out.push((k, v)),
                        Some(_) => {}
                        None => out.push((k, v)),
                    }
                }
                seen.extend(own);
                for v in pending {
                    self.merge(v, seen, out, depth + 1)?;
                }
                Ok(())
            }
            Kind::Seq(items) => {
                for &item in items {
                    if !matches!(self.nodes[self.resolve(item)].kind, Kind::Map(_)) {
                        return Err(MergeError::NotAMapping(self.nodes[item].span));
                    }
                    self.merge(item, seen, out, depth + 1)?;
                }
                Ok(())
            }
            _ => Err(MergeError::NotAMapping(self.nodes[value].span)),
        }
    }
}

/// A merge key that cannot be expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MergeError {
    /// `<<` names something other than a mapping or a list of mappings.
    NotAMapping(Span),
    /// Merges nest deeper than [`MAX_DEPTH`].
    TooDeep(Span),
}

/// A problem that ends the reading of one document (or of the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failure {
    /// What was not read: from the document's first line to its end (to the end of the text
    /// after a syntax error, since nothing after it is read).
    pub span: Span,
    /// Where to point.
    pub at: Span,
    pub message: String,
}

/// What the next step of reading found.
#[derive(Debug)]
pub(super) enum Next<'a> {
    Document(Tree<'a>),
    /// A document over a limit: it is left out and reading goes on with the next one.
    Failed(Failure),
    /// A syntax error: nothing after it can be read.
    Fatal(Failure),
}

/// Converts the parser's character indices into byte offsets.
struct Offsets {
    /// The byte offset of every [`Self::STEP`]th character; empty for ASCII text, where the
    /// two are the same.
    checkpoints: Vec<usize>,
    ascii: bool,
    len: usize,
}

impl Offsets {
    const STEP: usize = 64;

    fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(Self::STEP)
                .map(|(i, _)| i)
                .collect()
        };
        Self {
            checkpoints,
            ascii,
            len: text.len(),
        }
    }

    fn byte(&self, text: &str, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.len);
        }
        let Some(&base) = self.checkpoints.get(char_index / Self::STEP) else {
            return self.len;
        };
        text[base..]
            .char_indices()
            .nth(char_index % Self::STEP)
            .map_or(self.len, |(i, _)| base + i)
    }
}

/// Reads the documents of a text one at a time.
pub(super) struct Documents<'a> {
    text: &'a str,
    offsets: Offsets,
    parser: Parser<'a, StrInput<'a>>,
    /// The end of the last event, where the search for a block scalar's header starts.
    prev_end: usize,
    /// A syntax error met while skipping a failed document, reported next.
    pending: Option<Failure>,
    done: bool,
    /// Spans of scalars written over several lines: lines inside them are not comments.
    pub multiline: Vec<Span>,
}

type Spanned<'a> = (Event<'a>, Span);

impl<'a> Documents<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            offsets: Offsets::new(text),
            parser: Parser::new_from_str(text),
            prev_end: 0,
            pending: None,
            done: false,
            multiline: Vec::new(),
        }
    }

    /// The next event with a byte span, or the syntax error that ends the stream.
    fn event(&mut self) -> Result<Option<Spanned<'a>>, ScanError> {
        match self.parser.next_event() {
            None => Ok(None),
            Some(Err(e)) => Err(e),
            Some(Ok((event, span))) => {
                let start = self.offsets.byte(self.text, span.start.index());
                let end = self.offsets.byte(self.text, span.end.index()).max(start);
                Ok(Some((event, Span::new(start, end))))
            }
        }
    }

    fn syntax_error(&self, e: &ScanError, from: usize) -> Failure {
        let at = self.offsets.byte(self.text, e.marker().index());
        let message = e.info().trim().trim_end_matches('.');
        Failure {
            span: Span::new(line_start(self.text, from.min(at)), self.text.len()),
            at: char_at(self.text, at),
            message: format!("invalid YAML: {message}"),
        }
    }

    /// Reads one document from its `DocumentStart` on.
    fn document(&mut self, start: usize) -> Next<'a> {
        let mut builder = Builder::new(self.text);
        loop {
            let (event, span) = match self.event() {
                Ok(Some(e)) => e,
                Ok(None) => {
                    self.done = true;
                    return Next::Document(builder.finish());
                }
                Err(e) => {
                    self.done = true;
                    return Next::Fatal(self.syntax_error(&e, start));
                }
            };
            let prev_end = std::mem::replace(&mut self.prev_end, span.end);
            if matches!(event, Event::DocumentEnd) {
                return Next::Document(builder.finish());
            }
            match builder.push(event, span, prev_end) {
                Ok(Some(multiline)) => self.multiline.push(multiline),
                Ok(None) => {}
                Err((at, message)) => {
                    let end = self.skip_document();
                    let span = Span::new(line_start(self.text, start), end);
                    return Next::Failed(Failure { span, at, message });
                }
            }
        }
    }

    /// Consumes the rest of a document that is over a limit; returns where it ends.
    fn skip_document(&mut self) -> usize {
        loop {
            match self.event() {
                Ok(Some((Event::DocumentEnd, span))) => return span.start,
                Ok(Some(_)) => {}
                Ok(None) => {
                    self.done = true;
                    return self.text.len();
                }
                Err(e) => {
                    self.done = true;
                    let failure =
                        self.syntax_error(&e, self.offsets.byte(self.text, e.marker().index()));
                    let end = failure.span.start;
                    self.pending = Some(failure);
                    return end;
                }
            }
        }
    }
}

impl<'a> Iterator for Documents<'a> {
    type Item = Next<'a>;

    fn next(&mut self) -> Option<Next<'a>> {
        if let Some(f) = self.pending.take() {
            return Some(Next::Fatal(f));
        }
        while !self.done {
            match self.event() {
                Ok(Some((Event::DocumentStart(_), span))) => {
                    self.prev_end = span.end;
                    return Some(self.document(span.start));
                }
                Ok(Some((Event::StreamEnd, _))) | Ok(None) => self.done = true,
                Ok(Some((_, span))) => self.prev_end = span.end,
                Err(e) => {
                    self.done = true;
                    return Some(Next::Fatal(self.syntax_error(&e, self.prev_end)));
                }
            }
        }
        None
    }
}

/// An open collection.
struct Frame {
    node: NodeId,
    /// In a mapping, a key still waiting for its value.
    key: Option<NodeId>,
    /// The expanded size counted before this collection opened.
    total_before: usize,
    anchor: usize,
}

/// An anchored node, and its expanded size once it is complete.
#[derive(Clone, Copy)]
struct Anchor {
    node: NodeId,
    expanded: Option<usize>,
}

type LimitError = (Span, String);

/// Turns the events of one document into a [`Tree`], enforcing the limits.
struct Builder<'a> {
    text: &'a str,
    nodes: Vec<Node<'a>>,
    root: Option<NodeId>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchor>,
    /// How many nodes the document would have with every alias replaced by a copy.
    expanded: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            nodes: Vec::new(),
            root: None,
            stack: Vec::new(),
            anchors: HashMap::new(),
            expanded: 0,
        }
    }

    fn finish(self) -> Tree<'a> {
        Tree {
            nodes: self.nodes,
            root: self.root,
        }
    }

    /// Adds one event. Returns the span of a scalar written over several lines.
    fn push(
        &mut self,
        event: Event<'a>,
        span: Span,
        prev_end: usize,
    ) -> Result<Option<Span>, LimitError> {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let (raw, inner) = text_spans(self.text, span, style, prev_end);
                let multiline = self.text[raw.range()].contains('\n').then_some(raw);
                let scalar = Scalar {
                    value,
                    style,
                    tagged: tag.is_some(),
                    raw,
                    inner,
                };
                let id = self.add(Kind::Scalar(scalar), span)?;
                self.expanded += 1;
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchor {
                            node: id,
                            expanded: Some(1),
                        },
                    );
                }
                self.check_expanded(span)?;
                Ok(multiline)
            }
            Event::Alias(anchor) => {
                let target = match self.anchors.get(&anchor) {
                    None => {
                        return Err((
                            char_at(self.text, span.start),
                            "an alias refers to an anchor that is not defined".into(),
                        ));
                    }
                    Some(Anchor { expanded: None, .. }) => {
                        return Err((span, "an alias refers to the node that contains it".into()));
                    }
                    Some(&Anchor {
                        node,
                        expanded: Some(size),
                    }) => {
                        self.expanded = self.expanded.saturating_add(size);
                        node
                    }
                };
                self.add(Kind::Alias(target), span)?;
                self.check_expanded(span)?;
                Ok(None)
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err((
                        char_at(self.text, span.start),
                        format!("the document is nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let kind = if matches!(event, Event::MappingStart(..)) {
                    Kind::Map(Vec::new())
                } else {
                    Kind::Seq(Vec::new())
                };
                let total_before = self.expanded;
                let id = self.add(kind, span)?;
                self.expanded += 1;
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchor {
                            node: id,
                            expanded: None,
                        },
                    );
                }
                self.stack.push(Frame {
                    node: id,
                    key: None,
                    total_before,
                    anchor,
                });
                self.check_expanded(span)?;
                Ok(None)
            }
            Event::MappingEnd | Event::SequenceEnd => {
                // A later anchor of the same name may have replaced this one; complete the
                // entry only if it is still ours.
                if let Some(frame) = self.stack.pop()
                    && let Some(a) = self
                        .anchors
                        .get_mut(&frame.anchor)
                        .filter(|a| a.node == frame.node)
                {
                    a.expanded = Some(self.expanded - frame.total_before);
                }
                Ok(None)
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Ok(None),
        }
    }

    /// Stores a node and attaches it to the open collection (or makes it the root).
    fn add(&mut self, kind: Kind<'a>, span: Span) -> Result<NodeId, LimitError> {
        if self.nodes.len() >= MAX_NODES {
            return Err((
                char_at(self.text, span.start),
                format!("the document has more than {MAX_NODES} nodes"),
            ));
        }
        let id = self.nodes.len();
        self.nodes.push(Node { kind, span });
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
            Some(frame) => match &mut self.nodes[frame.node].kind {
                // Keys and values alternate.
                Kind::Map(pairs) => match frame.key.take() {
                    Some(key) => pairs.push((key, id)),
                    None => frame.key = Some(id),
                },
                Kind::Seq(items) => items.push(id),
                Kind::Scalar(_) | Kind::Alias(_) => {}
            },
        }
        Ok(id)
    }

    fn check_expanded(&self, span: Span) -> Result<(), LimitError> {
        if self.expanded > MAX_EXPANDED_NODES {
            return Err((
                char_at(self.text, span.start),
                format!(
                    "aliases expand the document to more than {MAX_EXPANDED_NODES} nodes, as an alias bomb does"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_indices_become_byte_offsets() {
        let text = "a\u{feff}é✓𝄞".repeat(50);
        let offsets = Offsets::new(&text);
        for (i, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.byte(&text, i), byte);
        }
        assert_eq!(offsets.byte(&text, text.chars().count()), text.len());
        assert_eq!(offsets.byte(&text, usize::MAX / 2), text.len());
        let ascii = Offsets::new("abc");
        assert_eq!(ascii.byte("abc", 2), 2);
        assert_eq!(ascii.byte("abc", 9), 3);
    }
}
