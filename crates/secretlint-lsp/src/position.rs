//! Byte offsets ↔ LSP positions in the encoding negotiated with the client.
//!
//! The engine speaks byte spans; LSP columns count UTF-16 code units unless the client offers
//! UTF-8 (LSP 3.17 `positionEncoding`). Lines end at `\n`, `\r\n` or a lone `\r`, exactly as
//! the LSP specification and the engine's .env reader split them, so line numbers agree.

use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The unit LSP columns are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8: cheapest, offered by Neovim and Helix.
    Utf8,
    /// UTF-16 code units: the LSP default, and all VS Code speaks.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it, UTF-16 (the protocol's default) otherwise.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// Line starts of one text, for converting in both directions.
#[derive(Debug, Clone)]
pub struct LineMap<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineMap<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
        }
        Self {
            text,
            starts,
            encoding,
        }
    }

    /// The position of byte `offset` (clamped to the text, and moved back to a character
    /// boundary if it falls inside one).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = match self.encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => self.text[start..offset].chars().map(char::len_utf16).sum(),
        };
        Position::new(to_u32(line), to_u32(column))
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of `position`. A line past the end maps to the end of the text; a column
    /// past the end of its line maps to the line's end (before its terminator), and a column in
    /// the middle of a character to the character's start, as the specification asks.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self.content_end(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            let w = self.encoding.width(c);
            if units + w > wanted {
                return start + i;
            }
            units += w;
        }
        end
    }

    /// The byte offset where `line`'s content ends, before its terminator.
    fn content_end(&self, line: usize) -> usize {
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = next;
        let bytes = self.text.as_bytes();
        if end > self.starts[line] && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.starts[line] && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end.max(self.starts[line])
    }

    /// Byte offset of the start of `line` (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies one `didChange` content change to `text`: a ranged edit, or a full replacement.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str, encoding: Encoding) {
    match range {
        None => new_text.clone_into(text),
        Some(range) => {
            let map = LineMap::new(text, encoding);
            let start = map.offset(range.start);
            let end = map.offset(range.end).max(start);
            text.replace_range(start..end, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "A=é😀x\nB=1";
        let x = text.find('x').unwrap_or_default();
        assert_eq!(
            LineMap::new(text, Encoding::Utf16).position(x),
            Position::new(0, 5)
        );
        assert_eq!(
            LineMap::new(text, Encoding::Utf8).position(x),
            Position::new(0, 8)
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let map = LineMap::new(text, enc);
            assert_eq!(map.offset(map.position(x)), x);
            assert_eq!(map.position(text.len()), Position::new(1, 3));
        }
    }

    #[test]
    fn offsets_clamp_to_line_ends_and_character_starts() {
        let map = LineMap::new("ab\r\n😀c\rz", Encoding::Utf16);
        assert_eq!(map.offset(Position::new(0, 99)), 2);
        assert_eq!(
            map.offset(Position::new(1, 1)),
            4,
            "inside a surrogate pair"
        );
        assert_eq!(map.offset(Position::new(1, 2)), 8);
        assert_eq!(map.offset(Position::new(2, 0)), 10, "a lone CR ends a line");
        assert_eq!(map.offset(Position::new(7, 0)), 11);
    }

    #[test]
    fn incremental_changes_apply_in_the_negotiated_encoding() {
        let mut text = "K=ü1\nL=2\n".to_owned();
        apply_change(
            &mut text,
            Some(Range::new(Position::new(0, 3), Position::new(0, 4))),
            "9",
            Encoding::Utf16,
        );
        assert_eq!(text, "K=ü9\nL=2\n");
        apply_change(
            &mut text,
            Some(Range::new(Position::new(0, 4), Position::new(0, 5))),
            "7",
            Encoding::Utf8,
        );
        assert_eq!(text, "K=ü7\nL=2\n");
        apply_change(&mut text, None, "X=1", Encoding::Utf8);
        assert_eq!(text, "X=1");
    }
}
