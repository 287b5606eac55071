//! `name?`, `?name`, `name??`: documentation in the pager, as IPython's.

use crate::interpreter::{ExecuteOutcome, Interpreter, Output, StreamName};

/// The name a help cell asks about, if `code` is one: a single path such as `Vec`,
/// `Vec::new` or `y.mean_axis`, with `?` or `??` before or after it.
pub(super) fn target(code: &str) -> Option<&str> {
    let code = code.trim();
    let name = code
        .strip_suffix("??")
        .or_else(|| code.strip_suffix('?'))
        .or_else(|| code.strip_prefix("??"))
        .or_else(|| code.strip_prefix('?'))?;
    let is_path = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '.');
    is_path.then_some(name)
}

/// Pages the documentation of `name`, or says it was not found (IPython's words).
pub(super) fn run(inner: &mut impl Interpreter, name: &str, output: &dyn Output) -> ExecuteOutcome {
    match inner.inspect(name, name.chars().count(), 0) {
        Some(data) => output.page(data),
        None => output.stream(StreamName::Stdout, &format!("Object `{name}` not found.\n")),
    }
    ExecuteOutcome::Ok { result: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_cells() {
        assert_eq!(target("Vec?"), Some("Vec"));
        assert_eq!(target("  ?Vec::new "), Some("Vec::new"));
        assert_eq!(target("y.mean_axis??"), Some("y.mean_axis"));
        assert_eq!(target("let x = 1?"), None);
        assert_eq!(target("?"), None);
        assert_eq!(target("x?;"), None);
        assert_eq!(target("f(x)?"), None);
    }
}
