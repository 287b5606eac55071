//! Tree reductions give the same results whatever their fan-in (`config::set_split_every`).
//!
//! The fan-in is process-global configuration read when a reduction is built, so this file is
//! its own test binary with a single test, which sets 2, 3 and 8 in turn and restores the
//! default. Integer, bool, min/max and arg results must be identical; float sums, means and
//! variances may differ only by rounding (the summation tree changes). The task graphs are
//! checked to really differ, so the setting is known to have taken effect.

#[macro_use]
mod common;

use common::*;
use ndarray::{Array3, Axis};
use tessera::config;
use tessera::prelude::*;

/// Every reduction of interest on `x`, over several axis choices.
fn reductions(x: &Array) -> Result<Vec<(String, Array)>> {
    let mut out = Vec::new();
    // (label, axes and keepdims; None for the whole-array methods)
    type Choice<'a> = (&'a str, Option<(&'a [isize], bool)>);
    let choices: [Choice; 5] = [
        ("all", None),
        ("axis 0", Some((&[0], false))),
        ("axis -1", Some((&[-1], true))),
        ("axes 0,2", Some((&[0, 2], false))),
        ("axes 0,1,2", Some((&[0, 1, 2], true))),
    ];
    for (label, axes) in choices {
        let mut push = |name: &str, r: Result<Array>| -> Result<()> {
            out.push((format!("{name} over {label}"), r?));
            Ok(())
        };
        match axes {
            None => {
                push("sum", x.sum())?;
                push("prod", x.prod())?;
                push("min", x.min())?;
                push("max", x.max())?;
                push("mean", x.mean())?;
                push("var", x.var(1))?;
                push("std", x.std(0))?;
                push("argmin", x.argmin())?;
                push("argmax", x.argmax())?;
                push("any", x.gt(0).any())?;
                push("all", x.lt(3).all())?;
            }
            Some((axes, keep)) => {
                push("sum", x.sum_axes(axes, keep))?;
                push("prod", x.prod_axes(axes, keep))?;
                push("min", x.min_axes(axes, keep))?;
                push("max", x.max_axes(axes, keep))?;
                push("mean", x.mean_axes(axes, keep))?;
                push("var", x.var_axes(axes, keep, 1))?;
                push("std", x.std_axes(axes, keep, 0))?;
                if axes.len() == 1 || axes.len() == x.ndim() {
                    push("argmin", x.argmin_axes(axes, keep))?;
                    push("argmax", x.argmax_axes(axes, keep))?;
                }
                push("any", x.gt(0).any_axes(axes, keep))?;
                push("all", x.lt(3).all_axes(axes, keep))?;
            }
        }
    }
    Ok(out)
}

fn combine_tasks(array: &Array) -> Result<usize> {
    Ok(tessera::graph::lower(array)?
        .tasks
        .iter()
        .filter(|t| t.key.layer.contains("-combine"))
        .count())
}

#[test]
fn results_do_not_depend_on_split_every() -> Result<()> {
    // 13 x 11 x 6 in blocks of 2 x 3 x 1: 7 x 4 x 6 = 168 blocks, deep trees at fan-in 2
    let values = Array3::from_shape_fn((13, 11, 6), |(i, j, k)| {
        ((i * 37 + j * 11 + k * 5) % 23) as i64 - 11
    });
    let ints = from_array(values.clone(), [2, 3, 1]);
    let floats = random::Rng::new(11).normal(0.5, 2.0, [13, 11, 6], [2, 3, 1]);

    let mut runs = Vec::new();
    for fan_in in [2, 3, 8] {
        config::set_split_every(fan_in);
        let mut results = Vec::new();
        for x in [&ints, &floats] {
            for (label, r) in reductions(x)? {
                results.push((
                    format!("{} {label}", x.dtype()),
                    combine_tasks(&r)?,
                    r.compute()?,
                ));
            }
        }
        runs.push((fan_in, results));
    }
    config::set_split_every(config::DEFAULT_SPLIT_EVERY);

    // the integer sums agree with ndarray at the deepest tree
    let (_, deepest) = &runs[0];
    let sum0 = deepest
        .iter()
        .find(|(l, ..)| l == "int64 sum over axis 0")
        .expect("computed");
    assert_eq!(
        sum0.2.to_ndarray::<i64>(),
        values.sum_axis(Axis(0)).into_dyn()
    );
    let total = deepest
        .iter()
        .find(|(l, ..)| l == "int64 sum over all")
        .expect("computed");
    assert_eq!(total.2.to_scalar::<i64>()?, values.sum());

    let (_, reference) = &runs[2];
    for (fan_in, results) in &runs[..2] {
        let mut more_combines = false;
        for ((label, combines, got), (_, default_combines, want)) in results.iter().zip(reference) {
            more_combines |= combines > default_combines;
            let summed = ["sum", "prod", "mean", "var", "std"]
                .iter()
                .any(|op| label.contains(&format!(" {op} ")));
            let order_dependent = want.dtype().is_float() && summed;
            if order_dependent {
                // rounding only: float64 tolerance relative to the values' magnitude
                check_data_tol(
                    got.data(),
                    want.data(),
                    Some(&vec![1e-12 * 1000.0; want.len()]),
                )
                .unwrap_or_else(|e| panic!("{label} with split_every {fan_in}: {e}"));
            } else {
                assert_eq!(got, want, "{label} with split_every {fan_in}");
            }
        }
        assert!(
            more_combines,
            "split_every {fan_in} should build deeper trees than 8"
        );
    }
    Ok(())
}
