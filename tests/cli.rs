//! The headless commands, run as processes against the embedded server.

mod common;

use std::process::Stdio;

use chrono::{Days, Duration, TimeZone, Utc};
use ilios_tui::api::Claims;
use ilios_tui::demo::{DemoServer, Persona, TokenSpec};

use common::cli::{run, run_async};

async fn server() -> DemoServer {
    DemoServer::start(common::demo_options()).await.unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn whoami_text_and_json() {
    let s = server().await;
    let token = s.token_for(Persona::Nicholas);
    let r = run_async(args(&["--url", &s.url(), "whoami"]), Some(token.clone())).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Name:     Nicholas A. Gutierrez"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("User id:  {}", Persona::Nicholas.user_id()))
    );
    assert!(
        !r.stdout.contains('\x1b'),
        "no escape codes when not a terminal"
    );
    // Options work after the command too.
    let r = run_async(args(&["whoami", "--json", "--url", &s.url()]), Some(token)).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["name"], "Nicholas A. Gutierrez");
    assert_eq!(v["userId"], Persona::Nicholas.user_id());
    assert_eq!(v["tokenSource"], "ILIOS_TOKEN");
    assert!(v["expiresAt"].as_str().unwrap().ends_with("+00:00"));
}

#[tokio::test]
async fn no_token_is_exit_3() {
    let s = server().await;
    let r = run_async(args(&["--url", &s.url(), "whoami"]), None).await;
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("ilios-tui login"), "{}", r.stderr);
}

#[tokio::test]
async fn expired_token_is_exit_3_with_the_servers_reason() {
    let s = server().await;
    let now = s.clock().now().timestamp();
    let expired = s.mint_token(TokenSpec {
        user_id: Persona::Student.user_id(),
        iat: now - 7200,
        exp: now - 60,
        first_created_at: now - 7200,
        refresh_count: 0,
    });
    let r = run_async(args(&["--url", &s.url(), "whoami"]), Some(expired.clone())).await;
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("Expired token"), "{}", r.stderr);
    // No part of the expired token but the header every token shares: not its payload, not
    // its signature, nor a piece of either.
    let parts: Vec<&str> = expired.split('.').collect();
    assert_eq!(parts.len(), 3);
    for (part, what) in [(parts[1], "payload"), (parts[2], "signature")] {
        for piece in [part, &part[..16], &part[part.len() - 16..]] {
            for (text, stream) in [(&r.stdout, "stdout"), (&r.stderr, "stderr")] {
                assert!(
                    !text.contains(piece),
                    "the expired token's {what} ({piece}) is on {stream}: {text}"
                );
            }
        }
    }
}

#[tokio::test]
async fn server_down_is_exit_5() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let r = run_async(args(&["--url", &url, "whoami"]), Some("a.b.c".into())).await;
    // A token that cannot be decoded is refused before any request.
    assert_eq!(r.code, 3, "{}", r.stderr);
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let r = run_async(args(&["--url", &url, "whoami"]), Some(token)).await;
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("could not reach"), "{}", r.stderr);
}

#[tokio::test]
async fn token_create_prints_one_line_and_the_ceiling_is_exit_4() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let r = run_async(
        args(&["--url", &s.url(), "token", "create", "--ttl", "P2D"]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches('\n').count(),
        1,
        "exactly one line: {:?}",
        r.stdout
    );
    let new = r.stdout.trim_end_matches('\n');
    assert_eq!(new.split('.').count(), 3);
    assert!(r.stderr.contains("expires"), "{}", r.stderr);
    // The new token works.
    let r2 = run_async(args(&["--url", &s.url(), "whoami"]), Some(new.to_string())).await;
    assert_eq!(r2.code, 0, "{}", r2.stderr);

    let r = run_async(
        args(&["--url", &s.url(), "token", "create", "--ttl", "P120D"]),
        Some(token),
    )
    .await;
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Invalid TTL value, maximum expiration date is"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

/// `--expires` outside today .. today + 90 days (cut to the session's 90-day chain) is a usage
/// error, exit 2, naming the allowed range; nothing is asked of the server. The last allowed
/// date works.
#[tokio::test]
async fn token_create_expires_outside_the_allowed_range_is_exit_2() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let clock = s.clock();
    let today = clock.today();
    // The chain began when this token was made: the last date whose 23:59:59 (local) is within
    // 90 days of that, and never later than today + 90.
    let cap = Claims::decode(&token).unwrap().first_created().unwrap() + Duration::days(90);
    let zone = clock.zone();
    let last = (0..=90)
        .rev()
        .map(|d| today + Days::new(d))
        .find(|d| {
            zone.from_local_datetime(&d.and_hms_opt(23, 59, 59).unwrap())
                .earliest()
                .is_some_and(|end| end.with_timezone(&Utc) <= cap)
        })
        .unwrap();
    assert!(last >= today + Days::new(89), "{last}");
    let range = format!("({today} to {last})");
    for date in [
        today - Days::new(1),
        today - Days::new(400),
        last + Days::new(1),
        today + Days::new(91),
        today + Days::new(400),
    ] {
        s.clear_request_log();
        let date = date.to_string();
        let r = run_async(
            args(&["--url", &s.url(), "token", "create", "--expires", &date]),
            Some(token.clone()),
        )
        .await;
        assert_eq!(r.code, 2, "{date}: {}", r.stderr);
        assert!(
            r.stderr.contains(&date) && r.stderr.contains(&range),
            "{date}: the message should name the date and {range}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(
            !s.request_log()
                .iter()
                .any(|q| q.path_and_query.starts_with("/auth/token")),
            "{date}: {:?}",
            s.request_log()
        );
    }
    let r = run_async(
        args(&[
            "--url",
            &s.url(),
            "token",
            "create",
            "--expires",
            &last.to_string(),
        ]),
        Some(token),
    )
    .await;
    assert_eq!(r.code, 0, "{last}: {}", r.stderr);
    let made = Claims::decode(r.stdout.trim()).unwrap();
    let expires = made.expires_at().unwrap().with_timezone(&zone);
    assert_eq!(expires.date_naive(), last, "{expires}");
}

#[tokio::test]
async fn token_invalidate_needs_yes_without_a_terminal_then_swaps_tokens() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let r = run_async(
        args(&["--url", &s.url(), "token", "invalidate"]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    // Same-second tokens survive invalidation in Ilios; step past the token's second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let r = run_async(
        args(&[
            "--url",
            &s.url(),
            "token",
            "invalidate",
            "--yes",
            "--print-new-token",
        ]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("All existing tokens were successfully invalidated")
    );
    let fresh = r.stdout.trim().to_string();
    let old = run_async(args(&["--url", &s.url(), "whoami"]), Some(token)).await;
    assert_eq!(old.code, 3, "{}", old.stderr);
    assert!(old.stderr.contains("Not issued after"), "{}", old.stderr);
    let new = run_async(args(&["--url", &s.url(), "whoami"]), Some(fresh)).await;
    assert_eq!(new.code, 0, "{}", new.stderr);
}

#[tokio::test]
async fn usage_errors_are_exit_2() {
    let r = run_async(args(&["whoami", "--bogus"]), None).await;
    assert_eq!(r.code, 2);
    let r = run_async(args(&["whoami"]), None).await;
    assert_eq!(r.code, 2, "no server: {}", r.stderr);
    assert!(r.stderr.contains("--url"), "{}", r.stderr);
}

#[tokio::test]
async fn login_with_token_stores_a_private_session_and_logout_forgets_it() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let (dir, home) = common::private_home();
    let url = s.url();
    let stored = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = common::command()
            .args(["--url", &url, "login", "--with-token"])
            .envs(home.iter().map(|(k, v)| (k, v)))
            .env_remove("ILIOS_TOKEN")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(token.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let who = run(&["--url", &url, "whoami"], None, &home);
        assert_eq!(who.code, 0, "the stored session is used: {}", who.stderr);
        assert!(who.stdout.contains("stored session"), "{}", who.stdout);
        let out = run(&["--url", &url, "logout"], None, &home);
        assert_eq!(out.code, 0, "{}", out.stderr);
        run(&["--url", &url, "whoami"], None, &home).code
    })
    .await
    .unwrap();
    assert_eq!(stored, 3, "after logout there is no session");
    drop(dir);
}

#[tokio::test]
async fn profile_text_and_json_for_both_personas() {
    let s = server().await;
    let r = run_async(
        args(&["--url", &s.url(), "profile"]),
        Some(s.token_for(Persona::Nicholas)),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "Nicholas A. Gutierrez",
        "  Root: Yes",
        "  Performs Non-Learner Functions: Yes",
        "  Learner: No",
        "  Primary Cohort: Unassigned",
        "Learner Groups\n  None",
    ] {
        assert!(r.stdout.contains(line), "{line:?} in\n{}", r.stdout);
    }
    let r = run_async(
        args(&["--url", &s.url(), "profile", "--json"]),
        Some(s.token_for(Persona::Student)),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["name"], "Walter Stephanie Powell");
    assert_eq!(v["studentMarker"], "Student");
    assert_eq!(v["roles"]["status"], "ready");
    assert_eq!(v["roles"]["value"]["student"], true);
    assert_eq!(v["school"]["value"]["primaryCohort"], "Class of 2028");
}

#[tokio::test]
async fn week_text_and_json_for_a_given_date() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let today = s.clock().today();
    let date = today.to_string();
    let r = run_async(
        args(&["--url", &s.url(), "week", "--date", &date]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .next()
            .unwrap()
            .ends_with(" Week at a Glance"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Cutting Edge Geroscience"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Due By"), "an ILM: {}", r.stdout);
    assert!(
        !r.stdout.contains("Palliative Pharmacology"),
        "unpublished events are hidden"
    );
    assert!(!r.stdout.contains("Scheduled"), "TBD events are hidden");
    let r = run_async(
        args(&["--url", &s.url(), "week", "--date", &date, "--json"]),
        Some(token),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let first =
        chrono::NaiveDate::parse_from_str(v["firstDay"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(first <= today && today < first + chrono::Duration::days(7));
    let events: Vec<&serde_json::Value> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["events"].as_array().unwrap())
        .collect();
    assert!(events.iter().any(|e| e["ilm"] == true));
    let hospice = events
        .iter()
        .filter(|e| e["name"] == "Hospice Immersion Experience")
        .count();
    assert_eq!(hospice, 1, "the multi-day event appears once");
}

/// Over real HTTP: `week` prints what the glance shows (ilios/frontend
/// `packages/ilios-common/addon/components/week-glance-event.gjs`: the description cut at 50
/// characters when 250 or longer; `week-glance/learning-material-list-item.gjs`: `- {publicNotes}`
/// and a PDF's title linked to `<uri>?inline` with a separate Download link, as
/// `packages/test-app/tests/integration/components/week-glance-event-test.gjs` "it renders with
/// some stuff" asserts), and `--json` carries public notes, the pre-work published flag and
/// both PDF links.
#[tokio::test]
async fn week_shows_descriptions_public_notes_and_pdf_links() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let date = s.clock().today().to_string();
    let r = run_async(
        args(&["--url", &s.url(), "week", "--date", &date]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(
        out.contains("    Geroscience asks why age is the dominant risk fact…\n"),
        "{out}"
    );
    assert!(out.contains("- Bring a copy to class."), "{out}");
    let inline = out
        .lines()
        .find(|l| l.trim_end().ends_with("?inline"))
        .expect(out);
    let file = inline.trim().trim_end_matches("?inline");
    assert!(out.contains(&format!("Download: {file}")), "{out}");

    let r = run_async(
        args(&["--url", &s.url(), "week", "--date", &date, "--json"]),
        Some(token),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let events: Vec<&serde_json::Value> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["events"].as_array().unwrap())
        .collect();
    let gero = events
        .iter()
        .find(|e| e["name"] == "Cutting Edge Geroscience")
        .unwrap();
    let slides = &gero["materials"][0];
    assert_eq!(slides["publicNotes"], "Bring a copy to class.");
    let uri = slides["uri"].as_str().unwrap();
    let download = slides["downloadUri"].as_str().unwrap();
    assert_eq!(uri, format!("{download}?inline"));
    for e in &events {
        for p in e["prework"].as_array().unwrap() {
            assert!(p["published"].is_boolean(), "{p}");
        }
    }
}

/// Ilios sends a director or instructor their unpublished and TBD events in full
/// (`src/RelationshipVoter/UserEvent.php`); `week` lists neither, as the web glance does not
/// (`week-glance.gjs`: `isPublished && !isScheduled`).
#[tokio::test]
async fn week_hides_the_unpublished_and_tbd_events_the_server_sends_a_director() {
    use ilios_tui::domain::week::{Week, WeekStart};
    let s = server().await;
    let token = s.token_for(Persona::Nicholas);
    let today = s.clock().today();
    let client = ilios_tui::api::Client::new(&s.url(), Default::default())
        .unwrap()
        .with_token(ilios_tui::api::Token::new(token.clone()));
    let (from, to) = Week::containing(today, WeekStart::Sunday).unix_range(&s.clock().zone());
    let sent = client
        .user_events(Persona::Nicholas.user_id(), from, to)
        .await
        .unwrap();
    assert!(
        sent.iter()
            .any(|e| e.name == "Palliative Pharmacology" && !e.is_published)
    );
    assert!(
        sent.iter()
            .any(|e| e.name == "Geriatrics Grand Rounds" && e.is_scheduled)
    );
    let (url, date) = (s.url(), today.to_string());
    for json in [false, true] {
        let mut list = vec!["--url", &url, "week", "--date", &date];
        if json {
            list.push("--json");
        }
        let r = run_async(args(&list), Some(token.clone())).await;
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("Cutting Edge Geroscience"),
            "{}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("Palliative Pharmacology"),
            "{}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("Geriatrics Grand Rounds"),
            "{}",
            r.stdout
        );
    }
}

/// A malformed `--ttl` is a usage error found before any request (the server would answer 500).
#[tokio::test]
async fn a_malformed_ttl_is_exit_2_before_any_request() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    for ttl in ["bogus", "14d", "P1.5D", "PT"] {
        s.clear_request_log();
        let r = run_async(
            args(&["--url", &s.url(), "token", "create", "--ttl", ttl]),
            Some(token.clone()),
        )
        .await;
        assert_eq!(r.code, 2, "{ttl}: {}", r.stderr);
        assert!(
            r.stderr.contains("is not an ISO-8601 duration like P14D"),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
        assert!(
            s.request_log()
                .iter()
                .all(|q| !q.path_and_query.starts_with("/auth/token")),
            "{ttl} was sent"
        );
    }
}

/// Completion scripts and the manual page come from the one command definition, with no server.
#[test]
fn completions_and_the_manual_page_need_no_server() {
    let (_dir, home) = common::private_home();
    for (shell, mark) in [
        ("bash", "complete -F _ilios__tui"),
        ("zsh", "#compdef ilios-tui"),
        ("fish", "complete -c ilios-tui"),
        ("elvish", "edit:completion:arg-completer[ilios-tui]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let r = run(&["completions", shell], None, &home);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains(mark), "{shell}: {}", r.stdout);
        assert!(
            r.stdout.contains("whoami"),
            "{shell} completes the commands"
        );
    }
    let r = run(&["man"], None, &home);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".TH ilios-tui 1"), "{}", r.stdout);
    assert!(r.stdout.contains("token"), "the manual lists the commands");
    let help = run(&["--help"], None, &home);
    assert!(help.stdout.contains("completions") && help.stdout.contains("man"));
}

/// `calendar` (My Schedule) after the web client's rules (`components/dashboard/calendar.gjs`,
/// `ilios-calendar*.gjs`): the ILM that is pre-work ("Advance Care Planning Readings") is left
/// out while its workshop is marked as having pre-work, the multi-day event is flagged and listed
/// apart, a TBD event stays with its "Scheduled" mark, and the view's span is exact.
#[tokio::test]
async fn calendar_week_and_month_as_text_and_json() {
    let s = server().await;
    let token = s.token_for(Persona::Student);
    let date = s.clock().today().to_string();
    let r = run_async(
        args(&["--url", &s.url(), "calendar", "--date", &date, "--json"]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["view"], "week");
    assert_eq!(v["source"], "mySchedule");
    assert_eq!(v["schoolId"], serde_json::Value::Null);
    let first =
        chrono::NaiveDate::parse_from_str(v["firstDay"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let last =
        chrono::NaiveDate::parse_from_str(v["lastDay"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(last - first, Duration::days(6));
    let events = v["events"].as_array().unwrap();
    let named = |name: &str| events.iter().find(|e| e["name"] == name);
    assert!(
        named("Advance Care Planning Readings").is_none(),
        "ILM pre-work is left out"
    );
    assert_eq!(
        named("Advance Care Planning Workshop").unwrap()["prework"],
        true
    );
    assert_eq!(
        named("Hospice Immersion Experience").unwrap()["multiday"],
        true
    );
    assert!(
        events.iter().any(|e| e["scheduled"] == true),
        "TBD events stay, marked: {events:?}"
    );
    assert!(events.iter().any(|e| e["ilm"] == true));
    for e in events {
        let start = chrono::DateTime::parse_from_rfc3339(e["start"].as_str().unwrap()).unwrap();
        let end = chrono::DateTime::parse_from_rfc3339(e["end"].as_str().unwrap()).unwrap();
        assert!(
            start.date_naive() <= last && end.date_naive() >= first,
            "{e}"
        );
    }

    let r = run_async(
        args(&["--url", &s.url(), "calendar", "--date", &date]),
        Some(token.clone()),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Week of "), "{}", r.stdout);
    assert!(r.stdout.contains("ILM - Due: "), "{}", r.stdout);
    let (grid, multiday) = r.stdout.split_once("\nMultiday Events\n").unwrap();
    assert!(
        !grid.contains("Hospice Immersion Experience"),
        "{}",
        r.stdout
    );
    assert!(
        multiday.contains("Hospice Immersion Experience"),
        "{}",
        r.stdout
    );

    let r = run_async(
        args(&[
            "--url",
            &s.url(),
            "calendar",
            "--view",
            "month",
            "--date",
            &date,
            "--json",
        ]),
        Some(token),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["firstDay"].as_str().unwrap().ends_with("-01"),
        "{}",
        v["firstDay"]
    );
    assert!(v["events"].as_array().unwrap().len() > events.len());

    let r = run_async(args(&["calendar", "--view", "year"]), None).await;
    assert_eq!(r.code, 2, "a usage error: {}", r.stderr);
}
