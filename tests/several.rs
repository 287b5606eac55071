//! Several results in one pass (`tessera::compute(&[..])`, `tessera::persist(&[..])`): the
//! values are those of computing each array alone (and of ndarray on the same inputs), in one
//! computation that reads each source chunk once — counted on `.npy` sources (their read
//! tasks) and on a counting block function.

use std::sync::atomic::{AtomicUsize, Ordering};

use ndarray::{ArrayD, Axis as NdAxis, IxDyn};
use tessera::io::from_npy;
use tessera::prelude::*;

mod common;

/// `u` and `v` as `.npy` files of shape (13, 3, 5, 7), read in odd chunks along time.
fn quad_inputs(name: &str) -> (Array, Array, ArrayD<f64>, ArrayD<f64>) {
    let shape = [13, 3, 5, 7];
    let mut arrays = Vec::new();
    for (k, seed) in [(0, 11), (1, 12)] {
        let x = random::Rng::new(seed).normal(0.0, 1.0, shape, [13, 3, 5, 7]);
        let path = common::temp_path("several", &format!("{name}-{k}.npy"));
        x.to_npy(&path).unwrap();
        let values = x.compute().unwrap().into_ndarray::<f64>();
        arrays.push((from_npy(&path, [4, 3, 5, 7]).unwrap(), values));
    }
    let (v, v_values) = arrays.pop().unwrap();
    let (u, u_values) = arrays.pop().unwrap();
    (u, v, u_values, v_values)
}

fn close(got: &Computed, want: &ArrayD<f64>) {
    let got = got.clone().into_ndarray::<f64>();
    assert_eq!(got.shape(), want.shape());
    for (a, b) in got.iter().zip(want.iter()) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} vs {b}");
    }
}

#[test]
fn quadratic_means_read_each_source_chunk_once() {
    let (u, v, uu, vv) = quad_inputs("quad");
    let means = [
        (&u * &u).mean_axis(0).unwrap(),
        (&v * &v).mean_axis(0).unwrap(),
        (&u * &v).mean_axis(0).unwrap(),
    ];
    let profiler = Profiler::new();
    let out = tessera::compute_with(&[&means[0], &means[1], &means[2]], &profiler).unwrap();
    let reads = profiler
        .results()
        .iter()
        .filter(|t| t.operation == "from-npy")
        .count();
    // 4 chunks along time in each of u and v, each read by one task
    assert_eq!(reads, 8, "{:?}", profiler.results());
    let expect = [
        (&uu * &uu).mean_axis(NdAxis(0)).unwrap(),
        (&vv * &vv).mean_axis(NdAxis(0)).unwrap(),
        (&uu * &vv).mean_axis(NdAxis(0)).unwrap(),
    ];
    for (got, want) in out.iter().zip(&expect) {
        close(got, want);
    }
    // each alone gives the same values
    for (got, mean) in out.iter().zip(&means) {
        close(got, &mean.compute().unwrap().into_ndarray::<f64>());
    }
}

static CALLS: AtomicUsize = AtomicUsize::new(0);

#[test]
fn a_block_function_shared_by_several_results_runs_once_a_chunk() {
    let x = random::Rng::new(7).uniform(-1.0, 1.0, [50, 9], [7, 9]); // 8 chunks, the last of 1
    let counted = x
        .map_blocks(|b: ndarray::ArrayViewD<f64>| {
            CALLS.fetch_add(1, Ordering::SeqCst);
            b.mapv(|v| v * 3.0)
        })
        .unwrap();
    let (sum, max, last) = (
        counted.sum().unwrap(),
        counted.max_axis(1).unwrap(),
        counted.slice(s![49, ..]).unwrap(),
    );
    let before = CALLS.load(Ordering::SeqCst);
    let out = tessera::compute(&[&sum, &max, &last, &sum]).unwrap();
    assert_eq!(CALLS.load(Ordering::SeqCst) - before, 8);
    let values = x.compute().unwrap().into_ndarray::<f64>().mapv(|v| v * 3.0);
    close(&out[0], &ArrayD::from_elem(IxDyn(&[]), values.sum()));
    close(&out[3], &ArrayD::from_elem(IxDyn(&[]), values.sum()));
    let max_want = values.map_axis(NdAxis(1), |r| r.fold(f64::NEG_INFINITY, |a, &b| a.max(b)));
    close(&out[1], &max_want.into_dyn());
    close(
        &out[2],
        &values.index_axis(NdAxis(0), 49).to_owned().into_dyn(),
    );
}

#[test]
fn unshared_roots_keep_their_fusion_and_values_match() {
    // NaN, ±inf and an empty array among the results; roots that share nothing
    let data = ndarray::arr1(&[1.0, f64::NAN, f64::INFINITY, -2.0, f64::NEG_INFINITY, 0.5]);
    let a = from_array(data.clone().into_dyn(), [4]);
    let b = random::Rng::new(9).normal(0.0, 1.0, [30, 4], [7, 3]);
    let empty = zeros([0, 3], [2, 3]);
    let (a_sum, b_mean, e_sum, a_max) = (
        a.sum().unwrap(),
        (&b * 2.0).mean().unwrap(),
        empty.sum_axis(0).unwrap(),
        a.nanmax().unwrap(),
    );
    let out = tessera::compute(&[&a_sum, &b_mean, &e_sum, &a_max]).unwrap();
    assert!(out[0].to_scalar::<f64>().unwrap().is_nan());
    let b_values = b.compute().unwrap().into_ndarray::<f64>();
    close(
        &out[1],
        &ArrayD::from_elem(IxDyn(&[]), (&b_values * 2.0).mean().unwrap()),
    );
    assert_eq!(out[2].to_vec::<f64>(), vec![0.0; 3]);
    assert_eq!(out[3].to_scalar::<f64>().unwrap(), f64::INFINITY);
}

#[test]
fn errors_and_empty_lists() {
    assert!(tessera::compute(&[]).unwrap().is_empty());
    let good = ones([4], [2]);
    // a block function giving the wrong shape fails the one computation, naming the chunk
    let bad = good
        .map_blocks(|b: ndarray::ArrayViewD<f64>| ArrayD::<f64>::zeros(IxDyn(&[b.len() + 1])))
        .unwrap();
    let err = tessera::compute(&[&good, &bad]).unwrap_err();
    assert!(err.to_string().contains("map_blocks"), "{err}");
}

#[test]
fn persist_of_several_keeps_values_in_memory() {
    let (u, v, uu, vv) = quad_inputs("persist");
    let (prod, diff) = (&u * &v, &u - &v);
    let kept = tessera::persist(&[&prod, &diff]).unwrap();
    assert_eq!(kept.len(), 2);
    for (k, want) in [(&uu * &vv), (&uu - &vv)].iter().enumerate() {
        assert_eq!(kept[k].chunks(), u.chunks());
        assert!(!kept[k].plan().contains("npy"), "{}", kept[k].plan());
        close(&kept[k].compute().unwrap(), want);
    }
}
