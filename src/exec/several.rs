//! Several results in one pass (`tessera::compute(&[&a, &b])`): the roots are optimized
//! together, so their common sub-plans are one, lowered into one graph, so each block they
//! share (a source chunk above all) is one task, and run once.

use crate::data::Computed;
use crate::error::Result;
use crate::expr::NodeRef;
use crate::graph::lower::lower_nodes;

use super::events::{with_listeners, Callback};
use super::{budget, join_blocks, threaded, Executor};

/// Computes `roots` in one run of the local executor; the results in the order of `roots`.
pub(crate) fn compute_several(roots: &[NodeRef], callback: &dyn Callback) -> Result<Vec<Computed>> {
    let roots = if crate::config::optimize_enabled() {
        crate::optimize::optimize_several(roots)?
    } else {
        roots.to_vec()
    };
    let graph = lower_nodes(&roots);
    budget::check_several(&roots, &graph, threaded::worker_count())?;
    let executor = threaded::ThreadedExecutor;
    let mut blocks = with_listeners(callback, |listeners| executor.execute(&graph, listeners))?;
    let mut results = Vec::with_capacity(roots.len());
    // The outputs are root after root: each root takes its own blocks off the front.
    let mut rest = blocks.drain(..);
    for root in &roots {
        let own = rest
            .by_ref()
            .take(root.chunks.block_indices().len())
            .collect();
        results.push(Computed::new(join_blocks(root, own)));
    }
    Ok(results)
}
