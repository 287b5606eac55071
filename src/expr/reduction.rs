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
    Var { ddof: f64 },
    Std { ddof: f64 },
    ArgMin,
    ArgMax,
    Any,
    All,
}

/// A reduction's result dtype from its input's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReduceDType {
    /// numpy's sums and products: floats keep their dtype, bool and integers accumulate in int64.
    Accumulate,
    /// The input dtype (`min`, `max`).
    Same,
    /// float32 stays float32, everything else float64 (`mean`, `var`, `std`).
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
            ReduceDType::Accumulate if dtype.is_float() => dtype,
            ReduceDType::Accumulate | ReduceDType::Index => DType::Int64,
            ReduceDType::Same => dtype,
            ReduceDType::Float => dtype.to_float(),
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
        match self {
            ReduceOp::Sum => row("sum", true, D::Accumulate, P::Sum, A::Value, true),
            ReduceOp::Prod => row("prod", true, D::Accumulate, P::Prod, A::Value, true),
            ReduceOp::Min => row("min", false, D::Same, P::Min, A::Value, true),
            ReduceOp::Max => row("max", false, D::Same, P::Max, A::Value, true),
            ReduceOp::Mean => row(
                "mean",
                false,
                D::Float,
                P::Moments { m2: false },
                A::Mean,
                true,
            ),
            ReduceOp::Var { ddof } => row(
                "var",
                false,
                D::Float,
                P::Moments { m2: true },
                A::Var { ddof, root: false },
                true,
            ),
            ReduceOp::Std { ddof } => row(
                "std",
                false,
                D::Float,
                P::Moments { m2: true },
                A::Var { ddof, root: true },
                true,
            ),
            ReduceOp::ArgMin => row(
                "argmin",
                false,
                D::Index,
                P::Arg { min: true },
                A::Index,
                false,
            ),
            ReduceOp::ArgMax => row(
                "argmax",
                false,
                D::Index,
                P::Arg { min: false },
                A::Index,
                false,
            ),
            ReduceOp::Any => row("any", true, D::Bool, P::Any, A::Value, true),
            ReduceOp::All => row("all", true, D::Bool, P::All, A::Value, true),
        }
    }

    /// The name users call it by.
    pub fn name(self) -> &'static str {
        self.row().name
    }
}
