//! Week at a Glance, as Ilios computes it (`week-glance.gjs`, `week-glance-event.gjs`,
//! `week-glance/learning-material-list*.gjs`): the week, its title, which events are listed and
//! how, and what the Dashboard's side column shows. Pure: no I/O and no clock: every function that
//! needs the moment takes `now` (read from the one [`crate::clock::Clock`] by the caller).

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use serde::{Deserialize, Serialize};

use crate::api::models::{Id, UserEvent, UserMaterial};
use crate::domain::collate;

/// First day of the week: Sunday as Ilios in en-us, Monday as in its other locales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    #[default]
    Sunday,
    Monday,
}

/// Clock style: `08:10 AM` (Ilios en-us) or `08:10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeFormat {
    #[default]
    #[serde(rename = "12h")]
    H12,
    #[serde(rename = "24h")]
    H24,
}

/// Seven local calendar days starting at `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    pub first: NaiveDate,
}

impl Week {
    /// The week that contains `date`.
    pub fn containing(date: NaiveDate, start: WeekStart) -> Week {
        let back = match start {
            WeekStart::Sunday => date.weekday().num_days_from_sunday(),
            WeekStart::Monday => date.weekday().num_days_from_monday(),
        };
        Week {
            first: date - Duration::days(i64::from(back)),
        }
    }

    pub fn last(&self) -> NaiveDate {
        self.first + Duration::days(6)
    }

    pub fn next(&self) -> Week {
        Week {
            first: self.first + Duration::days(7),
        }
    }

    pub fn previous(&self) -> Week {
        Week {
            first: self.first - Duration::days(7),
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last()
    }

    /// The seven dates, first to last.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let first = self.first;
        (0..7).map(move |i| first + Duration::days(i))
    }

    /// `from` and `to` for `GET /userevents`: the first day 00:00:00 local to the last day
    /// 23:59:59 local, in unix seconds. Computed as "the start of the next week minus one second",
    /// so a DST change on either end (even one at midnight) cannot shift or drop a second.
    pub fn unix_range<Tz: TimeZone>(&self, tz: &Tz) -> (i64, i64) {
        let from = start_of_day(self.first, tz);
        let to = start_of_day(self.next().first, tz) - 1;
        (from, to)
    }

    /// `March 10-16`, or `December 31 - January 6` across months (Ilios `title`).
    pub fn title(&self) -> String {
        let (a, b) = (self.first, self.last());
        if a.year() == b.year() && a.month() == b.month() {
            format!("{} {}-{}", a.format("%B"), a.day(), b.day())
        } else {
            format!(
                "{} {} - {} {}",
                a.format("%B"),
                a.day(),
                b.format("%B"),
                b.day()
            )
        }
    }

    /// `March 10-16 Week at a Glance`.
    pub fn glance_title(&self) -> String {
        format!("{} Week at a Glance", self.title())
    }
}

/// Unix seconds of the first instant of `date` in `tz` (00:00, or the end of a DST gap that
/// swallows midnight).
pub fn start_of_day<Tz: TimeZone>(date: NaiveDate, tz: &Tz) -> i64 {
    let midnight = date.and_time(NaiveTime::MIN);
    for minutes in (0..=24 * 60).step_by(15) {
        let candidate = midnight + Duration::minutes(minutes);
        if let Some(dt) = tz.from_local_datetime(&candidate).earliest() {
            return dt.timestamp();
        }
    }
    // No zone has a gap of a whole day; fall back to reading the naive time as UTC.
    midnight.and_utc().timestamp()
}

/// Luxon's `toHuman({showZeros: false})` of the span in days, hours and minutes:
/// `1 day, 12 hours`, `1 hour, 30 minutes`, `15 minutes`. A zero (or negative) span is
/// `0 minutes` (Luxon would print nothing). Seconds are dropped.
pub fn human_duration<A: TimeZone, B: TimeZone>(start: &DateTime<A>, end: &DateTime<B>) -> String {
    human_seconds(end.timestamp() - start.timestamp())
}

/// The glance's `(Duration: ...)` as Ilios computes it: Luxon's `end.diff(start, ['days',
/// 'hours', 'minutes'])` in the local zone (`week-glance-event.gjs` `eventDuration`). Days are
/// calendar days in `tz` (start plus n days at the same wall-clock time, not n × 24 hours), so
/// Saturday 09:00 to Sunday 09:00 across the spring change is `1 day`, not `23 hours`; the rest
/// is elapsed hours and minutes.
pub fn human_duration_in<Tz: TimeZone>(
    start: &DateTime<impl TimeZone>,
    end: &DateTime<impl TimeZone>,
    tz: &Tz,
) -> String {
    let (start, end) = (start.with_timezone(tz), end.with_timezone(tz));
    if end <= start {
        return human_seconds(0);
    }
    // Luxon: the difference of the local dates, less one while start + days passes the end.
    let mut days = (end.date_naive() - start.date_naive()).num_days();
    let mut cursor = plus_local_days(&start, days, tz);
    while days > 0 && cursor > end {
        days -= 1;
        cursor = plus_local_days(&start, days, tz);
    }
    // Elapsed, and possibly 24 hours or more (a 25-hour fall-back day ending before 09:00).
    let rest = (end.timestamp() - cursor.timestamp()).max(0);
    let parts: Vec<String> = [
        (days, "day"),
        (rest / 3_600, "hour"),
        (rest % 3_600 / 60, "minute"),
    ]
    .into_iter()
    .filter(|(n, _)| *n != 0)
    .map(|(n, unit)| plural(n, unit))
    .collect();
    if parts.is_empty() {
        human_seconds(0)
    } else {
        parts.join(", ")
    }
}

/// `start` moved `days` calendar days on in `tz`, at the same wall-clock time (the later
/// reading of a repeated hour is not chosen; a time skipped by a change moves on by an hour, as
/// Luxon does).
fn plus_local_days<Tz: TimeZone>(start: &DateTime<Tz>, days: i64, tz: &Tz) -> DateTime<Tz> {
    let wall = start.naive_local() + Duration::days(days);
    tz.from_local_datetime(&wall)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(wall + Duration::hours(1)))
                .earliest()
        })
        .unwrap_or_else(|| start.clone() + Duration::days(days))
}

fn plural(n: i64, unit: &str) -> String {
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// [`human_duration`] of a number of seconds.
pub fn human_seconds(seconds: i64) -> String {
    let secs = seconds.max(0);
    let days = secs / 86_400;
    let hours = secs % 86_400 / 3_600;
    let minutes = secs % 3_600 / 60;
    let parts: Vec<String> = [(days, "day"), (hours, "hour"), (minutes, "minute")]
        .into_iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if n == 1 { "" } else { "s" }))
        .collect();
    if parts.is_empty() {
        "0 minutes".to_string()
    } else {
        parts.join(", ")
    }
}

/// `08:10 AM` (Ilios `hour="2-digit" minute="2-digit"` in en-us) or `08:10`.
pub fn format_time<T: Timelike>(t: &T, format: TimeFormat) -> String {
    match format {
        TimeFormat::H12 => {
            let (pm, h) = t.hour12();
            format!("{h:02}:{:02} {}", t.minute(), if pm { "PM" } else { "AM" })
        }
        TimeFormat::H24 => format!("{:02}:{:02}", t.hour(), t.minute()),
    }
}

/// `Monday, March 11, 2024`.
pub fn format_long_date(d: NaiveDate) -> String {
    d.format("%A, %B %-d, %Y").to_string()
}

/// `03/12/2024, 08:00 AM`: Ilios's timed-release date format (always 12 h, as Ilios forces it).
pub fn format_release_date(dt: NaiveDateTime) -> String {
    format!(
        "{}, {}",
        dt.format("%m/%d/%Y"),
        format_time(&dt, TimeFormat::H12)
    )
}

/// The file-type part of Ilios's `lm-type-icon`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialKind {
    Link,
    Citation,
    Pdf,
    PowerPoint,
    Video,
    Audio,
    File,
}

impl MaterialKind {
    /// Ilios: citation if `citation` is set, else link if `link` is set, else a file typed by
    /// its mimetype (`pdf`; `ppt|keynote|pps|pptx|powerpoint`; `mp4|mpg|mpeg|mov`;
    /// `wav|mp3|aac|flac`; anything else is a plain file).
    pub fn of(lm: &UserMaterial) -> MaterialKind {
        let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
        if set(&lm.citation) {
            return MaterialKind::Citation;
        }
        if set(&lm.link) {
            return MaterialKind::Link;
        }
        let mime = lm.mimetype.as_deref().unwrap_or("");
        let has = |words: &[&str]| words.iter().any(|w| mime.contains(w));
        if has(&["pdf"]) {
            MaterialKind::Pdf
        } else if has(&["ppt", "keynote", "pps", "pptx", "powerpoint"]) {
            MaterialKind::PowerPoint
        } else if has(&["mp4", "mpg", "mpeg", "mov"]) {
            MaterialKind::Video
        } else if has(&["wav", "mp3", "aac", "flac"]) {
            MaterialKind::Audio
        } else {
            MaterialKind::File
        }
    }

    /// The icon title Ilios shows: `Web Link`, `Citation`, `PDF file`, ...
    pub fn label(self) -> &'static str {
        match self {
            MaterialKind::Link => "Web Link",
            MaterialKind::Citation => "Citation",
            MaterialKind::Pdf => "PDF file",
            MaterialKind::PowerPoint => "PowerPoint file",
            MaterialKind::Video => "Video file",
            MaterialKind::Audio => "Audio file",
            MaterialKind::File => "File",
        }
    }
}

/// One session learning material, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct GlanceMaterial {
    /// The session learning material (the key of the user's status for it); the glance lists
    /// session materials only, so it is `None` only for a server that sends none.
    pub session_material: Option<Id>,
    pub title: String,
    pub kind: MaterialKind,
    pub required: bool,
    /// Timed release and not available yet: Ilios shows only the title (and the schedule).
    pub blanked: bool,
    /// Where it lives: the link, or the file's absolute URI (a PDF's with `?inline`, where
    /// Ilios links its title). `None` for citations and blanked ones.
    pub uri: Option<String>,
    /// A PDF's own URI, Ilios's separate "Download" link.
    pub download_uri: Option<String>,
    pub citation: Option<String>,
    pub public_notes: Option<String>,
    /// `(Available: 03/12/2024, 08:00 AM until 03/20/2024, 05:00 PM)` and its variants, when a
    /// schedule applies.
    pub availability: Option<String>,
}

/// A pre-work (prerequisite) event listed under its target.
#[derive(Debug, Clone, PartialEq)]
pub struct GlancePrework {
    pub name: String,
    pub published: bool,
    pub materials: Vec<GlanceMaterial>,
}

/// One listed event with everything the row and the detail popup show.
#[derive(Debug, Clone, PartialEq)]
pub struct GlanceEvent {
    pub name: String,
    pub course_title: Option<String>,
    /// Ilios's route slug: `U20240311O12` / `U20240311I3`.
    pub slug: String,
    /// An ILM: shown with `Due By`.
    pub ilm: bool,
    pub start_utc: DateTime<Utc>,
    pub end_utc: DateTime<Utc>,
    /// Start and end in the display zone.
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// `1 hour, 50 minutes`.
    pub duration: String,
    pub session_type: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
    pub attire_required: bool,
    pub equipment_required: bool,
    pub attendance_required: bool,
    pub supplemental: bool,
    /// Sorted.
    pub instructors: Vec<String>,
    /// Plain text (tags stripped, entities decoded), paragraphs separated by `\n`.
    pub description: Option<String>,
    pub prework: Vec<GlancePrework>,
    pub materials: Vec<GlanceMaterial>,
}

impl GlanceEvent {
    /// The attribute flags that are on, with Ilios's words, in Ilios's order.
    pub fn attributes(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.attire_required {
            v.push(ATTIRE);
        }
        if self.equipment_required {
            v.push(EQUIPMENT);
        }
        if self.attendance_required {
            v.push(ATTENDANCE);
        }
        if self.supplemental {
            v.push(SUPPLEMENTAL);
        }
        v
    }
}

pub const ATTIRE: &str = "Whitecoats / special attire";
pub const EQUIPMENT: &str = "Special Equipment";
pub const ATTENDANCE: &str = "Attendance is required";
pub const SUPPLEMENTAL: &str = "Supplemental Curriculum";

#[derive(Debug, Clone, PartialEq)]
pub struct GlanceDay {
    pub date: NaiveDate,
    /// `Monday`.
    pub weekday: String,
    pub events: Vec<GlanceEvent>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeekGlance {
    pub days: Vec<GlanceDay>,
}

impl WeekGlance {
    /// Every listed event in display order (the index the selection uses).
    pub fn events(&self) -> impl Iterator<Item = &GlanceEvent> {
        self.days.iter().flat_map(|d| d.events.iter())
    }

    pub fn event(&self, index: usize) -> Option<&GlanceEvent> {
        self.events().nth(index)
    }

    pub fn len(&self) -> usize {
        self.days.iter().map(|d| d.events.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Ilios's `!isBlanked && isPublished && !isScheduled`.
fn is_listable(ev: &UserEvent) -> bool {
    (ev.offering.is_some() || ev.ilm_session.is_some()) && ev.is_published && !ev.is_scheduled
}

/// The Week at a Glance of `events` (as the server sent them) in the zone `tz`:
/// - only published, not scheduled (TBD) events with an offering or an ILM;
/// - an ILM that is pre-work for another event (it has postrequisites) is not listed itself;
/// - sorted by start, then name; grouped by local start date (multi-day events once, under
///   their start day);
/// - `now` decides whether a timed-release start date is still in the future.
pub fn glance_at<Tz: TimeZone>(events: &[UserEvent], tz: &Tz, now: DateTime<Utc>) -> WeekGlance {
    let mut week = WeekBuilder::new(tz, now);
    events.iter().for_each(|e| week.add(e));
    week.finish().0
}

/// Builds a week's glance ([`glance_at`]) and [`timeline`] one event at a time, so that a large
/// answer can be decoded without holding all its events at once.
pub struct WeekBuilder<'tz, Tz: TimeZone> {
    tz: &'tz Tz,
    now: DateTime<Utc>,
    listed: Vec<GlanceEvent>,
    timeline: Vec<TimelineEvent>,
}

impl<'tz, Tz: TimeZone> WeekBuilder<'tz, Tz> {
    pub fn new(tz: &'tz Tz, now: DateTime<Utc>) -> Self {
        WeekBuilder {
            tz,
            now,
            listed: Vec::new(),
            timeline: Vec::new(),
        }
    }

    pub fn add(&mut self, ev: &UserEvent) {
        if !is_listable(ev) {
            return;
        }
        self.timeline.push(TimelineEvent {
            name: ev.name.clone(),
            start: ev.start_date.with_timezone(&Utc),
            ilm: ev.ilm_session.is_some(),
        });
        // An ILM that is pre-work for another event is listed under that event only.
        if ev.postrequisites.is_empty() || ev.ilm_session.is_none() {
            self.listed.push(glance_event(ev, self.tz, self.now));
        }
    }

    /// The glance, grouped by local start date, and the timeline; both by start, then name.
    pub fn finish(mut self) -> (WeekGlance, Vec<TimelineEvent>) {
        self.listed.sort_by(|a, b| {
            a.start_utc
                .cmp(&b.start_utc)
                .then_with(|| collate::compare(&a.name, &b.name))
        });
        self.timeline.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then_with(|| collate::compare(&a.name, &b.name))
        });
        let mut days: Vec<GlanceDay> = Vec::new();
        for event in self.listed {
            let date = event.start.date();
            match days.last_mut() {
                Some(day) if day.date == date => day.events.push(event),
                _ => days.push(GlanceDay {
                    date,
                    weekday: date.format("%A").to_string(),
                    events: vec![event],
                }),
            }
        }
        (WeekGlance { days }, self.timeline)
    }
}

fn local<Tz: TimeZone>(t: &DateTime<impl TimeZone>, tz: &Tz) -> NaiveDateTime {
    t.with_timezone(tz).naive_local()
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub fn glance_event<Tz: TimeZone>(ev: &UserEvent, tz: &Tz, now: DateTime<Utc>) -> GlanceEvent {
    let start = local(&ev.start_date, tz);
    let mut instructors = ev.instructors.clone();
    // Ilios: `sortBy` with `localeCompare` (`week-glance-event.gjs`).
    instructors.sort_by(|a, b| collate::compare(a, b));
    let slug = format!(
        "U{}{}",
        start.format("%Y%m%d"),
        match (ev.offering, ev.ilm_session) {
            (Some(o), _) => format!("O{o}"),
            (None, Some(i)) => format!("I{i}"),
            (None, None) => String::new(),
        }
    );
    GlanceEvent {
        name: ev.name.clone(),
        course_title: non_empty(&ev.course_title),
        slug,
        ilm: ev.ilm_session.is_some(),
        start_utc: ev.start_date.with_timezone(&Utc),
        end_utc: ev.end_date.with_timezone(&Utc),
        start,
        end: local(&ev.end_date, tz),
        duration: human_duration_in(&ev.start_date, &ev.end_date, tz),
        session_type: non_empty(&ev.session_type_title),
        location: non_empty(&ev.location),
        url: non_empty(&ev.url),
        attire_required: ev.attire_required.unwrap_or(false),
        equipment_required: ev.equipment_required.unwrap_or(false),
        attendance_required: ev.attendance_required.unwrap_or(false),
        supplemental: ev.supplemental.unwrap_or(false),
        instructors,
        description: ev
            .session_description
            .as_deref()
            .map(html_to_text)
            .filter(|s| !s.is_empty()),
        prework: ev
            .prerequisites
            .iter()
            .map(|p| {
                let mut lms: Vec<&UserMaterial> = p
                    .learning_materials
                    .iter()
                    .filter(|lm| lm.session_learning_material.is_some())
                    .collect();
                // Ilios: position ascending, then session learning material id descending.
                lms.sort_by(|a, b| {
                    position(a).cmp(&position(b)).then_with(|| {
                        b.session_learning_material
                            .cmp(&a.session_learning_material)
                    })
                });
                GlancePrework {
                    name: p.name.clone(),
                    published: p.is_published,
                    materials: lms.into_iter().map(|lm| material(lm, tz, now)).collect(),
                }
            })
            .collect(),
        // The event's own session materials, in API order; course materials are not listed.
        materials: ev
            .learning_materials
            .iter()
            .filter(|lm| lm.session_learning_material.is_some())
            .map(|lm| material(lm, tz, now))
            .collect(),
    }
}

/// Ilios: `Number(position) || 0`.
fn position(lm: &UserMaterial) -> i64 {
    match lm.position_number() {
        i64::MAX => 0,
        n => n,
    }
}

fn material<Tz: TimeZone>(lm: &UserMaterial, tz: &Tz, now: DateTime<Utc>) -> GlanceMaterial {
    let kind = MaterialKind::of(lm);
    let uri = if lm.is_blanked {
        None
    } else {
        match kind {
            MaterialKind::Link => non_empty(&lm.link),
            MaterialKind::Citation => None,
            _ => non_empty(&lm.absolute_file_uri),
        }
    };
    // Ilios (`learning-material-list-item.gjs`): a file whose mimetype is exactly
    // `application/pdf` links its title to `<uri>?inline` and adds a Download link to `<uri>`.
    let pdf = matches!(kind, MaterialKind::Pdf | MaterialKind::File)
        && lm.mimetype.as_deref() == Some("application/pdf");
    let (uri, download_uri) = match uri {
        Some(file) if pdf => (Some(format!("{file}?inline")), Some(file)),
        other => (other, None),
    };
    GlanceMaterial {
        session_material: lm.session_learning_material,
        title: lm.title.clone(),
        kind,
        required: lm.required,
        blanked: lm.is_blanked,
        uri,
        download_uri,
        citation: if lm.is_blanked {
            None
        } else {
            non_empty(&lm.citation)
        },
        public_notes: if lm.is_blanked {
            None
        } else {
            non_empty(&lm.public_notes)
        },
        availability: availability(lm, tz, now),
    }
}

/// Ilios `timed-release-schedule` with `showNoSchedule=false`.
fn availability<Tz: TimeZone>(lm: &UserMaterial, tz: &Tz, now: DateTime<Utc>) -> Option<String> {
    let fmt = |t: &DateTime<chrono::FixedOffset>| format_release_date(local(t, tz));
    match (&lm.start_date, &lm.end_date) {
        (Some(s), Some(e)) => Some(format!("(Available: {} until {})", fmt(s), fmt(e))),
        (Some(s), None) if s.with_timezone(&Utc) > now => Some(format!("(Available: {})", fmt(s))),
        (None, Some(e)) => Some(format!("(Available until {})", fmt(e))),
        _ => None,
    }
}

/// Ilios `truncate-text`: shorter than `length + slippage` characters is shown whole, otherwise
/// cut to the first `length` characters. Returns the cut text, or `None` when shown whole.
pub fn truncate_chars(text: &str, length: usize, slippage: usize) -> Option<String> {
    if text.chars().count() < length + slippage {
        None
    } else {
        Some(text.chars().take(length).collect())
    }
}

/// Ilios's `week-glance-event` description (`truncate-text` with length 50, slippage 200): the
/// collapsed glance shows the first 50 characters followed by `…` when the tag-stripped text is
/// 250 characters or longer, and the whole text otherwise. Paragraphs count as joined by one
/// space (the web page flows them as one text).
pub fn collapsed_description(description: &str) -> CollapsedDescription {
    let flat = description.lines().collect::<Vec<_>>().join(" ");
    match truncate_chars(&flat, DESCRIPTION_LENGTH, DESCRIPTION_SLIPPAGE) {
        Some(cut) => CollapsedDescription::Cut(format!("{cut}…")),
        None => CollapsedDescription::Whole,
    }
}

const DESCRIPTION_LENGTH: usize = 50;
const DESCRIPTION_SLIPPAGE: usize = 200;

/// What a collapsed event shows of its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CollapsedDescription {
    /// Shorter than 250 characters: all of it, wrapped.
    Whole,
    /// The first 50 characters and `…` (expanding shows the whole text).
    Cut(String),
}

/// HTML as plain text: tags removed (block ends and `<br>` become line breaks), entities decoded,
/// runs of spaces collapsed, blank lines dropped.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        match rest[lt..].find('>') {
            Some(gt) => {
                let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let block = matches!(
                    name.as_str(),
                    "br" | "p"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "tr"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                        | "pre"
                );
                if block {
                    out.push('\n');
                    if name == "li" && !tag.starts_with('/') {
                        out.push_str("- ");
                    }
                }
                rest = &rest[lt + gt + 1..];
            }
            None => {
                out.push_str(&rest[lt..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[..semi];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => name
                    .strip_prefix('#')
                    .and_then(|n| match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    })
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One line of the Dashboard's "what comes next" column.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingEvent {
    pub name: String,
    /// Local start (the due time for an ILM).
    pub start: NaiveDateTime,
    /// `in 2 hours, 5 minutes`.
    pub until: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Upcoming {
    /// The next offering that starts after `now`.
    pub next: Option<UpcomingEvent>,
    /// ILMs (pre-work included) due from `now` to `now + 7 days`, soonest first.
    pub ilms_due_soon: Vec<UpcomingEvent>,
}

/// What "Coming Up" needs of a listable event. The glance keeps everything else; a week keeps
/// only these once its glance is built (a few dozen bytes an event instead of the answer's
/// hundreds).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub name: String,
    /// The start (the due time for an ILM).
    pub start: DateTime<Utc>,
    pub ilm: bool,
}

/// The listable events (as in the glance) of an answer, soonest first, then by name.
pub fn timeline(events: &[UserEvent]) -> Vec<TimelineEvent> {
    let mut week = WeekBuilder::new(&Utc, DateTime::<Utc>::MIN_UTC);
    events.iter().for_each(|e| week.add(e));
    week.finish().1
}

/// What comes next after `now` in a week's [`timeline`]. The caller passes timelines that
/// cover at least `now .. now + 7 days`.
pub fn upcoming<Tz: TimeZone>(events: &[TimelineEvent], now: DateTime<Utc>, tz: &Tz) -> Upcoming {
    let item = |e: &TimelineEvent| UpcomingEvent {
        name: e.name.clone(),
        start: local(&e.start, tz),
        until: format!("in {}", human_duration(&now, &e.start)),
    };
    let next = events.iter().find(|e| !e.ilm && e.start > now).map(item);
    let horizon = now + Duration::days(7);
    let ilms_due_soon = events
        .iter()
        .filter(|e| e.ilm && e.start >= now && e.start <= horizon)
        .map(item)
        .collect();
    Upcoming {
        next,
        ilms_due_soon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn ev(json: &str) -> UserEvent {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn week_titles_pinned_to_ilios() {
        let sun = |s| Week::containing(d(s), WeekStart::Sunday).glance_title();
        assert_eq!(sun("2024-03-10"), "March 10-16 Week at a Glance");
        assert_eq!(sun("2023-08-07"), "August 6-12 Week at a Glance");
        for day in 0..7 {
            let date = d("2023-12-31") + Duration::days(day);
            assert_eq!(
                Week::containing(date, WeekStart::Sunday).glance_title(),
                "December 31 - January 6 Week at a Glance"
            );
        }
        assert_eq!(
            sun("2024-12-30"),
            "December 29 - January 4 Week at a Glance"
        );
        assert_eq!(
            sun("2025-12-31"),
            "December 28 - January 3 Week at a Glance"
        );
        assert_eq!(
            Week::containing(d("2024-03-10"), WeekStart::Sunday).title(),
            "March 10-16"
        );
    }

    #[test]
    fn sunday_and_monday_week_start() {
        // 2024-03-10 is a Sunday.
        let sunday = d("2024-03-10");
        assert_eq!(Week::containing(sunday, WeekStart::Sunday).first, sunday);
        assert_eq!(
            Week::containing(sunday, WeekStart::Monday).first,
            d("2024-03-04")
        );
        let wed = d("2024-03-13");
        assert_eq!(Week::containing(wed, WeekStart::Sunday).first, sunday);
        assert_eq!(
            Week::containing(wed, WeekStart::Monday).first,
            d("2024-03-11")
        );
        let w = Week::containing(wed, WeekStart::Monday);
        assert_eq!(w.last(), d("2024-03-17"));
        assert_eq!(w.title(), "March 11-17");
        assert_eq!(w.next().first, d("2024-03-18"));
        assert_eq!(w.previous().first, d("2024-03-04"));
        assert!(w.contains(d("2024-03-17")) && !w.contains(d("2024-03-18")));
        assert_eq!(w.days().count(), 7);
    }

    #[test]
    fn unix_range_is_local_midnight_to_2359_59_across_dst() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        // DST starts 2024-03-10 02:00 in Los Angeles: the week is one hour short.
        let (from, to) = Week::containing(d("2024-03-10"), WeekStart::Sunday).unix_range(&la);
        assert_eq!(from, t("2024-03-10T08:00:00Z").timestamp());
        assert_eq!(to, t("2024-03-17T06:59:59Z").timestamp());
        assert_eq!(to - from, 7 * 86_400 - 3_600 - 1);
        let (from, to) = Week::containing(d("2024-03-10"), WeekStart::Sunday).unix_range(&Utc);
        assert_eq!((from, to), (1_710_028_800, 1_710_633_599));
        // A zone whose DST change swallows midnight (Santiago, 2024-09-08 00:00 -> 01:00).
        let scl: Tz = "America/Santiago".parse().unwrap();
        let (from, _) = Week::containing(d("2024-09-08"), WeekStart::Sunday).unix_range(&scl);
        assert_eq!(from, t("2024-09-08T04:00:00Z").timestamp());
    }

    #[test]
    fn durations_pinned_to_ilios() {
        let s = t("2024-03-11T15:00:00Z");
        let h = |m: i64| human_duration(&s, &(s + Duration::minutes(m)));
        assert_eq!(h(1), "1 minute");
        assert_eq!(h(15), "15 minutes");
        assert_eq!(h(90), "1 hour, 30 minutes");
        assert_eq!(h(60), "1 hour");
        assert_eq!(h(145), "2 hours, 25 minutes");
        assert_eq!(h(36 * 60), "1 day, 12 hours");
        assert_eq!(h(24 * 60), "1 day");
        assert_eq!(h(24 * 60 + 55), "1 day, 55 minutes");
        assert_eq!(h(2 * 24 * 60 + 61), "2 days, 1 hour, 1 minute");
        assert_eq!(h(0), "0 minutes");
        assert_eq!(h(-5), "0 minutes");
    }

    /// ilios/frontend `packages/ilios-common/addon/components/week-glance-event.gjs`
    /// (`eventDuration`: Luxon `end.diff(start, ['days', 'hours', 'minutes']).toHuman()` on
    /// local times); the pinned strings of
    /// `packages/test-app/tests/integration/components/week-glance-event-test.gjs` "it renders
    /// durations properly" hold in a zone with changes, and a day across a change is one day.
    #[test]
    fn durations_across_daylight_saving_are_calendar_days() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let at = |s: &str| {
            la.from_local_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
                .unwrap()
        };
        let d = |a: &str, b: &str| human_duration_in(&at(a), &at(b), &la);
        // Spring forward (2024-03-10 02:00 → 03:00): 23 elapsed hours, one calendar day.
        assert_eq!(d("2024-03-09 09:00", "2024-03-10 09:00"), "1 day");
        assert_eq!(d("2024-03-09 09:00", "2024-03-10 08:00"), "22 hours");
        assert_eq!(d("2024-03-09 09:00", "2024-03-10 21:00"), "1 day, 12 hours");
        // Fall back (2024-11-03 02:00 → 01:00): 25 elapsed hours, one day and an hour.
        assert_eq!(d("2024-11-02 09:00", "2024-11-03 09:00"), "1 day");
        assert_eq!(d("2024-11-02 09:00", "2024-11-03 10:00"), "1 day, 1 hour");
        assert_eq!(
            d("2024-11-02 09:00", "2024-11-03 08:30"),
            "24 hours, 30 minutes"
        );
        // The test's strings, away from a change.
        assert_eq!(d("2024-03-12 08:00", "2024-03-12 08:01"), "1 minute");
        assert_eq!(
            d("2024-03-12 08:00", "2024-03-12 09:30"),
            "1 hour, 30 minutes"
        );
        assert_eq!(d("2024-03-12 08:00", "2024-03-13 20:00"), "1 day, 12 hours");
        assert_eq!(
            d("2024-03-12 08:00", "2024-03-13 08:55"),
            "1 day, 55 minutes"
        );
        assert_eq!(
            d("2024-03-12 08:00", "2024-03-14 09:01"),
            "2 days, 1 hour, 1 minute"
        );
        assert_eq!(d("2024-03-12 08:00", "2024-03-12 08:00"), "0 minutes");
        // The glance uses it: Saturday to Sunday over the spring change.
        let events = vec![ev(&offering(
            1,
            "Retreat",
            "2024-03-09T09:00:00-08:00",
            "2024-03-10T09:00:00-07:00",
        ))];
        let g = glance_at(&events, &la, t("2024-03-01T00:00:00Z"));
        assert_eq!(g.event(0).unwrap().duration, "1 day");
    }

    /// ilios/frontend `packages/ilios-common/addon/services/user-events.js` (events sorted by
    /// `startDate`, then `name`, through `utils/array-helpers.js` `sortBy`, i.e. `localeCompare`;
    /// test `packages/test-app/tests/unit/utils/array-helpers-test.js` "sortBy string") and
    /// `week-glance-event.gjs` (instructors sorted the same way).
    #[test]
    fn same_start_events_and_instructors_sort_by_collation() {
        let at = "2024-03-12T16:00:00+00:00";
        let end = "2024-03-12T17:00:00+00:00";
        let mut events: Vec<UserEvent> = [
            offering(1, "Zoology lab", at, end),
            offering(2, "apple seminar", at, end),
            offering(3, "Émile's review", at, end),
        ]
        .iter()
        .map(|j| ev(j))
        .collect();
        events[0].instructors = vec!["Zed".into(), "Émile".into(), "adam".into()];
        let g = glance_at(&events, &Utc, t("2024-03-01T00:00:00Z"));
        let names: Vec<&str> = g.events().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["apple seminar", "Émile's review", "Zoology lab"]
        );
        let zoology = g.events().find(|e| e.name == "Zoology lab").unwrap();
        assert_eq!(zoology.instructors, vec!["adam", "Émile", "Zed"]);
    }

    #[test]
    fn time_formats() {
        let dt = NaiveDate::from_ymd_opt(2024, 3, 11)
            .unwrap()
            .and_hms_opt(8, 10, 0)
            .unwrap();
        assert_eq!(format_time(&dt, TimeFormat::H12), "08:10 AM");
        assert_eq!(format_time(&dt, TimeFormat::H24), "08:10");
        let pm = dt + Duration::hours(9);
        assert_eq!(format_time(&pm, TimeFormat::H12), "05:10 PM");
        assert_eq!(format_time(&pm, TimeFormat::H24), "17:10");
        let midnight = NaiveDate::from_ymd_opt(2024, 3, 11)
            .unwrap()
            .and_hms_opt(0, 5, 0)
            .unwrap();
        assert_eq!(format_time(&midnight, TimeFormat::H12), "12:05 AM");
        assert_eq!(format_release_date(pm), "03/11/2024, 05:10 PM");
        assert_eq!(format_long_date(dt.date()), "Monday, March 11, 2024");
    }

    #[test]
    fn config_spelling() {
        #[derive(Deserialize)]
        struct C {
            week_start: WeekStart,
            time_format: TimeFormat,
        }
        let c: C = toml::from_str("week_start = \"monday\"\ntime_format = \"24h\"").unwrap();
        assert_eq!(
            (c.week_start, c.time_format),
            (WeekStart::Monday, TimeFormat::H24)
        );
        let c: C = toml::from_str("week_start = \"sunday\"\ntime_format = \"12h\"").unwrap();
        assert_eq!(
            (c.week_start, c.time_format),
            (WeekStart::Sunday, TimeFormat::H12)
        );
    }

    fn offering(id: u64, name: &str, start: &str, end: &str) -> String {
        format!(
            r#"{{"name":"{name}","startDate":"{start}","endDate":"{end}","offering":{id},
            "isPublished":true,"isScheduled":false,"sessionTypeTitle":"Lecture"}}"#
        )
    }

    #[test]
    fn grouping_by_local_day_depends_on_the_zone() {
        let events: Vec<UserEvent> = [
            // 2024-03-12 03:00 UTC: Monday evening in Los Angeles, Tuesday noon in Tokyo.
            offering(
                1,
                "Evening",
                "2024-03-12T03:00:00+00:00",
                "2024-03-12T04:00:00+00:00",
            ),
            // 2024-03-12 16:00 UTC: Tuesday morning in LA, Wednesday 01:00 in Tokyo.
            offering(
                2,
                "Morning",
                "2024-03-12T16:00:00+00:00",
                "2024-03-12T17:00:00+00:00",
            ),
            // Same start as "Morning": sorted by name.
            offering(
                3,
                "Anatomy",
                "2024-03-12T16:00:00+00:00",
                "2024-03-12T16:50:00+00:00",
            ),
        ]
        .iter()
        .map(|j| ev(j))
        .collect();
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let now = t("2024-03-01T00:00:00Z");
        let g = glance_at(&events, &la, now);
        let days: Vec<(String, Vec<&str>)> = g
            .days
            .iter()
            .map(|d| {
                (
                    d.weekday.clone(),
                    d.events.iter().map(|e| e.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            days,
            vec![
                ("Monday".to_string(), vec!["Evening"]),
                ("Tuesday".to_string(), vec!["Anatomy", "Morning"]),
            ]
        );
        assert_eq!(
            format_time(&g.days[0].events[0].start, TimeFormat::H12),
            "08:00 PM"
        );
        let g = glance_at(&events, &tokyo, now);
        let days: Vec<(NaiveDate, usize)> =
            g.days.iter().map(|d| (d.date, d.events.len())).collect();
        assert_eq!(days, vec![(d("2024-03-12"), 1), (d("2024-03-13"), 2)]);
        assert_eq!(g.days[1].weekday, "Wednesday");
        assert_eq!(
            format_time(&g.days[1].events[0].start, TimeFormat::H24),
            "01:00"
        );
        assert_eq!(g.len(), 3);
        assert_eq!(g.event(1).unwrap().name, "Anatomy");
    }

    #[test]
    fn filtering_and_prework_nesting() {
        let json = r#"[
          {"name":"Hidden draft","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
           "offering":1,"isPublished":false,"isScheduled":false},
          {"name":"TBD","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
           "offering":2,"isPublished":true,"isScheduled":true},
          {"name":"Scheduled","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
           "isPublished":true,"isScheduled":false},
          {"name":"Prep reading","startDate":"2024-03-11T15:00:00+00:00","endDate":"2024-03-11T15:15:00+00:00",
           "ilmSession":7,"isPublished":true,"isScheduled":false,
           "postrequisites":[{"name":"Lecture","startDate":"2024-03-12T16:00:00+00:00","endDate":"2024-03-12T17:00:00+00:00","offering":3,"isPublished":true,"isScheduled":false}]},
          {"name":"Lecture","startDate":"2024-03-12T16:00:00+00:00","endDate":"2024-03-12T17:00:00+00:00",
           "offering":3,"isPublished":true,"isScheduled":false,
           "instructors":["zed person","Second Person","First Person"],
           "sessionDescription":"<p>Read <b>this</b> &amp; that&nbsp;first.</p><p>Then &lt;think&gt; &#8212; ok</p>",
           "learningMaterials":[
             {"id":"1","sessionLearningMaterial":"5","position":"1","title":"own slm","link":"https://x.test","required":true,"isBlanked":false},
             {"id":"2","courseLearningMaterial":"8","position":"0","title":"course lm","link":"https://y.test","isBlanked":false}],
           "prerequisites":[{"name":"pre 1","startDate":"2024-03-11T15:00:00+00:00","endDate":"2024-03-11T15:15:00+00:00",
             "ilmSession":7,"isPublished":true,"isScheduled":false,
             "learningMaterials":[
               {"id":"3","sessionLearningMaterial":"13","position":"1","title":"pre mat 1","mimetype":"application/pdf","absoluteFileUri":"https://f.test/1","isBlanked":false},
               {"id":"4","courseLearningMaterial":"14","position":"0","title":"pre course mat","isBlanked":false},
               {"id":"5","sessionLearningMaterial":"99","position":"1","title":"pre mat 2","citation":"Doe 2020","isBlanked":false}]}]},
          {"name":"Unrelated ILM","startDate":"2024-03-13T23:00:00+00:00","endDate":"2024-03-13T23:15:00+00:00",
           "ilmSession":8,"isPublished":true,"isScheduled":false}
        ]"#;
        let events: Vec<UserEvent> = serde_json::from_str(json).unwrap();
        let g = glance_at(&events, &Utc, t("2024-03-01T00:00:00Z"));
        let names: Vec<&str> = g.events().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["Lecture", "Unrelated ILM"]);
        let lecture = g.event(0).unwrap();
        assert!(!lecture.ilm);
        assert_eq!(lecture.slug, "U20240312O3");
        assert_eq!(g.event(1).unwrap().slug, "U20240313I8");
        assert!(g.event(1).unwrap().ilm);
        assert_eq!(
            lecture.instructors,
            vec!["First Person", "Second Person", "zed person"]
        );
        assert_eq!(
            lecture.description.as_deref(),
            Some("Read this & that first.\nThen <think> — ok")
        );
        assert_eq!(
            lecture.materials.len(),
            1,
            "course materials are not listed"
        );
        assert_eq!(lecture.materials[0].kind, MaterialKind::Link);
        assert_eq!(lecture.materials[0].uri.as_deref(), Some("https://x.test"));
        assert_eq!(lecture.prework.len(), 1);
        let pre: Vec<&str> = lecture.prework[0]
            .materials
            .iter()
            .map(|m| m.title.as_str())
            .collect();
        assert_eq!(pre, vec!["pre mat 2", "pre mat 1"]);
        assert_eq!(lecture.prework[0].materials[0].kind, MaterialKind::Citation);
        assert_eq!(
            lecture.prework[0].materials[0].citation.as_deref(),
            Some("Doe 2020")
        );
        assert_eq!(lecture.prework[0].materials[1].kind, MaterialKind::Pdf);
    }

    #[test]
    fn material_kinds_follow_ilios() {
        let kind = |json: &str| MaterialKind::of(&serde_json::from_str(json).unwrap()).label();
        assert_eq!(kind(r#"{"citation":"c","link":"l"}"#), "Citation");
        assert_eq!(kind(r#"{"link":"https://a"}"#), "Web Link");
        assert_eq!(kind(r#"{"mimetype":"application/pdf"}"#), "PDF file");
        assert_eq!(
            kind(
                r#"{"mimetype":"application/vnd.openxmlformats-officedocument.presentationml.presentation"}"#
            ),
            "File",
            "Ilios matches words in the mimetype, and this one has none of them"
        );
        assert_eq!(
            kind(r#"{"mimetype":"application/vnd.ms-powerpoint"}"#),
            "PowerPoint file"
        );
        assert_eq!(kind(r#"{"mimetype":"video/mp4"}"#), "Video file");
        assert_eq!(kind(r#"{"mimetype":"video/quicktime"}"#), "File");
        assert_eq!(
            kind(r#"{"mimetype":"audio/mpeg"}"#),
            "Video file",
            "mpeg is matched as video first, as in Ilios"
        );
        assert_eq!(kind(r#"{"mimetype":"audio/wav"}"#), "Audio file");
        assert_eq!(kind(r#"{"mimetype":"text/plain"}"#), "File");
        assert_eq!(kind(r#"{"citation":""}"#), "File");
    }

    /// ilios/frontend `packages/ilios-common/addon/components/week-glance/learning-material-list-item.gjs`
    /// and `packages/test-app/tests/integration/components/week-glance-event-test.gjs` "it
    /// renders with some stuff": the PDF "File LM" links to `http://myhost.com/url1?inline`,
    /// with a separate Download link to the file; other files and links are unchanged.
    #[test]
    fn pdf_materials_link_inline_and_offer_a_download() {
        let now = t("2024-03-01T00:00:00Z");
        let lm = |json: &str| material(&serde_json::from_str(json).unwrap(), &Utc, now);
        let pdf = lm(
            r#"{"title":"File LM","filename":"This is a PDF","mimetype":"application/pdf","required":true,
                "absoluteFileUri":"http://myhost.com/url1","sessionLearningMaterial":3}"#,
        );
        assert_eq!(pdf.uri.as_deref(), Some("http://myhost.com/url1?inline"));
        assert_eq!(pdf.download_uri.as_deref(), Some("http://myhost.com/url1"));
        let doc = lm(
            r#"{"title":"Doc","mimetype":"application/msword","absoluteFileUri":"http://myhost.com/d","sessionLearningMaterial":4}"#,
        );
        assert_eq!(doc.uri.as_deref(), Some("http://myhost.com/d"));
        assert_eq!(doc.download_uri, None);
        let link = lm(
            r#"{"title":"Link LM","link":"http://myhost.com/url2","sessionLearningMaterial":2}"#,
        );
        assert_eq!(link.uri.as_deref(), Some("http://myhost.com/url2"));
        assert_eq!(link.download_uri, None);
        let blanked = lm(
            r#"{"title":"Later","mimetype":"application/pdf","absoluteFileUri":"http://x/y","isBlanked":true,"sessionLearningMaterial":5}"#,
        );
        assert_eq!((blanked.uri, blanked.download_uri), (None, None));
    }

    #[test]
    fn timed_release_notes() {
        let now = t("2024-03-11T12:00:00Z");
        let note = |json: &str| {
            let lm: UserMaterial = serde_json::from_str(json).unwrap();
            material(&lm, &Utc, now).availability
        };
        assert_eq!(
            note(
                r#"{"startDate":"2024-03-12T08:00:00+00:00","endDate":"2024-03-20T17:00:00+00:00"}"#
            )
            .as_deref(),
            Some("(Available: 03/12/2024, 08:00 AM until 03/20/2024, 05:00 PM)")
        );
        assert_eq!(
            note(r#"{"startDate":"2024-03-12T08:00:00+00:00"}"#).as_deref(),
            Some("(Available: 03/12/2024, 08:00 AM)")
        );
        assert_eq!(
            note(r#"{"startDate":"2024-03-10T08:00:00+00:00"}"#),
            None,
            "already started"
        );
        assert_eq!(
            note(r#"{"endDate":"2024-03-20T17:00:00+00:00"}"#).as_deref(),
            Some("(Available until 03/20/2024, 05:00 PM)")
        );
        assert_eq!(note("{}"), None);
        let lm: UserMaterial = serde_json::from_str(
            r#"{"title":"Later","isBlanked":true,"link":"https://secret","startDate":"2024-03-12T08:00:00+00:00"}"#,
        )
        .unwrap();
        let m = material(&lm, &Utc, now);
        assert!(m.blanked);
        assert_eq!(m.uri, None);
    }

    #[test]
    fn truncation_and_html() {
        assert_eq!(truncate_chars("short", 50, 200), None);
        let long = "x".repeat(250);
        assert_eq!(truncate_chars(&long, 50, 200), Some("x".repeat(50)));
        assert_eq!(truncate_chars(&"x".repeat(249), 50, 200), None);
        assert_eq!(html_to_text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(
            html_to_text("<ul><li>one</li><li>two</li></ul>"),
            "- one\n- two"
        );
        assert_eq!(html_to_text("AT&T & co &#x41;"), "AT&T & co A");
        assert_eq!(html_to_text("1 < 2"), "1 < 2");
    }

    /// ilios/frontend `packages/test-app/tests/integration/components/week-glance-event-test.gjs`,
    /// "it renders with some stuff" (a 300-character description shows its first 50
    /// tag-stripped characters) and "it renders markup when long session description is
    /// expanded" (`Test ` + 45 `t`s collapsed), following `week-glance-event.gjs` and
    /// `truncate-text.gjs` (length 50, slippage 200); "it renders markup on short session
    /// description" shows a short one whole.
    #[test]
    fn collapsed_description_follows_ilios_truncate_text() {
        let some_stuff = html_to_text(
            "Best <strong>Session</strong> For Sure\
             Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur",
        );
        assert_eq!(
            collapsed_description(&some_stuff),
            CollapsedDescription::Cut("Best Session For SureLorem ipsum dolor sit amet, c…".into())
        );
        let long = html_to_text(&format!("<h1>Test</h1> {}", "t".repeat(400)));
        assert_eq!(
            collapsed_description(&long),
            CollapsedDescription::Cut(format!("Test {}…", "t".repeat(45)))
        );
        assert_eq!(
            collapsed_description(&html_to_text("<h1>Test</h1>")),
            CollapsedDescription::Whole
        );
        // 249 characters are shown whole, 250 are cut.
        assert_eq!(
            collapsed_description(&"x".repeat(249)),
            CollapsedDescription::Whole
        );
        assert_eq!(
            collapsed_description(&"x".repeat(250)),
            CollapsedDescription::Cut(format!("{}…", "x".repeat(50)))
        );
    }

    #[test]
    fn upcoming_next_event_and_ilms_due() {
        let events: Vec<UserEvent> = [
            offering(1, "Past", "2024-03-11T08:00:00+00:00", "2024-03-11T09:00:00+00:00"),
            offering(2, "Next", "2024-03-11T14:05:00+00:00", "2024-03-11T15:00:00+00:00"),
            offering(3, "Later", "2024-03-12T14:05:00+00:00", "2024-03-12T15:00:00+00:00"),
            r#"{"name":"Quiz","startDate":"2024-03-13T17:00:00+00:00","endDate":"2024-03-13T17:15:00+00:00",
               "ilmSession":4,"isPublished":true,"isScheduled":false}"#
                .to_string(),
            r#"{"name":"Far quiz","startDate":"2024-03-19T17:00:00+00:00","endDate":"2024-03-19T17:15:00+00:00",
               "ilmSession":5,"isPublished":true,"isScheduled":false}"#
                .to_string(),
            r#"{"name":"Draft quiz","startDate":"2024-03-13T17:00:00+00:00","endDate":"2024-03-13T17:15:00+00:00",
               "ilmSession":6,"isPublished":false,"isScheduled":false}"#
                .to_string(),
        ]
        .iter()
        .map(|j| ev(j))
        .collect();
        let u = upcoming(&timeline(&events), t("2024-03-11T12:00:00Z"), &Utc);
        let next = u.next.unwrap();
        assert_eq!(next.name, "Next");
        assert_eq!(next.until, "in 2 hours, 5 minutes");
        let due: Vec<(&str, &str)> = u
            .ilms_due_soon
            .iter()
            .map(|e| (e.name.as_str(), e.until.as_str()))
            .collect();
        assert_eq!(due, vec![("Quiz", "in 2 days, 5 hours")]);
    }

    #[test]
    fn the_timeline_keeps_only_listable_events_in_order() {
        let events: Vec<UserEvent> = [
            offering(2, "B later", "2024-03-11T14:05:00+00:00", "2024-03-11T15:00:00+00:00"),
            offering(1, "A first", "2024-03-11T08:00:00+00:00", "2024-03-11T09:00:00+00:00"),
            offering(3, "A later", "2024-03-11T14:05:00+00:00", "2024-03-11T15:00:00+00:00"),
            r#"{"name":"Draft","startDate":"2024-03-11T10:00:00+00:00","endDate":"2024-03-11T11:00:00+00:00",
               "offering":7,"isPublished":false,"isScheduled":false}"#
                .to_string(),
            r#"{"name":"Scheduled","startDate":"2024-03-11T10:00:00+00:00","endDate":"2024-03-11T11:00:00+00:00",
               "isPublished":true,"isScheduled":true}"#
                .to_string(),
            r#"{"name":"Quiz","startDate":"2024-03-13T17:00:00+00:00","endDate":"2024-03-13T17:15:00+00:00",
               "ilmSession":4,"isPublished":true,"isScheduled":false}"#
                .to_string(),
        ]
        .iter()
        .map(|j| ev(j))
        .collect();
        let kept = timeline(&events);
        let kept: Vec<(&str, bool)> = kept.iter().map(|e| (e.name.as_str(), e.ilm)).collect();
        assert_eq!(
            kept,
            vec![
                ("A first", false),
                ("A later", false),
                ("B later", false),
                ("Quiz", true)
            ]
        );
    }
}
