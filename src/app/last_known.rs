//! The last-known answers kept on disk, as `update` takes them: drawn where no fresh answer has
//! arrived yet (`on_cached`), and My Profile's fresh wave gathered behind a kept profile until it
//! is whole, then written back (`on_profile_part`). Called from `update.rs` only.

use crate::domain::Loadable;

use super::action::Effect;
use super::state::App;

/// The view a profile wave's answers go to: the fresh one gathered behind a cached profile, or
/// the one on screen.
pub fn profile_view_for(app: &mut App, seq: u64) -> &mut super::panes::profile::ProfileView {
    match &mut app.fresh_profile {
        Some(fresh) if fresh.seq == seq => fresh,
        _ => &mut app.profile,
    }
}

/// One answer of My Profile's wave: recorded (to keep on disk once the wave is whole), then
/// handed to the view it belongs to; a fresh wave replaces the kept profile when it is whole.
pub fn on_profile_part(
    app: &mut App,
    seq: u64,
    part: super::action::ProfileAnswer,
    fx: &mut Vec<Effect>,
) {
    let today = app.now.today();
    let current = app.fresh_profile.as_ref().unwrap_or(&app.profile).seq;
    if seq == current
        && let Ok(body) = &part.body
    {
        let query = crate::cache::query_key(&part.query);
        app.profile_record.push((query, body.clone()));
    }
    if let Err(e) = profile_view_for(app, seq).receive(seq, part, today) {
        app.session_error(e, fx);
    }
    if seq != current {
        return;
    }
    // The fresh wave replaces the cached profile once it is whole.
    if let Some(fresh) = app
        .fresh_profile
        .take_if(|f| f.data.as_ref().is_some_and(|d| d.is_complete()))
    {
        app.profile.seq = fresh.seq;
        app.profile.data = fresh.data;
        app.profile_as_of = None;
        if let Some(data) = &app.profile.data {
            app.profile.pane.settle(data, today);
        }
    }
    let whole =
        app.fresh_profile.is_none() && app.profile.data.as_ref().is_some_and(every_part_ready);
    if whole && !app.profile_record.is_empty() {
        let parts = std::mem::take(&mut app.profile_record);
        if let Some(data) = &app.profile.data {
            let snapshot =
                crate::cache::ProfileSnapshot::new(&data.user, data.crosses_boundary, parts);
            fx.push(Effect::RememberProfile(Box::new(snapshot)));
        }
    }
}

/// Every part of My Profile loaded without a failure: worth keeping on disk.
fn every_part_ready(d: &crate::domain::profile::ProfileData) -> bool {
    let ready = |l: Loadable<()>| matches!(l, Loadable::Ready(()));
    [
        ready(d.roles.as_ref().map(|_| ())),
        ready(d.schools.as_ref().map(|_| ())),
        ready(d.cohorts.as_ref().map(|_| ())),
        ready(d.program_years.as_ref().map(|_| ())),
        ready(d.programs.as_ref().map(|_| ())),
        ready(d.learner_groups.as_ref().map(|_| ())),
        ready(d.courses.as_ref().map(|_| ())),
        ready(d.sessions.as_ref().map(|_| ())),
        ready(d.instructed_sessions.as_ref().map(|_| ())),
        ready(d.academic_years.as_ref().map(|_| ())),
    ]
    .into_iter()
    .all(|r| r)
}

/// The last-known answers from disk: drawn, marked "as of", wherever no fresh answer has
/// arrived first. They never trigger requests of their own.
pub fn on_cached(app: &mut App, cached: super::action::CachedAnswers) {
    for (week, saved_at, prepared) in cached.weeks {
        let entry = app.weeks.entry(week).or_default();
        if matches!(entry.timeline, Loadable::Ready(_)) {
            continue; // the fresh answer came first
        }
        entry.glance = Loadable::Ready(prepared.glance);
        entry.timeline = Loadable::Ready(prepared.timeline);
        entry.as_of = Some(saved_at);
    }
    app.refresh_upcoming();
    let user_id = app.session.as_ref().map(|s| s.user_id);
    if let Some((saved_at, snapshot)) = cached.profile
        && app.profile.data.is_none()
        && user_id == Some(snapshot.user.id)
    {
        if app.user.is_loading() {
            app.user = Loadable::Ready(snapshot.user.clone());
        }
        let data = snapshot.replay();
        app.profile.pane.settle(&data, app.now.today());
        app.profile.data = Some(data);
        app.profile.seq = 0;
        app.profile_as_of = Some(saved_at);
    }
}

/// No cached profile on screen and no wave gathered behind one.
pub fn forget_cached_profile(app: &mut App) {
    app.profile_as_of = None;
    app.fresh_profile = None;
    app.profile_record.clear();
}
