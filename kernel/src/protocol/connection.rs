//! The connection file a Jupyter frontend writes for a kernel: address, ports and signing key.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::ProtocolError;
use super::signing::Signer;

/// The signature scheme the kernel implements.
pub const HMAC_SHA256: &str = "hmac-sha256";

/// How the channels are reached: `tcp://ip:port` or `ipc://ip-port` (a socket file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// TCP on `ip` and the given ports.
    #[default]
    Tcp,
    /// Unix domain sockets at the paths `{ip}-{port}`.
    Ipc,
}

/// One of the five ZeroMQ channels of a kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Requests from frontends (ROUTER): execute, complete, inspect, history, comms, …
    Shell,
    /// Urgent requests answered while a cell runs (ROUTER): interrupt, shutdown, kernel_info.
    Control,
    /// Input requests to the frontend that sent the running execute request (ROUTER).
    Stdin,
    /// Broadcast of status and outputs (PUB).
    Iopub,
    /// Echo socket the frontend pings to see the kernel is alive (REP).
    Heartbeat,
}

impl Channel {
    /// All channels, in the order the connection file lists their ports.
    pub const ALL: [Channel; 5] = [
        Channel::Shell,
        Channel::Iopub,
        Channel::Stdin,
        Channel::Control,
        Channel::Heartbeat,
    ];

    /// The channel's name as the protocol spells it (`shell`, `iopub`, `hb`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Shell => "shell",
            Channel::Control => "control",
            Channel::Stdin => "stdin",
            Channel::Iopub => "iopub",
            Channel::Heartbeat => "hb",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The contents of a kernel connection file.
///
/// A TCP port of 0 asks the server to pick a free port; [`Server::connection_info`] then reports
/// the ports actually bound.
///
/// [`Server::connection_info`]: super::Server::connection_info
///
/// # Examples
///
/// ```
/// use tessera_kernel::protocol::{Channel, ConnectionInfo};
/// let info = ConnectionInfo::from_json(r#"{
///     "ip": "127.0.0.1", "transport": "tcp", "shell_port": 5001, "iopub_port": 5002,
///     "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
///     "key": "secret", "signature_scheme": "hmac-sha256", "kernel_name": "tessera"
/// }"#)?;
/// assert_eq!(info.endpoint(Channel::Control), "tcp://127.0.0.1:5004");
/// assert!(info.signer()?.is_signing());
/// # Ok::<(), tessera_kernel::protocol::ProtocolError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionInfo {
    /// Address to bind (`127.0.0.1`, `0.0.0.0`, or for IPC the socket file prefix).
    pub ip: String,
    /// `tcp` (default) or `ipc`.
    #[serde(default)]
    pub transport: Transport,
    /// Port of the shell channel (ROUTER).
    pub shell_port: u16,
    /// Port of the iopub channel (PUB).
    pub iopub_port: u16,
    /// Port of the stdin channel (ROUTER).
    pub stdin_port: u16,
    /// Port of the control channel (ROUTER).
    pub control_port: u16,
    /// Port of the heartbeat (REP).
    pub hb_port: u16,
    /// The HMAC key; empty means messages are not signed.
    #[serde(default)]
    pub key: String,
    /// `hmac-sha256`, or empty together with an empty key.
    #[serde(default)]
    pub signature_scheme: String,
    /// The kernelspec name the frontend started (informational).
    #[serde(default)]
    pub kernel_name: String,
}

impl ConnectionInfo {
    /// Reads and parses a connection file.
    ///
    /// **Errors**: [`ProtocolError::ConnectionFile`] if the file cannot be read,
    /// [`ProtocolError::ConnectionJson`] if it is not a connection description.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ProtocolError> {
        let path = path.as_ref();
        let text =
            std::fs::read_to_string(path).map_err(|source| ProtocolError::ConnectionFile {
                path: path.to_owned(),
                source,
            })?;
        Self::from_json(&text)
    }

    /// Parses the JSON text of a connection file.
    ///
    /// **Errors**: [`ProtocolError::ConnectionJson`] on bad JSON, a missing port or an unknown
    /// transport.
    pub fn from_json(text: &str) -> Result<Self, ProtocolError> {
        serde_json::from_str(text).map_err(|source| ProtocolError::ConnectionJson { source })
    }

    /// The port of `channel`.
    pub fn port(&self, channel: Channel) -> u16 {
        match channel {
            Channel::Shell => self.shell_port,
            Channel::Control => self.control_port,
            Channel::Stdin => self.stdin_port,
            Channel::Iopub => self.iopub_port,
            Channel::Heartbeat => self.hb_port,
        }
    }

    /// Sets the port of `channel` (used to report the ports a server bound).
    pub fn set_port(&mut self, channel: Channel, port: u16) {
        match channel {
            Channel::Shell => self.shell_port = port,
            Channel::Control => self.control_port = port,
            Channel::Stdin => self.stdin_port = port,
            Channel::Iopub => self.iopub_port = port,
            Channel::Heartbeat => self.hb_port = port,
        }
    }

    /// The ZeroMQ endpoint of `channel`: `tcp://{ip}:{port}` or `ipc://{ip}-{port}` (the IPC
    /// naming jupyter_client uses).
    pub fn endpoint(&self, channel: Channel) -> String {
        let port = self.port(channel);
        match self.transport {
            Transport::Tcp => format!("tcp://{}:{}", self.ip, port),
            Transport::Ipc => format!("ipc://{}-{}", self.ip, port),
        }
    }

    /// For the `ipc` transport, makes `ip` (the socket files' path prefix, usually relative to
    /// the directory the kernel was started in) absolute, so that the sockets are found there
    /// whatever the working directory is when they are bound. TCP connections are unchanged.
    pub fn make_ipc_path_absolute(&mut self) {
        if self.transport == Transport::Ipc && Path::new(&self.ip).is_relative() {
            if let Ok(cwd) = std::env::current_dir() {
                self.ip = cwd.join(&self.ip).to_string_lossy().into_owned();
            }
        }
    }

    /// The socket files of the `ipc` transport (none for TCP).
    pub fn ipc_files(&self) -> Vec<std::path::PathBuf> {
        if self.transport != Transport::Ipc {
            return Vec::new();
        }
        Channel::ALL
            .iter()
            .map(|&c| format!("{}-{}", self.ip, self.port(c)).into())
            .collect()
    }

    /// The signer for this connection's key: HMAC-SHA256, or no signing when the key is empty.
    ///
    /// **Errors**: [`ProtocolError::UnsupportedSignatureScheme`] if a key is given with a scheme
    /// other than `hmac-sha256` (an empty scheme means `hmac-sha256`, as jupyter_client's default).
    pub fn signer(&self) -> Result<Signer, ProtocolError> {
        if self.key.is_empty() {
            return Ok(Signer::unsigned());
        }
        match self.signature_scheme.as_str() {
            "" | HMAC_SHA256 => Ok(Signer::hmac_sha256(self.key.as_bytes())),
            other => Err(ProtocolError::UnsupportedSignatureScheme {
                scheme: other.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"ip": "127.0.0.1", "transport": "ipc", "shell_port": 1,
        "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
        "key": "k", "signature_scheme": "hmac-sha256", "kernel_name": "tessera"}"#;

    #[test]
    fn parses_every_port_and_ipc_endpoints() {
        let info = ConnectionInfo::from_json(FILE).unwrap();
        let ports: Vec<u16> = Channel::ALL.iter().map(|&c| info.port(c)).collect();
        assert_eq!(ports, [1, 2, 3, 4, 5]);
        assert_eq!(info.transport, Transport::Ipc);
        assert_eq!(info.endpoint(Channel::Heartbeat), "ipc://127.0.0.1-5");
        assert_eq!(info.kernel_name, "tessera");
        let mut absolute = info.clone();
        absolute.make_ipc_path_absolute();
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(absolute.ip, cwd.join("127.0.0.1").to_string_lossy());
        assert_eq!(absolute.ipc_files()[0], cwd.join("127.0.0.1-1"));
    }

    #[test]
    fn empty_key_means_no_signing_and_other_schemes_are_refused() {
        let mut info = ConnectionInfo::from_json(FILE).unwrap();
        info.key.clear();
        info.signature_scheme.clear();
        assert!(!info.signer().unwrap().is_signing());
        info.key = "k".into();
        info.signature_scheme = "hmac-md5".into();
        let err = info.signer().unwrap_err();
        assert!(
            matches!(err, ProtocolError::UnsupportedSignatureScheme { ref scheme } if scheme == "hmac-md5")
        );
    }

    #[test]
    fn unknown_transport_and_missing_port_are_errors() {
        let udp = FILE.replace("\"ipc\"", "\"udp\"");
        assert!(matches!(
            ConnectionInfo::from_json(&udp),
            Err(ProtocolError::ConnectionJson { .. })
        ));
        let no_hb = FILE.replace("\"hb_port\": 5,", "");
        let err = ConnectionInfo::from_json(&no_hb).unwrap_err();
        assert!(err.to_string().contains("hb_port"), "{err}");
    }
}
