//! The generic REST v3 read endpoints: envelopes, filters, permission filtering
//! (`AbstractApiController`, `ApiRequestParser`, `BaseRepository`, the DTO voters).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::db::{Db, User};

/// Why a collection request failed; mapped to Ilios' status codes by the caller.
#[derive(Debug, PartialEq)]
pub enum RestError {
    NotFound,
    /// A bad filter or order_by field: Ilios throws a plain exception, i.e. 500.
    Internal,
}

/// The URL segment, envelope key and exposed fields of an endpoint.
struct Endpoint {
    url: &'static str,
    key: &'static str,
    fields: &'static [&'static str],
    relations: &'static [&'static str],
}

const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        url: "users",
        key: "users",
        fields: &[
            "id",
            "lastName",
            "firstName",
            "middleName",
            "displayName",
            "phone",
            "email",
            "preferredEmail",
            "pronouns",
            "addedViaIlios",
            "enabled",
            "campusId",
            "otherId",
            "examined",
            "userSyncIgnore",
            "root",
            "icsFeedKey",
            "school",
            "authentication",
            "primaryCohort",
            "reports",
            "directedCourses",
            "administeredCourses",
            "studentAdvisedCourses",
            "learnerGroups",
            "instructedLearnerGroups",
            "instructorGroups",
            "instructorIlmSessions",
            "learnerIlmSessions",
            "offerings",
            "instructedOfferings",
            "programYears",
            "roles",
            "cohorts",
            "pendingUserUpdates",
            "directedSchools",
            "administeredSchools",
            "administeredSessions",
            "studentAdvisedSessions",
            "directedPrograms",
            "administeredCurriculumInventoryReports",
            "sessionMaterialStatuses",
        ],
        relations: &[
            "roles",
            "instructedCourses",
            "instructedSessions",
            "instructedSessionTypes",
            "instructedLearningMaterials",
            "learnerSessions",
            "schools",
            "instructedAcademicYears",
        ],
    },
    Endpoint {
        url: "userroles",
        key: "userRoles",
        fields: &["id", "title"],
        relations: &[],
    },
    Endpoint {
        url: "schools",
        key: "schools",
        fields: &[
            "id",
            "title",
            "templatePrefix",
            "iliosAdministratorEmail",
            "changeAlertRecipients",
            "competencies",
            "courses",
            "programs",
            "vocabularies",
            "instructorGroups",
            "curriculumInventoryInstitution",
            "sessionTypes",
            "directors",
            "administrators",
            "configurations",
        ],
        relations: &[],
    },
    Endpoint {
        url: "cohorts",
        key: "cohorts",
        fields: &[
            "id",
            "title",
            "programYear",
            "courses",
            "learnerGroups",
            "users",
        ],
        relations: &["schools", "startYears"],
    },
    Endpoint {
        url: "programyears",
        key: "programYears",
        fields: &[
            "id",
            "startYear",
            "locked",
            "archived",
            "program",
            "cohort",
            "directors",
            "competencies",
            "terms",
            "programYearObjectives",
        ],
        relations: &["courses", "sessions", "schools", "startYears"],
    },
    Endpoint {
        url: "programs",
        key: "programs",
        fields: &[
            "id",
            "title",
            "shortTitle",
            "duration",
            "school",
            "programYears",
            "curriculumInventoryReports",
            "directors",
        ],
        relations: &["courses", "sessions", "terms", "schools"],
    },
    Endpoint {
        url: "learnergroups",
        key: "learnerGroups",
        fields: &[
            "id",
            "title",
            "location",
            "url",
            "needsAccommodation",
            "cohort",
            "parent",
            "ancestor",
            "descendants",
            "children",
            "ilmSessions",
            "offerings",
            "instructorGroups",
            "users",
            "instructors",
        ],
        relations: &["cohorts"],
    },
    Endpoint {
        url: "courses",
        key: "courses",
        fields: &[
            "id",
            "title",
            "level",
            "year",
            "startDate",
            "endDate",
            "externalId",
            "locked",
            "archived",
            "publishedAsTbd",
            "published",
            "clerkshipType",
            "school",
            "ancestor",
            "directors",
            "administrators",
            "studentAdvisors",
            "cohorts",
            "terms",
            "courseObjectives",
            "meshDescriptors",
            "learningMaterials",
            "sessions",
            "descendants",
        ],
        relations: &[
            "schools",
            "ancestors",
            "sessions",
            "programs",
            "instructors",
            "instructorGroups",
            "programYears",
            "competencies",
            "academicYears",
        ],
    },
    Endpoint {
        url: "sessions",
        key: "sessions",
        fields: &[
            "id",
            "title",
            "attireRequired",
            "equipmentRequired",
            "supplemental",
            "attendanceRequired",
            "publishedAsTbd",
            "published",
            "instructionalNotes",
            "updatedAt",
            "description",
            "sessionType",
            "course",
            "ilmSession",
            "postrequisite",
            "terms",
            "sessionObjectives",
            "meshDescriptors",
            "learningMaterials",
            "administrators",
            "studentAdvisors",
            "offerings",
            "prerequisites",
        ],
        relations: &[
            "programs",
            "instructors",
            "instructorGroups",
            "competencies",
            "schools",
            "courses",
            "sessionTypes",
            "academicYears",
        ],
    },
    Endpoint {
        url: "sessiontypes",
        key: "sessionTypes",
        fields: &[
            "id",
            "title",
            "calendarColor",
            "active",
            "assessment",
            "assessmentOption",
            "school",
            "aamcMethods",
            "sessions",
        ],
        relations: &[
            "courses",
            "learningMaterials",
            "instructors",
            "instructorGroups",
            "programs",
            "competencies",
            "terms",
            "schools",
            "meshDescriptors",
            "academicYears",
        ],
    },
    Endpoint {
        url: "offerings",
        key: "offerings",
        fields: &[
            "id",
            "room",
            "site",
            "url",
            "startDate",
            "endDate",
            "updatedAt",
            "session",
            "learnerGroups",
            "instructorGroups",
            "learners",
            "instructors",
        ],
        relations: &["sessions", "courses", "schools"],
    },
    Endpoint {
        url: "instructorgroups",
        key: "instructorGroups",
        fields: &[
            "id",
            "title",
            "school",
            "learnerGroups",
            "ilmSessions",
            "users",
            "offerings",
        ],
        relations: &[
            "schools",
            "courses",
            "sessions",
            "sessionTypes",
            "learningMaterials",
            "instructors",
            "terms",
            "academicYears",
        ],
    },
    Endpoint {
        url: "ilmsessions",
        key: "ilmSessions",
        fields: &[
            "id",
            "session",
            "hours",
            "dueDate",
            "learnerGroups",
            "instructorGroups",
            "instructors",
            "learners",
        ],
        relations: &["courses", "sessions"],
    },
    Endpoint {
        url: "vocabularies",
        key: "vocabularies",
        fields: &["id", "title", "school", "active", "terms"],
        relations: &[],
    },
    Endpoint {
        url: "terms",
        key: "terms",
        fields: &[
            "id",
            "title",
            "description",
            "active",
            "vocabulary",
            "parent",
            "children",
            "courses",
            "programYears",
            "sessions",
            "aamcResourceTypes",
            "sessionObjectives",
            "courseObjectives",
            "programYearObjectives",
        ],
        relations: &["schools"],
    },
    Endpoint {
        url: "academicyears",
        key: "academicYears",
        fields: &["id", "title"],
        relations: &[],
    },
];

fn to_items<T: Serialize>(items: &[T], id: impl Fn(&T) -> u64) -> Vec<(u64, Value)> {
    items
        .iter()
        .map(|t| (id(t), serde_json::to_value(t).unwrap_or(Value::Null)))
        .collect()
}

/// A parsed `filters[...]` value: one scalar (equality) or a list (IN).
#[derive(Debug, Clone)]
pub(crate) enum FilterValue {
    One(Value),
    Many(Vec<String>),
}

#[derive(Debug, Default)]
pub struct Query {
    pub(crate) filters: Vec<(String, FilterValue)>,
    pub(crate) order_by: Vec<(String, bool)>,
    pub(crate) limit: Option<usize>,
    pub(crate) offset: usize,
    /// `?q=` free-text user search (`UserRepository::findDTOsByQ`).
    q: Option<String>,
}

/// Parse `filters[f]=v`, `filters[f][]=v`, `filters[f][0]=v`, `order_by[f]=ASC`, `limit`, `offset`.
pub fn parse_query(raw: &str) -> Query {
    let mut q = Query::default();
    let mut many: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        let (k, v) = (k.into_owned(), v.into_owned());
        if let Some(rest) = k.strip_prefix("filters[") {
            let Some((field, tail)) = rest.split_once(']') else {
                continue;
            };
            if tail.is_empty() {
                let val = match v.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ => Value::String(v),
                };
                q.filters.push((field.to_string(), FilterValue::One(val)));
            } else if tail.starts_with('[') && tail.ends_with(']') {
                match many.iter_mut().find(|(f, _)| f == field) {
                    Some((_, vs)) => vs.push(v),
                    None => many.push((field.to_string(), vec![v])),
                }
            }
        } else if let Some(rest) = k.strip_prefix("order_by[") {
            if let Some(field) = rest.strip_suffix(']') {
                q.order_by
                    .push((field.to_string(), v.eq_ignore_ascii_case("DESC")));
            }
        } else if k == "q" {
            q.q = Some(v).filter(|v| !v.is_empty());
        } else if k == "limit" {
            q.limit = v.parse().ok();
        } else if k == "offset" {
            q.offset = v.parse().unwrap_or(0);
        }
    }
    for (f, vs) in many {
        q.filters.push((f, FilterValue::Many(vs)));
    }
    q
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1".into() } else { "0".into() }),
        _ => None,
    }
}

pub(crate) fn matches_field(item: Option<&Value>, filter: &FilterValue) -> bool {
    let wanted: Vec<String> = match filter {
        FilterValue::One(Value::Null) => {
            return match item {
                None | Some(Value::Null) => true,
                Some(Value::Array(a)) => a.is_empty(),
                _ => false,
            };
        }
        FilterValue::One(Value::Bool(b)) => {
            return match item {
                Some(Value::Bool(x)) => x == b,
                Some(Value::Array(a)) => a
                    .iter()
                    .any(|x| scalar_string(x).as_deref() == Some(if *b { "1" } else { "0" })),
                _ => false,
            };
        }
        FilterValue::One(v) => scalar_string(v).into_iter().collect(),
        FilterValue::Many(vs) => vs.clone(),
    };
    let norm = |s: &str| -> String {
        match s {
            "true" => "1".into(),
            "false" => "0".into(),
            _ => s.to_string(),
        }
    };
    let wanted: HashSet<String> = wanted.iter().map(|s| norm(s)).collect();
    match item {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(scalar_string)
            .any(|s| wanted.contains(&s)),
        Some(v) => scalar_string(v).is_some_and(|s| wanted.contains(&s)),
        None => false,
    }
}

fn filter_ids(filter: &FilterValue) -> Vec<String> {
    match filter {
        FilterValue::One(v) => scalar_string(v).into_iter().collect(),
        FilterValue::Many(vs) => vs.clone(),
    }
}

/// Ids related to the item through a `#[IA\FilterableBy]` relation.
struct Relations<'a> {
    db: &'a Db,
    /// session id -> instructor user ids (direct and via instructor groups)
    session_instructors: HashMap<u64, HashSet<u64>>,
    session_igroups: HashMap<u64, HashSet<u64>>,
    session_learners: HashMap<u64, HashSet<u64>>,
}

impl<'a> Relations<'a> {
    fn new(db: &'a Db) -> Self {
        let mut r = Relations {
            db,
            session_instructors: HashMap::new(),
            session_igroups: HashMap::new(),
            session_learners: HashMap::new(),
        };
        let mut add =
            |sid: u64, users: &[u64], igroups: &[u64], lgroups: &[u64], learners: &[u64]| {
                let ins = r.session_instructors.entry(sid).or_default();
                ins.extend(users.iter().copied());
                for g in igroups {
                    if let Some(g) = db.instructor_group(*g) {
                        ins.extend(g.users.iter().copied());
                    }
                }
                r.session_igroups
                    .entry(sid)
                    .or_default()
                    .extend(igroups.iter().copied());
                let l = r.session_learners.entry(sid).or_default();
                l.extend(learners.iter().copied());
                for g in lgroups {
                    if let Some(g) = db.learner_group(*g) {
                        l.extend(g.users.iter().copied());
                    }
                }
            };
        for o in &db.offerings {
            add(
                o.session,
                &o.instructors,
                &o.instructor_groups,
                &o.learner_groups,
                &o.learners,
            );
        }
        for m in &db.ilm_sessions {
            add(
                m.session,
                &m.instructors,
                &m.instructor_groups,
                &m.learner_groups,
                &m.learners,
            );
        }
        r
    }

    fn session_ids_of_course(&self, course: u64) -> Vec<u64> {
        self.db
            .course(course)
            .map(|c| c.sessions.clone())
            .unwrap_or_default()
    }

    fn programs_of_course(&self, course: u64) -> Vec<u64> {
        let Some(c) = self.db.course(course) else {
            return vec![];
        };
        c.cohorts
            .iter()
            .filter_map(|co| self.db.cohort(*co))
            .filter_map(|co| {
                self.db
                    .program_years
                    .iter()
                    .find(|py| py.id == co.program_year)
            })
            .map(|py| py.program)
            .collect()
    }

    fn union<F: Fn(u64) -> Vec<u64>>(ids: &[u64], f: F) -> Vec<u64> {
        let mut out: Vec<u64> = ids.iter().flat_map(|i| f(*i)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn of_session(&self, sid: u64, rel: &str) -> Vec<u64> {
        let db = self.db;
        let Some(s) = db.session(sid) else {
            return vec![];
        };
        match rel {
            "courses" => vec![s.course],
            "schools" => vec![s.school],
            "sessionTypes" => vec![s.session_type],
            "instructors" => self
                .session_instructors
                .get(&sid)
                .map(|x| x.iter().copied().collect())
                .unwrap_or_default(),
            "instructorGroups" => self
                .session_igroups
                .get(&sid)
                .map(|x| x.iter().copied().collect())
                .unwrap_or_default(),
            "learners" => self
                .session_learners
                .get(&sid)
                .map(|x| x.iter().copied().collect())
                .unwrap_or_default(),
            "programs" => self.programs_of_course(s.course),
            "academicYears" => db
                .course(s.course)
                .map(|c| vec![c.year as u64])
                .unwrap_or_default(),
            "learningMaterials" => db
                .session_extras
                .get(&sid)
                .map(|x| x.materials.iter().map(|m| m.learning_material).collect())
                .unwrap_or_default(),
            "terms" => s.terms.clone(),
            _ => vec![],
        }
    }

    fn of_course(&self, cid: u64, rel: &str) -> Vec<u64> {
        let db = self.db;
        let Some(c) = db.course(cid) else {
            return vec![];
        };
        match rel {
            "schools" => vec![c.school],
            "sessions" => c.sessions.clone(),
            "programs" => self.programs_of_course(cid),
            "programYears" => c
                .cohorts
                .iter()
                .filter_map(|co| db.cohort(*co))
                .map(|co| co.program_year)
                .collect(),
            "academicYears" => vec![c.year as u64],
            "instructors" | "instructorGroups" => {
                Self::union(&c.sessions, |s| self.of_session(s, rel))
            }
            _ => vec![],
        }
    }

    fn of_user(&self, uid: u64, rel: &str) -> Vec<u64> {
        let db = self.db;
        let Some(u) = db.user(uid) else { return vec![] };
        let instructed: Vec<u64> = self
            .session_instructors
            .iter()
            .filter(|(_, us)| us.contains(&uid))
            .map(|(s, _)| *s)
            .collect();
        match rel {
            "roles" => u.roles.clone(),
            "schools" => vec![u.school],
            "instructedSessions" => instructed,
            "instructedCourses" => Self::union(&instructed, |s| self.of_session(s, "courses")),
            "instructedSessionTypes" => {
                Self::union(&instructed, |s| self.of_session(s, "sessionTypes"))
            }
            "instructedLearningMaterials" => {
                Self::union(&instructed, |s| self.of_session(s, "learningMaterials"))
            }
            "instructedAcademicYears" => {
                Self::union(&instructed, |s| self.of_session(s, "academicYears"))
            }
            "learnerSessions" => self
                .session_learners
                .iter()
                .filter(|(_, us)| us.contains(&uid))
                .map(|(s, _)| *s)
                .collect(),
            _ => vec![],
        }
    }

    fn get(&self, endpoint: &str, id: u64, rel: &str) -> Vec<u64> {
        let db = self.db;
        match endpoint {
            "users" => self.of_user(id, rel),
            "cohorts" => db
                .cohort(id)
                .map(|c| match rel {
                    "schools" => vec![c.school],
                    "startYears" => vec![c.start_year as u64],
                    _ => vec![],
                })
                .unwrap_or_default(),
            "programyears" => {
                let Some(py) = db.program_years.iter().find(|p| p.id == id) else {
                    return vec![];
                };
                let courses: Vec<u64> = db
                    .courses
                    .iter()
                    .filter(|c| {
                        db.cohort(py.cohort)
                            .is_some_and(|co| co.courses.contains(&c.id))
                    })
                    .map(|c| c.id)
                    .collect();
                match rel {
                    "schools" => vec![py.school],
                    "startYears" => vec![py.start_year as u64],
                    "courses" => courses,
                    "sessions" => Self::union(&courses, |c| self.session_ids_of_course(c)),
                    _ => vec![],
                }
            }
            "programs" => {
                let Some(p) = db.programs.iter().find(|p| p.id == id) else {
                    return vec![];
                };
                let courses: Vec<u64> = db
                    .courses
                    .iter()
                    .filter(|c| self.programs_of_course(c.id).contains(&p.id))
                    .map(|c| c.id)
                    .collect();
                match rel {
                    "schools" => vec![p.school],
                    "courses" => courses,
                    "sessions" => Self::union(&courses, |c| self.session_ids_of_course(c)),
                    "terms" => Self::union(&courses, |c| {
                        db.course(c).map(|c| c.terms.clone()).unwrap_or_default()
                    }),
                    _ => vec![],
                }
            }
            "learnergroups" => db
                .learner_group(id)
                .map(|g| vec![g.cohort])
                .unwrap_or_default(),
            "courses" => self.of_course(id, rel),
            "sessions" => self.of_session(id, rel),
            "sessiontypes" => {
                let sessions: Vec<u64> = db
                    .sessions
                    .iter()
                    .filter(|s| s.session_type == id)
                    .map(|s| s.id)
                    .collect();
                match rel {
                    "schools" => db
                        .session_type(id)
                        .map(|t| vec![t.school])
                        .unwrap_or_default(),
                    _ => Self::union(&sessions, |s| self.of_session(s, rel)),
                }
            }
            "offerings" => db
                .offering(id)
                .map(|o| match rel {
                    "sessions" => vec![o.session],
                    "courses" => vec![o.course],
                    "schools" => vec![o.school],
                    _ => vec![],
                })
                .unwrap_or_default(),
            "terms" => match rel {
                "schools" => db
                    .terms
                    .get(&id)
                    .map(|t| vec![t.school])
                    .unwrap_or_default(),
                _ => vec![],
            },
            "ilmsessions" => db
                .ilm_session(id)
                .map(|m| match rel {
                    "sessions" => vec![m.session],
                    "courses" => vec![m.course],
                    _ => vec![],
                })
                .unwrap_or_default(),
            "instructorgroups" => {
                let Some(g) = db.instructor_group(id) else {
                    return vec![];
                };
                let mut sessions: Vec<u64> = g
                    .offerings
                    .iter()
                    .filter_map(|o| db.offering(*o))
                    .map(|o| o.session)
                    .collect();
                sessions.extend(
                    g.ilm_sessions
                        .iter()
                        .filter_map(|m| db.ilm_session(*m))
                        .map(|m| m.session),
                );
                match rel {
                    "schools" => vec![g.school],
                    "instructors" => g.users.clone(),
                    "sessions" => Self::union(&sessions, |s| vec![s]),
                    _ => Self::union(&sessions, |s| self.of_session(s, rel)),
                }
            }
            _ => vec![],
        }
    }
}

/// May `caller` VIEW this record? (UserDTOVoter, LearnerGroupDTOVoter,
/// ElevatedPermissionsViewDTOVoter; everything else here is greenlit for any session user.)
fn can_view(db: &Db, caller: &User, endpoint: &str, id: u64) -> bool {
    let privileged = caller.root || caller.performs_non_learner_function();
    match endpoint {
        "users" => privileged || caller.id == id,
        "learnergroups" => {
            privileged
                || db
                    .learner_group(id)
                    .is_some_and(|g| g.users.contains(&caller.id))
        }
        "offerings" => privileged,
        _ => true,
    }
}

fn all_items(db: &Db, endpoint: &str) -> Vec<(u64, Value)> {
    match endpoint {
        "users" => to_items(&db.users, |x| x.id),
        "userroles" => to_items(&db.user_roles, |x| x.id),
        "schools" => to_items(&db.schools, |x| x.id),
        "cohorts" => to_items(&db.cohorts, |x| x.id),
        "programyears" => to_items(&db.program_years, |x| x.id),
        "programs" => to_items(&db.programs, |x| x.id),
        "learnergroups" => to_items(&db.learner_groups, |x| x.id),
        "courses" => to_items(&db.courses, |x| x.id),
        "sessions" => to_items(&db.sessions, |x| x.id),
        "sessiontypes" => to_items(&db.session_types, |x| x.id),
        "offerings" => to_items(&db.offerings, |x| x.id),
        "instructorgroups" => to_items(&db.instructor_groups, |x| x.id),
        "ilmsessions" => to_items(&db.ilm_sessions, |x| x.id),
        "academicyears" => to_items(&db.academic_years(), |x| x.id.parse().unwrap_or(0)),
        "vocabularies" => to_items(&db.vocabularies, |x| x.id),
        "terms" => to_items(&db.term_records, |x| x.id),
        _ => vec![],
    }
}

fn endpoint(url: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.url == url)
}

/// Serialize the record straight from its DTO struct, so keys keep Ilios' property order.
fn json_of(db: &Db, url: &str, id: u64) -> Option<String> {
    fn ser<T: Serialize>(t: Option<&T>) -> Option<String> {
        t.and_then(|t| serde_json::to_string(t).ok())
    }
    match url {
        "users" => ser(db.user(id)),
        "userroles" => ser(db.user_roles.iter().find(|x| x.id == id)),
        "schools" => ser(db.schools.iter().find(|x| x.id == id)),
        "cohorts" => ser(db.cohort(id)),
        "programyears" => ser(db.program_years.iter().find(|x| x.id == id)),
        "programs" => ser(db.programs.iter().find(|x| x.id == id)),
        "learnergroups" => ser(db.learner_group(id)),
        "courses" => ser(db.course(id)),
        "sessions" => ser(db.session(id)),
        "sessiontypes" => ser(db.session_type(id)),
        "offerings" => ser(db.offering(id)),
        "instructorgroups" => ser(db.instructor_group(id)),
        "ilmsessions" => ser(db.ilm_session(id)),
        "academicyears" => ser(db.academic_years().iter().find(|x| x.id == id.to_string())),
        "vocabularies" => ser(db.vocabularies.iter().find(|x| x.id == id)),
        "terms" => ser(db.term_records.iter().find(|x| x.id == id)),
        _ => None,
    }
}

fn envelope(key: &str, items: &[String]) -> String {
    format!("{{\"{key}\":[{}]}}", items.join(","))
}

/// `GET /api/v3/<endpoint>/<id>`: `{"<key>":[dto]}`, `{"<key>":[]}` if not viewable.
pub fn get_one(db: &Db, caller: &User, url: &str, id: u64) -> Result<String, RestError> {
    let ep = endpoint(url).ok_or(RestError::NotFound)?;
    let item = json_of(db, url, id).ok_or(RestError::NotFound)?;
    let list = if can_view(db, caller, url, id) {
        vec![item]
    } else {
        vec![]
    };
    Ok(envelope(ep.key, &list))
}

/// `GET /api/v3/<endpoint>?filters...`.
pub fn get_all(db: &Db, caller: &User, url: &str, query: &Query) -> Result<String, RestError> {
    let ep = endpoint(url).ok_or(RestError::NotFound)?;
    for (f, _) in &query.filters {
        if !ep.fields.contains(&f.as_str()) && !ep.relations.contains(&f.as_str()) {
            return Err(RestError::Internal);
        }
    }
    for (f, _) in &query.order_by {
        if !ep.fields.contains(&f.as_str()) {
            return Err(RestError::Internal);
        }
    }
    let rel_filters: Vec<&(String, FilterValue)> = query
        .filters
        .iter()
        .filter(|(f, _)| !ep.fields.contains(&f.as_str()))
        .collect();
    let relations = if rel_filters.is_empty() {
        None
    } else {
        Some(Relations::new(db))
    };
    let mut items: Vec<(u64, Value)> = all_items(db, url)
        .into_iter()
        .filter(|(id, v)| {
            query.filters.iter().all(|(f, fv)| {
                if ep.fields.contains(&f.as_str()) {
                    matches_field(v.get(f), fv)
                } else {
                    let wanted = filter_ids(fv);
                    let have = relations
                        .as_ref()
                        .map(|r| r.get(url, *id, f))
                        .unwrap_or_default();
                    have.iter().any(|h| wanted.contains(&h.to_string()))
                }
            })
        })
        .filter(|(id, _)| {
            url != "users"
                || query
                    .q
                    .as_deref()
                    .is_none_or(|q| user_matches_q(db, *id, q))
        })
        .filter(|(id, _)| can_view(db, caller, url, *id))
        .collect();
    if !query.order_by.is_empty() {
        items.sort_by(|(_, a), (_, b)| {
            for (f, desc) in &query.order_by {
                let ord = cmp_values(a.get(f), b.get(f));
                let ord = if *desc { ord.reverse() } else { ord };
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let list: Vec<String> = items
        .into_iter()
        .skip(query.offset)
        .take(query.limit.unwrap_or(usize::MAX))
        .filter_map(|(id, _)| json_of(db, url, id))
        .collect();
    Ok(envelope(ep.key, &list))
}

/// Every space-separated term must occur (case-insensitively, like MySQL LIKE) in one of the
/// searched fields.
fn user_matches_q(db: &Db, id: u64, q: &str) -> bool {
    let Some(u) = db.user(id) else { return false };
    let username = db
        .credentials
        .iter()
        .find(|c| c.user_id == id)
        .map(|c| c.username.clone());
    let fields: Vec<String> = [
        Some(u.first_name.clone()),
        Some(u.last_name.clone()),
        u.middle_name.clone(),
        u.display_name.clone(),
        Some(u.email.clone()),
        u.preferred_email.clone(),
        u.campus_id.clone(),
        username,
    ]
    .into_iter()
    .flatten()
    .map(|f| f.to_lowercase())
    .collect();
    let terms: Vec<String> = q
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    !terms.is_empty()
        && terms
            .iter()
            .all(|t| fields.iter().any(|f| f.contains(t.as_str())))
}

fn cmp_values(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(std::cmp::Ordering::Equal),
        (Some(x), Some(y)) => scalar_string(x).cmp(&scalar_string(y)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}
