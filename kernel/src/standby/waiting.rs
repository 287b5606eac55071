//! `tessera-kernel standby`: warm up, wait to be adopted, then be the launched kernel.

use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::{Duration, Instant};

use super::handover::{self, Hello, Request};
use crate::evaluate::{build_dir, engine_path, owned_env, EvcxrInterpreter, Warming};
use crate::magics::Magics;
use crate::protocol::{serve_blocking, ConnectionInfo, ServerOptions};

/// How often a waiting standby checks that its key still holds (the kernel or the engine
/// rebuilt, which makes it useless).
const RECHECK: Duration = Duration::from_secs(10);

/// The standby's life. Returns when it ends without being adopted (idle, stale, another
/// standby for the key already there); once adopted, it is the kernel and exits when the
/// kernel does.
///
/// **Errors**: no build slot is free, or evcxr cannot start.
pub fn run() -> Result<(), String> {
    let key = super::key::current();
    let dir = super::dir();
    crate::private_files::own_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let Some(mut lock) = super::try_lock(&super::lock_path(&key)) else {
        return Ok(()); // another standby for this key is warming or waiting
    };
    let _ = lock.set_len(0);
    let _ = write!(lock, "{}", std::process::id());
    // evcxr reads an `evcxr.toml` in the working directory: the standby's is its own.
    let _ = std::env::set_current_dir(&dir);
    build_dir::claim().ok_or("tessera-kernel standby: no free build directory")?;
    let evaluator = warm_quietly()?;
    let socket = super::socket_path(&key);
    let _ = std::fs::remove_file(&socket); // stale: we hold the key's lock
    let listener = UnixListener::bind(&socket).map_err(|e| format!("{}: {e}", socket.display()))?;
    let adopted = wait(&listener, &key);
    let _ = std::fs::remove_file(&socket);
    drop(listener);
    let Some((stream, fds, request)) = adopted else {
        return Ok(());
    };
    // A new standby for the key may start now.
    drop(lock);
    serve_adopted(evaluator, stream, fds, request)
}

/// Starts evcxr on a thread at the lowest priority: the compiles it runs (and the process
/// that runs cells, until adoption starts a new one) inherit it, so a warming standby does not
/// slow the kernels in use. The rest of the process keeps its priority: an adopted kernel
/// runs at the priority of the one it replaces (a process cannot lower its nice value again).
fn warm_quietly() -> Result<EvcxrInterpreter, String> {
    let engine = engine_path();
    std::thread::Builder::new()
        .name("standby-warm".into())
        .spawn(move || {
            // SAFETY: setpriority on this thread's id (Linux: nice values are per thread).
            unsafe {
                let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
                libc::setpriority(libc::PRIO_PROCESS, tid, 19);
            }
            EvcxrInterpreter::new(&engine).map_err(|e| format!("evcxr could not start: {e}"))
        })
        .map_err(|e| format!("no thread to warm up: {e}"))?
        .join()
        .map_err(|_| "the warm-up thread panicked".to_string())?
}

/// Waits for a launched process with our key, until the idle timeout or our key changes.
fn wait(listener: &UnixListener, key: &str) -> Option<(UnixStream, Vec<OwnedFd>, Request)> {
    let deadline = Instant::now() + super::idle_timeout();
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        if !readable(listener, left.min(RECHECK)) {
            if super::key::current() != key {
                eprintln!("tessera-kernel standby: the kernel or engine changed; ending");
                return None;
            }
            continue;
        }
        let Ok((mut stream, _)) = listener.accept() else {
            continue;
        };
        if !handover::same_user(&stream) {
            continue; // dropped: the socket's directory should already keep others out
        }
        let hello = Hello {
            key: key.to_string(),
            pid: std::process::id(),
        };
        if handover::send_line(&mut stream, &hello).is_err() {
            continue;
        }
        // A launcher that found another key, or died, closes without a request.
        if let Ok((fds, request)) = handover::receive(&stream) {
            return Some((stream, fds, request));
        }
    }
}

/// Whether a connection is waiting on `listener` within `timeout`.
fn readable(listener: &UnixListener, timeout: Duration) -> bool {
    let mut poll = libc::pollfd {
        fd: listener.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut poll, 1, millis) > 0 }
}

/// Becomes the launched kernel: its stdout/stderr, working directory and environment, a new
/// process for cells, a new standby in the background, then the kernel's life.
fn serve_adopted(
    mut evaluator: EvcxrInterpreter,
    mut stream: UnixStream,
    fds: Vec<OwnedFd>,
    request: Request,
) -> Result<(), String> {
    for (fd, target) in fds.iter().zip([1, 2]) {
        // SAFETY: dup2 onto stdout/stderr from a descriptor we own.
        unsafe { libc::dup2(fd.as_raw_fd(), target) };
    }
    drop(fds);
    let mut connection = ConnectionInfo::from_json(&request.connection)
        .map_err(|e| format!("tessera-kernel: {e}"))?;
    std::env::set_current_dir(&request.cwd)
        .map_err(|e| format!("tessera-kernel: cannot enter {:?}: {e}", request.cwd))?;
    connection.make_ipc_path_absolute();
    // Other threads exist (evcxr's and rust-analyzer's), but none reads the environment while
    // no cell runs; the process that runs cells gets the new one when it is started again.
    owned_env::replace_with(&request.env);
    owned_env::set("TESSERA_KERNEL", "1");
    let mut mirror = stream.try_clone().map_err(|e| e.to_string())?;
    let ending = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ended = ending.clone();
    std::thread::Builder::new()
        .name("launcher-watch".into())
        .spawn(move || {
            let mut byte = [0u8; 1];
            // The launched process writes nothing: this returns when it is gone.
            let _ = std::io::Read::read(&mut mirror, &mut byte);
            if !ended.load(std::sync::atomic::Ordering::SeqCst) {
                eprintln!("tessera-kernel: the launched process exited; shutting down");
            }
            std::process::exit(0);
        })
        .map_err(|e| e.to_string())?;
    handover::confirm(&mut stream).map_err(|e| e.to_string())?;
    let interpreter = Warming::spawn(move || {
        evaluator
            .restart_cell_process()
            .map_err(|e| format!("the process that runs cells could not start: {e}"))?;
        super::spawn_if_absent();
        Ok(evaluator)
    });
    let served = serve_blocking(
        connection,
        Box::new(Magics::new(interpreter)),
        ServerOptions::default(),
    )
    .map_err(|e| format!("tessera-kernel: {e}"));
    // The launched process exits on this line, and then this one by the watch above.
    ending.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = writeln!(stream, "exit {}", i32::from(served.is_err()));
    served
}
