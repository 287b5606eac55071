//! The Rust backend: cells evaluated by embedded evcxr, with the tessera engine preloaded.
//!
//! Knows nothing of sockets: it implements [`Interpreter`] and publishes through an
//! [`Output`].

pub mod build_dir;
pub mod cell_process;
mod errors;
mod guards;
mod interrupt;
mod offsets;
pub mod pinned;
mod python_env;
mod relay;
mod run_stats;
mod warm;

pub use warm::Warming;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use evcxr::{CommandContext, EvalCallbacks, EvalContextOutputs};
use serde_json::{json, Value};

use crate::completeness;
use crate::interpreter::{
    Completion, ErrorInfo, ExecuteOutcome, Interpreter, Interrupt, IsComplete, KernelInfo,
    MimeBundle, Output, RunStats, StreamName,
};

/// How often the output forwarders look for the end of a cell.
const POLL: Duration = Duration::from_millis(20);

/// Where the tessera engine's source is: `TESSERA_ENGINE_PATH`, else the checkout this kernel
/// was built from.
pub fn engine_path() -> PathBuf {
    std::env::var_os("TESSERA_ENGINE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("kernel/ is inside the checkout")
                .to_path_buf()
        })
}

/// The code every kernel runs first: the engine as a dependency, its prelude in scope, and
/// the process set up (see [`process_setup`]).
///
/// Cells get the engine's core only: its optional features (Zarr, `.npy` headers, the
/// terminal progress bar, clusters) bring crates that rust-analyzer must read before the
/// first cell (all of them: ~4 s more per kernel start) and that make every cell's compile
/// slower. The kernel's own copy, which has them, serves the cells (`tessera::host`).
///
/// It ends with a `?`, which switches evcxr into its `?`-accepting mode for the kernel's
/// lifetime. evcxr enters that mode only when a compile fails on a `?`, and when the `?` is in a
/// cell's last expression the error is blamed on the display call wrapped around it: evcxr then
/// drops the display for the `{:?}` fallback, so the first cell ending in `x.sum()?.visualize()`
/// showed `Picture { svg: "<svg …` as text instead of the picture.
pub fn preamble(engine: &Path) -> String {
    format!(
        ":dep tessera = {{ path = {:?}, default-features = false }}\nuse tessera::prelude::*;\n{}\n{}",
        engine.display().to_string(),
        process_setup(),
        QUESTION_MARK_MODE
    )
}

/// A statement whose `?` makes evcxr wrap cells so that `?` works (see [`preamble`]).
const QUESTION_MARK_MODE: &str = "Ok::<(), std::fmt::Error>(())?;";

/// What the process running cells needs before the first cell, and again whenever evcxr starts
/// a new one (after an interrupt): panics reported to the kernel, and runs measured from the
/// next cell on (see [`run_stats`]; not before, as nobody reads the measurements of evcxr's own
/// start-up cells, and evcxr waits until its output has been read).
fn process_setup() -> String {
    // `set_var` is unsafe in edition 2024 (other threads may read the environment): here the
    // only reader is the relay's stdin thread, which is waiting for the next command.
    format!("tessera::display::install_kernel_panic_hook(); unsafe {{ std::env::set_var({:?}, \"1\") }};", run_stats::MEASURE_RUNS)
}

/// Rust cells through evcxr.
pub struct EvcxrInterpreter {
    context: CommandContext,
    outputs: EvalContextOutputs,
    interrupt: Arc<interrupt::CellInterrupt>,
    /// The process running cells was restarted: run [`process_setup`] before the next cell.
    restarted: bool,
    /// What the last cell's run measured (see [`run_stats`]).
    last_run: Option<RunStats>,
    /// Relays what the cell process writes between cells (see [`IdleRelay`]).
    idle: Option<IdleRelay>,
}

impl EvcxrInterpreter {
    /// Starts evcxr (compiling its first snippet) and loads the engine.
    ///
    /// **Errors**: evcxr cannot start, or the engine does not build.
    pub fn new(engine: &Path) -> Result<EvcxrInterpreter, evcxr::Error> {
        let (mut context, outputs) = timed("evcxr started", CommandContext::new)?;
        timed("engine loaded", || {
            pinned::load_engine(&mut context, engine)
        })?;
        // Let rust-analyzer infer a first type now, in the background start-up, rather than in
        // the user's first cell: evcxr asks it for the type of every new variable, and the
        // first inference reads every crate the cells depend on (~2 s). A hover on a `let` does
        // just that (completions did more: ~2x as long).
        let probe = "let _warm = tessera::random::normal([2, 2], [1, 1]);";
        let _ = timed("rust-analyzer warmed", || {
            context.hover_at(probe, probe.find("_warm").unwrap_or(0) + 1)
        });
        let interrupt = interrupt::CellInterrupt::new(context.process_handle());
        Ok(EvcxrInterpreter {
            context,
            outputs,
            interrupt,
            restarted: false,
            last_run: None,
            idle: None,
        })
    }
}

impl Interpreter for EvcxrInterpreter {
    fn kernel_info(&self) -> KernelInfo {
        kernel_info()
    }

    fn execute(&mut self, code: &str, output: &dyn Output) -> ExecuteOutcome {
        // Lines written before this cell belong to the previous one: relayed, then this cell's.
        drop(self.idle.take());
        if std::mem::take(&mut self.restarted) {
            let _ = self.context.execute(&process_setup());
        }
        let done = AtomicBool::new(false);
        let panicked: Mutex<Option<ErrorInfo>> = Mutex::new(None);
        let returned_error = AtomicBool::new(false);
        let held_stderr: Mutex<Option<(String, Instant)>> = Mutex::new(None);
        let run: Mutex<Option<RunStats>> = Mutex::new(None);
        let outputs = &self.outputs;
        self.interrupt.cell_started();
        let result = std::thread::scope(|scope| {
            let sink = Sink {
                output,
                panicked: &panicked,
                returned_error: &returned_error,
                held_stderr: &held_stderr,
                run: &run,
            };
            let done = &done;
            scope.spawn(move || forward(&outputs.stdout, StreamName::Stdout, sink, done));
            scope.spawn(move || forward(&outputs.stderr, StreamName::Stderr, sink, done));
            // evcxr does not export its request type: the closure takes it from the field.
            let mut callbacks = EvalCallbacks {
                input_reader: &|request| {
                    output
                        .input(&request.prompt, request.is_password)
                        .unwrap_or_default()
                },
            };
            let result = self.context.execute_with_callbacks(code, &mut callbacks);
            done.store(true, Ordering::SeqCst);
            result
        });
        self.last_run = run.into_inner().expect("run slot");
        if !returned_error.load(Ordering::SeqCst) {
            release_held(output, &held_stderr, Duration::ZERO);
        }
        let outcome = if let Some(panic) = panicked.into_inner().expect("panic slot") {
            ExecuteOutcome::Error(panic)
        } else if returned_error.load(Ordering::SeqCst) {
            // The `Err`'s message is the held last line of stderr: shown as the error only.
            let message = held_stderr
                .into_inner()
                .expect("stderr slot")
                .map(|(line, _)| line)
                .unwrap_or_default();
            ExecuteOutcome::Error(errors::returned_error(message.trim_end()))
        } else {
            if let Ok(outputs) = &result {
                // Where a cell's time goes (evcxr's phases), in the kernel's log.
                let phases: Vec<String> = outputs
                    .phases
                    .iter()
                    .map(|p| format!("{} {:.0} ms", p.name, p.duration.as_secs_f64() * 1e3))
                    .collect();
                log_timing(&format!("cell phases: {}", phases.join(", ")));
            }
            match result {
                Ok(outputs) if outputs.content_by_mime_type.is_empty() => {
                    ExecuteOutcome::Ok { result: None }
                }
                Ok(outputs) => ExecuteOutcome::Ok {
                    result: Some(bundle(outputs.content_by_mime_type)),
                },
                Err(error) => {
                    self.restarted = matches!(error, evcxr::Error::SubprocessTerminated(_));
                    ExecuteOutcome::Error(errors::error_info(&error, code))
                }
            }
        };
        if let Some(after) = output.after_cell() {
            self.idle = Some(IdleRelay::start(&self.outputs, after));
        }
        self.interrupt.cell_ended(outcome)
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        let byte = offsets::byte_offset(code, cursor_pos);
        match self.context.completions(code, byte) {
            Ok(found) => Completion {
                matches: found.completions.into_iter().map(|c| c.code).collect(),
                cursor_start: offsets::char_offset(code, found.start_offset),
                cursor_end: offsets::char_offset(code, found.end_offset),
            },
            Err(_) => Completion {
                matches: vec![],
                cursor_start: cursor_pos,
                cursor_end: cursor_pos,
            },
        }
    }

    fn inspect(&mut self, code: &str, cursor_pos: usize, _detail_level: u8) -> Option<MimeBundle> {
        let end = offsets::end_of_word(code, offsets::byte_offset(code, cursor_pos));
        let (plain, html) = self.context.hover_at(code, end).ok()?;
        if plain.trim().is_empty() || plain == "No documentation found" {
            return None;
        }
        let mut data = MimeBundle::new();
        data.insert("text/plain".into(), Value::String(plain));
        data.insert("text/html".into(), Value::String(html));
        Some(data)
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        completeness::is_complete(code)
    }

    fn interrupter(&self) -> Arc<dyn Interrupt> {
        self.interrupt.clone()
    }

    fn last_run(&self) -> Option<RunStats> {
        self.last_run
    }

    fn variables(&self) -> Vec<(String, String)> {
        let mut variables: Vec<(String, String)> = self
            .context
            .variables_and_types()
            .map(|(name, ty)| (name.to_string(), ty.to_string()))
            .collect();
        variables.sort();
        variables
    }
}

/// With `TESSERA_KERNEL_TIMING=1`, writes where the kernel's time goes to its stderr (the
/// kernel's log): evcxr's start-up steps and each cell's phases.
fn log_timing(message: &str) {
    if std::env::var_os("TESSERA_KERNEL_TIMING").is_some() {
        eprintln!("tessera-kernel: {message}");
    }
}

/// Runs `step`, logging how long it took (see [`log_timing`]).
fn timed<T>(what: &str, step: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = step();
    log_timing(&format!(
        "{what} in {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    ));
    result
}

/// What `kernel_info_reply` says about this kernel.
pub(crate) fn kernel_info() -> KernelInfo {
    KernelInfo {
        implementation: "tessera-kernel".into(),
        implementation_version: env!("CARGO_PKG_VERSION").into(),
        language_info: json!({
            "name": "rust",
            "version": rustc_version(),
            "mimetype": "text/rust",
            "file_extension": ".rs",
            "pygments_lexer": "rust",
            "codemirror_mode": "rust",
        }),
        banner: format!(
            "tessera {} — Rust cells with lazy chunked arrays (evcxr inside)",
            env!("CARGO_PKG_VERSION")
        ),
        help_links: vec![
            ("tessera".into(), "https://docs.rs/tessera".into()),
            ("Rust std".into(), "https://doc.rust-lang.org/std/".into()),
        ],
    }
}

/// Sends every line evcxr read from the cell process to `output` until the cell is done and
/// the channel is drained (evcxr has read all of a cell's output when its execute returns).
fn forward(
    lines: &crossbeam_channel::Receiver<String>,
    name: StreamName,
    sink: Sink<'_>,
    done: &AtomicBool,
) {
    loop {
        match lines.recv_timeout(POLL) {
            Ok(line) => deliver(name, &line, sink),
            Err(_) if done.load(Ordering::SeqCst) => {
                while let Ok(line) = lines.try_recv() {
                    deliver(name, &line, sink);
                }
                return;
            }
            Err(_) => {}
        }
        release_held(sink.output, sink.held_stderr, HOLD);
    }
}

/// Relays the cell process's output between cells to the last cell's output: work a cell left
/// running (a future, a progress bar) updates its displays after the cell has ended, as a
/// background thread's output does under IPython. Stops (relaying what is left) when dropped.
struct IdleRelay {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl IdleRelay {
    fn start(outputs: &EvalContextOutputs, output: Arc<dyn Output>) -> IdleRelay {
        let stop = Arc::new(AtomicBool::new(false));
        let (stdout, stderr, done) = (outputs.stdout.clone(), outputs.stderr.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("idle-relay".into())
            .spawn(move || {
                let (panicked, returned_error, held_stderr, run) = (
                    Mutex::new(None),
                    AtomicBool::new(false),
                    Mutex::new(None),
                    Mutex::new(None),
                );
                let sink = Sink {
                    output: &*output,
                    panicked: &panicked,
                    returned_error: &returned_error,
                    held_stderr: &held_stderr,
                    run: &run,
                };
                std::thread::scope(|scope| {
                    scope.spawn(|| forward(&stdout, StreamName::Stdout, sink, &done));
                    forward(&stderr, StreamName::Stderr, sink, &done);
                });
                release_held(&*output, &held_stderr, Duration::ZERO);
            });
        IdleRelay {
            stop,
            thread: thread.ok(),
        }
    }
}

impl Drop for IdleRelay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How long a stderr line may be held back (see [`Sink::held_stderr`]).
const HOLD: Duration = Duration::from_millis(200);

/// Sends the held stderr line to `output` if it has waited `at_least`.
fn release_held(output: &dyn Output, held: &Mutex<Option<(String, Instant)>>, at_least: Duration) {
    let mut held = held.lock().expect("stderr slot");
    if held
        .as_ref()
        .is_some_and(|(_, since)| since.elapsed() >= at_least)
    {
        let (text, _) = held.take().expect("checked");
        output.stream(StreamName::Stderr, &format!("{text}\n"));
    }
}

/// Where a cell's output lines go: the frontend, and what ends the cell as an error (a panic,
/// or an `Err` returned by `?`, whose message is the last line written to stderr).
#[derive(Clone, Copy)]
struct Sink<'a> {
    output: &'a dyn Output,
    panicked: &'a Mutex<Option<ErrorInfo>>,
    returned_error: &'a AtomicBool,
    /// The latest plain stderr line, held back for up to [`HOLD`]: if the cell then ends with an
    /// `Err` from `?`, that line is evcxr's report of it and becomes the error, not a stream.
    held_stderr: &'a Mutex<Option<(String, Instant)>>,
    run: &'a Mutex<Option<RunStats>>,
}

/// One line of the cell's output: partial text, a panic report or a display message from the
/// engine (see `tessera::display`), or text.
fn deliver(name: StreamName, line: &str, sink: Sink<'_>) {
    let output = sink.output;
    if let Some(text) = relay::partial_text(line) {
        return output.stream(name, &text);
    }
    if let Some(stats) = run_stats::parse(line) {
        *sink.run.lock().expect("run slot") = Some(stats);
        return;
    }
    if line == relay::USER_ERROR {
        sink.returned_error.store(true, Ordering::SeqCst);
        return;
    }
    if let Some(report) = line.strip_prefix(tessera::display::PANIC_MARKER) {
        let report: Value = serde_json::from_str(report).unwrap_or_default();
        *sink.panicked.lock().expect("panic slot") = Some(errors::panic_info(&report));
        return;
    }
    // Display lines come on stdout during a cell, on stderr between cells (see relay).
    let message = line.strip_prefix(tessera::display::MARKER);
    match message.and_then(|json| serde_json::from_str::<Value>(json).ok()) {
        Some(message) => display_message(&message, output),
        None if name == StreamName::Stderr => {
            let previous = sink
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

/// evcxr's `mime → text` map as a MIME bundle (JSON types parsed).
fn bundle(content: std::collections::HashMap<String, String>) -> MimeBundle {
    content
        .into_iter()
        .map(|(mime, text)| {
            let value = if mime.contains("json") {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            } else {
                Value::String(text)
            };
            (mime, value)
        })
        .collect()
}

/// `rustc --version`'s version number, or "" if rustc cannot be run (asked once).
fn rustc_version() -> String {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(ask_rustc_version).clone()
}

fn ask_rustc_version() -> String {
    std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.split_whitespace().nth(1).map(String::from))
        .unwrap_or_default()
}
