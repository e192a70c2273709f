//! Errors a person can read. Each names the server and says what went wrong; none carries a token.

use std::time::Duration;

/// The longest request line sent (`GET /path?query HTTP/1.1`): web servers commonly refuse more
/// than 8 KiB. Longer id lists are split over several requests.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// HTTP 401: `reason` is the server's own text: Ilios answers a bad token in plain text,
    /// (`Authentication Failed. Invalid JSON Web Token: Expired token`), a missing one in JSON.
    #[error("{host} did not accept the session: {reason}")]
    Unauthorized { host: String, reason: String },
    #[error("{host} refused access: {reason}")]
    Forbidden { host: String, reason: String },
    #[error("{host} has no {what}")]
    NotFound { host: String, what: String },
    /// A record exists but the signed-in user may not see it (Ilios answers `{"users":[]}`).
    #[error("{host} does not let this account view {what}")]
    NotVisible { host: String, what: String },
    /// HTTP 400, with the server's message verbatim (e.g. `Refresh limit 12 exceeded`).
    #[error("{message}")]
    BadRequest { host: String, message: String },
    /// Username/password refused by `/auth/login`.
    #[error("{message}")]
    LoginRefused { host: String, message: String },
    #[error("{host} failed with HTTP {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Server {
        host: String,
        status: u16,
        message: Option<String>,
    },
    #[error("{host} did not answer within {}", human_duration(*after))]
    Timeout { host: String, after: Duration },
    #[error("could not reach {host}: {cause}")]
    Network { host: String, cause: String },
    /// The TLS handshake refused the server's certificate: said as a certificate problem, with
    /// what to do, not as an unreachable server.
    #[error("{}", problem.explain(host))]
    Certificate {
        host: String,
        problem: CertificateProblem,
    },
    /// The `ca_file` of the config (or `SSL_CERT_FILE`) cannot be used.
    #[error("the certificate authority file {path} cannot be used: {why}")]
    CaFile { path: String, why: String },
    #[error("{host} sent an answer that is not what Ilios sends ({endpoint}: {detail})")]
    Decode {
        host: String,
        endpoint: String,
        detail: String,
    },
    /// The answer was larger than `max_body_bytes` (or endless): cut off, not kept.
    #[error(
        "{host} sent an answer larger than {} ({endpoint}); it was cut off. If the answer is \
         genuine, raise max_answer_mib in the config",
        human_size(*limit)
    )]
    TooLarge {
        host: String,
        endpoint: String,
        limit: u64,
    },
    /// The request line would be longer than servers accept.
    #[error(
        "the request to {host}{endpoint} would be {length} bytes long, more than the {} bytes \
         web servers accept; shorten what was given",
        MAX_REQUEST_LINE
    )]
    RequestTooLong {
        host: String,
        endpoint: String,
        length: usize,
    },
    #[error("{url} is not a usable server address: {why}")]
    BadUrl { url: String, why: String },
}

/// How a failure is classified for exit codes and for the UI's reaction (a 401 ends the session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotAuthenticated,
    Refused,
    Unreachable,
    /// The server's certificate cannot be trusted (exit code as for an unreachable server).
    Certificate,
    /// What was given locally cannot be used (a malformed server address, a request too long).
    Usage,
    Other,
}

impl ApiError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Unauthorized { .. } | ApiError::LoginRefused { .. } => {
                ErrorKind::NotAuthenticated
            }
            ApiError::BadRequest { .. } => ErrorKind::Refused,
            ApiError::Timeout { .. } | ApiError::Network { .. } => ErrorKind::Unreachable,
            ApiError::BadUrl { .. } | ApiError::RequestTooLong { .. } | ApiError::CaFile { .. } => {
                ErrorKind::Usage
            }
            ApiError::Certificate { .. } => ErrorKind::Certificate,
            _ => ErrorKind::Other,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        let e = ApiError::Timeout {
            host: "ilios.example.edu".into(),
            after: Duration::from_secs(15),
        };
        assert_eq!(
            e.to_string(),
            "ilios.example.edu did not answer within 15 s"
        );
        let e = ApiError::Server {
            host: "h".into(),
            status: 500,
            message: None,
        };
        assert_eq!(e.to_string(), "h failed with HTTP 500");
        let e = ApiError::BadRequest {
            host: "h".into(),
            message: "Refresh limit 12 exceeded".into(),
        };
        assert_eq!(e.to_string(), "Refresh limit 12 exceeded");
        assert_eq!(e.kind(), ErrorKind::Refused);
    }
}

/// Why a server's certificate was refused, in the words a person needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Signed by an authority this machine does not trust (a school's own CA, a self-signed one).
    UnknownAuthority,
    /// Outside its validity period.
    Expired,
    /// Made for another host name.
    WrongName,
    /// Anything else the TLS library said.
    Other(String),
}

impl CertificateProblem {
    fn explain(&self, host: &str) -> String {
        match self {
            CertificateProblem::UnknownAuthority => format!(
                "{host}'s certificate comes from an authority this computer does not trust. If \
                 your school runs its own certificate authority, save its certificate (PEM) and \
                 set ca_file = \"/path/to/ca.pem\" in the config (or SSL_CERT_FILE)"
            ),
            CertificateProblem::Expired => format!(
                "{host}'s certificate has expired (or is not valid yet). Tell the server's \
                 administrators; if this computer's date is wrong, correct it"
            ),
            CertificateProblem::WrongName => format!(
                "{host}'s certificate is made for another name. Use the server address exactly \
                 as it is written on its certificate (the address the web client uses)"
            ),
            CertificateProblem::Other(why) => {
                format!("{host}'s certificate was refused: {why}")
            }
        }
    }
}
