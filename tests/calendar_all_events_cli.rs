//! `ilios-tui calendar --all-events`: a school's events (`GET /api/v3/schoolevents/{id}`) with
//! the web client's filters (FE `packages/ilios-common/addon/components/dashboard/calendar.gjs`,
//! `filteredEvents`: AND across kinds, OR within a kind), run as a process against the
//! embedded server.

mod common;

use ilios_tui::demo::{DemoServer, Persona};
use serde_json::Value;

use common::cli::run_async;

async fn server() -> DemoServer {
    DemoServer::start(common::demo_options())
        .await
        .expect("demo server starts")
}

/// `calendar --all-events --json` for the test week (unless `extra` has a `--date`), with
/// `extra` arguments.
async fn all_events(s: &DemoServer, persona: Persona, extra: &[&str]) -> (i32, Value, String) {
    let date = s.clock().today().to_string();
    let mut args: Vec<String> = ["--url", &s.url(), "calendar", "--json"]
        .iter()
        .map(|a| a.to_string())
        .collect();
    if !extra.contains(&"--date") {
        args.extend(["--date".to_string(), date]);
    }
    args.push("--all-events".into());
    args.extend(extra.iter().map(|a| a.to_string()));
    let r = run_async(args, Some(s.token_for(persona))).await;
    let v = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    (r.code, v, r.stderr)
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n.dedup();
    n
}

#[tokio::test]
async fn all_events_of_the_primary_school_by_default() {
    let s = server().await;
    let (code, v, err) = all_events(&s, Persona::Student, &[]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["source"], "allEvents");
    assert_eq!(v["schoolId"], 1, "the student's primary school");
    let n = names(&v);
    // Events that are not the student's own, and a TBD one as "Scheduled".
    assert!(n.contains(&"Renal Physiology Lab".to_string()), "{n:?}");
    assert!(n.contains(&"Scheduled".to_string()), "{n:?}");
    // The multi-day ward week is flagged; pre-work ILMs are still left out.
    let ward = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Pediatric Ward Week")
        .expect("the ward week");
    assert_eq!(ward["multiday"], true);
    assert!(!n.contains(&"Advance Care Planning Readings".to_string()));
    // Not published: not for a student.
    assert!(!n.contains(&"Nephrology Case Conference".to_string()));

    let (code, v, err) = all_events(&s, Persona::Nicholas, &["--school", "2"]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["schoolId"], 2);
    assert_eq!(names(&v), ["Oral Histology: Enamel and Dentin"]);
}

#[tokio::test]
async fn filters_and_across_kinds_or_within_one() {
    let s = server().await;
    // Course 6 (Renal Physiology) OR course 7 (Pediatrics Clerkship).
    let (code, v, err) =
        all_events(&s, Persona::Nicholas, &["--course", "6", "--course", "7"]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        names(&v),
        [
            "Nephrology Case Conference",
            "Pediatric Ward Week",
            "Pediatrics Clerkship Orientation",
            "Renal Case Tutorial, Multiple",
            "Renal Physiology Lab",
            "Renal Physiology: Glomerular Filtration",
            "Renal Reflection Journal",
            "Renal Self-Study Module",
        ]
    );
    // ... AND session type 1 (Lecture).
    let (_, v, _) = all_events(
        &s,
        Persona::Nicholas,
        &["--course", "6", "--course", "7", "--session-type", "1"],
    )
    .await;
    assert_eq!(
        names(&v),
        [
            "Pediatrics Clerkship Orientation",
            "Renal Physiology: Glomerular Filtration"
        ]
    );
    // ... AND level 1: the clerkship (level 3) goes.
    let (_, v, _) = all_events(
        &s,
        Persona::Nicholas,
        &[
            "--course",
            "6",
            "--course",
            "7",
            "--session-type",
            "1",
            "--course-level",
            "1",
        ],
    )
    .await;
    assert_eq!(names(&v), ["Renal Physiology: Glomerular Filtration"]);
    // Cohorts come from the course; terms from the session or the course.
    let (_, v, _) = all_events(&s, Persona::Nicholas, &["--cohort", "2", "--term", "6"]).await;
    assert_eq!(
        names(&v),
        ["Pediatric Ward Week", "Pediatrics Clerkship Orientation"]
    );
    let (_, v, _) = all_events(&s, Persona::Nicholas, &["--term", "5"]).await;
    assert!(
        names(&v)
            .iter()
            .all(|n| n.starts_with("Renal") || n == "Nephrology Case Conference")
    );
}

#[tokio::test]
async fn usage_errors_and_text() {
    let s = server().await;
    // A filter without --all-events, and a level out of 1-5, are usage errors (exit 2).
    let r = run_async(
        vec![
            "--url".into(),
            s.url(),
            "calendar".into(),
            "--course".into(),
            "6".into(),
        ],
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    let (code, _, err) = all_events(&s, Persona::Student, &["--course-level", "6"]).await;
    assert_eq!(code, 2, "{err}");
    // An unknown school is the server's 404.
    let (code, _, err) = all_events(&s, Persona::Student, &["--school", "99"]).await;
    assert_eq!(code, 1, "{err}");
    // Text: the title says whose events these are.
    let date = s.clock().today().to_string();
    let r = run_async(
        vec![
            "--url".into(),
            s.url(),
            "calendar".into(),
            "--date".into(),
            date,
            "--all-events".into(),
        ],
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = r.stdout.lines().next().unwrap();
    assert!(first.ends_with("(All Events)"), "{first}");
    assert!(r.stdout.contains("Renal Physiology Lab"), "{}", r.stdout);
}

/// Over the embedded server, two of the web client's view rules (`ilios-dashboard.md` §4):
/// - identical events (two tutorial groups at the same hour) merge into "{name}, Multiple" in
///   the week and month views, and stand apart in the day view;
/// - an ILM due at 23:45 or later is pinned to 23:45–23:59 (the journal is due at 23:50).
#[tokio::test]
async fn identical_events_merge_and_a_late_ilm_is_pinned() {
    let s = server().await;
    let events = |v: &Value, name: &str| -> Vec<Value> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["name"] == name)
            .cloned()
            .collect()
    };
    let (code, week, err) = all_events(&s, Persona::Student, &[]).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(events(&week, "Renal Case Tutorial, Multiple").len(), 1);
    assert!(events(&week, "Renal Case Tutorial").is_empty());
    let (_, month, _) = all_events(&s, Persona::Student, &["--view", "month"]).await;
    assert!(
        events(&month, "Renal Case Tutorial, Multiple").len() >= 4,
        "one a week"
    );
    let thursday = events(&week, "Renal Case Tutorial, Multiple")[0]["start"]
        .as_str()
        .unwrap()[..10]
        .to_string();
    let (_, day, _) = all_events(
        &s,
        Persona::Student,
        &["--view", "day", "--date", &thursday],
    )
    .await;
    let apart = events(&day, "Renal Case Tutorial");
    let rooms: Vec<&str> = apart
        .iter()
        .map(|e| e["location"].as_str().unwrap())
        .collect();
    assert_eq!(rooms, ["Tutorial Room A", "Tutorial Room B"], "{day}");

    let journal = events(&week, "Renal Reflection Journal");
    assert_eq!(journal.len(), 1, "{week}");
    let (start, end) = (
        journal[0]["start"].as_str().unwrap(),
        journal[0]["end"].as_str().unwrap(),
    );
    assert_eq!(&start[11..16], "23:45", "{start}");
    assert_eq!(&end[11..16], "23:59", "{end}");
    assert_eq!(journal[0]["ilm"], true);
}
