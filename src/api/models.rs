//! Wire models of the Ilios v3 REST API, as the real server sends them.
//!
//! Facts that shape these types (see `ilios-api.md` §2.1): null properties are omitted, so every
//! nullable field is an `Option` with a default; to-many relations are arrays of *string* ids; single
//! relations are integers; dates are ISO-8601 with an offset (always `+00:00` on a real server).
//! Decoding is lenient where Ilios itself is loose (ids given as numbers are accepted too) and strict
//! where a missing value would be a lie (an entity without `id`).

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_with::{DefaultOnNull, DisplayFromStr, PickFirst, Same, serde_as};

/// A database id. Single relations arrive as JSON numbers, to-many relations as strings; both
/// are read either way (a to-many relation given as `null` is empty).
pub type Id = u64;

/// How an id is read: a JSON number, or a string holding one (`12` or `"12"`).
type AnyId = PickFirst<(Same, DisplayFromStr)>;

pub type Timestamp = DateTime<FixedOffset>;

/// `GET /application/config` → `{"config": {...}}`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationConfig {
    /// `form`, `ldap`, `cas` or `shibboleth`.
    #[serde(rename = "type")]
    pub auth_type: String,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub app_version: Option<String>,
    #[serde(default)]
    pub academic_year_crosses_calendar_year_boundaries: bool,
    #[serde(default)]
    pub material_status_enabled: bool,
    #[serde(default)]
    pub cas_login_url: Option<String>,
    #[serde(default)]
    pub login_url: Option<String>,
}

impl ApplicationConfig {
    /// Whether a username and password can be posted to `/auth/login`.
    pub fn has_password_login(&self) -> bool {
        matches!(self.auth_type.as_str(), "form" | "ldap")
    }
}

/// `GET /api/v3/users/{id}`: the fields ilios-tui reads.
#[serde_as]
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Id,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub middle_name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub pronouns: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub preferred_email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub campus_id: Option<String>,
    #[serde(default)]
    pub other_id: Option<String>,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub user_sync_ignore: bool,
    #[serde(default)]
    pub root: bool,
    #[serde(default)]
    pub added_via_ilios: bool,
    #[serde(default)]
    pub examined: bool,
    #[serde(default)]
    pub ics_feed_key: Option<String>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub school: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub primary_cohort: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub roles: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub cohorts: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub learner_groups: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub instructed_learner_groups: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub instructor_groups: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub instructor_ilm_sessions: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub learner_ilm_sessions: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub offerings: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub instructed_offerings: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directed_courses: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administered_courses: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub student_advised_courses: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administered_sessions: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub student_advised_sessions: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directed_programs: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub program_years: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directed_schools: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administered_schools: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administered_curriculum_inventory_reports: Vec<Id>,
}

/// `GET /api/v3/userroles`.
#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct UserRole {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    pub title: String,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct School {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    pub title: String,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub programs: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directors: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administrators: Vec<Id>,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Cohort {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    pub title: String,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub program_year: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub learner_groups: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub users: Vec<Id>,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ProgramYear {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub start_year: i32,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub program: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub cohort: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directors: Vec<Id>,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Program {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub short_title: Option<String>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub school: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub program_years: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directors: Vec<Id>,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LearnerGroup {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub cohort: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub parent: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub ancestor: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub children: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub users: Vec<Id>,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Course {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub year: i32,
    #[serde(default)]
    pub level: Option<i32>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub school: Option<Id>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub published_as_tbd: bool,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub directors: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administrators: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub student_advisors: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub sessions: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub cohorts: Vec<Id>,
}

#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub course: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub session_type: Option<Id>,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub published_as_tbd: bool,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub administrators: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub student_advisors: Vec<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub offerings: Vec<Id>,
}

/// `GET /api/v3/academicyears`: Ilios serializes both fields as strings (`{"id":"2024","title":"2024"}`).
#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct AcademicYear {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    pub title: String,
}

/// One entry of `GET /api/v3/userevents/{id}`. Pre- and postrequisites are nested full events.
#[serde_as]
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserEvent {
    pub name: String,
    #[serde(default)]
    pub course_title: Option<String>,
    pub start_date: Timestamp,
    pub end_date: Timestamp,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub offering: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub ilm_session: Option<Id>,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub last_modified: Option<Timestamp>,
    #[serde(default)]
    pub is_published: bool,
    #[serde(default)]
    pub is_scheduled: bool,
    #[serde(default)]
    pub instructors: Vec<String>,
    #[serde(default)]
    pub learning_materials: Vec<UserMaterial>,
    #[serde(default)]
    pub attire_required: Option<bool>,
    #[serde(default)]
    pub equipment_required: Option<bool>,
    #[serde(default)]
    pub supplemental: Option<bool>,
    #[serde(default)]
    pub attendance_required: Option<bool>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub session: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub course: Option<Id>,
    #[serde(default)]
    pub course_external_id: Option<String>,
    #[serde(default)]
    pub session_description: Option<String>,
    #[serde(default)]
    pub instructional_notes: Option<String>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub session_type_id: Option<Id>,
    #[serde(default)]
    pub session_type_title: Option<String>,
    #[serde(default)]
    pub prerequisites: Vec<UserEvent>,
    #[serde(default)]
    pub postrequisites: Vec<UserEvent>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub school: Option<Id>,
    #[serde(default)]
    pub course_level: Option<i32>,
    /// The course's cohorts (the All Events cohort filter reads them).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub cohorts: Vec<EventTag>,
    /// The session's and the course's terms (the All Events term filter reads both).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub session_terms: Vec<EventTag>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub course_terms: Vec<EventTag>,
    #[serde(default)]
    pub user_contexts: Vec<String>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub user: Option<Id>,
}

/// A cohort or term on an event: `{"id": 1, "title": "..."}` (terms carry their vocabulary too,
/// which ilios-tui does not read).
#[serde_as]
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
pub struct EventTag {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub title: String,
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// `GET /api/v3/sessiontypes`: the fields the calendar filters read.
#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SessionType {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub school: Option<Id>,
}

/// `GET /api/v3/vocabularies`.
#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub school: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull<Vec<AnyId>>")]
    pub terms: Vec<Id>,
}

/// `GET /api/v3/terms`.
#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Term {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub vocabulary: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub parent: Option<Id>,
}

impl UserEvent {
    /// An ILM (independent learning) event rather than a scheduled offering.
    pub fn is_ilm(&self) -> bool {
        self.ilm_session.is_some()
    }
}

/// A learning material attached to an event. Ilios types its ids as strings.
#[serde_as]
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserMaterial {
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub id: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub session_learning_material: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub course_learning_material: Option<Id>,
    #[serde(default)]
    pub position: Option<serde_json::Value>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub public_notes: Option<String>,
    #[serde(default)]
    pub original_author: Option<String>,
    #[serde(default)]
    pub absolute_file_uri: Option<String>,
    #[serde(default)]
    pub citation: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default)]
    pub mimetype: Option<String>,
    #[serde(default)]
    pub start_date: Option<Timestamp>,
    #[serde(default)]
    pub end_date: Option<Timestamp>,
    #[serde(default)]
    pub is_blanked: bool,
    // The fields below come with `GET /api/v3/usermaterials/{id}` (`UserMaterial.php`); inside
    // an event they are absent.
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub session: Option<Id>,
    #[serde(default)]
    #[serde_as(as = "Option<AnyId>")]
    pub course: Option<Id>,
    #[serde(default)]
    pub session_title: Option<String>,
    #[serde(default)]
    pub course_title: Option<String>,
    #[serde(default)]
    pub course_external_id: Option<String>,
    #[serde(default)]
    pub course_year: Option<i64>,
    #[serde(default)]
    pub first_offering_date: Option<Timestamp>,
    #[serde(default)]
    #[serde_as(as = "DefaultOnNull")]
    pub instructors: Vec<String>,
}

impl UserMaterial {
    /// `position` is a string on the wire ("1"); tolerate a number or garbage (sorts last).
    pub fn position_number(&self) -> i64 {
        match &self.position {
            Some(serde_json::Value::String(s)) => s.trim().parse().unwrap_or(i64::MAX),
            Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(i64::MAX),
            _ => i64::MAX,
        }
    }
}

/// `POST /auth/login` answer, for every status.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
pub struct LoginResponse {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub errors: Vec<String>,
    #[serde(default)]
    pub jwt: Option<String>,
}

/// `{"jwt": "..."}` from `/auth/token` and `/auth/invalidatetokens`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct JwtResponse {
    pub jwt: String,
}

/// `{"userId": 2}` from `/auth/whoami`.
#[serde_as]
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    #[serde_as(as = "AnyId")]
    pub user_id: Id,
}

/// `{"code":400,"message":"..."}`, the production error body.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: Option<u16>,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_decodes_string_ids_and_omitted_nulls() {
        let json = r#"{"id":5,"lastName":"fuenf","firstName":"five","middleName":"baz",
            "email":"five@test.org","enabled":true,"userSyncIgnore":false,"root":false,"school":1,
            "learnerGroups":["1","2","5","6"],"offerings":["7"],"roles":[],"cohorts":[]}"#;
        let user: User = serde_json::from_str(json).unwrap();
        assert_eq!(user.learner_groups, vec![1, 2, 5, 6]);
        assert_eq!(user.offerings, vec![7]);
        assert_eq!(user.display_name, None);
        assert_eq!(user.primary_cohort, None);
        assert_eq!(user.school, Some(1));
    }

    #[test]
    fn academic_year_ids_are_strings_on_the_wire() {
        let y: AcademicYear = serde_json::from_str(r#"{"id":"2024","title":"2024"}"#).unwrap();
        assert_eq!(y.id, 2024);
    }

    #[test]
    fn bad_id_string_is_an_error_not_a_zero() {
        assert!(serde_json::from_str::<UserRole>(r#"{"id":"x","title":"a"}"#).is_err());
    }
}
