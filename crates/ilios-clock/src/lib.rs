//! The one clock of the program, and the time zone it is read in.
//!
//! Everything that asks "what time is it?" — the app's `now`, the token dialog's "today", Coming
//! Up, the headless commands, the embedded server's seed and its token checks — asks a [`Clock`].
//! The shipped binary uses the system clock in the system's zone; `--now` (for a demo or a test on
//! a chosen day) starts it at a given moment and lets it run on; tests may also stop it and pick
//! the zone, so a calendar program can be tested on any day of the year, in any zone.

use std::fmt;
use std::str::FromStr;
use std::time::Instant;

use chrono::{
    DateTime, FixedOffset, Local, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};

/// A time zone: the system's (`TZ`, else `/etc/localtime`), or a named IANA zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    System,
    Named(chrono_tz::Tz),
    /// A fixed offset from UTC (for tests of zone-independent rules).
    Fixed(FixedOffset),
}

impl FromStr for Zone {
    type Err = String;
    fn from_str(s: &str) -> Result<Zone, String> {
        s.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            format!("unknown time zone {s:?} (expected an IANA name such as Europe/Paris)")
        })
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::System => f.write_str("the system's zone"),
            Zone::Named(tz) => f.write_str(tz.name()),
            Zone::Fixed(o) => write!(f, "{o}"),
        }
    }
}

/// The offset in force at a moment, remembering its zone so that `DateTime<Zone>::timezone()`
/// gives the zone back (as chrono-tz's offsets do), not a fixed offset that ignores daylight
/// saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fixed.fmt(f)
    }
}

impl Zone {
    fn at<O: Offset>(self, o: O) -> ZoneOffset {
        ZoneOffset {
            zone: self,
            fixed: o.fix(),
        }
    }

    fn at_local<O: Offset>(self, r: LocalResult<O>) -> LocalResult<ZoneOffset> {
        r.map(|o| self.at(o))
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<ZoneOffset> {
        match *self {
            Zone::System => self.at_local(Local.offset_from_local_date(local)),
            Zone::Named(tz) => self.at_local(tz.offset_from_local_date(local)),
            Zone::Fixed(o) => LocalResult::Single(self.at(o)),
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<ZoneOffset> {
        match *self {
            Zone::System => self.at_local(Local.offset_from_local_datetime(local)),
            Zone::Named(tz) => self.at_local(tz.offset_from_local_datetime(local)),
            Zone::Fixed(o) => LocalResult::Single(self.at(o)),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        match *self {
            Zone::System => self.at(Local.offset_from_utc_date(utc)),
            Zone::Named(tz) => self.at(tz.offset_from_utc_date(utc)),
            Zone::Fixed(o) => self.at(o),
        }
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        match *self {
            Zone::System => self.at(Local.offset_from_utc_datetime(utc)),
            Zone::Named(tz) => self.at(tz.offset_from_utc_datetime(utc)),
            Zone::Fixed(o) => self.at(o),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Source {
    System,
    /// Started at `at` when `since` was read; runs on with the monotonic clock.
    Running {
        at: DateTime<Utc>,
        since: Instant,
    },
    Stopped(DateTime<Utc>),
}

/// Where the current moment comes from, and the zone it is read in. Cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    source: Source,
    zone: Zone,
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl Clock {
    /// The system clock in the system's zone: what the shipped binary uses.
    pub fn system() -> Clock {
        Clock {
            source: Source::System,
            zone: Zone::System,
        }
    }

    /// Starts at `at` now and runs on in real time (`--now`: tokens still expire, minutes tick).
    pub fn starting_at(at: DateTime<Utc>) -> Clock {
        Clock {
            source: Source::Running {
                at,
                since: Instant::now(),
            },
            zone: Zone::System,
        }
    }

    /// Always `at`: for tests that draw or derive at one exact moment.
    pub fn stopped_at(at: DateTime<Utc>) -> Clock {
        Clock {
            source: Source::Stopped(at),
            zone: Zone::System,
        }
    }

    /// The same clock read in `zone`.
    pub fn in_zone(self, zone: Zone) -> Clock {
        Clock { zone, ..self }
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.source {
            Source::System => Utc::now(),
            Source::Running { at, since } => {
                at + chrono::Duration::from_std(since.elapsed()).unwrap_or_default()
            }
            Source::Stopped(at) => at,
        }
    }

    /// The current moment in this clock's zone.
    pub fn local_now(&self) -> DateTime<Zone> {
        self.now().with_timezone(&self.zone)
    }

    /// Today's date in this clock's zone.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date_naive()
    }
}

/// Parses `--now`: an RFC 3339 moment (`2027-03-13T18:00:00-08:00`), or a date and time read in
/// the clock's zone (`2027-03-13T18:00`, `2027-03-13 18:00:00`, `2027-03-13`).
pub fn parse_moment(s: &str, zone: Zone) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(|| {
        format!("{s:?} is not a moment: use RFC 3339, e.g. 2027-03-13T18:00:00-08:00")
    })?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{s} does not exist in {zone} (a daylight-saving gap)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_stopped_clock_reads_its_moment_in_its_zone() {
        let clock = Clock::stopped_at(utc("2027-01-01T04:30:00Z"))
            .in_zone("America/New_York".parse().unwrap());
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        assert_eq!(clock.local_now().hour(), 23);
        let sydney = clock.in_zone("Australia/Sydney".parse().unwrap());
        assert_eq!(sydney.today(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(sydney.local_now().hour(), 15);
    }

    #[test]
    fn a_started_clock_runs_on_from_its_start() {
        let at = utc("2027-03-13T18:00:00Z");
        let clock = Clock::starting_at(at);
        let later = clock.now();
        assert!(later >= at && later - at < chrono::Duration::minutes(5));
    }

    #[test]
    fn named_zones_follow_daylight_saving() {
        let la: Zone = "America/Los_Angeles".parse().unwrap();
        // 2027-03-14 02:30 does not exist in Los Angeles; 01:30 on 2027-11-07 happens twice.
        let gap = NaiveDate::from_ymd_opt(2027, 3, 14)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert!(matches!(la.from_local_datetime(&gap), LocalResult::None));
        let twice = NaiveDate::from_ymd_opt(2027, 11, 7)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert!(matches!(
            la.from_local_datetime(&twice),
            LocalResult::Ambiguous(..)
        ));
        assert!("Mars/Olympus".parse::<Zone>().is_err());
    }

    #[test]
    fn moments_parse_with_an_offset_or_in_the_zone() {
        let la: Zone = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            parse_moment("2027-03-13T18:00:00-08:00", la).unwrap(),
            utc("2027-03-14T02:00:00Z")
        );
        assert_eq!(
            parse_moment("2027-03-13T18:00", la).unwrap(),
            utc("2027-03-14T02:00:00Z")
        );
        assert_eq!(
            parse_moment("2027-07-01", la).unwrap(),
            utc("2027-07-01T07:00:00Z")
        );
        assert!(
            parse_moment("2027-03-14T02:30", la)
                .unwrap_err()
                .contains("daylight")
        );
        assert!(parse_moment("tomorrow", la).is_err());
    }
}
