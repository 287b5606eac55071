//! The local Client: futures run in the background and concurrently, give the same values as
//! `compute()`, report status, cancel, and carry task errors with the task's key.

use std::time::Duration;

use tessera::client::{Client, Status};
use tessera::prelude::*;

/// A computation that runs for minutes (1.1 TB of uniform values), for status and cancel.
fn endless() -> Array {
    random::uniform([1_500_000, 100_000], [10_000, 10_000])
        .mean()
        .unwrap()
}

#[test]
fn a_future_gives_the_value_of_compute() {
    let client = Client::new();
    let y = random::normal([2000, 3000], [500, 1000]);
    let future = client.compute(&y.mean_axis(0).unwrap());
    let got = future.result().unwrap().to_ndarray::<f64>();
    assert_eq!(
        got,
        y.mean_axis(0)
            .unwrap()
            .compute()
            .unwrap()
            .to_ndarray::<f64>()
    );
    assert_eq!(future.status(), Status::Finished);
    assert!(future.done());
    assert_eq!(
        future.result().unwrap().to_ndarray::<f64>(),
        got,
        "result() can be asked again"
    );
    assert!(future.key().starts_with("mean"), "{}", future.key());
    assert_eq!(future.type_name(), "ndarray<(3000), float64>");
}

#[test]
fn futures_run_concurrently_and_cancel_alone() {
    let client = Client::new();
    let long = client.compute(&endless());
    let short = client.compute(&ones([100, 100], 10).sum().unwrap());
    assert_eq!(
        short.result().unwrap().to_scalar::<f64>().unwrap(),
        10_000.0
    );
    assert_eq!(
        long.status(),
        Status::Running,
        "the long one is still running while the short one finished"
    );
    long.cancel();
    assert_eq!(long.status(), Status::Cancelled);
    assert!(matches!(long.result(), Err(Error::Cancelled)));
    // The pool is free again: another future runs to the end.
    let after = client.compute(&ones([10], 5).sum().unwrap());
    assert_eq!(after.result().unwrap().to_scalar::<f64>().unwrap(), 10.0);
}

#[test]
fn a_task_error_reaches_result_with_the_task_key() {
    let client = Client::new();
    let bad = ones([4, 4], 2).map_blocks(|b: ndarray::ArrayViewD<f64>| -> ndarray::ArrayD<f64> {
        if !b.is_empty() {
            panic!("bad block");
        }
        b.to_owned()
    });
    let future = client.compute(&bad.unwrap());
    let message = future.result().unwrap_err().to_string();
    assert!(
        message.contains("('map_blocks-") && message.contains("bad block"),
        "{message}"
    );
    assert_eq!(future.status(), Status::Error);
}

#[test]
fn an_invalid_array_gives_a_failed_future() {
    let client = Client::new();
    let wrong = &ones([3], 3) + &ones([4], 4);
    let future = client.compute(&wrong);
    assert!(matches!(future.result(), Err(Error::ShapeMismatch { .. })));
    assert_eq!(future.status(), Status::Error);
}

#[test]
fn gather_returns_values_in_order() {
    let client = Client::new();
    let x = arange(0, 100, 1, 10);
    let futures = [
        client.compute(&x.sum().unwrap()),
        client.compute(&x.max().unwrap()),
        client.compute(&x.slice(s![..3]).unwrap()),
    ];
    let values = client.gather(&futures).unwrap();
    assert_eq!(values[0].to_scalar::<i64>().unwrap(), 4950);
    assert_eq!(values[1].to_scalar::<i64>().unwrap(), 99);
    assert_eq!(values[2].to_vec::<i64>(), vec![0, 1, 2]);
}

#[test]
fn persist_returns_an_array_of_the_values() {
    let client = Client::new();
    let y = random::normal([300, 200], [100, 100]);
    let kept = client.persist(&(&y * 2.0)).unwrap();
    assert_eq!(kept.chunks(), y.chunks());
    assert_eq!(
        kept.sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        (&y * 2.0)
            .sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap()
    );
}

#[test]
fn result_timeout_returns_none_while_running() {
    let client = Client::new();
    let long = client.compute(&endless());
    assert!(long.result_timeout(Duration::from_millis(50)).is_none());
    long.cancel();
}

#[test]
fn client_and_future_show_as_dask_does() {
    let client = Client::new();
    let info = client.info();
    assert_eq!(info.scheduler, "local");
    assert!(info.threads >= 1);
    assert!(
        client
            .to_string()
            .starts_with("<Client: 'local' processes=1 threads="),
        "{client}"
    );
    let html = client.bundle().get("text/html").unwrap().to_string();
    assert!(
        html.contains(
            "<th style=\"text-align: left\">Workers</th><td style=\"text-align: left\">1</td>"
        ),
        "{html}"
    );
    let future = client.compute(&ones([4], 2).sum().unwrap());
    future.result().unwrap();
    assert_eq!(
        future.to_string(),
        format!("<Future: finished, type: float64, key: {}>", future.key())
    );
    let bundle = future.bundle_for(Status::Pending);
    let html = bundle.get("text/html").unwrap();
    assert!(
        html.contains("<strong>Future: sum</strong>") && html.contains(">pending</span>"),
        "{html}"
    );
    roxmltree::Document::parse(html).expect("the future's HTML is well formed");
}
