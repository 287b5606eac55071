//! Finding magics in a cell: a cell magic (`%%time` on the first line, the rest is its body)
//! or line magics (`%time stmt` lines among ordinary code), and their `-x value` options.

/// A cell cut into what runs in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cell<'a> {
    /// `%%name args` on the first line, then the body.
    CellMagic {
        name: &'a str,
        args: &'a str,
        body: &'a str,
    },
    /// Ordinary code and line magics, in order. A cell without magics is one `Code`.
    Segments(Vec<Segment<'a>>),
}

/// A piece of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment<'a> {
    /// Lines of ordinary code.
    Code(&'a str),
    /// `%name args` on a line of its own.
    LineMagic { name: &'a str, args: &'a str },
}

/// Splits `code` into magics and code. A magic is `%` (or `%%` on the first line) followed by
/// a name at the start of a line; Rust never starts a statement with `%`.
pub(super) fn parse(code: &str) -> Cell<'_> {
    let trimmed = code.trim_start();
    if let Some(rest) = trimmed.strip_prefix("%%") {
        let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
        let (name, args) = name_and_args(line);
        return Cell::CellMagic { name, args, body };
    }
    let mut segments = Vec::new();
    let mut code_start = 0;
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        if let Some(magic) = magic_line(line) {
            push_code(&mut segments, &code[code_start..offset]);
            segments.push(magic);
            code_start = offset + line.len();
        }
        offset += line.len();
    }
    push_code(&mut segments, &code[code_start..]);
    Cell::Segments(segments)
}

/// Whether `code` has any magic (then the magics layer runs it; else the evaluator does).
pub(super) fn has_magic(code: &str) -> bool {
    !matches!(parse(code), Cell::Segments(ref s) if s.iter().all(|s| matches!(s, Segment::Code(_))))
}

fn push_code<'a>(segments: &mut Vec<Segment<'a>>, code: &'a str) {
    if !code.trim().is_empty() {
        segments.push(Segment::Code(code));
    }
}

fn magic_line(line: &str) -> Option<Segment<'_>> {
    let rest = line.trim_start().strip_prefix('%')?;
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let (name, args) = name_and_args(rest.trim_end_matches(['\n', '\r']));
    Some(Segment::LineMagic { name, args })
}

fn name_and_args(line: &str) -> (&str, &str) {
    let end = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    (&line[..end], line[end..].trim())
}

/// Options given before a magic's statement, such as `-n 10 -r 3` in `%timeit -n 10 -r 3 f()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Options<'a> {
    values: Vec<(char, &'a str)>,
    /// What follows the options: the statement (or the setup line of a cell magic).
    pub rest: &'a str,
}

impl<'a> Options<'a> {
    /// No options: all of `args` is the statement.
    pub fn none(args: &'a str) -> Options<'a> {
        Options {
            values: Vec::new(),
            rest: args,
        }
    }

    /// Reads options allowed by `spec` (getopt style: `"n:r:p:"`, every letter takes a value)
    /// from the start of `args`, as `-n 10` or `-n10`; the first word that is not an option
    /// ends them.
    ///
    /// **Errors**: an option not in `spec`, or one without its value (IPython's words).
    pub fn parse(args: &'a str, spec: &str) -> Result<Options<'a>, String> {
        let mut values = Vec::new();
        let mut rest = args.trim_start();
        while let Some(after_dash) = rest.strip_prefix('-') {
            let Some(letter) = after_dash
                .chars()
                .next()
                .filter(|c| c.is_ascii_alphabetic())
            else {
                break;
            };
            if !spec.contains(letter) {
                return Err(format!(
                    "option -{letter} not recognized ( allowed: \"{spec}\" )"
                ));
            }
            let after_letter = &after_dash[1..];
            let (value, remaining) =
                if after_letter.starts_with(char::is_whitespace) || after_letter.is_empty() {
                    split_word(after_letter.trim_start())
                } else {
                    split_word(after_letter)
                };
            if value.is_empty() {
                return Err(format!("option -{letter} requires argument"));
            }
            values.push((letter, value));
            rest = remaining.trim_start();
        }
        Ok(Options { values, rest })
    }

    /// The value of `-letter` parsed as `T`, `default` when absent.
    ///
    /// **Errors**: the value is not a `T` or not above zero.
    pub fn get<T: std::str::FromStr + PartialOrd + Default>(
        &self,
        letter: char,
        default: T,
    ) -> Result<T, String> {
        match self.values.iter().rev().find(|(l, _)| *l == letter) {
            None => Ok(default),
            Some((_, text)) => match text.parse::<T>() {
                Ok(value) if value > T::default() => Ok(value),
                _ => Err(format!(
                    "option -{letter} needs a number above zero, not `{text}`"
                )),
            },
        }
    }
}

fn split_word(text: &str) -> (&str, &str) {
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// `code` with every magic name and its options replaced by spaces, so rust-analyzer sees only
/// Rust and every position keeps its place (for completion and hover).
pub(super) fn mask(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for (number, line) in code.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        let is_cell_magic = number == 0 && trimmed.starts_with("%%");
        if is_cell_magic || magic_line(line).is_some() {
            let rest = trimmed.trim_start_matches('%');
            let (_, args) = name_and_args(rest);
            let statement = Options::parse(args, "abcdefghijklmnopqrstuvwxyz")
                .map(|o| o.rest)
                .unwrap_or(args);
            // The statement ends the line (before its line ending).
            let keep_from = line.trim_end().len() - statement.len();
            out.extend(
                line[..keep_from]
                    .chars()
                    .map(|c| if c == '\n' { c } else { ' ' }),
            );
            out.push_str(&line[keep_from..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_magics_take_the_first_line() {
        assert_eq!(
            parse("%%time\nlet x = 1;\nx"),
            Cell::CellMagic {
                name: "time",
                args: "",
                body: "let x = 1;\nx"
            }
        );
        assert_eq!(
            parse("%%timeit -n 3 let v = 1;\nv + 1"),
            Cell::CellMagic {
                name: "timeit",
                args: "-n 3 let v = 1;",
                body: "v + 1"
            }
        );
        assert_eq!(
            parse("%%memit"),
            Cell::CellMagic {
                name: "memit",
                args: "",
                body: ""
            }
        );
    }

    #[test]
    fn line_magics_split_the_code_around_them() {
        let cell = parse("let a = 1;\n%time let b = a + 1;\nb * 2\n");
        assert_eq!(
            cell,
            Cell::Segments(vec![
                Segment::Code("let a = 1;\n"),
                Segment::LineMagic {
                    name: "time",
                    args: "let b = a + 1;"
                },
                Segment::Code("b * 2\n"),
            ])
        );
        assert_eq!(
            parse("%who"),
            Cell::Segments(vec![Segment::LineMagic {
                name: "who",
                args: ""
            }])
        );
        assert!(!has_magic("let x = 10 % 3;\nx\n  % 2"));
        assert!(has_magic("%lsmagic"));
    }

    #[test]
    fn options_then_statement() {
        let o = Options::parse("-n 10 -r3 x.sum()?", "n:r:p:").unwrap();
        assert_eq!(o.rest, "x.sum()?");
        assert_eq!(o.get::<u64>('n', 0), Ok(10));
        assert_eq!(o.get::<u32>('r', 7), Ok(3));
        assert_eq!(o.get::<usize>('p', 3), Ok(3));
        assert_eq!(
            Options::parse("-x 1 f()", "n:r:p:").unwrap_err(),
            "option -x not recognized ( allowed: \"n:r:p:\" )"
        );
        assert_eq!(
            Options::parse("-n", "n:").unwrap_err(),
            "option -n requires argument"
        );
        assert!(Options::parse("-n ten f()", "n:")
            .unwrap()
            .get::<u64>('n', 0)
            .unwrap_err()
            .contains("`ten`"));
        assert_eq!(
            Options::parse("-1.0 * x", "n:").unwrap().rest,
            "-1.0 * x",
            "a negative number is not an option"
        );
    }

    #[test]
    fn masking_keeps_positions() {
        let code = "%%timeit -n 5\nx.su";
        let masked = mask(code);
        assert_eq!(masked.len(), code.len());
        assert_eq!(masked, "             \nx.su");
        assert_eq!(mask("%time x.su\n"), "      x.su\n");
        assert_eq!(
            mask("let a = 1;\n%timeit -r 2 a.ab"),
            "let a = 1;\n             a.ab"
        );
    }
}
