//! Cursor positions: the protocol counts Unicode code points, evcxr counts bytes.

/// The byte offset of code point `cursor` in `code` (the end if past it).
pub(crate) fn byte_offset(code: &str, cursor: usize) -> usize {
    code.char_indices()
        .nth(cursor)
        .map_or(code.len(), |(byte, _)| byte)
}

/// The code point offset of byte `byte` in `code` (clamped to a char boundary below it).
pub(crate) fn char_offset(code: &str, byte: usize) -> usize {
    code.char_indices().take_while(|&(b, _)| b < byte).count()
}

/// The byte offset of the end of the identifier that `byte` is in or just after.
pub(crate) fn end_of_word(code: &str, byte: usize) -> usize {
    let rest = &code[byte..];
    byte + rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_trip_over_multibyte_text() {
        let code = "let é = \"ü\"; é.len()";
        for cursor in 0..=code.chars().count() {
            assert_eq!(char_offset(code, byte_offset(code, cursor)), cursor);
        }
        assert_eq!(byte_offset(code, 5), 6); // after "let é"
        assert_eq!(byte_offset(code, 1000), code.len());
        assert_eq!(end_of_word("y.sha + 1", 3), 5);
    }
}
