//! Measuring code: IPython's time formats, a `timeit` for closures, and the process's CPU time
//! and resident memory (used by the kernel's `%time`, `%timeit` and `%memit` magics and by the
//! resource profiler, and usable from any program).

mod format;
mod process;
mod timeit;

pub use format::{format_g, format_mib, format_seconds, format_time};
pub use process::{cpu_times, peak_resident_bytes, reset_peak_resident, resident_bytes};
pub use timeit::{timeit, Timeit, TimeitResult};
