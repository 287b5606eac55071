//! A small scripted interpreter: each "program" exercises one part of the Output contract.
//!
//! | code            | behaviour                                                          |
//! |-----------------|--------------------------------------------------------------------|
//! | `print(x)`      | stream `x\n` on stdout                                              |
//! | `eprint(x)`     | stream `x\n` on stderr                                              |
//! | `a + b`         | result `text/plain` = the sum                                       |
//! | `error`         | `ExecuteOutcome::Error` MockError                                   |
//! | `display`       | display_data "first" with display id `d1`, then an update "second"  |
//! | `clear`         | clear_output(wait = true)                                           |
//! | `page`          | Output::page with help text                                         |
//! | `sleep`         | stream `sleeping\n`, then waits up to 20 s or until interrupted     |
//! | `input`         | asks `name: ` through Output::input, streams `hello {answer}\n`     |
//! | `panic`         | panics                                                              |
//! | anything else   | result `text/plain` = "{n} chars"                                   |

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tessera_kernel::interpreter::{
    Completion, ErrorInfo, ExecuteOutcome, Interrupt, IsComplete, KernelInfo, MimeBundle, Output,
    StreamName,
};
use tessera_kernel::Interpreter;

/// What the mock saw, for assertions after the server stopped.
#[derive(Default)]
pub struct MockLog {
    pub shutdowns: Mutex<Vec<bool>>,
    pub executed: Mutex<Vec<String>>,
}

pub struct MockInterpreter {
    interrupted: Arc<AtomicBool>,
    log: Arc<MockLog>,
}

struct MockInterrupt(Arc<AtomicBool>);

impl Interrupt for MockInterrupt {
    fn interrupt(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

pub fn bundle(text: &str) -> MimeBundle {
    let mut data = Map::new();
    data.insert("text/plain".into(), Value::String(text.into()));
    data
}

impl MockInterpreter {
    pub fn new() -> (Self, Arc<MockLog>) {
        let log = Arc::new(MockLog::default());
        (
            MockInterpreter {
                interrupted: Arc::new(AtomicBool::new(false)),
                log: log.clone(),
            },
            log,
        )
    }

    fn word_at(code: &str, cursor: usize) -> (usize, String) {
        let before: Vec<char> = code.chars().take(cursor).collect();
        let start = before
            .iter()
            .rposition(|c| !c.is_alphanumeric() && *c != '_')
            .map_or(0, |i| i + 1);
        (start, before[start..].iter().collect())
    }
}

fn error(ename: &str, evalue: &str) -> ExecuteOutcome {
    ExecuteOutcome::Error(ErrorInfo {
        ename: ename.into(),
        evalue: evalue.into(),
        traceback: vec!["in cell line 1".into(), format!("{ename}: {evalue}")],
    })
}

impl Interpreter for MockInterpreter {
    fn kernel_info(&self) -> KernelInfo {
        KernelInfo {
            implementation: "mock".into(),
            implementation_version: "0.0.1".into(),
            language_info: json!({"name": "mock", "version": "1.0", "mimetype": "text/x-mock",
                                  "file_extension": ".mock"}),
            banner: "Mock kernel".into(),
            help_links: vec![("Docs".into(), "https://example.org/docs".into())],
        }
    }

    fn execute(&mut self, code: &str, output: &dyn Output) -> ExecuteOutcome {
        self.interrupted.store(false, Ordering::SeqCst);
        if code.len() < 1000 {
            self.log.executed.lock().unwrap().push(code.to_owned());
        }
        if let Some(text) = code
            .strip_prefix("print(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            output.stream(StreamName::Stdout, &format!("{text}\n"));
            return ExecuteOutcome::Ok { result: None };
        }
        if let Some(text) = code
            .strip_prefix("eprint(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            output.stream(StreamName::Stderr, &format!("{text}\n"));
            return ExecuteOutcome::Ok { result: None };
        }
        if let Some((a, b)) = code.split_once(" + ") {
            if let (Ok(a), Ok(b)) = (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                return ExecuteOutcome::Ok {
                    result: Some(bundle(&(a + b).to_string())),
                };
            }
        }
        match code {
            "error" => error("MockError", "it failed"),
            "display" => {
                output.display_data(bundle("first"), Map::new(), Some("d1"));
                output.update_display_data(bundle("second"), Map::new(), "d1");
                ExecuteOutcome::Ok { result: None }
            }
            "clear" => {
                output.clear_output(true);
                ExecuteOutcome::Ok { result: None }
            }
            "page" => {
                output.page(bundle("print(x): writes x"));
                ExecuteOutcome::Ok { result: None }
            }
            "sleep" => {
                output.stream(StreamName::Stdout, "sleeping\n");
                let start = Instant::now();
                while start.elapsed() < Duration::from_secs(20) {
                    if self.interrupted.load(Ordering::SeqCst) {
                        return error("KeyboardInterrupt", "interrupted");
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                ExecuteOutcome::Ok { result: None }
            }
            "input" => match output.input("name: ", false) {
                Ok(answer) => {
                    output.stream(StreamName::Stdout, &format!("hello {answer}\n"));
                    ExecuteOutcome::Ok { result: None }
                }
                Err(err) => error("InputError", &err.to_string()),
            },
            "panic" => panic!("mock interpreter panic"),
            _ => ExecuteOutcome::Ok {
                result: Some(bundle(&format!("{} chars", code.len()))),
            },
        }
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        let (start, word) = Self::word_at(code, cursor_pos);
        let matches = ["print", "println", "panic"]
            .iter()
            .filter(|m| m.starts_with(&word))
            .map(|m| m.to_string());
        Completion {
            matches: matches.collect(),
            cursor_start: start,
            cursor_end: cursor_pos,
        }
    }

    fn inspect(&mut self, code: &str, cursor_pos: usize, detail_level: u8) -> Option<MimeBundle> {
        let (_, word) = Self::word_at(code, cursor_pos);
        (word == "print").then(|| bundle(&format!("print(x): writes x (detail {detail_level})")))
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        if code.ends_with('{') {
            IsComplete::Incomplete {
                indent: "    ".into(),
            }
        } else if code.starts_with('}') {
            IsComplete::Invalid
        } else if code == "?" {
            IsComplete::Unknown
        } else {
            IsComplete::Complete
        }
    }

    fn interrupter(&self) -> Arc<dyn Interrupt> {
        Arc::new(MockInterrupt(self.interrupted.clone()))
    }

    fn shutdown(&mut self, restart: bool) {
        self.log.shutdowns.lock().unwrap().push(restart);
    }
}
