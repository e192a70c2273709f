//! My Profile: what to fetch after the user record, and every fact the page shows, derived purely.
//!
//! Sources (ilios/frontend): `packages/frontend/app/components/my-profile.gjs`,
//! `user-profile-roles.gjs`, `user-profile-permissions.gjs`, `user-profile/learner-groups.gjs`,
//! `user-profile/learner-group.gjs`, `packages/ilios-common/addon/models/{user,learner-group}.js`.
//! Filters are checked against ilios/ilios (`src/Entity/DTO/*DTO.php`, `src/Repository/*.php`).
//!
//! Loading happens in two rounds: `GET /users/{id}`, then ONE concurrent wave of
//! [`related_requests`]. Each answer goes into [`ProfileData::receive`]; every box of the page
//! derives from the parts it needs, so a slow or failed part only blanks its own boxes.
//!
//! Rooms: this file has [`ProfileData`] (the parts as they arrive) and the test fixtures;
//! `roles.rs` (heading, Roles box), `school.rs` (School box, default school and year),
//! `permissions.rs` (Permissions box), `learner_groups.rs` (Learner Groups box). The wave itself
//! is `api::profile`; the headless JSON and text shapes are `cli::profile`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::models::{
    AcademicYear, Cohort, Course, Id, LearnerGroup, Program, ProgramYear, School, Session, User,
    UserRole,
};
use crate::domain::Loadable;
use crate::domain::names::full_name;

mod learner_groups;
mod permissions;
mod roles;
mod school;

pub use learner_groups::*;
pub use permissions::*;
pub use roles::*;
pub use school::*;

// The wave of related requests lives next to the client (`api/profile.rs`), which sends it.
pub use crate::api::profile::{ProfilePart, RelatedQuery, related_requests};
use crate::api::profile::{teaches, union};

// ---------------------------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------------------------

/// The user record and each related part, loading on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileData {
    pub user: User,
    pub roles: Loadable<Vec<UserRole>>,
    /// ALL schools (the permissions school switcher).
    pub schools: Loadable<Vec<School>>,
    pub cohorts: Loadable<Vec<Cohort>>,
    pub program_years: Loadable<Vec<ProgramYear>>,
    pub programs: Loadable<Vec<Program>>,
    /// The user's groups and the other groups of their cohorts (so the parents are here).
    pub learner_groups: Loadable<Vec<LearnerGroup>>,
    /// Lookup table of every course the page names.
    pub courses: Loadable<Vec<Course>>,
    /// Administered and advised sessions.
    pub sessions: Loadable<Vec<Session>>,
    /// Taught sessions.
    pub instructed_sessions: Loadable<Vec<Session>>,
    pub academic_years: Loadable<Vec<AcademicYear>>,
    /// `academicYearCrossesCalendarYearBoundaries` from `GET /application/config` (known at login).
    pub crosses_boundary: bool,
    pending: BTreeMap<ProfilePart, usize>,
    staged: BTreeMap<ProfilePart, Vec<serde_json::Value>>,
}

trait HasId {
    fn id(&self) -> Id;
}
macro_rules! has_id {
    ($($t:ty),*) => { $(impl HasId for $t { fn id(&self) -> Id { self.id } })* };
}
has_id!(
    UserRole,
    School,
    Cohort,
    ProgramYear,
    Program,
    LearnerGroup,
    Course,
    Session,
    AcademicYear
);

fn decode<T: DeserializeOwned + HasId>(
    part: ProfilePart,
    values: Vec<serde_json::Value>,
) -> Loadable<Vec<T>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for v in values {
        match serde_json::from_value::<T>(v) {
            Ok(item) => {
                if seen.insert(item.id()) {
                    out.push(item);
                }
            }
            Err(e) => return Loadable::Failed(format!("Could not read the {part:?} answer: {e}")),
        }
    }
    Loadable::Ready(out)
}

impl ProfileData {
    /// Every part `Loading`, except the parts [`related_requests`] asks nothing for: those are
    /// empty at once.
    pub fn new(user: User, crosses_boundary: bool) -> Self {
        let mut pending = BTreeMap::new();
        for q in related_requests(&user) {
            *pending.entry(q.part).or_insert(0) += 1;
        }
        let mut data = ProfileData {
            user,
            roles: Loadable::Loading,
            schools: Loadable::Loading,
            cohorts: Loadable::Loading,
            program_years: Loadable::Loading,
            programs: Loadable::Loading,
            learner_groups: Loadable::Loading,
            courses: Loadable::Loading,
            sessions: Loadable::Loading,
            instructed_sessions: Loadable::Loading,
            academic_years: Loadable::Loading,
            crosses_boundary,
            pending,
            staged: BTreeMap::new(),
        };
        for part in ProfilePart::ALL {
            if !data.pending.contains_key(&part) {
                data.finish(part);
            }
        }
        data
    }

    /// Takes the answer of one query of the wave: the whole JSON body (`{"cohorts":[...]}`) or
    /// a readable error. A part is `Ready` when all its queries answered, `Failed` at the first error.
    pub fn receive(&mut self, query: &RelatedQuery, body: Result<serde_json::Value, String>) {
        let part = query.part;
        if !self.part_is_loading(part) {
            return;
        }
        match body {
            Err(e) => self.fail(part, e),
            Ok(mut body) => match body.get_mut(query.envelope()).map(serde_json::Value::take) {
                Some(serde_json::Value::Array(items)) => {
                    self.staged.entry(part).or_default().extend(items);
                    let left = self.pending.entry(part).or_insert(1);
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        self.finish(part);
                    }
                }
                _ => self.fail(
                    part,
                    format!(
                        "The answer to {} has no \"{}\" list",
                        query.resource,
                        query.envelope()
                    ),
                ),
            },
        }
    }

    /// Marks a part failed (e.g. the lead's client gave up on it).
    pub fn fail(&mut self, part: ProfilePart, message: String) {
        self.staged.remove(&part);
        self.pending.remove(&part);
        macro_rules! set {
            ($($p:ident => $f:ident),*) => { match part { $(ProfilePart::$p => self.$f = Loadable::Failed(message)),* } };
        }
        set!(Roles => roles, Schools => schools, AcademicYears => academic_years, Programs => programs,
            ProgramYears => program_years, Cohorts => cohorts, LearnerGroups => learner_groups,
            Courses => courses, Sessions => sessions, InstructedSessions => instructed_sessions);
    }

    fn part_is_loading(&self, part: ProfilePart) -> bool {
        match part {
            ProfilePart::Roles => self.roles.is_loading(),
            ProfilePart::Schools => self.schools.is_loading(),
            ProfilePart::AcademicYears => self.academic_years.is_loading(),
            ProfilePart::Programs => self.programs.is_loading(),
            ProfilePart::ProgramYears => self.program_years.is_loading(),
            ProfilePart::Cohorts => self.cohorts.is_loading(),
            ProfilePart::LearnerGroups => self.learner_groups.is_loading(),
            ProfilePart::Courses => self.courses.is_loading(),
            ProfilePart::Sessions => self.sessions.is_loading(),
            ProfilePart::InstructedSessions => self.instructed_sessions.is_loading(),
        }
    }

    fn finish(&mut self, part: ProfilePart) {
        self.pending.remove(&part);
        let v = self.staged.remove(&part).unwrap_or_default();
        match part {
            ProfilePart::Roles => self.roles = decode(part, v),
            ProfilePart::Schools => self.schools = decode(part, v),
            ProfilePart::AcademicYears => self.academic_years = decode(part, v),
            ProfilePart::Programs => self.programs = decode(part, v),
            ProfilePart::ProgramYears => self.program_years = decode(part, v),
            ProfilePart::Cohorts => self.cohorts = decode(part, v),
            ProfilePart::LearnerGroups => self.learner_groups = decode(part, v),
            ProfilePart::Courses => self.courses = decode(part, v),
            ProfilePart::Sessions => self.sessions = decode(part, v),
            ProfilePart::InstructedSessions => self.instructed_sessions = decode(part, v),
        }
    }

    /// Whether no part is still loading.
    pub fn is_complete(&self) -> bool {
        ProfilePart::ALL.iter().all(|p| !self.part_is_loading(*p))
    }
}

/// `Ready` when every listed part is; else the first failure; else `Loading`.
fn gate(parts: &[Loadable<()>]) -> Loadable<()> {
    if let Some(Loadable::Failed(e)) = parts.iter().find(|p| matches!(p, Loadable::Failed(_))) {
        return Loadable::Failed(e.clone());
    }
    if parts.iter().any(Loadable::is_loading) {
        return Loadable::Loading;
    }
    Loadable::Ready(())
}

fn unit<T>(l: &Loadable<T>) -> Loadable<()> {
    l.as_ref().map(|_| ())
}

fn slice<T>(l: &Loadable<Vec<T>>) -> &[T] {
    l.ready().map(Vec::as_slice).unwrap_or(&[])
}

fn by_id<T: HasId>(items: &[T]) -> HashMap<Id, &T> {
    items.iter().map(|i| (i.id(), i)).collect()
}

/// Ilios sorts titles with `localeCompare` (`utils/array-helpers.js` `sortBy`): a real
/// collation, [`crate::domain::collate::compare`].
fn title_cmp(a: &str, b: &str) -> Ordering {
    crate::domain::collate::compare(a, b)
}

/// Wire-shaped fixtures (string ids in lists, numbers for single relations, nulls omitted),
/// answered query by query as a server would, for the domain and UI tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use serde_json::{Value, json};

    pub const GUTIERREZ: &str = r#"{"id":10,"lastName":"Gutierrez","firstName":"Nicholas","middleName":"Ann",
        "email":"nicholas.gutierrez@example.edu","addedViaIlios":true,"enabled":true,"campusId":"100010",
        "examined":false,"userSyncIgnore":false,"root":true,"icsFeedKey":"ab12","school":1,
        "reports":[],"directedCourses":["101"],"administeredCourses":["102"],"studentAdvisedCourses":[],
        "learnerGroups":[],"instructedLearnerGroups":[],"instructorGroups":[],"instructorIlmSessions":[],
        "learnerIlmSessions":[],"offerings":[],"instructedOfferings":["501","502"],"programYears":[],
        "roles":["2","1"],"cohorts":[],"pendingUserUpdates":[],"directedSchools":[],
        "administeredSchools":["1"],"administeredSessions":["201"],"studentAdvisedSessions":[],
        "directedPrograms":[],"administeredCurriculumInventoryReports":[],"sessionMaterialStatuses":[]}"#;

    pub const POWELL: &str = r#"{"id":20,"lastName":"Powell","firstName":"Walter","middleName":"Stephanie",
        "displayName":"Walter Stephanie Powell","email":"walter.powell@example.edu","addedViaIlios":false,
        "enabled":true,"examined":false,"userSyncIgnore":true,"root":false,"school":1,"primaryCohort":7,
        "directedCourses":[],"administeredCourses":[],"studentAdvisedCourses":[],"learnerGroups":["72","71"],
        "instructedLearnerGroups":[],"instructorGroups":[],"instructorIlmSessions":[],"learnerIlmSessions":[],
        "offerings":["601"],"instructedOfferings":[],"programYears":[],"roles":["4"],"cohorts":["7","8"],
        "directedSchools":[],"administeredSchools":[],"administeredSessions":[],"studentAdvisedSessions":[],
        "directedPrograms":[]}"#;

    fn roles() -> Value {
        json!({"userRoles":[{"id":1,"title":"Course Director"},{"id":2,"title":"Developer"},
            {"id":3,"title":"Faculty"},{"id":4,"title":"Student"},{"id":5,"title":"Public"},
            {"id":9,"title":"Former Student"}]})
    }
    fn schools() -> Value {
        json!({"schools":[{"id":1,"title":"Medicine","iliosAdministratorEmail":"a@example.edu","programs":["1","2"]},
            {"id":2,"title":"Dentistry","iliosAdministratorEmail":"a@example.edu","programs":["3"]},
            {"id":3,"title":"Pharmacy","iliosAdministratorEmail":"a@example.edu"}]})
    }
    fn years() -> Value {
        json!({"academicYears":[{"id":"2024","title":"2024"},{"id":"2025","title":"2025"},{"id":"2026","title":"2026"}]})
    }
    fn programs() -> Value {
        json!({"programs":[
            {"id":1,"title":"Doctor of Medicine","shortTitle":"MD","duration":4,"school":1,"programYears":["17"]},
            {"id":2,"title":"Bridges Curriculum","duration":4,"school":1,"programYears":["18"]},
            {"id":3,"title":"Doctor of Dental Surgery","duration":4,"school":2,"programYears":["19"]}]})
    }
    fn course(id: u64, title: &str, year: i32, school: u64) -> Value {
        json!({"id":id,"title":title,"level":1,"year":year,"school":school,"locked":false,"archived":false,
            "published":true,"publishedAsTbd":false,"directors":[],"administrators":[],"sessions":[]})
    }
    fn session(id: u64, title: &str, course: u64) -> Value {
        json!({"id":id,"title":title,"course":course,"sessionType":1,"published":true,"publishedAsTbd":false,
            "administrators":[],"offerings":[]})
    }

    /// What the server answers to each query of the wave (`None`: not part of this fixture).
    pub fn answer(query: &RelatedQuery) -> Option<Value> {
        let v = match query.path_and_query().as_str() {
            "userroles" => roles(),
            "schools" => schools(),
            "academicyears" => years(),
            "programs" => programs(),
            "programyears" => json!({"programYears":[
                {"id":17,"startYear":2024,"locked":false,"archived":false,"program":1,"cohort":7,"school":1,"directors":[]},
                {"id":18,"startYear":2023,"locked":false,"archived":false,"program":2,"cohort":8,"school":1,"directors":[]},
                {"id":19,"startYear":2025,"locked":false,"archived":false,"program":3,"cohort":9,"school":2,"directors":[]}]}),
            "cohorts?filters[id][]=7&filters[id][]=8" => json!({"cohorts":[
                {"id":7,"title":"Class of 2028","programYear":17,"courses":[],"learnerGroups":["71","72"],"users":["20"]},
                {"id":8,"title":"Class of 2027 (Bridges)","programYear":18,"courses":[],"learnerGroups":[],"users":["20"]}]}),
            "cohorts?filters[learnerGroups][]=71&filters[learnerGroups][]=72" => json!({"cohorts":[
                {"id":7,"title":"Class of 2028","programYear":17,"courses":[],"learnerGroups":["71","72"],"users":["20"]}]}),
            // A learner sees only their own groups; here they are all the cohort has.
            "learnergroups?filters[cohorts][]=7&filters[cohorts][]=8"
            | "learnergroups?filters[id][]=71&filters[id][]=72" => json!({"learnerGroups":[
                {"id":71,"title":"Group A","needsAccommodation":false,"cohort":7,"children":["72"],"users":["20"]},
                {"id":72,"title":"Group A1","needsAccommodation":false,"cohort":7,"parent":71,"ancestor":71,
                 "children":[],"users":["20"]}]}),
            "courses?filters[id][]=101&filters[id][]=102" => json!({"courses":[
                course(101, "Foundations of Patient Care", 2025, 1), course(102, "Anatomy", 2025, 1)]}),
            // The `instructors` filter also returns directed courses (CourseRepository joins directors).
            "courses?filters[instructors][]=10" => json!({"courses":[
                course(101, "Foundations of Patient Care", 2025, 1), course(103, "Cardiology", 2025, 1),
                course(104, "Oral Histology", 2025, 2), course(105, "Neurology", 2024, 1)]}),
            "courses?filters[sessions][]=201" => {
                json!({"courses":[course(101, "Foundations of Patient Care", 2025, 1)]})
            }
            "sessions?filters[id][]=201" => json!({"sessions":[session(201, "Orientation", 101)]}),
            "sessions?filters[instructors][]=10" => json!({"sessions":[
                session(301, "Heart Sounds", 103), session(302, "ECG Basics", 103), session(303, "Enamel", 104),
                session(304, "Stroke", 105), session(305, "Welcome Lecture", 101)]}),
            _ => return None,
        };
        Some(v)
    }

    pub fn user(json: &str) -> User {
        serde_json::from_str(json).expect("fixture user decodes")
    }

    /// The whole wave answered, as the lead's client would fill it.
    pub fn loaded(json: &str) -> ProfileData {
        let user = user(json);
        let mut data = ProfileData::new(user.clone(), true);
        for q in related_requests(&user) {
            let body = answer(&q)
                .unwrap_or_else(|| panic!("fixture has no answer for {}", q.path_and_query()));
            data.receive(&q, Ok(body));
        }
        assert!(data.is_complete());
        data
    }

    /// 15 March 2026: with crossing academic years the default year is 2025 (2025 - 2026).
    pub fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    fn paths(user: &User) -> Vec<String> {
        related_requests(user)
            .iter()
            .map(RelatedQuery::path_and_query)
            .collect()
    }

    #[test]
    fn wave_for_an_instructor_and_director() {
        assert_eq!(
            paths(&user(GUTIERREZ)),
            [
                "userroles",
                "schools",
                "academicyears",
                "programs",
                "courses?filters[id][]=101&filters[id][]=102",
                "courses?filters[instructors][]=10",
                "courses?filters[sessions][]=201",
                "sessions?filters[id][]=201",
                "sessions?filters[instructors][]=10",
            ]
        );
    }

    #[test]
    fn wave_for_a_student() {
        assert_eq!(
            paths(&user(POWELL)),
            [
                "userroles",
                "schools",
                "academicyears",
                "programs",
                "programyears",
                "cohorts?filters[id][]=7&filters[id][]=8",
                "cohorts?filters[learnerGroups][]=71&filters[learnerGroups][]=72",
                "learnergroups?filters[cohorts][]=7&filters[cohorts][]=8",
                "learnergroups?filters[id][]=71&filters[id][]=72",
            ]
        );
    }

    #[test]
    fn wave_never_sends_an_empty_filter_and_empty_parts_are_ready_at_once() {
        let bare = User {
            id: 3,
            ..User::default()
        };
        for q in related_requests(&bare) {
            assert!(q.filters.is_empty(), "only GET-alls for a bare user: {q:?}");
        }
        let data = ProfileData::new(bare, false);
        assert_eq!(data.cohorts, Loadable::Ready(vec![]));
        assert_eq!(data.courses, Loadable::Ready(vec![]));
        assert_eq!(data.instructed_sessions, Loadable::Ready(vec![]));
        assert!(data.roles.is_loading() && data.schools.is_loading());
    }

    #[test]
    fn directed_program_years_bring_their_cohorts_in_the_same_wave() {
        let u = User {
            id: 4,
            program_years: vec![19],
            ..User::default()
        };
        let p = paths(&u);
        assert!(p.contains(&"programyears".to_string()));
        assert!(p.contains(&"cohorts?filters[programYear][]=19".to_string()));
    }

    #[test]
    fn query_pairs_and_envelopes() {
        let q = &related_requests(&user(POWELL))[7];
        assert_eq!(q.envelope(), "learnerGroups");
        assert_eq!(
            q.query_pairs(),
            [
                ("filters[cohorts][]".to_string(), "7".to_string()),
                ("filters[cohorts][]".into(), "8".into())
            ]
        );
    }

    #[test]
    fn a_part_is_ready_only_when_all_its_queries_answered_and_merges_without_duplicates() {
        let u = user(POWELL);
        let mut data = ProfileData::new(u.clone(), false);
        let cohort_queries: Vec<RelatedQuery> = related_requests(&u)
            .into_iter()
            .filter(|q| q.part == ProfilePart::Cohorts)
            .collect();
        assert_eq!(cohort_queries.len(), 2);
        data.receive(&cohort_queries[0], Ok(answer(&cohort_queries[0]).unwrap()));
        assert!(data.cohorts.is_loading());
        data.receive(&cohort_queries[1], Ok(answer(&cohort_queries[1]).unwrap()));
        let ids: Vec<Id> = data.cohorts.ready().unwrap().iter().map(|c| c.id).collect();
        assert_eq!(ids, [7, 8]);
    }

    #[test]
    fn a_failed_part_fails_alone_and_later_answers_are_ignored() {
        let u = user(GUTIERREZ);
        let mut data = ProfileData::new(u.clone(), false);
        let qs = related_requests(&u);
        let courses: Vec<&RelatedQuery> = qs
            .iter()
            .filter(|q| q.part == ProfilePart::Courses)
            .collect();
        data.receive(courses[0], Err("Ilios answered 500 for courses".into()));
        data.receive(courses[1], Ok(answer(courses[1]).unwrap()));
        assert_eq!(
            data.courses,
            Loadable::Failed("Ilios answered 500 for courses".into())
        );
        let roles = qs.iter().find(|q| q.part == ProfilePart::Roles).unwrap();
        data.receive(roles, Ok(answer(roles).unwrap()));
        assert!(roles_box(&data).ready().is_some());
        assert!(matches!(permissions(&data, 1, 2025), Loadable::Failed(_)));
        assert!(matches!(school_box(&data), Loadable::Loading));
    }

    #[test]
    fn an_answer_without_its_envelope_fails_the_part() {
        let u = user(GUTIERREZ);
        let mut data = ProfileData::new(u.clone(), false);
        let q = &related_requests(&u)[0];
        data.receive(q, Ok(serde_json::json!({"roles": []})));
        assert!(matches!(data.roles, Loadable::Failed(ref e) if e.contains("userRoles")));
    }
}
