//! `tessera_dask._native`: the extension module dask workers import to run tessera's chunk
//! tasks. All the work is in `tessera::distributed`; this crate only registers it.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Runs one encoded tessera task on its inputs (outputs of its dependencies, in order).
#[pyfunction]
#[pyo3(signature = (spec, *inputs))]
fn run_task(py: Python<'_>, spec: &[u8], inputs: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
    tessera::distributed::run_task(py, spec, inputs.iter().collect())
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(run_task, module)?)?;
    module.add("ENGINE", tessera::graph::wire::ENGINE)?;
    Ok(())
}
