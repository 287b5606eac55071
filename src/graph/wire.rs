//! Chunk tasks as bytes: what a distributed executor sends to a worker, which decodes and runs
//! them with the same engine version. A task is plain data (operation, parameters, the ids of
//! its inputs); the one thing that cannot travel, a `map_blocks` closure, fails to encode with
//! a message saying so.
//!
//! What travels is a [`Unit`]: one task, possibly with some of its input tasks run on the same
//! worker just before it (cheap chunk partials folded into their combine: fewer, larger tasks
//! for the scheduler), and the ids of the inputs it receives from other units, in order.

use serde::{Deserialize, Serialize};

use super::{Task, TaskId};
use crate::error::{Error, Result};

/// Which engine encoded a task: a worker runs only tasks of its own version *and* sources (a
/// fingerprint of `src/`, computed by `build.rs`): a worker built from other sources of the
/// same version could read another task layout, or compute other values.
pub const ENGINE: &str = concat!(
    "tessera ",
    env!("CARGO_PKG_VERSION"),
    " (source ",
    env!("TESSERA_SOURCE_HASH"),
    ")"
);

/// Tasks run together on one worker, in order; the last one's output is the unit's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Unit {
    /// The tasks' ids in their graph (what the tasks' inputs refer to).
    pub ids: Vec<TaskId>,
    pub tasks: Vec<Task>,
    /// The tasks of other units whose outputs this unit is given, in this order.
    pub inputs: Vec<TaskId>,
}

impl Unit {
    /// The task whose output is the unit's.
    pub fn last(&self) -> &Task {
        self.tasks.last().expect("a unit has a task")
    }
}

#[derive(Serialize)]
struct Outgoing<'a> {
    engine: &'a str,
    ids: &'a [TaskId],
    tasks: &'a [&'a Task],
    inputs: &'a [TaskId],
}

/// The unit of `tasks` with graph ids `ids` (inputs first, the output task last), given the
/// outputs of `inputs`, as bytes (JSON).
///
/// **Errors**: [`Error::Cluster`] when a task cannot travel (a `map_blocks` closure).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::graph::{lower, wire};
/// let graph = lower(&ones([4, 4], 2).sum()?)?;
/// let task = &graph.tasks[0];
/// let unit = wire::decode(&wire::encode(&[0], &[task], &task.deps)?)?;
/// assert_eq!(unit.last().key, task.key);
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn encode(ids: &[TaskId], tasks: &[&Task], inputs: &[TaskId]) -> Result<Vec<u8>> {
    let key = &tasks.last().expect("a unit has a task").key;
    serde_json::to_vec(&Outgoing {
        engine: ENGINE,
        ids,
        tasks,
        inputs,
    })
    .map_err(|e| Error::Cluster {
        reason: format!("task {key} cannot be sent: {e}"),
    })
}

/// The unit encoded in `bytes`.
///
/// **Errors**: [`Error::Cluster`] naming the task when the bytes are not tasks of this engine
/// version (the message names both versions), or a source cannot be opened here (a file the
/// worker cannot see).
pub fn decode(bytes: &[u8]) -> Result<Unit> {
    let unreadable = |reason: String| Error::Cluster {
        reason: format!("a task could not be read: {reason}"),
    };
    let incoming: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| unreadable(e.to_string()))?;
    // The key first, so that any later error names the task.
    let key: super::TaskKey = serde_json::from_value(
        incoming["tasks"]
            .as_array()
            .and_then(|t| t.last())
            .map(|t| t["key"].clone())
            .unwrap_or_default(),
    )
    .map_err(|e| unreadable(e.to_string()))?;
    let engine = incoming["engine"].as_str().unwrap_or("an unknown engine");
    if engine != ENGINE {
        return Err(Error::Cluster {
            reason: format!(
                "task {key} comes from {engine}, but this worker runs {ENGINE}: \
                 install the same build of tessera everywhere"
            ),
        });
    }
    let unit: Unit = serde_json::from_value(incoming).map_err(|e| Error::Cluster {
        reason: format!("task {key} could not be read: {e}"),
    })?;
    if unit.tasks.is_empty() || unit.ids.len() != unit.tasks.len() {
        return Err(unreadable("no task in it".into()));
    }
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::lower;
    use crate::prelude::*;

    /// Every task of `array`'s optimized graph survives encoding unchanged (compared by debug
    /// text); the kinds of the tasks, by name.
    fn round_trips(array: &Array) -> Vec<String> {
        let graph = lower(&array.optimized().unwrap()).unwrap();
        let mut kinds = Vec::new();
        for task in &graph.tasks {
            let back = decode(&encode(&[0], &[task], &task.deps).unwrap()).unwrap();
            assert_eq!(format!("{:?}", back.last()), format!("{task:?}"));
            assert_eq!(back.inputs, task.deps);
            let text = format!("{:?}", task.op);
            kinds.push(text[..text.find([' ', '{']).unwrap_or(text.len())].to_string());
        }
        kinds
    }

    #[test]
    fn tasks_of_every_kind_round_trip() {
        let x = random::normal([6, 8], [3, 4]);
        let m = from_array(ndarray::arr2(&[[1.0, 2.0], [3.0, 4.0]]), [1, 2]);
        let kinds = [
            round_trips(&(&x * &x + 1.0).sum().unwrap()),
            round_trips(&x.mean_axis(0).unwrap().slice(s![1..5]).unwrap()),
            round_trips(&x.t().reshape([-1]).unwrap().rechunk([10]).unwrap()),
            round_trips(&m.dot(&m).unwrap().argmax_axis(1).unwrap()),
            round_trips(&where_(&x.gt(0.0), &x, 0.0).var_axis(1, 1.0).unwrap()),
            round_trips(&concatenate(&[arange(0, 6, 1, 2), linspace(0.0, 1.0, 6, 3)], 0).unwrap()),
            round_trips(&x.abs().log10().arctan2(&x).t().pow(2.0).lt(1.0)),
        ]
        .concat();
        for kind in [
            "TiledReduce",
            "RandomReduce",
            "Unary",
            "Binary",
            "Dot",
            "Reshape",
        ] {
            assert!(
                kinds.iter().any(|k| k == kind),
                "no {kind} task in {kinds:?}"
            );
        }
    }

    #[test]
    fn a_closure_cannot_travel() {
        let y = ones([4], 2)
            .map_blocks(|b: ndarray::ArrayViewD<f64>| b.mapv(|v| v * 2.0))
            .unwrap();
        let graph = lower(&y).unwrap();
        let task = graph
            .tasks
            .iter()
            .find(|t| t.key.layer.starts_with("map_blocks"))
            .expect("the map_blocks task");
        let message = encode(&[0], &[task], &task.deps).unwrap_err().to_string();
        assert!(
            message.contains("map_blocks runs a Rust closure")
                && message.contains("compute it locally"),
            "{message}"
        );
    }

    #[test]
    fn another_engine_version_is_refused() {
        let graph = lower(&ones([2], 2)).unwrap();
        let text = String::from_utf8(encode(&[0], &[&graph.tasks[0]], &[]).unwrap())
            .unwrap()
            .replace(ENGINE, "tessera 0.0.0");
        let message = decode(text.as_bytes()).unwrap_err().to_string();
        assert!(
            message.contains("tessera 0.0.0")
                && message.contains(ENGINE)
                && message.contains("('ones-"),
            "{message}"
        );
    }
}
