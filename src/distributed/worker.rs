//! The worker side: what `tessera_dask.run_task` does inside a dask worker.

use pyo3::prelude::*;

use super::convert::{value_from_python, value_to_python};
use crate::graph::wire;
use crate::kernels::Value;

/// Runs the task encoded in `spec` on `inputs` (the outputs of its dependencies, in the order
/// of its `deps`) and returns its output. The GIL is released while the chunk is computed, so
/// a worker's threads compute in parallel.
///
/// **Errors**: a Python `RuntimeError` with tessera's message (which names the task's key).
pub fn run_task(py: Python<'_>, spec: &[u8], inputs: Vec<Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
    let task = wire::decode(spec).map_err(runtime_error)?;
    let values: Vec<Value> = inputs.iter().map(value_from_python).collect::<PyResult<_>>()?;
    if values.len() != task.deps.len() {
        return Err(runtime_error(format!("task {} reads {} inputs but was given {}", task.key, task.deps.len(), values.len())));
    }
    let output = py.detach(|| {
        let lookup = |id: usize| -> &Value { &values[task.deps.iter().position(|&d| d == id).expect("a task reads only its deps")] };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::exec::run_task(&task, lookup)))
            .unwrap_or_else(|panic| Err(crate::Error::TaskFailed { op: "compute", key: task.key.to_string(), reason: format!("panicked: {}", panic_message(&panic)) }))
    });
    // Every error names the task (a task's own failures already do).
    let output = output.map_err(|e| match e {
        crate::Error::TaskFailed { .. } => runtime_error(e),
        other => runtime_error(format!("task {} failed: {other}", task.key)),
    })?;
    value_to_python(py, output)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_else(|| "panicked".into())
}

fn runtime_error(error: impl std::fmt::Display) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err(error.to_string())
}
