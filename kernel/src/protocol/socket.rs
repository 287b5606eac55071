//! ZeroMQ glue: messages to and from multipart frames on the `zeromq` sockets.

use zeromq::{RouterSendHalf, SocketRecv, SocketSend, ZmqError, ZmqMessage};

use super::connection::Channel;
use super::error::ProtocolError;
use super::message::JupyterMessage;
use super::signing::Signer;

/// Signs `message` into a multipart ZeroMQ message.
pub(crate) fn encode(
    message: &JupyterMessage,
    signer: &Signer,
) -> Result<ZmqMessage, ProtocolError> {
    let mut frames = message.to_frames(signer)?.into_iter();
    // `to_frames` always yields the delimiter, signature and four JSON frames.
    let mut multipart = ZmqMessage::from(frames.next().unwrap_or_default());
    for frame in frames {
        multipart.push_back(frame.into());
    }
    Ok(multipart)
}

/// Receives the next message on `channel`. A message that does not parse or has a bad signature
/// is logged and dropped (`Ok(None)`): it is never handled.
///
/// **Errors**: [`ProtocolError::Socket`] if the socket itself fails.
pub(crate) async fn receive(
    channel: Channel,
    socket: &mut (impl SocketRecv + Send),
    signer: &Signer,
) -> Result<Option<JupyterMessage>, ProtocolError> {
    let multipart = socket
        .recv()
        .await
        .map_err(|source| ProtocolError::Socket { channel, source })?;
    match JupyterMessage::from_frames(&multipart.into_vec(), signer) {
        Ok(message) => Ok(Some(message)),
        Err(err) => {
            super::log(format_args!("{channel}: dropped a message: {err}"));
            Ok(None)
        }
    }
}

/// The sending half of a ROUTER channel (shell, control, stdin): signs a message and routes it
/// to the peer named by its first identity. Cheap to clone.
#[derive(Clone)]
pub(crate) struct RouterSender {
    channel: Channel,
    socket: RouterSendHalf,
    signer: Signer,
}

impl RouterSender {
    /// A sender on `channel`.
    pub(crate) fn new(channel: Channel, socket: RouterSendHalf, signer: Signer) -> Self {
        RouterSender {
            channel,
            socket,
            signer,
        }
    }

    /// The channel this sender sends on.
    pub(crate) fn channel(&self) -> Channel {
        self.channel
    }

    /// Sends `message` to its identities.
    ///
    /// **Errors**: [`ProtocolError::Socket`] if the message has no identity or the peer is gone.
    pub(crate) async fn send(&self, message: &JupyterMessage) -> Result<(), ProtocolError> {
        let channel = self.channel;
        if message.identities.is_empty() {
            let source = ZmqError::Socket("a ROUTER message needs a peer identity");
            return Err(ProtocolError::Socket { channel, source });
        }
        let multipart = encode(message, &self.signer)?;
        self.socket
            .clone()
            .send(multipart)
            .await
            .map_err(|source| ProtocolError::Socket { channel, source })
    }
}
