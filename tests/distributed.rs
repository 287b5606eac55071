//! tessera on a real dask.distributed LocalCluster of two worker processes: the seed's
//! `client.compute(y.sum())` and every kind of task give the values of a local compute, a
//! killed worker is survived, and errors are clear. Needs the Python of `TESSERA_PYTHON` (or
//! `python3`) with dask.distributed and tessera_dask installed (tests/run does that).

use std::sync::OnceLock;

use tessera::client::{Client, Status};
use tessera::prelude::*;

/// One cluster for the whole test binary (starting one takes seconds).
fn cluster() -> &'static Client {
    static CLUSTER: OnceLock<Client> = OnceLock::new();
    CLUSTER.get_or_init(|| Client::local_cluster(2).expect("a LocalCluster of 2 workers starts"))
}

/// The worker processes the cluster spawned (children of this process running
/// multiprocessing's spawn_main).
fn worker_pids() -> Vec<u32> {
    let me = std::process::id().to_string();
    let mut pids = vec![];
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let parent = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(1))
            .unwrap_or_default()
            .to_string();
        let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if parent == me && cmdline.contains("spawn_main") {
            pids.push(pid);
        }
    }
    pids
}

#[test]
fn the_seed_sum_on_the_cluster_equals_the_local_one() {
    let client = cluster();
    let info = client.info();
    assert_eq!(info.workers, 2, "{info:?}");
    assert!(info.scheduler.starts_with("tcp://"), "{info:?}");
    let y = random::normal([10000, 10000], [1000, 1000]);
    let future = client.compute(&y.sum().unwrap());
    let on_cluster = future.result().unwrap().to_scalar::<f64>().unwrap();
    assert_eq!(future.status(), Status::Finished);
    assert_eq!(
        on_cluster,
        y.sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap(),
        "the same tree of partial sums"
    );
}

#[test]
fn every_kind_of_task_gives_the_local_values() {
    let client = cluster();
    let x = random::normal([60, 80], [25, 30]);
    let m = from_array(
        ndarray::Array2::from_shape_fn((6, 6), |(i, j)| (i * 6 + j) as f64),
        [4, 4],
    );
    let cases: Vec<Array> = vec![
        x.mean_axis(0).unwrap().slice(s![5..50]).unwrap(),
        (&x * &x + 1.0).sum_axis(1).unwrap(),
        x.var_axis(1, 1.0).unwrap(),
        x.argmax_axis(0).unwrap(),
        where_(&x.gt(0.0), &x, 0.0).t().rechunk([40, 20]).unwrap(),
        x.reshape([-1]).unwrap().slice(s![..;7]).unwrap(),
        m.dot(&m.t()).unwrap(),
        concatenate(&[arange(0, 10, 1, 3), arange(100, 105, 1, 2)], 0).unwrap(),
        x.gt(1.0).any_axis(0).unwrap(),
    ];
    for case in &cases {
        let local = case.compute().unwrap();
        let remote = client.compute(case).result().unwrap();
        assert!(
            remote == local,
            "{case}: the cluster's values differ from the local ones"
        );
    }
}

#[test]
fn a_closure_is_refused_with_a_clear_error() {
    let y = ones([4], 2)
        .map_blocks(|b: ndarray::ArrayViewD<f64>| b.mapv(|v| v + 1.0))
        .unwrap();
    let message = cluster().compute(&y).result().unwrap_err().to_string();
    assert!(
        message.contains("cannot be sent to cluster workers"),
        "{message}"
    );
}

#[test]
fn a_task_error_on_a_worker_names_the_file() {
    let path = std::env::temp_dir().join(format!("tessera-distributed-{}.npy", std::process::id()));
    arange(0.0, 10.0, 1.0, 5).to_npy(&path).unwrap();
    let x = tessera::io::from_npy(&path, 5).unwrap();
    std::fs::remove_file(&path).unwrap();
    let future = cluster().compute(&x.sum().unwrap());
    let message = future.result().unwrap_err().to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("task ('"),
        "{message}"
    );
    assert_eq!(future.status(), Status::Error);
}

#[test]
fn a_killed_worker_is_survived() {
    let client = cluster();
    let y = random::normal([40000, 20000], [2000, 2000]);
    let future = client.compute(&y.sum().unwrap());
    while future.status() == Status::Pending && worker_pids().len() < 2 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let victim = worker_pids()[0];
    let killed = std::process::Command::new("kill")
        .args(["-9", &victim.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let on_cluster = future
        .result()
        .expect("dask reschedules the lost tasks")
        .to_scalar::<f64>()
        .unwrap();
    assert_eq!(
        on_cluster,
        y.sum()
            .unwrap()
            .compute()
            .unwrap()
            .to_scalar::<f64>()
            .unwrap()
    );
}

#[test]
fn an_unreachable_scheduler_is_named_in_the_error() {
    let error = Client::connect("tcp://127.0.0.1:9")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("cannot connect to the dask scheduler at tcp://127.0.0.1:9"),
        "{error}"
    );
}
