//! The README's API tour, compiled and run by the test suite so the README cannot drift.
//!
//! ```text
//! cargo run --release --example tour
//! ```

use tessera::prelude::*;

fn main() -> Result<()> {
    // Creation — lazy; chunks as sizes, -1 for a whole axis, per-axis tuples, or "auto"
    let z = zeros([4000, 3000], "auto");
    let a = arange(0, 12, 1, 5).reshape([3, 4])?;
    let l = linspace(0.0, 1.0, 5, 2);
    let e = from_array(ndarray::array![[1.0, 2.0], [3.0, 4.0]], [1, 2]);
    let c = full([2, 3], 7, vec![vec![1, 1], vec![3]]);
    for x in [&z, &a, &l, &e, &c] {
        println!("{x}");
    }

    // Random numbers — seeded or fresh, counter-based
    let rng = random::Rng::new(42);
    let u = rng.uniform(0.0, 1.0, [1500000, 100000], [10000, 10000]);
    println!(
        "{u}  ({:.1} GB if computed at once)",
        u.nbytes() as f64 / 1024f64.powi(3)
    );
    let n = rng.normal(0.0, 1.0, [4000, 300], [1000, 100]);
    let k = rng.integers(0, 10, [100], 25);

    // Elementwise, with numpy broadcasting and type promotion
    let b = (&n * 2.0 + 1.0).sqrt() - &n.mean_axes(&[0], true)?;
    let mask = n.gt(0.0) & n.lt(1.0);
    let relu = where_(&n.gt(0.0), &n, 0.0);
    let f = n.astype(DType::Float32) * 2.0;
    let g = n.abs().log10() + n.arctan2(&b);
    println!("{b}\n{mask}\n{relu}\n{f}\n{g}");

    // Reductions
    for r in [
        n.sum()?,
        n.mean_axis(0)?,
        n.std(1)?,
        n.var_axes(&[0, 1], true, 0)?,
        n.argmax()?,
        n.min_axis(-1)?,
        mask.any()?,
        mask.all_axis(1)?,
        a.prod()?,
    ] {
        println!("{r}");
    }

    // Scans and differences along an axis, lazy across chunks
    for r in [
        n.cumsum(0)?,
        n.cumprod(-1)?,
        n.nancumsum(0)?,
        n.nancumprod(1)?,
        n.ravel()?.cumsum(0)?,
        n.diff(1, 0)?,
        n.ediff1d()?,
        n.gradient(0.5, 1)?,
        n.trapezoid(0.1, 0)?,
    ] {
        println!("{r}");
    }

    // Structure
    let pieces = [
        n.slice(s![10..20, ..;-2])?,
        n.take([3, 0, 0, -1], 1)?,
        n.t(),
        n.transpose(&[1, 0])?,
        n.rechunk([4000, 50])?,
        a.reshape([-1])?,
        concatenate(&[n.clone(), n.clone()], 0)?,
        stack(&[k.clone(), k.clone()], 1)?,
        n.dot(&n.t())?,
        n.map_blocks(|block: ndarray::ArrayViewD<f64>| block.mapv(f64::tanh))?,
    ];
    for p in &pieces {
        println!("{p}");
    }

    // Indexing and selection
    let x = arange(0, 24, 1, 5).reshape([4, 6])?;
    let rng = random::Rng::new(0);
    let selections = [
        x.slice(s![1..100, -50..2])?,
        x.slice(s![.., NewAxis, 0])?,
        x.slice_ellipsis(s![], s![0])?,
        x.slice([tessera::numpy_slice(Some(4), Some(0), -2, 6)])?,
        x.take([3, 0, 0, -1], 1)?,
        x.index_axis_with(vec![2, 2, 0])?,
        x.take(&ndarray::array![[0i64, 1], [3, 2]], 0)?,
        x.compress(&[true, false, true], 0)?,
        x.vindex(&[vec![0, 3, -1], vec![5, 0, 2]])?,
        x.where_mask(&x.gt(10), -1)?,
        x.set_slice(s![1.., ..2], 0)?,
        x.isin(&[1, 5, 7]),
        tessera::select(&[x.lt(3), x.gt(20)], &[x.clone(), -&x], 0)?,
        rng.permutation(1000, 100),
        rng.shuffle(&x, 0)?,
        rng.choice(&x, 2, false)?,
    ];
    for p in &selections {
        println!("{}", p.compute()?);
    }

    // Results
    let v = n.mean_axis(0)?.compute()?;
    let xs: Vec<f64> = v.to_vec();
    let arr: ndarray::ArrayD<f64> = v.to_ndarray();
    println!(
        "mean of column 0: {:.4}; {} values; shape {:?}",
        xs[0],
        xs.len(),
        arr.shape()
    );
    println!(
        "sum of the mask: {}",
        mask.astype(DType::Int64).sum()?.compute()?
    );
    println!("{}", n.mean_axis(0)?.plan());
    Ok(())
}
