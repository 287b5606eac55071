//! The dispatch table (xeus's `m_handler`): msg_type → handler, which channels accept it, and
//! the busy/idle bracket every request gets. Handlers live by topic in the sibling files and
//! build their content with [`replies`](super::replies).

mod comm;
mod execute;
mod history;
mod introspection;
mod lifecycle;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::interpreter::{Interrupt, KernelInfo};

use super::comms::CommRegistry;
use super::connection::Channel;
use super::error::{MessageError, ProtocolError};
use super::history::History;
use super::iopub::Publisher;
use super::message::{JupyterMessage, KernelSession};
use super::replies::{self, ExecutionState};
use super::socket::RouterSender;
use super::stdin::StdinBroker;
use super::worker::Worker;

/// Everything handlers share: the publishing side, the interpreter thread and kernel state.
pub(crate) struct Context {
    pub(crate) session: KernelSession,
    pub(crate) publisher: Publisher,
    pub(crate) stdin: Arc<StdinBroker>,
    pub(crate) worker: Worker,
    /// Fetched once at start, so control can answer `kernel_info_request` while a cell runs.
    pub(crate) kernel_info: KernelInfo,
    pub(crate) interrupter: Arc<dyn Interrupt>,
    pub(crate) history: Mutex<History>,
    pub(crate) comms: Mutex<CommRegistry>,
    /// The last execution count given to a stored cell.
    pub(crate) execution_count: AtomicU64,
    /// Sequence number of the last message queued on shell.
    pub(crate) shell_received: AtomicU64,
    /// Shell `execute_request`s with a sequence number up to this are aborted.
    pub(crate) abort_through: AtomicU64,
    pub(crate) shutdown_requested: AtomicBool,
    /// How long `shutdown_request` waits for `Interpreter::shutdown`.
    pub(crate) shutdown_timeout: Duration,
}

impl Context {
    /// Aborts the execute requests already queued on shell (after a failed `stop_on_error` cell).
    pub(crate) fn abort_queued(&self) {
        self.abort_through
            .store(self.shell_received.load(Ordering::SeqCst), Ordering::SeqCst);
    }

    /// Whether the shell message with sequence number `seq` must be aborted.
    pub(crate) fn is_aborted(&self, seq: u64, request: &JupyterMessage) -> bool {
        request.msg_type() == "execute_request" && seq <= self.abort_through.load(Ordering::SeqCst)
    }

    /// Whether a `shutdown_request` has been handled: the channel loops stop.
    pub(crate) fn is_shutting_down(&self) -> bool {
        self.shutdown_requested.load(Ordering::SeqCst)
    }

    pub(crate) fn history(&self) -> MutexGuard<'_, History> {
        self.history.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn comms(&self) -> MutexGuard<'_, CommRegistry> {
        self.comms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends the reply to `request` with `content` on the request's channel.
    pub(crate) async fn reply(
        &self,
        sender: &RouterSender,
        request: &JupyterMessage,
        content: serde_json::Value,
    ) -> Result<(), ProtocolError> {
        sender
            .send(&request.new_reply(&self.session).with_content(content))
            .await
    }
}

/// Why a handler did not complete; the dispatcher logs it and answers with an error reply.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HandlerError {
    /// The request lacks a field or has one of the wrong type.
    #[error(transparent)]
    BadRequest(#[from] MessageError),
    /// The interpreter or a socket failed.
    #[error(transparent)]
    Failed(#[from] ProtocolError),
}

/// What a handler returns: a boxed future, so handlers of different bodies fit one table.
pub(crate) type HandlerFuture<'a> =
    Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send + 'a>>;

/// A request handler.
pub(crate) type Handler =
    for<'a> fn(&'a Context, &'a RouterSender, &'a JupyterMessage) -> HandlerFuture<'a>;

/// Which channels accept a message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepts {
    Shell,
    Control,
    Both,
}

impl Accepts {
    fn includes(self, channel: Channel) -> bool {
        matches!(
            (self, channel),
            (Accepts::Both, _)
                | (Accepts::Shell, Channel::Shell)
                | (Accepts::Control, Channel::Control)
        )
    }
}

struct Route {
    msg_type: &'static str,
    accepts: Accepts,
    handler: Handler,
}

/// The dispatch table.
static ROUTES: &[Route] = &[
    Route {
        msg_type: "kernel_info_request",
        accepts: Accepts::Both,
        handler: lifecycle::kernel_info,
    },
    Route {
        msg_type: "shutdown_request",
        accepts: Accepts::Both,
        handler: lifecycle::shutdown,
    },
    Route {
        msg_type: "interrupt_request",
        accepts: Accepts::Control,
        handler: lifecycle::interrupt,
    },
    Route {
        msg_type: "execute_request",
        accepts: Accepts::Shell,
        handler: execute::execute,
    },
    Route {
        msg_type: "complete_request",
        accepts: Accepts::Shell,
        handler: introspection::complete,
    },
    Route {
        msg_type: "inspect_request",
        accepts: Accepts::Shell,
        handler: introspection::inspect,
    },
    Route {
        msg_type: "is_complete_request",
        accepts: Accepts::Shell,
        handler: introspection::is_complete,
    },
    Route {
        msg_type: "history_request",
        accepts: Accepts::Shell,
        handler: history::history,
    },
    Route {
        msg_type: "comm_info_request",
        accepts: Accepts::Shell,
        handler: comm::comm_info,
    },
    Route {
        msg_type: "comm_open",
        accepts: Accepts::Shell,
        handler: comm::comm_open,
    },
    Route {
        msg_type: "comm_msg",
        accepts: Accepts::Shell,
        handler: comm::comm_msg,
    },
    Route {
        msg_type: "comm_close",
        accepts: Accepts::Shell,
        handler: comm::comm_close,
    },
];

fn route(msg_type: &str, channel: Channel) -> Option<Handler> {
    ROUTES
        .iter()
        .find(|route| route.msg_type == msg_type && route.accepts.includes(channel))
        .map(|route| route.handler)
}

/// Handles one request from shell or control: `status: busy`, the handler (or an `aborted`
/// reply when `abort`), `status: idle`, all with the request as parent.
pub(crate) async fn handle(
    cx: &Context,
    sender: &RouterSender,
    request: &JupyterMessage,
    abort: bool,
) {
    cx.publisher
        .status(ExecutionState::Busy, Some(&request.header));
    if abort {
        super::log(format_args!(
            "aborting {} {}",
            request.msg_type(),
            request.header.msg_id
        ));
        if let Err(err) = cx.reply(sender, request, replies::aborted_reply()).await {
            super::log(format_args!(
                "{}: cannot send abort reply: {err}",
                sender.channel()
            ));
        }
    } else {
        dispatch(cx, sender, request).await;
    }
    cx.publisher
        .status(ExecutionState::Idle, Some(&request.header));
}

/// Runs the handler of `request`. Unknown types are logged and get no reply; a failed handler
/// is logged and, for `*_request`, answered with an error reply.
async fn dispatch(cx: &Context, sender: &RouterSender, request: &JupyterMessage) {
    let channel = sender.channel();
    let msg_type = request.msg_type();
    let Some(handler) = route(msg_type, channel) else {
        return super::log(format_args!(
            "{channel}: no handler for {msg_type}; ignored"
        ));
    };
    let Err(err) = handler(cx, sender, request).await else {
        return;
    };
    super::log(format_args!("{channel}: {msg_type} failed: {err}"));
    if msg_type.ends_with("_request") {
        let info = match &err {
            HandlerError::BadRequest(reason) => replies::bad_request(reason),
            HandlerError::Failed(reason) => replies::kernel_error(reason),
        };
        if let Err(err) = cx.reply(sender, request, replies::error_reply(&info)).await {
            super::log(format_args!("{channel}: cannot send error reply: {err}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_routes_by_channel_and_has_no_duplicates() {
        assert!(route("execute_request", Channel::Shell).is_some());
        assert!(route("execute_request", Channel::Control).is_none());
        assert!(route("interrupt_request", Channel::Control).is_some());
        assert!(route("interrupt_request", Channel::Shell).is_none());
        assert!(route("kernel_info_request", Channel::Control).is_some());
        assert!(route("shutdown_request", Channel::Shell).is_some());
        assert!(route("debug_request", Channel::Control).is_none());
        let mut types: Vec<_> = ROUTES.iter().map(|route| route.msg_type).collect();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), ROUTES.len());
    }
}
