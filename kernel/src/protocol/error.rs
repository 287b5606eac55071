//! Errors of the protocol layer: one for bad messages, one for the server.

use std::path::PathBuf;

use super::connection::Channel;

/// Why a message from the wire (or a field in it) was rejected. Never a panic: the server logs
/// it and drops the message, or answers with an error reply.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// No `<IDS|MSG>` frame separates the routing identities from the message.
    #[error("no <IDS|MSG> delimiter among {frames} frames")]
    MissingDelimiter {
        /// How many frames the message had.
        frames: usize,
    },
    /// Fewer than the signature and the four JSON frames follow the delimiter.
    #[error("expected a signature and 4 JSON frames after <IDS|MSG>, found {found} frames")]
    MissingFrames {
        /// How many frames followed the delimiter.
        found: usize,
    },
    /// The HMAC signature does not match the message (or is not hex).
    #[error("invalid message signature")]
    BadSignature,
    /// A JSON frame does not parse, or does not have the shape the protocol requires.
    #[error("invalid {frame} frame: {source}")]
    InvalidJson {
        /// `header`, `parent_header`, `metadata` or `content`.
        frame: &'static str,
        /// What serde_json found wrong.
        #[source]
        source: serde_json::Error,
    },
    /// A content field is missing or has the wrong type.
    #[error("{msg_type}: field `{field}` must be {expected}")]
    InvalidField {
        /// The message type.
        msg_type: String,
        /// The content field.
        field: &'static str,
        /// What it must be (`a string`, `a boolean`, …).
        expected: &'static str,
    },
}

/// What can stop the server (or keep it from starting).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The connection file cannot be read.
    #[error("cannot read connection file {path}: {source}")]
    ConnectionFile {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The connection file is not a valid connection description.
    #[error("invalid connection file: {source}")]
    ConnectionJson {
        /// What serde_json found wrong (bad JSON, a missing port, an unknown transport).
        #[source]
        source: serde_json::Error,
    },
    /// The connection asks for a signature scheme other than `hmac-sha256`.
    #[error("unsupported signature scheme `{scheme}` (only hmac-sha256 is supported)")]
    UnsupportedSignatureScheme {
        /// The scheme asked for.
        scheme: String,
    },
    /// A channel cannot bind its endpoint.
    #[error("cannot bind the {channel} channel to {endpoint}: {source}")]
    Bind {
        /// The channel.
        channel: Channel,
        /// The endpoint it tried, e.g. `tcp://127.0.0.1:5001`.
        endpoint: String,
        /// The ZeroMQ error.
        #[source]
        source: zeromq::ZmqError,
    },
    /// A socket failed while the server runs.
    #[error("{channel} channel: {source}")]
    Socket {
        /// The channel.
        channel: Channel,
        /// The ZeroMQ error.
        #[source]
        source: zeromq::ZmqError,
    },
    /// A message could not be built or read.
    #[error(transparent)]
    Message(#[from] MessageError),
    /// The interpreter thread could not start.
    #[error("cannot start the interpreter thread: {source}")]
    WorkerSpawn {
        /// The I/O error from spawning the thread.
        #[source]
        source: std::io::Error,
    },
    /// The interpreter panicked while handling a request, or its thread is gone.
    #[error("the interpreter panicked or stopped while handling {request}")]
    InterpreterFailed {
        /// The msg_type being handled.
        request: &'static str,
    },
    /// A channel loop ended although no shutdown was requested.
    #[error("the {channel} channel loop ended unexpectedly")]
    ChannelClosed {
        /// The channel.
        channel: Channel,
    },
    /// The tokio runtime for [`serve_blocking`](super::serve_blocking) could not be built.
    #[error("cannot start the async runtime: {source}")]
    Runtime {
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
