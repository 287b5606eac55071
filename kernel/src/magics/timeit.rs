//! `%timeit` and `%%timeit`: the timed code is compiled once, as a closure handed to
//! [`tessera::profile::timeit`] in the process that runs cells, which loops it and prints
//! IPython's `mean ± std per loop (…)` line. Compiling costs more than most timed statements,
//! so timing through repeated cells would measure the compiler.

use tessera::profile::Timeit;

use super::parse::Options;
use super::{measured, usage_error, Measured};
use crate::interpreter::{ExecuteOutcome, Interpreter, Output, StreamName};

/// Times `body` after running `setup` once (both from the cell; `setup` may be empty).
/// `body_line` is the line of the cell `body` starts on (1 for `%timeit`, 2 for `%%timeit`),
/// so compile errors point at the user's lines.
pub(super) fn run(
    inner: &mut impl Interpreter,
    options: &Options<'_>,
    setup: &str,
    body: &str,
    body_line: usize,
    output: &dyn Output,
) -> ExecuteOutcome {
    let timing = match read_options(options) {
        Ok(timing) => timing,
        Err(e) => return usage_error(&e),
    };
    let Measured {
        outcome,
        elapsed,
        run,
    } = measured(inner, &code(timing, setup, body, body_line), output);
    if let Some(run) = run {
        let compile = elapsed.saturating_sub(run.wall);
        if compile > super::time::COMPILER_SHOWN_OVER {
            output.stream(
                StreamName::Stdout,
                &format!("Compiler time: {:.2} s\n", compile.as_secs_f64()),
            );
        }
    }
    outcome
}

fn read_options(options: &Options<'_>) -> Result<Timeit, String> {
    let defaults = Timeit::default();
    Ok(Timeit {
        number: options.get('n', defaults.number)?,
        repeat: options.get('r', defaults.repeat)?,
        precision: options.get('p', defaults.precision)?,
    })
}

/// The Rust that times `body`: a block (so nothing it defines is kept) running `setup`, then
/// [`tessera::profile::timeit`] over a closure whose value is kept from being optimized away.
/// `?` works inside it; an error stops the timing and becomes the cell's error.
fn code(timing: Timeit, setup: &str, body: &str, body_line: usize) -> String {
    let Timeit {
        number,
        repeat,
        precision,
    } = timing;
    let setup = if setup.trim().is_empty() {
        String::new()
    } else {
        format!("{setup};")
    };
    let head = format!(
        "{{ {setup} ::tessera::profile::timeit(::tessera::profile::Timeit {{ number: {number}, repeat: {repeat}, precision: {precision} }}, \
         || -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> {{ let _ = ::std::hint::black_box({{"
    );
    let separator = if body_line > 1 { "\n" } else { " " };
    // The final `;` keeps evcxr from showing the block's `()` as the cell's value.
    format!("{head}{separator}{body}\n}}); Ok(()) }})?; }};")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_code_keeps_the_body_on_its_line() {
        let timing = Timeit {
            number: 0,
            repeat: 7,
            precision: 3,
        };
        let line = code(timing, "", "x.sum()?", 1);
        assert_eq!(
            line.lines().next().unwrap().matches("x.sum()?").count(),
            1,
            "{line}"
        );
        let cell = code(timing, "let v = 1", "let w = v + 1;\nw", 2);
        let lines: Vec<&str> = cell.lines().collect();
        assert!(lines[0].starts_with("{ let v = 1; ::tessera::profile::timeit(::tessera::profile::Timeit { number: 0, repeat: 7, precision: 3 }"), "{cell}");
        assert_eq!(&lines[1..3], ["let w = v + 1;", "w"]);
        assert_eq!(lines[3], "}); Ok(()) })?; };");
    }

    #[test]
    fn options() {
        let parsed = Options::parse("-n 100 -r 3 -p 4 f()", "n:r:p:").unwrap();
        assert_eq!(
            read_options(&parsed),
            Ok(Timeit {
                number: 100,
                repeat: 3,
                precision: 4
            })
        );
        assert_eq!(
            read_options(&Options::parse("f()", "n:r:p:").unwrap()),
            Ok(Timeit::default())
        );
        assert!(read_options(&Options::parse("-r 0 f()", "n:r:p:").unwrap()).is_err());
    }
}
