//! Built-in windowed filters, scipy.ndimage's: `uniform_filter` and `gaussian_filter`. No user
//! closure: each is an `overlap` (the boundary a lazy pad) and one `Correlate` plan node of
//! plain weights, so it stays lazy (a slice computes only the blocks under it), serializes, and
//! runs on cluster workers. The weights are scipy's, computed here; the block kernel is
//! `kernels::correlate`.

use crate::array::Array;
use crate::dtype::DType;
use crate::error::{ensure, Error, Result};
use crate::expr::{ExprKind, Node};
use crate::ops::overlap::{Boundary, Depth};

/// numpy's pairwise sum (`pairwise_sum` in numpy's loops): a plain loop below 8 values, 8
/// accumulators up to 128, halves above; so the weights are numpy's to the bit.
fn numpy_sum(a: &[f64]) -> f64 {
    if a.len() < 8 {
        return a.iter().fold(0.0, |s, &v| s + v);
    }
    if a.len() > 128 {
        let half = a.len() / 2;
        let half = half - half % 8;
        return numpy_sum(&a[..half]) + numpy_sum(&a[half..]);
    }
    let mut r = [0.0; 8];
    r.copy_from_slice(&a[..8]);
    let whole = a.len() - a.len() % 8;
    for chunk in a[8..whole].chunks_exact(8) {
        for (acc, &v) in r.iter_mut().zip(chunk) {
            *acc += v;
        }
    }
    let mut sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for &v in &a[whole..] {
        sum += v;
    }
    sum
}

/// scipy's `_gaussian_kernel1d(sigma, 0, radius)`: `exp(-x² / 2σ²)` normalized, `x` in
/// `-radius..=radius`.
fn gaussian_weights(sigma: f64, radius: usize) -> Vec<f64> {
    let r = radius as i64;
    let phi: Vec<f64> = (-r..=r)
        .map(|x| (-0.5 / (sigma * sigma) * (x * x) as f64).exp())
        .collect();
    let sum = numpy_sum(&phi);
    phi.iter().map(|p| p / sum).collect()
}

impl Array {
    /// The mean over a window of `size` elements centred on each element (scipy.ndimage's
    /// `uniform_filter`; one size for every axis, or one per axis; even sizes centre as scipy's,
    /// one element to the left), with `mode` beyond the edges: `Reflect` (scipy's default),
    /// `Mirror`, `Nearest`, `Periodic` (scipy's `wrap`) or `Constant(cval)`. The result has
    /// the input's dtype and chunks. Lazy, and runs on cluster workers (no closure).
    ///
    /// scipy keeps a running sum along each line, so one inf or NaN makes the rest of its line
    /// NaN there; tessera sums each window (as scipy's `correlate1d` with weights `1/size`
    /// does), so they reach only the windows that hold them. Finite values agree with scipy's
    /// to a few ulps. On integers both truncate toward zero, but scipy's running sum can land
    /// just below a whole mean (2.9999… → 2) where tessera's sum gives 3.
    ///
    /// **Errors**: a bool array; `Boundary::None`; a size list of the wrong length; a size of 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = arange(0.0, 6.0, 1.0, 4);
    /// let m = x.uniform_filter(3, Boundary::Nearest)?;
    /// assert_eq!(m.chunks(), x.chunks());
    /// let v = m.compute()?.to_vec::<f64>();
    /// assert!((v[0] - 1.0 / 3.0).abs() < 1e-15 && (v[3] - 3.0).abs() < 1e-15);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn uniform_filter(&self, size: impl Into<Depth>, mode: Boundary) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let sizes = match size.into() {
            Depth::Every(s) => vec![s; ndim],
            Depth::Axes(s) => s,
        };
        ensure!(
            sizes.len() == ndim && sizes.iter().all(|&s| s > 0),
            Error::invalid(
                "uniform_filter",
                format!("expected one size > 0 per axis ({ndim}), got {sizes:?}")
            )
        );
        let weights = sizes
            .iter()
            .map(|&s| match s {
                1 => vec![],
                // An even window reaches one further left: a zero weight on the right.
                _ => {
                    let mut w = vec![1.0 / s as f64; s];
                    if s % 2 == 0 {
                        w.push(0.0);
                    }
                    w
                }
            })
            .collect();
        self.correlate_separable("uniform_filter", weights, mode)
    }

    /// The Gaussian-weighted mean around each element (scipy.ndimage's `gaussian_filter`,
    /// order 0): standard deviation `sigma` (one for every axis, or one per axis), the weights
    /// cut at `truncate` standard deviations (scipy's default is 4.0), `mode` as in
    /// [`uniform_filter`](Array::uniform_filter). The result has the input's dtype and chunks.
    /// Lazy, and runs on cluster workers.
    ///
    /// **Errors**: a bool array; `Boundary::None`; a sigma list of the wrong length; a
    /// negative or non-finite sigma.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = full([5, 5], 2.0, 2);
    /// let g = x.gaussian_filter(&[1.0], 4.0, Boundary::Reflect)?;
    /// assert!(g.compute()?.to_vec::<f64>().iter().all(|v| (v - 2.0).abs() < 1e-12));
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn gaussian_filter(&self, sigma: &[f64], truncate: f64, mode: Boundary) -> Result<Array> {
        let ndim = self.node()?.shape.len();
        let sigmas = if sigma.len() == 1 {
            vec![sigma[0]; ndim]
        } else {
            sigma.to_vec()
        };
        ensure!(
            sigmas.len() == ndim && sigmas.iter().all(|s| s.is_finite() && *s >= 0.0),
            Error::invalid(
                "gaussian_filter",
                format!("expected one finite sigma >= 0 per axis ({ndim}), got {sigma:?}")
            )
        );
        let weights = sigmas
            .iter()
            .map(|&s| {
                // scipy skips an axis of sigma 0 (1e-15 and below).
                if s <= 1e-15 {
                    return vec![];
                }
                gaussian_weights(s, (truncate * s + 0.5) as usize)
            })
            .collect();
        self.correlate_separable("gaussian_filter", weights, mode)
    }

    /// The `Correlate` node of `weights` (odd lengths, or empty) over this array's overlap.
    fn correlate_separable(
        &self,
        op: &'static str,
        weights: Vec<Vec<f64>>,
        mode: Boundary,
    ) -> Result<Array> {
        let node = self.node()?;
        ensure!(
            node.dtype != DType::Bool,
            Error::invalid(op, "needs a numeric array, got bool")
        );
        ensure!(
            mode != Boundary::None,
            Error::invalid(
                op,
                "needs values beyond the edges: mode Reflect, Mirror, Nearest, Periodic or \
                 Constant, got None"
            )
        );
        if node.size() == 0 || weights.iter().all(Vec::is_empty) {
            return Ok(self.clone());
        }
        let depth: Vec<usize> = weights.iter().map(|w| w.len() / 2).collect();
        let ghosted = self.overlap(depth, mode)?;
        Ok(Array::from_node(Node::new(
            ExprKind::Correlate {
                input: ghosted.node()?.clone(),
                weights,
                cval: match mode {
                    Boundary::Constant(value) => Some(value.cast::<f64>()),
                    _ => None,
                },
            },
            node.shape.clone(),
            node.dtype,
            node.chunks.clone(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_normalized_and_symmetric() {
        let w = gaussian_weights(1.0, 4);
        assert_eq!(w.len(), 9);
        assert!((numpy_sum(&w) - 1.0).abs() < 1e-15);
        assert_eq!(w[0], w[8]);
        assert_eq!(numpy_sum(&[1.0; 300]), 300.0);
    }
}
