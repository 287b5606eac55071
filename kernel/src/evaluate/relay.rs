//! Partial lines from cells. evcxr reads the cell process's stdout and stderr line by line, so
//! `print!("50%… ")` would show only when a newline follows (or never, when the cell ends
//! first). In the cell process, this relay sits between the program and the real stdout/stderr:
//! whole lines pass through unchanged (evcxr's own protocol lines included), and text that stays
//! without a newline for [`PARTIAL_AFTER`] is sent as one [`PARTIAL`] line, which the kernel turns
//! back into stream text without a newline.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// Starts a line carrying partial text (JSON string after it).
pub const PARTIAL: &str = "\u{1e}TESSERA-PARTIAL ";

/// A line the relay adds when evcxr reports that `?` returned an error from the cell (evcxr
/// consumes its own line and would treat the cell as a success).
pub const USER_ERROR: &str = "\u{1e}TESSERA-USER-ERROR";

/// A line the relay writes on stderr as a cell ends (when evcxr's completion line passes on
/// stdout): everything the cell wrote to stderr comes before it, so the kernel knows when it
/// has all of a cell's stderr (evcxr reads stderr on a thread of its own).
pub const STDERR_FENCE: &str = "\u{1e}TESSERA-STDERR-FENCE";

/// A line the relay writes on stdout as evcxr's `LOAD_AND_RUN` passes: the compiled cell starts
/// to run now. The kernel holds an interrupt that comes while the cell still compiles until
/// then (see `interrupt`), so the flag is set after the run's start cleared the last cell's.
pub const RUN_STARTED: &str = "\u{1e}TESSERA-RUN-STARTED";

/// Where [`STDERR_FENCE`] is written: the stderr pipe the cell writes into.
static FENCE: std::sync::OnceLock<Mutex<File>> = std::sync::OnceLock::new();

/// The stdout relay's queue: [`watch_commands`] puts [`Piece::RunStarted`] into it, so the line
/// goes out between whole lines of the cell process's output, never inside one.
static STDOUT_QUEUE: std::sync::OnceLock<Mutex<Sender<Piece>>> = std::sync::OnceLock::new();

/// What the reading thread of a relay hands to its copying thread.
enum Piece {
    Bytes(Vec<u8>),
    RunStarted,
}

/// evcxr's line for "the cell's `?` returned an error".
const EVCXR_USER_ERROR: &[u8] = b"EVCXR_ERROR_OCCURRED\n";

/// How long text without a newline waits before it is sent as partial.
const PARTIAL_AFTER: Duration = Duration::from_millis(50);

/// evcxr's command to the cell process: run the compiled cell.
const EVCXR_LOAD_AND_RUN: &[u8] = b"LOAD_AND_RUN ";

/// evcxr's line for "the cell is over".
const EVCXR_EXECUTION_COMPLETE: &[u8] = b"EVCXR_EXECUTION_COMPLETE";

/// Whether a cell is running: from evcxr's `LOAD_AND_RUN` to the cell's completion line.
static RUNNING: AtomicBool = AtomicBool::new(false);

/// In the process that runs cells, puts the relay on stdout and stderr, and a watcher on
/// stdin that notes when each cell starts to run (for [`run_stats`](super::run_stats)).
pub(super) fn install() {
    for fd in [libc::STDOUT_FILENO, libc::STDERR_FILENO] {
        if let Err(e) = relay(fd) {
            eprintln!("tessera-kernel: partial-line relay unavailable: {e}");
        }
    }
    if let Some(pipe) = duplicate(libc::STDERR_FILENO) {
        let _ = FENCE.set(Mutex::new(pipe));
    }
    if let Err(e) = relay(libc::STDIN_FILENO) {
        eprintln!("tessera-kernel: cell timing unavailable: {e}");
    }
}

/// Puts a pipe between `fd` and what it was connected to, with a thread copying across: for
/// stdout and stderr the program writes into the pipe ([`copy`] passes it on), for stdin the
/// program reads from it ([`watch_commands`] fills it).
fn relay(fd: i32) -> std::io::Result<()> {
    // SAFETY: dup of an open descriptor; the result is owned by `real`.
    let real = unsafe { libc::dup(fd) };
    if real < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let real = unsafe { File::from(OwnedFd::from_raw_fd(real)) };
    let (reader, writer) = std::io::pipe()?;
    let name = format!("tessera-relay-{fd}");
    let (kept, replaced): (OwnedFd, OwnedFd) = if fd == libc::STDIN_FILENO {
        (writer.into(), reader.into())
    } else {
        (reader.into(), writer.into())
    };
    // SAFETY: both descriptors are open; dup2 atomically replaces `fd`.
    if unsafe { libc::dup2(replaced.as_raw_fd(), fd) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    drop(replaced);
    let kept = File::from(kept);
    let thread = std::thread::Builder::new().name(name);
    if fd == libc::STDIN_FILENO {
        thread.spawn(move || watch_commands(real, kept))?;
    } else {
        // evcxr reads the cell process's stdout only while a cell runs, but stderr always:
        // display messages written between cells (a future's status changing after its cell
        // ended) go to stderr so the kernel relays them at once.
        let idle = if fd == libc::STDOUT_FILENO {
            duplicate(libc::STDERR_FILENO)
        } else {
            None
        };
        let stdout = fd == libc::STDOUT_FILENO;
        thread.spawn(move || copy(kept, real, idle, stdout))?;
    }
    Ok(())
}

/// A new descriptor for what `fd` is connected to now.
fn duplicate(fd: i32) -> Option<File> {
    // SAFETY: dup of an open descriptor; the result is owned by the File.
    let copy = unsafe { libc::dup(fd) };
    (copy >= 0).then(|| unsafe { File::from(OwnedFd::from_raw_fd(copy)) })
}

/// Passes evcxr's commands from `from` to the cell runtime through `to`, starting the run's
/// measurements as a `LOAD_AND_RUN` goes by.
fn watch_commands(from: File, mut to: File) {
    use std::io::BufRead;
    let mut from = std::io::BufReader::new(from);
    let mut line = Vec::new();
    while matches!(from.read_until(b'\n', &mut line), Ok(n) if n > 0) {
        if line.starts_with(EVCXR_LOAD_AND_RUN) {
            RUNNING.store(true, Ordering::SeqCst);
            super::run_stats::run_starting();
            let queue = STDOUT_QUEUE
                .get()
                .filter(|_| super::run_stats::output_is_read());
            if let Some(queue) = queue {
                let queue = queue
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let _ = queue.send(Piece::RunStarted);
            }
        }
        if to.write_all(&line).is_err() {
            return;
        }
        line.clear();
    }
}

/// Copies bytes from `pipe` to `out`, line by line, sending stale partial lines as [`PARTIAL`];
/// display lines written while no cell runs go to `idle`, if given. The stdout relay also
/// writes [`RUN_STARTED`] lines when told to.
fn copy(mut pipe: impl Read + Send + 'static, mut out: File, mut idle: Option<File>, stdout: bool) {
    let (send, receive) = channel::<Piece>();
    if stdout {
        let _ = STDOUT_QUEUE.set(Mutex::new(send.clone()));
    }
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 || send.send(Piece::Bytes(buffer[..n].to_vec())).is_err() {
                break;
            }
        }
    });
    let mut pending: Vec<u8> = Vec::new();
    loop {
        match receive.recv_timeout(PARTIAL_AFTER) {
            Ok(Piece::RunStarted) => {
                if !pending.is_empty() {
                    let _ = out.write_all(&partial_line(&std::mem::take(&mut pending)));
                }
                let _ = out.write_all(format!("{RUN_STARTED}\n").as_bytes());
            }
            Ok(Piece::Bytes(bytes)) => {
                pending.extend_from_slice(&bytes);
                if let Some(end) = pending.iter().rposition(|&b| b == b'\n') {
                    let lines: Vec<u8> = pending.drain(..=end).collect();
                    let (displays, lines) = match idle.as_mut() {
                        Some(_) if !RUNNING.load(Ordering::SeqCst) => split_displays(&lines),
                        _ => (Vec::new(), lines),
                    };
                    if let (Some(idle), false) = (idle.as_mut(), displays.is_empty()) {
                        let _ = idle.write_all(&displays).and_then(|_| idle.flush());
                    }
                    let _ = out.write_all(&split_protocol_lines(
                        &lines,
                        super::run_stats::run_finished,
                    ));
                }
            }
            Err(RecvTimeoutError::Timeout) if !pending.is_empty() => {
                let _ = out.write_all(&partial_line(&std::mem::take(&mut pending)));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                if !pending.is_empty() {
                    let _ = out.write_all(&partial_line(&pending));
                }
                return;
            }
        }
        let _ = out.flush();
    }
}

/// evcxr's protocol lines (`EVCXR_…`) and the [`STDERR_FENCE`] must start a line: text a cell
/// printed without a newline just before one is split off as partial text. The end of a cell
/// is preceded by the line `run_finished` gives (the run's measurements).
fn split_protocol_lines(lines: &[u8], run_finished: impl Fn() -> Option<String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines.split_inclusive(|&b| b == b'\n') {
        if line.ends_with(EVCXR_USER_ERROR) {
            out.extend_from_slice(format!("{USER_ERROR}\n").as_bytes());
        }
        let at = find(line, b"EVCXR_").or_else(|| find(line, STDERR_FENCE.as_bytes()));
        if let Some(at) = at.filter(|&at| at > 0) {
            out.extend_from_slice(&partial_line(&line[..at]));
        }
        let protocol = &line[at.unwrap_or(0)..];
        if protocol.starts_with(EVCXR_EXECUTION_COMPLETE) {
            out.extend_from_slice(run_finished().unwrap_or_default().as_bytes());
            RUNNING.store(false, Ordering::SeqCst);
            write_fence();
        }
        out.extend_from_slice(protocol);
    }
    out
}

/// Writes [`STDERR_FENCE`] behind what the cell has written to stderr.
fn write_fence() {
    if let Some(pipe) = FENCE.get() {
        let mut pipe = pipe
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = pipe.write_all(format!("{STDERR_FENCE}\n").as_bytes());
    }
}

/// `lines` split into the engine's display lines and the rest.
fn split_displays(lines: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (mut displays, mut rest) = (Vec::new(), Vec::new());
    for line in lines.split_inclusive(|&b| b == b'\n') {
        let target = if line.starts_with(tessera::display::MARKER.as_bytes()) {
            &mut displays
        } else {
            &mut rest
        };
        target.extend_from_slice(line);
    }
    (displays, rest)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `PARTIAL "text"\n`.
fn partial_line(text: &[u8]) -> Vec<u8> {
    let json = serde_json::to_string(&String::from_utf8_lossy(text)).expect("strings serialize");
    format!("{PARTIAL}{json}\n").into_bytes()
}

/// The text of a [`PARTIAL`] line, if `line` is one.
pub(crate) fn partial_text(line: &str) -> Option<String> {
    serde_json::from_str(line.strip_prefix(PARTIAL)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_lines_are_split_from_text() {
        let display = format!("{}{{\"kind\": \"update\"}}\n", tessera::display::MARKER);
        let (displays, rest) = split_displays(format!("text\n{display}more\n").as_bytes());
        assert_eq!(String::from_utf8(displays).unwrap(), display);
        assert_eq!(rest, b"text\nmore\n");
    }

    #[test]
    fn protocol_lines_are_split_from_partial_text() {
        let out = split_protocol_lines(b"done\npartialEVCXR_EXECUTION_COMPLETE\n", || {
            Some("STATS\n".into())
        });
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "done");
        assert_eq!(partial_text(lines[1]).as_deref(), Some("partial"));
        assert_eq!(
            lines[2], "STATS",
            "the run's measurements come just before the end of the cell"
        );
        assert_eq!(lines[3], "EVCXR_EXECUTION_COMPLETE");
    }

    #[test]
    fn the_fence_starts_a_line() {
        let line = format!("no newline{STDERR_FENCE}\n");
        let out = String::from_utf8(split_protocol_lines(line.as_bytes(), || None)).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(partial_text(lines[0]).as_deref(), Some("no newline"));
        assert_eq!(lines[1], STDERR_FENCE);
    }

    #[test]
    fn user_errors_are_announced() {
        let out =
            String::from_utf8(split_protocol_lines(b"EVCXR_ERROR_OCCURRED\n", || None)).unwrap();
        assert_eq!(out, format!("{USER_ERROR}\nEVCXR_ERROR_OCCURRED\n"));
    }

    #[test]
    fn partial_lines_round_trip() {
        let line = String::from_utf8(partial_line("50% \"done\"… ".as_bytes())).unwrap();
        assert_eq!(
            partial_text(line.trim_end()).as_deref(),
            Some("50% \"done\"… ")
        );
        assert_eq!(partial_text("plain"), None);
    }
}
