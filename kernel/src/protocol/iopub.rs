//! The iopub channel: a [`Publisher`] handle that any thread can publish through, and the loop
//! that signs and broadcasts what it queues, in order.

use serde_json::Value;
use tokio::sync::mpsc;
use zeromq::{PubSocket, SocketSend};

use super::connection::Channel;
use super::error::ProtocolError;
use super::message::{Header, JupyterMessage, KernelSession};
use super::replies::{self, ExecutionState};
use super::signing::Signer;
use super::socket::encode;

/// Publishes on iopub without blocking, from async tasks or the interpreter thread alike.
/// Messages go out in the order they are published.
#[derive(Clone)]
pub(crate) struct Publisher {
    queue: mpsc::UnboundedSender<JupyterMessage>,
    session: KernelSession,
}

impl Publisher {
    /// A publisher and the queue [`run`] drains.
    pub(crate) fn new(session: KernelSession) -> (Self, mpsc::UnboundedReceiver<JupyterMessage>) {
        let (queue, receiver) = mpsc::unbounded_channel();
        (Publisher { queue, session }, receiver)
    }

    /// Publishes `msg_type` with `content`, as a child of the request with header `parent`.
    pub(crate) fn publish(&self, msg_type: &str, content: Value, parent: Option<&Header>) {
        let topic = format!("kernel.{}.{}", self.session.session, msg_type).into_bytes();
        let mut message = JupyterMessage::new(msg_type, &self.session)
            .with_content(content)
            .with_identities(vec![topic]);
        if let Some(parent) = parent {
            message = message.with_parent(parent);
        }
        // The queue closes only when the server stops; later output has nowhere to go.
        let _ = self.queue.send(message);
    }

    /// Publishes `status` with `state`.
    pub(crate) fn status(&self, state: ExecutionState, parent: Option<&Header>) {
        self.publish("status", replies::status(state), parent);
    }
}

/// Signs and sends every queued message on the iopub PUB socket until the queue closes.
///
/// **Errors**: [`ProtocolError::Socket`] if the socket fails.
pub(crate) async fn run(
    mut socket: PubSocket,
    mut queue: mpsc::UnboundedReceiver<JupyterMessage>,
    signer: Signer,
) -> Result<(), ProtocolError> {
    while let Some(message) = queue.recv().await {
        let multipart = encode(&message, &signer)?;
        socket
            .send(multipart)
            .await
            .map_err(|source| ProtocolError::Socket {
                channel: Channel::Iopub,
                source,
            })?;
    }
    Ok(())
}
