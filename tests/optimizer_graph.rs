//! What the optimizer saves, read off the task graph of the optimized plan: the seed example
//! generates exactly the values it reads, and sliced sources give the values of the whole.

use tessera::graph::{lower, TaskOp};
use tessera::prelude::*;

/// Number of source values the plan of `array` generates: in `Generate` tasks, and in fused
/// reductions (each source of the fused plan, over the task's region; a random source
/// generated straight into its sums, over the task's region).
fn generated(array: &Array) -> usize {
    let graph = lower(array).expect("valid array");
    graph
        .tasks
        .iter()
        .map(|t| match &t.op {
            TaskOp::Generate { region, .. } | TaskOp::RandomReduce { region, .. } => {
                region.iter().map(|r| r.len()).product()
            }
            TaskOp::TiledReduce {
                program, region, ..
            } => program.sources() * region.iter().map(|r| r.len()).product::<usize>(),
            _ => 0,
        })
        .sum()
}

#[test]
fn seed_example_generates_only_the_sliced_columns() {
    for chunks in [[1000, 1000], [10000, 100]] {
        let y = random::normal([10000, 10000], chunks);
        let part = y.mean_axis(0).unwrap().slice(s![0..100]).unwrap();
        let optimized = part.optimized().unwrap();
        assert_eq!(generated(&optimized), 10000 * 100, "chunks {chunks:?}");
        assert_eq!(optimized.chunks(), part.chunks());
        assert_eq!(optimized.shape(), &[100]);
    }
    // Before optimizing: whole chunks of the first column.
    let y = random::normal([10000, 10000], [1000, 1000]);
    assert_eq!(
        generated(&y.mean_axis(0).unwrap().slice(s![0..100]).unwrap()),
        10000 * 1000
    );
}

#[test]
fn explain_shows_both_plans_and_the_task_count() {
    let y = random::normal([10000, 10000], [1000, 1000]);
    let text = y.mean_axis(0).unwrap().slice(s![0..100]).unwrap().explain();
    assert!(
        text.starts_with("logical plan:\ngetitem [0:100] shape=(100,) float64\n"),
        "{text}"
    );
    assert!(
        text.contains("optimized plan:\nmean axes=[0] shape=(100,) float64\n  fused into the sum shape=(10000, 100) float64\n    normal[:, 0:100] of (10000, 10000) shape=(10000, 100) float64\n"),
        "{text}"
    );
    let tasks = lower(
        &y.mean_axis(0)
            .unwrap()
            .slice(s![0..100])
            .unwrap()
            .optimized()
            .unwrap(),
    )
    .unwrap()
    .tasks
    .len();
    assert!(text.ends_with(&format!("chunk tasks: {tasks}\n")), "{text}");
    let bad = ones([2], 1) + ones([3], 1);
    assert_eq!(
        bad.explain(),
        "invalid: add: operands could not be broadcast together with shapes (2,) (3,)\n"
    );
}

#[test]
fn strided_views_of_random_sources_equal_slices_of_the_whole() {
    let rng = random::Rng::new(11);
    let y = rng.normal(0.0, 1.0, [2000, 3000], [300, 700]);
    let k = rng.integers(-5, 5, [2000, 3000], [300, 700]);
    for (name, a) in [("normal", &y), ("integers", &k)] {
        let whole = a.compute().unwrap();
        for index in [
            s![5..1900;97, ..;-113].as_ref().to_vec(),
            s![-1, 7..2990;-1].as_ref().to_vec(),
            s![100..400, NewAxis, 2999].as_ref().to_vec(),
        ] {
            let lazy = a.slice(&index).unwrap();
            assert_eq!(
                generated(&lazy.optimized().unwrap()),
                lazy.size(),
                "{name} {index:?}"
            );
            let expected = match whole.data() {
                tessera::ArrayData::Float64(d) => {
                    tessera::DataElement::wrap(d.slice(index.as_slice()).to_owned())
                }
                tessera::ArrayData::Int64(d) => {
                    tessera::DataElement::wrap(d.slice(index.as_slice()).to_owned())
                }
                other => panic!("unexpected dtype {:?}", other.dtype()),
            };
            assert_eq!(
                lazy.compute().unwrap().data(),
                &expected,
                "{name} {index:?}"
            );
        }
    }
}
