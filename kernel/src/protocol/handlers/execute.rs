//! `execute_request`: execution count, `execute_input`, the cell on the interpreter thread with
//! its outputs published as they happen, `execute_result` or `error`, history, `execute_reply`
//! (with the cell's pages as payload).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{Context, HandlerFuture};
use crate::interpreter::ExecuteOutcome;
use crate::protocol::message::JupyterMessage;
use crate::protocol::output::CellOutput;
use crate::protocol::replies;
use crate::protocol::socket::RouterSender;

/// The flags of an execute request, with the protocol's defaults.
struct ExecuteFlags {
    silent: bool,
    /// Forced off by `silent`.
    store_history: bool,
    allow_stdin: bool,
    stop_on_error: bool,
}

impl ExecuteFlags {
    fn read(request: &JupyterMessage) -> Result<Self, crate::protocol::MessageError> {
        let silent = request.bool_or("silent", false)?;
        Ok(ExecuteFlags {
            silent,
            store_history: request.bool_or("store_history", true)? && !silent,
            allow_stdin: request.bool_or("allow_stdin", true)?,
            stop_on_error: request.bool_or("stop_on_error", true)?,
        })
    }
}

/// `execute_request` → `execute_reply` (see the module docs for the sequence). A stored cell
/// takes the next execution count; a failed cell with `stop_on_error` aborts the execute
/// requests already queued on shell.
pub(super) fn execute<'a>(
    cx: &'a Context,
    sender: &'a RouterSender,
    request: &'a JupyterMessage,
) -> HandlerFuture<'a> {
    Box::pin(async move {
        let code = request.required_str("code")?;
        let flags = ExecuteFlags::read(request)?;
        let count = if flags.store_history {
            cx.execution_count.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            cx.execution_count.load(Ordering::SeqCst)
        };
        let parent = Some(&request.header);
        if !flags.silent {
            cx.publisher
                .publish("execute_input", replies::execute_input(code, count), parent);
        }

        let output = CellOutput::new(
            cx.publisher.clone(),
            cx.stdin.clone(),
            request,
            flags.allow_stdin,
            flags.silent,
        );
        let output = Arc::new(output);
        let (sink, cell) = (output.clone(), code.to_owned());
        let outcome = cx
            .worker
            .call("execute_request", move |interpreter| {
                interpreter.execute(&cell, &*sink)
            })
            .await
            .unwrap_or_else(|err| ExecuteOutcome::Error(replies::interpreter_failed(&err)));
        let pages = output.take_pages();

        let (content, result_text) = match outcome {
            ExecuteOutcome::Ok { result } => {
                let expressions = user_expressions(cx, request).await;
                let text = result
                    .as_ref()
                    .and_then(|data| data.get("text/plain"))
                    .and_then(Value::as_str);
                let text = text.map(str::to_owned);
                if let (Some(data), false) = (result, flags.silent) {
                    cx.publisher.publish(
                        "execute_result",
                        replies::execute_result(count, data),
                        parent,
                    );
                }
                (replies::execute_ok(count, pages, expressions), text)
            }
            ExecuteOutcome::Error(error) => {
                if !flags.silent {
                    cx.publisher
                        .publish("error", replies::error(&error), parent);
                    if flags.stop_on_error {
                        cx.abort_queued();
                    }
                }
                (replies::execute_error(count, &error, pages), None)
            }
        };
        if flags.store_history {
            if let Err(err) = cx.history().append(count, code, result_text.as_deref()) {
                crate::protocol::log(format_args!("history: cannot write: {err}"));
            }
        }
        cx.reply(sender, request, content).await?;
        Ok(())
    })
}

/// The request's `user_expressions`, each evaluated after the cell (as ipykernel does, only
/// when the cell succeeded), with nothing published: `{name: {"status", "data", …}}`.
async fn user_expressions(cx: &Context, request: &JupyterMessage) -> Map<String, Value> {
    let Some(Value::Object(wanted)) = request.content.get("user_expressions") else {
        return Map::new();
    };
    let mut results = Map::new();
    for (name, expression) in wanted {
        let outcome = match expression.as_str() {
            Some(code) => {
                let code = code.to_owned();
                cx.worker
                    .call("user_expressions", move |interpreter| {
                        interpreter.execute(&code, &crate::interpreter::NoOutput)
                    })
                    .await
                    .unwrap_or_else(|err| ExecuteOutcome::Error(replies::interpreter_failed(&err)))
            }
            None => ExecuteOutcome::Error(crate::interpreter::ErrorInfo {
                ename: "TypeError".into(),
                evalue: format!("user expression `{name}` is not a string"),
                traceback: vec![],
            }),
        };
        results.insert(name.clone(), replies::user_expression(outcome));
    }
    results
}
