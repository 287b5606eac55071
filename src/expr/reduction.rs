//! The reduction table: each reduction is one row of [`ReduceOp::row`] — its name, whether it
//! has a value on zero elements, its result dtype, how a block's partial is computed and
//! merged (the kernel, `kernels::reduce::Partial`), how the merged partial becomes the values
//! (`Aggregate`), and whether its partial may run tile by tile. The API (`ops/reduce.rs`), the
//! optimizer (`fuse_elementwise`), lowering and the kernels read the row; a new reduction (a
//! nan-variant, say) is a row here plus, if no existing partial fits, a partial kernel.

use crate::dtype::DType;
use crate::kernels::reduce::{Aggregate, Partial};

/// Reductions.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReduceOp {
    Sum,
    Prod,
    Min,
    Max,
    Mean,
    Var {
        ddof: f64,
    },
    Std {
        ddof: f64,
    },
    ArgMin,
    ArgMax,
    Any,
    All,
    /// The nan-reductions: NaN elements are skipped (integers and bool have none, so these are
    /// their plain reductions). An all-NaN slice gives NaN (numpy warns), a sum 0, a product
    /// 1; `nanargmin`/`nanargmax` of one is an error naming it.
    NanSum,
    NanProd,
    NanMin,
    NanMax,
    NanMean,
    NanVar {
        ddof: f64,
    },
    NanStd {
        ddof: f64,
    },
    NanArgMin,
    NanArgMax,
}

/// A reduction's result dtype from its input's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReduceDType {
    /// numpy's sums and products: floats keep their dtype, bool and signed integers accumulate
    /// in int64, unsigned integers in uint64 ([`DType::accumulator`]).
    Accumulate,
    /// The input dtype (`min`, `max`).
    Same,
    /// Floats keep their dtype, bool and integers give float64 (`mean`, `var`, `std`).
    Float,
    /// int64 (indices).
    Index,
    /// bool (`any`, `all`).
    Bool,
}

impl ReduceDType {
    /// The result dtype on input `dtype`.
    pub fn resolve(self, dtype: DType) -> DType {
        match self {
            ReduceDType::Accumulate => dtype.accumulator(),
            ReduceDType::Index => DType::Int64,
            ReduceDType::Same => dtype,
            ReduceDType::Float => dtype.to_float64_unless_float(),
            ReduceDType::Bool => DType::Bool,
        }
    }
}

/// One row of the reduction table.
#[derive(Debug, Clone, Copy)]
pub struct ReduceRow {
    /// The name users call it by (plans, task keys, errors).
    pub name: &'static str,
    /// Whether it has a value on zero elements (numpy's identity: 0 for `sum`, 1 for `prod`);
    /// without one, reducing an empty axis is an error.
    pub identity: bool,
    pub dtype: ReduceDType,
    /// A block's partial and how partials merge.
    pub(crate) partial: Partial,
    /// The values from the merged partial.
    pub(crate) aggregate: Aggregate,
    /// Whether the partial may be computed tile by tile and the tiles' partials merged
    /// (`fuse_elementwise`): not for indices, which need the block's positions.
    pub tiles: bool,
}

impl ReduceOp {
    /// The table: one row per reduction.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let row = ReduceOp::Mean.row();
    /// assert_eq!((row.name, row.identity), ("mean", false));
    /// assert_eq!(row.dtype.resolve(DType::Int32), DType::Float64);
    /// assert!(!ReduceOp::ArgMax.row().tiles); // its partial needs the block's positions
    /// ```
    pub fn row(self) -> ReduceRow {
        use Aggregate as A;
        use Partial as P;
        use ReduceDType as D;
        let row = |name, identity, dtype, partial, aggregate, tiles| ReduceRow {
            name,
            identity,
            dtype,
            partial,
            aggregate,
            tiles,
        };
        // The moment-based and index rows, plain (`nan` false) or skipping NaN. A nan-mean or
        // nan-variance of no elements is NaN (numpy warns), so those have an identity.
        let mean = |name, nan| {
            row(
                name,
                nan,
                D::Float,
                P::Moments { m2: false, nan },
                A::Mean,
                true,
            )
        };
        let var = |name, ddof, root, nan| {
            let aggregate = A::Var { ddof, root, nan };
            row(
                name,
                nan,
                D::Float,
                P::Moments { m2: true, nan },
                aggregate,
                true,
            )
        };
        let arg = |name, min, nan| {
            let partial = P::Arg { min, nan };
            row(name, false, D::Index, partial, A::Index { nan }, false)
        };
        match self {
            ReduceOp::Sum => row("sum", true, D::Accumulate, P::Sum, A::Value, true),
            ReduceOp::Prod => row("prod", true, D::Accumulate, P::Prod, A::Value, true),
            ReduceOp::Min => row("min", false, D::Same, P::Min, A::Value, true),
            ReduceOp::Max => row("max", false, D::Same, P::Max, A::Value, true),
            ReduceOp::Mean => mean("mean", false),
            ReduceOp::Var { ddof } => var("var", ddof, false, false),
            ReduceOp::Std { ddof } => var("std", ddof, true, false),
            ReduceOp::ArgMin => arg("argmin", true, false),
            ReduceOp::ArgMax => arg("argmax", false, false),
            ReduceOp::Any => row("any", true, D::Bool, P::Any, A::Value, true),
            ReduceOp::All => row("all", true, D::Bool, P::All, A::Value, true),
            ReduceOp::NanSum => row("nansum", true, D::Accumulate, P::NanSum, A::Value, true),
            ReduceOp::NanProd => row("nanprod", true, D::Accumulate, P::NanProd, A::Value, true),
            ReduceOp::NanMin => row("nanmin", false, D::Same, P::NanMin, A::Value, true),
            ReduceOp::NanMax => row("nanmax", false, D::Same, P::NanMax, A::Value, true),
            ReduceOp::NanMean => mean("nanmean", true),
            ReduceOp::NanVar { ddof } => var("nanvar", ddof, false, true),
            ReduceOp::NanStd { ddof } => var("nanstd", ddof, true, true),
            ReduceOp::NanArgMin => arg("nanargmin", true, true),
            ReduceOp::NanArgMax => arg("nanargmax", false, true),
        }
    }

    /// The name users call it by.
    pub fn name(self) -> &'static str {
        self.row().name
    }
}
