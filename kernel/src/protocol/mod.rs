//! The Jupyter messaging protocol 5.3 over ZeroMQ (the xeus "kernel core").
//!
//! This layer owns sockets, signing, message ids, execution counts, busy/idle, history and
//! comms. It drives any [`Interpreter`](crate::Interpreter) and knows nothing of evaluation:
//! code goes in through the trait, output comes back through
//! [`Output`](crate::interpreter::Output).
//!
//! * [`connection`] — the connection file and the endpoints of the five channels.
//! * [`signing`] — HMAC-SHA256 message signatures.
//! * [`message`] — [`JupyterMessage`]: wire frames, headers, replies derived from requests.
//! * [`replies`] — the content of every message the kernel sends.
//! * [`history`] — the persistent, cross-session input history.
//! * [`server`] — binds the sockets and runs one loop per channel ([`serve`]).
//!
//! Internally, `handlers` is the dispatch table (msg_type → handler), `worker` the thread that
//! owns the interpreter, `iopub`/`stdin`/`output` the publishing side, `comms` the comm
//! registry and `socket` the ZeroMQ glue.
//!
//! # Examples
//!
//! ```no_run
//! use tessera_kernel::protocol::{serve_blocking, ConnectionInfo, ServerOptions};
//! # fn interpreter() -> Box<dyn tessera_kernel::Interpreter> { unimplemented!() }
//! let connection = ConnectionInfo::from_file("/run/user/1000/jupyter/kernel-1.json")?;
//! serve_blocking(connection, interpreter(), ServerOptions::default())?;
//! # Ok::<(), tessera_kernel::protocol::ProtocolError>(())
//! ```

pub mod connection;
pub mod error;
pub mod history;
pub mod message;
pub mod replies;
pub mod server;
pub mod signing;

mod comms;
mod handlers;
mod iopub;
mod output;
mod socket;
mod stdin;
mod worker;

pub use connection::{Channel, ConnectionInfo, Transport};
pub use error::{MessageError, ProtocolError};
pub use history::History;
pub use message::{Header, JupyterMessage, KernelSession, PROTOCOL_VERSION};
pub use server::{serve, serve_blocking, Server, ServerOptions};
pub use signing::Signer;

/// Writes one diagnostic line to stderr (the kernel's log, shown by the Jupyter server).
pub(crate) fn log(message: std::fmt::Arguments<'_>) {
    eprintln!("[tessera-kernel] {message}");
}
