//! Choosing among arrays by conditions and testing membership: numpy's `np.select` and
//! `np.isin` with a list of values, both built from `where_` and comparisons (lazy, and fused
//! into a reduction that consumes them like any elementwise expression).

use crate::array::Array;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::ops::creation::full;
use crate::ops::elementwise::{where_, Operand};

/// numpy's `np.select(condlist, choicelist, default)`: where `condlist[0]` is true,
/// `choicelist[0]`; else where `condlist[1]` is true, `choicelist[1]`; …; elsewhere `default`.
/// All broadcast together; the dtype is the promotion of the choices and the default (a Rust
/// scalar default is weak, as numpy 2's Python scalars: float32 choices with the default `-1`
/// stay float32). Lazy.
///
/// **Errors**: lists of different lengths, an empty list, or a condition that is not bool
/// (numpy's messages); shapes that do not broadcast.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let x = arange(0, 6, 1, 4);
/// let s = tessera::select(&[x.lt(2), x.gt(3)], &[x.clone(), &x * 10], -1)?;
/// assert_eq!(s.compute()?.to_vec::<i64>(), vec![0, 1, -1, -1, 40, 50]);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn select(
    condlist: &[Array],
    choicelist: &[Array],
    default: impl Into<Operand>,
) -> Result<Array> {
    if condlist.len() != choicelist.len() {
        return Err(Error::invalid(
            "select",
            format!(
                "list of cases must be same length as list of conditions ({} cases, {} \
                 conditions)",
                choicelist.len(),
                condlist.len()
            ),
        ));
    }
    if condlist.is_empty() {
        return Err(Error::invalid(
            "select",
            "select with an empty condition list is not possible",
        ));
    }
    for (i, cond) in condlist.iter().enumerate() {
        cond.check()?;
        if cond.dtype() != DType::Bool {
            return Err(Error::invalid(
                "select",
                format!(
                    "invalid entry {i} in condlist: should be boolean ndarray, got {}",
                    cond.dtype()
                ),
            ));
        }
    }
    let mut out: Operand = default.into();
    for (cond, choice) in condlist.iter().zip(choicelist).rev() {
        out = where_(cond, choice, out).into();
    }
    match out {
        Operand::Array(a) => {
            a.check()?;
            Ok(a)
        }
        Operand::Scalar(_) => unreachable!("a where of arrays is an array"),
    }
}

impl Array {
    /// numpy's `np.isin(x, values)` for a list of values: true where an element equals one of
    /// them (compared as numpy compares, after promotion: `2 == 2.0`; NaN equals nothing).
    /// Lazy: one comparison per value, so meant for short lists.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0, 6, 1, 4);
    /// let m = x.isin(&[1.0, 4.0, 9.5]);
    /// assert_eq!(m.compute()?.to_vec::<bool>(), vec![false, true, false, false, true, false]);
    /// assert!(!x.isin::<i64>(&[]).any()?.compute()?.to_scalar::<bool>()?);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn isin<S: Into<Operand> + Copy>(&self, values: &[S]) -> Array {
        let mut tests = values.iter().map(|&v| self.eq(v));
        match tests.next() {
            Some(first) => tests.fold(first, |acc, t| acc | t),
            None => match self.check() {
                Ok(_) => full(
                    self.shape().to_vec(),
                    false,
                    self.chunks().as_slice().to_vec(),
                ),
                Err(e) => Array::from_error(e),
            },
        }
    }
}
