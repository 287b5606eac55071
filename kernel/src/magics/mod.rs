//! Magics: a layer between the protocol and the evaluator (as IPython's), so the evaluator
//! knows nothing of them and the protocol layer nothing of Rust. `Magics` wraps any
//! [`Interpreter`] and handles the cells that are magics itself.
//!
//! * cell magics `%%time`, `%%timeit`, `%%memit` on a cell's first line;
//! * line magics `%time`, `%timeit`, `%memit`, `%who`, `%whos`, `%lsmagic`, `%magic` on lines of
//!   their own, among ordinary code (the cell runs in pieces, in order);
//! * help: `name?`, `?name`, `name??` (documentation of Rust items), `%time?` (of a magic).
//!
//! The measuring magics read what the evaluator measured in the process that runs cells
//! ([`Interpreter::last_run`]), so compilation is never counted as run time.

mod catalog;
mod help;
mod memit;
mod parse;
mod time;
mod timeit;
mod who;

use std::sync::Arc;
use std::time::{Duration, Instant};

use self::catalog::Form;
use self::parse::{Cell, Options, Segment};
use crate::interpreter::{
    Completion, ErrorInfo, ExecuteOutcome, Interpreter, Interrupt, IsComplete, KernelInfo,
    MimeBundle, Output, RunStats, StreamName,
};

/// An interpreter with magics in front of it.
pub struct Magics<I> {
    inner: I,
}

impl<I: Interpreter> Magics<I> {
    /// Wraps `inner`.
    pub fn new(inner: I) -> Magics<I> {
        Magics { inner }
    }

    fn cell_magic(
        &mut self,
        name: &str,
        args: &str,
        body: &str,
        output: &dyn Output,
    ) -> ExecuteOutcome {
        let Some(magic) = catalog::find(name, Form::Cell) else {
            return usage_error(&format!("Cell magic `%%{name}` not found."));
        };
        let options = match options(name, args) {
            Ok(options) => options,
            Err(e) => return usage_error(&e),
        };
        if body.trim().is_empty() {
            return usage_error(&format!(
                "%%{name} needs a cell body to run ({})",
                magic.usage.replace('\n', " ")
            ));
        }
        match name {
            "time" if !args.is_empty() => {
                usage_error("Can't use statement directly after '%%time'!")
            }
            "time" => time::run(&mut self.inner, body, output),
            "timeit" => timeit::run(&mut self.inner, &options, options.rest, body, 2, output),
            _ if !options.rest.is_empty() => usage_error(&format!(
                "unexpected `{}` after %%{name}'s options",
                options.rest
            )),
            _ => memit::run(&mut self.inner, &options, body, output),
        }
    }

    fn line_magic(&mut self, name: &str, args: &str, output: &dyn Output) -> ExecuteOutcome {
        let Some(magic) = catalog::find(name, Form::Line) else {
            return usage_error(&format!("Line magic function `%{name}` not found."));
        };
        let text = |text: String| {
            output.stream(StreamName::Stdout, &text);
            ExecuteOutcome::Ok { result: None }
        };
        let options = match options(name, args) {
            Ok(options) => options,
            Err(e) => return usage_error(&e),
        };
        let needs_statement = matches!(name, "time" | "timeit" | "memit");
        if needs_statement && options.rest.is_empty() {
            return usage_error(&format!(
                "%{name} needs a statement to run ({})",
                magic.usage
            ));
        }
        match name {
            "time" => time::run(&mut self.inner, args, output),
            "timeit" => timeit::run(&mut self.inner, &options, "", options.rest, 1, output),
            "memit" => memit::run(&mut self.inner, &options, options.rest, output),
            "who" => text(who::who(&self.inner.variables())),
            "whos" => text(who::whos(&self.inner.variables())),
            "lsmagic" => text(catalog::lsmagic()),
            _ => text(catalog::overview()),
        }
    }

    fn segments(&mut self, segments: Vec<Segment<'_>>, output: &dyn Output) -> ExecuteOutcome {
        let mut outcome = ExecuteOutcome::Ok { result: None };
        for segment in segments {
            outcome = match segment {
                Segment::Code(code) => self.inner.execute(code, output),
                Segment::LineMagic { name, args } => self.line_magic(name, args, output),
            };
            if matches!(outcome, ExecuteOutcome::Error(_)) {
                break;
            }
        }
        outcome
    }
}

/// The options of magic `name` at the start of `args` (only `timeit` and `memit` have any).
fn options<'a>(name: &str, args: &'a str) -> Result<Options<'a>, String> {
    match name {
        "timeit" => Options::parse(args, "n:r:p:"),
        "memit" => Options::parse(args, "r:i:"),
        _ => Ok(Options::none(args)),
    }
}

/// An execute with what it took: its outcome, its time from start to end (compilation
/// included) and what the cell process measured over the run itself.
struct Measured {
    outcome: ExecuteOutcome,
    elapsed: Duration,
    run: Option<RunStats>,
}

fn measured(inner: &mut impl Interpreter, code: &str, output: &dyn Output) -> Measured {
    let start = Instant::now();
    let outcome = inner.execute(code, output);
    Measured {
        outcome,
        elapsed: start.elapsed(),
        run: inner.last_run(),
    }
}

/// IPython's `UsageError`, with the magics there are.
fn usage_error(message: &str) -> ExecuteOutcome {
    let available = catalog::lsmagic();
    let mut traceback = vec![
        format!("\x1b[1;31mUsageError\x1b[0m: {message}"),
        String::new(),
    ];
    traceback.extend(available.lines().map(String::from));
    ExecuteOutcome::Error(ErrorInfo {
        ename: "UsageError".into(),
        evalue: message.into(),
        traceback,
    })
}

/// `%time?`, `?%%memit`: the magic whose help a cell asks for.
fn magic_help_target(code: &str) -> Option<&'static catalog::MagicInfo> {
    let code = code.trim();
    let name = code
        .strip_suffix("??")
        .or_else(|| code.strip_suffix('?'))
        .or_else(|| code.strip_prefix('?'))?;
    match name.strip_prefix("%%") {
        Some(cell) => catalog::find(cell, Form::Cell),
        None => catalog::find(name.strip_prefix('%')?, Form::Line),
    }
}

impl<I: Interpreter> Interpreter for Magics<I> {
    fn kernel_info(&self) -> KernelInfo {
        self.inner.kernel_info()
    }

    fn execute(&mut self, code: &str, output: &dyn Output) -> ExecuteOutcome {
        if let Some(magic) = magic_help_target(code) {
            let mut page = MimeBundle::new();
            page.insert("text/plain".into(), catalog::help(magic).into());
            output.page(page);
            return ExecuteOutcome::Ok { result: None };
        }
        if let Some(name) = help::target(code) {
            return help::run(&mut self.inner, name, output);
        }
        if !parse::has_magic(code) {
            return self.inner.execute(code, output);
        }
        match parse::parse(code) {
            Cell::CellMagic { name, args, body } => self.cell_magic(name, args, body, output),
            Cell::Segments(segments) => self.segments(segments, output),
        }
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        let before: String = code.chars().take(cursor_pos).collect();
        let line = before.rsplit('\n').next().unwrap_or("");
        if line.starts_with('%') && !line.contains(char::is_whitespace) {
            let cursor_start = cursor_pos - line.chars().count();
            return Completion {
                matches: catalog::completions(line),
                cursor_start,
                cursor_end: cursor_pos,
            };
        }
        self.inner.complete(&parse::mask(code), cursor_pos)
    }

    fn inspect(&mut self, code: &str, cursor_pos: usize, detail_level: u8) -> Option<MimeBundle> {
        self.inner
            .inspect(&parse::mask(code), cursor_pos, detail_level)
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        if help::target(code).is_some() || magic_help_target(code).is_some() {
            return IsComplete::Complete;
        }
        match parse::parse(code) {
            Cell::CellMagic { body, .. } if body.trim().is_empty() => IsComplete::Incomplete {
                indent: String::new(),
            },
            _ if parse::has_magic(code) => self.inner.is_complete(&parse::mask(code)),
            _ => self.inner.is_complete(code),
        }
    }

    fn interrupter(&self) -> Arc<dyn Interrupt> {
        self.inner.interrupter()
    }

    fn shutdown(&mut self, restart: bool) {
        self.inner.shutdown(restart)
    }

    fn last_run(&self) -> Option<RunStats> {
        self.inner.last_run()
    }

    fn variables(&self) -> Vec<(String, String)> {
        self.inner.variables()
    }
}
