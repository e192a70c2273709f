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
use crate::domain::week::{TimelineEvent, WeekBuilder, WeekGlance};

/// Answers larger than this (about 150 events) are decoded and prepared on a blocking thread.
const PREPARE_OFF_THREAD_BYTES: usize = 256 * 1024;

/// A week's answer with its glance built, and what "Coming Up" needs of its events.
#[derive(Debug)]
pub struct PreparedWeek {
    pub glance: WeekGlance,
    pub timeline: Vec<TimelineEvent>,
    /// The answer as it arrived, when the week is to be kept on disk (`crate::cache`); written,
    /// then dropped, once `update` has taken the answer.
    pub snapshot: Option<bytes::Bytes>,
}

/// Builds the glance in `zone` at `now`, and the timeline. The events are dropped here: for a
/// 1,000-event week they are megabytes, the glance and timeline a fraction.
pub fn prepare(events: Vec<UserEvent>, zone: &Zone, now: DateTime<Utc>) -> PreparedWeek {
    let built: Result<_, std::convert::Infallible> = build(zone, now, |add| {
        events.iter().for_each(add);
        Ok(())
    });
    let Ok(week) = built;
    week
}

/// [`prepare`] of a `userevents` answer as kept on disk, decoded one event at a time.
pub fn prepare_answer(answer: &[u8], zone: &Zone, now: DateTime<Utc>) -> Option<PreparedWeek> {
    build(zone, now, |add| {
        crate::api::client::for_each_user_event(answer, |e| add(&e))
    })
    .ok()
}

/// A week built from the events `feed` hands to `add`, one at a time.
fn build<E>(
    zone: &Zone,
    now: DateTime<Utc>,
    feed: impl FnOnce(&mut dyn FnMut(&UserEvent)) -> Result<(), E>,
) -> Result<PreparedWeek, E> {
    let mut week = WeekBuilder::new(zone, now);
    feed(&mut |e| week.add(e))?;
    let (glance, timeline) = week.finish();
    Ok(PreparedWeek {
        glance,
        timeline,
        snapshot: None,
    })
}

/// Large weeks are read, decoded and prepared one at a time: a 1,000-event week needs several
/// MiB while its body is read and decoded and its glance built, and at launch three weeks (this
/// one, the next for Coming Up, the previous prefetched) arrive together. One at a time, the
/// peak is one week's work instead of three. The requests still run side by side (the waits for
/// a slow server overlap); a body waiting its turn stays in the connection.
static ONE_LARGE_WEEK_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Fetches a week's events, then decodes them and builds the glance at the clock's moment when
/// the answer arrived ([`prepare`]). A large answer (or one of unknown size) is read and
/// processed one at a time, on a blocking thread.
pub async fn fetch_prepared(
    client: &Client,
    user_id: Id,
    (from, to): (i64, i64),
    clock: Clock,
    snapshot: bool,
) -> Result<PreparedWeek, ApiError> {
    let answer = client.user_events_answer(user_id, from, to).await?;
    let small = answer
        .content_length()
        .is_some_and(|n| n <= PREPARE_OFF_THREAD_BYTES as u64);
    let _turn = match small {
        true => None,
        false => ONE_LARGE_WEEK_AT_A_TIME.acquire().await.ok(),
    };
    let body = answer.read().await?;
    let prepare = move |body: EventsBody| {
        let week = build(&clock.zone(), clock.now(), |add| {
            body.for_each_event(|e| add(&e))
        })?;
        Ok(PreparedWeek {
            snapshot: snapshot.then(|| body.bytes()),
            ..week
        })
    };
    if body.len() <= PREPARE_OFF_THREAD_BYTES {
        return prepare(body);
    }
    tokio::task::spawn_blocking(move || prepare(body))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::week::glance_at;

    const ZONE: chrono_tz::Tz = chrono_tz::America::Los_Angeles;

    fn now() -> DateTime<Utc> {
        "2024-03-11T12:00:00Z".parse().unwrap()
    }

    fn event(id: u64, name: &str, start: &str) -> String {
        format!(
            r#"{{"name":"{name}","startDate":"{start}","endDate":"{start}","offering":{id},
               "isPublished":true,"isScheduled":false,"objectives":[{{"x":1}}]}}"#
        )
    }

    #[test]
    fn an_answer_decoded_event_by_event_gives_the_same_week_as_decoded_whole() {
        let events = [
            event(2, "Later", "2024-03-12T17:00:00+00:00"),
            event(1, "Sooner", "2024-03-11T17:00:00+00:00"),
            event(3, "Same time", "2024-03-12T17:00:00+00:00"),
        ]
        .join(",");
        // Keys before and after the list are skipped, whatever they hold.
        let body = format!(r#"{{"meta":{{"a":[1,2]}},"userEvents":[{events}],"more":null}}"#);
        let whole: Vec<UserEvent> = serde_json::from_str(&format!("[{events}]")).unwrap();
        let zone = Zone::Named(ZONE);
        let streamed = prepare_answer(body.as_bytes(), &zone, now()).unwrap();
        assert_eq!(streamed.glance, glance_at(&whole, &ZONE, now()));
        let names: Vec<&str> = streamed.timeline.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Sooner", "Later", "Same time"]);
    }

    #[test]
    fn an_answer_without_its_list_or_cut_short_is_refused() {
        let zone = Zone::Named(ZONE);
        assert!(prepare_answer(br#"{"events":[]}"#, &zone, now()).is_none());
        assert!(prepare_answer(br#"{"userEvents":[]"#, &zone, now()).is_none());
        assert!(prepare_answer(br#"{"userEvents":[]} trailing"#, &zone, now()).is_none());
        assert!(prepare_answer(br#"{"userEvents":{}}"#, &zone, now()).is_none());
        let empty = prepare_answer(br#"{"userEvents":[]}"#, &zone, now()).unwrap();
        assert!(empty.glance.is_empty() && empty.timeline.is_empty());
    }
}
