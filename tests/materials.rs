//! The embedded server's My Materials and material-status contract
//! (`/work/shared/reference/ilios-dashboard.md` §1; ilios/ilios `UsermaterialController.php`,
//! `UserRepository::findMaterialsForUser`, `UserSessionMaterialStatuses.php`), over real HTTP.

mod common;

use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone};
use ilios_tui::app::Action;
use ilios_tui::demo::{DemoServer, Persona};
use serde_json::{Value, json};

const H: &str = "X-JWT-Authorization";

async fn server() -> DemoServer {
    DemoServer::start(common::demo_options())
        .await
        .expect("demo server starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn send(
    s: &DemoServer,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, Value)>,
) -> (u16, String, Value) {
    let mut rb = client().request(method, format!("{}{}", s.url(), path));
    if let Some(t) = token {
        rb = rb.header(H, format!("Token {t}"));
    }
    if let Some((content_type, b)) = body {
        rb = rb
            .header("Content-Type", content_type)
            .header("Accept", content_type)
            .body(b.to_string());
    }
    let r = rb.send().await.expect("request completes");
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, ct, v)
}

async fn get(s: &DemoServer, path: &str, token: &str) -> (u16, Value) {
    let (status, ct, v) = send(s, reqwest::Method::GET, path, Some(token), None).await;
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    (status, v)
}

async fn materials(s: &DemoServer, token: &str, query: &str) -> Vec<Value> {
    let (status, v) = get(s, &format!("/api/v3/usermaterials/2{query}"), token).await;
    assert_eq!(status, 200, "{v}");
    v["userMaterials"].as_array().expect("envelope").clone()
}

/// The web client's "Next 60 days" bounds for the test clock (`controllers/dashboard/materials.js`).
fn next_60_days() -> (i64, i64) {
    let clock = common::test_clock();
    let zone = clock.zone();
    let today = clock.today();
    let after = zone
        .from_local_datetime(&today.and_time(NaiveTime::MIN))
        .earliest()
        .unwrap();
    let before = zone
        .from_local_datetime(
            &(today + chrono::Duration::days(60))
                .and_hms_opt(23, 59, 0)
                .unwrap(),
        )
        .earliest()
        .unwrap();
    (after.timestamp(), before.timestamp())
}

fn date(v: &Value) -> i64 {
    DateTime::parse_from_rfc3339(v.as_str().expect("a date"))
        .unwrap()
        .timestamp()
}

fn no_nulls(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Array(a) => a.iter().all(no_nulls),
        Value::Object(o) => o.values().all(no_nulls),
        _ => true,
    }
}

#[tokio::test]
async fn usermaterials_access_rules() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    let (status, ct, _) = send(
        &s,
        reqwest::Method::GET,
        "/api/v3/usermaterials/2",
        None,
        None,
    )
    .await;
    assert_eq!((status, ct.starts_with("application/json")), (401, true));
    // An unknown user is 404 before any access check; someone else's materials are 403.
    assert_eq!(get(&s, "/api/v3/usermaterials/999", &student).await.0, 404);
    assert_eq!(get(&s, "/api/v3/usermaterials/1", &student).await.0, 403);
    // `id<\d+>`, GET only: the rest is the `/api/{url}` catch-all.
    assert_eq!(get(&s, "/api/v3/usermaterials/abc", &student).await.0, 404);
    assert_eq!(get(&s, "/api/v3/usermaterials", &student).await.0, 404);
    let (post, _, _) = send(
        &s,
        reqwest::Method::POST,
        "/api/v3/usermaterials/2",
        Some(&student),
        Some(("application/json", json!({}))),
    )
    .await;
    assert_eq!(post, 404);
    // Root may look at a student (`RelationshipVoter/User.php`).
    let root = s.token_for(Persona::Nicholas);
    assert_eq!(get(&s, "/api/v3/usermaterials/2", &root).await.0, 200);
}

#[tokio::test]
async fn all_materials_shape_order_drafts_and_blanking() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    let all = materials(&s, &student, "").await;
    assert!(all.len() > 20, "a term of weekly materials: {}", all.len());
    // Sorted by learning-material id; ids and link ids are strings, courseYear a number.
    let ids: Vec<u64> = all
        .iter()
        .map(|m| m["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "{ids:?}");
    assert!(all.iter().all(|m| m["courseYear"].is_i64()));
    assert!(all.iter().all(no_nulls), "null fields are omitted");
    // The draft (learning material 11, "Bridges Case Packet (draft)") is dropped.
    assert!(all.iter().all(|m| m["id"] != "11"), "drafts are dropped");
    // A course material: no session, no instructors, the course's start as its date.
    let syllabus = all
        .iter()
        .find(|m| m["id"] == "9")
        .expect("course material");
    assert!(syllabus.get("session").is_none() && syllabus.get("sessionTitle").is_none());
    assert!(syllabus["courseLearningMaterial"].is_string());
    assert_eq!(syllabus["instructors"], json!([]));
    let (_, course) = get(&s, "/api/v3/courses/1", &student).await;
    assert_eq!(
        syllabus["firstOfferingDate"],
        course["courses"][0]["startDate"]
    );
    // A session file: its instructors and a file URI; a citation and a link keep theirs.
    let slides = all.iter().find(|m| m["id"] == "1").unwrap();
    assert_eq!(slides["instructors"], json!(["Larry West"]));
    let uri = slides["absoluteFileUri"].as_str().unwrap();
    assert_eq!(uri.rsplit_once("/lm/").unwrap().1.len(), 64, "{uri}");
    assert_eq!(slides["sessionTitle"], "Cutting Edge Geroscience");
    assert!(
        all.iter()
            .any(|m| m["id"] == "2" && m["citation"].is_string())
    );
    assert!(all.iter().any(|m| m["id"] == "3" && m["link"].is_string()));
    // Timed release: blanked outside the window, with only the kept fields.
    let answers: Vec<&Value> = all.iter().filter(|m| m["id"] == "5").collect();
    let blanked: Vec<&&Value> = answers.iter().filter(|m| m["isBlanked"] == true).collect();
    let open: Vec<&&Value> = answers.iter().filter(|m| m["isBlanked"] == false).collect();
    assert!(!blanked.is_empty() && !open.is_empty(), "{answers:?}");
    for b in &blanked {
        assert!(b.get("absoluteFileUri").is_none() && b.get("mimetype").is_none());
        assert_eq!(b["instructors"], json!([]));
        assert!(b["startDate"].is_string() && b["endDate"].is_string());
        assert!(b["sessionTitle"].is_string() && b["firstOfferingDate"].is_string());
    }
    assert!(open.iter().all(|m| m["absoluteFileUri"].is_string()));
    // Root looking at the student sees what the student sees.
    let root = s.token_for(Persona::Nicholas);
    assert_eq!(materials(&s, &root, "").await, all);
}

#[tokio::test]
async fn before_and_after_bound_the_first_offering() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    let (after, before) = next_60_days();
    let next = materials(&s, &student, &format!("?before={before}&after={after}")).await;
    let all = materials(&s, &student, "").await;
    assert!(!next.is_empty() && next.len() < all.len());
    for m in next.iter().filter(|m| m.get("session").is_some()) {
        let at = date(&m["firstOfferingDate"]);
        assert!((after..=before).contains(&at), "{m}");
    }
    // Each bound alone; a bad `before` is `false` (0 in SQL): nothing; a bad `after`: no bound.
    let only_after = materials(&s, &student, &format!("?after={after}")).await;
    let only_before = materials(&s, &student, &format!("?before={after}")).await;
    assert!(only_after.len() < all.len() && only_before.len() < all.len());
    assert!(materials(&s, &student, "?before=soon").await.is_empty());
    assert_eq!(
        materials(&s, &student, &format!("?before={before}&after=yesterday")).await,
        materials(&s, &student, &format!("?before={before}")).await
    );
    // Teaching does not count: the root instructor has no materials of his own.
    let root = s.token_for(Persona::Nicholas);
    let (status, v) = get(&s, "/api/v3/usermaterials/1", &root).await;
    assert_eq!((status, v), (200, json!({"userMaterials": []})));
}

#[tokio::test]
async fn material_status_is_on_and_stored_per_user() {
    let s = server().await;
    let (_, _, config) = send(&s, reqwest::Method::GET, "/application/config", None, None).await;
    assert_eq!(config["config"]["materialStatusEnabled"], true);
    let student = s.token_for(Persona::Student);
    let root = s.token_for(Persona::Nicholas);
    let url = "/api/v3/usersessionmaterialstatuses";
    assert_eq!(
        get(&s, url, &student).await,
        (200, json!({"userSessionMaterialStatuses": []}))
    );
    let slm = materials(&s, &student, "").await[0]["sessionLearningMaterial"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    let plain = "application/json";
    let new = json!({"userSessionMaterialStatus": {"user": 2, "material": slm, "status": 1}});
    let (status, _, created) = send(
        &s,
        reqwest::Method::POST,
        url,
        Some(&student),
        Some((plain, new)),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let record = &created["userSessionMaterialStatuses"][0];
    assert_eq!(
        (record["user"].clone(), record["status"].clone()),
        (json!(2), json!(1))
    );
    let id = record["id"].as_u64().unwrap();
    // The user lists it; a filter finds it; another user sees nothing of it.
    let (_, me) = get(&s, "/api/v3/users/2", &student).await;
    assert_eq!(
        me["users"][0]["sessionMaterialStatuses"],
        json!([id.to_string()])
    );
    let (_, mine) = get(
        &s,
        &format!("{url}?filters[user]=2&filters[material]={slm}"),
        &student,
    )
    .await;
    assert_eq!(
        mine["userSessionMaterialStatuses"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (_, theirs) = get(&s, &format!("{url}?filters[user]=2"), &root).await;
    assert_eq!(theirs, json!({"userSessionMaterialStatuses": []}));
    assert_eq!(
        get(&s, &format!("{url}/{id}"), &root).await.1,
        json!({"userSessionMaterialStatuses": []})
    );
    assert_eq!(get(&s, &format!("{url}/999"), &student).await.0, 404);
    assert_eq!(
        get(&s, &format!("{url}?filters[bogus]=1"), &student)
            .await
            .0,
        500
    );
    // PUT updates (200); another user may not; a bad status or someone else's user is refused.
    let put = |status: i64| json!({"userSessionMaterialStatus": {"user": 2, "material": slm, "status": status}});
    let path = format!("{url}/{id}");
    let (code, _, v) = send(
        &s,
        reqwest::Method::PUT,
        &path,
        Some(&student),
        Some((plain, put(2))),
    )
    .await;
    assert_eq!(
        (code, v["userSessionMaterialStatus"]["status"].clone()),
        (200, json!(2))
    );
    let (code, _, _) = send(
        &s,
        reqwest::Method::PUT,
        &path,
        Some(&root),
        Some((plain, put(0))),
    )
    .await;
    assert_eq!(code, 403);
    let (code, _, _) = send(
        &s,
        reqwest::Method::PUT,
        &path,
        Some(&student),
        Some((plain, put(3))),
    )
    .await;
    assert_eq!(code, 400);
    let theirs = json!({"userSessionMaterialStatus": {"user": 1, "material": slm, "status": 1}});
    let (code, _, _) = send(
        &s,
        reqwest::Method::POST,
        url,
        Some(&student),
        Some((plain, theirs)),
    )
    .await;
    assert_eq!(code, 403);
    // The web client's JSON:API: PATCH changes the status, PUT is refused.
    let api = "application/vnd.api+json";
    let patch = json!({"data": {"id": id.to_string(), "type": "userSessionMaterialStatuses",
        "attributes": {"status": 0}}});
    let (code, ct, v) = send(
        &s,
        reqwest::Method::PATCH,
        &path,
        Some(&student),
        Some((api, patch.clone())),
    )
    .await;
    assert_eq!((code, ct.as_str()), (200, api), "{v}");
    assert_eq!(v["data"]["attributes"]["status"], 0);
    assert_eq!(
        v["data"]["relationships"]["material"]["data"]["id"],
        slm.to_string()
    );
    let (code, _, _) = send(
        &s,
        reqwest::Method::PUT,
        &path,
        Some(&student),
        Some((api, patch)),
    )
    .await;
    assert_eq!(code, 400);
    let (code, _, _) = send(&s, reqwest::Method::DELETE, &path, Some(&student), None).await;
    assert_eq!(code, 204);
    assert_eq!(
        get(&s, url, &student).await.1,
        json!({"userSessionMaterialStatuses": []})
    );
}

#[tokio::test]
async fn an_offering_already_running_at_after_is_not_selected_and_ilms_count_by_due_date() {
    let s = server().await;
    let student = s.token_for(Persona::Student);
    let t = |rfc: &str| DateTime::parse_from_rfc3339(rfc).unwrap().timestamp();
    let ids = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Monday's "Cutting Edge Geroscience" runs 08:10-09:00: from 08:30 it is not selected
    // (unlike userevents, which keep what is running at `from`).
    let (mon_810, mon_830, mon_835) = (
        t("2027-02-22T08:10:00-08:00"),
        t("2027-02-22T08:30:00-08:00"),
        t("2027-02-22T08:35:00-08:00"),
    );
    let running = materials(&s, &student, &format!("?after={mon_830}&before={mon_835}")).await;
    assert_eq!(running, Vec::<Value>::new());
    let starting = materials(&s, &student, &format!("?after={mon_810}&before={mon_835}")).await;
    // The session's three materials, then the course syllabus (sorted by id: 1, 2, 3, 9).
    assert_eq!(ids(&starting), ["1", "2", "3", "9"]);
    assert_eq!(date(&starting[0]["firstOfferingDate"]), mon_810);
    // The ILM "Advance Care Planning Readings" is due Tuesday at 17:00: its due date selects it.
    let (tue_1659, tue_1701) = (
        t("2027-02-23T16:59:00-08:00"),
        t("2027-02-23T17:01:00-08:00"),
    );
    let ilm = materials(
        &s,
        &student,
        &format!("?after={tue_1659}&before={tue_1701}"),
    )
    .await;
    assert_eq!(ids(&ilm), ["6", "7", "9"]);
    assert_eq!(
        date(&ilm[0]["firstOfferingDate"]),
        t("2027-02-23T17:00:00-08:00")
    );
    assert_eq!(ilm[0]["instructors"], json!(["Sandra Hayes"]));
}

/// The client's calls, as the pane uses them: read the materials in the web client's range, read
/// the statuses, create a status on the first change and update it after.
#[tokio::test]
async fn the_client_reads_materials_and_writes_statuses_as_the_web_client() {
    use ilios_tui::api::{ApiError, Client, ClientOptions, Token};
    use ilios_tui::domain::materials::Range;
    let s = server().await;
    let client = Client::new(&s.url(), ClientOptions::default())
        .unwrap()
        .with_token(Token::new(s.token_for(Persona::Student)));
    let clock = common::test_clock();
    let bounds = Range::Next60Days.bounds(clock.now(), &clock.zone());
    assert_eq!(bounds, Some(next_60_days()));
    let next = client.user_materials(2, bounds).await.unwrap();
    let all = client.user_materials(2, None).await.unwrap();
    assert!(!next.is_empty() && next.len() < all.len());
    assert!(
        all.iter()
            .any(|m| m.is_blanked && m.session_title.is_some())
    );
    assert!(all.iter().all(|m| m.course_year == Some(2027)));
    let slm = next[0].session_learning_material.unwrap();
    assert!(client.material_statuses(2).await.unwrap().is_empty());
    let created = client.save_material_status(None, 2, slm, 1).await.unwrap();
    assert_eq!(
        (created.user, created.material, created.status),
        (2, slm, 1)
    );
    let updated = client
        .save_material_status(Some(created.id), 2, slm, 2)
        .await
        .unwrap();
    assert_eq!((updated.id, updated.status), (created.id, 2));
    assert_eq!(client.material_statuses(2).await.unwrap(), vec![updated]);
    // Someone else's materials, or a status the server does not know: refused, not stored.
    assert!(matches!(
        client.user_materials(1, None).await,
        Err(ApiError::Forbidden { .. })
    ));
    assert!(matches!(
        client.save_material_status(None, 2, slm, 7).await,
        Err(ApiError::BadRequest { .. })
    ));
    assert_eq!(client.material_statuses(2).await.unwrap().len(), 1);
}

/// The Materials tab (`4`), driven through `update` with real effects: it loads the next 60
/// days, `x` moves the selected session material's status on at once and the server keeps it
/// (`material-list-item.gjs` shows the new state while it saves), `a` asks for all materials,
/// and a text filter that matches nothing says so. An answer for an older request is dropped.
#[tokio::test]
async fn the_materials_tab_loads_keeps_a_status_and_switches_range() {
    use common::headless::Headless;
    use crossterm::event::KeyCode;
    use ilios_tui::app::{Answer, Stamp};
    use ilios_tui::domain::materials::{MaterialStatus, Range};

    let mut h = Headless::start(Persona::Student).await;
    h.until("the user and the config", |a| {
        a.user.ready().is_some() && a.app_config.ready().is_some()
    })
    .await;
    h.char('4');
    h.until("the materials", |a| a.materials.rows.ready().is_some())
        .await;
    let next60 = h.app.materials.shown().len();
    assert!(next60 > 0);
    let screen = h.screen(80, 24);
    assert!(screen.contains("[Next 60 days]"), "{screen}");
    assert!(screen.contains("4 Materials"), "{screen}");

    // Select the first session material and move its status on.
    while h
        .app
        .materials
        .selected_row()
        .unwrap()
        .session_learning_material
        .is_none()
    {
        h.char('j');
    }
    let row = h.app.materials.selected_row().unwrap().clone();
    let material = row.session_learning_material.unwrap();
    let before = h.app.material_statuses.of(material).unwrap();
    h.char('x');
    assert_eq!(
        h.app.material_statuses.of(material),
        Some(before.next()),
        "shown at once"
    );
    h.until("the record stored", |a| {
        a.material_statuses
            .shown()
            .and_then(|s| s.record_of(material))
            .is_some()
    })
    .await;
    let user = h.app.session.as_ref().unwrap().user_id;
    let token = h.server.token_for(Persona::Student);
    let stored: Value = reqwest::Client::new()
        .get(format!(
            "{}/api/v3/usersessionmaterialstatuses?filters[user]={user}",
            h.server.url()
        ))
        .header(H, format!("Token {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let records = stored["userSessionMaterialStatuses"].as_array().unwrap();
    assert!(
        records.iter().any(
            |r| r["material"].to_string().trim_matches('"') == material.to_string()
                && r["status"] == before.next().wire()
        ),
        "{stored}"
    );
    assert_eq!(before, MaterialStatus::NotStarted);

    // An answer for an older request changes nothing.
    let seq = h.app.materials.seq;
    let stamp = Stamp {
        generation: h.app.generation,
        epoch: h.app.token_epoch,
    };
    h.act(Action::Answer {
        stamp,
        answer: Answer::Materials {
            seq: seq - 1,
            result: Ok(ilios_tui::app::panes::materials::MaterialsAnswer {
                materials: Vec::new(),
                statuses: None,
            }),
        },
    });
    assert_eq!(h.app.materials.shown().len(), next60);

    h.char('a');
    assert_eq!(h.app.materials.range, Range::All);
    // Drawn while the new range loads (the old rows' indices must not be used).
    let screen = h.screen(80, 24);
    assert!(screen.contains("[All Materials]"), "{screen}");
    h.until("all materials", |a| a.materials.rows.ready().is_some())
        .await;
    assert!(h.app.materials.shown().len() > next60);

    h.char('/');
    for c in "no such material anywhere".chars() {
        h.char(c);
    }
    h.key(KeyCode::Enter);
    assert!(!h.app.materials.filtering);
    assert_eq!(h.app.materials.shown().len(), 0);
    let screen = h.screen(80, 24);
    assert!(screen.contains("No results found"), "{screen}");
    // Typing ended: keys are commands again.
    h.char('1');
    assert_eq!(h.app.pane, ilios_tui::app::state::Pane::Dashboard);
}

/// "Copy My ICS Link" (`components/ics-feed.gjs`: `{origin}/ics/{user.icsFeedKey}`): `L`
/// copies the address, shows it alone so it can also be selected by hand, says where the copy
/// went, and any key goes back.
#[tokio::test]
async fn l_copies_the_ics_link_and_shows_it_alone() {
    use common::headless::Headless;

    let mut h = Headless::start(Persona::Student).await;
    h.until("the user", |a| a.user.ready().is_some()).await;
    let key = h.app.user.ready().unwrap().ics_feed_key.clone().unwrap();
    h.char('L');
    let plain = h.app.plain.clone().expect("the link is shown alone");
    assert_eq!(
        plain.text,
        format!("{}/ics/{key}", h.server.url().trim_end_matches('/'))
    );
    h.until("the copy", |a| a.flash.is_some()).await;
    let footer = &h.app.plain.as_ref().unwrap().footer;
    assert!(
        footer.starts_with("ICS link ") && footer.ends_with("Any key goes back."),
        "{footer}"
    );
    assert!(!footer.to_lowercase().contains("success"), "{footer}");
    h.char('x');
    assert!(h.app.plain.is_none());
    assert!(h.screen(80, 24).contains("Week at a Glance"));
}

/// Another session never sees the materials of the one before (nor can it send their status
/// record ids): logging out and signing in again starts the pane afresh.
#[tokio::test]
async fn materials_are_forgotten_when_the_session_changes() {
    use common::headless::Headless;
    use ilios_tui::api::Token;
    use ilios_tui::app::state::Session;
    use ilios_tui::config::TokenSource;

    let mut h = Headless::start(Persona::Student).await;
    h.until("the user and config", |a| {
        a.user.ready().is_some() && a.app_config.ready().is_some()
    })
    .await;
    h.char('4');
    h.until("the materials", |a| a.materials.rows.ready().is_some())
        .await;
    assert!(!h.app.materials.shown().is_empty());
    // x twice before the first answer: one write only (no duplicate record).
    while h
        .app
        .materials
        .selected_row()
        .unwrap()
        .session_learning_material
        .is_none()
    {
        h.char('j');
    }
    let mut fx = ilios_tui::app::update(&mut h.app, Action::Key(key('x')));
    fx.extend(ilios_tui::app::update(&mut h.app, Action::Key(key('x'))));
    let writes = fx
        .iter()
        .filter(|e| format!("{e:?}").starts_with("SaveMaterialStatus"))
        .count();
    assert_eq!(writes, 1, "{fx:?}");

    let token = Token::new(h.server.token_for(Persona::Nicholas));
    let mut fx = Vec::new();
    ilios_tui::app::update::start_session(
        &mut h.app,
        Session::new(token, TokenSource::Env).unwrap(),
        &mut fx,
    );
    assert!(h.app.materials.rows.ready().is_none());
    assert!(h.app.materials.shown().is_empty());
    assert!(!h.app.materials.requested);
}

fn key(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    )
}

/// Enter on a My Materials row opens its detail (issue #16): a PDF offers the web client's
/// inline form and its download (`learning-material-list-item.gjs`), `j` and `c` copy the
/// download, `x` sends the same status write as the table, Esc closes it.
#[tokio::test]
async fn enter_on_a_row_opens_its_detail() {
    use common::headless::Headless;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ilios_tui::app::dialogs::Dialog;
    use ilios_tui::domain::week::MaterialKind;

    let mut h = Headless::start(Persona::Student).await;
    h.until("the user and the config", |a| {
        a.user.ready().is_some() && a.app_config.ready().is_some()
    })
    .await;
    h.char('4');
    h.until("the materials and statuses", |a| {
        a.materials.rows.ready().is_some() && a.material_statuses.shown().is_some()
    })
    .await;
    while h.app.materials.selected_row().unwrap().kind != Some(MaterialKind::Pdf) {
        h.char('j');
    }
    let row = h.app.materials.selected_row().unwrap().clone();
    h.key(KeyCode::Enter);
    let Some(Dialog::MaterialDetail(d)) = &h.app.dialog else {
        panic!("the detail is open: {:?}", h.app.dialog);
    };
    assert_eq!(d.row, row);
    let screen = h.screen(80, 24);
    assert!(screen.contains("Kind: PDF file"), "{screen}");
    assert!(
        screen.contains("Open:") && screen.contains("?inline"),
        "{screen}"
    );
    assert!(screen.contains("Download:"), "{screen}");
    assert!(screen.contains("Status: ☐ Not Started"), "{screen}");

    let press = |c: char| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    ilios_tui::app::update(&mut h.app, press('j'));
    let fx = ilios_tui::app::update(&mut h.app, press('c'));
    assert_eq!(format!("{fx:?}"), "[Copy(link)]");
    let fx = ilios_tui::app::update(&mut h.app, press('x'));
    assert!(
        format!("{fx:?}").starts_with("[SaveMaterialStatus("),
        "{fx:?}"
    );
    h.run(fx);
    let material = row.session_learning_material.unwrap();
    h.until("the status saved", |a| {
        !a.material_statuses.is_saving(material)
    })
    .await;
    assert!(h.screen(80, 24).contains("Status: ⊟ In Progress"));
    h.key(KeyCode::Esc);
    assert!(h.app.dialog.is_none());
}
