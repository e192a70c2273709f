//! (placeholder until the tokens module lands)
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
pub fn allowed_range<Tz: TimeZone>(
    today: NaiveDate,
    _f: Option<DateTime<Utc>>,
    _tz: &Tz,
) -> (NaiveDate, NaiveDate) {
    (today, today + chrono::Duration::days(90))
}
pub fn default_expiry(today: NaiveDate) -> NaiveDate {
    today + chrono::Duration::days(14)
}
pub fn ttl_until<Tz: TimeZone>(_now: DateTime<Tz>, _d: NaiveDate) -> Option<String> {
    None
}
