//! The interpreter thread: owns the `Box<dyn Interpreter>` and runs jobs on it one at a time,
//! so socket loops never block on evaluation. A panicking job fails that request only.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use tokio::sync::oneshot;

use crate::interpreter::Interpreter;

use super::error::ProtocolError;

type Task = Box<dyn FnOnce(&mut dyn Interpreter) + Send>;

enum Job {
    Run(Task),
    /// Calls `Interpreter::shutdown` and ends the thread.
    Shutdown {
        restart: bool,
        done: oneshot::Sender<()>,
    },
}

/// Handle to the interpreter thread. Dropping it lets the thread end after its current job.
pub(crate) struct Worker {
    jobs: mpsc::Sender<Job>,
    busy: Arc<AtomicBool>,
}

impl Worker {
    /// Moves `interpreter` to a new thread.
    ///
    /// **Errors**: [`ProtocolError::WorkerSpawn`] if the thread cannot be started.
    pub(crate) fn spawn(mut interpreter: Box<dyn Interpreter>) -> Result<Self, ProtocolError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let busy = Arc::new(AtomicBool::new(false));
        let flag = busy.clone();
        std::thread::Builder::new()
            .name("tessera-interpreter".into())
            .spawn(move || {
                for job in queue {
                    flag.store(true, Ordering::SeqCst);
                    match job {
                        Job::Run(task) => {
                            // The task's result sender is dropped by the unwind, so the caller
                            // gets an error instead of waiting forever.
                            if catch_unwind(AssertUnwindSafe(|| task(&mut *interpreter))).is_err() {
                                super::log(format_args!("the interpreter panicked"));
                            }
                        }
                        Job::Shutdown { restart, done } => {
                            let _ =
                                catch_unwind(AssertUnwindSafe(|| interpreter.shutdown(restart)));
                            let _ = done.send(());
                            break;
                        }
                    }
                    flag.store(false, Ordering::SeqCst);
                }
            })
            .map_err(|source| ProtocolError::WorkerSpawn { source })?;
        Ok(Worker { jobs, busy })
    }

    /// Runs `f` on the interpreter thread (after the jobs before it) and returns its result.
    ///
    /// **Errors**: [`ProtocolError::InterpreterFailed`] (naming `request`) if `f` panicked or
    /// the thread has ended.
    pub(crate) async fn call<R, F>(&self, request: &'static str, f: F) -> Result<R, ProtocolError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Interpreter) -> R + Send + 'static,
    {
        let (result, receive) = oneshot::channel();
        let task: Task = Box::new(move |interpreter| {
            let _ = result.send(f(interpreter));
        });
        self.jobs
            .send(Job::Run(task))
            .map_err(|_| ProtocolError::InterpreterFailed { request })?;
        receive
            .await
            .map_err(|_| ProtocolError::InterpreterFailed { request })
    }

    /// Whether a job is running now.
    pub(crate) fn is_busy(&self) -> bool {
        self.busy.load(Ordering::SeqCst)
    }

    /// Calls `Interpreter::shutdown(restart)` after the jobs already queued, then ends the thread.
    ///
    /// **Errors**: [`ProtocolError::InterpreterFailed`] if the thread has already ended.
    pub(crate) async fn shutdown(&self, restart: bool) -> Result<(), ProtocolError> {
        let (done, receive) = oneshot::channel();
        let failed = ProtocolError::InterpreterFailed {
            request: "shutdown_request",
        };
        self.jobs
            .send(Job::Shutdown { restart, done })
            .map_err(|_| failed)?;
        receive.await.map_err(|_| ProtocolError::InterpreterFailed {
            request: "shutdown_request",
        })
    }
}
