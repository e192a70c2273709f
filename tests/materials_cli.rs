//! `ilios-tui materials` and `ilios-tui ics-link`, run as processes against the embedded server.

mod common;

use chrono::DateTime;
use ilios_tui::demo::{DemoServer, Persona};
use serde_json::{Value, json};

use common::cli::{Run, run_async};

async fn server() -> DemoServer {
    DemoServer::start(common::demo_options()).await.unwrap()
}

async fn run(list: &[&str], token: Option<String>) -> Run {
    run_async(list.iter().map(|s| s.to_string()).collect(), token).await
}

async fn materials_json(s: &DemoServer, extra: &[&str]) -> Value {
    let url = s.url();
    let mut list = vec!["--url", url.as_str(), "materials", "--json"];
    list.extend_from_slice(extra);
    let r = run(&list, Some(s.token_for(Persona::Student))).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("one JSON document")
}

fn seconds(v: &Value) -> i64 {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .timestamp()
}

async fn api(s: &DemoServer, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let mut rb = reqwest::Client::new()
        .request(method, format!("{}{path}", s.url()))
        .header(
            "X-JWT-Authorization",
            format!("Token {}", s.token_for(Persona::Student)),
        );
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    rb.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn json_shape_next_60_days_sorted_by_date_newest_first() {
    let s = server().await;
    let doc = materials_json(&s, &[]).await;
    assert_eq!(doc["range"], "next60days");
    let list = doc["materials"].as_array().unwrap();
    assert!(!list.is_empty());
    let keys = [
        "id",
        "title",
        "kind",
        "citation",
        "sessionTitle",
        "courseTitle",
        "courseId",
        "courseYear",
        "courseExternalId",
        "instructors",
        "date",
        "blanked",
        "availability",
        "uri",
        "status",
    ];
    for m in list {
        for k in keys {
            assert!(
                m.get(k).is_some(),
                "{k} missing (absent values are null): {m}"
            );
        }
    }
    // Date descending (`firstOfferingDate:desc`), every session material inside the bounds.
    let dates: Vec<i64> = list.iter().map(|m| seconds(&m["date"])).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    // (A course material carries the course's start, which may lie before the range.)
    let start = common::test_clock().now().timestamp() - 11 * 3600;
    let in_range = |m: &&Value| {
        let d = seconds(&m["date"]);
        d >= start && d <= start + 62 * 86400
    };
    assert!(
        list.iter()
            .filter(|m| !m["sessionTitle"].is_null())
            .all(|m| in_range(&m))
    );
    // Kinds with the web client's words; a citation's text; a blanked one has no link.
    let kinds: Vec<&str> = list.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    for kind in ["PDF file", "Web Link", "Citation", "Timed Release"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let citation = list.iter().find(|m| m["kind"] == "Citation").unwrap();
    assert!(
        citation["citation"]
            .as_str()
            .unwrap()
            .contains("Cell. 2023")
    );
    for m in list.iter().filter(|m| m["blanked"] == true) {
        assert_eq!(m["uri"], Value::Null);
        assert!(
            m["availability"]
                .as_str()
                .unwrap()
                .starts_with("(Available")
        );
    }
    assert!(
        list.iter()
            .all(|m| m["title"] != "Bridges Case Packet (draft)")
    );
    // Material status is on in the demo: session materials start as not started.
    for m in list {
        let expected = if m["sessionTitle"].is_null() {
            Value::Null
        } else {
            json!("notStarted")
        };
        assert_eq!(m["status"], expected, "{m}");
    }
    let all = materials_json(&s, &["--all"]).await;
    assert_eq!(all["range"], "all");
    let all = all["materials"].as_array().unwrap();
    assert!(all.len() > list.len());
    // A course material: no session, no status.
    let syllabus = all
        .iter()
        .find(|m| m["courseExternalId"] == "AEOL-202" && m["sessionTitle"].is_null())
        .unwrap();
    assert_eq!(
        (syllabus["status"].clone(), syllabus["courseYear"].is_i64()),
        (Value::Null, true)
    );
}

#[tokio::test]
async fn course_and_text_filters() {
    let s = server().await;
    let doc = materials_json(&s, &["--all", "--course", "2"]).await;
    let list = doc["materials"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|m| m["courseId"] == 2), "{list:?}");
    // Title, course, session and instructors, in any case.
    let doc = materials_json(&s, &["--all", "--filter", "LARRY"]).await;
    let list = doc["materials"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|m| m["instructors"] == json!(["Larry West"])),
        "{list:?}"
    );
    let doc = materials_json(&s, &["--filter", "no such words"]).await;
    assert_eq!(doc["materials"], json!([]));
    let url = s.url();
    let r = run(
        &["--url", &url, "materials", "--course", "999"],
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "My Materials: Next 60 days\nNo results found\n")
    );
}

#[tokio::test]
async fn text_lists_dates_titles_and_statuses() {
    let s = server().await;
    let url = s.url();
    let r = run(
        &["--url", &url, "materials"],
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "My Materials: Next 60 days");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("  Citation: Hallmarks of Aging")),
        "{}",
        r.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l
                .contains("  Timed Release: Post-lecture Self Assessment Answers (Available: "))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Instructor: Larry West | Status: Not Started"))
    );
    assert!(!r.stdout.contains('\x1b'));
    // A status written the way the web client writes it is read back.
    let mine = api(&s, reqwest::Method::GET, "/api/v3/usermaterials/2", None).await;
    let target = mine["userMaterials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["title"] == "Geroscience Lecture Slides")
        .cloned()
        .unwrap();
    let slm: u64 = target["sessionLearningMaterial"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = json!({"userSessionMaterialStatus": {"user": 2, "material": slm, "status": 2}});
    api(
        &s,
        reqwest::Method::POST,
        "/api/v3/usersessionmaterialstatuses",
        Some(body),
    )
    .await;
    let doc = materials_json(&s, &["--all", "--filter", "geroscience lecture"]).await;
    let statuses: Vec<(i64, Value)> = doc["materials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (seconds(&m["date"]), m["status"].clone()))
        .collect();
    let when = seconds(&target["firstOfferingDate"]);
    for (date, status) in statuses {
        let expected = if date == when {
            "complete"
        } else {
            "notStarted"
        };
        assert_eq!(status, expected, "{date}");
    }
}

#[tokio::test]
async fn ics_link_is_the_feed_url_and_a_newline() {
    let s = server().await;
    let url = s.url();
    let r = run(
        &["--url", &url, "ics-link"],
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let me = api(&s, reqwest::Method::GET, "/api/v3/users/2", None).await;
    let key = me["users"][0]["icsFeedKey"].as_str().unwrap();
    assert_eq!(key.len(), 64);
    assert_eq!(r.stdout, format!("{url}/ics/{key}\n"));
    assert_eq!(r.stderr, "");
    // Without a token: exit 3, as every command.
    let r = run(&["--url", &url, "ics-link"], None).await;
    assert_eq!(r.code, 3);
    let r = run(&["--url", &url, "materials"], None).await;
    assert_eq!(r.code, 3);
}

/// Marks the slides of this week's lecture (each week's session has its own) in progress, the
/// way the web client writes a status.
async fn slides_this_week_in_progress(s: &DemoServer) {
    let mine = api(s, reqwest::Method::GET, "/api/v3/usermaterials/2", None).await;
    let slides: u64 = mine["userMaterials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["title"] == "Geroscience Lecture Slides"
                && m["firstOfferingDate"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("2027-02-15"))
        })
        .and_then(|m| m["sessionLearningMaterial"].as_str())
        .unwrap()
        .parse()
        .unwrap();
    let body = json!({"userSessionMaterialStatus": {"user": 2, "material": slides, "status": 1}});
    api(
        s,
        reqwest::Method::POST,
        "/api/v3/usersessionmaterialstatuses",
        Some(body),
    )
    .await;
}

/// `week --json` carries each material's status as `materials --json` does (issue #16): the
/// user's own, `notStarted` without a record (`user-material-status.gjs`: `status || 0`).
#[tokio::test]
async fn week_json_carries_each_materials_status() {
    let s = server().await;
    slides_this_week_in_progress(&s).await;
    let url = s.url();
    let r = run(
        &["--url", &url, "week", "--date", "2027-02-17", "--json"],
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let mut statuses = Vec::new();
    for day in doc["days"].as_array().unwrap() {
        for ev in day["events"].as_array().unwrap() {
            let pre = ev["prework"].as_array().unwrap().iter();
            let own = ev["materials"].as_array().unwrap().iter();
            for m in pre
                .flat_map(|p| p["materials"].as_array().unwrap().iter())
                .chain(own)
            {
                statuses.push((
                    m["title"].as_str().unwrap().to_string(),
                    m["status"].clone(),
                ));
            }
        }
    }
    assert!(!statuses.is_empty());
    for (title, status) in &statuses {
        let expected = if title == "Geroscience Lecture Slides" {
            "inProgress"
        } else {
            "notStarted"
        };
        assert_eq!(status, expected, "{title}");
    }
    // The same status in `materials --json`.
    let doc = materials_json(&s, &["--all", "--filter", "geroscience lecture slides"]).await;
    assert!(
        doc["materials"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["status"] == "inProgress")
    );
}

/// `week`'s text shows each material's status box before its title, as the glance (issue #16):
/// the user's own (`user-material-status.gjs`: `status || 0`), on pre-work too, none on a
/// timed-release material not yet open (`week-glance/learning-material-list-item.gjs`). Piped
/// (as here), the boxes are ASCII: `[ ] [-] [x]`.
#[tokio::test]
async fn week_text_shows_each_materials_status_box() {
    let s = server().await;
    slides_this_week_in_progress(&s).await;
    let url = s.url();
    let list = ["--url", url.as_str(), "week", "--date", "2027-02-17"];
    let text = run(&list, Some(s.token_for(Persona::Student))).await;
    assert_eq!(text.code, 0, "{}", text.stderr);
    let out = &text.stdout;
    let json = run(
        &[&list[..], &["--json"]].concat(),
        Some(s.token_for(Persona::Student)),
    )
    .await;
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    // Every material the JSON lists has its line, led by the box of its status.
    let mut seen = (0, 0);
    for day in doc["days"].as_array().unwrap() {
        for ev in day["events"].as_array().unwrap() {
            let pre = ev["prework"].as_array().unwrap().iter();
            let pre = pre.flat_map(|p| p["materials"].as_array().unwrap().iter());
            let pre_count = pre.clone().count();
            let own = ev["materials"].as_array().unwrap().iter();
            for (i, m) in pre.chain(own).enumerate() {
                let title = m["title"].as_str().unwrap();
                let required = if m["required"] == true { "* " } else { "" };
                let mark = match (m["available"].as_bool().unwrap(), m["status"].as_str()) {
                    (false, _) => "",
                    (true, Some("notStarted")) => "[ ] ",
                    (true, Some("inProgress")) => "[-] ",
                    (true, Some("complete")) => "[x] ",
                    other => panic!("{title}: {other:?}"),
                };
                let line = format!("{mark}{required}{title} (");
                assert!(
                    out.lines().any(|l| l.trim_start().starts_with(&line)),
                    "{line:?} in {out}"
                );
                if i < pre_count {
                    seen.0 += 1;
                } else {
                    seen.1 += 1;
                }
            }
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "pre-work and own materials: {out}"
    );
    assert!(
        out.contains("\n        Post-lecture Self Assessment Answers (Timed Release)"),
        "no box, blanks as wide: {out}"
    );
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("[-] ")
                && l.contains("Geroscience Lecture Slides (")),
        "{out}"
    );
    assert!(!out.contains(['☐', '⊟', '☑']), "ASCII when piped: {out}");
}
