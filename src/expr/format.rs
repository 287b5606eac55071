//! Names and indented text of plans, for reprs, task keys and plan tests.

use std::fmt::Write;

use super::{ExprKind, Node, Source};
use crate::dtype::Scalar;
use crate::error::fmt_shape;

/// dask-style layer name of a node: `normal`, `add`, `mean`, `getitem`, `transpose`, …
pub(super) fn op_name(node: &Node) -> String {
    match &node.kind {
        ExprKind::Source(Source::Full { value }) => match value {
            Scalar::Int(0) | Scalar::Bool(false) => "zeros".into(),
            Scalar::Float(x) if *x == 0.0 => "zeros".into(),
            Scalar::Int(1) | Scalar::Bool(true) => "ones".into(),
            Scalar::Float(x) if *x == 1.0 => "ones".into(),
            _ => "full".into(),
        },
        ExprKind::Source(source) => source.name().into(),
        ExprKind::Unary { op, .. } => op.name().into(),
        ExprKind::Binary { op, .. } => op.name().into(),
        ExprKind::Where { .. } => "where".into(),
        ExprKind::Cast { .. } => "astype".into(),
        ExprKind::Reduce { op, .. } => op.name().into(),
        ExprKind::Slice { .. } => "getitem".into(),
        ExprKind::Transpose { .. } => "transpose".into(),
        ExprKind::Reshape { .. } => "reshape".into(),
        ExprKind::Rechunk { .. } => "rechunk".into(),
        ExprKind::Concatenate { .. } => "concatenate".into(),
        ExprKind::Dot { .. } => "dot".into(),
        ExprKind::MapBlocks { func, .. } => func.name.clone(),
    }
}

/// One line per node, children indented below their consumer:
///
/// ```text
/// mean axes=[0] shape=(10000,) float64
///   normal shape=(10000, 10000) float64
/// ```
pub fn plan_text(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, 0, &mut out);
    out
}

fn write_node(node: &Node, depth: usize, out: &mut String) {
    let _ = write!(out, "{:indent$}{}", "", node.op_name(), indent = depth * 2);
    match &node.kind {
        ExprKind::Reduce { axes, keepdims, .. } => {
            let _ = write!(out, " axes={axes:?}");
            if *keepdims {
                out.push_str(" keepdims");
            }
        }
        ExprKind::Transpose { perm, .. } => {
            let _ = write!(out, " perm={perm:?}");
        }
        ExprKind::Concatenate { axis, .. } => {
            let _ = write!(out, " axis={axis}");
        }
        _ => {}
    }
    let _ = writeln!(out, " shape={} {}", fmt_shape(&node.shape), node.dtype);
    for input in node.inputs() {
        write_node(input, depth + 1, out);
    }
}
