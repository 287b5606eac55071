//! Checking and preparing what plots are given: non-empty, finite, of the right shape; the
//! colour range of an image (given, or the finite values' range or percentiles); cell edges.

use ndarray::{Array2, ArrayD, Ix2};

use super::{ImageOptions, PlotData};
use crate::error::{fmt_shape, Error, Result};

pub(super) fn invalid(op: &'static str, reason: String) -> Error {
    Error::InvalidArgument { op, reason }
}

pub(super) fn not_empty(op: &'static str, data: &PlotData) -> Result<()> {
    data.check()?;
    if data.shape().contains(&0) || data.shape().is_empty() && op == "imshow" {
        return Err(invalid(
            op,
            format!(
                "nothing to draw: the data is empty (shape {})",
                fmt_shape(data.shape())
            ),
        ));
    }
    Ok(())
}

/// A 1-D array as one column, a 2-D one as its columns, with at least one finite value.
pub(super) fn values_2d(op: &'static str, data: &PlotData) -> Result<Array2<f64>> {
    not_empty(op, data)?;
    let values: ArrayD<f64> = data.values()?.into_array::<f64>();
    let values = match values.ndim() {
        0 | 1 => values
            .into_shape_with_order((data.shape().iter().product::<usize>().max(1), 1))
            .expect("a column"),
        2 => values.into_dimensionality::<Ix2>().expect("2-D"),
        _ => {
            return Err(invalid(
                op,
                format!(
                    "takes 1-D or 2-D values, got shape {}",
                    fmt_shape(data.shape())
                ),
            ))
        }
    };
    finite(op, values.iter().copied())?;
    Ok(values)
}

/// Two 1-D value lists of one length.
pub(super) fn pair(op: &'static str, x: &PlotData, y: &PlotData) -> Result<(Vec<f64>, Vec<f64>)> {
    not_empty(op, x)?;
    not_empty(op, y)?;
    let (x, y) = (x.to_f64()?, y.to_f64()?);
    if x.len() != y.len() {
        return Err(invalid(
            op,
            format!(
                "x and y must have the same length, got {} and {}",
                x.len(),
                y.len()
            ),
        ));
    }
    finite(op, y.iter().copied())?;
    Ok((x, y))
}

fn finite(op: &'static str, values: impl Iterator<Item = f64>) -> Result<()> {
    let mut n = 0;
    for v in values {
        if v.is_finite() {
            return Ok(());
        }
        n += 1;
    }
    Err(invalid(
        op,
        format!("nothing to draw: all {n} values are NaN or ±inf"),
    ))
}

/// `vmin` and `vmax`: given, or the finite values' range or percentiles.
pub(super) fn color_range(
    op: &'static str,
    values: impl Iterator<Item = f64>,
    options: &ImageOptions,
) -> Result<(f64, f64)> {
    let mut finite_values: Vec<f64> = Vec::new();
    let mut n = 0usize;
    for v in values {
        n += 1;
        if v.is_finite() {
            finite_values.push(v);
        }
    }
    if finite_values.is_empty() {
        return Err(invalid(
            op,
            format!("no finite values to colour: all {n} values are NaN or ±inf"),
        ));
    }
    finite_values.sort_by(f64::total_cmp);
    let (low, high) = options.percentiles.unwrap_or((0.0, 100.0));
    if !(0.0..=100.0).contains(&low) || !(0.0..=100.0).contains(&high) || low > high {
        return Err(invalid(
            op,
            format!("percentiles ({low}, {high}) must be increasing, within 0 and 100"),
        ));
    }
    let vmin = options
        .vmin
        .unwrap_or_else(|| percentile(&finite_values, low));
    let vmax = options
        .vmax
        .unwrap_or_else(|| percentile(&finite_values, high));
    Ok((vmin, vmax))
}

/// numpy's `percentile` (linear interpolation) of sorted values.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = p / 100.0 * (sorted.len() - 1) as f64;
    let (below, above) = (at.floor() as usize, at.ceil() as usize);
    let t = at - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * t
}

/// Cell edges from `values`: as given (one more than `cells`) or centres (one a cell), which
/// get edges halfway between them.
pub(super) fn edges(axis: &str, values: &[f64], cells: usize) -> Result<Vec<f64>> {
    let increasing = values.windows(2).all(|w| w[0] < w[1]);
    if !increasing || values.iter().any(|v| !v.is_finite()) {
        return Err(invalid(
            "pcolormesh",
            format!("{axis} values must be finite and increasing"),
        ));
    }
    if values.len() == cells + 1 {
        return Ok(values.to_vec());
    }
    if values.len() != cells {
        return Err(invalid(
            "pcolormesh",
            format!(
                "{axis} needs {} edges or {cells} centres for {cells} cells, got {} values",
                cells + 1,
                values.len()
            ),
        ));
    }
    if cells == 1 {
        return Ok(vec![values[0] - 0.5, values[0] + 0.5]);
    }
    let mut out = vec![values[0] - (values[1] - values[0]) / 2.0];
    out.extend(values.windows(2).map(|w| (w[0] + w[1]) / 2.0));
    out.push(values[cells - 1] + (values[cells - 1] - values[cells - 2]) / 2.0);
    Ok(out)
}
