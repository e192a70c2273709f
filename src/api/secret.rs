//! A token held in memory: never printed by `Debug`/`Display`, zeroed when the last copy drops.

use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<Zeroizing<String>>);

impl Token {
    pub fn new(jwt: impl Into<String>) -> Token {
        Token(Arc::new(Zeroizing::new(jwt.into().trim().to_string())))
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
}
