//! `is_complete` for Rust cells: a small lexer that tracks brackets, strings and comments.
//!
//! Open brackets, an unterminated string or block comment mean the user is still typing
//! (`incomplete`, with an indent of four spaces per open bracket); a closing bracket that does
//! not match, or a character Rust never accepts (a backtick), means `invalid`.

use crate::interpreter::IsComplete;

/// Whether `code` can run as it is.
///
/// # Examples
///
/// ```
/// use tessera_kernel::completeness::is_complete;
/// use tessera_kernel::interpreter::IsComplete;
/// assert_eq!(is_complete("let x = 1;"), IsComplete::Complete);
/// assert_eq!(is_complete("fn f() {"), IsComplete::Incomplete { indent: "    ".into() });
/// assert_eq!(is_complete("let s = \"abc"), IsComplete::Incomplete { indent: "".into() });
/// assert_eq!(is_complete("let v = (1, 2];"), IsComplete::Invalid);
/// ```
pub fn is_complete(code: &str) -> IsComplete {
    let chars: Vec<char> = code.chars().collect();
    let mut open: Vec<char> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => match skip_block_comment(&chars, i) {
                Some(end) => i = end,
                None => {
                    return IsComplete::Incomplete {
                        indent: String::new(),
                    }
                }
            },
            '"' => match skip_string(&chars, i + 1) {
                Some(end) => i = end,
                None => {
                    return IsComplete::Incomplete {
                        indent: String::new(),
                    }
                }
            },
            'r' | 'b' if raw_string_start(&chars, i).is_some() => {
                let (hashes, quote) = raw_string_start(&chars, i).expect("checked");
                match skip_raw_string(&chars, quote + 1, hashes) {
                    Some(end) => i = end,
                    None => {
                        return IsComplete::Incomplete {
                            indent: String::new(),
                        }
                    }
                }
            }
            '\'' => i = skip_char_or_lifetime(&chars, i),
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let expected = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(expected) {
                    return IsComplete::Invalid;
                }
            }
            '`' => return IsComplete::Invalid,
            _ => {}
        }
        i += 1;
    }
    if open.is_empty() {
        IsComplete::Complete
    } else {
        IsComplete::Incomplete {
            indent: "    ".repeat(open.len()),
        }
    }
}

/// Index of the `/` closing a (nested) block comment opened at `start`, if any.
fn skip_block_comment(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < chars.len() {
        if chars[i] == '/' && chars[i + 1] == '*' {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars[i + 1] == '/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i - 1);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Index of the closing quote of a string whose contents start at `from`.
fn skip_string(chars: &[char], from: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// For `r"`, `r#"`, `br"`, …: the number of `#` and the index of the opening quote.
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    // Not the tail of an identifier like `bar"`.
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars[j] == 'b' {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some((hashes, j + hashes))
}

/// Index of the last `#` closing a raw string whose contents start at `from`.
fn skip_raw_string(chars: &[char], from: usize, hashes: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(i + hashes);
        }
        i += 1;
    }
    None
}

/// Skips a char literal (`'a'`, `'\n'`, `'\u{1F600}'`) or a lifetime (`'a`), returning the
/// index of its last character.
fn skip_char_or_lifetime(chars: &[char], start: usize) -> usize {
    if chars.get(start + 1) == Some(&'\\') {
        // Escaped char literal: up to the closing quote.
        let mut i = start + 2;
        while i < chars.len() && chars[i] != '\'' {
            i += 1;
        }
        return i;
    }
    if chars.get(start + 2) == Some(&'\'') {
        return start + 2; // 'x'
    }
    start // a lifetime: the name is read as ordinary characters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incomplete(n: usize) -> IsComplete {
        IsComplete::Incomplete {
            indent: "    ".repeat(n),
        }
    }

    #[test]
    fn brackets_strings_and_comments() {
        assert_eq!(is_complete(""), IsComplete::Complete);
        assert_eq!(is_complete("let v = vec![1, 2"), incomplete(1));
        assert_eq!(is_complete("fn f() { if x { 1 }"), incomplete(1));
        assert_eq!(is_complete("let s = \"}\";"), IsComplete::Complete);
        assert_eq!(is_complete("let s = r#\"a \" ( \"#;"), IsComplete::Complete);
        assert_eq!(
            is_complete("let s = r#\"open"),
            IsComplete::Incomplete {
                indent: String::new()
            }
        );
        assert_eq!(is_complete("let c = '(';"), IsComplete::Complete);
        assert_eq!(is_complete("let c = '\\'';"), IsComplete::Complete);
        assert_eq!(
            is_complete("fn f<'a>(x: &'a str) -> &'a str { x }"),
            IsComplete::Complete
        );
        assert_eq!(is_complete("// (\nlet x = 1;"), IsComplete::Complete);
        assert_eq!(
            is_complete("/* ( /* nested */ still */ 1"),
            IsComplete::Complete
        );
        assert_eq!(
            is_complete("/* open"),
            IsComplete::Incomplete {
                indent: String::new()
            }
        );
        assert_eq!(is_complete("let s = \"a\\\"b\";"), IsComplete::Complete);
        assert_eq!(is_complete("let bar\"x\" = 1;"), IsComplete::Complete);
    }

    #[test]
    fn invalid_code() {
        assert_eq!(is_complete("}"), IsComplete::Invalid);
        assert_eq!(is_complete("let v = (1, 2];"), IsComplete::Invalid);
        assert_eq!(is_complete("let `x` = 1;"), IsComplete::Invalid);
    }
}
