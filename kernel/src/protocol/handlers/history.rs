//! `history_request`: `tail`, `range` and `search` over the persistent history.

use super::{Context, HandlerFuture};
use crate::protocol::message::JupyterMessage;
use crate::protocol::replies;
use crate::protocol::socket::RouterSender;

/// `history_request` → `history_reply`. Defaults as ipykernel/IPython: `hist_access_type`
/// `range`, `n` 10 for `tail`, `session` 0 (the current one), `start` 0, `pattern` `*`. An
/// unknown access type gets an empty history.
pub(super) fn history<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let output = request.bool_or("output", false)?;
        let content = {
            let history = cx.history();
            let entries = match request.optional_str("hist_access_type")?.unwrap_or("range") {
                "tail" => history.tail(request.usize_or("n", 10)?),
                "range" => {
                    let session = request.optional_i64("session")?.unwrap_or(0);
                    let start = request.usize_or("start", 0)? as u64;
                    let stop = request.optional_usize("stop")?.map(|stop| stop as u64);
                    history.range(session, start, stop)
                }
                "search" => {
                    let pattern = request.optional_str("pattern")?.unwrap_or("*");
                    let n = request.optional_usize("n")?;
                    history.search(pattern, n, request.bool_or("unique", false)?)
                }
                other => {
                    crate::protocol::log(format_args!(
                        "history_request: unknown hist_access_type {other}"
                    ));
                    Vec::new()
                }
            };
            replies::history_reply(&entries, output)
        };
        cx.reply(sender, request, content).await?;
        Ok(())
    })
}
