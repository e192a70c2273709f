//! A week's answer made ready for the screen off the UI thread.
//!
//! Building the Week at a Glance and dropping what it no longer needs is linear in the number
//! of events; for a week of tens of megabytes it takes seconds. The runtime is single-threaded,
//! so this runs on a blocking thread (as the decoding does) and `update` only stores the result:
//! keys keep being answered while a large week is processed.

use chrono::{DateTime, Utc};

use crate::api::client::EventsBody;
use crate::api::models::{Id, UserEvent};
use crate::api::{ApiError, Client};
use crate::clock::{Clock, Zone};
use crate::domain::week::{TimelineEvent, WeekGlance, glance_at, timeline};

/// Answers larger than this (about 150 events) are decoded and prepared on a blocking thread.
const PREPARE_OFF_THREAD_BYTES: usize = 256 * 1024;

/// A week's answer with its glance built, and what "Coming Up" needs of its events.
#[derive(Debug)]
pub struct PreparedWeek {
    pub glance: WeekGlance,
    pub timeline: Vec<TimelineEvent>,
    /// The events serialized in full, when the week is to be kept on disk (`crate::cache`);
    /// written, then dropped, once `update` has taken the answer.
    pub snapshot: Option<Vec<u8>>,
}

/// Builds the glance in `zone` at `now`, and the timeline.
pub fn prepare(events: Vec<UserEvent>, zone: &Zone, now: DateTime<Utc>) -> PreparedWeek {
    prepare_keeping(events, zone, now, false)
}

/// [`prepare`], serializing the events first when `snapshot` asks for it. The events are
/// dropped here: for a 1,000-event week they are megabytes, the glance and timeline a fraction.
pub fn prepare_keeping(
    events: Vec<UserEvent>,
    zone: &Zone,
    now: DateTime<Utc>,
    snapshot: bool,
) -> PreparedWeek {
    let snapshot = snapshot.then(|| serde_json::to_vec(&events).ok()).flatten();
    PreparedWeek {
        glance: glance_at(&events, zone, now),
        timeline: timeline(&events),
        snapshot,
    }
}

/// Large weeks are decoded and prepared one at a time: a 1,000-event week needs several MiB
/// while it is decoded and its glance built, and at launch three weeks (this one, the next for
/// Coming Up, the previous prefetched) arrive together. One at a time, the peak is one week's
/// work instead of three; the requests themselves still run side by side.
static ONE_LARGE_WEEK_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Fetches a week's events, then decodes them and builds the glance at the clock's moment when
/// the answer arrived ([`prepare_keeping`]); on a blocking thread, one week at a time, when the
/// answer is large.
pub async fn fetch_prepared(
    client: &Client,
    user_id: Id,
    (from, to): (i64, i64),
    clock: Clock,
    snapshot: bool,
) -> Result<PreparedWeek, ApiError> {
    let body = client.user_events_body(user_id, from, to).await?;
    let prepare = move |body: EventsBody| {
        let events = body.decode()?;
        Ok(prepare_keeping(
            events,
            &clock.zone(),
            clock.now(),
            snapshot,
        ))
    };
    if body.len() <= PREPARE_OFF_THREAD_BYTES {
        return prepare(body);
    }
    let _permit = ONE_LARGE_WEEK_AT_A_TIME.acquire().await;
    tokio::task::spawn_blocking(move || prepare(body))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
