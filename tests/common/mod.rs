//! Shared helpers for tessera's integration tests.
//!
//! * proptest strategies: shapes of 0..=3 axes with lengths 0..=7 (mostly >= 1), a valid chunk
//!   specification for a shape in every form users write (`[2, -1]`, one size for every axis,
//!   explicit per-axis block lengths, mixed [`AxisChunks`]), a dtype, and eager data of a shape
//!   and dtype ([`Case`] bundles data and chunks);
//! * an independent element model ([`Elem`]) with numpy's `astype` rules ([`cast`]) and
//!   broadcasting ([`broadcast`]), used to compute reference results with plain ndarray;
//! * comparison of results: exact for bool and integers, relative tolerance 1e-12 for float64
//!   and 1e-5 for float32 (plus optional per-element absolute tolerances), NaN equal to NaN;
//! * raw slice indices ([`RawElem`]) that are turned into valid `s![]` elements for any shape;
//! * [`temp_path`]: a file name in a per-test-binary temporary directory.
#![allow(dead_code)]

use std::fmt::Debug;

use ndarray::{ArrayD, IxDyn, SliceInfo, SliceInfoElem};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tessera::{from_array, Array, ArrayData, AxisChunks, ChunkSpec, DType, DataElement};

/// Result type of the checking helpers: a proptest failure instead of a panic.
pub type Check = Result<(), TestCaseError>;

/// proptest settings for one test: `cases` cases and no regression files.
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Element model and reference conversions
// ---------------------------------------------------------------------------------------------

/// One element of any dtype, as the reference computations see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Elem {
    B(bool),
    I(i64),
    F(f64),
}

impl Elem {
    /// numpy truthiness (`x != 0`; NaN is true).
    pub fn b(self) -> bool {
        match self {
            Elem::B(b) => b,
            Elem::I(i) => i != 0,
            Elem::F(f) => f != 0.0,
        }
    }

    /// As i64 (bool as 0/1, floats truncated toward zero).
    pub fn i(self) -> i64 {
        match self {
            Elem::B(b) => b as i64,
            Elem::I(i) => i,
            Elem::F(f) => f as i64,
        }
    }

    /// As f64 (bool as 0/1).
    pub fn f(self) -> f64 {
        match self {
            Elem::B(b) => b as u8 as f64,
            Elem::I(i) => i as f64,
            Elem::F(f) => f,
        }
    }
}

/// The element types, with numpy's `astype` rules written independently of the engine.
pub trait Ref: DataElement {
    fn to_elem(self) -> Elem;
    fn from_elem(e: Elem) -> Self;
}

impl Ref for bool {
    fn to_elem(self) -> Elem {
        Elem::B(self)
    }
    fn from_elem(e: Elem) -> Self {
        e.b()
    }
}
macro_rules! ref_int {
    ($($t:ty),*) => {$(
        impl Ref for $t {
            fn to_elem(self) -> Elem {
                Elem::I(self as i64) // uint64 above i64::MAX keeps its bits
            }
            fn from_elem(e: Elem) -> Self {
                match e {
                    Elem::F(f) => f as $t,
                    other => other.i() as $t, // integers wrap, as numpy
                }
            }
        }
    )*};
}
ref_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Ref for tessera::f16 {
    fn to_elem(self) -> Elem {
        Elem::F(self.to_f64())
    }
    fn from_elem(e: Elem) -> Self {
        tessera::f16::from_f64(e.f())
    }
}
impl Ref for f32 {
    fn to_elem(self) -> Elem {
        Elem::F(self as f64)
    }
    fn from_elem(e: Elem) -> Self {
        match e {
            Elem::I(i) => i as f32,
            other => other.f() as f32,
        }
    }
}
impl Ref for f64 {
    fn to_elem(self) -> Elem {
        Elem::F(self)
    }
    fn from_elem(e: Elem) -> Self {
        e.f()
    }
}

/// Runs `$body` with `$T` bound to the Rust type of the runtime dtype `$dtype`.
macro_rules! with_type {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            tessera::DType::Bool => {
                type $T = bool;
                $body
            }
            tessera::DType::Int8 => {
                type $T = i8;
                $body
            }
            tessera::DType::Int16 => {
                type $T = i16;
                $body
            }
            tessera::DType::Int32 => {
                type $T = i32;
                $body
            }
            tessera::DType::Int64 => {
                type $T = i64;
                $body
            }
            tessera::DType::UInt8 => {
                type $T = u8;
                $body
            }
            tessera::DType::UInt16 => {
                type $T = u16;
                $body
            }
            tessera::DType::UInt32 => {
                type $T = u32;
                $body
            }
            tessera::DType::UInt64 => {
                type $T = u64;
                $body
            }
            tessera::DType::Float16 => {
                type $T = tessera::f16;
                $body
            }
            tessera::DType::Float32 => {
                type $T = f32;
                $body
            }
            tessera::DType::Float64 => {
                type $T = f64;
                $body
            }
        }
    };
}

/// Runs `$body` with `$a` bound to the typed `ArrayD` inside an `ArrayData`.
macro_rules! with_array {
    ($data:expr, $a:ident => $body:expr) => {
        match $data {
            tessera::ArrayData::Bool($a) => $body,
            tessera::ArrayData::Int8($a) => $body,
            tessera::ArrayData::Int16($a) => $body,
            tessera::ArrayData::Int32($a) => $body,
            tessera::ArrayData::Int64($a) => $body,
            tessera::ArrayData::UInt8($a) => $body,
            tessera::ArrayData::UInt16($a) => $body,
            tessera::ArrayData::UInt32($a) => $body,
            tessera::ArrayData::UInt64($a) => $body,
            tessera::ArrayData::Float16($a) => $body,
            tessera::ArrayData::Float32($a) => $body,
            tessera::ArrayData::Float64($a) => $body,
        }
    };
}

/// The elements in C order.
pub fn elems(data: &ArrayData) -> Vec<Elem> {
    with_array!(data, a => a.iter().map(|&x| Ref::to_elem(x)).collect())
}

/// Eager data of `dtype` and `shape` from elements in C order (each converted with `astype`).
pub fn from_elems(dtype: DType, shape: &[usize], values: Vec<Elem>) -> ArrayData {
    with_type!(dtype, T => {
        let typed: Vec<T> = values.into_iter().map(T::from_elem).collect();
        T::wrap(ArrayD::from_shape_vec(IxDyn(shape), typed).expect("values fill the shape"))
    })
}

/// numpy's `astype`, computed without the engine.
pub fn cast(data: &ArrayData, dtype: DType) -> ArrayData {
    from_elems(dtype, data.shape(), elems(data))
}

/// The typed array (converted with `astype` rules).
pub fn typed<T: Ref>(data: &ArrayData) -> ArrayD<T> {
    let values: Vec<T> = elems(data).into_iter().map(T::from_elem).collect();
    ArrayD::from_shape_vec(IxDyn(data.shape()), values).expect("same shape")
}

/// The elements of `data` broadcast to `shape` (numpy rules), in C order.
pub fn broadcast(data: &ArrayData, shape: &[usize]) -> Vec<Elem> {
    with_array!(data, a => a
        .broadcast(IxDyn(shape))
        .unwrap_or_else(|| panic!("{:?} does not broadcast to {shape:?}", a.shape()))
        .iter()
        .map(|&x| Ref::to_elem(x))
        .collect())
}

/// The numpy broadcast of several shapes, computed independently of the engine.
pub fn broadcast_shape(shapes: &[&[usize]]) -> Option<Vec<usize>> {
    let ndim = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1usize; ndim];
    for shape in shapes {
        for (i, &len) in shape.iter().enumerate() {
            let slot = &mut out[ndim - shape.len() + i];
            match (*slot, len) {
                (a, b) if a == b => {}
                (1, b) => *slot = b,
                (_, 1) => {}
                _ => return None,
            }
        }
    }
    Some(out)
}

/// numpy's `result_type` of two array dtypes, as a table (numpy 2).
pub fn numpy_promote(a: DType, b: DType) -> DType {
    use DType::*;
    let rank = |d: DType| DType::ALL.iter().position(|&x| x == d).unwrap();
    let (lo, hi) = if rank(a) <= rank(b) { (a, b) } else { (b, a) };
    match (lo, hi) {
        (x, y) if x == y => x,
        (Bool, y) => y,
        (Int32, Int64) => Int64,
        (Int32 | Int64, Float32) => Float64,
        (_, Float64) => Float64,
        other => unreachable!("{other:?}"),
    }
}

/// The dtype numpy 2 gives a Python scalar next to an array of `array` dtype (NEP 50 "weak"
/// scalars): it takes the array's dtype when it is of the same kind or a lower one.
pub fn numpy_weak_scalar(array: DType, scalar: tessera::Scalar) -> DType {
    use tessera::Scalar;
    match scalar {
        Scalar::Bool(_) => array,
        Scalar::Int(_) if array == DType::Bool => DType::Int64,
        Scalar::Int(_) => array,
        Scalar::Float(_) if array.is_float() => array,
        Scalar::Float(_) => DType::Float64,
    }
}

/// A scalar as an element.
pub fn scalar_elem(s: tessera::Scalar) -> Elem {
    match s {
        tessera::Scalar::Bool(b) => Elem::B(b),
        tessera::Scalar::Int(i) => Elem::I(i),
        tessera::Scalar::Float(f) => Elem::F(f),
    }
}

// ---------------------------------------------------------------------------------------------
// Lazy arrays
// ---------------------------------------------------------------------------------------------

/// A tessera array over a copy of `data` with the given chunks.
pub fn lazy(data: &ArrayData, chunks: impl Into<ChunkSpec>) -> Array {
    with_array!(data, a => from_array(a.clone(), chunks))
}

/// Eager data and a chunk specification for it: one generated test input.
#[derive(Debug, Clone)]
pub struct Case {
    pub data: ArrayData,
    pub chunks: ChunkSpec,
}

impl Case {
    /// The tessera array: `from_array(data.clone(), chunks)`.
    pub fn lazy(&self) -> Array {
        let array = lazy(&self.data, self.chunks.clone());
        array.check().expect("generated chunks are valid");
        array
    }

    pub fn shape(&self) -> &[usize] {
        self.data.shape()
    }

    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// An axis length in 0..=7, zero one time in ten.
pub fn axis_len() -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(0usize), 9 => 1usize..=7]
}

/// An axis length in 1..=7.
pub fn nonzero_axis_len() -> impl Strategy<Value = usize> {
    1usize..=7
}

/// A shape with 0..=3 axes.
pub fn shape() -> impl Strategy<Value = Vec<usize>> {
    shape_with(0..=3)
}

/// A shape with a number of axes in `ndim`.
pub fn shape_with(ndim: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(axis_len(), ndim)
}

/// The dtypes the reference model here covers (its promotion, its element arithmetic); the
/// others are tested against numpy's pinned values (tests/dtypes.rs, tests/ufunc_table.rs).
pub const MODEL_DTYPES: [DType; 5] = [
    DType::Bool,
    DType::Int32,
    DType::Int64,
    DType::Float32,
    DType::Float64,
];

/// One of the model's dtypes.
pub fn dtype() -> impl Strategy<Value = DType> {
    prop::sample::select(MODEL_DTYPES.to_vec())
}

/// A split of `len` into blocks of length >= 1 (`[0]` for an empty axis).
pub fn axis_partition(len: usize) -> BoxedStrategy<Vec<usize>> {
    if len == 0 {
        return Just(vec![0]).boxed();
    }
    prop::collection::vec(any::<bool>(), len - 1)
        .prop_map(move |cuts| {
            let mut sizes = vec![];
            let mut run = 1;
            for cut in cuts {
                if cut {
                    sizes.push(run);
                    run = 1;
                } else {
                    run += 1;
                }
            }
            sizes.push(run);
            sizes
        })
        .boxed()
}

/// How one axis of length `len` may be chunked: a block size (possibly larger than the axis),
/// the whole axis, or explicit block lengths.
pub fn axis_chunks(len: usize) -> BoxedStrategy<AxisChunks> {
    prop_oneof![
        (1..=len + 1).prop_map(AxisChunks::Size),
        Just(AxisChunks::Whole),
        axis_partition(len).prop_map(AxisChunks::Sizes),
    ]
    .boxed()
}

/// A valid chunk specification for `shape`, in one of the forms users write.
pub fn chunks_for(shape: &[usize]) -> BoxedStrategy<ChunkSpec> {
    let sizes: Vec<BoxedStrategy<i64>> = shape
        .iter()
        .map(|&len| prop_oneof![1 => Just(-1i64), 4 => 1..=len as i64 + 1].boxed())
        .collect();
    let explicit: Vec<BoxedStrategy<Vec<usize>>> =
        shape.iter().map(|&len| axis_partition(len)).collect();
    let mixed: Vec<BoxedStrategy<AxisChunks>> = shape.iter().map(|&len| axis_chunks(len)).collect();
    prop_oneof![
        sizes.prop_map(ChunkSpec::from),
        (1i64..=4).prop_map(ChunkSpec::from),
        explicit.prop_map(ChunkSpec::from),
        mixed.prop_map(ChunkSpec::Axes),
    ]
    .boxed()
}

/// A float value: small integers (ties, exact zeros) or any value in [-4, 4).
pub fn float_value() -> impl Strategy<Value = f64> {
    prop_oneof![(-4i32..=4).prop_map(f64::from), -4.0f64..4.0]
}

/// Eager data of `shape` and `dtype`: bools, integers in -9..=9, floats from [`float_value`]
/// (with an occasional NaN when `nan`).
pub fn data_for(shape: Vec<usize>, dtype: DType, nan: bool) -> BoxedStrategy<ArrayData> {
    let n: usize = shape.iter().product();
    let floats = move || -> BoxedStrategy<Vec<f64>> {
        let value = if nan {
            prop_oneof![1 => Just(f64::NAN), 15 => float_value()].boxed()
        } else {
            float_value().boxed()
        };
        prop::collection::vec(value, n).boxed()
    };
    let elems: BoxedStrategy<Vec<Elem>> = match dtype {
        DType::Bool => prop::collection::vec(any::<bool>().prop_map(Elem::B), n).boxed(),
        d if d.is_unsigned() => prop::collection::vec((0i64..=9).prop_map(Elem::I), n).boxed(),
        d if d.is_integer() => prop::collection::vec((-9i64..=9).prop_map(Elem::I), n).boxed(),
        _ => floats()
            .prop_map(|v| v.into_iter().map(Elem::F).collect())
            .boxed(),
    };
    elems
        .prop_map(move |values| from_elems(dtype, &shape, values))
        .boxed()
}

/// A [`Case`] of this shape and dtype.
pub fn case_for(shape: Vec<usize>, dtype: DType) -> BoxedStrategy<Case> {
    (data_for(shape.clone(), dtype, false), chunks_for(&shape))
        .prop_map(|(data, chunks)| Case { data, chunks })
        .boxed()
}

/// A [`Case`] of this shape and dtype whose floats may be NaN.
pub fn case_with_nan(shape: Vec<usize>, dtype: DType) -> BoxedStrategy<Case> {
    (data_for(shape.clone(), dtype, true), chunks_for(&shape))
        .prop_map(|(data, chunks)| Case { data, chunks })
        .boxed()
}

/// A [`Case`] of a random shape and dtype.
pub fn case() -> impl Strategy<Value = Case> {
    (shape(), dtype()).prop_flat_map(|(s, d)| case_for(s, d))
}

/// A [`Case`] of a random shape and the given dtype.
pub fn case_of(dtype: DType) -> impl Strategy<Value = Case> {
    shape().prop_flat_map(move |s| case_for(s, dtype))
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

/// Relative tolerance for values of `dtype`: 1e-12 for float64, 1e-5 for float32, 1e-3 for
/// float16, 0 otherwise.
pub fn rtol(dtype: DType) -> f64 {
    match dtype {
        DType::Float64 => 1e-12,
        DType::Float32 => 1e-5,
        DType::Float16 => 1e-3,
        _ => 0.0,
    }
}

/// True when `a` and `b` agree within `rel` (relative) or `abs` (absolute); NaN equals NaN,
/// infinities must match exactly.
pub fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    if a == b || (a.is_nan() && b.is_nan()) {
        return true;
    }
    if !a.is_finite() || !b.is_finite() {
        return false;
    }
    (a - b).abs() <= rel * a.abs().max(b.abs()) + abs
}

/// Checks that `actual` has the dtype, shape and values of `expected` (default tolerances).
pub fn check_data(actual: &ArrayData, expected: &ArrayData) -> Check {
    check_data_tol(actual, expected, None)
}

/// As [`check_data`], with an extra absolute tolerance for each element (C order).
pub fn check_data_tol(actual: &ArrayData, expected: &ArrayData, atol: Option<&[f64]>) -> Check {
    prop_assert_eq!(
        actual.dtype(),
        expected.dtype(),
        "dtype; actual {:?}, expected {:?}",
        actual,
        expected
    );
    prop_assert_eq!(
        actual.shape(),
        expected.shape(),
        "shape; actual {:?}, expected {:?}",
        actual,
        expected
    );
    let rel = rtol(expected.dtype());
    for (i, (a, e)) in elems(actual).into_iter().zip(elems(expected)).enumerate() {
        let ok = match (a, e) {
            (Elem::F(x), Elem::F(y)) => close(x, y, rel, atol.map_or(0.0, |t| t[i])),
            _ => a == e,
        };
        prop_assert!(
            ok,
            "element {} (C order): actual {:?}, expected {:?}\nactual   {:?}\nexpected {:?}",
            i,
            a,
            e,
            actual,
            expected
        );
    }
    Ok(())
}

/// Computes `array` and checks it against `expected`.
pub fn check_array(array: &Array, expected: &ArrayData) -> Check {
    prop_assert_eq!(array.dtype(), expected.dtype(), "lazy dtype");
    prop_assert_eq!(array.shape(), expected.shape(), "lazy shape");
    prop_assert_eq!(
        array.chunks().shape(),
        expected.shape().to_vec(),
        "chunks cover the shape"
    );
    let computed = array.compute()?;
    check_data(computed.data(), expected)
}

/// Checks that `result` is an error whose message is exactly `message`.
pub fn check_err<T: Debug>(result: tessera::Result<T>, message: &str) -> Check {
    match result {
        Ok(v) => Err(TestCaseError::fail(format!(
            "expected error {message:?}, got Ok({v:?})"
        ))),
        Err(e) => {
            prop_assert_eq!(e.to_string(), message);
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Slices
// ---------------------------------------------------------------------------------------------

/// A slice element before it is fitted to an axis: numbers are reduced modulo the axis length,
/// so any list of these gives valid, in-bounds `s![]` elements for any shape ([`realize`]).
#[derive(Debug, Clone)]
pub enum RawElem {
    /// An index; `negative` writes it counted from the end.
    Index {
        at: usize,
        negative: bool,
    },
    /// A range `start..end;step` with optional end; bounds may be written negative.
    Slice {
        start: (usize, bool),
        end: Option<(usize, bool)>,
        step: isize,
    },
    NewAxis,
}

/// A raw slice element.
pub fn raw_elem() -> impl Strategy<Value = RawElem> {
    let bound = || (0usize..16, any::<bool>());
    prop_oneof![
        3 => (0usize..16, any::<bool>()).prop_map(|(at, negative)| RawElem::Index { at, negative }),
        5 => (bound(), prop::option::of(bound()), prop::sample::select(vec![-3isize, -2, -1, 1, 1, 2, 3]))
            .prop_map(|(start, end, step)| RawElem::Slice { start, end, step }),
        1 => Just(RawElem::NewAxis),
    ]
}

/// A list of 0..=5 raw slice elements.
pub fn raw_index() -> impl Strategy<Value = Vec<RawElem>> {
    prop::collection::vec(raw_elem(), 0..=5)
}

/// The `s![]` elements `raw` stands for on an array of `shape`: indices and bounds are taken
/// modulo the axis length (an index on an empty axis becomes a full range); elements beyond the
/// last axis are dropped.
pub fn realize(raw: &[RawElem], shape: &[usize]) -> Vec<SliceInfoElem> {
    let mut out = Vec::new();
    let mut axis = 0;
    // A position 0..=len, written negative (from the end) when asked and possible.
    let bound = |(at, negative): (usize, bool), len: usize| -> isize {
        let p = at % (len + 1);
        if negative && p < len {
            p as isize - len as isize
        } else {
            p as isize
        }
    };
    for elem in raw {
        match *elem {
            RawElem::NewAxis => out.push(SliceInfoElem::NewAxis),
            _ if axis == shape.len() => {}
            RawElem::Index { at, negative } => {
                let len = shape[axis];
                if len == 0 {
                    out.push(SliceInfoElem::Slice {
                        start: 0,
                        end: None,
                        step: 1,
                    });
                } else {
                    let i = (at % len) as isize;
                    out.push(SliceInfoElem::Index(if negative {
                        i - len as isize
                    } else {
                        i
                    }));
                }
                axis += 1;
            }
            RawElem::Slice { start, end, step } => {
                let len = shape[axis];
                out.push(SliceInfoElem::Slice {
                    start: bound(start, len),
                    end: end.map(|e| bound(e, len)),
                    step,
                });
                axis += 1;
            }
        }
    }
    out
}

/// `elems` with full ranges appended for the axes it does not mention (what ndarray needs).
pub fn pad_index(elems: &[SliceInfoElem], ndim: usize) -> Vec<SliceInfoElem> {
    let consumed = elems
        .iter()
        .filter(|e| !matches!(e, SliceInfoElem::NewAxis))
        .count();
    let mut out = elems.to_vec();
    out.extend(std::iter::repeat_n(
        SliceInfoElem::Slice {
            start: 0,
            end: None,
            step: 1,
        },
        ndim - consumed,
    ));
    out
}

/// ndarray's slicing of eager data with these (in-bounds) elements.
pub fn slice_ref(data: &ArrayData, elems: &[SliceInfoElem]) -> ArrayData {
    let info = SliceInfo::<_, IxDyn, IxDyn>::try_from(pad_index(elems, data.shape().len()))
        .expect("a valid slice");
    with_array!(data, a => DataElement::wrap(a.slice(&info).to_owned()))
}

/// `name` in a temporary directory of this test process, `tessera-<group>-<pid>` (created).
pub fn temp_path(group: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tessera-{group}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir.join(name)
}
