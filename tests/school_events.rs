//! `GET /api/v3/schoolevents/{schoolId}` on the embedded server, over real loopback HTTP, against
//! the real rules: `ilios/ilios` `src/Controller/API/SchooleventController.php` (check order,
//! redaction), `src/Repository/SchoolRepository.php::findEventsForSchool` (selection, sort),
//! `src/RelationshipVoter/SchoolEvent.php` (visibility) and `src/Classes/SchoolEvent.php`.
//! Plus the filter lists' endpoints the calendar filters read (vocabularies, terms).

mod common;

use std::time::Duration;

use chrono::{Datelike, NaiveTime, TimeZone};
use ilios_tui::demo::{DemoServer, Persona};
use serde_json::Value;

async fn server() -> DemoServer {
    DemoServer::start(common::demo_options())
        .await
        .expect("demo server starts")
}

async fn get_json(s: &DemoServer, path: &str, token: &str) -> (u16, Value) {
    let r = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .get(format!("{}{}", s.url(), path))
        .header("X-JWT-Authorization", format!("Token {token}"))
        .send()
        .await
        .expect("request completes");
    let status = r.status().as_u16();
    (status, r.json().await.expect("a JSON body"))
}

/// Local wall time `hour`:00 on day `day` (0 = Monday) of the test clock's week, unix seconds.
fn at(day: i64, hour: u32) -> i64 {
    let clock = common::test_clock();
    let today = clock.today();
    let monday = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let d = monday + chrono::Duration::days(day);
    clock
        .zone()
        .from_local_datetime(&d.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap()))
        .earliest()
        .unwrap()
        .timestamp()
}

/// The test week, Monday 00:00 to Sunday 24:00.
fn week() -> String {
    format!("from={}&to={}", at(0, 0), at(7, 0))
}

fn events(v: &Value) -> &Vec<Value> {
    v["events"].as_array().expect("an events list")
}

fn named<'a>(evs: &'a [Value], name: &str) -> Vec<&'a Value> {
    evs.iter().filter(|e| e["name"] == name).collect()
}

#[tokio::test]
async fn checks_come_in_the_controllers_order() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    // 404 for an unknown school comes before any parameter check.
    let (status, v) = get_json(&s, "/api/v3/schoolevents/99", &student).await;
    assert_eq!((status, v["code"].as_u64()), (404, Some(404)));
    for (q, msg) in [
        ("", "?from is missing or is not a valid timestamp"),
        (
            "?from=abc&to=1",
            "?from is missing or is not a valid timestamp",
        ),
        ("?from=1", "?to is missing or is not a valid timestamp"),
        (
            "?session=0&from=1&to=x",
            "?to is missing or is not a valid timestamp",
        ),
    ] {
        let (status, v) = get_json(&s, &format!("/api/v3/schoolevents/1{q}"), &student).await;
        assert_eq!(
            (status, v),
            (400, serde_json::json!({"code": 400, "message": msg})),
            "{q}"
        );
    }
    let (status, _) = get_json(&s, "/api/v3/schoolevents/1?session=999999", &student).await;
    assert_eq!(status, 404, "an unknown session");
    // An ILM-only session has no offerings: the real repository is handed null dates.
    let nicholas = s.token_for(Persona::Nicholas);
    let (_, v) = get_json(
        &s,
        "/api/v3/sessions?filters[title]=Renal Self-Study Module&limit=1",
        &nicholas,
    )
    .await;
    let ilm_only = v["sessions"][0]["id"].as_u64().unwrap();
    let (status, _) = get_json(
        &s,
        &format!("/api/v3/schoolevents/1?session={ilm_only}"),
        &student,
    )
    .await;
    assert_eq!(status, 500);
    // Any user may ask for any school: a student of school 1 asking for school 2 gets 200
    // and nothing (school 2's events are published, but not of the student's school).
    let (status, v) = get_json(&s, &format!("/api/v3/schoolevents/2?{}", week()), &student).await;
    assert_eq!(status, 200);
    assert!(events(&v).is_empty(), "{v:#}");
}

#[tokio::test]
async fn selection_sort_and_shape() {
    let s = server().await;
    let nicholas = s.token_for(Persona::Nicholas);
    let (status, v) = get_json(&s, &format!("/api/v3/schoolevents/1?{}", week()), &nicholas).await;
    assert_eq!(status, 200);
    let evs = events(&v);
    // Root sees every event of the school, not only their own.
    for name in [
        "Cutting Edge Geroscience",
        "Renal Physiology: Glomerular Filtration",
        "Renal Self-Study Module",
        "Nephrology Case Conference",
        "Pediatrics Clerkship Orientation",
        "Pediatric Ward Week",
    ] {
        assert_eq!(named(evs, name).len(), 1, "{name}");
    }
    assert!(named(evs, "Oral Histology: Enamel and Dentin").is_empty());
    // Sorted by start, then end.
    let keys: Vec<(String, String)> = evs
        .iter()
        .map(|e| {
            let t = |k: &str| chrono::DateTime::parse_from_rfc3339(e[k].as_str().unwrap()).unwrap();
            (t("startDate").to_rfc3339(), t("endDate").to_rfc3339())
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // A SchoolEvent: no `user`, `userContexts` always empty.
    for e in evs {
        assert!(e.get("user").is_none(), "{e:#}");
        assert_eq!(e["userContexts"], serde_json::json!([]));
        assert_eq!(e["school"], 1);
    }
    // Running at `from` counts: the ward week (Tuesday 07:00 to Friday 17:00) is found from
    // Wednesday noon on; an offering that ended before `from` is not.
    let (_, v) = get_json(
        &s,
        &format!("/api/v3/schoolevents/1?from={}&to={}", at(2, 12), at(2, 13)),
        &nicholas,
    )
    .await;
    let evs = events(&v);
    assert_eq!(named(evs, "Pediatric Ward Week").len(), 1, "{v:#}");
    assert!(named(evs, "Cutting Edge Geroscience").is_empty());
    // An ILM counts only when due in range (Wednesday 17:00).
    assert!(named(evs, "Renal Self-Study Module").is_empty());
    // ?session= replaces from/to with that session's span and keeps only its events.
    let (_, v) = get_json(&s, &format!("/api/v3/schoolevents/1?{}", week()), &nicholas).await;
    let sid = named(events(&v), "Renal Physiology Lab")[0]["session"]
        .as_u64()
        .unwrap();
    let (status, v) = get_json(
        &s,
        &format!("/api/v3/schoolevents/1?session={sid}"),
        &nicholas,
    )
    .await;
    assert_eq!(status, 200);
    let evs = events(&v);
    assert_eq!(evs.len(), 1, "{v:#}");
    assert_eq!(evs[0]["session"].as_u64(), Some(sid));
    // The other school's events are served for that school.
    let (_, v) = get_json(&s, &format!("/api/v3/schoolevents/2?{}", week()), &nicholas).await;
    let evs = events(&v);
    assert_eq!(evs.len(), 1, "{v:#}");
    assert_eq!(evs[0]["name"], "Oral Histology: Enamel and Dentin");
    assert_eq!(evs[0]["school"], 2);
}

#[tokio::test]
async fn a_student_sees_published_events_of_their_school_redacted() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    let (_, v) = get_json(&s, &format!("/api/v3/schoolevents/1?{}", week()), &student).await;
    let evs = events(&v);
    // Unpublished: gone (the student neither directs nor instructs it).
    assert!(named(evs, "Nephrology Case Conference").is_empty());
    assert!(named(evs, "Palliative Pharmacology").is_empty());
    // Published as TBD: "Scheduled", with only course, session and school left.
    let scheduled = named(evs, "Scheduled");
    assert!(!scheduled.is_empty(), "{v:#}");
    for e in scheduled {
        for gone in [
            "courseTitle",
            "location",
            "offering",
            "url",
            "color",
            "sessionTypeId",
        ] {
            assert!(e.get(gone).is_none(), "{gone} in {e:#}");
        }
        assert!(e["course"].is_u64() && e["session"].is_u64() && e["school"] == 1);
        assert_eq!(e["instructors"], serde_json::json!([]));
        assert_eq!(e["learningMaterials"], serde_json::json!([]));
        assert_eq!(e["cohorts"], serde_json::json!([]));
    }
    // Someone else's event: every material blanked, and the virtual link removed.
    let lab = named(evs, "Renal Physiology Lab");
    assert_eq!(lab.len(), 1);
    assert!(lab[0].get("url").is_none(), "{:#}", lab[0]);
    assert_eq!(lab[0]["location"], "Teaching Lab 3");
    let lecture = named(evs, "Renal Physiology: Glomerular Filtration")[0];
    let lms = lecture["learningMaterials"].as_array().unwrap();
    assert_eq!(
        lms.len(),
        2,
        "the session's, then the course's: {lecture:#}"
    );
    for m in lms {
        assert_eq!(m["isBlanked"], true, "{m:#}");
        assert!(m.get("absoluteFileUri").is_none() && m.get("link").is_none());
        assert!(m["title"].is_string());
    }
    // Their own event: the link stays, untimed materials are not blanked.
    let panel = named(
        evs,
        "Care of the Dying Patient Across the Life Spectrum Panel",
    )[0];
    assert_eq!(panel["url"], "https://zoom.example.edu/j/5550123");
    assert!(
        panel["learningMaterials"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["isBlanked"] == false),
        "{panel:#}"
    );
    // Instructional notes never reach a learner.
    assert!(evs.iter().all(|e| e.get("instructionalNotes").is_none()));
}

#[tokio::test]
async fn root_keeps_links_and_materials() {
    let s = server().await;
    let nicholas = s.token_for(Persona::Nicholas);
    let (_, v) = get_json(&s, &format!("/api/v3/schoolevents/1?{}", week()), &nicholas).await;
    let evs = events(&v);
    let lab = named(evs, "Renal Physiology Lab")[0];
    assert_eq!(lab["url"], "https://zoom.example.edu/j/5550444");
    let lecture = named(evs, "Renal Physiology: Glomerular Filtration")[0];
    assert!(
        lecture["learningMaterials"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["isBlanked"] == false)
    );
    let tbd = named(evs, "Pediatrics Clerkship Orientation")[0];
    assert_eq!(tbd["isScheduled"], true);
    assert_eq!(tbd["courseTitle"], "Pediatrics Clerkship");
    let draft = named(evs, "Nephrology Case Conference")[0];
    assert_eq!(draft["isPublished"], false);
    assert_eq!(draft["courseLevel"], 1);
    assert_eq!(draft["cohorts"][0]["title"], "Class of 2028");
    assert_eq!(draft["courseTerms"][0]["title"], "Renal");
}

#[tokio::test]
async fn the_filter_lists_endpoints() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    let (_, v) = get_json(&s, "/api/v3/sessiontypes?filters[school]=2", &student).await;
    let titles: Vec<&str> = v["sessionTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Lecture", "Preclinical Lab"]);
    let (_, v) = get_json(&s, "/api/v3/vocabularies?filters[school]=1", &student).await;
    let vocab = &v["vocabularies"][0];
    assert_eq!(vocab["title"], "Topics");
    assert_eq!(vocab["terms"], serde_json::json!(["1", "2", "3", "4"]));
    let (_, v) = get_json(&s, "/api/v3/terms?filters[schools]=2", &student).await;
    let terms = v["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0]["title"], "Oral Pathology");
    assert_eq!(terms[0]["vocabulary"], 3);
    assert_eq!(terms[0]["courses"], serde_json::json!(["8"]));
    let (_, v) = get_json(&s, "/api/v3/courses?filters[school]=1", &student).await;
    let years: std::collections::BTreeSet<i64> = v["courses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years.len(), 2, "courses of two years: {years:?}");
}
