//! The server: binds the five channels and runs one async loop per channel on tokio.
//!
//! * shell (ROUTER): a reader task queues requests; one loop handles them one at a time, in
//!   order, waiting on the interpreter thread for the ones that need it.
//! * control (ROUTER): its own loop, so `interrupt_request`, `kernel_info_request` and
//!   `shutdown_request` are answered while a cell runs.
//! * stdin (ROUTER): input requests out, input replies in.
//! * iopub (PUB): everything published, in order.
//! * heartbeat (REP): echoes every ping.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, Notify};
use tokio::task::JoinSet;
use zeromq::{
    Endpoint, PubSocket, RepSocket, RouterRecvHalf, RouterSocket, Socket, SocketRecv, SocketSend,
};

use crate::interpreter::Interpreter;

use super::comms::CommRegistry;
use super::connection::{Channel, ConnectionInfo};
use super::error::ProtocolError;
use super::handlers::{self, Context};
use super::history::History;
use super::iopub::{self, Publisher};
use super::message::{JupyterMessage, KernelSession};
use super::replies::ExecutionState;
use super::signing::Signer;
use super::socket::{receive, RouterSender};
use super::stdin::{self, StdinBroker};
use super::worker::Worker;

/// Settings of a [`Server`] that do not come from the connection file.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The JSON-lines history file; `None` keeps history in memory for this session only.
    /// Default: [`History::default_path`].
    pub history_path: Option<PathBuf>,
    /// The `username` in the kernel's headers. Default: `$USER`, else `kernel`.
    pub username: String,
    /// How long `shutdown_request` waits for `Interpreter::shutdown` (after interrupting a
    /// running cell). Default: 5 s.
    pub shutdown_timeout: Duration,
    /// How long the sockets stay open after shutdown so the last replies and `idle` get out.
    /// Default: 100 ms.
    pub linger: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            history_path: History::default_path(),
            username: std::env::var("USER").unwrap_or_else(|_| "kernel".to_owned()),
            shutdown_timeout: Duration::from_secs(5),
            linger: Duration::from_millis(100),
        }
    }
}

/// A kernel server whose sockets are bound but not yet serving.
///
/// # Examples
///
/// ```no_run
/// use tessera_kernel::protocol::{ConnectionInfo, Server, ServerOptions};
/// # async fn example(interpreter: Box<dyn tessera_kernel::Interpreter>) -> Result<(), tessera_kernel::protocol::ProtocolError> {
/// let connection = ConnectionInfo::from_file("kernel-1.json")?;
/// let server = Server::bind(&connection, ServerOptions::default()).await?;
/// eprintln!("shell on port {}", server.connection_info().shell_port);
/// server.run(interpreter).await // returns after a shutdown_request
/// # }
/// ```
pub struct Server {
    info: ConnectionInfo,
    options: ServerOptions,
    signer: Signer,
    shell: RouterSocket,
    control: RouterSocket,
    stdin: RouterSocket,
    iopub: PubSocket,
    heartbeat: RepSocket,
}

impl Server {
    /// Binds the five channels of `connection`. A TCP port of 0 binds a free port (see
    /// [`Server::connection_info`]). Must be called inside a tokio runtime.
    ///
    /// **Errors**: [`ProtocolError::UnsupportedSignatureScheme`] for a scheme other than
    /// hmac-sha256, [`ProtocolError::Bind`] naming the channel whose endpoint cannot be bound.
    pub async fn bind(
        connection: &ConnectionInfo,
        options: ServerOptions,
    ) -> Result<Self, ProtocolError> {
        let signer = connection.signer()?;
        let mut info = connection.clone();
        let shell = bind(RouterSocket::new(), Channel::Shell, &mut info).await?;
        let iopub = bind(PubSocket::new(), Channel::Iopub, &mut info).await?;
        let stdin = bind(RouterSocket::new(), Channel::Stdin, &mut info).await?;
        let control = bind(RouterSocket::new(), Channel::Control, &mut info).await?;
        let heartbeat = bind(RepSocket::new(), Channel::Heartbeat, &mut info).await?;
        Ok(Server {
            info,
            options,
            signer,
            shell,
            control,
            stdin,
            iopub,
            heartbeat,
        })
    }

    /// The connection as bound: ports chosen for port 0 are filled in.
    pub fn connection_info(&self) -> &ConnectionInfo {
        &self.info
    }

    /// Serves requests with `interpreter` (moved to its own thread) until a `shutdown_request`,
    /// then returns `Ok(())`. Publishes `status: starting` first.
    ///
    /// **Errors**: [`ProtocolError::WorkerSpawn`] if the interpreter thread cannot start;
    /// [`ProtocolError::Socket`] or [`ProtocolError::ChannelClosed`] if a channel loop fails.
    pub async fn run(self, interpreter: Box<dyn Interpreter>) -> Result<(), ProtocolError> {
        let Server {
            info: _,
            options,
            signer,
            shell,
            control,
            stdin,
            iopub,
            heartbeat,
        } = self;
        let session = KernelSession::new(options.username.clone());
        let (publisher, iopub_queue) = Publisher::new(session.clone());
        let (broker, stdin_outbox) = StdinBroker::new(session.clone());
        let broker = Arc::new(broker);
        let cx = Arc::new(Context {
            session,
            publisher: publisher.clone(),
            stdin: broker.clone(),
            kernel_info: interpreter.kernel_info(),
            interrupter: interpreter.interrupter(),
            worker: Worker::spawn(interpreter)?,
            history: Mutex::new(open_history(options.history_path.as_deref())),
            comms: Mutex::new(CommRegistry::new()),
            execution_count: AtomicU64::new(0),
            shell_received: AtomicU64::new(0),
            abort_through: AtomicU64::new(0),
            shutdown_requested: AtomicBool::new(false),
            shutdown_timeout: options.shutdown_timeout,
        });
        let done = Arc::new(Notify::new());

        let mut tasks = Tasks::default();
        tasks.spawn(
            Channel::Iopub,
            iopub::run(iopub, iopub_queue, signer.clone()),
        );
        publisher.status(ExecutionState::Starting, None);
        tasks.spawn(Channel::Heartbeat, heartbeat_loop(heartbeat));

        let (shell_send, shell_recv) = shell.split();
        let (queue, queued) = mpsc::unbounded_channel();
        tasks.spawn(
            Channel::Shell,
            shell_reader(shell_recv, signer.clone(), queue, cx.clone()),
        );
        let shell_sender = RouterSender::new(Channel::Shell, shell_send, signer.clone());
        tasks.spawn(
            Channel::Shell,
            shell_loop(cx.clone(), shell_sender, queued, done.clone()),
        );

        let (control_send, control_recv) = control.split();
        let control_sender = RouterSender::new(Channel::Control, control_send, signer.clone());
        tasks.spawn(
            Channel::Control,
            control_loop(
                cx.clone(),
                control_sender,
                control_recv,
                signer.clone(),
                done.clone(),
            ),
        );

        let (stdin_send, stdin_recv) = stdin.split();
        let stdin_sender = RouterSender::new(Channel::Stdin, stdin_send, signer.clone());
        tasks.spawn(
            Channel::Stdin,
            stdin::run_writer(stdin_sender, stdin_outbox, broker.clone()),
        );
        tasks.spawn(
            Channel::Stdin,
            stdin::run_reader(stdin_recv, signer, broker),
        );

        let result = tokio::select! {
            () = done.notified() => Ok(()),
            failure = tasks.next_failure() => Err(failure),
        };
        tokio::time::sleep(options.linger).await;
        tasks.set.shutdown().await;
        result
    }
}

/// Binds `connection` and serves with `interpreter` until a `shutdown_request` (the kernel
/// binary's whole life). Must be called inside a tokio runtime; see [`serve_blocking`] to run
/// one.
///
/// **Errors**: as [`Server::bind`] and [`Server::run`].
pub async fn serve(
    connection: ConnectionInfo,
    interpreter: Box<dyn Interpreter>,
    options: ServerOptions,
) -> Result<(), ProtocolError> {
    let served = Server::bind(&connection, options)
        .await?
        .run(interpreter)
        .await;
    // The ipc transport's socket files are ours: gone with the kernel, as ipykernel's.
    for file in connection.ipc_files() {
        let _ = std::fs::remove_file(file);
    }
    served
}

/// [`serve`] on a new multi-threaded tokio runtime, blocking the calling thread until shutdown.
///
/// **Errors**: [`ProtocolError::Runtime`] if the runtime cannot start, else as [`serve`].
pub fn serve_blocking(
    connection: ConnectionInfo,
    interpreter: Box<dyn Interpreter>,
    options: ServerOptions,
) -> Result<(), ProtocolError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("tessera-kernel-io")
        .build()
        .map_err(|source| ProtocolError::Runtime { source })?;
    let result = runtime.block_on(serve(connection, interpreter, options));
    runtime.shutdown_timeout(Duration::from_millis(500));
    result
}

async fn bind<S: Socket>(
    mut socket: S,
    channel: Channel,
    info: &mut ConnectionInfo,
) -> Result<S, ProtocolError> {
    let endpoint = info.endpoint(channel);
    match socket.bind(&endpoint).await {
        Ok(Endpoint::Tcp(_, port)) => info.set_port(channel, port),
        Ok(_) => {}
        Err(source) => {
            return Err(ProtocolError::Bind {
                channel,
                endpoint,
                source,
            })
        }
    }
    Ok(socket)
}

/// The history file, or an in-memory history if it cannot be used (logged).
fn open_history(path: Option<&Path>) -> History {
    let Some(path) = path else {
        return History::in_memory();
    };
    History::open(path).unwrap_or_else(|err| {
        super::log(format_args!(
            "history: cannot use {}: {err}; keeping history in memory",
            path.display()
        ));
        History::in_memory()
    })
}

/// The channel tasks, each named by its channel for errors.
#[derive(Default)]
struct Tasks {
    set: JoinSet<Result<(), ProtocolError>>,
    channels: HashMap<tokio::task::Id, Channel>,
}

impl Tasks {
    fn spawn(
        &mut self,
        channel: Channel,
        task: impl std::future::Future<Output = Result<(), ProtocolError>> + Send + 'static,
    ) {
        let handle = self.set.spawn(task);
        self.channels.insert(handle.id(), channel);
    }

    /// Waits for the first task to end; they only end by failing.
    async fn next_failure(&mut self) -> ProtocolError {
        match self.set.join_next_with_id().await {
            Some(Ok((_, Err(err)))) => err,
            Some(Ok((id, Ok(())))) => ProtocolError::ChannelClosed {
                channel: self.channel(id),
            },
            Some(Err(join)) => {
                super::log(format_args!("a channel task panicked: {join}"));
                ProtocolError::ChannelClosed {
                    channel: self.channel(join.id()),
                }
            }
            None => std::future::pending().await,
        }
    }

    fn channel(&self, id: tokio::task::Id) -> Channel {
        self.channels.get(&id).copied().unwrap_or(Channel::Shell)
    }
}

/// Echoes every heartbeat ping. A client that vanishes mid-ping is not an error.
async fn heartbeat_loop(mut socket: RepSocket) -> Result<(), ProtocolError> {
    loop {
        match socket.recv().await {
            Ok(ping) => {
                if let Err(err) = socket.send(ping).await {
                    super::log(format_args!("hb: {err}"));
                }
            }
            Err(err) => {
                super::log(format_args!("hb: {err}"));
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

/// Reads shell requests into the queue, numbering them (for aborting after a failed cell).
async fn shell_reader(
    mut socket: RouterRecvHalf,
    signer: Signer,
    queue: mpsc::UnboundedSender<(u64, JupyterMessage)>,
    cx: Arc<Context>,
) -> Result<(), ProtocolError> {
    loop {
        let Some(request) = receive(Channel::Shell, &mut socket, &signer).await? else {
            continue;
        };
        let seq = cx
            .shell_received
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        if queue.send((seq, request)).is_err() {
            return Ok(());
        }
    }
}

/// Handles queued shell requests one at a time, in order.
async fn shell_loop(
    cx: Arc<Context>,
    sender: RouterSender,
    mut queued: mpsc::UnboundedReceiver<(u64, JupyterMessage)>,
    done: Arc<Notify>,
) -> Result<(), ProtocolError> {
    while let Some((seq, request)) = queued.recv().await {
        if cx.is_shutting_down() {
            continue;
        }
        handlers::handle(&cx, &sender, &request, cx.is_aborted(seq, &request)).await;
        if cx.is_shutting_down() {
            done.notify_one();
        }
    }
    Ok(())
}

/// Handles control requests as they come, independently of shell.
async fn control_loop(
    cx: Arc<Context>,
    sender: RouterSender,
    mut socket: RouterRecvHalf,
    signer: Signer,
    done: Arc<Notify>,
) -> Result<(), ProtocolError> {
    loop {
        let Some(request) = receive(Channel::Control, &mut socket, &signer).await? else {
            continue;
        };
        handlers::handle(&cx, &sender, &request, false).await;
        if cx.is_shutting_down() {
            done.notify_one();
        }
    }
}
