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

/// Ilios sorts with Ember's `compare`, i.e. `localeCompare`: case folds first.
fn title_cmp(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

// ---------------------------------------------------------------------------------------------
// Heading and Roles box
// ---------------------------------------------------------------------------------------------

/// The page heading: the user's full name (`names::full_name`).
pub fn heading(user: &User) -> String {
    full_name(user)
}

/// `Some("Student")` when a role is titled exactly `Student` (`user.js` `isStudent`,
/// case-sensitive, unlike the Roles box).
pub fn student_marker(user: &User, roles: &[UserRole]) -> Option<&'static str> {
    role_titles(user, roles)
        .iter()
        .any(|t| t == "Student")
        .then_some("Student")
}

/// The titles of the user's roles, in the user's order; unknown ids are skipped.
pub fn role_titles(user: &User, roles: &[UserRole]) -> Vec<String> {
    let map = by_id(roles);
    user.roles
        .iter()
        .filter_map(|id| map.get(id))
        .map(|r| r.title.clone())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolesBox {
    pub student: bool,
    pub former_student: bool,
    pub account_enabled: bool,
    pub exclude_from_sync: bool,
    pub performs_non_learner_functions: bool,
    pub learner: bool,
    pub root: bool,
    /// Role titles as Ilios stores them (e.g. `Developer`, `Course Director`).
    pub role_titles: Vec<String>,
    /// Teaches offerings, ILMs or learner groups, or is in an instructor group.
    pub is_instructor: bool,
    /// Directs at least one course.
    pub is_course_director: bool,
}

/// `user.js` `performsNonLearnerFunction`.
pub fn performs_non_learner_functions(user: &User) -> bool {
    [
        &user.directed_courses,
        &user.administered_courses,
        &user.administered_sessions,
        &user.instructor_groups,
        &user.instructed_offerings,
        &user.instructor_ilm_sessions,
        &user.instructed_learner_groups,
        &user.directed_programs,
        &user.program_years,
        &user.directed_schools,
        &user.administered_schools,
    ]
    .iter()
    .any(|l| !l.is_empty())
}

/// `user.js` `isLearner`.
pub fn is_learner(user: &User) -> bool {
    !user.cohorts.is_empty() || !user.offerings.is_empty() || !user.learner_ilm_sessions.is_empty()
}

/// The Roles box from the user and the role table (`user-profile-roles.gjs`).
pub fn roles_box_from(user: &User, roles: &[UserRole]) -> RolesBox {
    let titles = role_titles(user, roles);
    let has = |t: &str| titles.iter().any(|x| x.to_lowercase() == t);
    RolesBox {
        student: has("student"),
        former_student: has("former student"),
        account_enabled: user.enabled,
        exclude_from_sync: user.user_sync_ignore,
        performs_non_learner_functions: performs_non_learner_functions(user),
        learner: is_learner(user),
        root: user.root,
        role_titles: titles,
        is_instructor: teaches(user),
        is_course_director: !user.directed_courses.is_empty(),
    }
}

pub fn roles_box(data: &ProfileData) -> Loadable<RolesBox> {
    data.roles
        .as_ref()
        .map(|roles| roles_box_from(&data.user, roles))
}

// ---------------------------------------------------------------------------------------------
// School box
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CohortLine {
    pub title: String,
    pub program: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchoolBox {
    /// Empty when the user has no school (Ilios shows an empty value).
    pub primary_school: String,
    /// `None` shows as `Unassigned`.
    pub primary_cohort: Option<String>,
    /// Sorted by cohort title; empty shows as `Unassigned`.
    pub secondary_cohorts: Vec<CohortLine>,
}

pub const UNASSIGNED: &str = "Unassigned";
pub const NONE: &str = "None";

fn program_of_cohort<'a>(
    cohort: &Cohort,
    program_years: &HashMap<Id, &ProgramYear>,
    programs: &HashMap<Id, &'a Program>,
) -> Option<&'a Program> {
    let py = program_years.get(&cohort.program_year?)?;
    programs.get(&py.program?).copied()
}

pub fn school_box(data: &ProfileData) -> Loadable<SchoolBox> {
    gate(&[
        unit(&data.schools),
        unit(&data.cohorts),
        unit(&data.program_years),
        unit(&data.programs),
    ])
    .map(|()| {
        school_box_from(
            &data.user,
            slice(&data.schools),
            slice(&data.cohorts),
            slice(&data.program_years),
            slice(&data.programs),
        )
    })
}

pub fn school_box_from(
    user: &User,
    schools: &[School],
    cohorts: &[Cohort],
    program_years: &[ProgramYear],
    programs: &[Program],
) -> SchoolBox {
    let schools = by_id(schools);
    let cohort_map = by_id(cohorts);
    let pys = by_id(program_years);
    let progs = by_id(programs);
    let primary_school = user
        .school
        .and_then(|s| schools.get(&s))
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let primary_cohort = user
        .primary_cohort
        .and_then(|c| cohort_map.get(&c))
        .map(|c| c.title.clone());
    let mut secondary: Vec<CohortLine> = union(&[&user.cohorts])
        .into_iter()
        .filter(|id| Some(*id) != user.primary_cohort)
        .filter_map(|id| cohort_map.get(&id))
        .map(|c| CohortLine {
            title: c.title.clone(),
            program: program_of_cohort(c, &pys, &progs)
                .map(|p| p.title.clone())
                .unwrap_or_default(),
        })
        .collect();
    secondary.sort_by(|a, b| title_cmp(&a.title, &b.title));
    SchoolBox {
        primary_school,
        primary_cohort,
        secondary_cohorts: secondary,
    }
}

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

/// The user's primary school, else the first school by title (`bestSelectedSchool`).
pub fn default_permissions_school(user: &User, schools: &[School]) -> Option<Id> {
    if let Some(id) = user.school {
        return Some(id);
    }
    schools
        .iter()
        .min_by(|a, b| title_cmp(&a.title, &b.title))
        .map(|s| s.id)
}

/// `bestSelectedYear` without a chosen year: this calendar year, minus one when academic years
/// cross calendar years and the month is before June; else the latest year Ilios knows.
pub fn default_academic_year(
    today: NaiveDate,
    crosses_boundary: bool,
    years: &[AcademicYear],
) -> Option<Id> {
    let mut current = i64::from(today.year());
    if crosses_boundary && today.month() < 6 {
        current -= 1;
    }
    if let Some(y) = years.iter().find(|y| y.id as i64 == current) {
        return Some(y.id);
    }
    years.iter().map(|y| y.id).max()
}

/// Schools in switcher order (by title).
pub fn schools_by_title(schools: &[School]) -> Vec<&School> {
    let mut v: Vec<&School> = schools.iter().collect();
    v.sort_by(|a, b| title_cmp(&a.title, &b.title));
    v
}

/// Academic years in switcher order (by title, descending).
pub fn years_descending(years: &[AcademicYear]) -> Vec<&AcademicYear> {
    let mut v: Vec<&AcademicYear> = years.iter().collect();
    v.sort_by(|a, b| title_cmp(&b.title, &a.title));
    v
}

/// The label of a year: `2018`, or `2018 - 2019` when academic years cross calendar years.
pub fn year_label(year: i64, crosses_boundary: bool) -> String {
    if crosses_boundary {
        format!("{year} - {}", year + 1)
    } else {
        year.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    pub school_id: Id,
    pub school_title: String,
    pub year: Id,
    /// As the year switcher shows it (`2018 - 2019` when crossing).
    pub year_label: String,
    pub school_director: bool,
    pub school_administrator: bool,
    /// Directed programs of the school, by title.
    pub programs: Vec<String>,
    /// Directed program years of the school: `{program title} {cohort title}`.
    pub program_years: Vec<String>,
    pub courses: CoursePermissions,
    pub sessions: SessionPermissions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoursePermissions {
    pub count: usize,
    /// Lines `{year} {course title}`.
    pub director: Vec<String>,
    pub administrator: Vec<String>,
    pub instructor: Vec<String>,
    pub student_advisor: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionPermissions {
    pub count: usize,
    /// Lines `{year} {course title} » {session title}`.
    pub administrator: Vec<String>,
    pub instructor: Vec<String>,
    pub student_advisor: Vec<String>,
}

/// The Permissions box for one school and one academic year (`user-profile-permissions.gjs`).
pub fn permissions(data: &ProfileData, school_id: Id, year: Id) -> Loadable<Permissions> {
    gate(&[
        unit(&data.schools),
        unit(&data.programs),
        unit(&data.program_years),
        unit(&data.cohorts),
        unit(&data.courses),
        unit(&data.sessions),
        unit(&data.instructed_sessions),
    ])
    .map(|()| permissions_from(data, school_id, year))
}

fn permissions_from(data: &ProfileData, school_id: Id, year: Id) -> Permissions {
    let user = &data.user;
    let crosses = data.crosses_boundary;
    let schools = by_id(slice(&data.schools));
    let programs = by_id(slice(&data.programs));
    let pys = by_id(slice(&data.program_years));
    let cohorts = slice(&data.cohorts);
    let courses = by_id(slice(&data.courses));
    let sessions = by_id(slice(&data.sessions));

    // Programs: directed, in this school, by title.
    let mut directed_programs: Vec<&Program> = user
        .directed_programs
        .iter()
        .filter_map(|id| programs.get(id).copied())
        .filter(|p| p.school == Some(school_id))
        .collect();
    directed_programs.sort_by(|a, b| title_cmp(&a.title, &b.title));

    // Program years: directed, whose program is in this school, by program title.
    let mut directed_pys: Vec<(String, String)> = user
        .program_years
        .iter()
        .filter_map(|id| pys.get(id).copied())
        .filter_map(|py| {
            let program = programs.get(&py.program?)?;
            (program.school == Some(school_id)).then_some(())?;
            let cohort = cohorts
                .iter()
                .find(|c| c.program_year == Some(py.id) || py.cohort == Some(c.id))
                .map(|c| c.title.clone())
                .unwrap_or_default();
            Some((program.title.clone(), cohort))
        })
        .collect();
    directed_pys.sort_by(|a, b| title_cmp(&a.0, &b.0));

    let in_scope =
        |c: &&Course| c.school == Some(school_id) && c.year >= 0 && c.year as u64 == year;
    let course_line =
        |c: &Course| format!("{} {}", year_label(i64::from(c.year), crosses), c.title);
    let pick = |ids: &[Id]| -> Vec<&Course> {
        let mut seen = BTreeSet::new();
        ids.iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| courses.get(id).copied())
            .filter(in_scope)
            .collect()
    };
    let sorted = |mut v: Vec<&Course>| {
        v.sort_by(|a, b| title_cmp(&a.title, &b.title));
        v.into_iter().map(course_line).collect::<Vec<_>>()
    };
    let director = sorted(pick(&user.directed_courses));
    let administrator = sorted(pick(&user.administered_courses));
    // Taught courses: the courses of the taught sessions, once each.
    let taught: Vec<&Session> = slice(&data.instructed_sessions).iter().collect();
    let taught_course_ids: Vec<Id> = taught.iter().filter_map(|s| s.course).collect();
    let instructor = sorted(pick(&taught_course_ids));
    // Student-advised courses keep the user's order (the template does not sort them).
    let student_advisor: Vec<String> = pick(&user.student_advised_courses)
        .into_iter()
        .map(course_line)
        .collect();

    let session_scope = |s: &&Session| s.course.and_then(|c| courses.get(&c)).is_some_and(in_scope);
    let session_line = |s: &Session| {
        let course = s.course.and_then(|c| courses.get(&c));
        format!(
            "{} {} » {}",
            year_label(i64::from(course.map_or(0, |c| c.year)), crosses),
            course.map_or("", |c| c.title.as_str()),
            s.title
        )
    };
    let pick_sessions = |ids: &[Id]| -> Vec<String> {
        let mut seen = BTreeSet::new();
        ids.iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| sessions.get(id).copied())
            .filter(session_scope)
            .map(session_line)
            .collect()
    };
    let session_admin = pick_sessions(&user.administered_sessions);
    let session_advisor = pick_sessions(&user.student_advised_sessions);
    // Taught sessions: by course year descending, course title, session title.
    let mut taught_in_scope: Vec<&Session> = taught.into_iter().filter(session_scope).collect();
    let course_of = |s: &Session| s.course.and_then(|c| courses.get(&c).copied());
    taught_in_scope.sort_by(|a, b| {
        let (ca, cb) = (course_of(a), course_of(b));
        let year = cb.map_or(0, |c| c.year).cmp(&ca.map_or(0, |c| c.year));
        year.then_with(|| title_cmp(ca.map_or("", |c| &c.title), cb.map_or("", |c| &c.title)))
            .then_with(|| title_cmp(&a.title, &b.title))
    });
    let session_instructor: Vec<String> = taught_in_scope.into_iter().map(session_line).collect();

    Permissions {
        school_id,
        school_title: schools
            .get(&school_id)
            .map(|s| s.title.clone())
            .unwrap_or_default(),
        year,
        year_label: year_label(year as i64, crosses),
        school_director: user.directed_schools.contains(&school_id),
        school_administrator: user.administered_schools.contains(&school_id),
        programs: directed_programs
            .into_iter()
            .map(|p| p.title.clone())
            .collect(),
        program_years: directed_pys
            .into_iter()
            .map(|(p, c)| if c.is_empty() { p } else { format!("{p} {c}") })
            .collect(),
        courses: CoursePermissions {
            count: director.len() + administrator.len() + instructor.len() + student_advisor.len(),
            director,
            administrator,
            instructor,
            student_advisor,
        },
        sessions: SessionPermissions {
            count: session_admin.len() + session_instructor.len() + session_advisor.len(),
            administrator: session_admin,
            instructor: session_instructor,
            student_advisor: session_advisor,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Learner groups
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LearnerGroupLine {
    pub id: Id,
    pub school: String,
    pub program: String,
    pub cohort: String,
    /// Titles from the top-level group down to the parent.
    pub parents: Vec<String>,
    /// A parent could not be read (a learner sees only their own groups): the path is cut there.
    pub parents_incomplete: bool,
    pub title: String,
}

impl LearnerGroupLine {
    /// `parent > ... > group`, with `… > ` in front when ancestors are unknown.
    pub fn path(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.parents_incomplete {
            parts.push("…");
        }
        parts.extend(self.parents.iter().map(String::as_str));
        parts.push(&self.title);
        parts.join(" > ")
    }

    /// `School: Program Cohort — parent > ... > group`, as the web page reads.
    pub fn text(&self) -> String {
        format!(
            "{}: {} {} — {}",
            self.school,
            self.program,
            self.cohort,
            self.path()
        )
    }
}

pub fn learner_group_lines(data: &ProfileData) -> Loadable<Vec<LearnerGroupLine>> {
    gate(&[
        unit(&data.learner_groups),
        unit(&data.cohorts),
        unit(&data.program_years),
        unit(&data.programs),
        unit(&data.schools),
    ])
    .map(|()| learner_group_lines_from(data))
}

fn learner_group_lines_from(data: &ProfileData) -> Vec<LearnerGroupLine> {
    let groups = by_id(slice(&data.learner_groups));
    let cohorts = by_id(slice(&data.cohorts));
    let pys = by_id(slice(&data.program_years));
    let programs = by_id(slice(&data.programs));
    let schools = by_id(slice(&data.schools));
    let mut seen = BTreeSet::new();
    let mut lines: Vec<LearnerGroupLine> = data
        .user
        .learner_groups
        .iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| groups.get(id).copied())
        .map(|g| {
            let cohort = g.cohort.and_then(|c| cohorts.get(&c).copied());
            let program = cohort.and_then(|c| program_of_cohort(c, &pys, &programs));
            let school = program.and_then(|p| p.school).and_then(|s| schools.get(&s));
            let mut parents = Vec::new();
            let mut incomplete = false;
            let mut next = g.parent;
            let mut guard = BTreeSet::from([g.id]);
            while let Some(pid) = next {
                if !guard.insert(pid) {
                    break; // a cycle: bad data, stop
                }
                match groups.get(&pid) {
                    Some(p) => {
                        parents.push(p.title.clone());
                        next = p.parent;
                    }
                    None => {
                        incomplete = true;
                        break;
                    }
                }
            }
            parents.reverse();
            LearnerGroupLine {
                id: g.id,
                school: school.map(|s| s.title.clone()).unwrap_or_default(),
                program: program.map(|p| p.title.clone()).unwrap_or_default(),
                cohort: cohort.map(|c| c.title.clone()).unwrap_or_default(),
                parents,
                parents_incomplete: incomplete,
                title: g.title.clone(),
            }
        })
        .collect();
    // `learner-group.js` `sortTitle`: the path's titles joined, whitespace removed.
    let sort_title = |l: &LearnerGroupLine| -> String {
        l.parents
            .iter()
            .chain(std::iter::once(&l.title))
            .flat_map(|t| t.chars())
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    lines.sort_by(|a, b| {
        title_cmp(&a.school, &b.school)
            .then_with(|| title_cmp(&a.program, &b.program))
            .then_with(|| title_cmp(&a.cohort, &b.cohort))
            .then_with(|| title_cmp(&sort_title(a), &sort_title(b)))
    });
    lines
}

// ---------------------------------------------------------------------------------------------
// The whole page as data / text
// ---------------------------------------------------------------------------------------------

/// A part of the page: its value, or why it is missing. Serializes as
/// `{"status":"ready","value":...}`, `{"status":"loading"}` or `{"status":"failed","error":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum PartView<T> {
    Ready { value: T },
    Loading,
    Failed { error: String },
}

impl<T> From<Loadable<T>> for PartView<T> {
    fn from(l: Loadable<T>) -> Self {
        match l {
            Loadable::Ready(value) => PartView::Ready { value },
            Loadable::Loading => PartView::Loading,
            Loadable::Failed(error) => PartView::Failed { error },
        }
    }
}

/// Everything My Profile shows, for `ilios-tui profile --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub user_id: Id,
    pub name: String,
    pub student_marker: Option<String>,
    pub roles: PartView<RolesBox>,
    pub school: PartView<SchoolBox>,
    pub permissions: PartView<Permissions>,
    pub learner_groups: PartView<Vec<LearnerGroupLine>>,
}

/// The school the permissions box shows: the chosen one, else the default.
pub fn resolve_school(data: &ProfileData, chosen: Option<Id>) -> Option<Id> {
    chosen.or_else(|| default_permissions_school(&data.user, slice(&data.schools)))
}

/// The year the permissions box shows: the chosen one, else the Ilios default for `today`.
pub fn resolve_year(data: &ProfileData, chosen: Option<Id>, today: NaiveDate) -> Option<Id> {
    chosen.or_else(|| {
        default_academic_year(today, data.crosses_boundary, slice(&data.academic_years))
    })
}

/// Permissions for an already resolved school and year; `Loading` while either is unknown.
pub fn permissions_for(
    data: &ProfileData,
    school: Option<Id>,
    year: Option<Id>,
) -> Loadable<Permissions> {
    match gate(&[unit(&data.schools), unit(&data.academic_years)]) {
        Loadable::Ready(()) => match (school, year) {
            (Some(s), Some(y)) => permissions(data, s, y),
            (None, _) => Loadable::Failed("Ilios has no schools.".into()),
            (_, None) => Loadable::Failed("Ilios has no academic years.".into()),
        },
        Loadable::Loading => Loadable::Loading,
        Loadable::Failed(e) => Loadable::Failed(e),
    }
}

pub fn profile_view(data: &ProfileData, school: Option<Id>, year: Option<Id>) -> ProfileView {
    ProfileView {
        user_id: data.user.id,
        name: heading(&data.user),
        student_marker: data
            .roles
            .ready()
            .and_then(|r| student_marker(&data.user, r))
            .map(str::to_string),
        roles: roles_box(data).into(),
        school: school_box(data).into(),
        permissions: permissions_for(data, school, year).into(),
        learner_groups: learner_group_lines(data).into(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn part_text<T>(out: &mut String, part: &PartView<T>, body: impl FnOnce(&mut String, &T)) {
    match part {
        PartView::Ready { value } => body(out, value),
        PartView::Loading => out.push_str("  Loading ...\n"),
        PartView::Failed { error } => out.push_str(&format!("  {error}\n")),
    }
}

fn list_text(out: &mut String, heading: &str, items: &[String]) {
    out.push_str(&format!("    {heading}:\n"));
    if items.is_empty() {
        out.push_str(&format!("      {NONE}\n"));
    }
    for i in items {
        out.push_str(&format!("      {i}\n"));
    }
}

/// The same facts as plain text, for `ilios-tui profile`. `school` and `year` are already
/// resolved (see [`resolve_school`], [`resolve_year`]).
pub fn profile_text(data: &ProfileData, school: Option<Id>, year: Option<Id>) -> String {
    let v = profile_view(data, school, year);
    let mut out = String::new();
    out.push_str(&v.name);
    out.push('\n');
    if let Some(m) = &v.student_marker {
        out.push_str(m);
        out.push('\n');
    }
    out.push_str("\nRoles\n");
    part_text(&mut out, &v.roles, |out, r| {
        let titles = if r.role_titles.is_empty() {
            NONE.to_string()
        } else {
            r.role_titles.join(", ")
        };
        for (label, value) in [
            ("Student", yes_no(r.student)),
            ("Former Student", yes_no(r.former_student)),
            ("Account Enabled", yes_no(r.account_enabled)),
            ("Exclude From Sync", yes_no(r.exclude_from_sync)),
            (
                "Performs Non-Learner Functions",
                yes_no(r.performs_non_learner_functions),
            ),
            ("Learner", yes_no(r.learner)),
            ("Root", yes_no(r.root)),
            ("Instructor", yes_no(r.is_instructor)),
            ("Course Director", yes_no(r.is_course_director)),
            ("Role Titles", &titles),
        ] {
            out.push_str(&format!("  {label}: {value}\n"));
        }
    });
    out.push_str("\nSchool\n");
    part_text(&mut out, &v.school, |out, s| {
        out.push_str(&format!("  Primary School: {}\n", s.primary_school));
        out.push_str(&format!(
            "  Primary Cohort: {}\n",
            s.primary_cohort.as_deref().unwrap_or(UNASSIGNED)
        ));
        if s.secondary_cohorts.is_empty() {
            out.push_str(&format!("  Secondary Cohorts: {UNASSIGNED}\n"));
        } else {
            out.push_str("  Secondary Cohorts:\n");
            for c in &s.secondary_cohorts {
                out.push_str(&format!("    {} {}\n", c.title, c.program));
            }
        }
    });
    out.push_str("\nPermissions\n");
    part_text(&mut out, &v.permissions, |out, p| {
        out.push_str(&format!(
            "  School: {}   Academic Year: {}\n",
            p.school_title, p.year_label
        ));
        out.push_str(&format!("  School ({})\n", p.school_title));
        out.push_str(&format!("    Director: {}\n", yes_no(p.school_director)));
        out.push_str(&format!(
            "    Administrator: {}\n",
            yes_no(p.school_administrator)
        ));
        out.push_str(&format!("  Programs ({})\n", p.programs.len()));
        if !p.programs.is_empty() {
            list_text(out, "Director", &p.programs);
        }
        out.push_str(&format!("  Program Years ({})\n", p.program_years.len()));
        if !p.program_years.is_empty() {
            list_text(out, "Director", &p.program_years);
        }
        out.push_str(&format!("  Courses ({})\n", p.courses.count));
        if p.courses.count > 0 {
            list_text(out, "Director", &p.courses.director);
            list_text(out, "Administrator", &p.courses.administrator);
            list_text(out, "Instructor", &p.courses.instructor);
            list_text(out, "Student Advisors", &p.courses.student_advisor);
        }
        out.push_str(&format!("  Sessions ({})\n", p.sessions.count));
        if p.sessions.count > 0 {
            list_text(out, "Administrator", &p.sessions.administrator);
            list_text(out, "Instructor", &p.sessions.instructor);
            list_text(out, "Student Advisors", &p.sessions.student_advisor);
        }
    });
    out.push_str("\nLearner Groups\n");
    part_text(&mut out, &v.learner_groups, |out, groups| {
        if groups.is_empty() {
            out.push_str(&format!("  {NONE}\n"));
        }
        for g in groups {
            out.push_str(&format!("  {}\n", g.text()));
        }
    });
    out
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

    fn role(id: Id, title: &str) -> UserRole {
        UserRole {
            id,
            title: title.into(),
        }
    }

    #[test]
    fn student_and_former_student_compare_titles_case_insensitively() {
        let roles = [
            role(1, "student"),
            role(2, "FORMER STUDENT"),
            role(3, "Student"),
        ];
        let u = |ids: Vec<Id>| User {
            roles: ids,
            ..User::default()
        };
        let b = roles_box_from(&u(vec![1]), &roles);
        assert!(b.student && !b.former_student);
        // The heading marker follows `user.js` `isStudent`: exactly `Student`.
        assert_eq!(student_marker(&u(vec![1]), &roles), None);
        assert_eq!(student_marker(&u(vec![3]), &roles), Some("Student"));
        let b = roles_box_from(&u(vec![2]), &roles);
        assert!(!b.student && b.former_student);
        let b = roles_box_from(&u(vec![]), &roles);
        assert!(!b.student && !b.former_student);
        assert_eq!(b.role_titles, Vec::<String>::new());
    }

    #[test]
    fn account_enabled_exclude_from_sync_and_root_follow_the_user() {
        let none = roles_box_from(&User::default(), &[]);
        assert!(!none.account_enabled && !none.exclude_from_sync && !none.root);
        let all = roles_box_from(
            &User {
                enabled: true,
                user_sync_ignore: true,
                root: true,
                ..User::default()
            },
            &[],
        );
        assert!(all.account_enabled && all.exclude_from_sync && all.root);
    }

    #[test]
    fn performs_non_learner_functions_for_each_relation() {
        let setters: [fn(&mut User); 11] = [
            |u| u.directed_courses = vec![1],
            |u| u.administered_courses = vec![1],
            |u| u.administered_sessions = vec![1],
            |u| u.instructor_groups = vec![1],
            |u| u.instructed_offerings = vec![1],
            |u| u.instructor_ilm_sessions = vec![1],
            |u| u.instructed_learner_groups = vec![1],
            |u| u.directed_programs = vec![1],
            |u| u.program_years = vec![1],
            |u| u.directed_schools = vec![1],
            |u| u.administered_schools = vec![1],
        ];
        assert!(!performs_non_learner_functions(&User::default()));
        for (i, set) in setters.iter().enumerate() {
            let mut u = User::default();
            set(&mut u);
            assert!(
                roles_box_from(&u, &[]).performs_non_learner_functions,
                "relation #{i}"
            );
            assert!(!roles_box_from(&u, &[]).learner, "relation #{i}");
        }
        // Learner relations alone do not count.
        let u = User {
            cohorts: vec![1],
            offerings: vec![1],
            learner_groups: vec![1],
            ..User::default()
        };
        assert!(!performs_non_learner_functions(&u));
    }

    #[test]
    fn learner_for_cohorts_offerings_or_learner_ilms() {
        assert!(!is_learner(&User::default()));
        assert!(!is_learner(&User {
            learner_groups: vec![1],
            ..User::default()
        }));
        assert!(is_learner(&User {
            cohorts: vec![1],
            ..User::default()
        }));
        assert!(is_learner(&User {
            offerings: vec![1],
            ..User::default()
        }));
        assert!(is_learner(&User {
            learner_ilm_sessions: vec![1],
            ..User::default()
        }));
    }

    #[test]
    fn instructor_and_course_director() {
        let b = roles_box_from(&User::default(), &[]);
        assert!(!b.is_instructor && !b.is_course_director);
        let setters: [fn(&mut User); 4] = [
            |u| u.instructed_offerings = vec![1],
            |u| u.instructor_groups = vec![1],
            |u| u.instructor_ilm_sessions = vec![1],
            |u| u.instructed_learner_groups = vec![1],
        ];
        for set in setters {
            let mut u = User::default();
            set(&mut u);
            let b = roles_box_from(&u, &[]);
            assert!(b.is_instructor && !b.is_course_director);
        }
        let b = roles_box_from(
            &User {
                directed_courses: vec![1],
                ..User::default()
            },
            &[],
        );
        assert!(b.is_course_director && !b.is_instructor);
        // Administering a course is not directing it.
        assert!(
            !roles_box_from(
                &User {
                    administered_courses: vec![1],
                    ..User::default()
                },
                &[]
            )
            .is_course_director
        );
    }

    #[test]
    fn gutierrez_roles_box() {
        let data = loaded(GUTIERREZ);
        let b = roles_box(&data).ready().cloned().unwrap();
        assert_eq!(
            b,
            RolesBox {
                student: false,
                former_student: false,
                account_enabled: true,
                exclude_from_sync: false,
                performs_non_learner_functions: true,
                learner: false,
                root: true,
                role_titles: vec!["Developer".into(), "Course Director".into()],
                is_instructor: true,
                is_course_director: true,
            }
        );
        assert_eq!(heading(&data.user), "Nicholas A. Gutierrez");
    }

    #[test]
    fn school_box_unassigned_when_no_cohorts() {
        let data = loaded(GUTIERREZ);
        assert_eq!(
            school_box(&data),
            Loadable::Ready(SchoolBox {
                primary_school: "Medicine".into(),
                primary_cohort: None,
                secondary_cohorts: vec![],
            })
        );
    }

    #[test]
    fn secondary_cohorts_exclude_the_primary_carry_the_program_and_sort_by_title() {
        let data = loaded(POWELL);
        let b = school_box(&data).ready().cloned().unwrap();
        assert_eq!(b.primary_cohort.as_deref(), Some("Class of 2028"));
        assert_eq!(
            b.secondary_cohorts,
            [CohortLine {
                title: "Class of 2027 (Bridges)".into(),
                program: "Bridges Curriculum".into()
            }]
        );
        // Sorting: several secondary cohorts, out of order.
        let cohorts = [
            Cohort {
                id: 1,
                title: "Zeta".into(),
                program_year: Some(17),
                learner_groups: vec![],
                users: vec![],
            },
            Cohort {
                id: 2,
                title: "alpha".into(),
                program_year: None,
                learner_groups: vec![],
                users: vec![],
            },
            Cohort {
                id: 3,
                title: "Primary".into(),
                program_year: None,
                learner_groups: vec![],
                users: vec![],
            },
        ];
        let u = User {
            cohorts: vec![1, 2, 3],
            primary_cohort: Some(3),
            ..User::default()
        };
        let b = school_box_from(
            &u,
            &[],
            &cohorts,
            slice(&data.program_years),
            slice(&data.programs),
        );
        let titles: Vec<(&str, &str)> = b
            .secondary_cohorts
            .iter()
            .map(|c| (c.title.as_str(), c.program.as_str()))
            .collect();
        assert_eq!(titles, [("alpha", ""), ("Zeta", "Doctor of Medicine")]);
        assert_eq!(b.primary_cohort.as_deref(), Some("Primary"));
        // Only a primary cohort: no secondaries (shown as Unassigned).
        let u = User {
            cohorts: vec![3],
            primary_cohort: Some(3),
            ..User::default()
        };
        assert!(
            school_box_from(&u, &[], &cohorts, &[], &[])
                .secondary_cohorts
                .is_empty()
        );
    }

    fn school(id: Id, title: &str) -> School {
        School {
            id,
            title: title.into(),
            programs: vec![],
            directors: vec![],
            administrators: vec![],
        }
    }

    #[test]
    fn default_school_is_the_primary_else_the_first_by_title() {
        let schools = [
            school(1, "Medicine"),
            school(2, "dentistry"),
            school(3, "Pharmacy"),
        ];
        assert_eq!(
            default_permissions_school(
                &User {
                    school: Some(3),
                    ..User::default()
                },
                &schools
            ),
            Some(3)
        );
        assert_eq!(
            default_permissions_school(&User::default(), &schools),
            Some(2)
        );
        assert_eq!(default_permissions_school(&User::default(), &[]), None);
    }

    #[test]
    fn default_year_follows_the_ilios_rule() {
        let years: Vec<AcademicYear> = [2024, 2025, 2026]
            .iter()
            .map(|y| AcademicYear {
                id: *y,
                title: y.to_string(),
            })
            .collect();
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        assert_eq!(default_academic_year(d(2026, 3), false, &years), Some(2026));
        assert_eq!(default_academic_year(d(2026, 3), true, &years), Some(2025));
        assert_eq!(default_academic_year(d(2026, 5), true, &years), Some(2025));
        assert_eq!(default_academic_year(d(2026, 6), true, &years), Some(2026));
        // A year Ilios does not know: the latest one.
        assert_eq!(default_academic_year(d(2031, 9), false, &years), Some(2026));
        assert_eq!(default_academic_year(d(2031, 9), false, &[]), None);
    }

    #[test]
    fn gutierrez_permissions_in_medicine_2025() {
        let data = loaded(GUTIERREZ);
        let school = resolve_school(&data, None);
        let year = resolve_year(&data, None, today());
        assert_eq!((school, year), (Some(1), Some(2025)));
        let p = permissions_for(&data, school, year)
            .ready()
            .cloned()
            .unwrap();
        assert_eq!(p.school_title, "Medicine");
        assert_eq!(p.year_label, "2025 - 2026");
        assert!(!p.school_director && p.school_administrator);
        assert!(p.programs.is_empty() && p.program_years.is_empty());
        assert_eq!(
            p.courses.director,
            ["2025 - 2026 Foundations of Patient Care"]
        );
        assert_eq!(p.courses.administrator, ["2025 - 2026 Anatomy"]);
        // Taught courses come from the taught sessions: Oral Histology is in Dentistry, Neurology in 2024.
        assert_eq!(
            p.courses.instructor,
            [
                "2025 - 2026 Cardiology",
                "2025 - 2026 Foundations of Patient Care"
            ]
        );
        assert!(p.courses.student_advisor.is_empty());
        assert_eq!(p.courses.count, 4);
        assert_eq!(
            p.sessions.administrator,
            ["2025 - 2026 Foundations of Patient Care » Orientation"]
        );
        assert_eq!(
            p.sessions.instructor,
            [
                "2025 - 2026 Cardiology » ECG Basics",
                "2025 - 2026 Cardiology » Heart Sounds",
                "2025 - 2026 Foundations of Patient Care » Welcome Lecture",
            ]
        );
        assert_eq!(p.sessions.count, 4);
    }

    #[test]
    fn permissions_switch_school_and_year_and_plain_year_labels() {
        let mut data = loaded(GUTIERREZ);
        let p = permissions(&data, 2, 2025).ready().cloned().unwrap();
        assert_eq!(p.school_title, "Dentistry");
        assert!(!p.school_administrator);
        assert_eq!(p.courses.instructor, ["2025 - 2026 Oral Histology"]);
        assert_eq!((p.courses.count, p.sessions.count), (1, 1));
        data.crosses_boundary = false;
        let p = permissions(&data, 1, 2024).ready().cloned().unwrap();
        assert_eq!(p.courses.instructor, ["2024 Neurology"]);
        assert_eq!(p.sessions.instructor, ["2024 Neurology » Stroke"]);
        assert_eq!(p.courses.director, Vec::<String>::new());
        assert_eq!(p.year_label, "2024");
    }

    #[test]
    fn directed_programs_and_program_years_are_limited_to_the_school() {
        let mut data = loaded(POWELL);
        data.user.directed_programs = vec![3, 2, 1];
        data.user.program_years = vec![17, 18, 19];
        let p = permissions(&data, 1, 2025).ready().cloned().unwrap();
        assert_eq!(p.programs, ["Bridges Curriculum", "Doctor of Medicine"]);
        assert_eq!(
            p.program_years,
            [
                "Bridges Curriculum Class of 2027 (Bridges)",
                "Doctor of Medicine Class of 2028"
            ]
        );
        let p = permissions(&data, 2, 2025).ready().cloned().unwrap();
        assert_eq!(p.programs, ["Doctor of Dental Surgery"]);
        // Cohort 9 was not loaded in this fixture: the line keeps the program title.
        assert_eq!(p.program_years, ["Doctor of Dental Surgery"]);
    }

    #[test]
    fn powell_learner_groups_with_parent_path_in_order() {
        let data = loaded(POWELL);
        let lines = learner_group_lines(&data).ready().cloned().unwrap();
        let texts: Vec<String> = lines.iter().map(LearnerGroupLine::text).collect();
        assert_eq!(
            texts,
            [
                "Medicine: Doctor of Medicine Class of 2028 — Group A",
                "Medicine: Doctor of Medicine Class of 2028 — Group A > Group A1",
            ]
        );
        assert_eq!(heading(&data.user), "Walter Stephanie Powell");
        assert_eq!(
            student_marker(&data.user, data.roles.ready().unwrap()),
            Some("Student")
        );
    }

    fn group(id: Id, title: &str, cohort: Id, parent: Option<Id>) -> LearnerGroup {
        LearnerGroup {
            id,
            title: title.into(),
            location: None,
            url: None,
            cohort: Some(cohort),
            parent,
            ancestor: None,
            children: vec![],
            users: vec![],
        }
    }

    #[test]
    fn learner_groups_sort_by_school_program_cohort_then_path_and_survive_a_hidden_parent() {
        let mut data = loaded(POWELL);
        data.learner_groups = Loadable::Ready(vec![
            group(1, "Zed", 7, None),
            group(2, "Beta", 8, Some(99)), // parent 99 was not visible to this learner
            group(3, "Alpha", 7, Some(1)),
            group(4, "Mid", 7, Some(3)),
        ]);
        data.user.learner_groups = vec![4, 2, 3, 1, 404];
        let lines = learner_group_lines(&data).ready().cloned().unwrap();
        let paths: Vec<String> = lines.iter().map(LearnerGroupLine::path).collect();
        // Bridges Curriculum sorts before Doctor of Medicine; within a cohort by the whole path.
        assert_eq!(
            paths,
            ["… > Beta", "Zed", "Zed > Alpha", "Zed > Alpha > Mid"]
        );
        assert!(lines[0].parents_incomplete);
        assert_eq!(lines[0].cohort, "Class of 2027 (Bridges)");
    }

    #[test]
    fn no_learner_groups_is_an_empty_list() {
        assert_eq!(
            learner_group_lines(&loaded(GUTIERREZ)),
            Loadable::Ready(vec![])
        );
    }

    #[test]
    fn text_and_json_views() {
        let data = loaded(GUTIERREZ);
        let text = profile_text(&data, Some(1), Some(2025));
        for needle in [
            "Nicholas A. Gutierrez\n",
            "  Student: No\n",
            "  Performs Non-Learner Functions: Yes\n",
            "  Role Titles: Developer, Course Director\n",
            "  Primary Cohort: Unassigned\n",
            "  Secondary Cohorts: Unassigned\n",
            "  School (Medicine)\n",
            "  Programs (0)\n",
            "  Courses (4)\n",
            "    Student Advisors:\n      None\n",
            "Learner Groups\n  None\n",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from\n{text}");
        }
        let json = serde_json::to_value(profile_view(&data, Some(1), Some(2025))).unwrap();
        assert_eq!(json["name"], "Nicholas A. Gutierrez");
        assert_eq!(json["roles"]["status"], "ready");
        assert_eq!(json["roles"]["value"]["performsNonLearnerFunctions"], true);
        assert_eq!(
            json["permissions"]["value"]["courses"]["studentAdvisor"],
            serde_json::json!([])
        );
        assert_eq!(
            json["school"]["value"]["secondaryCohorts"],
            serde_json::json!([])
        );
        let loading = profile_view(&ProfileData::new(user(POWELL), false), None, None);
        assert_eq!(
            serde_json::to_value(loading).unwrap()["learnerGroups"]["status"],
            "loading"
        );
    }
}
