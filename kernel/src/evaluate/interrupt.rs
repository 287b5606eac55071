//! Interrupting a running cell: cooperatively first, by force only if that fails.
//!
//! An interrupt sends `SIGINT` to the process running cells, whose handler (see
//! [`super::cell_process`]) sets the engine's shared interrupt flag: a tessera computation stops
//! at its next chunk task with `Error::Cancelled`, the cell ends with that error, and every
//! variable is kept. Code that never looks at the flag (a plain loop) is still running after
//! [`GRACE`]; then the process is killed, evcxr starts a new one, and the cell's error says the
//! variables were lost.
//!
//! An interrupt that comes while the cell still compiles is held until the compiled cell starts
//! to run (the relay's `RUN_STARTED` line): the process clears the flag as each run starts (an
//! interrupt of the last cell must not stop this one), and the grace counts from the signal, so
//! signalling a compiling cell would lose the interrupt under a slow compile and kill the
//! process two seconds later.

use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::interpreter::{ErrorInfo, ExecuteOutcome, Interrupt};

/// How long a cell may take to stop after an interrupt before its process is killed.
pub(super) const GRACE: Duration = Duration::from_secs(2);

/// The interrupt handle of one evaluator.
pub(super) struct CellInterrupt {
    state: Arc<State>,
}

/// Shared with the watchdog thread of an interrupt.
struct State {
    child: Arc<Mutex<Child>>,
    running: AtomicBool,
    /// Which cell is running (the watchdog kills only the cell it was started for).
    cell: AtomicU64,
    /// The running cell was interrupted.
    requested: AtomicBool,
    /// The compiled cell has started to run (it is no longer compiling).
    run_started: AtomicBool,
    /// `SIGINT` was sent for this cell.
    signalled: AtomicBool,
}

impl CellInterrupt {
    pub(super) fn new(child: Arc<Mutex<Child>>) -> Arc<CellInterrupt> {
        let state = State {
            child,
            running: AtomicBool::new(false),
            cell: AtomicU64::new(0),
            requested: AtomicBool::new(false),
            run_started: AtomicBool::new(false),
            signalled: AtomicBool::new(false),
        };
        Arc::new(CellInterrupt {
            state: Arc::new(state),
        })
    }

    pub(super) fn cell_started(&self) {
        let state = &self.state;
        state.requested.store(false, Ordering::SeqCst);
        state.run_started.store(false, Ordering::SeqCst);
        state.signalled.store(false, Ordering::SeqCst);
        state.cell.fetch_add(1, Ordering::SeqCst);
        state.running.store(true, Ordering::SeqCst);
    }

    /// The compiled cell has started to run: an interrupt held during its compilation is sent.
    pub(super) fn run_started(&self) {
        let state = &self.state;
        state.run_started.store(true, Ordering::SeqCst);
        if state.requested.load(Ordering::SeqCst) {
            state.signal();
        }
    }

    /// The cell is over; its outcome, told as an interrupt if it was one.
    pub(super) fn cell_ended(&self, outcome: ExecuteOutcome) -> ExecuteOutcome {
        self.state.running.store(false, Ordering::SeqCst);
        match outcome {
            ExecuteOutcome::Error(error) if self.state.requested.load(Ordering::SeqCst) => {
                ExecuteOutcome::Error(interrupted(error))
            }
            other => other,
        }
    }
}

impl State {
    /// Sends `SIGINT` to the process (once a cell) and kills it if the cell is still running
    /// after [`GRACE`].
    fn signal(self: &Arc<State>) {
        if !self.running.load(Ordering::SeqCst) || self.signalled.swap(true, Ordering::SeqCst) {
            return;
        }
        let pid = self.child.lock().map(|c| c.id()).unwrap_or(0);
        // SAFETY: kill(2) with a pid and a signal number has no memory-safety preconditions.
        if pid == 0 || unsafe { libc::kill(pid as libc::pid_t, libc::SIGINT) } != 0 {
            return self.kill();
        }
        let (this, cell) = (self.clone(), self.cell.load(Ordering::SeqCst));
        std::thread::spawn(move || {
            std::thread::sleep(GRACE);
            if this.running.load(Ordering::SeqCst) && this.cell.load(Ordering::SeqCst) == cell {
                this.kill();
            }
        });
    }

    fn kill(&self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
        }
    }
}

impl Interrupt for CellInterrupt {
    fn interrupt(&self) {
        let state = &self.state;
        if !state.running.load(Ordering::SeqCst) {
            return;
        }
        state.requested.store(true, Ordering::SeqCst);
        if state.run_started.load(Ordering::SeqCst) {
            state.signal();
        }
    }
}

/// The error of an interrupted cell: IPython's `KeyboardInterrupt` when it stopped by itself
/// (variables kept), or the restart when it had to be killed.
fn interrupted(error: ErrorInfo) -> ErrorInfo {
    if error.ename == "ProcessRestarted" {
        let evalue = format!("the cell did not stop within {} s of the interrupt, so the process running cells was restarted; all variables were lost", GRACE.as_secs());
        return ErrorInfo {
            traceback: vec![format!("\x1b[1;31mInterrupted\x1b[0m: {evalue}")],
            ename: error.ename,
            evalue,
        };
    }
    let evalue = "the cell was interrupted; variables are kept".to_string();
    ErrorInfo {
        ename: "KeyboardInterrupt".into(),
        traceback: vec![
            format!("\x1b[1;31mKeyboardInterrupt\x1b[0m: {evalue}"),
            error.evalue,
        ],
        evalue,
    }
}
