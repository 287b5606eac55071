//! [`JupyterMessage`]: the wire format (ZeroMQ multipart frames), headers, and the builders
//! that derive replies and outputs from a request so parent headers are always right.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::MessageError;
use super::signing::Signer;

/// The protocol version the kernel speaks (sent in every header and in `kernel_info_reply`).
pub const PROTOCOL_VERSION: &str = "5.3";

/// The frame that separates ZeroMQ routing identities from the message.
pub const DELIMITER: &[u8] = b"<IDS|MSG>";

/// A message header. Fields the kernel does not know (e.g. `subshell_id`) are kept in `extra`,
/// so a request header is echoed unchanged as the `parent_header` of its replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Unique id of this message (a UUID v4 for the kernel's messages).
    pub msg_id: String,
    /// The session of the sender.
    #[serde(default, deserialize_with = "lenient_string")]
    pub session: String,
    /// The user (or `kernel`) who sent it.
    #[serde(default, deserialize_with = "lenient_string")]
    pub username: String,
    /// ISO 8601 creation time with a UTC offset.
    #[serde(default, deserialize_with = "lenient_string")]
    pub date: String,
    /// `execute_request`, `stream`, `status`, …
    pub msg_type: String,
    /// The protocol version of the sender.
    #[serde(default, deserialize_with = "lenient_string")]
    pub version: String,
    /// Any other header field, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Accepts a string, `null` (as empty) or any other JSON value (as its JSON text), so a sloppy
/// client header does not make its request unreadable.
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// The kernel's own identity in headers: a session id (a fresh UUID per kernel start) and a
/// username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelSession {
    /// The session id in the kernel's headers.
    pub session: String,
    /// The username in the kernel's headers.
    pub username: String,
}

impl KernelSession {
    /// A new session with a random id.
    pub fn new(username: impl Into<String>) -> Self {
        KernelSession {
            session: Uuid::new_v4().to_string(),
            username: username.into(),
        }
    }

    /// A fresh header of `msg_type` from this session: new `msg_id`, current `date`, version 5.3.
    pub fn header(&self, msg_type: &str) -> Header {
        Header {
            msg_id: Uuid::new_v4().to_string(),
            session: self.session.clone(),
            username: self.username.clone(),
            date: now_iso8601(),
            msg_type: msg_type.to_owned(),
            version: PROTOCOL_VERSION.to_owned(),
            extra: Map::new(),
        }
    }
}

/// The current UTC time as ISO 8601 with microseconds and an explicit offset, as
/// jupyter_client writes it: `2026-11-27T07:17:00.123456+00:00`.
pub fn now_iso8601() -> String {
    let now = OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.microsecond()
    )
}

/// One Jupyter message, with the routing identities it came with (or goes to).
#[derive(Debug, Clone, PartialEq)]
pub struct JupyterMessage {
    /// ZeroMQ routing frames before `<IDS|MSG>` (the sender's identity on ROUTER sockets, the
    /// topic on iopub).
    pub identities: Vec<Vec<u8>>,
    /// This message's header.
    pub header: Header,
    /// The header of the request this message answers; `None` is sent as `{}`.
    pub parent_header: Option<Header>,
    /// Message metadata (a JSON object).
    pub metadata: Map<String, Value>,
    /// Message content (a JSON object for every message type the kernel knows).
    pub content: Value,
    /// Binary frames after the content.
    pub buffers: Vec<Vec<u8>>,
}

impl JupyterMessage {
    /// A new message of `msg_type` from `session`, with no parent and empty content.
    pub fn new(msg_type: &str, session: &KernelSession) -> Self {
        JupyterMessage {
            identities: Vec::new(),
            header: session.header(msg_type),
            parent_header: None,
            metadata: Map::new(),
            content: Value::Object(Map::new()),
            buffers: Vec::new(),
        }
    }

    /// The reply to this request: `X_reply` for `X_request`, the same identities and session,
    /// this header as `parent_header`, a new `msg_id` and `date`, and empty content.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera_kernel::protocol::{JupyterMessage, KernelSession};
    /// let client = KernelSession::new("alice");
    /// let kernel = KernelSession::new("kernel");
    /// let mut request = JupyterMessage::new("execute_request", &client);
    /// request.identities = vec![b"peer".to_vec()];
    /// let reply = request.new_reply(&kernel);
    /// assert_eq!(reply.header.msg_type, "execute_reply");
    /// assert_eq!(reply.header.session, request.header.session);
    /// assert_eq!(reply.parent_header.as_ref(), Some(&request.header));
    /// assert_eq!(reply.identities, request.identities);
    /// ```
    pub fn new_reply(&self, session: &KernelSession) -> Self {
        let request_type = &self.header.msg_type;
        let reply_type = match request_type.strip_suffix("_request") {
            Some(stem) => format!("{stem}_reply"),
            None => format!("{request_type}_reply"),
        };
        let mut header = session.header(&reply_type);
        header.session.clone_from(&self.header.session);
        JupyterMessage {
            identities: self.identities.clone(),
            header,
            parent_header: Some(self.header.clone()),
            metadata: Map::new(),
            content: Value::Object(Map::new()),
            buffers: Vec::new(),
        }
    }

    /// Sets the parent header (the request an iopub or stdin message belongs to).
    pub fn with_parent(mut self, parent: &Header) -> Self {
        self.parent_header = Some(parent.clone());
        self
    }

    /// Sets the content.
    pub fn with_content(mut self, content: Value) -> Self {
        self.content = content;
        self
    }

    /// Sets the routing identities (or the iopub topic).
    pub fn with_identities(mut self, identities: Vec<Vec<u8>>) -> Self {
        self.identities = identities;
        self
    }

    /// The message type from the header.
    pub fn msg_type(&self) -> &str {
        &self.header.msg_type
    }

    /// Parses ZeroMQ frames: identities, `<IDS|MSG>`, signature, header, parent header, metadata,
    /// content, buffers. The signature is checked over the four JSON frames as received.
    ///
    /// **Errors**: [`MessageError::MissingDelimiter`], [`MessageError::MissingFrames`],
    /// [`MessageError::BadSignature`] (checked before any JSON is parsed), and
    /// [`MessageError::InvalidJson`] naming the frame that does not parse.
    pub fn from_frames<F: AsRef<[u8]>>(
        frames: &[F],
        signer: &Signer,
    ) -> Result<Self, MessageError> {
        let delimiter = frames
            .iter()
            .position(|frame| frame.as_ref() == DELIMITER)
            .ok_or(MessageError::MissingDelimiter {
                frames: frames.len(),
            })?;
        let rest = &frames[delimiter + 1..];
        let [signature, header, parent, metadata, content, buffers @ ..] = rest else {
            return Err(MessageError::MissingFrames { found: rest.len() });
        };
        let json = [
            header.as_ref(),
            parent.as_ref(),
            metadata.as_ref(),
            content.as_ref(),
        ];
        signer.verify(signature.as_ref(), json)?;
        let parent: Map<String, Value> = parse_frame("parent_header", json[1])?;
        let parent_header = if parent.is_empty() {
            None
        } else {
            let header = Header::deserialize(Value::Object(parent));
            Some(header.map_err(|source| MessageError::InvalidJson {
                frame: "parent_header",
                source,
            })?)
        };
        Ok(JupyterMessage {
            identities: frames[..delimiter]
                .iter()
                .map(|id| id.as_ref().to_vec())
                .collect(),
            header: parse_frame("header", json[0])?,
            parent_header,
            metadata: parse_frame("metadata", json[2])?,
            content: parse_frame("content", json[3])?,
            buffers: buffers
                .iter()
                .map(|buffer| buffer.as_ref().to_vec())
                .collect(),
        })
    }

    /// Serializes and signs the message into ZeroMQ frames (the inverse of [`from_frames`]).
    ///
    /// **Errors**: [`MessageError::InvalidJson`] if a frame cannot be serialized (not expected
    /// for JSON values, but reported rather than unwrapped).
    ///
    /// [`from_frames`]: JupyterMessage::from_frames
    pub fn to_frames(&self, signer: &Signer) -> Result<Vec<Vec<u8>>, MessageError> {
        let header = to_frame("header", &self.header)?;
        let parent = match &self.parent_header {
            Some(parent) => to_frame("parent_header", parent)?,
            None => b"{}".to_vec(),
        };
        let metadata = to_frame("metadata", &self.metadata)?;
        let content = to_frame("content", &self.content)?;
        let signature = signer.sign([&header, &parent, &metadata, &content]);
        let mut frames = Vec::with_capacity(self.identities.len() + 6 + self.buffers.len());
        frames.extend(self.identities.iter().cloned());
        frames.push(DELIMITER.to_vec());
        frames.push(signature.into_bytes());
        frames.extend([header, parent, metadata, content]);
        frames.extend(self.buffers.iter().cloned());
        Ok(frames)
    }

    /// A required string field of the content.
    ///
    /// **Errors**: [`MessageError::InvalidField`] if it is absent or not a string.
    pub fn required_str(&self, field: &'static str) -> Result<&str, MessageError> {
        self.optional_str(field)?
            .ok_or_else(|| self.invalid(field, "a string"))
    }

    /// An optional string field of the content (absent or `null` gives `None`).
    ///
    /// **Errors**: [`MessageError::InvalidField`] if present with another type.
    pub fn optional_str(&self, field: &'static str) -> Result<Option<&str>, MessageError> {
        match self.content.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.invalid(field, "a string")),
        }
    }

    /// A boolean field of the content, `default` if absent or `null`.
    ///
    /// **Errors**: [`MessageError::InvalidField`] if present with another type.
    pub fn bool_or(&self, field: &'static str, default: bool) -> Result<bool, MessageError> {
        match self.content.get(field) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(_) => Err(self.invalid(field, "a boolean")),
        }
    }

    /// An optional integer field of the content (absent or `null` gives `None`).
    ///
    /// **Errors**: [`MessageError::InvalidField`] if present and not an integer.
    pub fn optional_i64(&self, field: &'static str) -> Result<Option<i64>, MessageError> {
        match self.content.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.invalid(field, "an integer")),
        }
    }

    /// An optional non-negative integer field of the content (absent or `null` gives `None`).
    ///
    /// **Errors**: [`MessageError::InvalidField`] if present and not a non-negative integer.
    pub fn optional_usize(&self, field: &'static str) -> Result<Option<usize>, MessageError> {
        match self.optional_i64(field) {
            Ok(None) => Ok(None),
            Ok(Some(value)) => usize::try_from(value)
                .map(Some)
                .map_err(|_| self.invalid(field, "a non-negative integer")),
            Err(_) => Err(self.invalid(field, "a non-negative integer")),
        }
    }

    /// A non-negative integer field of the content, `default` if absent or `null`.
    ///
    /// **Errors**: [`MessageError::InvalidField`] if present and not a non-negative integer.
    pub fn usize_or(&self, field: &'static str, default: usize) -> Result<usize, MessageError> {
        Ok(self.optional_usize(field)?.unwrap_or(default))
    }

    fn invalid(&self, field: &'static str, expected: &'static str) -> MessageError {
        MessageError::InvalidField {
            msg_type: self.header.msg_type.clone(),
            field,
            expected,
        }
    }
}

fn parse_frame<T: serde::de::DeserializeOwned>(
    frame: &'static str,
    bytes: &[u8],
) -> Result<T, MessageError> {
    serde_json::from_slice(bytes).map_err(|source| MessageError::InvalidJson { frame, source })
}

fn to_frame(frame: &'static str, value: &impl Serialize) -> Result<Vec<u8>, MessageError> {
    serde_json::to_vec(value).map_err(|source| MessageError::InvalidJson { frame, source })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn request(signer: &Signer) -> Vec<Vec<u8>> {
        let client = KernelSession::new("alice");
        let mut message = JupyterMessage::new("execute_request", &client)
            .with_identities(vec![b"peer-1".to_vec(), b"peer-2".to_vec()])
            .with_content(json!({"code": "1 + 1", "silent": false}));
        message.buffers = vec![vec![0, 1, 2]];
        message.to_frames(signer).unwrap()
    }

    #[test]
    fn frames_round_trip_with_identities_signature_and_buffers() {
        let signer = Signer::hmac_sha256(b"key");
        let frames = request(&signer);
        assert_eq!(frames[2], DELIMITER);
        assert_eq!(frames[3].len(), 64);
        let message = JupyterMessage::from_frames(&frames, &signer).unwrap();
        assert_eq!(message.identities, [b"peer-1".to_vec(), b"peer-2".to_vec()]);
        assert_eq!(message.msg_type(), "execute_request");
        assert_eq!(message.header.version, "5.3");
        assert_eq!(message.parent_header, None);
        assert_eq!(message.required_str("code").unwrap(), "1 + 1");
        assert!(!message.bool_or("silent", true).unwrap());
        assert!(message.bool_or("store_history", true).unwrap());
        assert_eq!(message.buffers, [vec![0, 1, 2]]);
        assert_eq!(message.to_frames(&signer).unwrap(), frames);
    }

    #[test]
    fn framing_errors_are_typed() {
        let signer = Signer::hmac_sha256(b"key");
        let frames = request(&signer);
        let no_delimiter: Vec<&[u8]> = vec![b"a", b"b"];
        assert!(matches!(
            JupyterMessage::from_frames(&no_delimiter, &signer),
            Err(MessageError::MissingDelimiter { frames: 2 })
        ));
        assert!(matches!(
            JupyterMessage::from_frames(&frames[..6], &signer),
            Err(MessageError::MissingFrames { found: 3 })
        ));
        let mut forged = frames.clone();
        forged[7] = br#"{"code": "evil"}"#.to_vec();
        assert!(matches!(
            JupyterMessage::from_frames(&forged, &signer),
            Err(MessageError::BadSignature)
        ));
    }

    #[test]
    fn malformed_json_names_the_frame() {
        let signer = Signer::unsigned();
        let frames: Vec<&[u8]> = vec![DELIMITER, b"", b"{not json", b"{}", b"{}", b"{}"];
        let err = JupyterMessage::from_frames(&frames, &signer).unwrap_err();
        assert!(
            matches!(
                err,
                MessageError::InvalidJson {
                    frame: "header",
                    ..
                }
            ),
            "{err}"
        );
        let no_msg_type: Vec<&[u8]> =
            vec![DELIMITER, b"", br#"{"msg_id": "1"}"#, b"{}", b"{}", b"{}"];
        assert!(JupyterMessage::from_frames(&no_msg_type, &signer).is_err());
        let list_metadata: Vec<&[u8]> = vec![
            DELIMITER,
            b"",
            br#"{"msg_id": "1", "msg_type": "x"}"#,
            b"{}",
            b"[]",
            b"{}",
        ];
        let err = JupyterMessage::from_frames(&list_metadata, &signer).unwrap_err();
        assert!(
            matches!(
                err,
                MessageError::InvalidJson {
                    frame: "metadata",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn reply_keeps_unknown_header_fields_in_parent_and_tolerates_null_date() {
        let signer = Signer::unsigned();
        let header = br#"{"msg_id": "m1", "msg_type": "kernel_info_request", "date": null,
                          "session": "s1", "username": "u", "version": "5.3", "subshell_id": 7}"#;
        let frames: Vec<&[u8]> = vec![b"id", DELIMITER, b"", header, b"{}", b"{}", b"{}"];
        let request = JupyterMessage::from_frames(&frames, &signer).unwrap();
        assert_eq!(request.header.date, "");
        let reply = request.new_reply(&KernelSession::new("kernel"));
        assert_eq!(reply.msg_type(), "kernel_info_reply");
        assert_eq!(reply.header.session, "s1");
        assert_eq!(reply.header.username, "kernel");
        assert_ne!(reply.header.msg_id, "m1");
        let parent = serde_json::to_value(reply.parent_header.unwrap()).unwrap();
        assert_eq!(parent["subshell_id"], 7);
        assert_eq!(parent["msg_id"], "m1");
    }

    #[test]
    fn field_accessors_report_wrong_types() {
        let message = JupyterMessage::new("history_request", &KernelSession::new("k"))
            .with_content(json!({"n": -3, "output": "yes", "pattern": 5}));
        let err = message.usize_or("n", 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "history_request: field `n` must be a non-negative integer"
        );
        assert!(message.bool_or("output", false).is_err());
        assert!(message.optional_str("pattern").is_err());
        assert_eq!(message.usize_or("absent", 10).unwrap(), 10);
        assert!(message.required_str("code").is_err());
    }

    #[test]
    fn date_is_iso8601_with_offset() {
        let date = now_iso8601();
        assert_eq!(
            date.len(),
            "2026-11-27T07:17:00.123456+00:00".len(),
            "{date}"
        );
        assert_eq!(&date[10..11], "T");
        assert!(date.ends_with("+00:00"));
    }
}
