//! The one secret type: a token (or any secret text, such as the clipboard sequence that carries
//! one) held in memory. `Debug` prints `Token([redacted])`, there is no `Display`, and its bytes
//! (spare capacity too) are zeroed when the last copy drops: copies share one buffer.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<Zeroizing<String>>);

impl Token {
    /// Takes `secret` without its surrounding whitespace; the bytes given are zeroed too.
    pub fn new(secret: impl Into<String>) -> Token {
        let given = Zeroizing::new(secret.into());
        let trimmed = given.trim();
        if trimmed.len() == given.len() {
            Token(Arc::new(given))
        } else {
            Token(Arc::new(Zeroizing::new(trimmed.to_string())))
        }
    }

    /// The raw jwt, for the request header and for showing a new token once. Handle with care.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let t = Token::new("eyJhbGciOi.secret.part");
        assert_eq!(format!("{t:?}"), "Token([redacted])");
        assert_eq!(t.expose(), "eyJhbGciOi.secret.part");
    }

    #[test]
    fn new_trims_and_copies_share_the_secret() {
        let t = Token::new("  eyJ0eXAi.secret\n".to_string());
        assert_eq!(t.expose(), "eyJ0eXAi.secret");
        let copy = t.clone();
        assert_eq!(copy, t);
        assert_eq!(copy.expose().as_ptr(), t.expose().as_ptr());
    }
}
