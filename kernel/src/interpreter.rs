//! The contract between the protocol layer and a language backend (xeus's `xinterpreter`).
//!
//! The protocol layer owns sockets, signing, message ids, execution counts and history; a
//! backend only turns code into outputs. Neither sees the other's types: a backend never builds
//! a Jupyter message, and the protocol layer never evaluates code.

use std::sync::Arc;

use serde_json::{Map, Value};

/// A MIME bundle: `{"text/plain": "...", "text/html": "..."}`.
pub type MimeBundle = Map<String, Value>;

/// Which stream a piece of text goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamName {
    Stdout,
    Stderr,
}

impl StreamName {
    /// The protocol's name: `stdout` or `stderr`.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamName::Stdout => "stdout",
            StreamName::Stderr => "stderr",
        }
    }
}

/// Why an input request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The frontend said it cannot take input (`allow_stdin` false).
    #[error("the frontend does not support input requests")]
    NotAllowed,
    /// The request was interrupted or the channel closed.
    #[error("input request interrupted")]
    Interrupted,
}

/// Where a backend publishes output while it handles a request. Implemented by the protocol
/// layer; every call is sent at once (no buffering until the end of the cell).
pub trait Output: Send + Sync {
    /// Text on stdout or stderr; partial lines are fine.
    fn stream(&self, name: StreamName, text: &str);
    /// A rich output now, optionally with a display id that later updates can target.
    fn display_data(&self, data: MimeBundle, metadata: MimeBundle, display_id: Option<&str>);
    /// Replaces the output shown under `display_id`.
    fn update_display_data(&self, data: MimeBundle, metadata: MimeBundle, display_id: &str);
    /// Clears the cell's output (when the next output arrives, if `wait`).
    fn clear_output(&self, wait: bool);
    /// Asks the user for a line of input through the stdin channel and waits for it.
    fn input(&self, prompt: &str, password: bool) -> Result<String, InputError>;
    /// Shows `data` in the frontend's pager (help such as `Vec?`): sent as a `page` payload of
    /// the execute reply, not as an output. The default ignores it.
    fn page(&self, _data: MimeBundle) {}
    /// Where output that work started by the cell produces after the cell has ended goes (a
    /// future's status display, updated when it finishes): the same parent, no input. The
    /// default drops it.
    fn after_cell(&self) -> Option<std::sync::Arc<dyn Output>> {
        None
    }
}

/// An error to show as a traceback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    pub ename: String,
    pub evalue: String,
    pub traceback: Vec<String>,
}

/// The end of an `execute`.
#[derive(Debug, Clone, PartialEq)]
pub enum ExecuteOutcome {
    /// Success, with the value of the cell's last expression if it has one.
    Ok { result: Option<MimeBundle> },
    /// The cell failed (compile error, panic, runtime error, interrupt).
    Error(ErrorInfo),
}

/// Completion candidates. Positions are in Unicode code points, as the protocol says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub matches: Vec<String>,
    pub cursor_start: usize,
    pub cursor_end: usize,
}

/// Whether code is ready to run (`is_complete_request`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IsComplete {
    Complete,
    /// More input is expected; the frontend should indent the next line by `indent`.
    Incomplete {
        indent: String,
    },
    Invalid,
    Unknown,
}

/// What `kernel_info_reply` says about the backend.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelInfo {
    pub implementation: String,
    pub implementation_version: String,
    /// The `language_info` object (name, version, mimetype, file_extension, …).
    pub language_info: Value,
    pub banner: String,
    pub help_links: Vec<(String, String)>,
}

/// Something that can stop a running `execute` from another thread.
pub trait Interrupt: Send + Sync {
    /// Requests the running execution to stop; returns at once.
    fn interrupt(&self);
}

/// What the process that runs cells measured over the last cell's run, from the moment it
/// began to run the compiled cell to the moment the cell ended (compilation excluded). The
/// `%time` and `%memit` magics are made of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunStats {
    /// Wall-clock time of the run.
    pub wall: std::time::Duration,
    /// CPU time in user mode, all threads of the process.
    pub user: std::time::Duration,
    /// CPU time in the kernel, all threads of the process.
    pub sys: std::time::Duration,
    /// Resident memory of the process just before the run, in bytes.
    pub rss_before: u64,
    /// Highest resident memory of the process during the run, in bytes (exact, not sampled).
    pub peak_rss: u64,
}

/// A language backend.
pub trait Interpreter: Send {
    /// Static facts for `kernel_info_reply`.
    fn kernel_info(&self) -> KernelInfo;
    /// Runs a cell, publishing output through `output` as it happens.
    fn execute(&mut self, code: &str, output: &dyn Output) -> ExecuteOutcome;
    /// Completions at `cursor_pos` (code points).
    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion;
    /// Documentation / type at `cursor_pos` (code points), if any.
    fn inspect(&mut self, code: &str, cursor_pos: usize, detail_level: u8) -> Option<MimeBundle>;
    /// Whether `code` is complete, incomplete (with an indent) or invalid.
    fn is_complete(&mut self, code: &str) -> IsComplete;
    /// A handle that interrupts a running `execute` from the control channel.
    fn interrupter(&self) -> Arc<dyn Interrupt>;
    /// Called before the kernel exits or restarts.
    fn shutdown(&mut self, _restart: bool) {}
    /// What the last `execute` measured while running the cell, if it ran (not after a
    /// compile error or a lost process). The default measures nothing.
    fn last_run(&self) -> Option<RunStats> {
        None
    }
    /// The variables that cells defined, with their types, sorted by name.
    fn variables(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// An [`Output`] that drops everything (for running cells with nobody watching).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoOutput;

impl Output for NoOutput {
    fn stream(&self, _: StreamName, _: &str) {}
    fn display_data(&self, _: MimeBundle, _: MimeBundle, _: Option<&str>) {}
    fn update_display_data(&self, _: MimeBundle, _: MimeBundle, _: &str) {}
    fn clear_output(&self, _: bool) {}
    fn input(&self, _: &str, _: bool) -> Result<String, InputError> {
        Err(InputError::NotAllowed)
    }
}
