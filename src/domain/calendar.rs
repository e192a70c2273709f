//! The dashboard's Calendar, as the Ilios web client computes it (FE `components/dashboard/
//! calendar.gjs`, `controllers/dashboard/calendar.js`, `ilios-calendar*.gjs`; the rules are
//! gathered in `shared/reference/ilios-dashboard.md` §4): which days a view shows, the range it
//! fetches, and which events it lists and how. Pure: `now` comes from the caller's clock.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::api::models::UserEvent;

use super::week::{TimeFormat, Week, WeekStart, format_time, start_of_day};

/// Day, week (Ilios's default) or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarView {
    Day,
    #[default]
    Week,
    Month,
}

impl std::str::FromStr for CalendarView {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(CalendarView::Day),
            "week" => Ok(CalendarView::Week),
            "month" => Ok(CalendarView::Month),
            other => Err(format!("{other:?} is not a view: use day, week or month")),
        }
    }
}

/// The days a view shows around `date`: first and last, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl CalendarView {
    /// The day, the week (after `week_start`) or the month that holds `date`.
    pub fn span(self, date: NaiveDate, week_start: WeekStart) -> Span {
        match self {
            CalendarView::Day => Span {
                first: date,
                last: date,
            },
            CalendarView::Week => {
                let week = Week::containing(date, week_start);
                Span {
                    first: week.first,
                    last: week.last(),
                }
            }
            CalendarView::Month => {
                let first = date.with_day(1).unwrap_or(date);
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(first);
                Span {
                    first,
                    last: next.pred_opt().unwrap_or(first),
                }
            }
        }
    }

    /// Back and Forward: one unit before or after.
    pub fn step(self, date: NaiveDate, forward: bool) -> NaiveDate {
        let moved = match (self, forward) {
            (CalendarView::Day, true) => date.checked_add_signed(Duration::days(1)),
            (CalendarView::Day, false) => date.checked_sub_signed(Duration::days(1)),
            (CalendarView::Week, true) => date.checked_add_signed(Duration::days(7)),
            (CalendarView::Week, false) => date.checked_sub_signed(Duration::days(7)),
            (CalendarView::Month, true) => date.checked_add_months(chrono::Months::new(1)),
            (CalendarView::Month, false) => date.checked_sub_months(chrono::Months::new(1)),
        };
        moved.unwrap_or(date)
    }
}

impl Span {
    /// `from`/`to` of the request, unix seconds: the web client asks for one day more on each
    /// side (the first day's start −1 day to the last day's end +1 day, local time), so events
    /// that cross midnight at either edge arrive.
    pub fn fetch_range<Tz: TimeZone>(&self, tz: &Tz) -> (i64, i64) {
        let before = self.first.pred_opt().unwrap_or(self.first);
        let after_next = self
            .last
            .succ_opt()
            .and_then(|d| d.succ_opt())
            .unwrap_or(self.last);
        (start_of_day(before, tz), start_of_day(after_next, tz) - 1)
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let (first, last) = (self.first, self.last);
        first.iter_days().take_while(move |d| *d <= last)
    }

    /// Whether `e` is on one of the span's days (the fetch range has a day more each side).
    pub fn holds(&self, e: &CalendarEvent) -> bool {
        e.start.date() <= self.last && e.end.date() >= self.first
    }
}

/// The title of a view: `Week of February 14-20, 2027`, `Wednesday, February 17, 2027`,
/// `February 2027`.
pub fn title(view: CalendarView, span: Span) -> String {
    match view {
        CalendarView::Day => span.first.format("%A, %B %-d, %Y").to_string(),
        CalendarView::Month => span.first.format("%B %Y").to_string(),
        CalendarView::Week => {
            let week = Week { first: span.first };
            format!("Week of {}, {}", week.title(), span.last.format("%Y"))
        }
    }
}

/// One event as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarEvent {
    /// The session's name, or `{name}, Multiple` for identical events merged.
    pub name: String,
    pub course_title: Option<String>,
    pub session_type: Option<String>,
    /// Local time, after pinning a late ILM.
    #[serde(skip)]
    pub start: NaiveDateTime,
    #[serde(skip)]
    pub end: NaiveDateTime,
    /// The same moments in RFC 3339 with the local offset, for `--json`.
    #[serde(rename = "start")]
    pub start_at: String,
    #[serde(rename = "end")]
    pub end_at: String,
    pub location: Option<String>,
    pub ilm: bool,
    pub published: bool,
    /// Published as TBD ("Scheduled").
    pub scheduled: bool,
    /// Has pre-work (prerequisites).
    pub prework: bool,
    /// Starts and ends on different local days: listed under "Multiday Events", not in the grid.
    pub multiday: bool,
    /// Changed less than six days ago ("new updates").
    #[serde(skip)]
    pub recently_updated: bool,
    /// Identical events merged into this one (`{name}, Multiple`): in the week view Ilios opens
    /// the day instead of one of them (FE `weekly-calendar.gjs` `selectEvent`).
    #[serde(skip)]
    pub merged: bool,
    /// Where it came from in the events given to [`calendar_events`] (the first, if merged).
    #[serde(skip)]
    pub source: usize,
}

/// `t` (local in `tz`) in RFC 3339 with its offset; a time in a DST gap reads as UTC.
fn rfc3339_in<Tz: TimeZone>(t: NaiveDateTime, tz: &Tz) -> String {
    tz.from_local_datetime(&t)
        .earliest()
        .map(|d| d.fixed_offset().to_rfc3339())
        .unwrap_or_else(|| t.and_utc().to_rfc3339())
}

impl CalendarEvent {
    /// The time of a grid event: `08:10 AM – 09:00 AM`, or for an ILM `ILM - Due: 05:00 PM`.
    pub fn when(&self, tf: TimeFormat) -> String {
        if self.ilm {
            format!("ILM - Due: {}", format_time(&self.start, tf))
        } else {
            format!(
                "{} – {}",
                format_time(&self.start, tf),
                format_time(&self.end, tf)
            )
        }
    }

    /// The time of a multi-day event: `MM/DD/YY, hh:mm AM – MM/DD/YY, hh:mm AM` (calendar.gjs).
    pub fn multiday_when(&self, tf: TimeFormat) -> String {
        let at = |t: &NaiveDateTime| format!("{}, {}", t.format("%m/%d/%y"), format_time(t, tf));
        format!("{} – {}", at(&self.start), at(&self.end))
    }

    /// The marks the web client draws before the time, as words.
    pub fn marks(&self) -> Vec<&'static str> {
        let mut marks = Vec::new();
        if self.recently_updated {
            marks.push("new updates");
        }
        if self.prework {
            marks.push("Has pre-work");
        }
        if !self.published {
            marks.push("Not Published");
        } else if self.scheduled {
            marks.push("Scheduled");
        }
        marks
    }
}

/// ILMs due this late are drawn from 23:45 to 23:59 (a due time has no length).
const LATE_ILM: NaiveTime = match NaiveTime::from_hms_opt(23, 45, 0) {
    Some(t) => t,
    None => panic!(),
};

/// The events a view lists, after the web client's rules:
/// - an ILM that is pre-work for another event (it has postrequisites) is left out;
/// - an ILM due at 23:45 or later is pinned to 23:45–23:59 of its day;
/// - an event whose local start and end days differ is `multiday`;
/// - in week and month views, events with the same start, end and name merge into one named
///   `{name}, Multiple`;
/// - sorted by start, then end, then name (`localeCompare`, as `services/user-events.js`).
pub fn calendar_events<Tz: TimeZone>(
    events: &[UserEvent],
    view: CalendarView,
    tz: &Tz,
    now: DateTime<Utc>,
) -> Vec<CalendarEvent> {
    let mut shown: Vec<CalendarEvent> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.is_ilm() || e.postrequisites.is_empty())
        .map(|(i, e)| calendar_event(i, e, tz, now))
        .collect();
    shown.sort_by(|a, b| {
        (a.start, a.end)
            .cmp(&(b.start, b.end))
            .then_with(|| super::collate::compare(&a.name, &b.name))
    });
    if view != CalendarView::Day {
        shown = merge_identical(shown);
    }
    shown
}

fn calendar_event<Tz: TimeZone>(
    source: usize,
    e: &UserEvent,
    tz: &Tz,
    now: DateTime<Utc>,
) -> CalendarEvent {
    let mut start = e.start_date.with_timezone(tz).naive_local();
    let mut end = e.end_date.with_timezone(tz).naive_local();
    if e.is_ilm() && start.time() >= LATE_ILM {
        let day = start.date();
        start = day.and_time(LATE_ILM);
        end = day.and_hms_opt(23, 59, 0).unwrap_or(start);
    }
    let non_empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    CalendarEvent {
        name: e.name.clone(),
        course_title: non_empty(&e.course_title),
        session_type: non_empty(&e.session_type_title),
        start,
        end,
        start_at: rfc3339_in(start, tz),
        end_at: rfc3339_in(end, tz),
        location: non_empty(&e.location),
        ilm: e.is_ilm(),
        published: e.is_published,
        scheduled: e.is_scheduled,
        prework: !e.prerequisites.is_empty(),
        multiday: start.date() != end.date(),
        recently_updated: e
            .last_modified
            .is_some_and(|m| now.signed_duration_since(m.with_timezone(&Utc)) < Duration::days(6)),
        merged: false,
        source,
    }
}

/// Events with the same start, end and name become one, `{name}, Multiple` (sorted input).
fn merge_identical(events: Vec<CalendarEvent>) -> Vec<CalendarEvent> {
    let mut out: Vec<CalendarEvent> = Vec::with_capacity(events.len());
    let mut merged_into_last = false;
    for e in events {
        match out.last_mut() {
            Some(last)
                if last.start == e.start
                    && last.end == e.end
                    && (last.name == e.name
                        || (merged_into_last && last.name == format!("{}, Multiple", e.name))) =>
            {
                if !merged_into_last {
                    last.name = format!("{}, Multiple", last.name);
                    last.merged = true;
                    merged_into_last = true;
                }
                last.prework |= e.prework;
                last.recently_updated |= e.recently_updated;
            }
            _ => {
                out.push(e);
                merged_into_last = false;
            }
        }
    }
    out
}

/// The hour a day or week grid opens at, as the web client scrolls it (FE
/// `weekly-calendar.gjs`, `daily-calendar.gjs` `scrollView`): the earliest hour an event of the
/// grid starts, when that is after 2 AM; else 6 AM.
pub fn opening_hour<'a>(grid_events: impl IntoIterator<Item = &'a CalendarEvent>) -> u32 {
    use chrono::Timelike;
    let earliest = grid_events
        .into_iter()
        .filter(|e| !e.multiday)
        .map(|e| e.start.hour())
        .min()
        .unwrap_or(24);
    if (3..24).contains(&earliest) {
        earliest
    } else {
        6
    }
}

/// The events of one day of the grid (multi-day events are listed apart).
pub fn events_on(events: &[CalendarEvent], day: NaiveDate) -> impl Iterator<Item = &CalendarEvent> {
    events
        .iter()
        .filter(move |e| !e.multiday && e.start.date() == day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Zone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn zone(name: &str) -> Zone {
        name.parse().unwrap()
    }

    fn event(name: &str, start: &str, end: &str) -> UserEvent {
        serde_json::from_value(serde_json::json!({
            "name": name,
            "startDate": start,
            "endDate": end,
            "offering": 1,
            "isPublished": true,
        }))
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2027-02-17T18:00:00Z".parse().unwrap()
    }

    /// `controllers/dashboard/calendar.js`: week view by default, the week after the locale's
    /// first day; day and month views their own unit.
    #[test]
    fn spans_of_the_three_views() {
        let date = d(2027, 2, 17);
        assert_eq!(
            CalendarView::Week.span(date, WeekStart::Sunday),
            Span {
                first: d(2027, 2, 14),
                last: d(2027, 2, 20)
            }
        );
        assert_eq!(
            CalendarView::Month.span(d(2028, 2, 10), WeekStart::Sunday),
            Span {
                first: d(2028, 2, 1),
                last: d(2028, 2, 29)
            }
        );
        assert_eq!(
            CalendarView::Month
                .span(d(2027, 12, 31), WeekStart::Monday)
                .last,
            d(2027, 12, 31)
        );
        assert_eq!(CalendarView::Day.span(date, WeekStart::Monday).first, date);
        assert_eq!(
            CalendarView::Month.step(d(2027, 1, 31), true),
            d(2027, 2, 28)
        );
        assert_eq!(
            CalendarView::Week.step(d(2027, 1, 2), false),
            d(2026, 12, 26)
        );
        assert_eq!(
            CalendarView::Day.step(d(2027, 1, 1), false),
            d(2026, 12, 31)
        );
    }

    /// "Week view uses the week's first day −1 day to the last day +1 day; day and month views
    /// use startOf −1 day to endOf +1 day" (`calendar.gjs`), in local time; across the spring
    /// change the range still starts and ends at local midnight.
    #[test]
    fn the_fetch_range_has_a_day_more_on_each_side() {
        let la = zone("America/Los_Angeles");
        let span = CalendarView::Week.span(d(2027, 3, 14), WeekStart::Sunday);
        let (from, to) = span.fetch_range(&la);
        let from = DateTime::from_timestamp(from, 0)
            .unwrap()
            .with_timezone(&la);
        let to = DateTime::from_timestamp(to, 0).unwrap().with_timezone(&la);
        assert_eq!(
            from.naive_local(),
            d(2027, 3, 13).and_hms_opt(0, 0, 0).unwrap()
        );
        assert_eq!(
            to.naive_local(),
            d(2027, 3, 21).and_hms_opt(23, 59, 59).unwrap()
        );
        let month = CalendarView::Month.span(d(2027, 2, 1), WeekStart::Sunday);
        let (from, _) = month.fetch_range(&Utc);
        assert_eq!(
            DateTime::from_timestamp(from, 0).unwrap().date_naive(),
            d(2027, 1, 31)
        );
    }

    /// "All views drop ILM pre-work: an ILM with postrequisites"; an offering with
    /// postrequisites stays.
    #[test]
    fn ilm_prework_is_left_out() {
        let mut prework = event(
            "Pre-lab video: Thorax",
            "2027-02-16T10:00:00-08:00",
            "2027-02-16T10:00:00-08:00",
        );
        prework.ilm_session = Some(7);
        prework.offering = None;
        prework.postrequisites = vec![event(
            "Lab",
            "2027-02-17T09:00:00-08:00",
            "2027-02-17T11:00:00-08:00",
        )];
        let mut offering_with_post = event(
            "Lecture",
            "2027-02-16T08:00:00-08:00",
            "2027-02-16T09:00:00-08:00",
        );
        offering_with_post.postrequisites = prework.postrequisites.clone();
        let mut lab = event(
            "Lab",
            "2027-02-17T09:00:00-08:00",
            "2027-02-17T11:00:00-08:00",
        );
        lab.prerequisites = vec![prework.clone()];
        let la = zone("America/Los_Angeles");
        let shown = calendar_events(
            &[prework, offering_with_post, lab],
            CalendarView::Week,
            &la,
            now(),
        );
        let names: Vec<&str> = shown.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Lecture", "Lab"]);
        assert!(shown[1].prework, "the lab has pre-work");
        assert_eq!(shown[1].marks(), ["Has pre-work"]);
    }

    /// "ILMs due at 23:45 or later are pinned to 23:45–23:59"; an ILM due earlier keeps its time,
    /// and a pinned ILM never becomes a multi-day event.
    #[test]
    fn late_ilms_are_pinned() {
        let la = zone("America/Los_Angeles");
        let mut late = event(
            "Reflection",
            "2027-02-17T23:50:00-08:00",
            "2027-02-18T00:05:00-08:00",
        );
        late.ilm_session = Some(1);
        let mut early = event(
            "Quiz",
            "2027-02-17T17:00:00-08:00",
            "2027-02-17T17:00:00-08:00",
        );
        early.ilm_session = Some(2);
        let shown = calendar_events(&[late, early], CalendarView::Week, &la, now());
        assert_eq!(shown[0].name, "Quiz");
        assert_eq!(
            shown[0].start.time(),
            NaiveTime::from_hms_opt(17, 0, 0).unwrap()
        );
        assert_eq!(shown[1].start.time(), LATE_ILM);
        assert_eq!(
            shown[1].end.time(),
            NaiveTime::from_hms_opt(23, 59, 0).unwrap()
        );
        assert!(!shown[1].multiday);
    }

    /// "Events whose calendar start and end fall on different local days are not drawn in the
    /// grid" — in the viewer's zone: 22:00–02:00 UTC is one day in Sydney, two in Los Angeles.
    #[test]
    fn multiday_is_decided_in_local_time() {
        let e = event(
            "Night shift",
            "2027-02-17T22:00:00Z",
            "2027-02-18T02:00:00Z",
        );
        let la = calendar_events(
            std::slice::from_ref(&e),
            CalendarView::Week,
            &zone("America/Los_Angeles"),
            now(),
        );
        assert!(!la[0].multiday, "14:00–18:00 in Los Angeles");
        let utc = calendar_events(std::slice::from_ref(&e), CalendarView::Week, &Utc, now());
        assert!(utc[0].multiday);
        assert_eq!(events_on(&utc, d(2027, 2, 17)).count(), 0);
    }

    /// "In week and month views, events with the same start, end and name merge into
    /// '{name}, Multiple'"; the day view keeps them apart, and a different name or end stays.
    #[test]
    fn identical_events_merge_in_week_and_month() {
        let a = event(
            "Small group",
            "2027-02-17T09:00:00Z",
            "2027-02-17T10:00:00Z",
        );
        let other_end = event(
            "Small group",
            "2027-02-17T09:00:00Z",
            "2027-02-17T11:00:00Z",
        );
        let other_name = event("Lecture", "2027-02-17T09:00:00Z", "2027-02-17T10:00:00Z");
        let all = [a.clone(), a.clone(), a, other_end, other_name];
        let week = calendar_events(&all, CalendarView::Week, &Utc, now());
        let names: Vec<&str> = week.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Lecture", "Small group, Multiple", "Small group"]);
        let merged: Vec<bool> = week.iter().map(|e| e.merged).collect();
        assert_eq!(merged, [false, true, false]);
        let month = calendar_events(&all, CalendarView::Month, &Utc, now());
        assert_eq!(month.len(), 3);
        let day = calendar_events(&all, CalendarView::Day, &Utc, now());
        assert_eq!(day.len(), 5);
    }

    /// The marks: "new updates" (changed under 6 days ago), "Not Published", else "Scheduled"
    /// for TBD.
    #[test]
    fn marks_read_without_icons() {
        let mut e = event("Seminar", "2027-02-17T09:00:00Z", "2027-02-17T10:00:00Z");
        e.last_modified = Some("2027-02-12T18:00:01Z".parse().unwrap());
        e.is_scheduled = true;
        let shown = calendar_events(&[e.clone()], CalendarView::Week, &Utc, now());
        assert_eq!(shown[0].marks(), ["new updates", "Scheduled"]);
        e.last_modified = Some("2027-02-11T18:00:00Z".parse().unwrap());
        e.is_published = false;
        let shown = calendar_events(&[e], CalendarView::Week, &Utc, now());
        assert_eq!(shown[0].marks(), ["Not Published"]);
    }

    /// The grid opens at the earliest start hour when it is after 2 AM, else at 6 AM (FE
    /// `weekly-calendar.gjs` `scrollView`: `earliestHour < 24 && earliestHour > 2`); multi-day
    /// events are not in the grid and do not count.
    #[test]
    fn the_grid_opens_at_the_earliest_hour_after_two_else_six() {
        let at = |start: &str, end: &str| {
            calendar_events(&[event("E", start, end)], CalendarView::Week, &Utc, now())
        };
        let nine = at("2027-02-17T09:40:00Z", "2027-02-17T10:00:00Z");
        let one = at("2027-02-17T01:00:00Z", "2027-02-17T02:00:00Z");
        let three = at("2027-02-17T03:00:00Z", "2027-02-17T04:00:00Z");
        let long = at("2027-02-16T05:00:00Z", "2027-02-18T04:00:00Z");
        assert_eq!(opening_hour(&nine), 9);
        assert_eq!(opening_hour(&three), 3);
        assert_eq!(opening_hour(&one), 6, "2 AM or earlier opens at 6");
        assert_eq!(opening_hour(&[]), 6, "no events");
        assert_eq!(opening_hour(long.iter().chain(&nine)), 9);
        assert_eq!(opening_hour(&long), 6);
    }
}
