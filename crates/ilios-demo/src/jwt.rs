//! JSON Web Tokens as Ilios mints them (`src/Service/JsonWebTokenManager.php`) and PHP
//! `DateInterval` ISO-8601 durations as `/auth/token?ttl=` accepts them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Months, TimeZone, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// php-jwt `JWT::$leeway` as configured by Ilios.
pub const LEEWAY_SECONDS: i64 = 5;
/// `JsonWebTokenManager::DEFAULT_REFRESH_LIMIT`.
pub const REFRESH_LIMIT: u32 = 12;
/// `JsonWebTokenManager::USER_TOKEN_DEFAULT_TTL`.
pub const DEFAULT_TTL: &str = "PT8H";
/// `JsonWebTokenManager::MAX_TIME_TO_LIVE`.
pub const MAX_TTL: &str = "P90D";

/// The header php-jwt writes, byte for byte.
const HEADER_JSON: &str = r#"{"typ":"JWT","alg":"HS256"}"#;

/// User-token payload in the key order of `getUserTokenDetails`. Time claims are strings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub iat: String,
    pub exp: String,
    pub is_root: bool,
    pub performs_non_learner_function: bool,
    pub can_create_or_update_user_in_any_school: bool,
    #[serde(rename = "firstCreatedAt")]
    pub first_created_at: String,
    #[serde(rename = "refreshCount")]
    pub refresh_count: u32,
    pub permissions: String,
    pub user_id: u64,
}

/// The parts of a verified token the server works with.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub user_id: u64,
    pub iat: i64,
    pub exp: i64,
    pub first_created_at: i64,
    pub refresh_count: u32,
}

pub fn sign(secret: &[u8], claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(HEADER_JSON);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
    let signing_input = format!("{header}.{payload}");
    let mut mac = HmacSha256::new_from_slice(secret).expect("hmac accepts any key length");
    mac.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{sig}")
}

fn time_claim(v: Option<&serde_json::Value>) -> Option<i64> {
    match v? {
        serde_json::Value::String(s) => s.trim().parse().ok(),
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    }
}

/// Decode and check a token like firebase/php-jwt `JWT::decode` does. The error is the
/// exception message php-jwt would give (what follows `Invalid JSON Web Token: `).
pub fn verify(secret: &[u8], token: &str, now: i64) -> Result<Verified, String> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("Wrong number of segments".into());
    }
    let header: serde_json::Value = URL_SAFE_NO_PAD
        .decode(parts[0].trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| "Invalid header encoding".to_string())?;
    let payload: serde_json::Value = URL_SAFE_NO_PAD
        .decode(parts[1].trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| "Invalid claims encoding".to_string())?;
    if !payload.is_object() {
        return Err("Payload must be a JSON object".into());
    }
    let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg.is_empty() {
        return Err("Empty algorithm".into());
    }
    if alg != "HS256" {
        return Err("Algorithm not supported".into());
    }
    let sig = URL_SAFE_NO_PAD
        .decode(parts[2].trim_end_matches('='))
        .map_err(|_| "Signature verification failed".to_string())?;
    let mut mac = HmacSha256::new_from_slice(secret).expect("hmac accepts any key length");
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&sig)
        .map_err(|_| "Signature verification failed".to_string())?;
    let iat = time_claim(payload.get("iat"));
    if let Some(iat) = iat
        && payload.get("nbf").is_none()
        && iat > now + LEEWAY_SECONDS
    {
        return Err(format!(
            "Cannot handle token with iat prior to {}",
            iso_c(iat)
        ));
    }
    let exp = time_claim(payload.get("exp"));
    if let Some(exp) = exp
        && now - LEEWAY_SECONDS >= exp
    {
        return Err("Expired token".into());
    }
    let user_id = payload
        .get("user_id")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .ok_or_else(String::new)?;
    let iat = iat.unwrap_or(0);
    Ok(Verified {
        user_id,
        iat,
        exp: exp.unwrap_or(i64::MAX),
        first_created_at: time_claim(payload.get("firstCreatedAt")).unwrap_or(iat),
        refresh_count: payload
            .get("refreshCount")
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as u32,
    })
}

/// PHP `format('c')` in UTC: `2016-09-08T15:00:00+00:00`.
pub fn iso_c(unix: i64) -> String {
    iso_dt(&Utc.timestamp_opt(unix, 0).single().unwrap_or_default())
}

pub fn iso_dt(dt: &DateTime<Utc>) -> String {
    dt.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// A PHP `DateInterval` spec: `PnYnMnWnDTnHnMnS` (integers only, at least one part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IsoDuration {
    pub years: u32,
    pub months: u32,
    pub days: u64,
    pub hours: u64,
    pub minutes: u64,
    pub seconds: u64,
}

impl IsoDuration {
    pub fn parse(spec: &str) -> Result<IsoDuration, String> {
        let bad = || format!("Unknown or bad format ({spec})");
        let rest = spec.strip_prefix('P').ok_or_else(bad)?;
        let (date_part, time_part) = match rest.split_once('T') {
            Some((d, t)) => {
                if t.is_empty() {
                    return Err(bad());
                }
                (d, Some(t))
            }
            None => (rest, None),
        };
        let mut d = IsoDuration::default();
        let mut any = false;
        let mut parse_units = |s: &str, units: &[char], time: bool| -> Result<(), String> {
            let mut num = String::new();
            let mut last_idx: Option<usize> = None;
            for c in s.chars() {
                if c.is_ascii_digit() {
                    num.push(c);
                    continue;
                }
                let idx = units.iter().position(|u| *u == c).ok_or_else(bad)?;
                if num.is_empty() || last_idx.is_some_and(|l| l >= idx) {
                    return Err(bad());
                }
                let n: u64 = num.parse().map_err(|_| bad())?;
                num.clear();
                last_idx = Some(idx);
                any = true;
                match (time, c) {
                    (false, 'Y') => d.years = u32::try_from(n).map_err(|_| bad())?,
                    (false, 'M') => d.months = u32::try_from(n).map_err(|_| bad())?,
                    (false, 'W') => d.days += n * 7,
                    (false, 'D') => d.days += n,
                    (true, 'H') => d.hours = n,
                    (true, 'M') => d.minutes = n,
                    (true, 'S') => d.seconds = n,
                    _ => return Err(bad()),
                }
            }
            if num.is_empty() { Ok(()) } else { Err(bad()) }
        };
        parse_units(date_part, &['Y', 'M', 'W', 'D'], false)?;
        if let Some(t) = time_part {
            parse_units(t, &['H', 'M', 'S'], true)?;
        }
        if !any {
            return Err(bad());
        }
        Ok(d)
    }

    /// `DateTime::add` in UTC: calendar months first, then days, then clock time.
    pub fn add_to(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let months = self.years.checked_mul(12)?.checked_add(self.months)?;
        let t = t.checked_add_months(Months::new(months))?;
        let secs = self
            .days
            .checked_mul(86_400)?
            .checked_add(self.hours.checked_mul(3600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?;
        t.checked_add_signed(chrono::TimeDelta::try_seconds(i64::try_from(secs).ok()?)?)
    }

    pub fn sub_from(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let months = self.years.checked_mul(12)?.checked_add(self.months)?;
        let t = t.checked_sub_months(Months::new(months))?;
        let secs = self.days * 86_400 + self.hours * 3600 + self.minutes * 60 + self.seconds;
        t.checked_sub_signed(chrono::TimeDelta::try_seconds(i64::try_from(secs).ok()?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_php_date_interval_specs() {
        let d = IsoDuration::parse("PT8H").unwrap();
        assert_eq!(d.hours, 8);
        assert_eq!(IsoDuration::parse("P2W").unwrap().days, 14);
        assert_eq!(IsoDuration::parse("P14D").unwrap().days, 14);
        let d = IsoDuration::parse("P13DT23H59M59S").unwrap();
        assert_eq!((d.days, d.hours, d.minutes, d.seconds), (13, 23, 59, 59));
        let d = IsoDuration::parse("P1Y2M3W4DT5H6M7S").unwrap();
        assert_eq!((d.years, d.months, d.days), (1, 2, 25));
        assert_eq!(IsoDuration::parse("P1M").unwrap().months, 1);
        assert_eq!(IsoDuration::parse("PT1M").unwrap().minutes, 1);
    }

    #[test]
    fn rejects_malformed_specs() {
        for bad in [
            "", "14d", "P", "PT", "P14", "p14d", "PT8h", "P1.5D", "PT1.5S", "P1DT", "PT5S3H",
            "P1D2Y", "8H", "P-1D", "P1H",
        ] {
            assert!(IsoDuration::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn adds_calendar_months_then_clock_time() {
        let t = Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap();
        let d = IsoDuration::parse("P1MT1H").unwrap();
        // chrono clamps to month end where PHP would overflow; close enough for TTLs.
        assert_eq!(iso_dt(&d.add_to(t).unwrap()), "2026-02-28T13:00:00+00:00");
        let d = IsoDuration::parse("P90D").unwrap();
        assert_eq!(iso_dt(&d.add_to(t).unwrap()), "2026-05-01T12:00:00+00:00");
    }

    fn claims(iat: i64, exp: i64) -> Claims {
        Claims {
            iss: "ilios".into(),
            aud: "ilios".into(),
            iat: iat.to_string(),
            exp: exp.to_string(),
            is_root: false,
            performs_non_learner_function: false,
            can_create_or_update_user_in_any_school: false,
            first_created_at: iat.to_string(),
            refresh_count: 3,
            permissions: "user".into(),
            user_id: 7,
        }
    }

    #[test]
    fn mint_and_verify_round_trip() {
        let secret = b"secret";
        let tok = sign(secret, &claims(1000, 2000));
        assert!(tok.starts_with("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."));
        let v = verify(secret, &tok, 1500).unwrap();
        assert_eq!(v.user_id, 7);
        assert_eq!(
            (v.iat, v.exp, v.first_created_at, v.refresh_count),
            (1000, 2000, 1000, 3)
        );
        let payload = URL_SAFE_NO_PAD
            .decode(tok.split('.').nth(1).unwrap())
            .unwrap();
        let text = String::from_utf8(payload).unwrap();
        assert!(text.starts_with(
            r#"{"iss":"ilios","aud":"ilios","iat":"1000","exp":"2000","is_root":false"#
        ));
        assert!(text.ends_with(
            r#""firstCreatedAt":"1000","refreshCount":3,"permissions":"user","user_id":7}"#
        ));
    }

    #[test]
    fn verify_reports_php_jwt_reasons() {
        let secret = b"secret";
        let tok = sign(secret, &claims(1000, 2000));
        assert_eq!(
            verify(b"other", &tok, 1500).unwrap_err(),
            "Signature verification failed"
        );
        assert_eq!(
            verify(secret, "abc.def", 1500).unwrap_err(),
            "Wrong number of segments"
        );
        // 5 s leeway: still valid 4 s after exp, expired at exactly exp + 5.
        assert!(verify(secret, &tok, 2004).is_ok());
        assert_eq!(verify(secret, &tok, 2005).unwrap_err(), "Expired token");
    }
}
