//! The content of every message the kernel sends (xeus's `xhelper`): replies on shell and
//! control, outputs on iopub, requests on stdin. Handlers call these; no other file writes
//! message JSON by hand, and only this file turns errors into tracebacks.

use serde_json::{json, Map, Value};

use crate::interpreter::{
    Completion, ErrorInfo, ExecuteOutcome, IsComplete, KernelInfo, MimeBundle, StreamName,
};

use super::history::HistoryEntry;
use super::message::PROTOCOL_VERSION;

/// The kernel's execution state, published as `status` on iopub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutionState {
    /// Once, when the kernel starts.
    Starting,
    /// Before a request is handled.
    Busy,
    /// After a request is handled.
    Idle,
}

impl ExecutionState {
    /// The protocol's name: `starting`, `busy` or `idle`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionState::Starting => "starting",
            ExecutionState::Busy => "busy",
            ExecutionState::Idle => "idle",
        }
    }
}

// ---- shell and control replies -------------------------------------------------------------

/// `kernel_info_reply`: protocol 5.3 and the backend's facts.
pub fn kernel_info_reply(info: &KernelInfo) -> Value {
    let help_links: Vec<Value> = info
        .help_links
        .iter()
        .map(|(text, url)| json!({"text": text, "url": url}))
        .collect();
    json!({
        "status": "ok",
        "protocol_version": PROTOCOL_VERSION,
        "implementation": info.implementation,
        "implementation_version": info.implementation_version,
        "language_info": info.language_info,
        "banner": info.banner,
        "help_links": help_links,
    })
}

/// `execute_reply` for a cell that ran; `pages` become `page` payloads; `user_expressions`
/// maps each requested name to its [`user_expression`] result.
pub fn execute_ok(
    execution_count: u64,
    pages: Vec<MimeBundle>,
    user_expressions: Map<String, Value>,
) -> Value {
    json!({
        "status": "ok",
        "execution_count": execution_count,
        "user_expressions": user_expressions,
        "payload": page_payloads(pages),
    })
}

/// One entry of `user_expressions`: the expression's value as a MIME bundle, or its error.
pub fn user_expression(outcome: ExecuteOutcome) -> Value {
    match outcome {
        ExecuteOutcome::Ok { result } => {
            json!({"status": "ok", "data": result.unwrap_or_default(), "metadata": {}})
        }
        ExecuteOutcome::Error(error) => error_reply(&error),
    }
}

/// `execute_reply` for a cell that failed (with the pages it showed before failing).
pub fn execute_error(execution_count: u64, error: &ErrorInfo, pages: Vec<MimeBundle>) -> Value {
    let mut content = error_reply(error);
    content["execution_count"] = json!(execution_count);
    content["user_expressions"] = json!({});
    content["payload"] = Value::Array(page_payloads(pages));
    content
}

/// Pager payloads of an `execute_reply`: `{"source": "page", "data": …, "start": 0}`.
fn page_payloads(pages: Vec<MimeBundle>) -> Vec<Value> {
    pages
        .into_iter()
        .map(|data| json!({"source": "page", "data": data, "start": 0}))
        .collect()
}

/// Any `*_reply` with `status: error`.
pub fn error_reply(error: &ErrorInfo) -> Value {
    json!({
        "status": "error",
        "ename": error.ename,
        "evalue": error.evalue,
        "traceback": error.traceback,
    })
}

/// A `*_reply` for a request not run because an earlier cell failed (as ipykernel: status only).
pub fn aborted_reply() -> Value {
    json!({"status": "aborted"})
}

/// `complete_reply`.
pub fn complete_reply(completion: &Completion) -> Value {
    json!({
        "status": "ok",
        "matches": completion.matches,
        "cursor_start": completion.cursor_start,
        "cursor_end": completion.cursor_end,
        "metadata": {},
    })
}

/// `inspect_reply`: `found` is false and `data` empty when the backend has nothing.
pub fn inspect_reply(data: Option<MimeBundle>) -> Value {
    json!({
        "status": "ok",
        "found": data.is_some(),
        "data": data.unwrap_or_default(),
        "metadata": {},
    })
}

/// `is_complete_reply`: `indent` only when incomplete.
pub fn is_complete_reply(state: &IsComplete) -> Value {
    match state {
        IsComplete::Complete => json!({"status": "complete"}),
        IsComplete::Incomplete { indent } => json!({"status": "incomplete", "indent": indent}),
        IsComplete::Invalid => json!({"status": "invalid"}),
        IsComplete::Unknown => json!({"status": "unknown"}),
    }
}

/// `history_reply`: `[session, line, input]`, or `[session, line, [input, output]]` with
/// `output` (the cell's `text/plain` result, or `null`).
pub fn history_reply(entries: &[&HistoryEntry], output: bool) -> Value {
    let history: Vec<Value> = entries
        .iter()
        .map(|entry| {
            if output {
                json!([entry.session, entry.line, [entry.input, entry.output]])
            } else {
                json!([entry.session, entry.line, entry.input])
            }
        })
        .collect();
    json!({"status": "ok", "history": history})
}

/// `comm_info_reply` from `(comm_id, target_name)` pairs.
pub fn comm_info_reply<'a>(comms: impl IntoIterator<Item = (&'a str, &'a str)>) -> Value {
    let comms: Map<String, Value> = comms
        .into_iter()
        .map(|(id, target)| (id.to_owned(), json!({"target_name": target})))
        .collect();
    json!({"status": "ok", "comms": comms})
}

/// `shutdown_reply`.
pub fn shutdown_reply(restart: bool) -> Value {
    json!({"status": "ok", "restart": restart})
}

/// `interrupt_reply`.
pub fn interrupt_reply() -> Value {
    json!({"status": "ok"})
}

// ---- iopub -----------------------------------------------------------------------------------

/// `status`.
pub fn status(state: ExecutionState) -> Value {
    json!({"execution_state": state.as_str()})
}

/// `execute_input`: the code being run and its execution count.
pub fn execute_input(code: &str, execution_count: u64) -> Value {
    json!({"code": code, "execution_count": execution_count})
}

/// `execute_result`: the value of the cell's last expression.
pub fn execute_result(execution_count: u64, data: MimeBundle) -> Value {
    json!({"execution_count": execution_count, "data": data, "metadata": {}})
}

/// `error` on iopub: the traceback frontends show.
pub fn error(error: &ErrorInfo) -> Value {
    json!({"ename": error.ename, "evalue": error.evalue, "traceback": error.traceback})
}

/// `stream`.
pub fn stream(name: StreamName, text: &str) -> Value {
    json!({"name": name.as_str(), "text": text})
}

/// `display_data`, with `transient.display_id` when given.
pub fn display_data(data: MimeBundle, metadata: MimeBundle, display_id: Option<&str>) -> Value {
    let transient = match display_id {
        Some(id) => json!({"display_id": id}),
        None => json!({}),
    };
    json!({"data": data, "metadata": metadata, "transient": transient})
}

/// `update_display_data` for the output shown under `display_id`.
pub fn update_display_data(data: MimeBundle, metadata: MimeBundle, display_id: &str) -> Value {
    json!({"data": data, "metadata": metadata, "transient": {"display_id": display_id}})
}

/// `clear_output`.
pub fn clear_output(wait: bool) -> Value {
    json!({"wait": wait})
}

/// `comm_close` (sent for a `comm_open` to a target the kernel does not have).
pub fn comm_close(comm_id: &str) -> Value {
    json!({"comm_id": comm_id, "data": {}})
}

// ---- stdin -----------------------------------------------------------------------------------

/// `input_request`.
pub fn input_request(prompt: &str, password: bool) -> Value {
    json!({"prompt": prompt, "password": password})
}

// ---- errors as tracebacks --------------------------------------------------------------------

/// An error reply for a request the kernel could not read (missing or mistyped field).
pub fn bad_request(reason: &dyn std::fmt::Display) -> ErrorInfo {
    let evalue = reason.to_string();
    ErrorInfo {
        ename: "BadRequest".into(),
        traceback: vec![format!("BadRequest: {evalue}")],
        evalue,
    }
}

/// An error reply for a request the kernel failed to handle (interpreter or socket failure).
pub fn kernel_error(reason: &dyn std::fmt::Display) -> ErrorInfo {
    let evalue = reason.to_string();
    ErrorInfo {
        ename: "KernelError".into(),
        traceback: vec![format!("KernelError: {evalue}")],
        evalue,
    }
}

/// An error for a cell whose interpreter panicked or stopped.
pub fn interpreter_failed(reason: &dyn std::fmt::Display) -> ErrorInfo {
    let evalue = reason.to_string();
    ErrorInfo {
        ename: "InterpreterError".into(),
        traceback: vec![format!("InterpreterError: {evalue}")],
        evalue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execute_error_has_reply_and_error_fields() {
        let error = ErrorInfo {
            ename: "E".into(),
            evalue: "bad".into(),
            traceback: vec!["t".into()],
        };
        let content = execute_error(3, &error, Vec::new());
        assert_eq!(
            content,
            json!({"status": "error", "ename": "E", "evalue": "bad", "traceback": ["t"],
                   "execution_count": 3, "user_expressions": {}, "payload": []})
        );
        let mut help = MimeBundle::new();
        help.insert("text/plain".into(), json!("Vec<T>: a growable array"));
        assert_eq!(
            execute_ok(4, vec![help], Map::new())["payload"],
            json!([{"source": "page", "data": {"text/plain": "Vec<T>: a growable array"}, "start": 0}])
        );
    }

    #[test]
    fn is_complete_has_indent_only_when_incomplete() {
        assert_eq!(
            is_complete_reply(&IsComplete::Complete),
            json!({"status": "complete"})
        );
        let incomplete = is_complete_reply(&IsComplete::Incomplete {
            indent: "    ".into(),
        });
        assert_eq!(
            incomplete,
            json!({"status": "incomplete", "indent": "    "})
        );
    }

    #[test]
    fn history_entries_with_and_without_output() {
        let entry = HistoryEntry {
            session: 2,
            line: 5,
            input: "x".into(),
            output: None,
        };
        assert_eq!(
            history_reply(&[&entry], false)["history"],
            json!([[2, 5, "x"]])
        );
        assert_eq!(
            history_reply(&[&entry], true)["history"],
            json!([[2, 5, ["x", null]]])
        );
    }
}
