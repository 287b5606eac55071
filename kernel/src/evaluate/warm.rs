//! Start-up without waiting: evcxr needs seconds to start and load the engine, but a frontend
//! expects `kernel_info` at once. [`Warming`] answers it immediately and builds the evaluator
//! on a background thread; the first execution waits for it.

use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};

use super::EvcxrInterpreter;
use crate::interpreter::{
    Completion, ErrorInfo, ExecuteOutcome, Interpreter, Interrupt, IsComplete, KernelInfo,
    MimeBundle, Output, RunStats,
};

/// An [`EvcxrInterpreter`] that is still starting.
pub struct Warming {
    pending: Option<Receiver<Result<EvcxrInterpreter, String>>>,
    ready: Result<Option<EvcxrInterpreter>, String>,
    interrupt: Arc<Forward>,
}

/// Forwards an interrupt to the evaluator once it exists.
#[derive(Default)]
struct Forward(Mutex<Option<Arc<dyn Interrupt>>>);

impl Interrupt for Forward {
    fn interrupt(&self) {
        if let Some(inner) = self.0.lock().expect("interrupt slot").as_ref() {
            inner.interrupt();
        }
    }
}

impl Warming {
    /// Starts building the evaluator for the engine at `engine` in the background.
    pub fn start(engine: PathBuf) -> Warming {
        Warming::spawn(move || EvcxrInterpreter::new(&engine).map_err(|e| e.to_string()))
    }

    /// Gets the evaluator from `make`, run in the background (a start, or the last steps of
    /// an adoption by a standby kernel).
    pub fn spawn(
        make: impl FnOnce() -> Result<EvcxrInterpreter, String> + Send + 'static,
    ) -> Warming {
        let (send, receive) = channel();
        std::thread::Builder::new()
            .name("evcxr-start".into())
            .spawn(move || {
                let _ = send.send(make());
            })
            .expect("a thread to start evcxr");
        Warming {
            pending: Some(receive),
            ready: Ok(None),
            interrupt: Arc::default(),
        }
    }

    /// The evaluator if it has started (no waiting).
    fn started(&self) -> Option<&EvcxrInterpreter> {
        self.ready.as_ref().ok()?.as_ref()
    }

    /// The evaluator, waiting for it if it is still starting.
    fn evaluator(&mut self) -> Result<&mut EvcxrInterpreter, String> {
        if let Some(pending) = self.pending.take() {
            self.ready = pending
                .recv()
                .unwrap_or_else(|_| Err("the evcxr start-up thread died".into()))
                .map(Some);
            if let Ok(Some(evaluator)) = &self.ready {
                *self.interrupt.0.lock().expect("interrupt slot") = Some(evaluator.interrupter());
            }
        }
        match &mut self.ready {
            Ok(Some(evaluator)) => Ok(evaluator),
            Ok(None) => unreachable!("resolved above"),
            Err(why) => Err(why.clone()),
        }
    }
}

impl Interpreter for Warming {
    fn kernel_info(&self) -> KernelInfo {
        super::kernel_info()
    }

    fn execute(&mut self, code: &str, output: &dyn Output) -> ExecuteOutcome {
        match self.evaluator() {
            Ok(evaluator) => evaluator.execute(code, output),
            Err(why) => ExecuteOutcome::Error(ErrorInfo {
                ename: "KernelStartError".into(),
                evalue: why.clone(),
                traceback: vec![format!("The Rust evaluator could not start: {why}")],
            }),
        }
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        match self.evaluator() {
            Ok(evaluator) => evaluator.complete(code, cursor_pos),
            Err(_) => Completion {
                matches: vec![],
                cursor_start: cursor_pos,
                cursor_end: cursor_pos,
            },
        }
    }

    fn inspect(&mut self, code: &str, cursor_pos: usize, detail_level: u8) -> Option<MimeBundle> {
        self.evaluator()
            .ok()?
            .inspect(code, cursor_pos, detail_level)
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        crate::completeness::is_complete(code)
    }

    fn interrupter(&self) -> Arc<dyn Interrupt> {
        self.interrupt.clone()
    }

    fn shutdown(&mut self, restart: bool) {
        if let Ok(evaluator) = self.evaluator() {
            evaluator.shutdown(restart);
        }
    }

    fn last_run(&self) -> Option<RunStats> {
        self.started()?.last_run()
    }

    fn variables(&self) -> Vec<(String, String)> {
        self.started()
            .map(Interpreter::variables)
            .unwrap_or_default()
    }
}
