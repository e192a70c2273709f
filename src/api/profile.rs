//! The profile's wave: after `GET /users/{id}`, ONE concurrent wave of [`related_requests`]
//! (which requests, each filter checked against ilios/ilios), and [`fetch_profile_parts`], which
//! sends them all at once and yields each answer as it arrives. Both the TUI (My Profile) and
//! the headless `profile` command use it; what the answers mean is `domain::profile`'s business.

use std::collections::BTreeSet;

use futures::FutureExt;
use futures::future::BoxFuture;
use futures::stream::{self, FuturesUnordered, Stream, StreamExt};
use serde::Serialize;
use serde_json::{Value, json};

use super::ApiError;
use super::Client;
use super::models::{Id, User};

/// One answer of the profile's wave.
#[derive(Debug)]
pub struct ProfileAnswer {
    pub query: RelatedQuery,
    pub body: Result<serde_json::Value, ApiError>,
}

/// Sends every related request of `user` at once (one concurrent wave; long id lists are split
/// by the client) and yields each answer as it arrives, with its place in [`related_requests`].
/// The two queries [`Route::ThroughInstructedLearnerGroups`] share one chain of requests that
/// starts with the wave and answers both at its end.
pub fn fetch_profile_parts(
    client: &Client,
    user: &User,
) -> impl Stream<Item = (usize, ProfileAnswer)> + Send + 'static {
    type Answers = Vec<(usize, ProfileAnswer)>;
    let (direct, chained): (Vec<_>, Vec<_>) = related_requests(user)
        .into_iter()
        .enumerate()
        .partition(|(_, q)| q.route == Route::Direct);
    let wave: FuturesUnordered<BoxFuture<'static, Answers>> = direct
        .into_iter()
        .map(|(index, query)| {
            let client = client.clone();
            async move {
                let body = client.get_value(query.resource, &query.query_pairs()).await;
                vec![(index, ProfileAnswer { query, body })]
            }
            .boxed()
        })
        .collect();
    if !chained.is_empty() {
        let client = client.clone();
        let groups = user.instructed_learner_groups.clone();
        wave.push(
            async move {
                let result = through_instructed_learner_groups(&client, &groups).await;
                chained
                    .into_iter()
                    .map(|(index, query)| {
                        let body = match &result {
                            Ok(answers) => Ok(answers.for_resource(query.resource)),
                            Err(e) => Err(e.clone()),
                        };
                        (index, ProfileAnswer { query, body })
                    })
                    .collect()
            }
            .boxed(),
        );
    }
    wave.flat_map(stream::iter)
}

/// The sessions (and their courses) the user teaches as an instructor of learner groups, as the
/// web client's `allInstructedSessions` reaches them (ilios/frontend
/// `packages/ilios-common/addon/models/user.js`: `_instructedLearnerGroupOfferingsData`, i.e.
/// `instructedLearnerGroups` → their `offerings` → `session` → `course`; the groups' ILMs are
/// not counted there, so not here). No session or course filter of ilios/ilios reaches them
/// (`SessionDTO` and `CourseDTO` filter by `instructors` and `instructorGroups`, not learner
/// groups), so: `learnergroups?filters[id][]` (their `offerings`), then
/// `offerings?filters[id][]` (their `session`), then `sessions?filters[id][]` and
/// `courses?filters[sessions][]`. Learner groups and offerings are viewable by anyone who
/// performs a non-learner function (`LearnerGroupDTOVoter`, `ElevatedPermissionsViewDTOVoter`),
/// which instructing a group is.
async fn through_instructed_learner_groups(
    client: &Client,
    groups: &[Id],
) -> Result<LearnerGroupTeaching, ApiError> {
    let groups = client
        .get_value("learnergroups", &id_pairs("id", groups))
        .await?;
    let offerings = ids_in(&groups, "learnerGroups", "offerings");
    let get = |resource: &'static str, envelope: &'static str, field, ids: Vec<Id>| {
        let client = client.clone();
        async move {
            if ids.is_empty() {
                return Ok(json!({ envelope: [] }));
            }
            client.get_value(resource, &id_pairs(field, &ids)).await
        }
    };
    let offerings = get("offerings", "offerings", "id", offerings).await?;
    let sessions = ids_in(&offerings, "offerings", "session");
    let (sessions, courses) = futures::try_join!(
        get("sessions", "sessions", "id", sessions.clone()),
        get("courses", "courses", "sessions", sessions)
    )?;
    Ok(LearnerGroupTeaching { sessions, courses })
}

/// The two answers of [`through_instructed_learner_groups`], each as the server sent it.
struct LearnerGroupTeaching {
    sessions: Value,
    courses: Value,
}

impl LearnerGroupTeaching {
    fn for_resource(&self, resource: &str) -> Value {
        match resource {
            "courses" => self.courses.clone(),
            _ => self.sessions.clone(),
        }
    }
}

fn id_pairs(field: &str, ids: &[Id]) -> Vec<(String, String)> {
    ids.iter()
        .map(|id| (format!("filters[{field}][]"), id.to_string()))
        .collect()
}

/// Every id in `field` of the items of `body[envelope]`: a list of ids or one id, each a number
/// or a numeric string (Ilios sends both). Anything else is skipped.
fn ids_in(body: &Value, envelope: &str, field: &str) -> Vec<Id> {
    let id = |v: &Value| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    let items = body.get(envelope).and_then(Value::as_array);
    let found: Vec<Id> = items
        .into_iter()
        .flatten()
        .filter_map(|item| item.get(field))
        .flat_map(|v| match v {
            Value::Array(list) => list.iter().filter_map(id).collect::<Vec<_>>(),
            one => id(one).into_iter().collect(),
        })
        .collect();
    union(&[&found])
}

/// Which part of [`ProfileData`] an answer fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ProfilePart {
    Roles,
    Schools,
    AcademicYears,
    Programs,
    ProgramYears,
    Cohorts,
    LearnerGroups,
    /// Every course the page may name (directed, administered, advised, taught, and the courses
    /// of the listed sessions): a lookup table, merged from several requests.
    Courses,
    /// Sessions the user administers or advises (by id).
    Sessions,
    /// Sessions the user teaches (offering / ILM instructor or instructor-group member).
    InstructedSessions,
}

impl ProfilePart {
    pub const ALL: [ProfilePart; 10] = [
        ProfilePart::Roles,
        ProfilePart::Schools,
        ProfilePart::AcademicYears,
        ProfilePart::Programs,
        ProfilePart::ProgramYears,
        ProfilePart::Cohorts,
        ProfilePart::LearnerGroups,
        ProfilePart::Courses,
        ProfilePart::Sessions,
        ProfilePart::InstructedSessions,
    ];
}

/// One GET of the wave: `GET /api/v3/{resource}?filters[{field}][]={id}&...`.
/// An empty `filters` list means GET all. A filter never has an empty id list (that would be
/// GET all): [`related_requests`] leaves such a request out and the part is empty at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedQuery {
    pub part: ProfilePart,
    /// URL segment: `cohorts`, `learnergroups`, `userroles`, ...
    pub resource: &'static str,
    pub filters: Vec<(String, Vec<u64>)>,
    /// Answered by one GET, or at the end of the learner-group chain.
    #[serde(skip_serializing_if = "Route::is_direct")]
    pub route: Route,
}

/// How a [`RelatedQuery`] is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Route {
    /// `GET /api/v3/{resource}?filters...`.
    #[default]
    Direct,
    /// The sessions (`resource` `sessions`) or courses (`courses`) reached from the user's
    /// instructed learner groups (`filters`: `instructedLearnerGroups`), by the chain of
    /// [`through_instructed_learner_groups`].
    ThroughInstructedLearnerGroups,
}

impl Route {
    fn is_direct(&self) -> bool {
        *self == Route::Direct
    }
}

impl RelatedQuery {
    /// The envelope key of the answer (`{"learnerGroups": [...]}`), from
    /// ilios/ilios `src/Service/EndpointResponseNamer.php` (camelCased plural).
    pub fn envelope(&self) -> &'static str {
        match self.resource {
            "userroles" => "userRoles",
            "learnergroups" => "learnerGroups",
            "programyears" => "programYears",
            "academicyears" => "academicYears",
            other => other,
        }
    }

    /// Query pairs ready for `reqwest::RequestBuilder::query`: `("filters[id][]", "3")`, ...
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.filters
            .iter()
            .flat_map(|(field, ids)| {
                ids.iter()
                    .map(move |id| (format!("filters[{field}][]"), id.to_string()))
            })
            .collect()
    }

    /// `cohorts?filters[id][]=1&filters[id][]=2`, for logs and `--verbose` output.
    pub fn path_and_query(&self) -> String {
        if self.route == Route::ThroughInstructedLearnerGroups {
            let groups = self.filters.iter().flat_map(|(_, ids)| ids);
            let q: Vec<String> = groups.map(|id| format!("filters[id][]={id}")).collect();
            return format!(
                "learnergroups?{} → offerings → {}",
                q.join("&"),
                self.resource
            );
        }
        let pairs = self.query_pairs();
        if pairs.is_empty() {
            return self.resource.to_string();
        }
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{}?{}", self.resource, q.join("&"))
    }
}

pub fn union(lists: &[&[Id]]) -> Vec<Id> {
    let set: BTreeSet<Id> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    set.into_iter().collect()
}

/// Cohort ids of the user: `cohorts` plus `primaryCohort` (normally one of them).
fn user_cohort_ids(user: &User) -> Vec<Id> {
    let primary: Vec<Id> = user.primary_cohort.into_iter().collect();
    union(&[&user.cohorts, &primary])
}

/// Whether the user teaches anything (ilios-api.md §2.3 "Suggested derivations").
pub fn teaches(user: &User) -> bool {
    !user.instructed_offerings.is_empty()
        || !user.instructor_groups.is_empty()
        || !user.instructor_ilm_sessions.is_empty()
        || !user.instructed_learner_groups.is_empty()
}

/// The ONE wave of requests after `GET /users/{id}`; after it every box is complete.
///
/// Each filter and the Ilios file that backs it:
/// - `userroles`, `schools`, `academicyears`, `programs`: GET all (small tables; schools and
///   years feed the permission switchers, programs give titles and schools).
/// - `programyears`: GET all. The program years of the user's cohorts cannot be filtered by
///   cohort: `ProgramYear::$cohort` is the *inverse* side of a one-to-one
///   (`src/Entity/ProgramYear.php`, `mappedBy: 'programYear'`), which the generic
///   `BaseRepository::attachClosingCriteriaToQueryBuilder` cannot put in DQL, and
///   `tests/Endpoints/ProgramYearTest.php` marks the `cohort` filter "skipped".
///   Left out when the user has no cohort, learner group or program year.
/// - `cohorts?filters[id][]` = `cohorts` + `primaryCohort` (plain DTO field `id`).
/// - `cohorts?filters[learnerGroups][]` = the user's learner groups, for groups outside the
///   user's cohorts (`src/Repository/CohortRepository.php` `learnerGroups`).
/// - `cohorts?filters[programYear][]` = directed program years, for the `{program} {cohort}`
///   lines (owning-side field `CohortDTO::$programYear`; tested in `tests/Endpoints/CohortTest.php`).
/// - `learnergroups?filters[cohorts][]` = the user's cohorts: brings the parents of the user's
///   groups (`#[IA\FilterableBy('cohorts')]` in `src/Entity/DTO/LearnerGroupDTO.php`, handled in
///   `src/Repository/LearnerGroupRepository.php`; `cohorts`, not `cohort`, because that repository
///   rewrites `cohort` to `$criteria['cohorts'][] = ...`, which nests an array of ids).
///   A learner only sees groups they belong to (`LearnerGroupDTOVoter`), so a parent may be missing:
///   [`learner_group_lines`] then marks the path as incomplete.
/// - `learnergroups?filters[id][]` = the user's learner groups (groups outside their cohorts).
/// - `courses?filters[id][]` = directed + administered + student-advised courses.
/// - `courses?filters[instructors][]` = the user: every course whose sessions the user teaches
///   (also the directed ones) (`CourseDTO` `#[IA\FilterableBy('instructors')]`,
///   `src/Repository/CourseRepository.php`), a superset of the courses of the taught sessions.
/// - `courses?filters[sessions][]` = administered + advised sessions, for their course titles
///   and years (`CourseDTO` `#[IA\FilterableBy('sessions')]`, `CourseRepository.php`).
/// - `sessions?filters[id][]` = administered + advised sessions.
/// - `sessions?filters[instructors][]` = the user (`SessionDTO`
///   `#[IA\FilterableBy('instructors')]`, `src/Repository/SessionRepository.php`: offering
///   instructors, offering instructor groups, ILM instructors and ILM instructor groups).
/// - Only for a user with `instructedLearnerGroups`: the sessions and courses taught through
///   them, which the web client counts too (`user.js` `allInstructedSessions`), by the chain of
///   [`through_instructed_learner_groups`] (no filter reaches them in one request). Everyone
///   else keeps two round trips.
///
/// Every resource above is viewable by any signed-in user (`src/RelationshipVoter/
/// GreenlightViewDTOVoter.php` lists cohorts, courses, programs, program years, schools,
/// sessions, user roles), except learner groups (`LearnerGroupDTOVoter`), see above.
pub fn related_requests(user: &User) -> Vec<RelatedQuery> {
    let q = |part, resource, filters: Vec<(&str, Vec<Id>)>| RelatedQuery {
        part,
        resource,
        filters: filters
            .into_iter()
            .map(|(f, ids)| (f.to_string(), ids))
            .collect(),
        route: Route::Direct,
    };
    let mut out = vec![
        q(ProfilePart::Roles, "userroles", vec![]),
        q(ProfilePart::Schools, "schools", vec![]),
        q(ProfilePart::AcademicYears, "academicyears", vec![]),
        q(ProfilePart::Programs, "programs", vec![]),
    ];
    let cohorts = user_cohort_ids(user);
    let groups = union(&[&user.learner_groups]);
    let program_years = union(&[&user.program_years]);
    if !cohorts.is_empty() || !groups.is_empty() || !program_years.is_empty() {
        out.push(q(ProfilePart::ProgramYears, "programyears", vec![]));
    }
    let mut filtered = |part, resource, field: &str, ids: Vec<Id>| {
        if !ids.is_empty() {
            out.push(q(part, resource, vec![(field, ids)]));
        }
    };
    filtered(ProfilePart::Cohorts, "cohorts", "id", cohorts.clone());
    filtered(
        ProfilePart::Cohorts,
        "cohorts",
        "learnerGroups",
        groups.clone(),
    );
    filtered(
        ProfilePart::Cohorts,
        "cohorts",
        "programYear",
        program_years,
    );
    filtered(
        ProfilePart::LearnerGroups,
        "learnergroups",
        "cohorts",
        cohorts,
    );
    filtered(ProfilePart::LearnerGroups, "learnergroups", "id", groups);
    let courses = union(&[
        &user.directed_courses,
        &user.administered_courses,
        &user.student_advised_courses,
    ]);
    let sessions = union(&[&user.administered_sessions, &user.student_advised_sessions]);
    filtered(ProfilePart::Courses, "courses", "id", courses);
    if teaches(user) {
        filtered(
            ProfilePart::Courses,
            "courses",
            "instructors",
            vec![user.id],
        );
    }
    filtered(
        ProfilePart::Courses,
        "courses",
        "sessions",
        sessions.clone(),
    );
    filtered(ProfilePart::Sessions, "sessions", "id", sessions);
    if teaches(user) {
        filtered(
            ProfilePart::InstructedSessions,
            "sessions",
            "instructors",
            vec![user.id],
        );
    }
    let taught_groups = union(&[&user.instructed_learner_groups]);
    if !taught_groups.is_empty() {
        for (part, resource) in [
            (ProfilePart::InstructedSessions, "sessions"),
            (ProfilePart::Courses, "courses"),
        ] {
            out.push(RelatedQuery {
                route: Route::ThroughInstructedLearnerGroups,
                ..q(
                    part,
                    resource,
                    vec![("instructedLearnerGroups", taught_groups.clone())],
                )
            });
        }
    }
    out
}
