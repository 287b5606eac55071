//! The scans (cumulative operations along one axis): one table of name, identity and dtype
//! rule. The kernel is `kernels::scan`; the lowering (a chain of carries along the axis) is
//! `graph::lower`.

use crate::dtype::DType;

/// A cumulative operation along one axis: what [`Array::scan`](crate::Array::scan) takes.
///
/// # Examples
///
/// ```
/// use tessera::expr::ScanOp;
/// use tessera::prelude::*;
/// let x = arange(1, 5, 1, 2);
/// let s = x.scan(ScanOp::Sum, 0)?.compute()?;
/// assert_eq!(s.to_vec::<i64>(), vec![1, 3, 6, 10]);
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ScanOp {
    /// Running sum (`cumsum`).
    Sum,
    /// Running product (`cumprod`).
    Prod,
    /// Running sum with NaN counted as 0 (`nancumsum`).
    NanSum,
    /// Running product with NaN counted as 1 (`nancumprod`).
    NanProd,
}

/// One row of the scan table: numpy's name and whether the op multiplies.
struct ScanRow {
    op: ScanOp,
    name: &'static str,
    product: bool,
    skips_nan: bool,
}

static SCANS: [ScanRow; 4] = [
    ScanRow {
        op: ScanOp::Sum,
        name: "cumsum",
        product: false,
        skips_nan: false,
    },
    ScanRow {
        op: ScanOp::Prod,
        name: "cumprod",
        product: true,
        skips_nan: false,
    },
    ScanRow {
        op: ScanOp::NanSum,
        name: "nancumsum",
        product: false,
        skips_nan: true,
    },
    ScanRow {
        op: ScanOp::NanProd,
        name: "nancumprod",
        product: true,
        skips_nan: true,
    },
];

impl ScanOp {
    fn row(self) -> &'static ScanRow {
        SCANS
            .iter()
            .find(|r| r.op == self)
            .expect("every scan has a row")
    }

    /// numpy's name of the operation.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::expr::ScanOp;
    /// assert_eq!(ScanOp::NanProd.name(), "nancumprod");
    /// ```
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// Whether the operation multiplies (identity 1) rather than adds (identity 0).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::expr::ScanOp;
    /// assert!(ScanOp::Prod.is_product() && !ScanOp::NanSum.is_product());
    /// ```
    pub fn is_product(self) -> bool {
        self.row().product
    }

    /// Whether NaN counts as the identity.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::expr::ScanOp;
    /// assert!(ScanOp::NanSum.skips_nan() && !ScanOp::Sum.skips_nan());
    /// ```
    pub fn skips_nan(self) -> bool {
        self.row().skips_nan
    }

    /// numpy's result dtype on Linux: bool and the signed integers narrower than 64 bits
    /// accumulate in int64, the unsigned ones in uint64; floats keep their dtype.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::expr::ScanOp;
    /// use tessera::prelude::*;
    /// assert_eq!(ScanOp::Sum.dtype(DType::Bool), DType::Int64);
    /// assert_eq!(ScanOp::Prod.dtype(DType::UInt8), DType::UInt64);
    /// assert_eq!(ScanOp::Sum.dtype(DType::Float16), DType::Float16);
    /// ```
    pub fn dtype(self, input: DType) -> DType {
        use DType::*;
        match input {
            Bool | Int8 | Int16 | Int32 | Int64 => Int64,
            UInt8 | UInt16 | UInt32 | UInt64 => UInt64,
            Float16 | Float32 | Float64 => input,
        }
    }
}
