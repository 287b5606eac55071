//! [`CellOutput`]: the [`Output`] a cell publishes through, each call sent on iopub at once with
//! the execute request as parent; input goes through the stdin channel; pages are kept for the
//! execute reply's payload.

use std::sync::{Arc, Mutex, PoisonError};

use crate::interpreter::{InputError, MimeBundle, Output, StreamName};

use super::iopub::Publisher;
use super::message::{Header, JupyterMessage};
use super::replies;
use super::stdin::StdinBroker;

/// Output sink of one execute request.
pub(crate) struct CellOutput {
    publisher: Publisher,
    stdin: Arc<StdinBroker>,
    /// The execute request's header (parent of every output) and identities (for stdin).
    parent: Header,
    identities: Vec<Vec<u8>>,
    allow_stdin: bool,
    /// A silent request publishes nothing on iopub (protocol: "as quietly as possible").
    silent: bool,
    /// Pager contents, returned in the execute reply's payload.
    pages: Mutex<Vec<MimeBundle>>,
}

impl CellOutput {
    /// The sink for `request`.
    pub(crate) fn new(
        publisher: Publisher,
        stdin: Arc<StdinBroker>,
        request: &JupyterMessage,
        allow_stdin: bool,
        silent: bool,
    ) -> Self {
        CellOutput {
            publisher,
            stdin,
            parent: request.header.clone(),
            identities: request.identities.clone(),
            allow_stdin,
            silent,
            pages: Mutex::new(Vec::new()),
        }
    }

    /// The pages shown so far (taken: a second call returns none).
    pub(crate) fn take_pages(&self) -> Vec<MimeBundle> {
        std::mem::take(&mut *self.pages.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn publish(&self, msg_type: &str, content: serde_json::Value) {
        if !self.silent {
            self.publisher
                .publish(msg_type, content, Some(&self.parent));
        }
    }
}

impl Output for CellOutput {
    fn stream(&self, name: StreamName, text: &str) {
        self.publish("stream", replies::stream(name, text));
    }

    fn display_data(&self, data: MimeBundle, metadata: MimeBundle, display_id: Option<&str>) {
        self.publish(
            "display_data",
            replies::display_data(data, metadata, display_id),
        );
    }

    fn update_display_data(&self, data: MimeBundle, metadata: MimeBundle, display_id: &str) {
        self.publish(
            "update_display_data",
            replies::update_display_data(data, metadata, display_id),
        );
    }

    fn clear_output(&self, wait: bool) {
        self.publish("clear_output", replies::clear_output(wait));
    }

    fn input(&self, prompt: &str, password: bool) -> Result<String, InputError> {
        if !self.allow_stdin {
            return Err(InputError::NotAllowed);
        }
        self.stdin
            .request(&self.identities, &self.parent, prompt, password)
    }

    fn page(&self, data: MimeBundle) {
        self.pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(data);
    }

    fn after_cell(&self) -> Option<Arc<dyn Output>> {
        Some(Arc::new(CellOutput {
            publisher: self.publisher.clone(),
            stdin: self.stdin.clone(),
            parent: self.parent.clone(),
            identities: self.identities.clone(),
            allow_stdin: false,
            silent: self.silent,
            pages: Mutex::new(Vec::new()),
        }))
    }
}
