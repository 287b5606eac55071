//! `%timeit` for Rust: runs a closure in loops as IPython's `timeit` magic does and reports
//! `1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)`.
//!
//! The kernel's `%timeit` magic compiles the timed code into a closure and calls [`timeit`]
//! in the process that runs cells, so a loop costs a function call, not a compile.

use std::fmt;
use std::time::{Duration, Instant};

use super::format::{format_seconds, with_commas};

/// How to time: loops per run (`0` = choose as IPython does), runs, digits shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeit {
    /// Calls per run (`-n`); `0` picks the first power of ten whose run takes at least 0.2 s.
    pub number: u64,
    /// Runs (`-r`), 7 by default.
    pub repeat: u32,
    /// Significant digits of the times (`-p`), 3 by default.
    pub precision: usize,
}

impl Default for Timeit {
    fn default() -> Timeit {
        Timeit {
            number: 0,
            repeat: 7,
            precision: 3,
        }
    }
}

/// The outcome of [`timeit`]: the duration of every run and how many loops each made.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeitResult {
    /// Calls per run.
    pub loops: u64,
    /// Each run's total time, in seconds.
    pub all_runs: Vec<f64>,
    /// Significant digits shown.
    pub precision: usize,
}

impl TimeitResult {
    /// Mean time of one call, in seconds.
    pub fn average(&self) -> f64 {
        self.all_runs.iter().sum::<f64>() / self.all_runs.len() as f64 / self.loops as f64
    }

    /// Population standard deviation of one call's time over the runs, in seconds.
    pub fn stdev(&self) -> f64 {
        let mean = self.average();
        let per_loop = self.all_runs.iter().map(|run| run / self.loops as f64);
        (per_loop.map(|t| (t - mean).powi(2)).sum::<f64>() / self.all_runs.len() as f64).sqrt()
    }

    /// Fastest call, in seconds.
    pub fn best(&self) -> f64 {
        self.all_runs.iter().cloned().fold(f64::INFINITY, f64::min) / self.loops as f64
    }

    /// Slowest call, in seconds.
    pub fn worst(&self) -> f64 {
        self.all_runs.iter().cloned().fold(0.0, f64::max) / self.loops as f64
    }

    /// IPython's warning when the slowest run took over 4× the fastest, else `None`.
    pub fn warning(&self) -> Option<String> {
        let (best, worst) = (self.best(), self.worst());
        (worst > 4.0 * best && best > 0.0 && worst > 1e-6).then(|| {
            format!(
                "The slowest run took {:.2} times longer than the fastest. \
                 This could mean that an intermediate result is being cached.",
                worst / best
            )
        })
    }
}

impl fmt::Display for TimeitResult {
    /// `mean ± std per loop (mean ± std. dev. of R runs, N loops each)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let runs = self.all_runs.len();
        write!(
            f,
            "{} ± {} per loop (mean ± std. dev. of {runs} run{}, {} loop{} each)",
            format_seconds(self.average(), self.precision),
            format_seconds(self.stdev(), self.precision),
            if runs == 1 { "" } else { "s" },
            with_commas(self.loops),
            if self.loops == 1 { "" } else { "s" },
        )
    }
}

/// Times `body`: chooses the loop count unless `options.number` gives it, makes
/// `options.repeat` runs, and prints IPython's lines (the slow-run warning when it applies,
/// then the result). An error from `body` stops the timing and is returned.
///
/// # Examples
///
/// ```
/// use tessera::profile::{timeit, Timeit};
/// let v: Vec<f64> = (0..1000).map(f64::from).collect();
/// let options = Timeit { number: 100, repeat: 3, precision: 3 };
/// let result = timeit(options, || -> Result<(), std::convert::Infallible> {
///     std::hint::black_box(v.iter().sum::<f64>());
///     Ok(())
/// })?;
/// assert_eq!((result.loops, result.all_runs.len()), (100, 3));
/// assert!(result.to_string().ends_with("per loop (mean ± std. dev. of 3 runs, 100 loops each)"));
/// # Ok::<(), std::convert::Infallible>(())
/// ```
pub fn timeit<E>(
    options: Timeit,
    mut body: impl FnMut() -> Result<(), E>,
) -> Result<TimeitResult, E> {
    let mut run = |loops: u64| -> Result<f64, E> {
        let start = Instant::now();
        for _ in 0..loops {
            body()?;
        }
        Ok(start.elapsed().as_secs_f64())
    };
    let loops = match options.number {
        0 => autorange(&mut run)?,
        n => n,
    };
    let all_runs = (0..options.repeat.max(1))
        .map(|_| run(loops))
        .collect::<Result<Vec<_>, E>>()?;
    let result = TimeitResult {
        loops,
        all_runs,
        precision: options.precision,
    };
    if let Some(warning) = result.warning() {
        println!("{warning}");
    }
    println!("{result}");
    Ok(result)
}

/// IPython's choice of loops: 1, 10, 100, … until one run takes at least 0.2 s (at most 10^9).
fn autorange<E>(run: &mut impl FnMut(u64) -> Result<f64, E>) -> Result<u64, E> {
    const ENOUGH: Duration = Duration::from_millis(200);
    let mut loops = 1;
    for _ in 0..10 {
        if run(loops)? >= ENOUGH.as_secs_f64() {
            break;
        }
        loops *= 10;
    }
    Ok(loops.min(1_000_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(loops: u64, runs: &[f64]) -> TimeitResult {
        TimeitResult {
            loops,
            all_runs: runs.to_vec(),
            precision: 3,
        }
    }

    #[test]
    fn statistics_per_loop() {
        let r = result(1000, &[1.0, 2.0, 3.0]);
        assert!((r.average() - 0.002).abs() < 1e-15);
        assert!((r.stdev() - (2.0f64 / 3.0).sqrt() / 1000.0).abs() < 1e-15);
        assert_eq!((r.best(), r.worst()), (0.001, 0.003));
    }

    #[test]
    fn ipython_text() {
        let r = result(1000, &[1.2, 1.3]);
        assert_eq!(
            r.to_string(),
            "1.25 ms ± 50 µs per loop (mean ± std. dev. of 2 runs, 1,000 loops each)"
        );
        let single = result(1, &[0.5]);
        assert_eq!(
            single.to_string(),
            "500 ms ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)"
        );
    }

    #[test]
    fn slow_run_warning() {
        assert_eq!(
            result(1, &[1.0, 5.0]).warning().unwrap(),
            "The slowest run took 5.00 times longer than the fastest. \
             This could mean that an intermediate result is being cached."
        );
        assert_eq!(result(1, &[1.0, 3.0]).warning(), None);
        assert_eq!(
            result(1, &[1e-8, 1e-7]).warning(),
            None,
            "below a microsecond IPython does not warn"
        );
    }

    #[test]
    fn loops_grow_by_ten_until_a_fifth_of_a_second() {
        let mut asked = Vec::new();
        let mut fake = |loops: u64| -> Result<f64, ()> {
            asked.push(loops);
            Ok(loops as f64 * 0.003)
        };
        assert_eq!(autorange(&mut fake), Ok(100));
        assert_eq!(asked, [1, 10, 100]);
    }

    #[test]
    fn errors_stop_the_timing() {
        let mut calls = 0;
        let out = timeit(
            Timeit {
                number: 5,
                repeat: 3,
                precision: 3,
            },
            || {
                calls += 1;
                if calls == 7 {
                    Err("boom")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(out, Err("boom"));
        assert_eq!(calls, 7);
    }
}
