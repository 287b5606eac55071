//! Runs one task: dispatches its operation to the kernels.

use super::generate;
use crate::error::{Error, Result};
use crate::graph::{Task, TaskOp};
use crate::kernels::copy::to_standard;
use crate::kernels::{elementwise, gather, linalg, random_sum, reduce, structure, sub_view, Value};

/// Computes `task`; `input(id)` gives the output of an input task (all present).
pub(crate) fn run_task<'a>(
    task: &Task,
    input: impl Fn(usize) -> &'a Value + Copy,
) -> Result<Value> {
    let block = |b: &crate::graph::BlockInput| -> crate::data::ArrayData {
        let data = input(b.task).data();
        match &b.region {
            None => data.clone(),
            Some(region) => crate::data::with_data!(data, a => {
                crate::data::DataElement::wrap(to_standard(sub_view(a.view(), Some(region))))
            }),
        }
    };
    // Whole-block inputs are read in place; only sub-regions are copied.
    let view = |b: &crate::graph::BlockInput| -> std::borrow::Cow<'a, crate::data::ArrayData> {
        match &b.region {
            None => std::borrow::Cow::Borrowed(input(b.task).data()),
            Some(_) => std::borrow::Cow::Owned(block(b)),
        }
    };
    Ok(match &task.op {
        TaskOp::Generate {
            source,
            view,
            dtype,
            shape,
            region,
        } => Value::Data(generate::generate(
            source,
            view.as_deref(),
            *dtype,
            shape,
            region,
        )?),
        TaskOp::Unary { op, dtype, input } => Value::Data(op.apply(*dtype, &view(input))),
        TaskOp::Cast { dtype, input } => Value::Data(elementwise::cast(*dtype, &view(input))),
        TaskOp::Binary {
            op,
            operand_dtype,
            shape,
            lhs,
            rhs,
            ..
        } => Value::Data(
            op.apply(*operand_dtype, shape, &view(lhs), &view(rhs))
                .map_err(|e| located(e, task))?,
        ),
        TaskOp::Where {
            dtype,
            shape,
            cond,
            x,
            y,
        } => Value::Data(elementwise::where_blocks(
            *dtype,
            shape,
            &view(cond),
            &view(x),
            &view(y),
        )),
        TaskOp::RandomReduce {
            op,
            axes,
            key,
            dist,
            shape,
            region,
        } => {
            let count = axes.iter().map(|&axis| region[axis].len()).product();
            let sums = if axes.len() == shape.len() {
                ndarray::ArrayD::from_elem(
                    ndarray::IxDyn(&vec![1; shape.len()]),
                    random_sum::random_block_sum(*key, *dist, shape, region),
                )
            } else {
                random_sum::random_block_row_sums(*key, *dist, shape, region)
            };
            reduce::from_sums(op.row().partial, count, sums)
        }
        TaskOp::ReducePartial {
            op,
            axes,
            input,
            offset,
            shape,
        } => reduce::partial(op.row().partial, axes, &view(input), offset, shape),
        TaskOp::TiledReduce {
            op,
            axes,
            program,
            region,
            offset,
            shape,
        } => super::tiled_reduce::partial(*op, axes, program, region, offset, shape)
            .map_err(|e| located(e, task))?,
        TaskOp::ReduceCombine { op, inputs } => reduce::combine(
            op.row().partial,
            &inputs.iter().map(|&i| input(i)).collect::<Vec<_>>(),
        ),
        TaskOp::ReduceFinalize {
            op,
            dtype,
            shape,
            offset,
            input: merged,
        } => Value::Data(
            reduce::finalize(
                op.row().aggregate,
                op.name(),
                *dtype,
                shape,
                offset,
                input(*merged),
            )
            .map_err(|e| located(e, task))?,
        ),
        TaskOp::Slice { input: from, index } => {
            Value::Data(structure::slice(input(*from).data(), index))
        }
        TaskOp::Take {
            input: from,
            axis,
            indices,
        } => Value::Data(gather::take(input(*from).data(), *axis, indices)),
        TaskOp::TakeSource {
            source,
            region,
            axis,
            indices,
            ..
        } => Value::Data(
            generate::take_from_source(source, region, *axis, indices)?
                .expect("lowering reads only file and in-memory sources in place"),
        ),
        TaskOp::Scatter {
            dtype,
            shape,
            axis,
            parts,
        } => Value::Data(gather::scatter(*dtype, shape, *axis, parts, input)),
        TaskOp::Transpose { input: from, perm } => {
            Value::Data(structure::transpose(input(*from).data(), perm))
        }
        TaskOp::Assemble {
            dtype,
            shape,
            pieces,
        } => Value::Data(structure::assemble(*dtype, shape, pieces, input)),
        TaskOp::Reshape {
            dtype,
            shape,
            parts,
        } => Value::Data(structure::reshape(*dtype, shape, parts, input)),
        TaskOp::Dot {
            dtype,
            pairs,
            transposed,
        } => Value::Data(linalg::dot_sum(*dtype, pairs, *transposed, input)),
        TaskOp::Correlate {
            input: from,
            weights,
            edges,
        } => Value::Data(crate::kernels::correlate::correlate(
            input(*from).data(),
            weights,
            edges.as_ref(),
        )),
        TaskOp::Scan {
            op,
            axis,
            dtype,
            input: from,
            carry,
            ..
        } => Value::Data(crate::kernels::scan::scan(
            crate::kernels::scan::Scan {
                product: op.is_product(),
                skip_nan: op.skips_nan(),
            },
            *axis,
            *dtype,
            input(*from).data(),
            carry.map(|c| input(c).data()),
        )),
        TaskOp::MapBlocks { func, input: from } => {
            Value::Data((func.func)(input(*from).data()).map_err(|e| located(e, task))?)
        }
    })
}

/// The input whose block `task` can take over instead of copying it (a reshape of one whole
/// block into one), if its executor can give it up (no other task reads it any more).
pub(crate) fn takes_over(task: &Task) -> Option<usize> {
    match &task.op {
        TaskOp::Reshape { parts, .. } => structure::whole_input(parts),
        _ => None,
    }
}

/// Computes `task` (see [`takes_over`]) from the block of its input, owned: the block's buffer
/// relabelled when it is all read in C order, else computed as [`run_task`] would.
pub(crate) fn run_owning(task: &Task, value: Value) -> Result<Value> {
    if let TaskOp::Reshape { shape, parts, .. } = &task.op {
        let region = parts[0].1[0].input.region.as_deref();
        match structure::relabel(value.into_data(), region, shape) {
            Ok(data) => Ok(Value::Data(data)),
            Err(data) => {
                let value = Value::Data(data);
                run_task(task, |_| &value)
            }
        }
    } else {
        run_task(task, |_| &value)
    }
}

/// An error from a task, naming the task's key.
fn located(error: Error, task: &Task) -> Error {
    match error {
        Error::InvalidArgument { op, reason } => Error::TaskFailed {
            op,
            key: task.key.to_string(),
            reason,
        },
        other => other,
    }
}
