//! Local decoding of the Ilios JWT payload. The signature cannot be checked by a client (the key
//! is the server's secret), so these claims are hints for the UI — the server has the last word.
//!
//! Ilios writes `iat`, `exp` and `firstCreatedAt` as JSON *strings* of unix seconds
//! (`JsonWebTokenManager::getUserTokenDetails`); other issuers use numbers. Both are accepted.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub iss: Option<String>,
    #[serde(default, deserialize_with = "unix_seconds")]
    pub iat: Option<i64>,
    #[serde(default, deserialize_with = "unix_seconds")]
    pub exp: Option<i64>,
    #[serde(default, rename = "firstCreatedAt", deserialize_with = "unix_seconds")]
    pub first_created_at: Option<i64>,
    #[serde(default, rename = "refreshCount")]
    pub refresh_count: Option<u32>,
    #[serde(default, deserialize_with = "unix_seconds")]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub is_root: Option<bool>,
    #[serde(default)]
    pub performs_non_learner_function: Option<bool>,
    /// Present on service tokens, which cannot use the user endpoints.
    #[serde(default, deserialize_with = "unix_seconds")]
    pub token_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("the token does not have three dot-separated parts")]
    Segments,
    #[error("the token payload is not base64url")]
    Base64,
    #[error("the token payload is not a JSON object: {0}")]
    Json(String),
    #[error("the token has no user_id (a service token cannot be used here)")]
    NoUser,
}

/// A number, a string of digits, or null/absent. Anything else is a decoding error.
fn unix_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Str(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Int(n)) => Ok(Some(n)),
        Some(Raw::Float(f)) if f.is_finite() => Ok(Some(f.trunc() as i64)),
        Some(Raw::Float(_)) => Err(serde::de::Error::custom("not a finite number")),
        Some(Raw::Str(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not unix seconds"))),
    }
}

impl Claims {
    /// Decodes the payload (the middle segment). Never panics, whatever the input.
    pub fn decode(jwt: &str) -> Result<Claims, JwtError> {
        let mut parts = jwt.trim().split('.');
        let (Some(_header), Some(payload), Some(_sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Segments);
        };
        // Some issuers pad; base64url without padding is the standard.
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| JwtError::Base64)?;
        serde_json::from_slice(&bytes).map_err(|e| JwtError::Json(e.to_string()))
    }

    pub fn user_id(&self) -> Result<u64, JwtError> {
        self.user_id
            .and_then(|id| u64::try_from(id).ok())
            .ok_or(JwtError::NoUser)
    }

    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.exp.and_then(|s| Utc.timestamp_opt(s, 0).single())
    }

    pub fn issued_at(&self) -> Option<DateTime<Utc>> {
        self.iat.and_then(|s| Utc.timestamp_opt(s, 0).single())
    }

    /// When the login chain began; the server caps new tokens at this + 90 days.
    pub fn first_created(&self) -> Option<DateTime<Utc>> {
        self.first_created_at
            .or(self.iat)
            .and_then(|s| Utc.timestamp_opt(s, 0).single())
    }

    /// Expired by the clock of this machine (the server allows 5 s of leeway; we don't rely on it).
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at().is_some_and(|exp| exp <= now)
    }
}

/// "7 h 59 min", "3 days", "expired": how long a token has left, for the status bar.
pub fn time_left(exp: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (exp - now).num_seconds();
    if secs <= 0 {
        return "expired".into();
    }
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours, mins) {
        (0, 0, 0) => format!("{secs} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, _, _) => format!("1 day {hours} h"),
        (d, _, _) => format!("{d} days"),
    }
}

/// `3 days left`, or `expired` (never `expired left`).
pub fn time_left_phrase(exp: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match time_left(exp, now) {
        t if t == "expired" => t,
        t => format!("{t} left"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        format!(
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{}.sig",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn ilios_string_claims() {
        let jwt = token(
            r#"{"iss":"ilios","aud":"ilios","iat":"1754600349","exp":"1754629149","is_root":false,
            "performs_non_learner_function":false,"can_create_or_update_user_in_any_school":false,
            "firstCreatedAt":"1754600349","refreshCount":0,"permissions":"user","user_id":5}"#,
        );
        let c = Claims::decode(&jwt).unwrap();
        assert_eq!(c.iat, Some(1_754_600_349));
        assert_eq!(c.exp, Some(1_754_629_149));
        assert_eq!(c.first_created_at, Some(1_754_600_349));
        assert_eq!(c.user_id().unwrap(), 5);
    }

    #[test]
    fn numeric_claims_and_missing_first_created() {
        let c = Claims::decode(&token(r#"{"iat":10,"exp":20,"user_id":"7"}"#)).unwrap();
        assert_eq!((c.iat, c.exp, c.user_id), (Some(10), Some(20), Some(7)));
        assert_eq!(c.first_created().unwrap().timestamp(), 10);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert_eq!(Claims::decode("abc"), Err(JwtError::Segments));
        assert_eq!(Claims::decode("a.!!!.c"), Err(JwtError::Base64));
        assert!(matches!(
            Claims::decode(&token("[1,2]")),
            Err(JwtError::Json(_))
        ));
        assert!(matches!(
            Claims::decode(&token(r#"{"exp":"soon"}"#)),
            Err(JwtError::Json(_))
        ));
    }

    #[test]
    fn service_token_has_no_user() {
        let c = Claims::decode(&token(r#"{"iat":"1","exp":"2","token_id":3}"#)).unwrap();
        assert_eq!(c.user_id(), Err(JwtError::NoUser));
    }

    #[test]
    fn time_left_reads_well() {
        let now = Utc.timestamp_opt(1_000_000, 0).unwrap();
        let at = |s: i64| Utc.timestamp_opt(1_000_000 + s, 0).unwrap();
        assert_eq!(time_left(at(-1), now), "expired");
        assert_eq!(time_left(at(42), now), "42 s");
        assert_eq!(time_left(at(8 * 3600 - 60), now), "7 h 59 min");
        assert_eq!(time_left(at(86_400 + 7200), now), "1 day 2 h");
        assert_eq!(time_left(at(14 * 86_400), now), "14 days");
        assert_eq!(time_left_phrase(at(-1), now), "expired");
        assert_eq!(time_left_phrase(at(42), now), "42 s left");
    }
}
