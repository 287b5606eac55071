//! The tessera Jupyter kernel, as layers that know nothing of each other's insides (as xeus):
//!
//! * [`protocol`] — the Jupyter messaging protocol 5.3 over ZeroMQ: connection file, signed
//!   messages, the five channels, busy/idle, history. It drives any [`Interpreter`].
//! * [`interpreter`] — the contract a language backend implements (execute, complete, inspect,
//!   is_complete, interrupt) and the [`Output`](interpreter::Output) sink it publishes through.
//! * [`magics`] — IPython-style magics (`name?` help, …), a layer in front of any interpreter.
//! * [`evaluate`] — the backend: Rust cells evaluated by embedded evcxr, with tessera preloaded.
//! * [`standby`] — a warmed kernel process waiting to be adopted by the next kernel Jupyter
//!   launches (it serves with the layers above; they know nothing of it).

pub mod allocator;
pub mod completeness;
pub mod evaluate;
pub mod install;
pub mod interpreter;
pub mod magics;
pub mod private_files;
pub mod protocol;
pub mod standby;

pub use interpreter::Interpreter;
