//! The All Events filters of the dashboard's Calendar, as the Ilios web client applies them
//! (FE `packages/ilios-common/addon/components/dashboard/calendar.gjs`, `filteredEvents` and the
//! `eventsWithSelected*` getters): five kinds (session types, course levels, cohorts, courses,
//! terms). An empty kind lets every event through; a kind with choices keeps the events that
//! match any of them (OR within a kind); an event is shown only when every kind keeps it (AND
//! across kinds). Pure.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::api::calendar::SchoolFilterLists;
use crate::api::models::{Id, UserEvent};

/// Whose events the Calendar shows: the user's own (userevents) or a school's (schoolevents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CalendarSource {
    #[default]
    MySchedule,
    AllEvents,
}

impl CalendarSource {
    /// `source` in `calendar --json`.
    pub fn json_name(self) -> &'static str {
        match self {
            CalendarSource::MySchedule => "mySchedule",
            CalendarSource::AllEvents => "allEvents",
        }
    }

    /// The toggle's labels in the web client (`general.mySchedule`, `general.allEvents`).
    pub fn title(self) -> &'static str {
        match self {
            CalendarSource::MySchedule => "My Schedule",
            CalendarSource::AllEvents => "All Events",
        }
    }
}

/// The course levels the web client offers (`calendar-filters.gjs`: `courseLevels`).
pub const COURSE_LEVELS: [i32; 5] = [1, 2, 3, 4, 5];

/// The five kinds of filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FilterKind {
    SessionType,
    CourseLevel,
    Cohort,
    Course,
    Term,
}

impl FilterKind {
    pub const ALL: [FilterKind; 5] = [
        FilterKind::SessionType,
        FilterKind::CourseLevel,
        FilterKind::Cohort,
        FilterKind::Course,
        FilterKind::Term,
    ];

    /// The heading the web client gives the kind.
    pub fn title(self) -> &'static str {
        match self {
            FilterKind::SessionType => "Session Types",
            FilterKind::CourseLevel => "Course Levels",
            FilterKind::Cohort => "Cohorts",
            FilterKind::Course => "Courses",
            FilterKind::Term => "Terms",
        }
    }
}

/// What is checked, per kind. Course levels are kept as ids too (1–5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarFilters {
    pub session_types: BTreeSet<Id>,
    pub course_levels: BTreeSet<Id>,
    pub cohorts: BTreeSet<Id>,
    pub courses: BTreeSet<Id>,
    pub terms: BTreeSet<Id>,
}

impl CalendarFilters {
    pub fn is_empty(&self) -> bool {
        FilterKind::ALL.iter().all(|k| self.of(*k).is_empty())
    }

    /// How many choices are checked in all.
    pub fn count(&self) -> usize {
        FilterKind::ALL.iter().map(|k| self.of(*k).len()).sum()
    }

    pub fn of(&self, kind: FilterKind) -> &BTreeSet<Id> {
        match kind {
            FilterKind::SessionType => &self.session_types,
            FilterKind::CourseLevel => &self.course_levels,
            FilterKind::Cohort => &self.cohorts,
            FilterKind::Course => &self.courses,
            FilterKind::Term => &self.terms,
        }
    }

    fn of_mut(&mut self, kind: FilterKind) -> &mut BTreeSet<Id> {
        match kind {
            FilterKind::SessionType => &mut self.session_types,
            FilterKind::CourseLevel => &mut self.course_levels,
            FilterKind::Cohort => &mut self.cohorts,
            FilterKind::Course => &mut self.courses,
            FilterKind::Term => &mut self.terms,
        }
    }

    pub fn is_checked(&self, kind: FilterKind, id: Id) -> bool {
        self.of(kind).contains(&id)
    }

    /// Checks `id` if it was not, unchecks it if it was.
    pub fn toggle(&mut self, kind: FilterKind, id: Id) {
        let set = self.of_mut(kind);
        if !set.remove(&id) {
            set.insert(id);
        }
    }

    pub fn check(&mut self, kind: FilterKind, id: Id) {
        self.of_mut(kind).insert(id);
    }

    pub fn clear(&mut self) {
        *self = CalendarFilters::default();
    }

    /// Another school: its session types, cohorts, courses and terms are other records, so
    /// those choices go; course levels (1–5) mean the same in every school and stay. The web
    /// client keeps every id in its query (`templates/dashboard/calendar.gjs` sets only
    /// `school`), where the old school's ids then match none of the new school's events.
    pub fn for_another_school(&mut self) {
        *self = CalendarFilters {
            course_levels: std::mem::take(&mut self.course_levels),
            ..CalendarFilters::default()
        };
    }

    /// Whether `e` passes every kind.
    pub fn keeps(&self, e: &UserEvent) -> bool {
        FilterKind::ALL.iter().all(|k| self.kind_keeps(*k, e))
    }

    /// One kind: nothing checked keeps everything; else any checked value of the event's.
    fn kind_keeps(&self, kind: FilterKind, e: &UserEvent) -> bool {
        let wanted = self.of(kind);
        if wanted.is_empty() {
            return true;
        }
        let has = |id: Option<Id>| id.is_some_and(|id| wanted.contains(&id));
        match kind {
            FilterKind::SessionType => has(e.session_type_id),
            FilterKind::CourseLevel => has(e.course_level.and_then(|l| Id::try_from(l).ok())),
            FilterKind::Cohort => e.cohorts.iter().any(|c| wanted.contains(&c.id)),
            FilterKind::Course => has(e.course),
            FilterKind::Term => e
                .session_terms
                .iter()
                .chain(&e.course_terms)
                .any(|t| wanted.contains(&t.id)),
        }
    }

    /// The events that pass, in their order.
    pub fn apply<'a>(&self, events: &'a [UserEvent]) -> Vec<&'a UserEvent> {
        events.iter().filter(|e| self.keeps(e)).collect()
    }
}

/// One checkable choice of a kind, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterOption {
    pub id: Id,
    pub label: String,
    /// A heading the option is listed under (a course's year), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// The choices of each kind for one school, in the web client's order: session types by title,
/// levels 1–5, cohorts by title, courses by year (newest first) then title, terms by vocabulary
/// then title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterOptions {
    pub session_types: Vec<FilterOption>,
    pub cohorts: Vec<FilterOption>,
    pub courses: Vec<FilterOption>,
    pub terms: Vec<FilterOption>,
}

impl FilterOptions {
    pub fn of(&self, kind: FilterKind) -> Vec<FilterOption> {
        match kind {
            FilterKind::SessionType => self.session_types.clone(),
            FilterKind::CourseLevel => COURSE_LEVELS
                .iter()
                .map(|l| FilterOption {
                    id: *l as Id,
                    label: l.to_string(),
                    group: None,
                })
                .collect(),
            FilterKind::Cohort => self.cohorts.clone(),
            FilterKind::Course => self.courses.clone(),
            FilterKind::Term => self.terms.clone(),
        }
    }

    /// Session types sorted by title (`calendar-filters.gjs`: `sortBy(types, 'title')`).
    pub fn with_session_types(mut self, types: impl IntoIterator<Item = (Id, String)>) -> Self {
        self.session_types = sorted_by_label(types, |_| None);
        self
    }

    /// Cohorts sorted by their title (`calendar.gjs`: `sortBy(cohortProxies, 'displayTitle')`).
    pub fn with_cohorts(mut self, cohorts: impl IntoIterator<Item = (Id, String)>) -> Self {
        self.cohorts = sorted_by_label(cohorts, |_| None);
        self
    }

    /// Courses grouped by year, the newest year first, each year's by title
    /// (`courses-calendar-filter.gjs`).
    pub fn with_courses(mut self, courses: impl IntoIterator<Item = (Id, String, i32)>) -> Self {
        let mut v: Vec<(i32, String, Id)> =
            courses.into_iter().map(|(i, t, y)| (y, t, i)).collect();
        v.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        self.courses = v
            .into_iter()
            .map(|(year, title, id)| FilterOption {
                id,
                label: title,
                group: Some(year.to_string()),
            })
            .collect();
        self
    }

    /// Terms under their vocabulary, vocabularies by title, then terms by title
    /// (`terms-calendar-filter.gjs`).
    pub fn with_terms(mut self, terms: impl IntoIterator<Item = (Id, String, String)>) -> Self {
        let mut v: Vec<(String, String, Id)> =
            terms.into_iter().map(|(i, t, voc)| (voc, t, i)).collect();
        v.sort();
        self.terms = v
            .into_iter()
            .map(|(vocabulary, title, id)| FilterOption {
                id,
                label: title,
                group: Some(vocabulary),
            })
            .collect();
        self
    }
}

impl FilterOptions {
    /// The lists as the server sent them (text made safe for the terminal here, once).
    pub fn from_lists(lists: &SchoolFilterLists) -> FilterOptions {
        let clean = |s: &str| crate::text::sanitize_line(s).into_owned();
        let vocabulary = |id: Option<Id>| {
            lists
                .vocabularies
                .iter()
                .find(|v| Some(v.id) == id)
                .map(|v| clean(&v.title))
        };
        FilterOptions::default()
            .with_session_types(lists.session_types.iter().map(|t| (t.id, clean(&t.title))))
            .with_cohorts(lists.cohorts.iter().map(|c| (c.id, clean(&c.title))))
            .with_courses(
                lists
                    .courses
                    .iter()
                    .map(|c| (c.id, clean(&c.title), c.year)),
            )
            .with_terms(
                lists
                    .terms
                    .iter()
                    .filter_map(|t| Some((t.id, clean(&t.title), vocabulary(t.vocabulary)?))),
            )
    }
}

fn sorted_by_label(
    items: impl IntoIterator<Item = (Id, String)>,
    group: impl Fn(Id) -> Option<String>,
) -> Vec<FilterOption> {
    let mut v: Vec<FilterOption> = items
        .into_iter()
        .map(|(id, label)| FilterOption {
            id,
            group: group(id),
            label,
        })
        .collect();
    v.sort_by(|a, b| a.label.cmp(&b.label).then(a.id.cmp(&b.id)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::EventTag;

    fn tag(id: Id) -> EventTag {
        EventTag {
            id,
            title: format!("t{id}"),
        }
    }

    fn event(
        name: &str,
        session_type: Id,
        level: i32,
        cohort: Id,
        course: Id,
        term: Id,
    ) -> UserEvent {
        UserEvent {
            name: name.into(),
            session_type_id: Some(session_type),
            course_level: Some(level),
            cohorts: vec![tag(cohort)],
            course: Some(course),
            course_terms: vec![tag(term)],
            ..UserEvent::default()
        }
    }

    fn names(f: &CalendarFilters, evs: &[UserEvent]) -> Vec<String> {
        f.apply(evs).iter().map(|e| e.name.clone()).collect()
    }

    fn sample() -> Vec<UserEvent> {
        vec![
            event("a", 1, 1, 10, 100, 1000),
            event("b", 2, 2, 20, 200, 2000),
            event("c", 1, 2, 20, 300, 3000),
        ]
    }

    #[test]
    fn nothing_checked_keeps_everything() {
        let f = CalendarFilters::default();
        assert!(f.is_empty());
        assert_eq!(names(&f, &sample()), ["a", "b", "c"]);
    }

    #[test]
    fn or_within_a_kind() {
        let mut f = CalendarFilters::default();
        f.check(FilterKind::Course, 100);
        f.check(FilterKind::Course, 200);
        assert_eq!(names(&f, &sample()), ["a", "b"]);
    }

    #[test]
    fn and_across_kinds() {
        let mut f = CalendarFilters::default();
        f.check(FilterKind::SessionType, 1);
        f.check(FilterKind::CourseLevel, 2);
        assert_eq!(names(&f, &sample()), ["c"], "type 1 AND level 2");
        f.check(FilterKind::Cohort, 10);
        assert!(names(&f, &sample()).is_empty());
        assert_eq!(f.count(), 3);
    }

    #[test]
    fn terms_match_session_or_course_terms() {
        let mut evs = sample();
        evs[1].session_terms = vec![tag(7)];
        let mut f = CalendarFilters::default();
        f.check(FilterKind::Term, 7);
        f.check(FilterKind::Term, 3000);
        assert_eq!(names(&f, &evs), ["b", "c"]);
    }

    #[test]
    fn a_redacted_event_passes_only_empty_kinds() {
        // A "Scheduled" event has no type, level, cohorts or terms; its course stays.
        let scheduled = UserEvent {
            name: "Scheduled".into(),
            course: Some(100),
            ..UserEvent::default()
        };
        let evs = [scheduled];
        let mut f = CalendarFilters::default();
        f.check(FilterKind::Course, 100);
        assert_eq!(names(&f, &evs), ["Scheduled"]);
        f.check(FilterKind::SessionType, 1);
        assert!(names(&f, &evs).is_empty());
    }

    #[test]
    fn toggle_and_clear() {
        let mut f = CalendarFilters::default();
        f.toggle(FilterKind::Term, 1);
        assert!(f.is_checked(FilterKind::Term, 1));
        f.toggle(FilterKind::Term, 1);
        assert!(f.is_empty());
        f.toggle(FilterKind::Cohort, 2);
        f.clear();
        assert!(f.is_empty());
        for kind in FilterKind::ALL {
            f.check(kind, 3);
        }
        f.for_another_school();
        assert_eq!(f.count(), 1);
        assert!(f.is_checked(FilterKind::CourseLevel, 3), "{f:?}");
    }

    #[test]
    fn options_in_the_web_clients_order() {
        let o = FilterOptions::default()
            .with_session_types([(2, "Small Group".into()), (1, "Lecture".into())])
            .with_courses([
                (5, "Intro".into(), 2026),
                (2, "Foundations".into(), 2027),
                (1, "Aging".into(), 2027),
            ])
            .with_terms([
                (4, "Skills".into(), "Topics".into()),
                (5, "Renal".into(), "Organ Systems".into()),
            ]);
        let labels = |k| o.of(k).into_iter().map(|x| x.label).collect::<Vec<_>>();
        assert_eq!(labels(FilterKind::SessionType), ["Lecture", "Small Group"]);
        assert_eq!(
            labels(FilterKind::Course),
            ["Aging", "Foundations", "Intro"]
        );
        assert_eq!(o.of(FilterKind::Course)[2].group.as_deref(), Some("2026"));
        assert_eq!(labels(FilterKind::Term), ["Renal", "Skills"]);
        assert_eq!(labels(FilterKind::CourseLevel), ["1", "2", "3", "4", "5"]);
    }
}
