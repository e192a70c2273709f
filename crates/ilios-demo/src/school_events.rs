//! `GET /api/v3/schoolevents/{id}`: selection as in `SchoolRepository::findEventsForSchool`,
//! visibility as in `RelationshipVoter/SchoolEvent.php`, redaction as in
//! `SchooleventController::getEvents` and `Classes/SchoolEvent.php`. The events themselves are
//! built by `events.rs`, the same code as userevents.

use chrono::{DateTime, Utc};

use super::db::{Db, User};
use super::events::{
    Source, UserEvent, build_event, can_view_draft, ilm_in_range, intersects, is_privileged_for,
    offering_in_range, redact, redact_all_materials,
};

/// Which events of the school are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchoolSelection {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// `?session=`: only this session's events (`findSessionEventsForSchool`).
    pub session: Option<u64>,
}

/// `findSessionEventsForSchool`'s range: the first offering's start to the last one's end.
/// `None` when the session has no offerings (the real server then fails with a 500).
pub fn session_span(db: &Db, session: u64) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let s = db.session(session)?;
    let offerings = s.offerings.iter().filter_map(|o| db.offering(*o));
    let starts = offerings.clone().map(|o| o.start_date).min()?;
    let ends = offerings.map(|o| o.end_date).max()?;
    Some((starts, ends))
}

fn course_school(db: &Db, course: u64) -> Option<u64> {
    db.course(course).map(|c| c.school)
}

/// The school's offerings and ILMs that `keep` selects, as events without a user.
fn events_where(
    db: &Db,
    school: u64,
    keep_offering: impl Fn(&super::db::Offering) -> bool,
    keep_ilm: impl Fn(&super::db::IlmSession) -> bool,
) -> Vec<UserEvent> {
    let offerings = db
        .offerings
        .iter()
        .enumerate()
        .filter(|(_, o)| course_school(db, o.course) == Some(school) && keep_offering(o));
    let ilms = db
        .ilm_sessions
        .iter()
        .enumerate()
        .filter(|(_, m)| course_school(db, m.course) == Some(school) && keep_ilm(m));
    let sources = offerings
        .map(|(i, _)| Source::Offering(i))
        .chain(ilms.map(|(i, _)| Source::Ilm(i)));
    sources
        .filter_map(|src| build_event(db, None, src, Vec::new()))
        .collect()
}

/// VIEW: root; a published event of the caller's primary school; or one they direct,
/// administer or instruct.
fn can_view(db: &Db, caller: &User, ev: &UserEvent) -> bool {
    caller.root
        || (ev.is_published && caller.school == ev.school)
        || is_privileged_for(db, caller, ev)
}

/// A learner in the event's offering or ILM (directly or through a learner group), or a
/// student advisor of its course or session: they see timed materials in their window.
fn is_associated_student(db: &Db, caller: &User, ev: &UserEvent) -> bool {
    let advises_course = ev
        .course
        .and_then(|c| db.course(c))
        .is_some_and(|c| c.student_advisors.contains(&caller.id));
    let advises_session = ev
        .session
        .and_then(|s| db.session(s))
        .is_some_and(|s| s.student_advisors.contains(&caller.id));
    advises_course || advises_session || is_learner(db, caller, ev)
}

fn is_learner(db: &Db, caller: &User, ev: &UserEvent) -> bool {
    if let Some(o) = ev.offering.and_then(|o| db.offering(o)) {
        return o.learners.contains(&caller.id)
            || intersects(&o.learner_groups, &caller.learner_groups);
    }
    if let Some(m) = ev.ilm_session.and_then(|m| db.ilm_session(m)) {
        return m.learners.contains(&caller.id)
            || intersects(&m.learner_groups, &caller.learner_groups);
    }
    false
}

/// What the caller may not see goes: draft contents, materials (all of them, or only the
/// timed ones out of their window for the event's own learners), and the virtual link unless
/// they direct, administer or instruct the event or learn in it (VIEW_VIRTUAL_LINK).
fn redact_for(db: &Db, caller: &User, ev: &mut UserEvent, now: DateTime<Utc>) {
    let learner = is_learner(db, caller, ev);
    let link_allowed = caller.root || learner || is_privileged_for(db, caller, ev);
    if !can_view_draft(db, caller, ev) {
        if is_associated_student(db, caller, ev) {
            redact(ev, now);
        } else {
            redact_all_materials(ev);
        }
    }
    if !link_allowed {
        ev.url = None;
    }
}

/// The school's events that `caller` may see, sorted by start then end, with their pre- and
/// post-requisites (same school, any date) and every event redacted for the caller.
pub fn school_events(
    db: &Db,
    caller: &User,
    school: u64,
    selection: SchoolSelection,
    now: DateTime<Utc>,
) -> Vec<UserEvent> {
    let SchoolSelection { from, to, session } = selection;
    let in_session = |s: u64| session.is_none_or(|only| only == s);
    let mut events = events_where(
        db,
        school,
        |o| offering_in_range(o, from, to) && in_session(o.session),
        |m| ilm_in_range(m, from, to) && in_session(m.session),
    );
    events.sort_by_key(|e| (e.start_date, e.end_date));
    events.retain(|e| can_view(db, caller, e));
    for ev in &mut events {
        attach_requisites(db, caller, school, ev, now);
        redact_for(db, caller, ev, now);
    }
    events
}

/// `addPreAndPostRequisites`: the events of sessions whose postrequisite is this event's
/// session, and of this session's postrequisite; each kept only if the caller may VIEW it.
fn attach_requisites(db: &Db, caller: &User, school: u64, ev: &mut UserEvent, now: DateTime<Utc>) {
    let Some(session) = ev.session.and_then(|s| db.session(s)) else {
        return;
    };
    let of_sessions = |ids: &[u64]| -> Vec<UserEvent> {
        let mut found = events_where(
            db,
            school,
            |o| ids.contains(&o.session),
            |m| ids.contains(&m.session),
        );
        found.retain(|e| can_view(db, caller, e));
        for e in &mut found {
            redact_for(db, caller, e, now);
        }
        found
    };
    ev.prerequisites = of_sessions(&session.prerequisites);
    ev.postrequisites = of_sessions(&session.postrequisite.into_iter().collect::<Vec<_>>());
}
