//! Names and indented text of plans, for reprs, task keys and plan tests.

use std::fmt::Write;

use super::{AxisIndex, Cut, ExprKind, Node, Source};
use crate::dtype::Scalar;
use crate::error::fmt_shape;

/// dask-style layer name of a node: `normal`, `add`, `mean`, `getitem`, `transpose`, …
pub(super) fn op_name(node: &Node) -> String {
    match &node.kind {
        ExprKind::Source {
            source: Source::Full { value },
            ..
        } => match value {
            Scalar::Int(0) | Scalar::Bool(false) => "zeros".into(),
            Scalar::Float(x) if *x == 0.0 => "zeros".into(),
            Scalar::Int(1) | Scalar::Bool(true) => "ones".into(),
            Scalar::Float(x) if *x == 1.0 => "ones".into(),
            _ => "full".into(),
        },
        ExprKind::Source { source, .. } => source.name().into(),
        ExprKind::Unary { op, .. } => op.name().into(),
        ExprKind::Binary { op, .. } => op.name().into(),
        ExprKind::Where { .. } => "where".into(),
        ExprKind::Cast { .. } => "astype".into(),
        ExprKind::Reduce { op, .. } => op.name().into(),
        ExprKind::Slice { .. } => "getitem".into(),
        ExprKind::Take { .. } => "take".into(),
        ExprKind::Transpose { .. } => "transpose".into(),
        ExprKind::Reshape { .. } => "reshape".into(),
        ExprKind::Rechunk { .. } => "rechunk".into(),
        ExprKind::Regions {
            cut: Cut::Overlap, ..
        } => "overlap".into(),
        ExprKind::Regions { cut: Cut::Trim, .. } => "trim".into(),
        ExprKind::Correlate { .. } => "correlate".into(),
        ExprKind::Scan { op, .. } => op.name().into(),
        ExprKind::Concatenate { .. } => "concatenate".into(),
        ExprKind::Dot { .. } => "dot".into(),
        ExprKind::MapBlocks { func, .. } => func.name.clone(),
        ExprKind::Fused { .. } => "fused".into(),
    }
}

/// One line per node, children indented below their consumer; slices show their index and
/// source views the part of the source's whole array they read:
///
/// ```text
/// getitem [0:100] shape=(100,) float64
///   mean axes=[0] shape=(10000,) float64
///     normal shape=(10000, 10000) float64
/// mean axes=[0] shape=(100,) float64
///   normal[:, 0:100] of (10000, 10000) shape=(10000, 100) float64
/// ```
pub fn plan_text(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, 0, &mut out);
    out
}

fn write_node(node: &Node, depth: usize, out: &mut String) {
    let _ = write!(
        out,
        "{:indent$}{}{}",
        "",
        node.op_name(),
        node_detail(node),
        indent = depth * 2
    );
    let _ = writeln!(out, " shape={} {}", fmt_shape(&node.shape), node.dtype);
    for input in node.inputs() {
        write_node(input, depth + 1, out);
    }
}

/// What follows a node's operation name in plans and pictures: its axes, permutation, index or
/// the part of a source it reads (`sum axes=[0]`, `getitem [0:100]`, `normal[:, 0:100] of (..)`).
pub fn node_detail(node: &Node) -> String {
    match &node.kind {
        ExprKind::Reduce { axes, keepdims, .. } => {
            format!(" axes={axes:?}{}", if *keepdims { " keepdims" } else { "" })
        }
        ExprKind::Transpose { perm, .. } => format!(" perm={perm:?}"),
        ExprKind::Concatenate { axis, .. } => format!(" axis={axis}"),
        ExprKind::Take { axis, indices, .. } => {
            format!(" axis={axis} indices={}", indices.len())
        }
        ExprKind::Slice { input, index } => format!(" {}", fmt_index(index, &input.shape)),
        ExprKind::Fused {
            how: super::Fusion::GenerateIntoSum,
            ..
        } => " into the sum".into(),
        ExprKind::Source {
            view: Some(view), ..
        } => format!(
            "{} of {}",
            fmt_index(&view.index, &view.base),
            fmt_shape(&view.base)
        ),
        _ => String::new(),
    }
}

/// A resolved index as numpy writes it: `[:, 2:10:3, 5, newaxis]` (`:` for a whole axis of
/// `shape`; stops are exclusive, and left out when a negative step runs to the start).
pub(crate) fn fmt_index(index: &[AxisIndex], shape: &[usize]) -> String {
    let mut axis = 0;
    let parts: Vec<String> = index
        .iter()
        .map(|entry| match *entry {
            AxisIndex::NewAxis => "newaxis".to_string(),
            AxisIndex::Index(i) => {
                axis += 1;
                i.to_string()
            }
            AxisIndex::Range { first, step, count } => {
                let len = shape.get(axis).copied().unwrap_or(0);
                axis += 1;
                fmt_range(first, step, count, len)
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn fmt_range(first: usize, step: isize, count: usize, len: usize) -> String {
    if first == 0 && step == 1 && count == len {
        return ":".into();
    }
    if count == 0 {
        return format!("{first}:{first}");
    }
    let last = first as isize + (count as isize - 1) * step;
    let stop = last + step.signum();
    let stop = if stop < 0 {
        String::new()
    } else {
        stop.to_string()
    };
    if step == 1 {
        format!("{first}:{stop}")
    } else {
        format!("{first}:{stop}:{step}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_print_like_numpy() {
        let r = |first, step, count| AxisIndex::Range { first, step, count };
        let index = [
            r(0, 1, 4),
            r(2, 3, 3),
            AxisIndex::Index(5),
            AxisIndex::NewAxis,
            r(3, -1, 4),
            r(8, -3, 2),
        ];
        assert_eq!(
            fmt_index(&index, &[4, 10, 7, 9, 9]),
            "[:, 2:9:3, 5, newaxis, 3::-1, 8:4:-3]"
        );
        assert_eq!(fmt_index(&[r(1, 1, 0)], &[4]), "[1:1]");
    }
}
