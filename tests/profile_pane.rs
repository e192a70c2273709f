//! My Profile against the embedded server, both personas: what the pane shows once every part
//! has arrived (at 120x40 and 80x24, scrolled), the school/year switch, and the round trips
//! (the user record, then one wave of related requests).

mod common;

use std::time::Duration;

use chrono::Datelike;

use common::headless::Headless;
use crossterm::event::KeyCode;
use ilios_tui::app::state::Pane;
use ilios_tui::demo::{DemoOptions, LoggedRequest, Persona};
use ilios_tui::domain::profile::related_requests;

/// The screen as plain rows (the TestBackend quotes each row).
fn screen(h: &mut Headless, w: u16, rows: u16) -> String {
    h.rows(w, rows)
}

/// Signs in, opens pane 3 and waits until no part of the profile is loading.
async fn profile(persona: Persona) -> Headless {
    profile_with(persona, common::demo_options()).await
}

async fn profile_with(persona: Persona, options: DemoOptions) -> Headless {
    let mut h = Headless::start_with(persona, options).await;
    h.char('3');
    assert_eq!(h.app.pane, Pane::Profile);
    h.until("every part of the profile", |a| {
        a.profile.data.as_ref().is_some_and(|d| d.is_complete())
    })
    .await;
    h
}

/// Every row the pane shows while scrolling from the top to the bottom with `j`.
fn whole_page(h: &mut Headless, w: u16, rows: u16) -> String {
    h.key(KeyCode::Home);
    let mut out = screen(h, w, rows);
    loop {
        let before = h.app.profile.pane.scroll;
        h.char('j');
        if h.app.profile.pane.scroll == before {
            break;
        }
        out.push_str(&screen(h, w, rows));
    }
    out
}

fn assert_has(screen: &str, what: &str) {
    assert!(
        screen.contains(what),
        "{what:?} is not on screen:\n{screen}"
    );
}

/// The screen row holding `label`, trimmed of the borders.
fn row_with<'a>(screen: &'a str, label: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no row with {label:?}:\n{screen}"))
}

/// The row under the pane's heading `name` (not the header bar's name).
fn row_under_heading<'a>(screen: &'a str, name: &str) -> &'a str {
    screen
        .lines()
        .skip_while(|l| !l.contains(name) || l.contains("ilios-tui"))
        .nth(1)
        .unwrap_or_else(|| panic!("no heading {name:?}:\n{screen}"))
}

/// A row without its padding and box sides.
fn trimmed(row: &str) -> &str {
    row.trim().trim_matches('│').trim()
}

fn assert_row(screen: &str, label: &str, value: &str) {
    let row = row_with(screen, label);
    let after = &row[row.find(label).unwrap() + label.len()..];
    assert!(
        after.trim_start().starts_with(value),
        "{label:?} should read {value:?}: {row:?}"
    );
}

#[tokio::test]
async fn nicholas_profile_at_120x40() {
    let mut h = profile(Persona::Nicholas).await;
    let s = screen(&mut h, 120, 40);
    assert_has(&s, "Nicholas A. Gutierrez");
    // The boxes start right under the heading: no Student marker row between them.
    let under = row_under_heading(&s, "Nicholas A. Gutierrez");
    assert!(under.contains("╭ Roles"), "{under:?}\n{s}");
    assert!(
        s.lines().all(|l| trimmed(l) != "Student"),
        "no Student marker for Nicholas:\n{s}"
    );
    assert_row(&s, "Root:", "Yes");
    assert_row(&s, "Performs Non-Learner Functions:", "Yes");
    assert_row(&s, "Learner:", "No");
    assert_row(&s, "Primary School:", "Medicine");
    assert_row(&s, "Primary Cohort:", "Unassigned");
    assert_row(&s, "Secondary Cohorts:", "Unassigned");
    h.char('G');
    let bottom = screen(&mut h, 120, 40);
    let groups = bottom
        .lines()
        .skip_while(|l| !l.contains("╭ Learner Groups"))
        .nth(1)
        .unwrap_or_else(|| panic!("no Learner Groups box:\n{bottom}"));
    assert_eq!(
        groups.trim_matches(|c| c == '│' || c == ' '),
        "None",
        "{bottom}"
    );
}

#[tokio::test]
async fn nicholas_profile_at_80x24_scrolled() {
    let mut h = profile(Persona::Nicholas).await;
    let top = screen(&mut h, 80, 24);
    assert_has(&top, "Nicholas A. Gutierrez");
    assert_row(&top, "Performs Non-Learner Functions:", "Yes");
    let page = whole_page(&mut h, 80, 24);
    assert_row(&page, "Root:", "Yes");
    assert_row(&page, "Learner:", "No");
    assert_row(&page, "Primary School:", "Medicine");
    assert_row(&page, "Primary Cohort:", "Unassigned");
    assert_has(&page, "Learner Groups");
    assert_has(&page, "Manage API Tokens");
    // PgDn and G reach the bottom; g (Home) the top again.
    h.key(KeyCode::Home);
    h.key(KeyCode::PageDown);
    assert!(h.app.profile.pane.scroll > 0);
    h.char('G');
    let bottom = screen(&mut h, 80, 24);
    assert_eq!(
        h.app.profile.pane.scroll,
        h.app.profile.pane.content_height - h.app.profile.pane.viewport_height
    );
    assert_has(&bottom, "Invalidate");
    h.char('g');
    assert_eq!(h.app.profile.pane.scroll, 0);
}

#[tokio::test]
async fn student_profile_at_120x40() {
    let mut h = profile(Persona::Student).await;
    let s = screen(&mut h, 120, 40);
    assert_has(&s, "Walter Stephanie Powell");
    // The marker under the heading.
    let marker = row_under_heading(&s, "Walter Stephanie Powell");
    assert_eq!(trimmed(marker), "Student", "{s}");
    assert_row(&s, "Student:", "Yes");
    assert_row(&s, "Learner:", "Yes");
    assert_row(&s, "Root:", "No");
    assert_row(&s, "Primary School:", "Medicine");
    assert_row(&s, "Primary Cohort:", "Class of 2028");
    assert_has(&s, "Secondary Cohorts:");
    let secondary = row_with(&s, "Class of 2027 (Bridges)");
    assert!(secondary.contains("Bridges Curriculum"), "{secondary:?}");
    let page = whole_page(&mut h, 120, 40);
    let group = row_with(&page, "Group A1");
    assert!(
        group.contains("Medicine: Doctor of Medicine Class of 2028 — Group A > Group A1"),
        "{group:?}\n{page}"
    );
    let bridges = row_with(&page, "Bridges Small Group 3");
    assert!(
        bridges.contains("Medicine: Bridges Curriculum Class of 2027 (Bridges) — Bridges Small"),
        "{bridges:?}"
    );
}

#[tokio::test]
async fn student_profile_at_80x24_scrolled() {
    let mut h = profile(Persona::Student).await;
    let top = screen(&mut h, 80, 24);
    assert_has(&top, "Walter Stephanie Powell");
    assert_has(&top, "Student");
    let page = whole_page(&mut h, 80, 24);
    assert_row(&page, "Primary Cohort:", "Class of 2028");
    let secondary = row_with(&page, "Class of 2027 (Bridges)");
    assert!(secondary.contains("Bridges Curriculum"), "{secondary:?}");
    assert_has(&page, "Group A > Group A1");
}

/// `s`/`y` change the school and academic year shown in the Permissions box.
#[tokio::test]
async fn s_and_y_switch_the_permissions_school_and_year() {
    let mut h = profile(Persona::Nicholas).await;
    let school_line = |s: &str| row_with(s, " [s/S]").to_string();
    let s = screen(&mut h, 120, 40);
    let first = school_line(&s);
    assert!(first.contains("School: Medicine [s/S]"), "{first}");
    let year_of = |line: &str| {
        let at = line.find("Academic Year: ").unwrap() + "Academic Year: ".len();
        line[at..].split(" [y/Y]").next().unwrap().to_string()
    };
    let year = year_of(&first);
    assert!(!year.is_empty());
    assert_has(&s, "School (Medicine)");

    // Schools cycle by title: Dentistry, Medicine, Nursing, Pharmacy.
    h.char('s');
    let s = screen(&mut h, 120, 40);
    assert!(
        school_line(&s).contains("School: Nursing [s/S]"),
        "{}",
        school_line(&s)
    );
    assert_has(&s, "School (Nursing)");
    h.char('S');
    h.char('S');
    let s = screen(&mut h, 120, 40);
    assert!(school_line(&s).contains("School: Dentistry [s/S]"), "{s}");

    // Back to Medicine, where the user directs courses of two academic years.
    h.char('s');
    let s = screen(&mut h, 120, 40);
    assert!(school_line(&s).contains("School: Medicine [s/S]"), "{s}");
    let this_year = h.server.clock().today().year();
    assert_eq!(year, this_year.to_string(), "{s}");
    let this_years = permissions_box(&s);
    assert_has(&this_years, "Courses (4)");
    assert_has(&this_years, &format!("{this_year} Aging and End of Life"));
    assert!(!this_years.contains("Clinical Reasoning"), "{this_years}");

    // y goes to the older year: another label, other courses and counts.
    h.char('y');
    let s = screen(&mut h, 120, 40);
    let last_year = this_year - 1;
    assert_eq!(year_of(&school_line(&s)), last_year.to_string(), "{s}");
    let last_years = permissions_box(&s);
    assert_has(&last_years, "Courses (2)");
    assert_has(&last_years, "Sessions (0)");
    assert_has(
        &last_years,
        &format!("{last_year} Introduction to Clinical Reasoning"),
    );
    assert!(
        !last_years.contains("Aging and End of Life"),
        "{last_years}"
    );
    // Two years: y wraps back to this one, and Y goes back and forth too.
    h.char('y');
    assert_eq!(permissions_box(&screen(&mut h, 120, 40)), this_years);
    h.char('Y');
    assert_eq!(permissions_box(&screen(&mut h, 120, 40)), last_years);
    h.char('Y');
    let s = screen(&mut h, 120, 40);
    assert_eq!(year_of(&school_line(&s)), year);
    assert_eq!(permissions_box(&s), this_years);
}

/// The Permissions box's rows on screen (not the status bar under them).
fn permissions_box(screen: &str) -> String {
    let rows: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("╭ Permissions"))
        .take_while(|l| l.starts_with(['╭', '│', '╰']))
        .collect();
    assert!(!rows.is_empty(), "no Permissions box:\n{screen}");
    rows.join("\n")
}

fn is_wave(r: &LoggedRequest) -> bool {
    const RELATED: [&str; 9] = [
        "userroles",
        "schools",
        "academicyears",
        "programs",
        "programyears",
        "cohorts",
        "learnergroups",
        "courses",
        "sessions",
    ];
    let path = r.path_and_query.split('?').next().unwrap();
    RELATED
        .iter()
        .any(|res| path == format!("/api/v3/{res}").as_str())
}

/// Every answer takes 300 ms, so requests sent one after another could not overlap.
async fn assert_one_wave(persona: Persona) {
    let latency = Duration::from_millis(300);
    let h = profile_with(
        persona,
        DemoOptions {
            latency,
            ..common::demo_options()
        },
    )
    .await;
    let log = h.server.request_log();
    let user_path = format!("/api/v3/users/{}", persona.user_id());
    let users: Vec<&LoggedRequest> = log
        .iter()
        .filter(|r| r.path_and_query == user_path)
        .collect();
    assert_eq!(users.len(), 1, "one user request: {log:#?}");
    let user = users[0];
    let wave: Vec<&LoggedRequest> = log.iter().filter(|r| is_wave(r)).collect();
    let expected = related_requests(h.app.user.ready().unwrap()).len();
    assert_eq!(wave.len(), expected, "{wave:#?}");
    assert!(wave.iter().all(|r| r.status == 200), "{wave:#?}");
    for r in &wave {
        assert!(
            r.started >= user.finished,
            "{} started before the user request finished",
            r.path_and_query
        );
    }
    // One wave: every request of it had started before the first of them finished.
    let first_finished = wave.iter().map(|r| r.finished).min().unwrap();
    let last_started = wave.iter().map(|r| r.started).max().unwrap();
    assert!(
        last_started <= first_finished,
        "a related request started {:?} after another had finished: {wave:#?}",
        last_started - first_finished
    );
}

#[tokio::test]
async fn nicholas_profile_is_the_user_then_one_wave() {
    assert_one_wave(Persona::Nicholas).await;
}

#[tokio::test]
async fn student_profile_is_the_user_then_one_wave() {
    assert_one_wave(Persona::Student).await;
}

/// Nothing more is asked for when the profile is shown again.
#[tokio::test]
async fn coming_back_to_the_profile_asks_for_nothing() {
    let mut h = profile(Persona::Student).await;
    h.settle(Duration::from_millis(200)).await;
    h.server.clear_request_log();
    h.char('1');
    h.char('3');
    h.settle(Duration::from_millis(200)).await;
    let log = h.server.request_log();
    assert!(log.iter().all(|r| !is_wave(r)), "{log:#?}");
    assert_has(&screen(&mut h, 80, 24), "Walter Stephanie Powell");
}

/// `s` and `y` switch what the Permissions box shows: when the box is off screen (at the top of
/// the page at 80x24) they bring it into view, so the change is seen.
#[tokio::test]
async fn s_and_y_bring_the_permissions_box_into_view() {
    for key in ['y', 's'] {
        let mut h = profile(Persona::Nicholas).await;
        h.key(KeyCode::Home);
        let top = screen(&mut h, 80, 24);
        assert!(
            !top.contains("Permissions"),
            "the box starts off screen:\n{top}"
        );
        h.char(key);
        let after = screen(&mut h, 80, 24);
        assert!(
            after.contains("╭ Permissions"),
            "{key}: the box is not in view:\n{after}"
        );
        // Once in view, switching again does not move the page.
        let scroll = h.app.profile.pane.scroll;
        h.char(key);
        screen(&mut h, 80, 24);
        assert_eq!(h.app.profile.pane.scroll, scroll);
    }
}

/// Larry West (demo user 3) teaches Cutting Edge Geroscience himself and instructs learner group
/// "Group A", whose offerings include sessions he does not teach himself (Frontiers In Medicine,
/// the panel, ...). ilios/frontend `packages/ilios-common/addon/models/user.js`
/// (`allInstructedSessions`, `allInstructedCourses`: the offerings of `instructedLearnerGroups`
/// count) and `packages/test-app/tests/unit/models/user-test.js` "allInstructedSessions gets ALL
/// instructed sessions" (session5, through a learner group's offering) and "allInstructedCourses
/// gets ALL instructed courses": Permissions lists them, over real HTTP, after a chain of
/// learnergroups → offerings → sessions and courses that only such a user sends.
#[tokio::test]
async fn sessions_taught_through_a_learner_group_count_in_permissions() {
    use futures::StreamExt;
    use ilios_tui::api::profile::fetch_profile_parts;
    use ilios_tui::demo::{DemoServer, TokenSpec};
    use ilios_tui::domain::profile::{ProfileData, permissions_for, resolve_school, resolve_year};

    const LARRY: u64 = 3;
    let s = DemoServer::start(common::demo_options()).await.unwrap();
    let now = s.clock().now().timestamp();
    let token = s.mint_token(TokenSpec {
        user_id: LARRY,
        iat: now,
        exp: now + 3600,
        first_created_at: now,
        refresh_count: 0,
    });
    let client = ilios_tui::api::Client::new(&s.url(), Default::default())
        .unwrap()
        .with_token(ilios_tui::api::Token::new(token));
    let user = client.user(LARRY).await.unwrap();
    assert_eq!(user.instructed_learner_groups, vec![1]);
    let mut data = ProfileData::new(user.clone(), false);
    let mut parts = fetch_profile_parts(&client, &user);
    while let Some((_, part)) = parts.next().await {
        data.receive(&part.query, part.body.map_err(|e| e.to_string()));
    }
    assert!(data.is_complete());
    let today = s.clock().today();
    let school = resolve_school(&data, None);
    let perms = permissions_for(&data, school, resolve_year(&data, None, today));
    let perms = perms.ready().expect("permissions");
    let taught = perms.sessions.instructor.join("\n");
    assert!(taught.contains("» Cutting Edge Geroscience"), "{taught}");
    assert!(
        taught.contains("» Frontiers In Medicine"),
        "taught through Group A: {taught}"
    );
    assert!(perms.sessions.count >= 3, "{perms:#?}");
    assert!(
        perms
            .courses
            .instructor
            .iter()
            .any(|c| c.ends_with("Aging and End of Life")),
        "{perms:#?}"
    );

    // The chain: one learner group request, then its offerings, then sessions and courses.
    let log = s.request_log();
    let sent = |path: &str| log.iter().any(|r| r.path_and_query.starts_with(path));
    assert!(
        sent("/api/v3/learnergroups?filters%5Bid%5D%5B%5D=1")
            || sent("/api/v3/learnergroups?filters[id][]=1"),
        "{log:#?}"
    );
    assert!(sent("/api/v3/offerings?"), "{log:#?}");
}

/// Everyone without instructed learner groups keeps two round trips: no offerings request.
#[tokio::test]
async fn no_learner_group_chain_for_users_who_instruct_no_group() {
    for persona in Persona::all() {
        let h = profile(persona).await;
        assert!(
            h.app
                .user
                .ready()
                .unwrap()
                .instructed_learner_groups
                .is_empty()
        );
        let log = h.server.request_log();
        assert!(
            !log.iter()
                .any(|r| r.path_and_query.starts_with("/api/v3/offerings")),
            "{log:#?}"
        );
    }
}
