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

    /// How the local server answers one connection: the head after `head_after`, then the body
    /// in pieces, each `gap` after the last, and then (`stall`) nothing more for that long.
    #[derive(Clone, Copy)]
    struct Pace {
        head_after: std::time::Duration,
        pieces: usize,
        gap: std::time::Duration,
        stall: Option<std::time::Duration>,
    }

    /// A `userevents` body of one event, cut into `pieces` chunks (blanks between the pieces'
    /// tokens, which JSON allows), so it can arrive slowly.
    fn body_pieces(pieces: usize) -> Vec<String> {
        let mut out = vec![r#"{"userEvents":["#.to_string()];
        out.extend((2..pieces).map(|_| " ".repeat(64)));
        out.push(format!(
            "{}]}}",
            event(1, "Slow", "2024-03-12T17:00:00+00:00")
        ));
        out
    }

    /// An HTTP server on loopback whose `n`th connection is answered at `paces[n]`, with a
    /// chunked body (no length announced, so the client takes its turn as for a large week).
    async fn slow_server(paces: Vec<Pace>) -> std::net::SocketAddr {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            for pace in paces {
                let (mut socket, _) = listener.accept().await.unwrap();
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    tokio::time::sleep(pace.head_after).await;
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                transfer-encoding: chunked\r\nconnection: close\r\n\r\n";
                    if socket.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    for (i, piece) in body_pieces(pace.pieces).iter().enumerate() {
                        if i > 0 {
                            tokio::time::sleep(pace.gap).await;
                        }
                        if let Some(stall) = pace.stall.filter(|_| i == 1) {
                            tokio::time::sleep(stall).await;
                        }
                        let chunk = format!("{:x}\r\n{piece}\r\n", piece.len());
                        if socket.write_all(chunk.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                });
            }
        });
        addr
    }

    fn client(addr: std::net::SocketAddr, request_timeout: std::time::Duration) -> Client {
        let options = crate::api::client::ClientOptions {
            request_timeout,
            ..Default::default()
        };
        Client::new(&format!("http://{addr}/"), options).unwrap()
    }

    fn clock() -> Clock {
        Clock::stopped_at(now()).in_zone(Zone::Named(ZONE))
    }

    /// The two tests share the process's one large-week permit: run one at a time, so neither
    /// waits on the other's bodies (which would blur the timings asserted).
    static ONE_TEST_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

    #[tokio::test]
    async fn a_body_waiting_its_turn_past_the_timeout_still_arrives() {
        use std::time::{Duration, Instant};
        let _alone = ONE_TEST_AT_A_TIME.lock().await;
        let timeout = Duration::from_millis(1500);
        // The first body takes 800 ms. The second's head comes 100 ms in, then its body waits
        // its turn until the first is read (~800 ms) and is itself read until ~1,720 ms: over
        // the 1.5 s timeout in all, but each step (head; own body, ~920 ms once its turn comes)
        // well within it. The margins are wide (~580 ms) so a busy machine does not flake it.
        let addr = slow_server(vec![
            Pace {
                head_after: Duration::ZERO,
                pieces: 9,
                gap: Duration::from_millis(100),
                stall: None,
            },
            Pace {
                head_after: Duration::from_millis(100),
                pieces: 10,
                gap: Duration::from_millis(180),
                stall: None,
            },
        ])
        .await;
        let client = client(addr, timeout);
        let asked = Instant::now();
        let ask = || async {
            let week = fetch_prepared(&client, 2, (0, 1), clock(), false).await;
            (week, asked.elapsed())
        };
        let ((first, first_took), (second, second_took)) = tokio::join!(ask(), ask());
        for week in [first, second] {
            let week = week.expect("both weeks arrive");
            assert_eq!(week.timeline.len(), 1);
        }
        let longest = first_took.max(second_took);
        assert!(
            longest > timeout,
            "the later week waited {longest:?} in all"
        );
    }

    #[tokio::test]
    async fn a_body_that_stalls_past_the_timeout_is_reported_as_a_timeout() {
        use std::time::{Duration, Instant};
        let _alone = ONE_TEST_AT_A_TIME.lock().await;
        let timeout = Duration::from_millis(300);
        let addr = slow_server(vec![Pace {
            head_after: Duration::ZERO,
            pieces: 3,
            gap: Duration::ZERO,
            stall: Some(Duration::from_secs(30)),
        }])
        .await;
        let asked = Instant::now();
        let week = fetch_prepared(&client(addr, timeout), 2, (0, 1), clock(), false).await;
        match week {
            Err(ApiError::Timeout { after, .. }) => assert_eq!(after, timeout),
            other => panic!("not a timeout: {other:?}"),
        }
        // Given up at the timeout, not when the server would have gone on.
        assert!(
            asked.elapsed() < Duration::from_secs(5),
            "{:?}",
            asked.elapsed()
        );
    }
}
