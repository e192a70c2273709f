//! (placeholder until the week module lands: the two config enums)

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    #[default]
    Sunday,
    Monday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
pub enum TimeFormat {
    #[default]
    #[serde(rename = "12h")]
    H12,
    #[serde(rename = "24h")]
    H24,
}

use chrono::{Datelike, Duration, NaiveDate, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    pub first: NaiveDate,
}

impl Week {
    pub fn containing(date: NaiveDate, start: WeekStart) -> Week {
        let back = match start {
            WeekStart::Sunday => date.weekday().num_days_from_sunday(),
            WeekStart::Monday => date.weekday().num_days_from_monday(),
        };
        Week {
            first: date - Duration::days(back.into()),
        }
    }
    pub fn next(self) -> Week {
        Week {
            first: self.first + Duration::days(7),
        }
    }
    pub fn previous(self) -> Week {
        Week {
            first: self.first - Duration::days(7),
        }
    }
    pub fn last(self) -> NaiveDate {
        self.first + Duration::days(6)
    }
    pub fn unix_range<Tz: TimeZone>(&self, tz: &Tz) -> (i64, i64) {
        let start = tz
            .from_local_datetime(&self.first.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap();
        let end = tz
            .from_local_datetime(&self.last().and_hms_opt(23, 59, 59).unwrap())
            .latest()
            .unwrap();
        (start.timestamp(), end.timestamp())
    }
    pub fn glance_title(&self) -> String {
        format!("{} Week at a Glance", self.first)
    }
}
