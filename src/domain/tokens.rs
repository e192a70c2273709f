//! API tokens: the expiry date range, the `ttl` sent to `GET /auth/token`, the keyboard calendar
//! state, and a secret string that wipes itself. Pure: the caller passes `now` and the zone.
//!
//! Rules (Ilios frontend `my-profile.gjs`, backend `JsonWebTokenManager::refreshToken`):
//! - a token expires at 23:59:59 local time of the chosen date;
//! - the date may be today … today + 90 days, default today + 14 days;
//! - the server also refuses any expiry after the session's `firstCreatedAt` + 90 days
//!   (`firstCreatedAt` is read as Unix seconds, so the ceiling is exactly 90 × 86 400 s later);
//! - `ttl` = expiry − now, floored to whole seconds, as an ISO-8601 duration in days, hours,
//!   minutes and seconds with zero parts left out (what Luxon's `Duration#toISO()` gives).

use chrono::{
    DateTime, Datelike, Days, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};

/// The longest a token may live, and the furthest date the calendar offers.
pub const MAX_DAYS: u64 = 90;
/// The date the form starts on: two weeks from today.
pub const DEFAULT_DAYS: u64 = 14;

/// The moment a token chosen for `date` stops working: 23:59:59 local time that day.
///
/// DST-safe: if 23:59:59 happens twice the earlier one is used (the shorter ttl, never past a
/// ceiling); if it falls in a gap, the last existing minute before it is used.
pub fn expiry_moment<Tz: TimeZone>(tz: &Tz, date: NaiveDate) -> Option<DateTime<Tz>> {
    let end = date.and_time(NaiveTime::from_hms_opt(23, 59, 59)?);
    // A DST gap lasts at most a few hours; step back a minute at a time until a time exists.
    (0..=24 * 60).find_map(|back| {
        tz.from_local_datetime(&(end - Duration::minutes(back)))
            .earliest()
    })
}

/// Whole seconds from `now` until the token chosen for `expiry_date` expires; `None` unless that
/// is at least one second in the future.
pub fn ttl_seconds<Tz: TimeZone>(now: &DateTime<Tz>, expiry_date: NaiveDate) -> Option<i64> {
    let expiry = expiry_moment(&now.timezone(), expiry_date)?;
    // Rounded up: the server adds the ttl to its own whole-second clock, so a fraction dropped
    // here would make a token chosen for 23:59:59 expire at 23:59:58.
    let left = expiry.signed_duration_since(now.clone());
    let secs = left.num_seconds() + i64::from(left.subsec_nanos() > 0);
    (secs > 0).then_some(secs)
}

/// Checks a `--ttl` before it is sent: an ISO-8601 duration as Ilios (PHP's `DateInterval`)
/// reads it, `P[nY][nM][nW][nD][T[nH][nM][nS]]` with whole numbers and at least one part.
pub fn check_ttl(spec: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "{:?} is not an ISO-8601 duration like P14D, PT8H or P1DT12H (whole numbers, \
             units Y M W D, then T and H M S)",
            crate::text::shorten(spec, 40)
        )
    };
    let rest = spec.strip_prefix('P').ok_or_else(bad)?;
    let (date, time) = match rest.split_once('T') {
        Some((_, "")) => return Err(bad()),
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut parts = 0;
    let mut units = |s: &str, order: &[char]| -> Result<(), String> {
        let mut digits = 0;
        let mut next = 0;
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits += 1;
                continue;
            }
            let at = order[next..].iter().position(|u| *u == c).ok_or_else(bad)?;
            if digits == 0 || digits > 9 {
                return Err(bad());
            }
            (digits, next, parts) = (0, next + at + 1, parts + 1);
        }
        if digits > 0 { Err(bad()) } else { Ok(()) }
    };
    units(date, &['Y', 'M', 'W', 'D'])?;
    if let Some(t) = time {
        units(t, &['H', 'M', 'S'])?;
    }
    if parts == 0 { Err(bad()) } else { Ok(()) }
}

/// The `ttl` query value for `GET /auth/token`, e.g. `P14DT48M35S`; `None` when the expiry of
/// `expiry_date` is not in the future.
pub fn ttl_until<Tz: TimeZone>(now: &DateTime<Tz>, expiry_date: NaiveDate) -> Option<String> {
    ttl_seconds(now, expiry_date).map(iso_duration)
}

/// An ISO-8601 duration in days, hours, minutes and seconds with zero parts left out, as Luxon's
/// `toISO()` writes it: `P14DT48M35S`, `P1D`, `PT1S`; zero (or a negative input) is `PT0S`.
/// A day is 86 400 seconds, which is how the server (PHP `DateInterval` added in UTC) reads it.
pub fn iso_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (days, hours, minutes, secs) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    let mut out = String::from("P");
    if days != 0 {
        out.push_str(&format!("{days}D"));
    }
    if hours != 0 || minutes != 0 || secs != 0 {
        out.push('T');
    }
    if hours != 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes != 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if secs != 0 {
        out.push_str(&format!("{secs}S"));
    }
    if out == "P" {
        out.push_str("T0S");
    }
    out
}

/// The date the form starts on: today + 14 days (before clamping into the allowed range).
pub fn default_expiry(today: NaiveDate) -> NaiveDate {
    today + Days::new(DEFAULT_DAYS)
}

/// The dates a token may be set to expire on, `(first, last)` inclusive: today … today + 90 days,
/// cut to the last date whose 23:59:59 local is no later than `first_created_at` + 90 days.
///
/// `None` when no date is allowed: the session is so old that even a token ending tonight would
/// outlive it (the server would answer 400). Logging in again starts a new 90-day chain.
pub fn allowed_range<Tz: TimeZone>(
    today: NaiveDate,
    first_created_at: Option<DateTime<Utc>>,
    tz: &Tz,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut last = today + Days::new(MAX_DAYS);
    if let Some(first) = first_created_at {
        let ceiling = first + Duration::days(MAX_DAYS as i64);
        let mut date = ceiling.with_timezone(tz).date_naive();
        if expiry_moment(tz, date).is_none_or(|end| end.with_timezone(&Utc) > ceiling) {
            date = date.pred_opt()?;
        }
        last = last.min(date);
    }
    (last >= today).then_some((today, last))
}

/// A key the calendar understands (the UI maps h/j/k/l, arrows, PgUp/PgDn, `[`/`]`, Home/End, t).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarKey {
    /// One day back.
    Left,
    /// One day on.
    Right,
    /// One week back.
    Up,
    /// One week on.
    Down,
    /// Same day of the previous month (the month's last day if it is shorter).
    PrevMonth,
    /// Same day of the next month (the month's last day if it is shorter).
    NextMonth,
    /// The first allowed date.
    First,
    /// The last allowed date.
    Last,
    /// Back to the default (today + 14 days, clamped).
    Default,
}

/// The keyboard calendar's state. Invariant: `min <= selected <= max`, and `month_shown` is the
/// first day of the month of `selected`.
///
/// Clamping rule: a move that would leave the range lands on the nearest edge (Up from three days
/// after `min` lands on `min`; PgDn in the last month lands on `max`); at the edge it does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarState {
    pub selected: NaiveDate,
    pub today: NaiveDate,
    pub min: NaiveDate,
    pub max: NaiveDate,
    /// The first column of the grid: `Weekday::Sun` (en-US, Ilios's default) or `Weekday::Mon`.
    pub week_start: Weekday,
    /// The first day of the month on screen.
    pub month_shown: NaiveDate,
}

impl CalendarState {
    /// A calendar on `[min, max]` (swapped if given the wrong way round), starting on the default
    /// date clamped into the range.
    pub fn new(today: NaiveDate, min: NaiveDate, max: NaiveDate, week_start: Weekday) -> Self {
        let (min, max) = if min <= max { (min, max) } else { (max, min) };
        let mut state = CalendarState {
            selected: min,
            today,
            min,
            max,
            week_start,
            month_shown: first_of_month(min),
        };
        state.select(default_expiry(today));
        state
    }

    /// The token form's calendar for a session: the allowed range from [`allowed_range`];
    /// `None` when no date is allowed.
    pub fn for_token<Tz: TimeZone>(
        now: &DateTime<Tz>,
        first_created_at: Option<DateTime<Utc>>,
        week_start: Weekday,
    ) -> Option<Self> {
        let today = now.date_naive();
        let (min, max) = allowed_range(today, first_created_at, &now.timezone())?;
        Some(Self::new(today, min, max, week_start))
    }

    /// Select `date`, clamped into the range.
    pub fn select(&mut self, date: NaiveDate) {
        self.selected = date.clamp(self.min, self.max);
        self.month_shown = first_of_month(self.selected);
    }

    pub fn in_range(&self, date: NaiveDate) -> bool {
        (self.min..=self.max).contains(&date)
    }

    /// Apply one key; the result is always inside the range.
    pub fn apply(&mut self, key: CalendarKey) {
        let s = self.selected;
        let target = match key {
            CalendarKey::Left => s.checked_sub_days(Days::new(1)),
            CalendarKey::Right => s.checked_add_days(Days::new(1)),
            CalendarKey::Up => s.checked_sub_days(Days::new(7)),
            CalendarKey::Down => s.checked_add_days(Days::new(7)),
            // chrono's month arithmetic clamps the day to the target month's length.
            CalendarKey::PrevMonth => s.checked_sub_months(Months::new(1)),
            CalendarKey::NextMonth => s.checked_add_months(Months::new(1)),
            CalendarKey::First => Some(self.min),
            CalendarKey::Last => Some(self.max),
            CalendarKey::Default => Some(default_expiry(self.today)),
        };
        let fallback = match key {
            CalendarKey::Left | CalendarKey::Up | CalendarKey::PrevMonth => self.min,
            _ => self.max,
        };
        self.select(target.unwrap_or(fallback));
    }

    /// The six-by-seven grid of the month shown, starting on `week_start`; rows are weeks.
    /// Dates of the neighbouring months fill the first and last rows.
    pub fn grid(&self) -> [[NaiveDate; 7]; 6] {
        let first = self.month_shown;
        let lead = first.weekday().days_since(self.week_start) as u64;
        let start = first - Days::new(lead);
        std::array::from_fn(|row| {
            std::array::from_fn(|col| start + Days::new((row * 7 + col) as u64))
        })
    }

    /// How many grid rows hold a day of the month shown (4 to 6).
    pub fn weeks_shown(&self) -> usize {
        let grid = self.grid();
        grid.iter()
            .filter(|week| week.iter().any(|d| d.month() == self.month_shown.month()))
            .count()
    }
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The expiry as shown in the New Token panel, e.g. `Saturday, December 12, 2026 at 23:59:59`.
pub fn describe_expiry(date: NaiveDate) -> String {
    format!("{} at 23:59:59", date.format("%A, %B %-d, %Y"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttls_are_checked_as_ilios_reads_them() {
        for good in [
            "P14D",
            "PT8H",
            "P2W",
            "P1DT12H",
            "P1Y2M3W4DT5H6M7S",
            "PT1S",
            "P90D",
        ] {
            assert_eq!(check_ttl(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "bogus",
            "14d",
            "P",
            "PT",
            "P14",
            "p14d",
            "PT8h",
            "P1.5D",
            "P1DT",
            "PT5S3H",
            "P1D2Y",
            "8H",
            "P-1D",
            "P1H",
            "P1234567890D",
        ] {
            assert!(check_ttl(bad).is_err(), "{bad}");
        }
        assert!(check_ttl("bogus").unwrap_err().contains("P14D"));
    }

    #[test]
    fn a_ttl_is_rounded_up_to_end_on_the_chosen_second() {
        use chrono_tz::America::Los_Angeles;
        let now = Los_Angeles.with_ymd_and_hms(2027, 2, 17, 10, 0, 0).unwrap()
            + Duration::milliseconds(700);
        let date = NaiveDate::from_ymd_opt(2027, 2, 17).unwrap();
        // 13:59:58.3 left: 13:59:59, so the server (at 10:00:00) ends it at 23:59:59, not :58.
        assert_eq!(ttl_seconds(&now, date), Some(14 * 3600 - 1));
    }
    use chrono::FixedOffset;
    use chrono_tz::America::Los_Angeles;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at<Tz: TimeZone>(tz: &Tz, date: NaiveDate, h: u32, m: u32, s: u32) -> DateTime<Tz> {
        tz.from_local_datetime(&date.and_hms_opt(h, m, s).unwrap())
            .single()
            .unwrap()
    }

    #[test]
    fn ttl_pinned_ilios_example_late_evening() {
        let tz = Los_Angeles;
        let today = d(2026, 11, 28);
        let now = at(&tz, today, 23, 11, 24);
        assert_eq!(
            ttl_until(&now, default_expiry(today)).as_deref(),
            Some("P14DT48M35S")
        );
    }

    #[test]
    fn ttl_pinned_ilios_example_early_morning() {
        let tz = FixedOffset::east_opt(2 * 3600).unwrap();
        let today = d(2026, 11, 28);
        let now = at(&tz, today, 1, 6, 24);
        assert_eq!(
            ttl_until(&now, default_expiry(today)).as_deref(),
            Some("P14DT22H53M35S")
        );
    }

    #[test]
    fn ttl_counts_from_the_whole_second() {
        let tz = Utc;
        let today = d(2026, 11, 28);
        // 48m 34.001s left at 23:11:24.999: the server adds the ttl to 23:11:24, so the ttl is
        // counted from there (the web client's frozen-clock tests give the same), and the token
        // ends at 23:59:59, not 23:59:58.
        let now = at(&tz, today, 23, 11, 24) + Duration::milliseconds(999);
        assert_eq!(
            ttl_until(&now, default_expiry(today)).as_deref(),
            Some("P14DT48M35S")
        );
    }

    #[test]
    fn ttl_today_and_past() {
        let tz = Utc;
        let today = d(2026, 11, 28);
        assert_eq!(
            ttl_until(&at(&tz, today, 23, 59, 58), today).as_deref(),
            Some("PT1S")
        );
        assert_eq!(ttl_until(&at(&tz, today, 23, 59, 59), today), None);
        assert_eq!(ttl_until(&at(&tz, today, 12, 0, 0), d(2026, 11, 27)), None);
        assert_eq!(
            ttl_until(&at(&tz, today, 0, 0, 0), today).as_deref(),
            Some("PT23H59M59S")
        );
    }

    #[test]
    fn ttl_counts_real_seconds_across_dst() {
        // Los Angeles falls back on 2026-11-01: that day has 25 hours.
        let tz = Los_Angeles;
        let now = at(&tz, d(2026, 10, 31), 23, 59, 59);
        assert_eq!(ttl_until(&now, d(2026, 11, 1)).as_deref(), Some("P1DT1H"));
    }

    #[test]
    fn iso_duration_omits_zero_parts() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(-5), "PT0S");
        assert_eq!(iso_duration(1), "PT1S");
        assert_eq!(iso_duration(60), "PT1M");
        assert_eq!(iso_duration(3600), "PT1H");
        assert_eq!(iso_duration(86_400), "P1D");
        assert_eq!(iso_duration(90 * 86_400), "P90D");
        assert_eq!(iso_duration(14 * 86_400 + 48 * 60 + 35), "P14DT48M35S");
        assert_eq!(iso_duration(86_400 + 1), "P1DT1S");
        assert_eq!(
            iso_duration(13 * 86_400 + 23 * 3600 + 59 * 60 + 59),
            "P13DT23H59M59S"
        );
    }

    #[test]
    fn range_without_session_limit_is_ninety_days() {
        let today = d(2026, 11, 28);
        assert_eq!(
            allowed_range(today, None, &Utc),
            Some((today, d(2027, 2, 26)))
        );
    }

    #[test]
    fn range_crosses_leap_day() {
        // 2028 is a leap year: 90 days from 2028-01-15 is 2028-04-14 (Feb has 29 days).
        let today = d(2028, 1, 15);
        assert_eq!(
            allowed_range(today, None, &Utc),
            Some((today, d(2028, 4, 14)))
        );
        let today = d(2027, 1, 15);
        assert_eq!(
            allowed_range(today, None, &Utc),
            Some((today, d(2027, 4, 15)))
        );
    }

    #[test]
    fn first_created_at_ceiling_cuts_the_range() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let today = d(2026, 11, 28);
        // Logged in 80 days ago at 12:00 UTC: the ceiling is 10 days from now at 12:00,
        // so the last whole day (ending 23:59:59) is the day before.
        let first = at(&Utc, today - Days::new(80), 12, 0, 0);
        assert_eq!(
            allowed_range(today, Some(first), &tz),
            Some((today, d(2026, 12, 7)))
        );
        // A ceiling exactly at 23:59:59 allows that day.
        let first = at(&Utc, today - Days::new(80), 23, 59, 59);
        assert_eq!(
            allowed_range(today, Some(first), &tz),
            Some((today, d(2026, 12, 8)))
        );
        // Even a login this morning cuts the 90th day: its 23:59:59 is after 08:00 + 90 days.
        let first = at(&Utc, today, 8, 0, 0);
        assert_eq!(
            allowed_range(today, Some(first), &tz),
            Some((today, d(2027, 2, 25)))
        );
    }

    #[test]
    fn ceiling_is_measured_in_the_local_zone() {
        // Ceiling 2026-12-08 03:00 UTC is 2026-12-07 19:00 in Los Angeles: the 6th is the last.
        let today = d(2026, 11, 28);
        let first = at(&Utc, d(2026, 9, 9), 3, 0, 0);
        assert_eq!(
            allowed_range(today, Some(first), &Los_Angeles),
            Some((today, d(2026, 12, 6)))
        );
    }

    #[test]
    fn ceiling_before_tonight_allows_nothing() {
        let today = d(2026, 11, 28);
        let first = at(&Utc, today - Days::new(90), 12, 0, 0);
        assert_eq!(allowed_range(today, Some(first), &Utc), None);
        let now = at(&Utc, today, 9, 0, 0);
        assert_eq!(
            CalendarState::for_token(&now, Some(first), Weekday::Sun),
            None
        );
    }

    fn cal(today: NaiveDate) -> CalendarState {
        let (min, max) = allowed_range(today, None, &Utc).unwrap();
        CalendarState::new(today, min, max, Weekday::Sun)
    }

    #[test]
    fn calendar_starts_on_default_clamped() {
        let today = d(2026, 11, 28);
        let c = cal(today);
        assert_eq!(c.selected, d(2026, 12, 12));
        assert_eq!(c.month_shown, d(2026, 12, 1));
        let short = CalendarState::new(today, today, d(2026, 12, 1), Weekday::Sun);
        assert_eq!(short.selected, d(2026, 12, 1));
    }

    #[test]
    fn calendar_moves() {
        let mut c = cal(d(2026, 11, 28));
        c.apply(CalendarKey::Right);
        assert_eq!(c.selected, d(2026, 12, 13));
        c.apply(CalendarKey::Up);
        assert_eq!(c.selected, d(2026, 12, 6));
        c.apply(CalendarKey::Down);
        c.apply(CalendarKey::Down);
        assert_eq!(c.selected, d(2026, 12, 20));
        c.apply(CalendarKey::Left);
        assert_eq!(c.selected, d(2026, 12, 19));
        c.apply(CalendarKey::NextMonth);
        assert_eq!(c.selected, d(2027, 1, 19));
        assert_eq!(c.month_shown, d(2027, 1, 1));
        c.apply(CalendarKey::PrevMonth);
        c.apply(CalendarKey::PrevMonth);
        assert_eq!(
            c.selected,
            d(2026, 11, 28),
            "clamped to today (Nov 19 is before it)"
        );
        c.apply(CalendarKey::Last);
        assert_eq!(c.selected, d(2027, 2, 26));
        c.apply(CalendarKey::Right);
        assert_eq!(c.selected, d(2027, 2, 26), "at the edge nothing moves");
        c.apply(CalendarKey::First);
        assert_eq!(c.selected, d(2026, 11, 28));
        c.apply(CalendarKey::Up);
        assert_eq!(c.selected, d(2026, 11, 28));
        c.apply(CalendarKey::Default);
        assert_eq!(c.selected, d(2026, 12, 12));
    }

    #[test]
    fn month_moves_clamp_to_month_end() {
        let today = d(2028, 1, 2);
        let mut c = cal(today);
        c.select(d(2028, 1, 31));
        c.apply(CalendarKey::NextMonth);
        assert_eq!(c.selected, d(2028, 2, 29), "leap day");
        c.apply(CalendarKey::NextMonth);
        assert_eq!(c.selected, d(2028, 3, 29));
        c.apply(CalendarKey::NextMonth);
        assert_eq!(c.selected, d(2028, 4, 1), "past max lands on max");
        let mut c = cal(d(2026, 12, 1));
        c.select(d(2027, 1, 31));
        c.apply(CalendarKey::NextMonth);
        assert_eq!(c.selected, d(2027, 2, 28));
    }

    #[test]
    fn week_moves_cross_month_ends() {
        let mut c = cal(d(2026, 11, 28));
        c.select(d(2026, 12, 29));
        c.apply(CalendarKey::Down);
        assert_eq!(c.selected, d(2027, 1, 5));
        assert_eq!(c.month_shown, d(2027, 1, 1));
        c.select(d(2027, 3, 1));
        assert_eq!(c.selected, d(2027, 2, 26), "select clamps too");
    }

    #[test]
    fn grid_starts_on_week_start() {
        let mut c = cal(d(2026, 11, 28));
        // December 2026 starts on a Tuesday.
        assert_eq!(c.grid()[0][0], d(2026, 11, 29));
        assert_eq!(c.grid()[0][2], d(2026, 12, 1));
        c.week_start = Weekday::Mon;
        assert_eq!(c.grid()[0][0], d(2026, 11, 30));
        assert_eq!(c.grid()[0][1], d(2026, 12, 1));
        assert_eq!(c.weeks_shown(), 5);
        // February 2026 starts on a Sunday and has exactly four Sunday-first weeks.
        let c = CalendarState::new(d(2026, 2, 1), d(2026, 2, 1), d(2026, 2, 28), Weekday::Sun);
        assert_eq!(c.grid()[0][0], d(2026, 2, 1));
        assert_eq!(c.weeks_shown(), 4);
    }

    #[test]
    fn describe_expiry_reads_like_a_sentence() {
        assert_eq!(
            describe_expiry(d(2026, 12, 12)),
            "Saturday, December 12, 2026 at 23:59:59"
        );
    }

    fn key() -> impl Strategy<Value = CalendarKey> {
        prop_oneof![
            Just(CalendarKey::Left),
            Just(CalendarKey::Right),
            Just(CalendarKey::Up),
            Just(CalendarKey::Down),
            Just(CalendarKey::PrevMonth),
            Just(CalendarKey::NextMonth),
            Just(CalendarKey::First),
            Just(CalendarKey::Last),
            Just(CalendarKey::Default),
        ]
    }

    proptest! {
        #[test]
        fn keys_never_leave_the_range(
            day_offset in 0u64..3000,
            span in 0u64..=90,
            monday in any::<bool>(),
            keys in proptest::collection::vec(key(), 0..200),
        ) {
            let today = d(2024, 1, 1) + Days::new(day_offset);
            let max = today + Days::new(span);
            let week_start = if monday { Weekday::Mon } else { Weekday::Sun };
            let mut c = CalendarState::new(today, today, max, week_start);
            prop_assert!(c.min <= c.selected && c.selected <= c.max);
            for k in keys {
                c.apply(k);
                prop_assert!(c.min <= c.selected && c.selected <= c.max, "{:?} after {:?}", c, k);
                prop_assert_eq!(c.month_shown, first_of_month(c.selected));
            }
        }
    }
}
