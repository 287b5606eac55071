//! Comms: `comm_info_request`, and `comm_open` / `comm_msg` / `comm_close` kept in the
//! registry. The kernel has no comm targets yet, so a `comm_open` is answered with a
//! `comm_close` on iopub, as ipykernel does for unknown targets.

use super::{Context, HandlerFuture};
use crate::protocol::message::JupyterMessage;
use crate::protocol::replies;
use crate::protocol::socket::RouterSender;

/// `comm_info_request` → `comm_info_reply`, filtered by `target_name` if given.
pub(super) fn comm_info<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let target = request.optional_str("target_name")?;
        let content = replies::comm_info_reply(cx.comms().list(target));
        cx.reply(sender, request, content).await?;
        Ok(())
    })
}

/// `comm_open` → registered if its target exists, else refused with `comm_close`.
pub(super) fn comm_open<'a>(
    cx: &'a Context,
    _sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let comm_id = request.required_str("comm_id")?;
        let target = request.required_str("target_name")?;
        let opened = cx.comms().open(comm_id, target);
        if !opened {
            crate::protocol::log(format_args!(
                "comm_open: no comm target {target:?}; closing {comm_id}"
            ));
            cx.publisher.publish(
                "comm_close",
                replies::comm_close(comm_id),
                Some(&request.header),
            );
        }
        Ok(())
    })
}

/// `comm_msg` → ignored (logged) for a comm that is not open.
pub(super) fn comm_msg<'a>(
    cx: &'a Context,
    _sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let comm_id = request.required_str("comm_id")?;
        if !cx.comms().is_open(comm_id) {
            crate::protocol::log(format_args!("comm_msg: unknown comm {comm_id}; ignored"));
        }
        Ok(())
    })
}

/// `comm_close` → removes the comm from the registry.
pub(super) fn comm_close<'a>(
    cx: &'a Context,
    _sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let comm_id = request.required_str("comm_id")?;
        if !cx.comms().close(comm_id) {
            crate::protocol::log(format_args!("comm_close: unknown comm {comm_id}"));
        }
        Ok(())
    })
}
