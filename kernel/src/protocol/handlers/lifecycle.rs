//! `kernel_info_request`, `interrupt_request` and `shutdown_request`: the requests control
//! answers even while a cell runs (none of them waits for the running cell, except shutdown
//! for at most `shutdown_timeout` after interrupting it).

use std::sync::atomic::Ordering;

use super::{Context, HandlerFuture};
use crate::protocol::message::JupyterMessage;
use crate::protocol::replies;
use crate::protocol::socket::RouterSender;

/// `kernel_info_request` → `kernel_info_reply` from the facts fetched at start.
pub(super) fn kernel_info<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        cx.reply(sender, request, replies::kernel_info_reply(&cx.kernel_info))
            .await?;
        Ok(())
    })
}

/// `interrupt_request` → interrupts the running cell and any input request it waits on, then
/// `interrupt_reply` at once (the cell ends on its own, with its own reply).
pub(super) fn interrupt<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        cx.interrupter.interrupt();
        cx.stdin.interrupt();
        cx.reply(sender, request, replies::interrupt_reply())
            .await?;
        Ok(())
    })
}

/// `shutdown_request` → stops the channel loops, interrupts a running cell, calls
/// `Interpreter::shutdown(restart)` (waiting at most `shutdown_timeout`), and replies
/// `shutdown_reply`. The server then returns from `run`.
pub(super) fn shutdown<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let restart = request.bool_or("restart", false)?;
        cx.shutdown_requested.store(true, Ordering::SeqCst);
        if cx.worker.is_busy() {
            cx.interrupter.interrupt();
            cx.stdin.interrupt();
        }
        match tokio::time::timeout(cx.shutdown_timeout, cx.worker.shutdown(restart)).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => crate::protocol::log(format_args!("shutdown: {err}")),
            Err(_) => crate::protocol::log(format_args!(
                "shutdown: the interpreter did not stop within {:?}",
                cx.shutdown_timeout
            )),
        }
        cx.reply(sender, request, replies::shutdown_reply(restart))
            .await?;
        Ok(())
    })
}
