//! What the Calendar's All Events needs besides the events: the schools to pick from, the
//! user's primary school (the default), and one school's filter lists. The web client loads the
//! lists in one JSON:API request (`services/data-loader.js`, `loadSchoolForCalendar`:
//! `schools/{id}?include=programs.programYears.cohort,sessionTypes,vocabularies.terms…,courses`);
//! ilios-tui asks the plain v3 collections for the same records, all at once.

use super::client::Client;
use super::error::ApiError;
use super::models::{Cohort, Course, Id, School, SessionType, Term, Vocabulary};

/// The schools (by title) and the user's primary school.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolChoices {
    pub schools: Vec<School>,
    pub primary: Option<Id>,
}

/// `GET /api/v3/schools` and the user's record, at once.
pub async fn school_choices(client: &Client, user_id: Id) -> Result<SchoolChoices, ApiError> {
    let (schools, user) = tokio::join!(client.list::<School>(&[]), client.user(user_id));
    let mut schools = schools?;
    schools.sort_by(|a, b| a.title.cmp(&b.title).then(a.id.cmp(&b.id)));
    Ok(SchoolChoices {
        schools,
        primary: user?.school,
    })
}

/// One school's session types, cohorts, courses, vocabularies and terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchoolFilterLists {
    pub session_types: Vec<SessionType>,
    pub cohorts: Vec<Cohort>,
    pub courses: Vec<Course>,
    pub vocabularies: Vec<Vocabulary>,
    pub terms: Vec<Term>,
}

/// The five collections of `school`, requested together.
pub async fn school_filter_lists(
    client: &Client,
    school: Id,
) -> Result<SchoolFilterLists, ApiError> {
    let one = [school];
    let owned_by: [(&str, &[Id]); 1] = [("school", &one)];
    let of_schools: [(&str, &[Id]); 1] = [("schools", &one)];
    let (session_types, cohorts, courses, vocabularies, terms) = tokio::join!(
        client.list::<SessionType>(&owned_by),
        client.list::<Cohort>(&of_schools),
        client.list::<Course>(&owned_by),
        client.list::<Vocabulary>(&owned_by),
        client.list::<Term>(&of_schools),
    );
    Ok(SchoolFilterLists {
        session_types: session_types?,
        cohorts: cohorts?,
        courses: courses?,
        vocabularies: vocabularies?,
        terms: terms?,
    })
}
