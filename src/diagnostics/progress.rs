//! [`ProgressBar`]: dask's `ProgressBar` for tessera computations. In a notebook it is one
//! HTML output updated in place (`update_display_data`, every `dt`); in a terminal an
//! `indicatif` bar; elsewhere dask's text, `[####    ] | 45% Completed | 12.3s`, redrawn with
//! carriage returns. It ends showing `100% Completed | 1min 4.2s` (or how far it got and
//! `Failed`).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{Callback, TaskEvent};
use crate::display::{display, in_kernel, update_display, MimeBundle};
use crate::error::Error;
use crate::graph::TaskGraph;

/// Width of the text bar, in characters (dask's).
const WIDTH: usize = 40;

/// A progress bar for computations: pass it to
/// [`compute_with`](crate::Array::compute_with), or [`register`](super::register) it.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let bar = ProgressBar::new();
/// let mean = random::uniform([2000, 1000], [500, 1000]).mean()?.compute_with(&bar)?;
/// assert!(bar.last_line().contains("] | 100% Completed | "));
/// # Ok::<(), tessera::Error>(())
/// ```
pub struct ProgressBar {
    dt: Duration,
    minimum: Duration,
    state: Arc<State>,
    ticker: Mutex<Option<(Sender<()>, JoinHandle<()>)>>,
}

/// What the bar shows, shared with its ticker thread.
struct State {
    total: AtomicUsize,
    done: AtomicUsize,
    start: Mutex<Instant>,
    view: Mutex<View>,
    last_line: Mutex<String>,
}

/// Where the bar is drawn.
enum View {
    /// Not drawn yet (a run shorter than `minimum` never is).
    Hidden,
    /// A notebook output with this display id.
    Notebook(String),
    #[cfg(feature = "terminal")]
    Terminal(indicatif::ProgressBar),
    Text,
}

impl Default for ProgressBar {
    fn default() -> ProgressBar {
        ProgressBar::new()
    }
}

impl ProgressBar {
    /// A bar redrawn every 0.1 s, shown from the start of a computation.
    pub fn new() -> ProgressBar {
        ProgressBar {
            dt: Duration::from_millis(100),
            minimum: Duration::ZERO,
            state: Arc::new(State {
                total: AtomicUsize::new(0),
                done: AtomicUsize::new(0),
                start: Mutex::new(Instant::now()),
                view: Mutex::new(View::Hidden),
                last_line: Mutex::new(String::new()),
            }),
            ticker: Mutex::new(None),
        }
    }

    /// Redraws every `seconds` (dask's `dt`).
    pub fn dt(mut self, seconds: f64) -> ProgressBar {
        self.dt = Duration::from_secs_f64(seconds.max(0.01));
        self
    }

    /// Shows the bar only for computations that last longer than `seconds` (dask's `minimum`).
    pub fn minimum(mut self, seconds: f64) -> ProgressBar {
        self.minimum = Duration::from_secs_f64(seconds.max(0.0));
        self
    }

    /// The bar's text as last drawn: `[####…] | 100% Completed | 1.2s`.
    pub fn last_line(&self) -> String {
        self.state.last_line.lock().expect("bar text").clone()
    }
}

impl Callback for ProgressBar {
    fn start(&self, graph: &TaskGraph) {
        let state = &self.state;
        state.total.store(graph.tasks.len(), Ordering::SeqCst);
        state.done.store(0, Ordering::SeqCst);
        *state.start.lock().expect("start time") = Instant::now();
        *state.view.lock().expect("bar view") = View::Hidden;
        let (stop, stopped) = channel::<()>();
        let (shared, dt, minimum) = (state.clone(), self.dt, self.minimum);
        let ticker = std::thread::Builder::new()
            .name("tessera-progress".into())
            .spawn(move || loop {
                if shared.start.lock().expect("start time").elapsed() >= minimum {
                    shared.draw(None);
                }
                match stopped.recv_timeout(dt) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            })
            .expect("a thread for the progress bar");
        *self.ticker.lock().expect("ticker") = Some((stop, ticker));
    }

    fn task_finish(&self, _event: &TaskEvent<'_>) {
        self.state.done.fetch_add(1, Ordering::Relaxed);
    }

    fn finish(&self, error: Option<&Error>) {
        if let Some((stop, ticker)) = self.ticker.lock().expect("ticker").take() {
            let _ = stop.send(());
            let _ = ticker.join();
        }
        let state = &self.state;
        if state.start.lock().expect("start time").elapsed() >= self.minimum {
            state.draw(Some(error.is_none()));
        }
    }
}

impl State {
    /// Draws the bar; `finished` is `Some(succeeded)` for the last time.
    fn draw(&self, finished: Option<bool>) {
        let total = self.total.load(Ordering::SeqCst).max(1);
        let done = self.done.load(Ordering::SeqCst).min(total);
        let fraction = if finished == Some(true) {
            1.0
        } else {
            done as f64 / total as f64
        };
        let elapsed = self.start.lock().expect("start time").elapsed();
        let status = if finished == Some(false) {
            "Failed"
        } else {
            "Completed"
        };
        let text = format!(
            "{}% {status} | {}",
            (fraction * 100.0) as usize,
            format_elapsed(elapsed)
        );
        let line = format!(
            "[{:<WIDTH$}] | {text}",
            "#".repeat((fraction * WIDTH as f64) as usize)
        );
        let mut view = self.view.lock().expect("bar view");
        let first = matches!(*view, View::Hidden);
        if first {
            *view = new_view(total);
        }
        match &*view {
            View::Notebook(id) if first => {
                display(&bundle(&line, fraction, &text, finished), Some(id))
            }
            View::Notebook(id) => update_display(&bundle(&line, fraction, &text, finished), id),
            #[cfg(feature = "terminal")]
            View::Terminal(bar) => {
                bar.set_position(if finished == Some(true) {
                    total as u64
                } else {
                    done as u64
                });
                bar.set_message(status);
                if finished.is_some() {
                    bar.finish();
                }
            }
            View::Text => {
                let mut out = std::io::stdout().lock();
                let _ = write!(out, "\r{line}");
                if finished.is_some() {
                    let _ = writeln!(out);
                }
                let _ = out.flush();
            }
            View::Hidden => unreachable!("chosen above"),
        }
        *self.last_line.lock().expect("bar text") = line;
    }
}

/// The view for this process: a notebook output in the kernel, indicatif on a terminal, text.
fn new_view(total: usize) -> View {
    if in_kernel() {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        View::Notebook(format!(
            "tessera-progress-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ))
    } else if cfg!(feature = "terminal") && std::io::stderr().is_terminal() {
        terminal_view(total)
    } else {
        View::Text
    }
}

/// indicatif's bar (feature `terminal`; notebook cells are built without it).
#[cfg(feature = "terminal")]
fn terminal_view(total: usize) -> View {
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("[{bar:40}] | {percent}% {msg} | {elapsed}")
    {
        bar.set_style(style.progress_chars("#>-"));
    }
    View::Terminal(bar)
}

#[cfg(not(feature = "terminal"))]
fn terminal_view(_total: usize) -> View {
    View::Text
}

/// The notebook output: an HTML bar in the theme's colours, and the text line.
fn bundle(line: &str, fraction: f64, text: &str, finished: Option<bool>) -> MimeBundle {
    let colour = match finished {
        Some(true) => "var(--jp-success-color1, #388e3c)",
        Some(false) => "var(--jp-error-color1, #d32f2f)",
        None => "var(--jp-brand-color1, #1976d2)",
    };
    let html = format!(
        r#"<div style="display:flex;align-items:center;gap:0.75em;font-family:var(--jp-code-font-family, monospace);font-size:var(--jp-code-font-size, 13px);color:var(--jp-ui-font-color1, inherit)"><div style="width:24em;height:1.1em;border:1px solid var(--jp-border-color1, #999);border-radius:2px;overflow:hidden;background:var(--jp-layout-color2, #eee)"><div style="width:{:.1}%;height:100%;background:{colour}"></div></div><span>{text}</span></div>"#,
        fraction * 100.0
    );
    MimeBundle::new()
        .with("text/plain", line)
        .with("text/html", html)
}

/// dask's elapsed time: `12.3s`, `1min 4.2s`, `2hr 3min 4.5s`.
pub(crate) fn format_elapsed(elapsed: Duration) -> String {
    let total = elapsed.as_secs_f64();
    let (minutes, seconds) = ((total / 60.0).floor(), total % 60.0);
    let (hours, minutes) = ((minutes / 60.0).floor(), minutes % 60.0);
    if hours > 0.0 {
        format!("{hours}hr {minutes}min {seconds:.1}s")
    } else if minutes > 0.0 {
        format!("{minutes}min {seconds:.1}s")
    } else {
        format!("{seconds:.1}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_like_dask() {
        assert_eq!(format_elapsed(Duration::from_secs_f64(12.34)), "12.3s");
        assert_eq!(format_elapsed(Duration::from_secs_f64(64.2)), "1min 4.2s");
        assert_eq!(
            format_elapsed(Duration::from_secs_f64(7384.5)),
            "2hr 3min 4.5s"
        );
    }

    #[test]
    fn html_bar_width_follows_the_fraction() {
        let b = bundle(
            "[##  ] | 45% Completed | 1.0s",
            0.45,
            "45% Completed | 1.0s",
            None,
        );
        assert!(b.get("text/html").unwrap().contains("width:45.0%"));
        assert_eq!(b.get("text/plain"), Some("[##  ] | 45% Completed | 1.0s"));
    }
}
