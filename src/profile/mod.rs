//! Measuring code: IPython's time formats and a `timeit` for closures (used by the kernel's
//! `%time`, `%timeit` and `%memit` magics, and usable from any program).

mod format;
mod timeit;

pub use format::{format_g, format_mib, format_seconds, format_time};
pub use timeit::{timeit, Timeit, TimeitResult};
