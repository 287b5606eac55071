//! `tessera-kernel`: the Jupyter kernel binary.
//!
//! ```text
//! tessera-kernel --connection-file FILE       run (what Jupyter starts; FILE may also come first)
//! tessera-kernel install [--user | --sys-prefix | --prefix DIR]
//! tessera-kernel warm                          fill the evcxr build cache (./install runs it)
//! tessera-kernel standby [--stop]              a warmed kernel waiting to be adopted (see
//!                                              tessera_kernel::standby), or end all of them
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use tessera_kernel::evaluate::{build_dir, engine_path, EvcxrInterpreter, Warming};
use tessera_kernel::install::{install, Location};
use tessera_kernel::interpreter::{ExecuteOutcome, Interpreter};
use tessera_kernel::magics::Magics;
use tessera_kernel::protocol::{serve_blocking, ConnectionInfo, ServerOptions};
use tessera_kernel::standby;

/// mimalloc in the kernel process, the system allocator where cells run (see the module).
#[global_allocator]
static ALLOCATOR: tessera_kernel::allocator::KernelAllocator =
    tessera_kernel::allocator::KernelAllocator;

const USAGE: &str = "usage:
  tessera-kernel --connection-file FILE             run the kernel (Jupyter starts it this way)
  tessera-kernel install [--user | --sys-prefix | --prefix DIR]
                                                    install the `tessera` kernelspec (default --user)
  tessera-kernel warm                               compile the engine into the evcxr build cache
  tessera-kernel standby                            start a warmed kernel that the next launched
                                                    kernel adopts (kernels start one themselves)
  tessera-kernel standby --stop                     end the standby kernels of this cache";

fn main() -> ExitCode {
    // Must come first: evcxr re-executes this binary as the process that runs cells (set up
    // there for interrupts, shared engine state and output relays; then runtime_hook never
    // returns).
    tessera_kernel::evaluate::cell_process::setup();
    evcxr::runtime_hook();
    // Tells the engine in that process to send rich displays to the kernel (tessera::display).
    std::env::set_var("TESSERA_KERNEL", "1");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["install", ref rest @ ..] => run_install(rest),
        ["warm"] => warm(),
        ["standby"] => standby::run(),
        ["standby", "--stop"] => {
            println!("stopped {} standby kernel(s)", standby::stop_all());
            Ok(())
        }
        ["--connection-file", file] | ["-f", file] => run_kernel(file),
        ["--version" | "-V"] => {
            println!("tessera-kernel {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        [file] if !file.starts_with('-') => run_kernel(file),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run_kernel(connection_file: &str) -> Result<(), String> {
    exit_with_parent();
    if standby::enabled() {
        if let Some(code) = standby::try_adopt(std::path::Path::new(connection_file)) {
            std::process::exit(code);
        }
    }
    build_dir::claim();
    let mut connection =
        ConnectionInfo::from_file(connection_file).map_err(|e| format!("tessera-kernel: {e}"))?;
    // evcxr may start in another directory (see EvcxrInterpreter::new) while the sockets bind.
    connection.make_ipc_path_absolute();
    let engine = engine_path();
    let interpreter = Warming::spawn(move || {
        let evaluator = EvcxrInterpreter::new(&engine).map_err(|e| e.to_string())?;
        // Warm now: the next kernel (or this one's restart) adopts a standby.
        standby::spawn_if_absent();
        Ok(evaluator)
    });
    serve_blocking(
        connection,
        Box::new(Magics::new(interpreter)),
        ServerOptions::default(),
    )
    .map_err(|e| format!("tessera-kernel: {e}"))
}

/// Exits when the process that started the kernel goes away without shutting it down (a
/// killed console or notebook server), as ipykernel's parent poller does; otherwise the kernel
/// and its cell process would linger, holding their build directory.
fn exit_with_parent() {
    // SAFETY: getppid has no preconditions.
    let parent = unsafe { libc::getppid() };
    std::thread::Builder::new()
        .name("parent-watch".into())
        .spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            // SAFETY: as above. A new parent means ours exited and we were re-parented.
            if unsafe { libc::getppid() } != parent {
                eprintln!(
                    "tessera-kernel: the process that started this kernel exited; shutting down"
                );
                std::process::exit(0);
            }
        })
        .expect("a thread to watch the parent process");
}

fn run_install(args: &[&str]) -> Result<(), String> {
    let location = match args {
        [] | ["--user"] => Location::User,
        ["--sys-prefix"] => Location::SysPrefix,
        ["--prefix", dir] => Location::Prefix(PathBuf::from(dir)),
        _ => return Err(USAGE.to_string()),
    };
    let executable =
        std::env::current_exe().map_err(|e| format!("cannot locate this executable: {e}"))?;
    let dir = install(&location, &executable, &engine_path()).map_err(|e| e.to_string())?;
    println!(
        "Installed the kernelspec 'tessera' (\"Rust (tessera)\") in {}",
        dir.display()
    );
    Ok(())
}

/// Builds the engine (and a first cell using it) in a claimed evcxr build directory, so kernels
/// started later answer their first cell in about a second.
fn warm() -> Result<(), String> {
    let dir = build_dir::claim().ok_or("no free build directory to warm")?;
    println!("warming the evcxr build cache in {}", dir.display());
    let start = std::time::Instant::now();
    let mut evaluator =
        EvcxrInterpreter::new(&engine_path()).map_err(|e| format!("evcxr could not start: {e}"))?;
    let started = start.elapsed();
    let probe = "let probe = ones([4, 4], 2).sum()?.compute()?.to_scalar::<f64>()?; probe";
    let outcome = evaluator.execute(probe, &tessera_kernel::interpreter::NoOutput);
    println!(
        "evcxr with the engine loaded in {:.1?}; first cell in {:.1?}",
        started,
        start.elapsed() - started
    );
    match outcome {
        ExecuteOutcome::Ok { .. } => Ok(()),
        ExecuteOutcome::Error(e) => Err(format!(
            "the warm-up cell failed: {}: {}",
            e.ename, e.evalue
        )),
    }
}
