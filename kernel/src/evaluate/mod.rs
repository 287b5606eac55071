//! The Rust backend: cells evaluated by embedded evcxr, with the tessera engine preloaded.
//!
//! Knows nothing of sockets: it implements [`Interpreter`] and publishes through an
//! [`Output`].

pub mod build_dir;
pub mod cell_process;
mod errors;
mod forward;
mod guards;
mod interrupt;
mod offsets;
pub mod owned_env;
pub mod pinned;
mod python_env;
mod relay;
mod run_stats;
mod warm;

pub use python_env::identity as python_identity;
pub use warm::Warming;

use forward::{forward, CellState, IdleRelay};

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use evcxr::{CommandContext, EvalCallbacks, EvalContextOutputs};
use serde_json::{json, Value};

use crate::completeness;
use crate::interpreter::{
    Completion, ExecuteOutcome, Interpreter, Interrupt, IsComplete, KernelInfo, MimeBundle, Output,
    RunStats,
};

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
        ":dep tessera = {{ path = {:?}, default-features = false }}\n\
         use tessera::prelude::*;\n{}\n{}",
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
        if let Some(dir) = pinned::crate_dir() {
            timed("build directory seeded", || build_dir::seed(&dir));
        }
        let (mut context, outputs, moved) = timed("evcxr started", start_evcxr)?;
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
        let mut evaluator = EvcxrInterpreter {
            context,
            outputs,
            interrupt,
            restarted: false,
            last_run: None,
            idle: None,
        };
        if moved {
            evaluator.restart_cell_process()?;
        }
        Ok(evaluator)
    }

    /// Starts a new process to run cells, with this process's current working directory and
    /// environment, and sets it up (see [`process_setup`]). The variables of the old one are
    /// gone: for a kernel that has run no cell yet (a standby just adopted), not a user's.
    ///
    /// **Errors**: the process cannot start, or its set-up fails.
    pub fn restart_cell_process(&mut self) -> Result<(), evcxr::Error> {
        drop(self.idle.take());
        self.context.execute(":restart")?;
        self.context.execute(&process_setup())?;
        self.restarted = false;
        Ok(())
    }
}

/// Starts evcxr. It reads `evcxr.toml` from the working directory before the kernel's own
/// configuration directory, and one beside a notebook could move the build directory or
/// change settings: evcxr then starts in that (empty) directory, and the caller restarts the
/// cell process once the working directory is back, so that cells see the notebook's.
/// Whether it did is the third value.
fn start_evcxr() -> Result<(CommandContext, EvalContextOutputs, bool), evcxr::Error> {
    let cwd = std::env::current_dir()?;
    let config = std::env::var_os("EVCXR_CONFIG_DIR").map(PathBuf::from);
    let Some(config) = config.filter(|_| cwd.join("evcxr.toml").exists()) else {
        let (context, outputs) = CommandContext::new()?;
        return Ok((context, outputs, false));
    };
    eprintln!(
        "tessera-kernel: not reading {}: the kernel keeps its own evcxr settings",
        cwd.join("evcxr.toml").display()
    );
    std::env::set_current_dir(&config)?;
    let started = CommandContext::new();
    std::env::set_current_dir(&cwd)?;
    let (context, outputs) = started?;
    Ok((context, outputs, true))
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
        // Dropped when the cell is over: wakes the forwarder.
        let (finished, done) = crossbeam_channel::bounded::<()>(0);
        let cell = CellState::with_interrupt(self.interrupt.clone());
        let outputs = &self.outputs;
        self.interrupt.cell_started();
        let result = std::thread::scope(|scope| {
            let (cell, done) = (&cell, &done);
            scope.spawn(move || forward(outputs, output, cell, done));
            // evcxr does not export its request type: the closure takes it from the field.
            let mut callbacks = EvalCallbacks {
                input_reader: &|request| {
                    output
                        .input(&request.prompt, request.is_password)
                        .unwrap_or_default()
                },
            };
            let result = self.context.execute_with_callbacks(code, &mut callbacks);
            drop(finished);
            result
        });
        self.last_run = *cell.run.lock().expect("run slot");
        if !cell.returned_error.load(Ordering::SeqCst) {
            cell.release_held(output, Duration::ZERO);
        }
        let outcome = if let Some(panic) = cell.panicked.into_inner().expect("panic slot") {
            ExecuteOutcome::Error(panic)
        } else if cell.returned_error.load(Ordering::SeqCst) {
            // The `Err`'s message is the held last line of stderr: shown as the error only.
            let message = cell
                .held_stderr
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
