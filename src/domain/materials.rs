//! My Materials, as the web client derives it from `GET /api/v3/usermaterials/{id}`
//! (ilios/frontend `packages/ilios-common/addon/components/dashboard/materials.gjs`,
//! `dashboard/material-list-item.gjs`, `user-material-status.gjs`, `utils/array-helpers.js`):
//! the "Next 60 days" bounds, the table's rows, their sort, the course options, the text filter
//! and the status cycle. Pure: the clock and the zone are given.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

use super::week::{MaterialKind, format_release_date};
use crate::api::models::{Id, Timestamp, UserMaterial};

/// `daysInAdvance` of `materials.gjs`.
pub const DAYS_IN_ADVANCE: i64 = 60;

/// What the toggle shows: "Next 60 days" (the default) or "All Materials".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Range {
    #[default]
    Next60Days,
    All,
}

impl Range {
    pub fn label(self) -> &'static str {
        match self {
            Range::Next60Days => "Next 60 days",
            Range::All => "All Materials",
        }
    }

    /// The name in `ilios-tui materials --json`.
    pub fn json_name(self) -> &'static str {
        match self {
            Range::Next60Days => "next60days",
            Range::All => "all",
        }
    }

    /// `(after, before)` in unix seconds for the request, or `None` for all materials.
    pub fn bounds<Tz: TimeZone>(self, now: DateTime<Utc>, zone: &Tz) -> Option<(i64, i64)> {
        match self {
            Range::Next60Days => Some(next_days_bounds(now, zone)),
            Range::All => None,
        }
    }
}

/// A local wall time as an instant: the earlier of two (a repeated hour), or an hour later
/// when it does not exist (a DST gap), as luxon moves it.
fn resolve<Tz: TimeZone>(zone: &Tz, at: NaiveDateTime) -> DateTime<Utc> {
    zone.from_local_datetime(&at)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(at + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&at))
}

/// `loadMaterials`: `after` = today at 00:00, `before` = today at 23:59 plus 60 calendar days,
/// local time. luxon's `set({hour, minute})` keeps the seconds of now, and so does this.
pub fn next_days_bounds<Tz: TimeZone>(now: DateTime<Utc>, zone: &Tz) -> (i64, i64) {
    let local = now.with_timezone(zone).naive_local();
    let second = local.second();
    let at = |date: NaiveDate, hour: u32, minute: u32| {
        let time = NaiveTime::from_hms_opt(hour, minute, second).unwrap_or(NaiveTime::MIN);
        resolve(zone, date.and_time(time)).timestamp()
    };
    let today = local.date();
    let last = today + Duration::days(DAYS_IN_ADVANCE);
    (at(today, 0, 0), at(last, 23, 59))
}

/// `UserSessionMaterialStatusInterface`: 0, 1, 2; the checkbox unchecked, indeterminate, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialStatus {
    NotStarted,
    InProgress,
    Complete,
}

impl MaterialStatus {
    /// An unknown number reads as not started, as `status || 0` does for a missing one.
    pub fn from_wire(n: i64) -> MaterialStatus {
        match n {
            1 => MaterialStatus::InProgress,
            2 => MaterialStatus::Complete,
            _ => MaterialStatus::NotStarted,
        }
    }

    pub fn wire(self) -> i64 {
        match self {
            MaterialStatus::NotStarted => 0,
            MaterialStatus::InProgress => 1,
            MaterialStatus::Complete => 2,
        }
    }

    /// A click: not started → in progress → complete → not started.
    pub fn next(self) -> MaterialStatus {
        match self {
            MaterialStatus::NotStarted => MaterialStatus::InProgress,
            MaterialStatus::InProgress => MaterialStatus::Complete,
            MaterialStatus::Complete => MaterialStatus::NotStarted,
        }
    }

    /// The checkbox's `aria-label`.
    pub fn label(self) -> &'static str {
        match self {
            MaterialStatus::NotStarted => "Not Started",
            MaterialStatus::InProgress => "In Progress",
            MaterialStatus::Complete => "Complete",
        }
    }

    pub fn json_name(self) -> &'static str {
        match self {
            MaterialStatus::NotStarted => "notStarted",
            MaterialStatus::InProgress => "inProgress",
            MaterialStatus::Complete => "complete",
        }
    }
}

/// The user's statuses by session learning material, and the record that holds each (the
/// record is updated, not duplicated, on the next change).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statuses {
    /// Material → (its record, once the server has one; its status).
    by_material: HashMap<Id, (Option<Id>, MaterialStatus)>,
}

impl Statuses {
    /// From `(record id, session learning material, status)`; the last record of a material wins.
    pub fn new(records: impl IntoIterator<Item = (Id, Id, i64)>) -> Statuses {
        Statuses {
            by_material: records
                .into_iter()
                .map(|(id, material, status)| {
                    (material, (Some(id), MaterialStatus::from_wire(status)))
                })
                .collect(),
        }
    }

    pub fn record_of(&self, material: Id) -> Option<Id> {
        self.by_material.get(&material).and_then(|(id, _)| *id)
    }

    /// A material's status; `record: None` while a new record is being saved.
    pub fn set(&mut self, record: Option<Id>, material: Id, status: MaterialStatus) {
        self.by_material.insert(material, (record, status));
    }

    /// A session material's status: one without a record is not started (`status || 0`).
    pub fn get(&self, material: Id) -> MaterialStatus {
        self.by_material
            .get(&material)
            .map_or(MaterialStatus::NotStarted, |(_, s)| *s)
    }

    /// A row's status: only for session materials and only when the server has the feature on
    /// (`user-material-status.gjs`); a material without a record is not started.
    pub fn of(&self, row: &MaterialRow, enabled: bool) -> Option<MaterialStatus> {
        let material = row.session_learning_material?;
        enabled.then(|| self.get(material))
    }
}

/// One row of the table, with what its detail shows.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialRow {
    /// The learning material's id (shared by every session that uses it).
    pub id: Option<Id>,
    pub session_learning_material: Option<Id>,
    pub course_learning_material: Option<Id>,
    pub title: String,
    /// `None` for a blanked material: Ilios shows a clock titled "Timed Release" instead.
    pub kind: Option<MaterialKind>,
    pub required: bool,
    pub blanked: bool,
    /// The citation's text (citations only).
    pub citation: Option<String>,
    /// `(Available: ...)` for a timed-release material.
    pub availability: Option<String>,
    /// The link or the file; `None` for citations and blanked materials.
    pub uri: Option<String>,
    pub description: Option<String>,
    pub public_notes: Option<String>,
    pub session_title: Option<String>,
    pub course_id: Option<Id>,
    pub course_title: Option<String>,
    pub course_year: Option<i64>,
    pub course_external_id: Option<String>,
    /// Sorted as the web client sorts them (`localeCompare`).
    pub instructors: Vec<String>,
    pub first_offering: Option<DateTime<Utc>>,
    /// `MM/DD/YYYY` in the display zone, or "None".
    pub date: String,
    /// `${title} ${courseTitle} ${sessionTitle} ${instructors}`, lower case, for the text filter.
    search: String,
}

impl MaterialRow {
    /// The title column: the kind (or "Timed Release"), the title, then the citation or the
    /// availability, as `material-list-item.gjs` lays them out.
    pub fn title_cell(&self) -> String {
        let mut cell = format!("{}: {}", self.kind_label(), self.title);
        if let Some(c) = &self.citation {
            cell.push_str(&format!(" — {c}"));
        }
        if let Some(a) = &self.availability {
            cell.push_str(&format!(" {a}"));
        }
        cell
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind.map_or("Timed Release", MaterialKind::label)
    }

    /// A PDF opens inline at `{uri}?inline`, with the plain URI as its download link.
    pub fn pdf_links(&self) -> Option<(String, String)> {
        match (self.kind, &self.uri) {
            (Some(MaterialKind::Pdf), Some(uri)) => Some((format!("{uri}?inline"), uri.clone())),
            _ => None,
        }
    }

    pub fn instructors_cell(&self) -> String {
        self.instructors.join(", ")
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `localeCompare`: the one collation of every user-visible sort (`domain::collate`).
pub fn locale_compare(a: &str, b: &str) -> Ordering {
    super::collate::compare(a, b)
}

/// `timed-release-schedule.gjs`: `(Available: {start} until {end})`, `(Available: {start})` (only
/// while the start is ahead) or `(Available until {end})`, as `MM/DD/YYYY, hh:mm AM`.
fn availability<Tz: TimeZone>(lm: &UserMaterial, zone: &Tz, now: DateTime<Utc>) -> Option<String> {
    let fmt = |t: &Timestamp| format_release_date(t.with_timezone(zone).naive_local());
    match (&lm.start_date, &lm.end_date) {
        (Some(s), Some(e)) => Some(format!("(Available: {} until {})", fmt(s), fmt(e))),
        (Some(s), None) if s.with_timezone(&Utc) > now => Some(format!("(Available: {})", fmt(s))),
        (None, Some(e)) => Some(format!("(Available until {})", fmt(e))),
        _ => None,
    }
}

/// The text the filter searches. JavaScript writes a missing title as "undefined", so a course
/// material (no session title) matches "undefined" there too; kept, so both clients agree.
fn search_text(lm: &UserMaterial) -> String {
    let or_undefined = |s: &Option<String>| s.clone().unwrap_or_else(|| "undefined".into());
    let mut text = format!(
        "{} {} {} ",
        lm.title,
        or_undefined(&lm.course_title),
        or_undefined(&lm.session_title)
    );
    text.push_str(&lm.instructors.join(" "));
    text.to_lowercase()
}

/// One row from one user material, dated in `zone`.
pub fn row<Tz: TimeZone>(lm: &UserMaterial, zone: &Tz, now: DateTime<Utc>) -> MaterialRow {
    let kind = (!lm.is_blanked).then(|| MaterialKind::of(lm));
    let uri = match kind {
        None | Some(MaterialKind::Citation) => None,
        Some(MaterialKind::Link) => non_empty(&lm.link),
        Some(_) => non_empty(&lm.absolute_file_uri),
    };
    let mut instructors = lm.instructors.clone();
    instructors.sort_by(|a, b| locale_compare(a, b));
    let first_offering = lm.first_offering_date.map(|t| t.with_timezone(&Utc));
    MaterialRow {
        id: lm.id,
        session_learning_material: lm.session_learning_material,
        course_learning_material: lm.course_learning_material,
        title: lm.title.clone(),
        kind,
        required: lm.required,
        blanked: lm.is_blanked,
        citation: if kind == Some(MaterialKind::Citation) {
            non_empty(&lm.citation)
        } else {
            None
        },
        availability: lm.is_blanked.then(|| availability(lm, zone, now)).flatten(),
        uri,
        description: non_empty(&lm.description),
        public_notes: non_empty(&lm.public_notes),
        session_title: non_empty(&lm.session_title),
        course_id: lm.course,
        course_title: non_empty(&lm.course_title),
        course_year: lm.course_year,
        course_external_id: non_empty(&lm.course_external_id),
        instructors,
        first_offering,
        date: first_offering.map_or_else(
            || "None".to_string(),
            |t| {
                t.with_timezone(zone)
                    .naive_local()
                    .format("%m/%d/%Y")
                    .to_string()
            },
        ),
        search: search_text(lm),
    }
}

pub fn rows<Tz: TimeZone>(
    materials: &[UserMaterial],
    zone: &Tz,
    now: DateTime<Utc>,
) -> Vec<MaterialRow> {
    materials.iter().map(|m| row(m, zone, now)).collect()
}

/// The sortable columns (Status and Instructor are not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Title,
    Session,
    Course,
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    /// `firstOfferingDate:desc` (the dashboard's default `sortBy`).
    fn default() -> Self {
        Sort {
            column: SortColumn::Date,
            descending: true,
        }
    }
}

impl Sort {
    /// A column header's click (`sortBy` action): the same column turns descending (and back),
    /// another column starts ascending.
    pub fn toggle(self, column: SortColumn) -> Sort {
        Sort {
            column,
            descending: column == self.column && !self.descending,
        }
    }
}

/// `compare` of `array-helpers.js`: a missing value sorts before any value.
fn compare_missing_first<T>(
    a: Option<T>,
    b: Option<T>,
    cmp: impl Fn(T, T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => cmp(a, b),
    }
}

fn compare(a: &MaterialRow, b: &MaterialRow, column: SortColumn) -> Ordering {
    let text = |x: &str, y: &str| locale_compare(x, y);
    match column {
        SortColumn::Title => locale_compare(&a.title, &b.title),
        SortColumn::Session => {
            compare_missing_first(a.session_title.as_deref(), b.session_title.as_deref(), text)
        }
        SortColumn::Course => {
            compare_missing_first(a.course_title.as_deref(), b.course_title.as_deref(), text)
        }
        SortColumn::Date => {
            compare_missing_first(a.first_offering, b.first_offering, |x, y| x.cmp(&y))
        }
    }
}

/// The filters of the table: a course (`None`: All Courses) and the typed text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub course: Option<Id>,
    pub text: String,
}

/// `allFilteredMaterials`: the indices of the rows shown, in their order. The course filter,
/// then the text (a case-insensitive substring), then a stable ascending sort reversed for
/// descending, so rows that tie come out in reverse server order.
pub fn visible(rows: &[MaterialRow], filters: &Filters, sort: Sort) -> Vec<usize> {
    let needle = filters.text.to_lowercase();
    let mut shown: Vec<usize> = (0..rows.len())
        .filter(|&i| filters.course.is_none_or(|c| rows[i].course_id == Some(c)))
        .filter(|&i| needle.is_empty() || rows[i].search.contains(&needle))
        .collect();
    shown.sort_by(|&a, &b| compare(&rows[a], &rows[b], sort.column));
    if sort.descending {
        shown.reverse();
    }
    shown
}

/// One option of the course select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseOption {
    /// `None` is "All Courses".
    pub id: Option<Id>,
    pub label: String,
}

pub const ALL_COURSES: &str = "All Courses";

/// `courses`: "All Courses", then each course of the materials once, sorted by year and then
/// title, reading `{year} | [{externalId}] | {title}` (`{year} - {year+1} | ...` when the
/// academic year crosses the calendar year).
pub fn course_options(rows: &[MaterialRow], crosses_year: bool) -> Vec<CourseOption> {
    let mut seen: Vec<Option<Id>> = Vec::new();
    let mut courses: Vec<&MaterialRow> = Vec::new();
    for r in rows {
        if !seen.contains(&r.course_id) {
            seen.push(r.course_id);
            courses.push(r);
        }
    }
    courses.sort_by(|a, b| {
        compare_missing_first(a.course_year, b.course_year, |x, y| x.cmp(&y)).then_with(|| {
            compare_missing_first(
                a.course_title.as_deref(),
                b.course_title.as_deref(),
                locale_compare,
            )
        })
    });
    let mut options = vec![CourseOption {
        id: None,
        label: ALL_COURSES.into(),
    }];
    options.extend(courses.into_iter().map(|r| {
        let year = match (r.course_year, crosses_year) {
            (Some(y), true) => format!("{y} - {}", y.saturating_add(1)),
            (Some(y), false) => y.to_string(),
            (None, _) => String::new(),
        };
        let title = r.course_title.clone().unwrap_or_default();
        let label = match &r.course_external_id {
            Some(ext) => format!("{year} | [{ext}] | {title}"),
            None => format!("{year} | {title}"),
        };
        CourseOption {
            id: r.course_id,
            label,
        }
    }));
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn material(json: serde_json::Value) -> UserMaterial {
        serde_json::from_value(json).unwrap()
    }

    fn sample() -> Vec<UserMaterial> {
        vec![
            material(
                serde_json::json!({"id": "1", "sessionLearningMaterial": "10", "session": "5",
                "course": "1", "title": "Slides", "mimetype": "application/pdf",
                "absoluteFileUri": "https://x/lm/abc", "sessionTitle": "Geroscience",
                "courseTitle": "Aging", "courseExternalId": "AEOL-202", "courseYear": 2027,
                "firstOfferingDate": "2027-02-22T16:10:00+00:00",
                "instructors": ["Larry West", "craig Ruiz"], "isBlanked": false}),
            ),
            material(
                serde_json::json!({"id": "2", "sessionLearningMaterial": "11", "session": "5",
                "course": "1", "title": "hallmarks", "citation": "Cell. 2023", "mimetype": "citation",
                "sessionTitle": "Geroscience", "courseTitle": "Aging", "courseExternalId": "AEOL-202",
                "courseYear": 2027, "firstOfferingDate": "2027-02-22T16:10:00+00:00",
                "instructors": [], "isBlanked": false}),
            ),
            material(
                serde_json::json!({"id": "9", "courseLearningMaterial": "1", "course": "1",
                "title": "Syllabus", "mimetype": "application/pdf", "absoluteFileUri": "https://x/lm/s",
                "courseTitle": "Aging", "courseExternalId": "AEOL-202", "courseYear": 2027,
                "firstOfferingDate": "2027-01-18T08:00:00+00:00", "instructors": [], "isBlanked": false}),
            ),
            material(
                serde_json::json!({"id": "5", "sessionLearningMaterial": "12", "session": "7",
                "course": "3", "title": "Answers", "sessionTitle": "Bridges", "courseTitle": "Bridges Block",
                "courseYear": 2026, "startDate": "2027-03-01T17:00:00+00:00",
                "endDate": "2027-03-08T17:00:00+00:00", "instructors": [], "isBlanked": true}),
            ),
            material(
                serde_json::json!({"id": "3", "sessionLearningMaterial": "13", "session": "8",
                "course": "2", "title": "NIA", "link": "https://nia.example", "mimetype": "link",
                "sessionTitle": "Skills", "courseTitle": "Clinical Skills", "courseYear": 2027,
                "instructors": [], "isBlanked": false}),
            ),
        ]
    }

    fn sample_rows() -> Vec<MaterialRow> {
        rows(&sample(), &Los_Angeles, at("2027-02-17T18:00:00Z"))
    }

    #[test]
    fn next_60_days_is_today_midnight_to_the_sixtieth_day_at_23_59_keeping_the_seconds() {
        // `materials.gjs` `loadMaterials`: now.set({hour: 0, minute: 0}) and
        // now.set({hour: 23, minute: 59}).plus({day: 60}).
        let now = at("2027-02-17T18:00:42Z"); // 10:00:42 in Los Angeles
        let (after, before) = next_days_bounds(now, &Los_Angeles);
        assert_eq!(after, at("2027-02-17T08:00:42Z").timestamp());
        // April 18 is after the spring DST change: 23:59:42 PDT.
        assert_eq!(before, at("2027-04-19T06:59:42Z").timestamp());
        assert_eq!(Range::All.bounds(now, &Los_Angeles), None);
        assert_eq!(
            Range::Next60Days.bounds(now, &Los_Angeles),
            Some((after, before))
        );
    }

    #[test]
    fn rows_carry_kind_uri_citation_instructors_and_date() {
        let rows = sample_rows();
        let slides = &rows[0];
        assert_eq!(slides.kind, Some(MaterialKind::Pdf));
        assert_eq!(
            slides.pdf_links(),
            Some(("https://x/lm/abc?inline".into(), "https://x/lm/abc".into()))
        );
        // `material-list-item.gjs`: instructors sorted with localeCompare, joined with ", ".
        assert_eq!(slides.instructors_cell(), "craig Ruiz, Larry West");
        assert_eq!(slides.date, "02/22/2027");
        assert_eq!(rows[1].title_cell(), "Citation: hallmarks — Cell. 2023");
        assert_eq!(rows[1].uri, None);
        assert_eq!(rows[4].uri.as_deref(), Some("https://nia.example"));
        assert_eq!(rows[4].date, "None");
    }

    #[test]
    fn a_blanked_material_shows_timed_release_and_its_window_without_a_link() {
        let answers = &sample_rows()[3];
        assert_eq!(answers.kind, None);
        assert_eq!(answers.uri, None);
        assert_eq!(
            answers.title_cell(),
            "Timed Release: Answers (Available: 03/01/2027, 09:00 AM until 03/08/2027, 09:00 AM)"
        );
    }

    #[test]
    fn default_sort_is_date_descending_with_missing_dates_last() {
        let rows = sample_rows();
        let order = visible(&rows, &Filters::default(), Sort::default());
        let titles: Vec<&str> = order.iter().map(|&i| rows[i].title.as_str()).collect();
        // Ties (Slides, hallmarks on the same day; the two undated) come out in reverse server
        // order: the sort is ascending, missing values first, then reversed.
        assert_eq!(
            titles,
            ["hallmarks", "Slides", "Syllabus", "NIA", "Answers"]
        );
    }

    #[test]
    fn sort_toggles_like_the_column_headers() {
        let s = Sort::default().toggle(SortColumn::Title);
        assert_eq!(
            s,
            Sort {
                column: SortColumn::Title,
                descending: false
            }
        );
        assert!(s.toggle(SortColumn::Title).descending);
        assert!(
            !s.toggle(SortColumn::Title)
                .toggle(SortColumn::Title)
                .descending
        );
        let rows = sample_rows();
        let order = visible(&rows, &Filters::default(), s);
        let titles: Vec<&str> = order.iter().map(|&i| rows[i].title.as_str()).collect();
        assert_eq!(
            titles,
            ["Answers", "hallmarks", "NIA", "Slides", "Syllabus"]
        );
        // A course material has no session: it sorts first by session, ascending.
        let by_session = visible(
            &rows,
            &Filters::default(),
            Sort {
                column: SortColumn::Session,
                descending: false,
            },
        );
        assert_eq!(rows[by_session[0]].title, "Syllabus");
    }

    #[test]
    fn course_and_text_filters() {
        let rows = sample_rows();
        let only = |course: Option<Id>, text: &str| -> Vec<String> {
            let f = Filters {
                course,
                text: text.into(),
            };
            visible(&rows, &f, Sort::default().toggle(SortColumn::Title))
                .iter()
                .map(|&i| rows[i].title.clone())
                .collect()
        };
        assert_eq!(only(Some(2), ""), ["NIA"]);
        // Title, course, session and instructors, case-insensitively.
        assert_eq!(only(None, "LARRY"), ["Slides"]);
        assert_eq!(only(None, "bridges"), ["Answers"]);
        assert_eq!(only(Some(1), "geroscience"), ["hallmarks", "Slides"]);
        // JavaScript's "undefined" for a missing session title (`allFilteredMaterials`).
        assert_eq!(only(None, "undefined"), ["Syllabus"]);
        assert!(only(Some(99), "").is_empty());
    }

    #[test]
    fn course_options_read_year_external_id_and_title_all_courses_first() {
        let rows = sample_rows();
        let labels: Vec<String> = course_options(&rows, false)
            .into_iter()
            .map(|o| o.label)
            .collect();
        assert_eq!(
            labels,
            [
                "All Courses",
                "2026 | Bridges Block",
                "2027 | [AEOL-202] | Aging",
                "2027 | Clinical Skills"
            ]
        );
        let crossing = course_options(&rows, true);
        assert_eq!(crossing[1].label, "2026 - 2027 | Bridges Block");
        assert_eq!(crossing[1].id, Some(3));
    }

    #[test]
    fn status_cycles_and_applies_to_session_materials_only() {
        use MaterialStatus::*;
        assert_eq!(
            [NotStarted.next(), InProgress.next(), Complete.next()],
            [InProgress, Complete, NotStarted]
        );
        let rows = sample_rows();
        let mut statuses = Statuses::new([(7, 10, 1)]);
        assert_eq!(statuses.of(&rows[0], true), Some(InProgress));
        assert_eq!(
            statuses.of(&rows[1], true),
            Some(NotStarted),
            "no record: not started"
        );
        assert_eq!(
            statuses.of(&rows[2], true),
            None,
            "a course material has no status"
        );
        assert_eq!(
            statuses.of(&rows[0], false),
            None,
            "materialStatusEnabled off"
        );
        statuses.set(Some(8), 11, Complete);
        assert_eq!(
            (statuses.of(&rows[1], true), statuses.record_of(11)),
            (Some(Complete), Some(8))
        );
        assert_eq!(MaterialStatus::from_wire(7), NotStarted);
    }
}
