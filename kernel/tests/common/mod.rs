//! A Jupyter client for tests, written against the wire protocol with the `zeromq`, `hmac` and
//! `serde_json` crates only (none of the kernel's message code), and a harness that runs the
//! server in-process on free loopback ports with the mock interpreter.

#![allow(dead_code)]

pub mod mock;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tessera_kernel::protocol::{ConnectionInfo, ProtocolError, Server, ServerOptions};
use tokio::task::JoinHandle;
use zeromq::util::PeerIdentity;
use zeromq::{
    DealerSocket, ReqSocket, Socket, SocketOptions, SocketRecv, SocketSend, SubSocket, ZmqMessage,
};

use mock::{MockInterpreter, MockLog};

/// How long a test waits for a message that must come.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A received message, as plain JSON.
#[derive(Debug, Clone)]
pub struct Msg {
    pub identities: Vec<Vec<u8>>,
    pub header: Value,
    pub parent_header: Value,
    pub metadata: Value,
    pub content: Value,
    pub buffers: Vec<Vec<u8>>,
}

impl Msg {
    pub fn msg_type(&self) -> &str {
        self.header["msg_type"].as_str().unwrap_or_default()
    }

    pub fn parent_id(&self) -> &str {
        self.parent_header["msg_id"].as_str().unwrap_or_default()
    }
}

/// The three request channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ch {
    Shell,
    Control,
    Stdin,
}

pub struct Client {
    key: Vec<u8>,
    pub session: String,
    shell: DealerSocket,
    control: DealerSocket,
    stdin: DealerSocket,
    iopub: SubSocket,
    hb: ReqSocket,
    /// iopub messages received while looking for another request's messages.
    iopub_backlog: Vec<Msg>,
}

fn to_zmq(frames: Vec<Vec<u8>>) -> ZmqMessage {
    let mut frames = frames.into_iter();
    let mut message = ZmqMessage::from(frames.next().expect("at least one frame"));
    for frame in frames {
        message.push_back(frame.into());
    }
    message
}

impl Client {
    /// Connects all five channels. Shell and stdin share an identity (as jupyter_client's
    /// session id), so the kernel's input requests reach this client.
    pub async fn connect(info: &ConnectionInfo) -> Client {
        let session = uuid::Uuid::new_v4().to_string();
        let dealer = |identity: Option<&str>| {
            let mut options = SocketOptions::default();
            if let Some(identity) = identity {
                options
                    .peer_identity(PeerIdentity::try_from(identity.as_bytes().to_vec()).unwrap());
            }
            DealerSocket::with_options(options)
        };
        let endpoint = |port: u16| format!("tcp://{}:{}", info.ip, port);
        let mut shell = dealer(Some(&session));
        shell.connect(&endpoint(info.shell_port)).await.unwrap();
        let mut stdin = dealer(Some(&session));
        stdin.connect(&endpoint(info.stdin_port)).await.unwrap();
        let mut control = dealer(None);
        control.connect(&endpoint(info.control_port)).await.unwrap();
        let mut iopub = SubSocket::new();
        iopub.subscribe("").await.unwrap();
        iopub.connect(&endpoint(info.iopub_port)).await.unwrap();
        let mut hb = ReqSocket::new();
        hb.connect(&endpoint(info.hb_port)).await.unwrap();
        Client {
            key: info.key.as_bytes().to_vec(),
            session,
            shell,
            control,
            stdin,
            iopub,
            hb,
            iopub_backlog: Vec::new(),
        }
    }

    /// The hex HMAC-SHA256 of the four JSON frames with the connection key.
    pub fn sign(&self, frames: [&[u8]; 4]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).unwrap();
        for frame in frames {
            mac.update(frame);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// A request header as jupyter_client writes it.
    pub fn header(&self, msg_type: &str) -> Value {
        json!({
            "msg_id": uuid::Uuid::new_v4().to_string(),
            "session": self.session,
            "username": "tester",
            "date": "2026-11-27T07:17:00.000000+00:00",
            "msg_type": msg_type,
            "version": "5.3",
        })
    }

    /// The signed frames of a message (after the DEALER's empty routing), and its msg_id.
    pub fn frames(&self, header: &Value, parent: &Value, content: &Value) -> Vec<Vec<u8>> {
        let header = serde_json::to_vec(header).unwrap();
        let parent = serde_json::to_vec(parent).unwrap();
        let metadata = b"{}".to_vec();
        let content = serde_json::to_vec(content).unwrap();
        let signature = self.sign([&header, &parent, &metadata, &content]);
        vec![
            b"<IDS|MSG>".to_vec(),
            signature.into_bytes(),
            header,
            parent,
            metadata,
            content,
        ]
    }

    fn socket(&mut self, ch: Ch) -> &mut DealerSocket {
        match ch {
            Ch::Shell => &mut self.shell,
            Ch::Control => &mut self.control,
            Ch::Stdin => &mut self.stdin,
        }
    }

    /// Sends raw frames on `ch`.
    pub async fn send_frames(&mut self, ch: Ch, frames: Vec<Vec<u8>>) {
        self.socket(ch).send(to_zmq(frames)).await.unwrap();
    }

    /// Sends a request; returns its msg_id.
    pub async fn send(&mut self, ch: Ch, msg_type: &str, content: Value) -> String {
        let header = self.header(msg_type);
        let frames = self.frames(&header, &json!({}), &content);
        self.send_frames(ch, frames).await;
        header["msg_id"].as_str().unwrap().to_owned()
    }

    fn parse(&self, frames: Vec<Vec<u8>>) -> Msg {
        let delimiter = frames
            .iter()
            .position(|f| f == b"<IDS|MSG>")
            .expect("delimiter");
        let rest = &frames[delimiter + 1..];
        assert!(rest.len() >= 5, "too few frames: {}", rest.len());
        let expected = self.sign([&rest[1], &rest[2], &rest[3], &rest[4]]);
        assert_eq!(
            String::from_utf8_lossy(&rest[0]),
            expected,
            "kernel signature"
        );
        let json = |frame: &[u8]| serde_json::from_slice::<Value>(frame).unwrap();
        Msg {
            identities: frames[..delimiter].to_vec(),
            header: json(&rest[1]),
            parent_header: json(&rest[2]),
            metadata: json(&rest[3]),
            content: json(&rest[4]),
            buffers: rest[5..].to_vec(),
        }
    }

    /// The next message on `ch`, or `None` after `timeout`.
    pub async fn try_recv(&mut self, ch: Ch, timeout: Duration) -> Option<Msg> {
        let received = tokio::time::timeout(timeout, self.socket(ch).recv())
            .await
            .ok()?;
        let frames = received
            .unwrap()
            .into_vec()
            .into_iter()
            .map(|f| f.to_vec())
            .collect();
        Some(self.parse(frames))
    }

    /// The next message on `ch`; panics after [`TIMEOUT`].
    pub async fn recv(&mut self, ch: Ch) -> Msg {
        self.try_recv(ch, TIMEOUT)
            .await
            .unwrap_or_else(|| panic!("no message on {ch:?} within {TIMEOUT:?}"))
    }

    /// The next iopub message (backlog first), or `None` after `timeout`.
    pub async fn try_iopub(&mut self, timeout: Duration) -> Option<Msg> {
        if !self.iopub_backlog.is_empty() {
            return Some(self.iopub_backlog.remove(0));
        }
        let received = tokio::time::timeout(timeout, self.iopub.recv())
            .await
            .ok()?;
        let frames = received
            .unwrap()
            .into_vec()
            .into_iter()
            .map(|f| f.to_vec())
            .collect();
        Some(self.parse(frames))
    }

    /// Every iopub message whose parent is `msg_id`, up to and including its `status: idle`.
    /// Messages of other requests are kept for later calls.
    pub async fn iopub_for(&mut self, msg_id: &str) -> Vec<Msg> {
        let mut mine = Vec::new();
        let mut others = Vec::new();
        let mut backlog = std::mem::take(&mut self.iopub_backlog).into_iter();
        loop {
            let message = match backlog.next() {
                Some(message) => message,
                None => self
                    .try_iopub(TIMEOUT)
                    .await
                    .unwrap_or_else(|| panic!("no idle for {msg_id} on iopub; got {mine:#?}")),
            };
            if message.parent_id() != msg_id {
                others.push(message);
                continue;
            }
            let idle =
                message.msg_type() == "status" && message.content["execution_state"] == "idle";
            mine.push(message);
            if idle {
                break;
            }
        }
        others.extend(backlog);
        self.iopub_backlog = others;
        mine
    }

    /// Sends a request on `ch`; returns its reply and its iopub messages (busy … idle).
    pub async fn request(&mut self, ch: Ch, msg_type: &str, content: Value) -> (Msg, Vec<Msg>) {
        let msg_id = self.send(ch, msg_type, content).await;
        let reply = self.recv(ch).await;
        assert_eq!(reply.parent_id(), msg_id, "reply parent for {msg_type}");
        let iopub = self.iopub_for(&msg_id).await;
        (reply, iopub)
    }

    /// `execute_request` on shell with `code` and extra content fields.
    pub async fn execute(&mut self, code: &str, extra: Value) -> (Msg, Vec<Msg>) {
        let mut content = json!({"code": code, "silent": false, "store_history": true,
                                 "user_expressions": {}, "allow_stdin": false, "stop_on_error": true});
        if let (Some(content), Some(extra)) = (content.as_object_mut(), extra.as_object()) {
            content.extend(extra.clone());
        }
        self.request(Ch::Shell, "execute_request", content).await
    }

    /// Sends a heartbeat ping and returns the echo.
    pub async fn ping(&mut self, payload: &[u8]) -> Vec<u8> {
        self.hb
            .send(ZmqMessage::from(payload.to_vec()))
            .await
            .unwrap();
        let echo = tokio::time::timeout(TIMEOUT, self.hb.recv())
            .await
            .expect("heartbeat echo")
            .unwrap();
        echo.into_vec().concat()
    }

    /// Waits until iopub delivers (PUB/SUB subscriptions are asynchronous), as jupyter_client's
    /// `wait_for_ready`: kernel_info until a reply and an iopub message follow; then drains.
    pub async fn wait_ready(&mut self) {
        for _ in 0..100 {
            let msg_id = self.send(Ch::Shell, "kernel_info_request", json!({})).await;
            let reply = self.recv(Ch::Shell).await;
            assert_eq!(reply.parent_id(), msg_id);
            if self.try_iopub(Duration::from_millis(200)).await.is_some() {
                while self.try_iopub(Duration::from_millis(150)).await.is_some() {}
                return;
            }
        }
        panic!("iopub never delivered");
    }
}

/// A server running in-process with the mock interpreter, and a connected client.
pub struct Harness {
    pub client: Client,
    pub server: JoinHandle<Result<(), ProtocolError>>,
    pub log: Arc<MockLog>,
    pub info: ConnectionInfo,
}

/// A connection on loopback with free ports (port 0) and a random key.
pub fn loopback_connection() -> ConnectionInfo {
    ConnectionInfo {
        ip: "127.0.0.1".into(),
        transport: Default::default(),
        shell_port: 0,
        iopub_port: 0,
        stdin_port: 0,
        control_port: 0,
        hb_port: 0,
        key: format!("test-key-{}", uuid::Uuid::new_v4()),
        signature_scheme: "hmac-sha256".into(),
        kernel_name: "mock".into(),
    }
}

/// Options for tests: history in `history` (or memory), short linger.
pub fn options(history: Option<PathBuf>) -> ServerOptions {
    ServerOptions {
        history_path: history,
        username: "kernel".into(),
        shutdown_timeout: Duration::from_secs(5),
        linger: Duration::from_millis(50),
    }
}

impl Harness {
    /// Starts a server (history in `history`, or in memory) and a ready client.
    pub async fn start(history: Option<PathBuf>) -> Harness {
        let (interpreter, log) = MockInterpreter::new();
        let server = Server::bind(&loopback_connection(), options(history))
            .await
            .unwrap();
        let info = server.connection_info().clone();
        assert!(
            info.shell_port != 0 && info.hb_port != 0,
            "ports were chosen: {info:?}"
        );
        let server = tokio::spawn(server.run(Box::new(interpreter)));
        let mut client = Client::connect(&info).await;
        client.wait_ready().await;
        Harness {
            client,
            server,
            log,
            info,
        }
    }

    /// Sends shutdown_request on control and waits for the server to return.
    pub async fn shutdown(mut self) -> Arc<MockLog> {
        let (reply, _) = self
            .client
            .request(Ch::Control, "shutdown_request", json!({"restart": false}))
            .await;
        assert_eq!(reply.content, json!({"status": "ok", "restart": false}));
        let ended = tokio::time::timeout(TIMEOUT, self.server)
            .await
            .expect("server returned");
        ended.unwrap().unwrap();
        self.log
    }
}

/// The `msg_type`s of `messages`, with `status` spelled as `status:<state>`.
pub fn kinds(messages: &[Msg]) -> Vec<String> {
    messages
        .iter()
        .map(|m| match m.msg_type() {
            "status" => format!("status:{}", m.content["execution_state"].as_str().unwrap()),
            other => other.to_owned(),
        })
        .collect()
}

/// A fresh history file path in the temp directory.
pub fn temp_history() -> PathBuf {
    std::env::temp_dir()
        .join(format!("tessera-kernel-test-{}", uuid::Uuid::new_v4()))
        .join("history.jsonl")
}
