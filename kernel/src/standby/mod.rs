//! The standby kernel: one kernel process kept fully warmed (evcxr started, the engine loaded,
//! rust-analyzer warmed) and waiting, so that a kernel Jupyter launches answers its first cell
//! at once instead of after a start of several seconds.
//!
//! * `tessera-kernel standby` claims a build slot of its own, warms up (its compiles at nice
//!   19), then waits on `<cache>/standby/<key>.sock` (directory 0700; a peer of another user
//!   is refused) for at most [`idle_timeout`]. The [key](key::current) names the kernel
//!   binary, the engine sources and the Python environment: a standby warmed with others is
//!   never adopted, and one that sees its key change (a rebuilt engine) ends.
//! * The process Jupyter launches (`tessera-kernel --connection-file F`) connects, hands over
//!   the connection file, its working directory, its environment, its stdout and stderr
//!   ([`handover`]), and then only mirrors the kernel's lifetime: killing it ends the kernel,
//!   the kernel ending ends it with the kernel's exit code. Interrupts and shutdown are
//!   messages (`interrupt_mode` is `message`), so they work as with any kernel.
//! * The adopted kernel takes that directory and environment as if it had been started there
//!   (the process that runs cells is started again with them), and starts the next standby in
//!   the background; a kernel that started without one starts it once it is warm.
//! * `TESSERA_KERNEL_STANDBY=0` turns all of this off: kernels start as they would without.

mod handover;
pub mod key;
mod waiting;

pub use waiting::run;

use std::fs::File;
use std::io::BufRead;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::evaluate::build_dir::cache_dir;

/// `0` turns standby kernels off.
pub const ENABLE_VAR: &str = "TESSERA_KERNEL_STANDBY";

/// Seconds a standby waits to be adopted before it ends.
pub const IDLE_VAR: &str = "TESSERA_KERNEL_STANDBY_IDLE";

/// How long a standby waits by default: an hour.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(3600);

/// Whether this environment uses standby kernels (`TESSERA_KERNEL_STANDBY` is not `0`).
pub fn enabled() -> bool {
    std::env::var(ENABLE_VAR).map_or(true, |v| v.trim() != "0")
}

/// How long a standby waits to be adopted: `TESSERA_KERNEL_STANDBY_IDLE` seconds, else an
/// hour.
pub fn idle_timeout() -> Duration {
    std::env::var(IDLE_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(DEFAULT_IDLE, Duration::from_secs_f64)
}

/// Where standbys keep their sockets and locks.
pub fn dir() -> PathBuf {
    cache_dir().join("standby")
}

fn socket_path(key: &str) -> PathBuf {
    dir().join(format!("{key}.sock"))
}

/// Held (`flock`) by the standby of a key from its start until it is adopted or ends; it holds
/// the standby's pid.
fn lock_path(key: &str) -> PathBuf {
    dir().join(format!("{key}.lock"))
}

/// Takes the lock at `path`, or `None` if another process holds it.
fn try_lock(path: &Path) -> Option<File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .read(true)
        .open(path)
        .ok()?;
    // SAFETY: flock on a descriptor we own.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    locked.then_some(file)
}

/// The launched process's side: if a standby for this process's key is waiting, hands it the
/// kernel and mirrors its lifetime, returning its exit code when it ends. `None` (no standby,
/// a stale or refusing one): start a kernel here.
pub fn try_adopt(connection_file: &Path) -> Option<i32> {
    let key = key::current();
    let mut stream = UnixStream::connect(socket_path(&key)).ok()?;
    if !handover::same_user(&stream) {
        return None;
    }
    let mut reader = std::io::BufReader::new(stream.try_clone().ok()?);
    let hello: handover::Hello = handover::read_line(&mut reader).ok()?;
    if hello.key != key {
        eprintln!("tessera-kernel: the standby kernel was warmed for another engine; not used");
        return None;
    }
    let request = handover::Request {
        connection: std::fs::read_to_string(connection_file).ok()?,
        cwd: std::env::current_dir().ok()?.into_os_string(),
        env: std::env::vars_os().collect(),
    };
    let mut reader = handover::hand_over(&mut stream, &request).ok()?;
    eprintln!(
        "tessera-kernel: adopted the standby kernel (pid {})",
        hello.pid
    );
    Some(mirror(&mut reader))
}

/// Waits for the adopted kernel's end: its exit code, or 1 if it went away without one.
fn mirror(reader: &mut impl BufRead) -> i32 {
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        if let Some(code) = line.trim().strip_prefix("exit ") {
            return code.parse().unwrap_or(1);
        }
        line.clear();
    }
    1
}

/// Starts a standby for this process's key in the background, unless standbys are off or one
/// already exists (warming or waiting). It runs in a session of its own, so signals to the
/// launched kernel's process group do not reach it; its log is `<cache>/standby/standby.log`.
pub fn spawn_if_absent() {
    if !enabled() {
        return;
    }
    let key = key::current();
    if crate::private_files::own_dir(&dir()).is_err() {
        return;
    }
    let Some(lock) = try_lock(&lock_path(&key)) else {
        return;
    };
    // Free again for the standby to take.
    drop(lock);
    let (Ok(exe), Ok(log)) = (
        std::env::current_exe(),
        crate::private_files::append(&dir().join("standby.log")),
    ) else {
        return;
    };
    let Ok(log_err) = log.try_clone() else { return };
    let mut command = std::process::Command::new(exe);
    command
        .arg("standby")
        .stdin(std::process::Stdio::null())
        .stdout(log)
        .stderr(log_err);
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        })
    };
    if let Ok(mut child) = command.spawn() {
        // Reaped when it ends before this kernel (no zombie).
        std::thread::spawn(move || child.wait());
    }
}

/// Ends every standby of this cache directory (`tessera-kernel standby --stop`: for test
/// suites and CI, which must not leave processes behind), with what it runs: a standby leads
/// its own process group, so its compiles and the process that runs cells end with it.
/// Returns how many it signalled.
pub fn stop_all() -> usize {
    let Ok(entries) = std::fs::read_dir(dir()) else {
        return 0;
    };
    let mut stopped = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "lock") {
            continue;
        }
        if try_lock(&path).is_some() {
            continue; // nobody holds it
        }
        let pid = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok());
        // SAFETY: kill(2) with a process group id and a signal number.
        if pid.is_some_and(|pid| pid > 1 && unsafe { libc::kill(-pid, libc::SIGTERM) } == 0) {
            stopped += 1;
            // Its socket, which a signalled standby does not remove itself.
            let _ = std::fs::remove_file(path.with_extension("sock"));
        }
    }
    stopped
}
