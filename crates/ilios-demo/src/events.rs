//! `GET /api/v3/userevents/{id}`: selection, visibility and redaction as in
//! `UserRepository::findEventsForUser`, `UsereventController::getEvents`,
//! `RelationshipVoter/UserEvent.php` and `CalendarEvent::clearDataForDraftOrScheduledEvent`.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::db::{Db, MaterialUse, User, ser_date};

fn ser_opt_date<S: serde::Serializer>(d: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_date(d, s),
        None => s.serialize_none(),
    }
}

/// `UserMaterial`: ids and `position`/`filesize` are strings.
#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserMaterial {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_learning_material: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_learning_material: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute_file_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filesize: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mimetype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_external_id: Option<String>,
    pub course_year: i32,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_date"
    )]
    pub first_offering_date: Option<DateTime<Utc>>,
    pub instructors: Vec<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_date"
    )]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_date"
    )]
    pub end_date: Option<DateTime<Utc>>,
    pub is_blanked: bool,
    /// `UserMaterial::$status` is `#[Ignore]`d: it only decides whether a draft is dropped.
    #[serde(skip)]
    pub draft: bool,
}

impl UserMaterial {
    /// `UserMaterial::clearTimedMaterial`.
    pub(crate) fn clear_timed(&mut self, now: DateTime<Utc>) {
        let blank = match (self.start_date, self.end_date) {
            (Some(s), Some(e)) => s > now || now > e,
            (Some(s), None) => s > now,
            (None, Some(e)) => now > e,
            (None, None) => false,
        };
        if blank {
            self.clear();
        }
    }

    /// `UserMaterial::clearMaterial`: everything but the do-not-scrub properties goes.
    pub(crate) fn clear(&mut self) {
        *self = UserMaterial {
            id: std::mem::take(&mut self.id),
            course_learning_material: self.course_learning_material.take(),
            session_learning_material: self.session_learning_material.take(),
            position: self.position.take(),
            title: std::mem::take(&mut self.title),
            course: self.course.take(),
            course_title: self.course_title.take(),
            course_external_id: self.course_external_id.take(),
            course_year: self.course_year,
            session: self.session.take(),
            session_title: self.session_title.take(),
            start_date: self.start_date,
            end_date: self.end_date,
            first_offering_date: self.first_offering_date,
            is_blanked: true,
            ..UserMaterial::default()
        };
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct ObjectiveOut {
    pub id: u64,
    pub title: String,
    pub position: u32,
    pub competencies: Vec<u64>,
}

#[derive(Serialize, Clone, Debug)]
pub struct IdTitle {
    pub id: u64,
    pub title: String,
}

#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct TermOut {
    pub id: u64,
    pub title: String,
    pub vocabulary_id: u64,
    pub vocabulary_title: String,
}

/// `CalendarEvent` + `UserEvent`, in their property order. A `SchoolEvent` is the same without
/// `user` (`None`) and with `userContexts` always `[]`.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct UserEvent {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_title: Option<String>,
    #[serde(serialize_with = "ser_date")]
    pub start_date: DateTime<Utc>,
    #[serde(serialize_with = "ser_date")]
    pub end_date: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offering: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ilm_session: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(serialize_with = "ser_date")]
    pub last_modified: DateTime<Utc>,
    pub is_published: bool,
    pub is_scheduled: bool,
    pub instructors: Vec<String>,
    pub learning_materials: Vec<UserMaterial>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attire_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equipment_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplemental: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructional_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_type_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_type_title: Option<String>,
    pub session_objectives: Vec<ObjectiveOut>,
    pub course_objectives: Vec<ObjectiveOut>,
    pub competencies: Vec<IdTitle>,
    pub postrequisites: Vec<UserEvent>,
    pub cohorts: Vec<IdTitle>,
    pub prerequisites: Vec<UserEvent>,
    pub school: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_level: Option<u32>,
    pub session_terms: Vec<TermOut>,
    pub course_terms: Vec<TermOut>,
    pub user_contexts: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<u64>,
}

/// Which offering or ILM an event comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Offering(usize),
    Ilm(usize),
}

struct Found {
    source: Source,
    contexts: Vec<&'static str>,
}

fn add_ctx(v: &mut Vec<&'static str>, c: &'static str) {
    if !v.contains(&c) {
        v.push(c);
    }
}

pub(crate) fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// The user contexts linking `u` to an offering/ILM, in the order of the repository's joins.
fn contexts_for(db: &Db, u: &User, source: Source) -> Vec<&'static str> {
    let (groups, igroups, learners, instructors, session_id) = match source {
        Source::Offering(i) => {
            let o = &db.offerings[i];
            (
                &o.learner_groups,
                &o.instructor_groups,
                &o.learners,
                &o.instructors,
                o.session,
            )
        }
        Source::Ilm(i) => {
            let m = &db.ilm_sessions[i];
            (
                &m.learner_groups,
                &m.instructor_groups,
                &m.learners,
                &m.instructors,
                m.session,
            )
        }
    };
    let mut ctx = Vec::new();
    if intersects(&u.learner_groups, groups) {
        add_ctx(&mut ctx, "learner");
    }
    if intersects(&u.instructor_groups, igroups) {
        add_ctx(&mut ctx, "instructor");
    }
    if learners.contains(&u.id) {
        add_ctx(&mut ctx, "learner");
    }
    if instructors.contains(&u.id) {
        add_ctx(&mut ctx, "instructor");
    }
    let session = db.session(session_id);
    if let Some(course) = session.and_then(|s| db.course(s.course)) {
        if course.directors.contains(&u.id) {
            add_ctx(&mut ctx, "course director");
        }
        if course.administrators.contains(&u.id) {
            add_ctx(&mut ctx, "course administrator");
        }
    }
    if session.is_some_and(|s| s.administrators.contains(&u.id)) {
        add_ctx(&mut ctx, "session administrator");
    }
    ctx
}

pub(crate) fn instructor_names(db: &Db, users: &[u64], groups: &[u64], ilm: bool) -> Vec<String> {
    let mut ids: Vec<u64> = users.to_vec();
    for g in groups {
        if let Some(g) = db.instructor_group(*g) {
            for u in &g.users {
                if !ids.contains(u) {
                    ids.push(*u);
                }
            }
        }
    }
    ids.iter()
        .filter_map(|i| db.user(*i))
        .map(|u| {
            if ilm {
                u.ilm_event_name()
            } else {
                u.event_name()
            }
        })
        .collect()
}

fn file_uri(db: &Db, lm: u64) -> String {
    let d = Sha256::digest(format!("demo lm {lm}").as_bytes());
    // `/lm/{token}`: Ilios's tokens are 64 characters.
    let token: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}/lm/{token}", db.base_url)
}

pub(crate) fn material(
    db: &Db,
    m: &MaterialUse,
    course_lm: bool,
    ev_session: u64,
    first: Option<DateTime<Utc>>,
) -> Option<UserMaterial> {
    let lm = db.learning_materials.get(&m.learning_material)?;
    let session = db.session(ev_session)?;
    let course = db.course(session.course)?;
    Some(UserMaterial {
        id: lm.id.to_string(),
        course_learning_material: course_lm.then(|| m.id.to_string()),
        session_learning_material: (!course_lm).then(|| m.id.to_string()),
        session: (!course_lm).then(|| session.id.to_string()),
        course: Some(course.id.to_string()),
        public_notes: m.public_notes.clone(),
        required: Some(m.required),
        title: lm.title.clone(),
        description: lm.description.clone(),
        original_author: lm.original_author.clone(),
        absolute_file_uri: lm.filename.as_ref().map(|_| file_uri(db, lm.id)),
        citation: lm.citation.clone(),
        link: lm.link.clone(),
        filename: lm.filename.clone(),
        filesize: lm.filesize.map(|s| s.to_string()),
        position: Some(m.position.to_string()),
        mimetype: lm.mimetype.clone(),
        session_title: (!course_lm).then(|| session.title.clone()).flatten(),
        course_title: course.title.clone(),
        course_external_id: course.external_id.clone(),
        course_year: course.year,
        first_offering_date: if course_lm {
            Some(course.start_date)
        } else {
            first
        },
        instructors: Vec::new(),
        start_date: m.start_date,
        end_date: m.end_date,
        is_blanked: false,
        draft: lm.is_draft(),
    })
}

fn first_offering_date(db: &Db, session_id: u64) -> Option<DateTime<Utc>> {
    let s = db.session(session_id)?;
    let mut dates: Vec<DateTime<Utc>> = s
        .offerings
        .iter()
        .filter_map(|o| db.offering(*o))
        .map(|o| o.start_date)
        .collect();
    if let Some(ilm) = s.ilm_session.and_then(|i| db.ilm_session(i)) {
        dates.push(ilm.due_date);
    }
    dates.into_iter().min()
}

/// The event of one offering or ILM; `user` is the user of a `UserEvent`, `None` for a
/// `SchoolEvent`.
pub(crate) fn build_event(
    db: &Db,
    user: Option<u64>,
    source: Source,
    contexts: Vec<&'static str>,
) -> Option<UserEvent> {
    let (session_id, start, end, offering, ilm, location, url, last_mod, instructors) = match source
    {
        Source::Offering(i) => {
            let o = &db.offerings[i];
            let s = db.session(o.session)?;
            (
                o.session,
                o.start_date,
                o.end_date,
                Some(o.id),
                None,
                o.room.clone(),
                o.url.clone(),
                o.updated_at.max(s.updated_at),
                instructor_names(db, &o.instructors, &o.instructor_groups, false),
            )
        }
        Source::Ilm(i) => {
            let m = &db.ilm_sessions[i];
            let s = db.session(m.session)?;
            (
                m.session,
                m.due_date,
                m.due_date + Duration::minutes(15),
                None,
                Some(m.id),
                None,
                None,
                s.updated_at,
                instructor_names(db, &m.instructors, &m.instructor_groups, true),
            )
        }
    };
    let s = db.session(session_id)?;
    let c = db.course(s.course)?;
    let st = db.session_type(s.session_type);
    let first = first_offering_date(db, s.id);
    // `attachMaterialsToEvents`: session materials, then course materials, each sorted by id.
    let lms = |x: Option<&super::db::Extras>, course_lm: bool| -> Vec<UserMaterial> {
        let mut v: Vec<UserMaterial> = x
            .map(|x| {
                x.materials
                    .iter()
                    .filter_map(|m| material(db, m, course_lm, s.id, first))
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by_key(|m| m.id.parse::<u64>().unwrap_or(0));
        v
    };
    let mut materials = lms(db.session_extras.get(&s.id), false);
    materials.extend(lms(db.course_extras.get(&c.id), true));
    let objectives = |x: Option<&super::db::Extras>| -> Vec<ObjectiveOut> {
        x.map(|x| {
            x.objectives
                .iter()
                .map(|o| ObjectiveOut {
                    id: o.id,
                    title: o.title.clone(),
                    position: o.position,
                    competencies: vec![],
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let terms = |ids: &[u64]| -> Vec<TermOut> {
        ids.iter()
            .filter_map(|t| db.terms.get(t))
            .map(|t| TermOut {
                id: t.id,
                title: t.title.clone(),
                vocabulary_id: t.vocabulary_id,
                vocabulary_title: t.vocabulary_title.clone(),
            })
            .collect()
    };
    Some(UserEvent {
        name: s.title.clone().unwrap_or_default(),
        course_title: c.title.clone(),
        start_date: start,
        end_date: end,
        offering,
        ilm_session: ilm,
        color: st.map(|t| t.calendar_color.clone()),
        location,
        url,
        last_modified: last_mod,
        is_published: s.published && c.published,
        is_scheduled: s.published_as_tbd || c.published_as_tbd,
        instructors,
        learning_materials: materials,
        attire_required: s.attire_required,
        equipment_required: s.equipment_required,
        supplemental: s.supplemental,
        attendance_required: s.attendance_required,
        session: Some(s.id),
        course: Some(c.id),
        course_external_id: c.external_id.clone(),
        session_description: s.description.clone(),
        instructional_notes: s.instructional_notes.clone(),
        session_type_id: st.map(|t| t.id),
        session_type_title: st.map(|t| t.title.clone()),
        session_objectives: objectives(db.session_extras.get(&s.id)),
        course_objectives: objectives(db.course_extras.get(&c.id)),
        competencies: vec![],
        postrequisites: vec![],
        cohorts: c
            .cohorts
            .iter()
            .filter_map(|i| db.cohort(*i))
            .map(|co| IdTitle {
                id: co.id,
                title: co.title.clone(),
            })
            .collect(),
        prerequisites: vec![],
        school: c.school,
        course_level: Some(c.level),
        session_terms: terms(&s.terms),
        course_terms: terms(&c.terms),
        user_contexts: contexts.into_iter().map(str::to_string).collect(),
        user,
    })
}

/// `isUserAdministratorDirectorsOrInstructorOfEvent`.
pub(crate) fn is_privileged_for(db: &Db, caller: &User, ev: &UserEvent) -> bool {
    if caller.administered_schools.contains(&ev.school)
        || caller.directed_schools.contains(&ev.school)
    {
        return true;
    }
    let course = ev.course.and_then(|c| db.course(c));
    if let Some(c) = course {
        if c.directors.contains(&caller.id) || c.administrators.contains(&caller.id) {
            return true;
        }
        // isDirectingProgramLinkedToCourse
        let linked = c.cohorts.iter().filter_map(|co| db.cohort(*co)).any(|co| {
            db.program_years
                .iter()
                .find(|py| py.id == co.program_year)
                .is_some_and(|py| caller.directed_programs.contains(&py.program))
        });
        if linked {
            return true;
        }
    }
    if ev
        .session
        .and_then(|s| db.session(s))
        .is_some_and(|s| s.administrators.contains(&caller.id))
    {
        return true;
    }
    if let Some(o) = ev.offering.and_then(|o| db.offering(o)) {
        return o.instructors.contains(&caller.id)
            || intersects(&o.instructor_groups, &caller.instructor_groups);
    }
    if let Some(m) = ev.ilm_session.and_then(|m| db.ilm_session(m)) {
        return m.instructors.contains(&caller.id)
            || intersects(&m.instructor_groups, &caller.instructor_groups);
    }
    false
}

fn can_view(db: &Db, caller: &User, ev: &UserEvent) -> bool {
    caller.root
        || (ev.is_published && Some(caller.id) == ev.user)
        || is_privileged_for(db, caller, ev)
}

pub(crate) fn can_view_draft(db: &Db, caller: &User, ev: &UserEvent) -> bool {
    caller.root || is_privileged_for(db, caller, ev)
}

/// `UserEvent::clearDataForUnprivilegedUsers`; a learner's view of a school event
/// (`SchoolEvent::clearDataForStudentAssociatedWithEvent`) is the same.
pub(crate) fn redact(ev: &mut UserEvent, now: DateTime<Utc>) {
    clear_draft_or_scheduled(ev);
    for m in &mut ev.learning_materials {
        m.clear_timed(now);
    }
}

/// `SchoolEvent::clearDataForUnprivilegedUsers`: as `redact`, but every material is blanked.
pub(crate) fn redact_all_materials(ev: &mut UserEvent) {
    clear_draft_or_scheduled(ev);
    for m in &mut ev.learning_materials {
        m.clear();
    }
}

/// The notes, `clearDataForDraftOrScheduledEvent` and `removeMaterialsInDraft`.
fn clear_draft_or_scheduled(ev: &mut UserEvent) {
    ev.instructional_notes = None;
    if !ev.is_published || ev.is_scheduled {
        ev.name = "Scheduled".into();
        ev.course_title = None;
        ev.offering = None;
        ev.ilm_session = None;
        ev.color = None;
        ev.location = None;
        ev.url = None;
        ev.attire_required = None;
        ev.equipment_required = None;
        ev.supplemental = None;
        ev.attendance_required = None;
        ev.course_external_id = None;
        ev.session_description = None;
        ev.session_type_title = None;
        ev.session_type_id = None;
        ev.course_level = None;
        ev.instructors.clear();
        ev.learning_materials.clear();
        ev.session_objectives.clear();
        ev.course_objectives.clear();
        ev.competencies.clear();
        ev.cohorts.clear();
        ev.session_terms.clear();
        ev.course_terms.clear();
    }
    ev.learning_materials.retain(|m| !m.draft);
}

/// All offerings/ILMs linking `user` to the sessions in `sessions` (no date filter), for
/// pre-/post-requisites.
fn events_for_sessions(db: &Db, user: &User, sessions: &[u64]) -> Vec<UserEvent> {
    let mut out = Vec::new();
    for sid in sessions {
        let Some(s) = db.session(*sid) else { continue };
        let mut sources: Vec<Source> = Vec::new();
        for o in &s.offerings {
            if let Some(i) = db.offerings.iter().position(|x| x.id == *o) {
                sources.push(Source::Offering(i));
            }
        }
        if let Some(m) = s.ilm_session
            && let Some(i) = db.ilm_sessions.iter().position(|x| x.id == m)
        {
            sources.push(Source::Ilm(i));
        }
        for src in sources {
            let ctx = contexts_for(db, user, src);
            if !ctx.is_empty()
                && let Some(e) = build_event(db, Some(user.id), src, ctx)
            {
                out.push(e);
            }
        }
    }
    out
}

fn unix(t: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default()
}

/// An offering starting in [from, to] or still running at `from` (the repositories' `orX`).
pub(crate) fn offering_in_range(
    o: &super::db::Offering,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> bool {
    (o.start_date >= from && o.start_date <= to) || (o.start_date <= from && o.end_date >= from)
}

/// An ILM due in [from, to].
pub(crate) fn ilm_in_range(
    m: &super::db::IlmSession,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> bool {
    m.due_date >= from && m.due_date <= to
}

/// Which events `GET /userevents/{id}` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// `?from=&to=` (unix seconds): offerings starting in range or ongoing at `from`, ILMs due in range.
    Range(i64, i64),
    /// `?session=<id>` (`findSessionEventsForUser`): all of the user's events in that session.
    Session(u64),
}

pub fn user_events(
    db: &Db,
    caller: &User,
    user: &User,
    selection: Selection,
    now: DateTime<Utc>,
) -> Vec<UserEvent> {
    let offering_selected = |o: &super::db::Offering| match selection {
        Selection::Range(from, to) => offering_in_range(o, unix(from), unix(to)),
        Selection::Session(sid) => o.session == sid,
    };
    let ilm_selected = |m: &super::db::IlmSession| match selection {
        Selection::Range(from, to) => ilm_in_range(m, unix(from), unix(to)),
        Selection::Session(sid) => m.session == sid,
    };
    let mut found: Vec<Found> = Vec::new();
    for (i, o) in db.offerings.iter().enumerate() {
        if !offering_selected(o) {
            continue;
        }
        let ctx = contexts_for(db, user, Source::Offering(i));
        if !ctx.is_empty() {
            found.push(Found {
                source: Source::Offering(i),
                contexts: ctx,
            });
        }
    }
    for (i, m) in db.ilm_sessions.iter().enumerate() {
        if !ilm_selected(m) {
            continue;
        }
        let ctx = contexts_for(db, user, Source::Ilm(i));
        if !ctx.is_empty() {
            found.push(Found {
                source: Source::Ilm(i),
                contexts: ctx,
            });
        }
    }
    let mut events: Vec<UserEvent> = found
        .into_iter()
        .filter_map(|f| build_event(db, Some(user.id), f.source, f.contexts))
        .collect();
    events.sort_by_key(|e| (e.start_date, e.end_date));
    events.retain(|e| can_view(db, caller, e));
    for ev in &mut events {
        let Some(s) = ev.session.and_then(|s| db.session(s)) else {
            continue;
        };
        let mut pre = events_for_sessions(db, user, &s.prerequisites);
        pre.retain(|e| can_view(db, caller, e));
        let post_ids: Vec<u64> = s.postrequisite.into_iter().collect();
        let mut post = events_for_sessions(db, user, &post_ids);
        post.retain(|e| can_view(db, caller, e));
        for e in pre.iter_mut().chain(post.iter_mut()) {
            if !can_view_draft(db, caller, e) {
                redact(e, now);
            }
        }
        ev.prerequisites = pre;
        ev.postrequisites = post;
    }
    for ev in &mut events {
        if !can_view_draft(db, caller, ev) {
            redact(ev, now);
        }
    }
    events
}
