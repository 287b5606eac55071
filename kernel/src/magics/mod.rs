//! Magics: a layer between the protocol and the evaluator (as IPython's), so the evaluator
//! knows nothing of them and the protocol layer nothing of Rust. `Magics` wraps any
//! [`Interpreter`] and handles the cells that are magics itself.
//!
//! Today: help — `name?`, `?name`, `name??` show the documentation of `name` in the pager.

mod help;

use std::sync::Arc;

use crate::interpreter::{Completion, ExecuteOutcome, Interpreter, Interrupt, IsComplete, KernelInfo, MimeBundle, Output};

/// An interpreter with magics in front of it.
pub struct Magics<I> {
    inner: I,
}

impl<I: Interpreter> Magics<I> {
    /// Wraps `inner`.
    pub fn new(inner: I) -> Magics<I> {
        Magics { inner }
    }
}

impl<I: Interpreter> Interpreter for Magics<I> {
    fn kernel_info(&self) -> KernelInfo {
        self.inner.kernel_info()
    }

    fn execute(&mut self, code: &str, output: &dyn Output) -> ExecuteOutcome {
        match help::target(code) {
            Some(name) => help::run(&mut self.inner, name, output),
            None => self.inner.execute(code, output),
        }
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        self.inner.complete(code, cursor_pos)
    }

    fn inspect(&mut self, code: &str, cursor_pos: usize, detail_level: u8) -> Option<MimeBundle> {
        self.inner.inspect(code, cursor_pos, detail_level)
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        if help::target(code).is_some() {
            return IsComplete::Complete;
        }
        self.inner.is_complete(code)
    }

    fn interrupter(&self) -> Arc<dyn Interrupt> {
        self.inner.interrupter()
    }

    fn shutdown(&mut self, restart: bool) {
        self.inner.shutdown(restart)
    }
}
