//! The stdin channel: `input_request` to the frontend that sent the running execute request,
//! and its `input_reply` back to the interpreter thread waiting for it.

use std::sync::{mpsc as std_mpsc, Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc;
use zeromq::RouterRecvHalf;

use crate::interpreter::InputError;

use super::connection::Channel;
use super::error::ProtocolError;
use super::message::{Header, JupyterMessage, KernelSession};
use super::replies;
use super::signing::Signer;
use super::socket::{receive, RouterSender};

/// The input request waiting for its reply.
struct Pending {
    msg_id: String,
    answer: std_mpsc::Sender<Result<String, InputError>>,
}

/// Matches `input_reply` messages to the one outstanding `input_request`.
pub(crate) struct StdinBroker {
    outbox: mpsc::UnboundedSender<JupyterMessage>,
    session: KernelSession,
    pending: Mutex<Option<Pending>>,
}

impl StdinBroker {
    /// A broker and the queue of requests [`run_writer`] sends.
    pub(crate) fn new(session: KernelSession) -> (Self, mpsc::UnboundedReceiver<JupyterMessage>) {
        let (outbox, receiver) = mpsc::unbounded_channel();
        (
            StdinBroker {
                outbox,
                session,
                pending: Mutex::new(None),
            },
            receiver,
        )
    }

    /// Sends `input_request` to `identities` as a child of `parent` and blocks until the reply,
    /// an interrupt, or a failure to send. Call from the interpreter thread only.
    ///
    /// **Errors**: [`InputError::Interrupted`] if interrupted or the request cannot be delivered.
    pub(crate) fn request(
        &self,
        identities: &[Vec<u8>],
        parent: &Header,
        prompt: &str,
        password: bool,
    ) -> Result<String, InputError> {
        let message = JupyterMessage::new("input_request", &self.session)
            .with_identities(identities.to_vec())
            .with_parent(parent)
            .with_content(replies::input_request(prompt, password));
        let (answer, wait) = std_mpsc::channel();
        // A request still pending (there should be none) is dropped, which interrupts it.
        *self.lock() = Some(Pending {
            msg_id: message.header.msg_id.clone(),
            answer,
        });
        if self.outbox.send(message).is_err() {
            self.lock().take();
            return Err(InputError::Interrupted);
        }
        wait.recv().unwrap_or(Err(InputError::Interrupted))
    }

    /// Hands an `input_reply` to the waiting request. Replies to another request (by parent
    /// `msg_id`), replies with no request waiting, and replies without a string `value` are
    /// logged and ignored.
    pub(crate) fn deliver(&self, reply: &JupyterMessage) {
        let value = match reply.required_str("value") {
            Ok(value) => value.to_owned(),
            Err(err) => return super::log(format_args!("stdin: ignored input_reply: {err}")),
        };
        let mut pending = self.lock();
        let Some(waiting) = pending.as_ref() else {
            return super::log(format_args!(
                "stdin: input_reply with no input request pending"
            ));
        };
        if let Some(parent) = &reply.parent_header {
            if parent.msg_id != waiting.msg_id {
                return super::log(format_args!(
                    "stdin: input_reply to an earlier input request ignored"
                ));
            }
        }
        if let Some(waiting) = pending.take() {
            let _ = waiting.answer.send(Ok(value));
        }
    }

    /// Ends the waiting request (if any) with [`InputError::Interrupted`].
    pub(crate) fn interrupt(&self) {
        if let Some(waiting) = self.lock().take() {
            let _ = waiting.answer.send(Err(InputError::Interrupted));
        }
    }

    /// Ends the request `msg_id` with [`InputError::Interrupted`] if it is still waiting (it
    /// could not be sent).
    fn fail(&self, msg_id: &str) {
        let mut pending = self.lock();
        if pending
            .as_ref()
            .is_some_and(|waiting| waiting.msg_id == msg_id)
        {
            if let Some(waiting) = pending.take() {
                let _ = waiting.answer.send(Err(InputError::Interrupted));
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Pending>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Sends queued input requests; one that cannot be routed (no stdin socket with the shell
/// socket's identity) fails its waiting request instead of hanging the cell.
pub(crate) async fn run_writer(
    sender: RouterSender,
    mut outbox: mpsc::UnboundedReceiver<JupyterMessage>,
    broker: Arc<StdinBroker>,
) -> Result<(), ProtocolError> {
    while let Some(request) = outbox.recv().await {
        if let Err(err) = sender.send(&request).await {
            super::log(format_args!("stdin: cannot send input_request: {err}"));
            broker.fail(&request.header.msg_id);
        }
    }
    Ok(())
}

/// Receives `input_reply` messages and hands them to the broker.
///
/// **Errors**: [`ProtocolError::Socket`] if the socket fails.
pub(crate) async fn run_reader(
    mut socket: RouterRecvHalf,
    signer: Signer,
    broker: Arc<StdinBroker>,
) -> Result<(), ProtocolError> {
    loop {
        let Some(message) = receive(Channel::Stdin, &mut socket, &signer).await? else {
            continue;
        };
        match message.msg_type() {
            "input_reply" => broker.deliver(&message),
            other => super::log(format_args!("stdin: ignored unexpected {other}")),
        }
    }
}
