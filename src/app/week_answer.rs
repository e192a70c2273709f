//! A week's answer made ready for the screen off the UI thread.
//!
//! Building the Week at a Glance and dropping what it no longer needs is linear in the number
//! of events; for a week of tens of megabytes it takes seconds. The runtime is single-threaded,
//! so this runs on a blocking thread (as the decoding does) and `update` only stores the result:
//! keys keep being answered while a large week is processed.

use chrono::{DateTime, Utc};

use crate::api::models::UserEvent;
use crate::clock::{Clock, Zone};
use crate::domain::week::{WeekGlance, glance_at};

/// Weeks with more events than this are prepared on a blocking thread.
const PREPARE_OFF_THREAD: usize = 512;

/// A week's events with their glance built and the events trimmed to what "Coming Up" needs.
#[derive(Debug)]
pub struct PreparedWeek {
    pub glance: WeekGlance,
    pub events: Vec<UserEvent>,
    /// The events serialized in full before trimming, when the week is to be kept on disk
    /// (`crate::cache`); written, then dropped, once `update` has taken the answer.
    pub snapshot: Option<Vec<u8>>,
}

/// Builds the glance in `zone` at `now`, then trims the events.
pub fn prepare(events: Vec<UserEvent>, zone: &Zone, now: DateTime<Utc>) -> PreparedWeek {
    prepare_keeping(events, zone, now, false)
}

/// [`prepare`], serializing the events first when `snapshot` asks for it.
pub fn prepare_keeping(
    mut events: Vec<UserEvent>,
    zone: &Zone,
    now: DateTime<Utc>,
    snapshot: bool,
) -> PreparedWeek {
    let snapshot = snapshot.then(|| serde_json::to_vec(&events).ok()).flatten();
    let glance = glance_at(&events, zone, now);
    events.iter_mut().for_each(keep_timeline_only);
    PreparedWeek {
        glance,
        events,
        snapshot,
    }
}

/// [`prepare_keeping`] at the clock's moment when the answer arrived, on a blocking thread for
/// a large week.
pub async fn prepare_off_thread(
    events: Vec<UserEvent>,
    clock: Clock,
    snapshot: bool,
) -> PreparedWeek {
    let (zone, utc) = (clock.zone(), clock.now());
    if events.len() <= PREPARE_OFF_THREAD {
        return prepare_keeping(events, &zone, utc, snapshot);
    }
    tokio::task::spawn_blocking(move || prepare_keeping(events, &zone, utc, snapshot))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

/// Once the glance is built, the raw events serve only "Coming Up" (names, times, kinds): drop
/// the rest, which for a 1,000-event week is most of the memory.
pub fn keep_timeline_only(event: &mut UserEvent) {
    event.learning_materials = Vec::new();
    event.instructors = Vec::new();
    event.session_description = None;
    event.instructional_notes = None;
    event.course_title = None;
    event.course_external_id = None;
    event.location = None;
    event.url = None;
    event.color = None;
    event.session_type_title = None;
    event.user_contexts = Vec::new();
    event.prerequisites.iter_mut().for_each(keep_timeline_only);
    event.postrequisites.iter_mut().for_each(keep_timeline_only);
}
