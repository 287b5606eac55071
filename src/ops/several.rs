//! Several results in one pass: [`compute`] and [`persist`] of several arrays (dask's
//! `dask.compute(a, b, c)` and `dask.persist(a, b)`).

use crate::array::Array;
use crate::data::{with_data, Computed};
use crate::error::Result;

/// Computes several arrays in one pass: their plans are optimized together (equal sub-plans
/// become one), lowered into one graph and run once, so a source chunk they all read is read
/// once, not once per array. The results come in the order of `arrays`.
///
/// A reduction whose sources another of the arrays reads too is not fused into tiles (a fused
/// reduction reads its sources itself): its source chunks are tasks that every array's
/// reductions consume.
///
/// **Errors**: the error of the first invalid array; the memory budget refusing the whole
/// graph (all the results are held at the end); an error raised while computing.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let u = random::Rng::new(1).normal(0.0, 1.0, [400, 300], [100, 300]);
/// let v = random::Rng::new(2).normal(0.0, 1.0, [400, 300], [100, 300]);
/// let (uu, vv) = ((&u * &u).mean_axis(0)?, (&v * &v).mean_axis(0)?);
/// let uv = (&u * &v).mean_axis(0)?;
/// let [a, b, c]: [Computed; 3] = tessera::compute(&[&uu, &vv, &uv])?.try_into().unwrap();
/// for (one, alone) in [(a, &uu), (b, &vv), (c, &uv)] {
///     let (one, alone) = (one.to_vec::<f64>(), alone.compute()?.to_vec::<f64>());
///     assert!(one.iter().zip(&alone).all(|(x, y)| (x - y).abs() < 1e-12));
/// }
/// assert!(tessera::compute(&[])?.is_empty());
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn compute(arrays: &[&Array]) -> Result<Vec<Computed>> {
    compute_with(arrays, &())
}

/// [`compute`], telling `callback` (a [`ProgressBar`](crate::diagnostics::ProgressBar), a
/// [`Profiler`](crate::diagnostics::Profiler), …) as the one computation runs.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let x = random::Rng::new(3).normal(0.0, 1.0, [1000, 10], [100, 10]);
/// let profiler = Profiler::new();
/// let out = tessera::compute_with(&[&x.sum()?, &x.max()?], &profiler)?;
/// assert_eq!(out.len(), 2);
/// // one computation: the ten chunks of `x` generated once for both
/// let generated = profiler.results().iter().filter(|t| t.operation == "normal").count();
/// assert_eq!(generated, 10);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn compute_with(
    arrays: &[&Array],
    callback: &dyn crate::exec::events::Callback,
) -> Result<Vec<Computed>> {
    let roots = arrays
        .iter()
        .map(|a| a.node().cloned())
        .collect::<Result<Vec<_>>>()?;
    crate::exec::compute_several(&roots, callback)
}

/// Persists several arrays (see [`Array::persist`]): those whose values fit half the
/// [memory budget](crate::config::memory_budget) together are computed in one pass (as
/// [`compute`]) and kept in memory; the others are persisted one by one (spilled to a
/// temporary Zarr store), so their shared sources are read once per spilled array.
///
/// **Errors**: as [`compute`] and [`Array::persist`].
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let x = random::Rng::new(5).uniform(0.0, 1.0, [600, 40], [128, 40]);
/// let (double, square) = (&x * 2.0, &x * &x);
/// let kept = tessera::persist(&[&double, &square])?;
/// assert_eq!(kept[1].chunks(), x.chunks());
/// assert_eq!(kept[1].plan().lines().count(), 1); // values, nothing to recompute
/// assert_eq!(kept[0].compute()?, double.compute()?);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn persist(arrays: &[&Array]) -> Result<Vec<Array>> {
    for array in arrays {
        array.check()?;
    }
    let half = crate::config::memory_budget() / 2;
    let mut in_memory = Vec::new();
    let mut held = 0usize;
    for (k, array) in arrays.iter().enumerate() {
        if held + array.nbytes() <= half {
            held += array.nbytes();
            in_memory.push(k);
        }
    }
    let together: Vec<&Array> = in_memory.iter().map(|&k| arrays[k]).collect();
    let mut computed = compute(&together)?.into_iter();
    let mut kept = Vec::with_capacity(arrays.len());
    for (k, array) in arrays.iter().enumerate() {
        if in_memory.contains(&k) {
            let values = computed.next().expect("one result per array").into_data();
            let chunks = array.chunks().clone();
            kept.push(with_data!(values, a => crate::ops::from_array(a, chunks)));
        } else {
            kept.push(array.persist()?);
        }
    }
    Ok(kept)
}
