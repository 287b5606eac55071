//! `%time` and `%%time`: IPython's
//! `CPU times: user 3.86 s, sys: 664 ms, total: 4.52 s` / `Wall time: 4.52 s` for the run of a
//! cell, and `Compiler : 1.2 s` when compiling it took over 0.1 s.

use std::time::Duration;

use tessera::profile::format_time;

use super::{measured, Measured};
use crate::interpreter::{ExecuteOutcome, Interpreter, Output, RunStats, StreamName};

/// Compile times at or under this are not reported (IPython's `tc_min`).
pub(super) const COMPILER_SHOWN_OVER: Duration = Duration::from_millis(100);

/// Runs `code`, then prints its times (when it ran) before its result or error.
pub(super) fn run(inner: &mut impl Interpreter, code: &str, output: &dyn Output) -> ExecuteOutcome {
    let Measured {
        outcome,
        elapsed,
        run,
    } = measured(inner, code, output);
    if let Some(run) = run {
        output.stream(StreamName::Stdout, &report(&run, elapsed));
    }
    outcome
}

/// The lines `%time` prints for a run measured as `run`, within an execute that took `elapsed`.
pub(super) fn report(run: &RunStats, elapsed: Duration) -> String {
    let time = |d: Duration| format_time(d, 3);
    let mut text = format!(
        "CPU times: user {}, sys: {}, total: {}\nWall time: {}\n",
        time(run.user),
        time(run.sys),
        time(run.user + run.sys),
        time(run.wall)
    );
    let compile = elapsed.saturating_sub(run.wall);
    if compile > COMPILER_SHOWN_OVER {
        text.push_str(&format!("Compiler : {}\n", time(compile)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipython_lines() {
        let run = RunStats {
            wall: Duration::from_millis(4520),
            user: Duration::from_millis(3860),
            sys: Duration::from_millis(664),
            ..RunStats::default()
        };
        assert_eq!(
            report(&run, Duration::from_millis(4600)),
            "CPU times: user 3.86 s, sys: 664 ms, total: 4.52 s\nWall time: 4.52 s\n"
        );
        let quick = RunStats {
            wall: Duration::from_micros(1500),
            ..RunStats::default()
        };
        assert_eq!(
            report(&quick, Duration::from_millis(1201)),
            "CPU times: user 0 ns, sys: 0 ns, total: 0 ns\nWall time: 1.5 ms\nCompiler : 1.2 s\n"
        );
    }
}
