//! The worker side: what `tessera_dask.run_task` does inside a dask worker.

use std::collections::HashMap;

use pyo3::prelude::*;

use super::convert::{value_from_python, value_to_python};
use crate::graph::{wire, Task, TaskId};
use crate::kernels::Value;

/// Runs the unit of tasks encoded in `spec` (see [`wire::Unit`]) on `inputs` (the outputs of
/// the unit's input tasks, in order) and returns its last task's output. The GIL is released
/// while chunks are computed, so a worker's threads compute in parallel.
///
/// **Errors**: a Python `RuntimeError` with tessera's message, naming the task that failed.
pub fn run_task(py: Python<'_>, spec: &[u8], inputs: Vec<Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
    let unit = wire::decode(spec).map_err(runtime_error)?;
    if inputs.len() != unit.inputs.len() {
        return Err(runtime_error(format!(
            "task {} reads {} inputs but was given {}",
            unit.last().key,
            unit.inputs.len(),
            inputs.len()
        )));
    }
    let mut values: HashMap<TaskId, Value> =
        HashMap::with_capacity(unit.tasks.len() + inputs.len());
    for (&id, object) in unit.inputs.iter().zip(&inputs) {
        values.insert(id, value_from_python(object)?);
    }
    let output = py.detach(|| -> crate::Result<Value> {
        let (last, before) = unit
            .tasks
            .split_last()
            .expect("decode checked the unit has a task");
        // Input tasks run here first; each has one reader, the unit's last task.
        for (&id, task) in unit.ids.iter().zip(before) {
            let value = run_one(task, &values)?;
            values.insert(id, value);
        }
        run_one(last, &values)
    });
    value_to_python(py, output.map_err(runtime_error)?)
}

/// Runs one task on the outputs in `values`, every error naming the task.
fn run_one(task: &Task, values: &HashMap<TaskId, Value>) -> crate::Result<Value> {
    let lookup = |id: TaskId| -> &Value {
        values
            .get(&id)
            .expect("a task reads only its deps, which ran or were given")
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::exec::run_task(task, lookup)
    }))
    .unwrap_or_else(|panic| {
        Err(crate::Error::TaskFailed {
            op: "compute",
            key: task.key.to_string(),
            reason: format!("panicked: {}", panic_message(&panic)),
        })
    });
    outcome.map_err(|e| match e {
        crate::Error::TaskFailed { .. } => e,
        other => crate::Error::Cluster {
            reason: format!("task {} failed: {other}", task.key),
        },
    })
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panicked".into())
}

fn runtime_error(error: impl std::fmt::Display) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(error.to_string())
}
