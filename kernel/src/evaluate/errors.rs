//! evcxr errors as Jupyter tracebacks: compiler errors rustc-style, pointing at the line and
//! columns of the cell.

use crate::interpreter::ErrorInfo;

const RED: &str = "\x1b[1;31m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

/// Turns an evcxr error on `code` into an error to publish.
pub(crate) fn error_info(error: &evcxr::Error, code: &str) -> ErrorInfo {
    match error {
        evcxr::Error::CompilationErrors(errors) => {
            let mut traceback = Vec::new();
            for e in errors {
                traceback.extend(compile_error_lines(e, code));
            }
            let first = errors.first().map(|e| e.message()).unwrap_or_default();
            ErrorInfo {
                ename: "CompileError".into(),
                evalue: first,
                traceback,
            }
        }
        evcxr::Error::SubprocessTerminated(why) => ErrorInfo {
            ename: "ProcessRestarted".into(),
            evalue: format!("{why}; the Rust process was restarted and variables were lost"),
            traceback: vec![
                format!("{RED}The process running cells stopped{RESET}: {why}"),
                "All variables were lost.".into(),
            ],
        },
        other => {
            let text = other.to_string();
            ErrorInfo {
                ename: "Error".into(),
                evalue: text.clone(),
                traceback: text.lines().map(String::from).collect(),
            }
        }
    }
}

/// A panic report from the cell process (`tessera::display::install_kernel_panic_hook`).
pub(crate) fn panic_info(report: &serde_json::Value) -> ErrorInfo {
    let message = report["message"].as_str().unwrap_or("panic").to_string();
    let location = report["location"].as_str().unwrap_or("");
    // evcxr compiles each cell into src/lib.rs of a generated crate: that file is the cell.
    let place = if location.is_empty() || location.starts_with("src/lib.rs") {
        "in this cell".to_string()
    } else {
        format!("at {location}")
    };
    ErrorInfo {
        ename: "Panic".into(),
        evalue: message.clone(),
        traceback: vec![
            format!("{RED}panicked{RESET} {place}:"),
            message,
            "Variables defined in this cell were dropped; earlier ones are kept.".into(),
        ],
    }
}

/// An `Err` that the cell's `?` returned; evcxr printed its message to stderr.
pub(crate) fn returned_error(message: &str) -> ErrorInfo {
    let message = if message.is_empty() {
        "the cell returned an error"
    } else {
        message
    };
    ErrorInfo {
        ename: "Error".into(),
        evalue: message.to_string(),
        traceback: vec![format!("{RED}Error{RESET}: {message}")],
    }
}

/// rustc's layout: `error[E0308]: …`, ` --> line L, column C`, the cell's line, carets and label.
fn compile_error_lines(error: &evcxr::CompilationError, code: &str) -> Vec<String> {
    let level = error.level();
    let head = match error.code() {
        Some(code) => format!("{level}[{code}]"),
        None => level.to_string(),
    };
    let mut lines = vec![format!("{RED}{head}{RESET}: {}", error.message())];
    for spanned in error.spanned_messages() {
        let Some(span) = &spanned.span else {
            if !spanned.label.is_empty() {
                lines.push(format!("  = {}", spanned.label));
            }
            continue;
        };
        let source = code
            .lines()
            .nth(span.start_line.saturating_sub(1))
            .unwrap_or("");
        let number = span.start_line.to_string();
        let gutter = " ".repeat(number.len());
        lines.push(format!(
            "{gutter}{BLUE}-->{RESET} line {}, column {}",
            span.start_line, span.start_column
        ));
        lines.push(format!("{gutter} {BLUE}|{RESET}"));
        lines.push(format!("{BLUE}{number} |{RESET} {source}"));
        let width = if span.end_line == span.start_line {
            span.end_column.saturating_sub(span.start_column).max(1)
        } else {
            1
        };
        let carets = format!(
            "{}{}",
            " ".repeat(span.start_column.saturating_sub(1)),
            "^".repeat(width)
        );
        lines.push(format!(
            "{gutter} {BLUE}|{RESET} {RED}{carets} {}{RESET}",
            spanned.label
        ));
    }
    for help in error.help() {
        lines.push(format!("  = help: {help}"));
    }
    if let Some(hint) = error.evcxr_extra_hint() {
        lines.push(format!("  = note: {hint}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_in_cells_and_in_libraries() {
        let cell =
            panic_info(&serde_json::json!({"message": "boom", "location": "src/lib.rs:99:1"}));
        assert_eq!(
            (cell.ename.as_str(), cell.evalue.as_str()),
            ("Panic", "boom")
        );
        assert!(cell.traceback[0].ends_with("in this cell:"));
        let lib = panic_info(
            &serde_json::json!({"message": "index out of bounds", "location": "/src/tessera/src/data.rs:5:9"}),
        );
        assert!(lib.traceback[0].ends_with("at /src/tessera/src/data.rs:5:9:"));
        assert_eq!(returned_error("").evalue, "the cell returned an error");
    }
}
