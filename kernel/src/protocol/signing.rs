//! HMAC-SHA256 signatures over the four JSON frames of a message.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::error::MessageError;

type HmacSha256 = Hmac<Sha256>;

/// Signs and verifies messages with the connection key. Without a key (an empty `key` in the
/// connection file), messages carry an empty signature and any signature is accepted.
#[derive(Clone)]
pub struct Signer {
    /// The keyed MAC, cloned for every message; `None` when not signing.
    mac: Option<HmacSha256>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Signer")
            .field("signing", &self.is_signing())
            .finish()
    }
}

impl Signer {
    /// A signer with an HMAC-SHA256 key.
    pub fn hmac_sha256(key: &[u8]) -> Self {
        // HMAC takes keys of any length, so this cannot fail; an empty key means "no signing".
        let mac = (!key.is_empty())
            .then(|| HmacSha256::new_from_slice(key).ok())
            .flatten();
        Signer { mac }
    }

    /// A signer that does not sign (empty key).
    pub fn unsigned() -> Self {
        Signer { mac: None }
    }

    /// Whether messages are signed.
    pub fn is_signing(&self) -> bool {
        self.mac.is_some()
    }

    /// The lowercase hex signature of `frames` (header, parent header, metadata, content), or an
    /// empty string when not signing.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera_kernel::protocol::Signer;
    /// let signer = Signer::hmac_sha256(b"secret");
    /// let frames: [&[u8]; 4] = [br#"{"msg_id":"1"}"#, b"{}", b"{}", b"{}"];
    /// let signature = signer.sign(frames);
    /// assert_eq!(signature.len(), 64);
    /// assert!(signer.verify(signature.as_bytes(), frames).is_ok());
    /// ```
    pub fn sign(&self, frames: [&[u8]; 4]) -> String {
        match self.keyed(frames) {
            Some(mac) => hex::encode(mac.finalize().into_bytes()),
            None => String::new(),
        }
    }

    /// Checks a hex `signature` against `frames` in constant time.
    ///
    /// **Errors**: [`MessageError::BadSignature`] if the signature is not hex or does not match.
    pub fn verify(&self, signature: &[u8], frames: [&[u8]; 4]) -> Result<(), MessageError> {
        let Some(mac) = self.keyed(frames) else {
            return Ok(());
        };
        let expected = hex::decode(signature).map_err(|_| MessageError::BadSignature)?;
        mac.verify_slice(&expected)
            .map_err(|_| MessageError::BadSignature)
    }

    fn keyed(&self, frames: [&[u8]; 4]) -> Option<HmacSha256> {
        let mut mac = self.mac.clone()?;
        for frame in frames {
            mac.update(frame);
        }
        Some(mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = br#"{"msg_id":"1","msg_type":"kernel_info_request"}"#;

    #[test]
    fn matches_python_hmac_and_round_trips() {
        // python: hmac.new(b"secret", header + b"{}" * 3, hashlib.sha256).hexdigest()
        let signer = Signer::hmac_sha256(b"secret");
        let frames = [HEADER, b"{}", b"{}", b"{}"];
        let signature = signer.sign(frames);
        assert_eq!(
            signature,
            "0fca6e189cdcc0095e523565e0900c86cd24e5e0bfab2105ab98d33a07a29a4e"
        );
        signer.verify(signature.as_bytes(), frames).unwrap();
        signer
            .verify(signature.to_uppercase().as_bytes(), frames)
            .unwrap();
    }

    #[test]
    fn rejects_tampering_wrong_key_and_non_hex() {
        let signer = Signer::hmac_sha256(b"secret");
        let signature = signer.sign([HEADER, b"{}", b"{}", b"{}"]);
        let tampered = [HEADER, b"{}", b"{}", br#"{"code":"rm"}"#];
        assert!(matches!(
            signer.verify(signature.as_bytes(), tampered),
            Err(MessageError::BadSignature)
        ));
        let other = Signer::hmac_sha256(b"other");
        assert!(other
            .verify(signature.as_bytes(), [HEADER, b"{}", b"{}", b"{}"])
            .is_err());
        assert!(signer.verify(b"zz", [HEADER, b"{}", b"{}", b"{}"]).is_err());
        assert!(signer.verify(b"", [HEADER, b"{}", b"{}", b"{}"]).is_err());
    }

    #[test]
    fn unsigned_signs_empty_and_accepts_anything() {
        let signer = Signer::unsigned();
        assert_eq!(signer.sign([HEADER, b"{}", b"{}", b"{}"]), "");
        signer
            .verify(b"whatever", [HEADER, b"{}", b"{}", b"{}"])
            .unwrap();
        assert!(!Signer::hmac_sha256(b"").is_signing());
        assert_eq!(
            format!("{:?}", Signer::hmac_sha256(b"secret")),
            "Signer { signing: true }"
        );
    }
}
