//! Sources at execution: the values of any rectangular region of a source node (or of a view
//! of one), generated directly by its rule or read from its file.

use std::ops::Range;

use ndarray::{ArrayD, IxDyn};

use crate::data::{ArrayData, DataElement};
use crate::dtype::{with_dtype, DType, Element};
use crate::expr::index::compose_index;
use crate::expr::{AxisIndex, Source, SourceView};
use crate::kernels::generate::{fill_block, Layout};
use crate::prng::sample::{fill_f64, fill_i64, Distribution};

/// Elements `indices` (relative to the region's start) along `axis` of `region` of a file or
/// in-memory source's whole array, read in place: only the picked elements are copied.
/// `None` for other sources (lowering sends only these here).
///
/// **Errors**: the file cannot be read.
pub(crate) fn take_from_source(
    source: &Source,
    region: &[Range<usize>],
    axis: usize,
    indices: &[usize],
) -> crate::error::Result<Option<ArrayData>> {
    Ok(match source {
        Source::Npy { file } => Some(file.read_take(region, axis, indices)?),
        Source::Memory { data } => Some(crate::data::with_data!(data.as_ref(), a => {
            let view = crate::kernels::sub_view(a.view(), Some(region));
            DataElement::wrap(crate::kernels::gather::take_view(view, axis, indices))
        })),
        _ => None,
    })
}

/// The values of `region` of a source node of `shape` and `dtype`: a region of the source's
/// whole array, or, with a `view`, of that view of it.
///
/// **Errors**: only sources read from files can fail (a chunk that cannot be read or decoded).
pub(crate) fn generate(
    source: &Source,
    view: Option<&SourceView>,
    dtype: DType,
    shape: &[usize],
    region: &[Range<usize>],
) -> crate::error::Result<ArrayData> {
    let block: Vec<usize> = region.iter().map(|r| r.len()).collect();
    let layout = match view {
        None => Layout::Region { shape, region },
        Some(view) => {
            let in_view: Vec<AxisIndex> = region
                .iter()
                .map(|r| AxisIndex::Range {
                    first: r.start,
                    step: 1,
                    count: r.len(),
                })
                .collect();
            match compose_index(&view.index, &in_view) {
                Some(index) if block.iter().all(|&len| len > 0) => Layout::View {
                    base: &view.base,
                    index,
                },
                // An empty block has no values to read (and a nonempty region always composes).
                _ => {
                    return Ok(
                        with_dtype!(dtype, T => T::wrap(ArrayD::<T>::default(IxDyn(&block)))),
                    )
                }
            }
        }
    };
    Ok(match source {
        Source::Full { value } => {
            with_dtype!(dtype, T => T::wrap(ArrayD::from_elem(IxDyn(&block), value.cast::<T>())))
        }
        Source::Memory { data } => match &layout {
            Layout::Region { region, .. } => crate::data::with_data!(data.as_ref(), a => {
                let view = crate::kernels::sub_view(a.view(), Some(region));
                crate::data::DataElement::wrap(crate::kernels::copy::to_standard(view))
            }),
            Layout::View { index, .. } => crate::kernels::structure::slice(data, index),
        },
        Source::Npy { file } => match &layout {
            Layout::Region { region, .. } => file.read_region(region)?,
            Layout::View { index, .. } => file.read_index(index)?,
        },
        Source::Zarr { store } => match &layout {
            Layout::Region { region, .. } => store.read_region(region)?,
            Layout::View { index, .. } => store.read_index(index)?,
        },
        Source::Random { key, dist } => match dist {
            Distribution::Integers { .. } => {
                let a = fill_block::<i64>(&layout, |first, out| fill_i64(*key, *dist, first, out));
                i64::wrap(a).cast(dtype)
            }
            _ => {
                let a = fill_block::<f64>(&layout, |first, out| fill_f64(*key, *dist, first, out));
                f64::wrap(a).cast(dtype)
            }
        },
        Source::Range { start, step } => {
            with_dtype!(dtype, T => T::wrap(fill_block::<T>(&layout, |first, out| {
                for (i, slot) in out.iter_mut().enumerate() {
                    *slot = T::cast_from(start + (first + i as u64) as f64 * step);
                }
            })))
        }
        Source::Linspace {
            start,
            stop,
            step,
            num,
        } => with_dtype!(dtype, T => T::wrap(fill_block::<T>(&layout, |first, out| {
            for (i, slot) in out.iter_mut().enumerate() {
                let at = first as usize + i;
                // numpy sets the endpoint exactly.
                let v = if at + 1 == *num && *num > 1 { *stop } else { start + at as f64 * step };
                *slot = T::cast_from(v);
            }
        }))),
    })
}
