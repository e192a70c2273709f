//! The demo data set: the seed (`assets/demo/*.json`) materialized around the current week into
//! Ilios DTOs, with reverse relations derived so every record agrees with every other.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, TimeZone, Utc};

use ilios_clock::{Clock, Zone};
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

const BASE_JSON: &str = include_str!("../../../assets/demo/base.json");
const EVENTS_JSON: &str = include_str!("../../../assets/demo/events.json");

/// Weeks materialized around the current one.
pub const FIRST_WEEK: i64 = -4;
pub const LAST_WEEK: i64 = 8;

/// To-many relations are arrays of string ids (`DTONormalizer`: `array_map(strval(...))`).
pub fn ser_ids<S: Serializer>(ids: &[u64], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ids.iter().map(|i| i.to_string()))
}

/// `format('c')` in UTC.
pub fn ser_date<S: Serializer>(d: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::jwt::iso_dt(d))
}

// ---------------------------------------------------------------------------------------------
// Seed format
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Seed {
    schools: Vec<SeedSchool>,
    user_roles: Vec<UserRole>,
    users: Vec<SeedUser>,
    programs: Vec<SeedProgram>,
    program_years: Vec<SeedProgramYear>,
    learner_groups: Vec<SeedLearnerGroup>,
    instructor_groups: Vec<SeedInstructorGroup>,
    session_types: Vec<SeedSessionType>,
    vocabularies: Vec<SeedVocabulary>,
    courses: Vec<SeedCourse>,
    learning_materials: Vec<LearningMaterial>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedSchool {
    id: u64,
    title: String,
    template_prefix: Option<String>,
    ilios_administrator_email: String,
    change_alert_recipients: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SeedUser {
    id: u64,
    username: Option<String>,
    password: Option<String>,
    first_name: String,
    middle_name: Option<String>,
    last_name: String,
    display_name: Option<String>,
    pronouns: Option<String>,
    email: String,
    preferred_email: Option<String>,
    phone: Option<String>,
    campus_id: Option<String>,
    other_id: Option<String>,
    enabled: bool,
    root: bool,
    user_sync_ignore: bool,
    added_via_ilios: bool,
    examined: bool,
    school: u64,
    roles: Vec<u64>,
    primary_cohort: Option<u64>,
    cohorts: Vec<u64>,
    administered_schools: Vec<u64>,
    directed_schools: Vec<u64>,
    directed_programs: Vec<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedProgram {
    id: u64,
    title: String,
    short_title: Option<String>,
    duration: u32,
    school: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedProgramYear {
    id: u64,
    start_year: i32,
    program: u64,
    #[serde(default)]
    directors: Vec<u64>,
    cohort: SeedCohort,
}

#[derive(Deserialize)]
struct SeedCohort {
    id: u64,
    title: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SeedLearnerGroup {
    id: u64,
    title: String,
    location: Option<String>,
    url: Option<String>,
    needs_accommodation: bool,
    cohort: u64,
    parent: Option<u64>,
    users: Vec<u64>,
    instructors: Vec<u64>,
}

#[derive(Deserialize)]
struct SeedInstructorGroup {
    id: u64,
    title: String,
    school: u64,
    users: Vec<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedSessionType {
    id: u64,
    title: String,
    calendar_color: String,
    school: u64,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct SeedVocabulary {
    id: u64,
    title: String,
    school: u64,
    terms: Vec<SeedTerm>,
}

#[derive(Deserialize)]
struct SeedTerm {
    id: u64,
    title: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct SeedCourse {
    id: u64,
    title: String,
    level: u32,
    external_id: Option<String>,
    published: bool,
    published_as_tbd: bool,
    school: u64,
    directors: Vec<u64>,
    administrators: Vec<u64>,
    cohorts: Vec<u64>,
    terms: Vec<u64>,
    objectives: Vec<String>,
    learning_materials: Vec<SeedMaterialUse>,
    /// Academic years before the current one (`1`: last year's course, its dates a year back).
    years_ago: u32,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
struct SeedMaterialUse {
    learning_material: u64,
    required: bool,
    public_notes: Option<String>,
    release: Option<SeedRelease>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct SeedRelease {
    after_end_days: i64,
    length_days: i64,
}

#[derive(Deserialize)]
struct SeedEvents {
    sessions: Vec<SeedSession>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(rename_all = "camelCase", default)]
struct SeedSession {
    key: String,
    title: String,
    course: u64,
    session_type: u64,
    ilm: Option<SeedIlm>,
    weekday: u32,
    time: String,
    minutes: i64,
    end_weekday: Option<u32>,
    end_time: Option<String>,
    weeks: Option<Vec<i64>>,
    room: Option<String>,
    site: Option<String>,
    url: Option<String>,
    learner_groups: Vec<u64>,
    learners: Vec<u64>,
    instructors: Vec<u64>,
    instructor_groups: Vec<u64>,
    administrators: Vec<u64>,
    #[serde(default = "yes")]
    published: bool,
    published_as_tbd: bool,
    attire_required: Option<bool>,
    equipment_required: Option<bool>,
    supplemental: Option<bool>,
    attendance_required: Option<bool>,
    description: Option<String>,
    instructional_notes: Option<String>,
    objectives: Vec<String>,
    terms: Vec<u64>,
    materials: Vec<SeedMaterialUse>,
    postrequisite: Option<String>,
}

#[derive(Deserialize, Default, Clone, Copy)]
struct SeedIlm {
    hours: f64,
}

// ---------------------------------------------------------------------------------------------
// DTOs (field order and types as in src/Entity/DTO/*.php)
// ---------------------------------------------------------------------------------------------

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: u64,
    pub last_name: String,
    pub first_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    pub added_via_ilios: bool,
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campus_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_id: Option<String>,
    pub examined: bool,
    pub user_sync_ignore: bool,
    pub root: bool,
    pub ics_feed_key: String,
    pub school: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_cohort: Option<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub reports: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub directed_courses: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administered_courses: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub student_advised_courses: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub learner_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructed_learner_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructor_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructor_ilm_sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub learner_ilm_sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub offerings: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructed_offerings: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub program_years: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub roles: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub cohorts: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub pending_user_updates: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub directed_schools: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administered_schools: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administered_sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub student_advised_sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub directed_programs: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administered_curriculum_inventory_reports: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub session_material_statuses: Vec<u64>,
}

impl User {
    /// `SessionUser::performsNonLearnerFunction` (root counts too, as in the JWT claim).
    pub fn performs_non_learner_function(&self) -> bool {
        self.root
            || !self.directed_courses.is_empty()
            || !self.administered_courses.is_empty()
            || !self.administered_sessions.is_empty()
            || !self.instructor_groups.is_empty()
            || !self.instructed_offerings.is_empty()
            || !self.instructor_ilm_sessions.is_empty()
            || !self.instructed_learner_groups.is_empty()
            || !self.directed_programs.is_empty()
            || !self.program_years.is_empty()
            || !self.directed_schools.is_empty()
            || !self.administered_schools.is_empty()
    }

    /// Name as ILM events list instructors (`getInstructorsForIlmSessions`):
    /// `displayName ?? first last`, no pronouns.
    pub fn ilm_event_name(&self) -> String {
        self.display_name
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.first_name, self.last_name))
    }

    /// Name as offering events list instructors (`getInstructorsForOfferings`): non-empty
    /// `displayName`, else `first last`, plus ` (pronouns)` when set.
    pub fn event_name(&self) -> String {
        let base = match &self.display_name {
            Some(d) if !d.is_empty() => d.clone(),
            _ => format!("{} {}", self.first_name, self.last_name),
        };
        match &self.pronouns {
            Some(p) if !p.is_empty() => format!("{base} ({p})"),
            _ => base,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct UserRole {
    pub id: u64,
    pub title: String,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct School {
    pub id: u64,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_prefix: Option<String>,
    pub ilios_administrator_email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_alert_recipients: Option<String>,
    #[serde(serialize_with = "ser_ids")]
    pub competencies: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub courses: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub programs: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub vocabularies: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructor_groups: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curriculum_inventory_institution: Option<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub session_types: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub directors: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administrators: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub configurations: Vec<u64>,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct Program {
    pub id: u64,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_title: Option<String>,
    pub duration: u32,
    pub school: u64,
    #[serde(serialize_with = "ser_ids")]
    pub program_years: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub curriculum_inventory_reports: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub directors: Vec<u64>,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProgramYear {
    pub id: u64,
    pub start_year: i32,
    pub locked: bool,
    pub archived: bool,
    pub program: u64,
    pub cohort: u64,
    #[serde(serialize_with = "ser_ids")]
    pub directors: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub competencies: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub terms: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub program_year_objectives: Vec<u64>,
    #[serde(skip)]
    pub school: u64,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct Cohort {
    pub id: u64,
    pub title: String,
    pub program_year: u64,
    #[serde(serialize_with = "ser_ids")]
    pub courses: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub learner_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub users: Vec<u64>,
    #[serde(skip)]
    pub school: u64,
    #[serde(skip)]
    pub start_year: i32,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct LearnerGroup {
    pub id: u64,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub needs_accommodation: bool,
    pub cohort: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancestor: Option<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub descendants: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub children: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub ilm_sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub offerings: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructor_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub users: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructors: Vec<u64>,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct InstructorGroup {
    pub id: u64,
    pub title: String,
    pub school: u64,
    #[serde(serialize_with = "ser_ids")]
    pub learner_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub ilm_sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub users: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub offerings: Vec<u64>,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct SessionType {
    pub id: u64,
    pub title: String,
    pub calendar_color: String,
    pub active: bool,
    pub assessment: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessment_option: Option<u64>,
    pub school: u64,
    #[serde(serialize_with = "ser_ids")]
    pub aamc_methods: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub sessions: Vec<u64>,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct Course {
    pub id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub level: u32,
    pub year: i32,
    #[serde(serialize_with = "ser_date")]
    pub start_date: DateTime<Utc>,
    #[serde(serialize_with = "ser_date")]
    pub end_date: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub locked: bool,
    pub archived: bool,
    pub published_as_tbd: bool,
    pub published: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clerkship_type: Option<u64>,
    pub school: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancestor: Option<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub directors: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administrators: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub student_advisors: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub cohorts: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub terms: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub course_objectives: Vec<u64>,
    pub mesh_descriptors: Vec<String>,
    #[serde(serialize_with = "ser_ids")]
    pub learning_materials: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub descendants: Vec<u64>,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attire_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equipment_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplemental: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance_required: Option<bool>,
    pub published_as_tbd: bool,
    pub published: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructional_notes: Option<String>,
    #[serde(serialize_with = "ser_date")]
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub session_type: u64,
    pub course: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ilm_session: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postrequisite: Option<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub terms: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub session_objectives: Vec<u64>,
    pub mesh_descriptors: Vec<String>,
    #[serde(serialize_with = "ser_ids")]
    pub learning_materials: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub administrators: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub student_advisors: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub offerings: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub prerequisites: Vec<u64>,
    #[serde(skip)]
    pub school: u64,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct Offering {
    pub id: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(serialize_with = "ser_date")]
    pub start_date: DateTime<Utc>,
    #[serde(serialize_with = "ser_date")]
    pub end_date: DateTime<Utc>,
    #[serde(serialize_with = "ser_date")]
    pub updated_at: DateTime<Utc>,
    pub session: u64,
    #[serde(serialize_with = "ser_ids")]
    pub learner_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructor_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub learners: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructors: Vec<u64>,
    #[serde(skip)]
    pub course: u64,
    #[serde(skip)]
    pub school: u64,
}

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct IlmSession {
    pub id: u64,
    pub session: u64,
    pub hours: f64,
    #[serde(serialize_with = "ser_date")]
    pub due_date: DateTime<Utc>,
    #[serde(serialize_with = "ser_ids")]
    pub learner_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructor_groups: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub instructors: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub learners: Vec<u64>,
    #[serde(skip)]
    pub course: u64,
}

/// `AcademicYear`: both fields are strings on the wire.
#[derive(Serialize, Clone, Debug)]
pub struct AcademicYear {
    pub id: String,
    pub title: String,
}

#[derive(Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct LearningMaterial {
    pub id: u64,
    pub title: String,
    pub description: Option<String>,
    pub original_author: Option<String>,
    pub citation: Option<String>,
    pub link: Option<String>,
    pub filename: Option<String>,
    pub mimetype: Option<String>,
    pub filesize: Option<u64>,
    /// `LearningMaterialStatus`: 1 is draft, 2 final, 3 revised (absent: final).
    pub status: Option<u8>,
}

impl LearningMaterial {
    /// `LearningMaterialStatusInterface::IN_DRAFT`.
    pub fn is_draft(&self) -> bool {
        self.status == Some(1)
    }
}

/// A learning material attached to a course or a session.
#[derive(Clone, Debug)]
pub struct MaterialUse {
    /// courseLearningMaterial / sessionLearningMaterial id.
    pub id: u64,
    pub learning_material: u64,
    pub required: bool,
    pub public_notes: Option<String>,
    pub position: u32,
    pub start_date: Option<DateTime<Utc>>,
    pub end_date: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug)]
pub struct Term {
    pub id: u64,
    pub title: String,
    pub vocabulary_id: u64,
    pub vocabulary_title: String,
    /// The vocabulary's school (for `filters[schools]`).
    pub school: u64,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub id: u64,
    pub title: String,
    pub position: u32,
}

/// Data the events need that the session/course DTOs do not carry.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    pub objectives: Vec<Objective>,
    pub materials: Vec<MaterialUse>,
}

#[derive(Clone, Debug)]
pub struct Credentials {
    pub user_id: u64,
    pub username: String,
    pub password: String,
}

/// `VocabularyDTO`.
#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    pub id: u64,
    pub title: String,
    pub school: u64,
    pub active: bool,
    #[serde(serialize_with = "ser_ids")]
    pub terms: Vec<u64>,
}

/// `TermDTO` (top-level terms only: the seed has no term trees).
#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct TermRecord {
    pub id: u64,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub active: bool,
    pub vocabulary: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub children: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub courses: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub program_years: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub sessions: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub aamc_resource_types: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub session_objectives: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub course_objectives: Vec<u64>,
    #[serde(serialize_with = "ser_ids")]
    pub program_year_objectives: Vec<u64>,
}

/// The whole data set, indexed by id.
#[derive(Debug, Default)]
pub struct Db {
    pub users: Vec<User>,
    pub user_roles: Vec<UserRole>,
    pub schools: Vec<School>,
    pub programs: Vec<Program>,
    pub program_years: Vec<ProgramYear>,
    pub cohorts: Vec<Cohort>,
    pub learner_groups: Vec<LearnerGroup>,
    pub instructor_groups: Vec<InstructorGroup>,
    pub session_types: Vec<SessionType>,
    pub courses: Vec<Course>,
    pub sessions: Vec<Session>,
    pub offerings: Vec<Offering>,
    pub ilm_sessions: Vec<IlmSession>,
    pub learning_materials: HashMap<u64, LearningMaterial>,
    pub terms: HashMap<u64, Term>,
    pub vocabularies: Vec<Vocabulary>,
    /// The terms as `/api/v3/terms` serves them, in id order.
    pub term_records: Vec<TermRecord>,
    pub course_extras: HashMap<u64, Extras>,
    pub session_extras: HashMap<u64, Extras>,
    pub credentials: Vec<Credentials>,
    pub base_url: String,
    idx: HashMap<(&'static str, u64), usize>,
}

fn index_of<T>(items: &[T], id: impl Fn(&T) -> u64) -> HashMap<u64, usize> {
    items.iter().enumerate().map(|(i, t)| (id(t), i)).collect()
}

fn push_unique(v: &mut Vec<u64>, id: u64) {
    if !v.contains(&id) {
        v.push(id);
    }
}

fn ics_key(user_id: u64) -> String {
    let d = Sha256::digest(format!("ilios-tui demo ics {user_id}").as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Local midnight of the Monday of the week containing `today`.
fn monday_of(today: NaiveDate) -> NaiveDate {
    today - Duration::days(today.weekday().num_days_from_monday() as i64)
}

fn local_to_utc(zone: Zone, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match zone.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        // A DST gap: take the same wall time one hour later.
        chrono::LocalResult::None => zone
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

fn parse_time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M")
        .unwrap_or_else(|_| NaiveTime::from_hms_opt(9, 0, 0).unwrap())
}

impl Db {
    pub fn user(&self, id: u64) -> Option<&User> {
        self.get("users", id).map(|i| &self.users[i])
    }
    pub fn course(&self, id: u64) -> Option<&Course> {
        self.get("courses", id).map(|i| &self.courses[i])
    }
    pub fn session(&self, id: u64) -> Option<&Session> {
        self.get("sessions", id).map(|i| &self.sessions[i])
    }
    pub fn session_type(&self, id: u64) -> Option<&SessionType> {
        self.get("sessionTypes", id).map(|i| &self.session_types[i])
    }
    pub fn cohort(&self, id: u64) -> Option<&Cohort> {
        self.get("cohorts", id).map(|i| &self.cohorts[i])
    }
    pub fn learner_group(&self, id: u64) -> Option<&LearnerGroup> {
        self.get("learnerGroups", id)
            .map(|i| &self.learner_groups[i])
    }
    pub fn instructor_group(&self, id: u64) -> Option<&InstructorGroup> {
        self.get("instructorGroups", id)
            .map(|i| &self.instructor_groups[i])
    }
    pub fn offering(&self, id: u64) -> Option<&Offering> {
        self.get("offerings", id).map(|i| &self.offerings[i])
    }
    pub fn ilm_session(&self, id: u64) -> Option<&IlmSession> {
        self.get("ilmSessions", id).map(|i| &self.ilm_sessions[i])
    }
    fn get(&self, kind: &'static str, id: u64) -> Option<usize> {
        self.idx.get(&(kind, id)).copied()
    }

    /// Build the data set around the clock's week (weeks and times of day are in its zone).
    /// `base_url` is used for `absoluteFileUri`s.
    pub fn build(clock: &Clock, events_per_week: usize, base_url: &str) -> eyre::Result<Db> {
        let zone = clock.zone();
        let seed: Seed = serde_json::from_str(BASE_JSON)?;
        let events: SeedEvents = serde_json::from_str(EVENTS_JSON)?;
        let today = clock.today();
        let monday = monday_of(today);
        let mut db = Db {
            base_url: base_url.to_string(),
            ..Db::default()
        };

        db.user_roles = seed.user_roles;
        db.schools = seed
            .schools
            .into_iter()
            .map(|s| School {
                id: s.id,
                title: s.title,
                template_prefix: s.template_prefix,
                ilios_administrator_email: s.ilios_administrator_email,
                change_alert_recipients: s.change_alert_recipients,
                ..School::default()
            })
            .collect();
        for v in &seed.vocabularies {
            for t in &v.terms {
                db.terms.insert(
                    t.id,
                    Term {
                        id: t.id,
                        title: t.title.clone(),
                        vocabulary_id: v.id,
                        vocabulary_title: v.title.clone(),
                        school: v.school,
                    },
                );
            }
            db.vocabularies.push(Vocabulary {
                id: v.id,
                title: v.title.clone(),
                school: v.school,
                active: true,
                terms: v.terms.iter().map(|t| t.id).collect(),
            });
            if let Some(s) = db.schools.iter_mut().find(|s| s.id == v.school) {
                s.vocabularies.push(v.id);
            }
        }
        for u in seed.users {
            if let (Some(name), Some(pw)) = (&u.username, &u.password) {
                db.credentials.push(Credentials {
                    user_id: u.id,
                    username: name.clone(),
                    password: pw.clone(),
                });
            }
            db.users.push(User {
                id: u.id,
                last_name: u.last_name,
                first_name: u.first_name,
                middle_name: u.middle_name,
                display_name: u.display_name,
                phone: u.phone,
                email: u.email,
                preferred_email: u.preferred_email,
                pronouns: u.pronouns,
                added_via_ilios: u.added_via_ilios,
                enabled: u.enabled,
                campus_id: u.campus_id,
                other_id: u.other_id,
                examined: u.examined,
                user_sync_ignore: u.user_sync_ignore,
                root: u.root,
                ics_feed_key: ics_key(u.id),
                school: u.school,
                authentication: u.username.as_ref().map(|_| u.id),
                primary_cohort: u.primary_cohort,
                roles: u.roles,
                cohorts: u.cohorts,
                directed_schools: u.directed_schools,
                administered_schools: u.administered_schools,
                directed_programs: u.directed_programs,
                ..User::default()
            });
        }
        db.programs = seed
            .programs
            .into_iter()
            .map(|p| Program {
                id: p.id,
                title: p.title,
                short_title: p.short_title,
                duration: p.duration,
                school: p.school,
                ..Program::default()
            })
            .collect();
        for py in seed.program_years {
            let school = db
                .programs
                .iter()
                .find(|p| p.id == py.program)
                .map(|p| p.school)
                .unwrap_or(1);
            db.program_years.push(ProgramYear {
                id: py.id,
                start_year: py.start_year,
                program: py.program,
                cohort: py.cohort.id,
                directors: py.directors,
                school,
                ..ProgramYear::default()
            });
            db.cohorts.push(Cohort {
                id: py.cohort.id,
                title: py.cohort.title,
                program_year: py.id,
                school,
                start_year: py.start_year,
                ..Cohort::default()
            });
        }
        db.learner_groups = seed
            .learner_groups
            .into_iter()
            .map(|g| LearnerGroup {
                id: g.id,
                title: g.title,
                location: g.location,
                url: g.url,
                needs_accommodation: g.needs_accommodation,
                cohort: g.cohort,
                parent: g.parent,
                users: g.users,
                instructors: g.instructors,
                ..LearnerGroup::default()
            })
            .collect();
        db.instructor_groups = seed
            .instructor_groups
            .into_iter()
            .map(|g| InstructorGroup {
                id: g.id,
                title: g.title,
                school: g.school,
                users: g.users,
                ..Default::default()
            })
            .collect();
        db.session_types = seed
            .session_types
            .into_iter()
            .map(|t| SessionType {
                id: t.id,
                title: t.title,
                calendar_color: t.calendar_color,
                active: t.active,
                school: t.school,
                ..SessionType::default()
            })
            .collect();
        db.learning_materials = seed
            .learning_materials
            .into_iter()
            .map(|m| (m.id, m))
            .collect();

        // Courses span the materialized weeks.
        let year = today.year();
        let start = local_to_utc(zone, monday + Duration::weeks(FIRST_WEEK), NaiveTime::MIN);
        let end = local_to_utc(
            zone,
            monday + Duration::weeks(LAST_WEEK) + Duration::days(6),
            NaiveTime::MIN,
        );
        let mut next_objective = 1u64;
        let mut next_clm = 1u64;
        for c in seed.courses {
            let mut extras = Extras::default();
            for (i, t) in c.objectives.iter().enumerate() {
                extras.objectives.push(Objective {
                    id: next_objective,
                    title: t.clone(),
                    position: i as u32,
                });
                next_objective += 1;
            }
            for (i, m) in c.learning_materials.iter().enumerate() {
                extras.materials.push(MaterialUse {
                    id: next_clm,
                    learning_material: m.learning_material,
                    required: m.required,
                    public_notes: m.public_notes.clone(),
                    position: i as u32 + 1,
                    start_date: None,
                    end_date: None,
                });
                next_clm += 1;
            }
            let back = Months::new(12 * c.years_ago);
            db.courses.push(Course {
                id: c.id,
                title: Some(c.title),
                level: c.level,
                year: year - c.years_ago as i32,
                start_date: start.checked_sub_months(back).unwrap_or(start),
                end_date: end.checked_sub_months(back).unwrap_or(end),
                external_id: c.external_id,
                published_as_tbd: c.published_as_tbd,
                published: c.published,
                school: c.school,
                directors: c.directors,
                administrators: c.administrators,
                cohorts: c.cohorts,
                terms: c.terms,
                course_objectives: extras.objectives.iter().map(|o| o.id).collect(),
                learning_materials: extras.materials.iter().map(|m| m.id).collect(),
                ..Course::default()
            });
            db.course_extras.insert(c.id, extras);
        }

        // Sessions, offerings and ILMs, week by week.
        let mut next_session = 1u64;
        let mut next_offering = 1u64;
        let mut next_ilm = 1u64;
        let mut next_slm = 1u64;
        let updated_at = local_to_utc(
            zone,
            monday + Duration::weeks(FIRST_WEEK) - Duration::days(10),
            parse_time("14:32"),
        );
        for week in FIRST_WEEK..=LAST_WEEK {
            let week_monday = monday + Duration::weeks(week);
            let n = week - FIRST_WEEK + 1;
            let mut by_key: HashMap<String, u64> = HashMap::new();
            let mut pending_post: Vec<(u64, String)> = Vec::new();
            let mut templates: Vec<SeedSession> = events
                .sessions
                .iter()
                .filter(|t| t.weeks.as_ref().is_none_or(|w| w.contains(&week)))
                .cloned()
                .collect();
            for k in 0..events_per_week {
                let minute = (k % 600) as i64;
                templates.push(SeedSession {
                    key: format!("generated-{k}"),
                    title: format!("Generated Session {}.{}", n, k + 1),
                    course: 1,
                    session_type: 1 + (k as u64 % 3),
                    weekday: 1 + (k as u32 % 5),
                    time: format!("{:02}:{:02}", 7 + minute / 60, minute % 60),
                    minutes: 30,
                    room: Some(format!("Generated Room {}", k % 40 + 1)),
                    learner_groups: vec![1],
                    instructors: vec![3],
                    published: true,
                    ..SeedSession::default()
                });
            }
            for t in templates {
                let sid = next_session;
                next_session += 1;
                by_key.insert(t.key.clone(), sid);
                if let Some(p) = &t.postrequisite {
                    pending_post.push((sid, p.clone()));
                }
                let course = db.courses.iter().find(|c| c.id == t.course);
                let school = course.map(|c| c.school).unwrap_or(1);
                let start_day = week_monday + Duration::days(t.weekday.saturating_sub(1) as i64);
                let start_at = local_to_utc(zone, start_day, parse_time(&t.time));
                let end_at = match (&t.end_weekday, &t.end_time) {
                    (Some(d), Some(tm)) => local_to_utc(
                        zone,
                        week_monday + Duration::days(d.saturating_sub(1) as i64),
                        parse_time(tm),
                    ),
                    _ => start_at + Duration::minutes(t.minutes),
                };
                let mut extras = Extras::default();
                for (i, title) in t.objectives.iter().enumerate() {
                    extras.objectives.push(Objective {
                        id: next_objective,
                        title: title.clone(),
                        position: i as u32,
                    });
                    next_objective += 1;
                }
                for (i, m) in t.materials.iter().enumerate() {
                    let (sd, ed) = match m.release {
                        Some(r) => {
                            let s = end_at + Duration::days(r.after_end_days);
                            (Some(s), Some(s + Duration::days(r.length_days)))
                        }
                        None => (None, None),
                    };
                    extras.materials.push(MaterialUse {
                        id: next_slm,
                        learning_material: m.learning_material,
                        required: m.required,
                        public_notes: m.public_notes.clone(),
                        position: i as u32 + 1,
                        start_date: sd,
                        end_date: ed,
                    });
                    next_slm += 1;
                }
                let mut session = Session {
                    id: sid,
                    title: Some(t.title.replace("{n}", &n.to_string())),
                    attire_required: t.attire_required,
                    equipment_required: t.equipment_required,
                    supplemental: t.supplemental,
                    attendance_required: t.attendance_required,
                    published_as_tbd: t.published_as_tbd,
                    published: t.published,
                    instructional_notes: t.instructional_notes.clone(),
                    updated_at,
                    description: t.description.clone(),
                    session_type: t.session_type,
                    course: t.course,
                    terms: t.terms.clone(),
                    session_objectives: extras.objectives.iter().map(|o| o.id).collect(),
                    learning_materials: extras.materials.iter().map(|m| m.id).collect(),
                    administrators: t.administrators.clone(),
                    school,
                    ..Session::default()
                };
                if let Some(ilm) = t.ilm {
                    let id = next_ilm;
                    next_ilm += 1;
                    session.ilm_session = Some(id);
                    db.ilm_sessions.push(IlmSession {
                        id,
                        session: sid,
                        hours: ilm.hours,
                        due_date: start_at,
                        learner_groups: t.learner_groups.clone(),
                        instructor_groups: t.instructor_groups.clone(),
                        instructors: t.instructors.clone(),
                        learners: t.learners.clone(),
                        course: t.course,
                    });
                } else {
                    let id = next_offering;
                    next_offering += 1;
                    session.offerings.push(id);
                    db.offerings.push(Offering {
                        id,
                        room: t.room.clone(),
                        site: t.site.clone(),
                        url: t.url.clone(),
                        start_date: start_at,
                        end_date: end_at,
                        updated_at: updated_at + Duration::hours(3),
                        session: sid,
                        learner_groups: t.learner_groups.clone(),
                        instructor_groups: t.instructor_groups.clone(),
                        learners: t.learners.clone(),
                        instructors: t.instructors.clone(),
                        course: t.course,
                        school,
                    });
                }
                db.sessions.push(session);
                db.session_extras.insert(sid, extras);
            }
            for (pre, key) in pending_post {
                if let Some(&post) = by_key.get(&key) {
                    db.sessions[(pre - 1) as usize].postrequisite = Some(post);
                    db.sessions[(post - 1) as usize].prerequisites.push(pre);
                }
            }
        }
        db.derive();
        Ok(db)
    }

    /// Fill every reverse relation from the owning side.
    fn derive(&mut self) {
        let users = index_of(&self.users, |u| u.id);
        let schools = index_of(&self.schools, |s| s.id);
        let programs = index_of(&self.programs, |p| p.id);
        let cohorts = index_of(&self.cohorts, |c| c.id);
        let groups = index_of(&self.learner_groups, |g| g.id);
        let igroups = index_of(&self.instructor_groups, |g| g.id);
        let stypes = index_of(&self.session_types, |t| t.id);
        let courses = index_of(&self.courses, |c| c.id);

        for u in self.users.clone() {
            for c in &u.cohorts {
                if let Some(&i) = cohorts.get(c) {
                    push_unique(&mut self.cohorts[i].users, u.id);
                }
            }
            for s in &u.administered_schools {
                if let Some(&i) = schools.get(s) {
                    push_unique(&mut self.schools[i].administrators, u.id);
                }
            }
            for s in &u.directed_schools {
                if let Some(&i) = schools.get(s) {
                    push_unique(&mut self.schools[i].directors, u.id);
                }
            }
            for p in &u.directed_programs {
                if let Some(&i) = programs.get(p) {
                    push_unique(&mut self.programs[i].directors, u.id);
                }
            }
        }
        for p in &self.programs {
            if let Some(&i) = schools.get(&p.school) {
                push_unique(&mut self.schools[i].programs, p.id);
            }
        }
        for py in self.program_years.clone() {
            if let Some(&i) = programs.get(&py.program) {
                push_unique(&mut self.programs[i].program_years, py.id);
            }
            for d in &py.directors {
                if let Some(&i) = users.get(d) {
                    push_unique(&mut self.users[i].program_years, py.id);
                }
            }
        }
        // Learner groups: tree, members, instructors.
        let parents: HashMap<u64, Option<u64>> = self
            .learner_groups
            .iter()
            .map(|g| (g.id, g.parent))
            .collect();
        for g in self.learner_groups.clone() {
            if let Some(p) = g.parent {
                if let Some(&i) = groups.get(&p) {
                    push_unique(&mut self.learner_groups[i].children, g.id);
                }
                let mut top = p;
                while let Some(Some(up)) = parents.get(&top) {
                    top = *up;
                }
                let gi = groups[&g.id];
                self.learner_groups[gi].ancestor = Some(top);
                if let Some(&i) = groups.get(&top) {
                    push_unique(&mut self.learner_groups[i].descendants, g.id);
                }
            }
            if let Some(&i) = cohorts.get(&g.cohort) {
                push_unique(&mut self.cohorts[i].learner_groups, g.id);
            }
            for u in &g.users {
                if let Some(&i) = users.get(u) {
                    push_unique(&mut self.users[i].learner_groups, g.id);
                }
            }
            for u in &g.instructors {
                if let Some(&i) = users.get(u) {
                    push_unique(&mut self.users[i].instructed_learner_groups, g.id);
                }
            }
        }
        for g in self.instructor_groups.clone() {
            if let Some(&i) = schools.get(&g.school) {
                push_unique(&mut self.schools[i].instructor_groups, g.id);
            }
            for u in &g.users {
                if let Some(&i) = users.get(u) {
                    push_unique(&mut self.users[i].instructor_groups, g.id);
                }
            }
        }
        for t in &self.session_types {
            if let Some(&i) = schools.get(&t.school) {
                push_unique(&mut self.schools[i].session_types, t.id);
            }
        }
        for c in self.courses.clone() {
            if let Some(&i) = schools.get(&c.school) {
                push_unique(&mut self.schools[i].courses, c.id);
            }
            for d in &c.directors {
                if let Some(&i) = users.get(d) {
                    push_unique(&mut self.users[i].directed_courses, c.id);
                }
            }
            for d in &c.administrators {
                if let Some(&i) = users.get(d) {
                    push_unique(&mut self.users[i].administered_courses, c.id);
                }
            }
            for co in &c.cohorts {
                if let Some(&i) = cohorts.get(co) {
                    push_unique(&mut self.cohorts[i].courses, c.id);
                }
            }
        }
        for s in &self.sessions {
            if let Some(&i) = courses.get(&s.course) {
                self.courses[i].sessions.push(s.id);
            }
            if let Some(&i) = stypes.get(&s.session_type) {
                self.session_types[i].sessions.push(s.id);
            }
            for a in &s.administrators {
                if let Some(&i) = users.get(a) {
                    push_unique(&mut self.users[i].administered_sessions, s.id);
                }
            }
        }
        self.term_records = self.term_records_from_uses();
        for o in &self.offerings {
            for g in &o.learner_groups {
                if let Some(&i) = groups.get(g) {
                    self.learner_groups[i].offerings.push(o.id);
                }
            }
            for g in &o.instructor_groups {
                if let Some(&i) = igroups.get(g) {
                    self.instructor_groups[i].offerings.push(o.id);
                }
            }
            for u in &o.learners {
                if let Some(&i) = users.get(u) {
                    self.users[i].offerings.push(o.id);
                }
            }
            for u in &o.instructors {
                if let Some(&i) = users.get(u) {
                    self.users[i].instructed_offerings.push(o.id);
                }
            }
        }
        for ilm in &self.ilm_sessions {
            for g in &ilm.learner_groups {
                if let Some(&i) = groups.get(g) {
                    self.learner_groups[i].ilm_sessions.push(ilm.id);
                }
            }
            for g in &ilm.instructor_groups {
                if let Some(&i) = igroups.get(g) {
                    self.instructor_groups[i].ilm_sessions.push(ilm.id);
                }
            }
            for u in &ilm.learners {
                if let Some(&i) = users.get(u) {
                    self.users[i].learner_ilm_sessions.push(ilm.id);
                }
            }
            for u in &ilm.instructors {
                if let Some(&i) = users.get(u) {
                    self.users[i].instructor_ilm_sessions.push(ilm.id);
                }
            }
        }
        // Sorted ids everywhere, like `ORDER BY id` joins.
        for u in &mut self.users {
            for v in [
                &mut u.learner_groups,
                &mut u.instructed_learner_groups,
                &mut u.instructor_groups,
                &mut u.directed_courses,
                &mut u.administered_courses,
                &mut u.administered_sessions,
                &mut u.program_years,
                &mut u.cohorts,
                &mut u.roles,
            ] {
                v.sort_unstable();
            }
        }
        let mut idx = HashMap::new();
        let mut add = |kind: &'static str, ids: Vec<u64>| {
            for (i, id) in ids.into_iter().enumerate() {
                idx.insert((kind, id), i);
            }
        };
        add("users", self.users.iter().map(|x| x.id).collect());
        add("courses", self.courses.iter().map(|x| x.id).collect());
        add("sessions", self.sessions.iter().map(|x| x.id).collect());
        add(
            "sessionTypes",
            self.session_types.iter().map(|x| x.id).collect(),
        );
        add("cohorts", self.cohorts.iter().map(|x| x.id).collect());
        add(
            "learnerGroups",
            self.learner_groups.iter().map(|x| x.id).collect(),
        );
        add(
            "instructorGroups",
            self.instructor_groups.iter().map(|x| x.id).collect(),
        );
        add("offerings", self.offerings.iter().map(|x| x.id).collect());
        add(
            "ilmSessions",
            self.ilm_sessions.iter().map(|x| x.id).collect(),
        );
        self.idx = idx;
    }

    /// Every term with the courses and sessions tagged with it.
    fn term_records_from_uses(&self) -> Vec<TermRecord> {
        let mut ids: Vec<u64> = self.terms.keys().copied().collect();
        ids.sort_unstable();
        ids.into_iter()
            .map(|id| {
                let t = &self.terms[&id];
                TermRecord {
                    id,
                    title: t.title.clone(),
                    active: true,
                    vocabulary: t.vocabulary_id,
                    courses: self
                        .courses
                        .iter()
                        .filter(|c| c.terms.contains(&id))
                        .map(|c| c.id)
                        .collect(),
                    sessions: self
                        .sessions
                        .iter()
                        .filter(|s| s.terms.contains(&id))
                        .map(|s| s.id)
                        .collect(),
                    ..TermRecord::default()
                }
            })
            .collect()
    }

    /// Academic years present in the course data (`AcademicYear`: id and title are strings).
    pub fn academic_years(&self) -> Vec<AcademicYear> {
        let years: BTreeSet<i32> = self.courses.iter().map(|c| c.year).collect();
        years
            .into_iter()
            .map(|y| AcademicYear {
                id: y.to_string(),
                title: y.to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeded around a fixed Wednesday in Los Angeles (the tests' day, never the system's).
    fn db() -> Db {
        let at = DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00").unwrap();
        let clock = Clock::stopped_at(at.to_utc()).in_zone("America/Los_Angeles".parse().unwrap());
        Db::build(&clock, 2, "http://127.0.0.1:1").unwrap()
    }

    #[test]
    fn reverse_relations_agree() {
        let db = db();
        for g in &db.learner_groups {
            for u in &g.users {
                assert!(db.user(*u).unwrap().learner_groups.contains(&g.id));
            }
            if let Some(p) = g.parent {
                assert!(db.learner_group(p).unwrap().children.contains(&g.id));
            }
            assert!(db.cohort(g.cohort).unwrap().learner_groups.contains(&g.id));
        }
        for u in &db.users {
            for c in &u.cohorts {
                assert!(db.cohort(*c).unwrap().users.contains(&u.id));
            }
            for o in &u.instructed_offerings {
                assert!(db.offering(*o).unwrap().instructors.contains(&u.id));
            }
            for c in &u.directed_courses {
                assert!(db.course(*c).unwrap().directors.contains(&u.id));
            }
            if let Some(pc) = u.primary_cohort {
                assert!(u.cohorts.contains(&pc));
            }
        }
        for s in &db.sessions {
            assert!(db.course(s.course).unwrap().sessions.contains(&s.id));
            for o in &s.offerings {
                assert_eq!(db.offering(*o).unwrap().session, s.id);
            }
            if let Some(post) = s.postrequisite {
                assert!(db.session(post).unwrap().prerequisites.contains(&s.id));
            }
        }
        for o in &db.offerings {
            for g in &o.learner_groups {
                assert!(db.learner_group(*g).unwrap().offerings.contains(&o.id));
            }
        }
    }

    #[test]
    fn every_week_is_materialized() {
        let db = db();
        let weeks = (LAST_WEEK - FIRST_WEEK + 1) as usize;
        let templates: SeedEvents = serde_json::from_str(EVENTS_JSON).unwrap();
        assert_eq!(db.sessions.len(), weeks * (templates.sessions.len() + 2));
        let titles: BTreeSet<&str> = db
            .sessions
            .iter()
            .filter_map(|s| s.title.as_deref())
            .collect();
        assert!(titles.contains("Weekly Checkpoint 1 - Due"));
        assert!(titles.contains(format!("Weekly Checkpoint {weeks} - Due").as_str()));
    }

    #[test]
    fn nicholas_and_walter_as_seeded() {
        let db = db();
        let n = db.user(1).unwrap();
        assert!(n.root && n.display_name.is_none() && n.primary_cohort.is_none());
        assert!(n.performs_non_learner_function());
        assert_eq!(n.event_name(), "Nicholas Gutierrez");
        let w = db.user(2).unwrap();
        assert!(!w.performs_non_learner_function());
        assert_eq!(w.event_name(), "Walter Stephanie Powell (he/him)");
    }
}
