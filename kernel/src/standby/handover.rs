//! The conversation on a standby's socket, one line of JSON each way:
//!
//! 1. the standby, having checked that the peer is the same user (`SO_PEERCRED`), says which
//!    key it was warmed for and its pid ([`Hello`]);
//! 2. the launched process, if the key is its own, sends its stdout and stderr (`SCM_RIGHTS`,
//!    so the kernel's log goes where Jupyter reads it) and then the connection file's text, its
//!    working directory and its environment ([`Request`]);
//! 3. the standby answers `adopted`; from then on the connection only mirrors lifetime: the
//!    kernel writes `exit N` when it ends, and either side seeing the other close ends itself.

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, IoSlice, IoSliceMut, Write};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;

use rustix::net::{
    RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, SendAncillaryBuffer,
    SendAncillaryMessage, SendFlags,
};
use serde::{Deserialize, Serialize};

/// What a standby says first.
#[derive(Debug, Serialize, Deserialize)]
pub struct Hello {
    pub key: String,
    pub pid: u32,
}

/// What the launched process hands over.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    /// The connection file's JSON text.
    pub connection: String,
    pub cwd: OsString,
    pub env: Vec<(OsString, OsString)>,
}

/// The standby's answer once it has taken the request.
const ADOPTED: &str = "adopted";

/// Whether the peer of `stream` runs as this process's user.
pub fn same_user(stream: &UnixStream) -> bool {
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    rustix::net::sockopt::socket_peercred(stream).is_ok_and(|cred| cred.uid.as_raw() == uid)
}

/// Writes `value` as one line of JSON.
pub fn send_line(stream: &mut UnixStream, value: &impl Serialize) -> io::Result<()> {
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    stream.write_all(&line)
}

/// Reads one line of JSON.
pub fn read_line<T: for<'de> Deserialize<'de>>(reader: &mut impl BufRead) -> io::Result<T> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(serde_json::from_str(&line)?)
}

/// The launched process's side of steps 2 and 3: `stream` has said hello with our key.
/// Returns the reader the lifetime is then mirrored on.
pub fn hand_over(stream: &mut UnixStream, request: &Request) -> io::Result<BufReader<UnixStream>> {
    let (stdout, stderr) = (io::stdout(), io::stderr());
    let fds = [stdout.as_fd(), stderr.as_fd()];
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(2))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    control.push(SendAncillaryMessage::ScmRights(&fds));
    rustix::net::sendmsg(
        &*stream,
        &[IoSlice::new(b"F")],
        &mut control,
        SendFlags::empty(),
    )?;
    send_line(stream, request)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut answer = String::new();
    reader.read_line(&mut answer)?;
    if answer.trim_end() != ADOPTED {
        return Err(io::Error::other(format!(
            "the standby kernel answered {answer:?}"
        )));
    }
    Ok(reader)
}

/// The standby's side of step 2: the passed descriptors (stdout, stderr) and the request.
pub fn receive(stream: &UnixStream) -> io::Result<(Vec<OwnedFd>, Request)> {
    let mut byte = [0u8; 1];
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(2))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let got = rustix::net::recvmsg(
        stream,
        &mut [IoSliceMut::new(&mut byte)],
        &mut control,
        RecvFlags::CMSG_CLOEXEC,
    )?;
    if got.bytes != 1 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let mut fds = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(passed) = message {
            fds.extend(passed);
        }
    }
    let request = read_line(&mut BufReader::new(stream))?;
    Ok((fds, request))
}

/// The standby's side of step 3.
pub fn confirm(stream: &mut UnixStream) -> io::Result<()> {
    stream.write_all(format!("{ADOPTED}\n").as_bytes())
}
