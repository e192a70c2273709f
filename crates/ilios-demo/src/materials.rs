//! `GET /api/v3/usermaterials/{id}`: selection as in `UserRepository::findMaterialsForUser`,
//! drafts and timed release as in `UsermaterialController::getMaterials`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::db::{Db, User};
use super::events::{UserMaterial, instructor_names, intersects, material};

/// One bound of `?before=` / `?after=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// The parameter is absent.
    None,
    /// `DateTime::createFromFormat('U', ..)` accepted it.
    At(i64),
    /// It did not: PHP's `false`, which MySQL compares with 0.
    Invalid,
}

impl Bound {
    fn time(self) -> Option<DateTime<Utc>> {
        match self {
            Bound::None => None,
            Bound::At(t) => Some(DateTime::from_timestamp(t, 0).unwrap_or_default()),
            Bound::Invalid => Some(DateTime::UNIX_EPOCH),
        }
    }
}

/// What the user's learner offerings and ILMs select from one session.
#[derive(Default)]
struct Selected {
    /// Earliest selected start (or due date) in the range.
    first: Option<DateTime<Utc>>,
    instructors: Vec<String>,
}

/// `o.startDate <= before AND o.startDate >= after` (a due date for ILMs).
fn in_range(at: DateTime<Utc>, before: Bound, after: Bound) -> bool {
    before.time().is_none_or(|b| at <= b) && after.time().is_none_or(|a| at >= a)
}

fn select_sessions(db: &Db, user: &User, before: Bound, after: Bound) -> BTreeMap<u64, Selected> {
    let mut sessions: BTreeMap<u64, Selected> = BTreeMap::new();
    let mut note = |session: u64, at: DateTime<Utc>, names: Vec<String>| {
        let s = sessions.entry(session).or_default();
        s.first = Some(s.first.map_or(at, |f| f.min(at)));
        for n in names {
            if !s.instructors.contains(&n) {
                s.instructors.push(n);
            }
        }
    };
    // Learners only, directly or through a learner group: teaching or directing does not count.
    for o in &db.offerings {
        let learner =
            o.learners.contains(&user.id) || intersects(&user.learner_groups, &o.learner_groups);
        if learner && in_range(o.start_date, before, after) {
            let names = instructor_names(db, &o.instructors, &o.instructor_groups, false);
            note(o.session, o.start_date, names);
        }
    }
    for m in &db.ilm_sessions {
        let learner =
            m.learners.contains(&user.id) || intersects(&user.learner_groups, &m.learner_groups);
        if learner && in_range(m.due_date, before, after) {
            let names = instructor_names(db, &m.instructors, &m.instructor_groups, true);
            note(m.session, m.due_date, names);
        }
    }
    sessions
}

/// The user's materials before any draft or timed-release rule, sorted by learning-material id.
pub fn find_materials_for_user(
    db: &Db,
    user: &User,
    before: Bound,
    after: Bound,
) -> Vec<UserMaterial> {
    let sessions = select_sessions(db, user, before, after);
    let mut out: Vec<UserMaterial> = Vec::new();
    let mut courses: Vec<(u64, u64)> = Vec::new(); // (course, a session of it)
    for (sid, sel) in &sessions {
        let Some(s) = db.session(*sid) else { continue };
        if !courses.iter().any(|(c, _)| *c == s.course) {
            courses.push((s.course, s.id));
        }
        // `getSessionLearningMaterialsForPublishedSessions`.
        if !s.published || s.published_as_tbd {
            continue;
        }
        for m in db.session_extras.get(sid).map_or(&[][..], |x| &x.materials) {
            if let Some(mut um) = material(db, m, false, s.id, sel.first) {
                um.instructors = sel.instructors.clone();
                out.push(um);
            }
        }
    }
    // A course counts even when its only selected session is unpublished.
    for (cid, any_session) in courses {
        for m in db.course_extras.get(&cid).map_or(&[][..], |x| &x.materials) {
            if let Some(um) = material(db, m, true, any_session, None) {
                out.push(um);
            }
        }
    }
    // Ordered by learning-material id; ties in a fixed order (course, then session, by link id).
    out.sort_by_key(|m| {
        (
            m.id.parse::<u64>().unwrap_or(0),
            m.course_learning_material.is_none(),
            link_id(m),
        )
    });
    out
}

fn link_id(m: &UserMaterial) -> u64 {
    m.course_learning_material
        .as_deref()
        .or(m.session_learning_material.as_deref())
        .and_then(|i| i.parse().ok())
        .unwrap_or(0)
}

/// Whether `caller` sees drafts and unreleased timed materials of `target`: only their own, and
/// only with elevated privileges (so root looking at a student sees what the student sees).
pub fn sees_everything(caller: &User, target: &User) -> bool {
    caller.id == target.id && (caller.root || caller.performs_non_learner_function())
}

/// The controller: selection, then drafts dropped and timed materials blanked unless
/// [`sees_everything`].
pub fn user_materials(
    db: &Db,
    caller: &User,
    target: &User,
    before: Bound,
    after: Bound,
    now: DateTime<Utc>,
) -> Vec<UserMaterial> {
    let mut materials = find_materials_for_user(db, target, before, after);
    if !sees_everything(caller, target) {
        materials.retain(|m| !m.draft);
        for m in &mut materials {
            m.clear_timed(now);
        }
    }
    materials
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::MaterialUse;

    fn db() -> Db {
        let at = DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00").unwrap();
        let clock = ilios_clock::Clock::stopped_at(at.to_utc())
            .in_zone("America/Los_Angeles".parse().unwrap());
        Db::build(&clock, 0, "http://127.0.0.1:1").unwrap()
    }

    #[test]
    fn a_course_counts_even_when_its_only_selected_session_is_unpublished() {
        let mut db = db();
        // Course 2's materials reach Walter only through its unpublished "draft" session.
        let draft = db
            .sessions
            .iter()
            .find(|s| !s.published && s.course == 2)
            .map(|s| s.id)
            .unwrap();
        for o in db.offerings.iter_mut() {
            if o.course == 2 && o.session != draft {
                o.learner_groups.clear();
                o.learners.clear();
            }
        }
        db.course_extras
            .entry(2)
            .or_default()
            .materials
            .push(MaterialUse {
                id: 99,
                learning_material: 3,
                required: false,
                public_notes: None,
                position: 1,
                start_date: None,
                end_date: None,
            });
        let walter = db.user(2).unwrap().clone();
        let all = find_materials_for_user(&db, &walter, Bound::None, Bound::None);
        assert!(
            all.iter()
                .any(|m| m.course_learning_material.as_deref() == Some("99")),
            "the course material of an unpublished session's course is listed"
        );
        assert!(
            all.iter()
                .all(|m| m.session.as_deref() != Some(&draft.to_string())),
            "the unpublished session's own materials are not"
        );
    }

    #[test]
    fn a_bad_before_selects_nothing_and_a_bad_after_no_bound() {
        let db = db();
        let walter = db.user(2).unwrap().clone();
        assert!(find_materials_for_user(&db, &walter, Bound::Invalid, Bound::None).is_empty());
        assert_eq!(
            find_materials_for_user(&db, &walter, Bound::None, Bound::Invalid).len(),
            find_materials_for_user(&db, &walter, Bound::None, Bound::None).len()
        );
    }

    #[test]
    fn drafts_and_timed_materials_stay_only_for_the_privileged_user_themself() {
        let db = db();
        let walter = db.user(2).unwrap().clone();
        let now = DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00")
            .unwrap()
            .to_utc();
        let seen = user_materials(&db, &walter, &walter, Bound::None, Bound::None, now);
        assert!(seen.iter().all(|m| !m.draft) && seen.iter().any(|m| m.is_blanked));
        let mut privileged = walter.clone();
        privileged.root = true;
        let own = user_materials(&db, &privileged, &privileged, Bound::None, Bound::None, now);
        assert!(own.iter().any(|m| m.draft) && own.iter().all(|m| !m.is_blanked));
        // Root looking at the student sees what the student sees.
        let root = db.user(1).unwrap().clone();
        let by_root = user_materials(&db, &root, &walter, Bound::None, Bound::None, now);
        assert_eq!(by_root.len(), seen.len());
    }
}
