//! `complete_request`, `inspect_request` and `is_complete_request`: questions about code,
//! answered by the interpreter thread.

use super::{Context, HandlerFuture};
use crate::protocol::message::JupyterMessage;
use crate::protocol::replies;
use crate::protocol::socket::RouterSender;

/// The code and cursor (code points; the end of the code if absent) of a request.
fn code_and_cursor(
    request: &JupyterMessage,
) -> Result<(String, usize), crate::protocol::MessageError> {
    let code = request.required_str("code")?;
    let cursor = request.usize_or("cursor_pos", code.chars().count())?;
    Ok((code.to_owned(), cursor))
}

/// `complete_request` → `complete_reply`.
pub(super) fn complete<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let (code, cursor) = code_and_cursor(request)?;
        let completion = cx
            .worker
            .call("complete_request", move |i| i.complete(&code, cursor))
            .await?;
        cx.reply(sender, request, replies::complete_reply(&completion))
            .await?;
        Ok(())
    })
}

/// `inspect_request` → `inspect_reply` (`found: false` when the backend has nothing).
pub(super) fn inspect<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let (code, cursor) = code_and_cursor(request)?;
        let detail = u8::try_from(request.usize_or("detail_level", 0)?).unwrap_or(u8::MAX);
        let data = cx
            .worker
            .call("inspect_request", move |i| i.inspect(&code, cursor, detail))
            .await?;
        cx.reply(sender, request, replies::inspect_reply(data))
            .await?;
        Ok(())
    })
}

/// `is_complete_request` → `is_complete_reply`.
pub(super) fn is_complete<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let code = request.required_str("code")?.to_owned();
        let state = cx
            .worker
            .call("is_complete_request", move |i| i.is_complete(&code))
            .await?;
        cx.reply(sender, request, replies::is_complete_reply(&state))
            .await?;
        Ok(())
    })
}
