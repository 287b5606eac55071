//! Cells ending in a plain value (`y.shape()`, `x.sum()?.compute()?.to_scalar::<f64>()?`) shown
//! on the first compile.
//!
//! evcxr compiles a cell's last expression as `(expr).evcxr_display()` and, when the type has no
//! such method, compiles the whole cell a second time printing `{:?}` instead — 100–300 ms per
//! cell. [`DebugText`] gives the common value types that method, printing exactly what evcxr's
//! second compile would. It is implemented for chosen types, not for every `Debug` type: a
//! blanket impl would clash with display traits of other crates (evcxr_image's `ImageDisplay`)
//! and lose their rich output. Types with an inherent `evcxr_display` (`Array`, `Client`, …)
//! keep it: inherent methods win.

use std::fmt::Debug;

/// `evcxr_display` for plain values: their `{:?}` as `text/plain` (see the module docs).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let y = ones([4, 6], [2, 3]);
/// y.shape().evcxr_display();   // EVCXR_BEGIN_CONTENT text/plain / [4, 6] / EVCXR_END_CONTENT
/// ```
pub trait DebugText {
    /// Writes `{:?}` of the value in evcxr's content markers on stdout.
    fn evcxr_display(&self);
}

fn show(value: &dyn Debug) {
    super::evcxr_content(&super::MimeBundle::new().with("text/plain", format!("{value:?}")));
}

macro_rules! debug_text {
    ($($t:ty),* $(,)?) => {
        $(impl DebugText for $t {
            fn evcxr_display(&self) {
                show(&self)
            }
        })*
    };
}

debug_text!(
    bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, str,
    String
);
debug_text!(
    crate::dtype::DType,
    crate::dtype::Scalar,
    crate::data::Computed,
    crate::client::Status,
    crate::chunks::Chunks
);

/// A cell ending in a statement-like expression (`println!(..)`) shows nothing, as in IPython.
impl DebugText for () {
    fn evcxr_display(&self) {}
}

impl<T: Debug> DebugText for [T] {
    fn evcxr_display(&self) {
        show(&self)
    }
}

impl<T: Debug> DebugText for Vec<T> {
    fn evcxr_display(&self) {
        show(&self)
    }
}

impl<T: Debug> DebugText for Option<T> {
    fn evcxr_display(&self) {
        show(&self)
    }
}

impl<T: Debug, const N: usize> DebugText for [T; N] {
    fn evcxr_display(&self) {
        show(&self)
    }
}

impl<A: Debug, B: Debug> DebugText for (A, B) {
    fn evcxr_display(&self) {
        show(&self)
    }
}

impl<A: Debug, B: Debug, C: Debug> DebugText for (A, B, C) {
    fn evcxr_display(&self) {
        show(&self)
    }
}
