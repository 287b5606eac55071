//! Chunk tasks as bytes: what a distributed executor sends to a worker, which decodes and runs
//! the task with the same engine version. A task is plain data (operation, parameters, the
//! ids of its inputs); the one thing that cannot travel, a `map_blocks` closure, fails to
//! encode with a message saying so.

use serde::Serialize;

use super::Task;
use crate::error::{Error, Result};

/// Which engine encoded a task: a worker runs only tasks of its own version.
pub const ENGINE: &str = concat!("tessera ", env!("CARGO_PKG_VERSION"));

#[derive(Serialize)]
struct Outgoing<'a> {
    engine: &'a str,
    task: &'a Task,
}

/// `task` as bytes (JSON).
///
/// **Errors**: [`Error::Cluster`] when the task cannot travel (a `map_blocks` closure).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::graph::{lower, wire};
/// let graph = lower(&ones([4, 4], 2).sum()?)?;
/// let bytes = wire::encode(&graph.tasks[0])?;
/// assert_eq!(wire::decode(&bytes)?.key, graph.tasks[0].key);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn encode(task: &Task) -> Result<Vec<u8>> {
    serde_json::to_vec(&Outgoing { engine: ENGINE, task }).map_err(|e| Error::Cluster { reason: format!("task {} cannot be sent: {e}", task.key) })
}

/// The task encoded in `bytes`.
///
/// **Errors**: [`Error::Cluster`] naming the task when the bytes are not a task of this engine
/// version (the message names both versions), or a source cannot be opened here (a file the
/// worker cannot see).
pub fn decode(bytes: &[u8]) -> Result<Task> {
    let unreadable = |reason: String| Error::Cluster { reason: format!("a task could not be read: {reason}") };
    let mut incoming: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| unreadable(e.to_string()))?;
    let task = incoming.get_mut("task").map(serde_json::Value::take).ok_or_else(|| unreadable("no task in it".into()))?;
    // The key first, so that any later error names the task.
    let key: super::TaskKey = serde_json::from_value(task["key"].clone()).map_err(|e| unreadable(e.to_string()))?;
    let engine = incoming["engine"].as_str().unwrap_or("an unknown engine");
    if engine != ENGINE {
        return Err(Error::Cluster { reason: format!("task {key} comes from {engine}, but this worker runs {ENGINE}: install the same version everywhere") });
    }
    serde_json::from_value(task).map_err(|e| Error::Cluster { reason: format!("task {key} could not be read: {e}") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::lower;
    use crate::prelude::*;

    /// Every task of `array`'s graph survives encoding unchanged (compared by debug text).
    fn round_trips(array: &Array) {
        let graph = lower(array).unwrap();
        for task in &graph.tasks {
            let back = decode(&encode(task).unwrap()).unwrap();
            assert_eq!(format!("{back:?}"), format!("{task:?}"));
        }
    }

    #[test]
    fn tasks_of_every_kind_round_trip() {
        let x = random::normal([6, 8], [3, 4]);
        let m = from_array(ndarray::arr2(&[[1.0, 2.0], [3.0, 4.0]]), [1, 2]);
        round_trips(&(&x * &x + 1.0).sum().unwrap());
        round_trips(&x.mean_axis(0).unwrap().slice(s![1..5]).unwrap());
        round_trips(&x.t().reshape([-1]).unwrap().rechunk([10]).unwrap());
        round_trips(&m.dot(&m).unwrap().argmax_axis(1).unwrap());
        round_trips(&where_(&x.gt(0.0), &x, 0.0).var_axis(1, 1.0).unwrap());
        round_trips(&concatenate(&[arange(0, 6, 1, 2), linspace(0.0, 1.0, 6, 3)], 0).unwrap());
    }

    #[test]
    fn a_closure_cannot_travel() {
        let y = ones([4], 2).map_blocks(|b: ndarray::ArrayViewD<f64>| b.mapv(|v| v * 2.0)).unwrap();
        let graph = lower(&y).unwrap();
        let task = graph.tasks.iter().find(|t| t.key.layer.starts_with("map_blocks")).expect("the map_blocks task");
        let message = encode(task).unwrap_err().to_string();
        assert!(message.contains("map_blocks runs a Rust closure") && message.contains("compute it locally"), "{message}");
    }

    #[test]
    fn another_engine_version_is_refused() {
        let graph = lower(&ones([2], 2)).unwrap();
        let text = String::from_utf8(encode(&graph.tasks[0]).unwrap()).unwrap().replace(ENGINE, "tessera 0.0.0");
        let message = decode(text.as_bytes()).unwrap_err().to_string();
        assert!(message.contains("tessera 0.0.0") && message.contains(ENGINE) && message.contains("('ones-"), "{message}");
    }
}
