//! The cell process's output, as evcxr hands it over line by line, turned into what the
//! frontend sees: stream text, rich displays, and what makes a cell an error (a panic report,
//! an `Err` returned by `?`). During a cell [`forward`] relays it; between cells an
//! [`IdleRelay`] does, so work a cell left running can still update its displays.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use evcxr::EvalContextOutputs;
use serde_json::Value;

use super::interrupt::CellInterrupt;
use super::{errors, relay, run_stats};
use crate::interpreter::{ErrorInfo, MimeBundle, Output, RunStats, StreamName};

/// What one cell's output decided: filled by [`forward`], read when the cell is over.
#[derive(Default)]
pub(super) struct CellState {
    pub(super) panicked: Mutex<Option<ErrorInfo>>,
    pub(super) returned_error: AtomicBool,
    /// The latest plain stderr line, held back for up to [`HOLD`]: if the cell then ends with an
    /// `Err` from `?`, that line is evcxr's report of it and becomes the error, not a stream.
    pub(super) held_stderr: Mutex<Option<(String, Instant)>>,
    pub(super) run: Mutex<Option<RunStats>>,
    /// The cell process's stderr fence ([`relay::STDERR_FENCE`]) has arrived.
    fenced: AtomicBool,
    /// Told when the compiled cell starts to run ([`relay::RUN_STARTED`]); none between cells.
    pub(super) interrupt: Option<Arc<CellInterrupt>>,
}

impl CellState {
    /// The state of a cell whose run start `interrupt` is told of.
    pub(super) fn with_interrupt(interrupt: Arc<CellInterrupt>) -> CellState {
        CellState {
            interrupt: Some(interrupt),
            ..CellState::default()
        }
    }

    /// Sends the held stderr line to `output` if it has waited `at_least`.
    pub(super) fn release_held(&self, output: &dyn Output, at_least: Duration) {
        let mut held = self.held_stderr.lock().expect("stderr slot");
        if held
            .as_ref()
            .is_some_and(|(_, since)| since.elapsed() >= at_least)
        {
            let (text, _) = held.take().expect("checked");
            output.stream(StreamName::Stderr, &format!("{text}\n"));
        }
    }

    /// How long until the held stderr line is due, if one is held.
    fn held_for(&self) -> Option<Duration> {
        let held = self.held_stderr.lock().expect("stderr slot");
        held.as_ref()
            .map(|(_, since)| HOLD.saturating_sub(since.elapsed()))
    }
}

/// How long a stderr line may be held back (see [`CellState::held_stderr`]).
const HOLD: Duration = Duration::from_millis(200);

/// How long the end of a cell waits for the stderr fence, at most (a cell process that died
/// writes none).
const FENCE_WAIT: Duration = Duration::from_secs(1);

/// Sends every line evcxr read from the cell process to `output` until `done` is
/// disconnected (the cell is over) and everything the cell wrote has arrived. Woken by the
/// channels, never by polling, so the end of a cell is seen at once.
///
/// One thread reads both streams, which makes "everything has arrived" decidable: evcxr has
/// read all of stdout when its execute returns, but reads stderr on a thread of its own, so the
/// last stderr lines (a panic report, the message of an `Err`) may still be on their way. The
/// cell process's relay writes a fence on stderr as the cell ends and measures the run on
/// stdout; once that measurement is in, the fence is awaited.
pub(super) fn forward(
    outputs: &EvalContextOutputs,
    output: &dyn Output,
    cell: &CellState,
    done: &Receiver<()>,
) {
    let (stdout, stderr) = (&outputs.stdout, &outputs.stderr);
    loop {
        let timer = cell
            .held_for()
            .map_or_else(crossbeam_channel::never, crossbeam_channel::after);
        crossbeam_channel::select! {
            recv(stdout) -> line => match line {
                Ok(line) => deliver(StreamName::Stdout, &line, output, cell),
                Err(_) => return,
            },
            recv(stderr) -> line => match line {
                Ok(line) => deliver(StreamName::Stderr, &line, output, cell),
                Err(_) => return,
            },
            recv(done) -> _ => break,
            recv(timer) -> _ => {},
        }
        cell.release_held(output, HOLD);
    }
    while let Ok(line) = stdout.try_recv() {
        deliver(StreamName::Stdout, &line, output, cell);
    }
    let ran = cell.run.lock().expect("run slot").is_some();
    let deadline = Instant::now() + FENCE_WAIT;
    while ran && !cell.fenced.load(Ordering::SeqCst) {
        match stderr.recv_deadline(deadline) {
            Ok(line) => deliver(StreamName::Stderr, &line, output, cell),
            Err(_) => break,
        }
    }
    while let Ok(line) = stderr.try_recv() {
        deliver(StreamName::Stderr, &line, output, cell);
    }
}

/// Relays the cell process's output between cells to the last cell's output: work a cell left
/// running (a future, a progress bar) updates its displays after the cell has ended, as a
/// background thread's output does under IPython. Stops (relaying what is left) when dropped.
pub(super) struct IdleRelay {
    /// Dropped to stop the relay.
    stop: Option<Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl IdleRelay {
    pub(super) fn start(outputs: &EvalContextOutputs, output: Arc<dyn Output>) -> IdleRelay {
        let (stop, done) = crossbeam_channel::bounded(0);
        let outputs = EvalContextOutputs {
            stdout: outputs.stdout.clone(),
            stderr: outputs.stderr.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("idle-relay".into())
            .spawn(move || {
                let cell = CellState::default();
                forward(&outputs, &*output, &cell, &done);
                cell.release_held(&*output, Duration::ZERO);
            });
        IdleRelay {
            stop: Some(stop),
            thread: thread.ok(),
        }
    }
}

impl Drop for IdleRelay {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One line of the cell's output: partial text, a panic report or a display message from the
/// engine (see `tessera::display`), or text.
fn deliver(name: StreamName, line: &str, output: &dyn Output, cell: &CellState) {
    if let Some(text) = relay::partial_text(line) {
        return output.stream(name, &text);
    }
    if let Some(stats) = run_stats::parse(line) {
        *cell.run.lock().expect("run slot") = Some(stats);
        return;
    }
    if line == relay::RUN_STARTED {
        if let Some(interrupt) = &cell.interrupt {
            interrupt.run_started();
        }
        return;
    }
    if line == relay::STDERR_FENCE {
        cell.fenced.store(true, Ordering::SeqCst);
        return;
    }
    if line == relay::USER_ERROR {
        cell.returned_error.store(true, Ordering::SeqCst);
        return;
    }
    if let Some(report) = line.strip_prefix(tessera::display::PANIC_MARKER) {
        let report: Value = serde_json::from_str(report).unwrap_or_default();
        *cell.panicked.lock().expect("panic slot") = Some(errors::panic_info(&report));
        return;
    }
    // Display lines come on stdout during a cell, on stderr between cells (see relay).
    let message = line.strip_prefix(tessera::display::MARKER);
    match message.and_then(|json| serde_json::from_str::<Value>(json).ok()) {
        Some(message) => display_message(&message, output),
        None if name == StreamName::Stderr => {
            let previous = cell
                .held_stderr
                .lock()
                .expect("stderr slot")
                .replace((line.to_string(), Instant::now()));
            if let Some((text, _)) = previous {
                output.stream(name, &format!("{text}\n"));
            }
        }
        None => output.stream(name, &format!("{line}\n")),
    }
}

fn display_message(message: &Value, output: &dyn Output) {
    let data = message["data"].as_object().cloned().unwrap_or_default();
    let display_id = message["display_id"].as_str();
    match (message["kind"].as_str(), display_id) {
        (Some("display"), _) => output.display_data(data, MimeBundle::new(), display_id),
        (Some("update"), Some(id)) => output.update_display_data(data, MimeBundle::new(), id),
        (Some("clear"), _) => output.clear_output(message["wait"].as_bool().unwrap_or(false)),
        _ => output.stream(
            StreamName::Stderr,
            &format!("tessera-kernel: unknown display message {message}\n"),
        ),
    }
}
