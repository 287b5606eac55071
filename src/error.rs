//! The engine's one error type: every failure a user can cause is a value, never a panic.

use crate::dtype::{DType, UnknownDType};

/// Errors returned by tessera. Each variant is a category; its fields carry what was given and
/// what was expected, and its message says both.
///
/// Errors are `Clone` because an array built from a failed operation keeps its error and hands
/// it out again at every fallible call (see [`Array::check`](crate::Array::check)).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let a = ones([3, 4], [2, 2]);
/// let b = ones([5], [5]);
/// let err = (&a + &b).sum().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "add: operands could not be broadcast together with shapes (3, 4) (5,)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two shapes that had to broadcast (or match) did not.
    #[error(
        "{op}: operands could not be broadcast together with shapes {} {}",
        fmt_shape(.left),
        fmt_shape(.right)
    )]
    ShapeMismatch {
        op: &'static str,
        left: Vec<usize>,
        right: Vec<usize>,
    },

    /// An axis number outside `-ndim..ndim`.
    #[error("{op}: axis {axis} is out of bounds for array of dimension {ndim}")]
    AxisOutOfBounds {
        op: &'static str,
        axis: isize,
        ndim: usize,
    },

    /// An index outside its axis.
    #[error("{op}: index {index} is out of bounds for axis {axis} with size {size}")]
    IndexOutOfBounds {
        op: &'static str,
        index: isize,
        axis: usize,
        size: usize,
    },

    /// A chunk specification that does not fit the shape.
    #[error("invalid chunks: {reason}")]
    InvalidChunks { reason: String },

    /// A new shape with a different number of elements, or otherwise impossible.
    #[error("{op}: cannot {op} array of shape {} into shape {}", fmt_shape(.from), fmt_target(.to))]
    InvalidShape {
        op: &'static str,
        from: Vec<usize>,
        to: Vec<isize>,
    },

    /// An operation that the array's dtype does not support.
    #[error("{op}: not supported for dtype {dtype}{}", hint_suffix(.hint))]
    UnsupportedDType {
        op: &'static str,
        dtype: DType,
        hint: &'static str,
    },

    /// A typed accessor asked for a different element type than the array holds.
    #[error("{op}: array has dtype {actual}, but {expected} was requested")]
    DTypeMismatch {
        op: &'static str,
        expected: DType,
        actual: DType,
    },

    /// A reduction without identity over zero elements (`min`, `max`, `argmin`, `argmax`).
    #[error("{op}: zero-size array to reduction operation {op} which has no identity")]
    EmptyReduction { op: &'static str },

    /// Any other invalid argument: the message says which and why.
    #[error("{op}: {reason}")]
    InvalidArgument { op: &'static str, reason: String },

    /// A user closure (e.g. in `map_blocks`) failed or panicked while computing a chunk.
    #[error("{op} failed on chunk {key}: {reason}")]
    TaskFailed {
        op: &'static str,
        key: String,
        reason: String,
    },

    /// An optimizer rule rewrote a plan node into one of another shape or dtype: a bug in the
    /// rule, reported instead of computing a wrong result.
    #[error("optimizer rule {rule} produced an invalid plan: {reason}")]
    Rule { rule: &'static str, reason: String },

    /// The computation was cancelled before it finished (an interrupt in the kernel).
    #[error("interrupted: the computation was cancelled")]
    Cancelled,

    /// A computation would need more memory than
    /// [`config::memory_budget`](crate::config::memory_budget).
    #[error(
        "compute would need about {} of memory (the result alone is {}), more than the memory \
         budget of {}: compute a reduction or a slice of it, or raise the budget with \
         tessera::config::set_memory_budget",
        crate::units::format_bytes(*.needed as u64),
        crate::units::format_bytes(*.result as u64),
        crate::units::format_bytes(*.budget as u64)
    )]
    MemoryBudget {
        needed: usize,
        result: usize,
        budget: usize,
    },

    /// Reading or writing a file failed.
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },

    /// A cluster could not be reached or could not run the computation (dask.distributed).
    #[error("cluster: {reason}")]
    Cluster { reason: String },
}

/// `Result` with tessera's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Returns early with the given error when the condition does not hold.
macro_rules! ensure {
    ($cond:expr, $err:expr $(,)?) => {
        if !$cond {
            return Err($err);
        }
    };
}
pub(crate) use ensure;

/// Formats a shape as numpy prints it: `(3, 4)`, `(5,)`, `()`.
pub fn fmt_shape(shape: &[usize]) -> String {
    fmt_tuple(shape)
}

/// A reshape target (which may hold a `-1`), printed as a shape is.
fn fmt_target(shape: &[isize]) -> String {
    fmt_tuple(shape)
}

/// Python's tuple syntax for `items`.
fn fmt_tuple<T: std::fmt::Display>(items: &[T]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!(
            "({})",
            items
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn hint_suffix(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!(" ({hint})")
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidArgument`].
    pub(crate) fn invalid(op: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            op,
            reason: reason.into(),
        }
    }
}

/// A dtype name that is none: [`Error::InvalidArgument`] of `dtype`, listing the names.
impl From<UnknownDType> for Error {
    fn from(e: UnknownDType) -> Error {
        Error::invalid("dtype", e.to_string())
    }
}
