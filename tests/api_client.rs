//! The API client against the embedded Ilios-compatible server, over real loopback HTTP:
//! every endpoint and every error path the issue names.

mod common;

use std::time::Duration;

use ilios_tui::api::client::Filters;
use ilios_tui::api::error::ErrorKind;
use ilios_tui::api::models::*;
use ilios_tui::api::{ApiError, Claims, Client, ClientOptions, Token};
use ilios_tui::demo::{DemoServer, Fault, Persona, TokenSpec};

async fn server() -> DemoServer {
    DemoServer::start(common::demo_options())
        .await
        .expect("demo server")
}

fn client(server: &DemoServer, token: Option<String>) -> Client {
    let c = Client::new(&server.url(), ClientOptions::default()).unwrap();
    match token {
        Some(t) => c.with_token(Token::new(t)),
        None => c,
    }
}

fn as_persona(server: &DemoServer, p: Persona) -> Client {
    client(server, Some(server.token_for(p)))
}

#[tokio::test]
async fn application_config_and_login() {
    let s = server().await;
    let c = client(&s, None);
    let config = c.application_config().await.unwrap();
    assert_eq!(config.auth_type, "form");
    assert_eq!(config.api_version.as_deref(), Some("v3.15"));
    assert!(config.has_password_login());

    let token = c
        .login(Persona::Student.username(), Persona::Student.password())
        .await
        .unwrap();
    let claims = Claims::decode(token.expose()).unwrap();
    assert_eq!(claims.user_id().unwrap(), Persona::Student.user_id());
    // Ilios issues PT8H session tokens.
    assert_eq!(claims.exp.unwrap() - claims.iat.unwrap(), 8 * 3600);

    let err = c.login("student", "wrong").await.unwrap_err();
    assert!(matches!(err, ApiError::LoginRefused { .. }), "{err:?}");
    assert_eq!(err.to_string(), "Incorrect username or password.");
    assert_eq!(err.kind(), ErrorKind::NotAuthenticated);
    c.logout().await.unwrap();
}

#[tokio::test]
async fn whoami_and_user_record_from_the_jwt() {
    let s = server().await;
    let c = as_persona(&s, Persona::Nicholas);
    let id = c.whoami().await.unwrap();
    let claims = Claims::decode(c.token().unwrap().expose()).unwrap();
    assert_eq!(claims.user_id().unwrap(), id);
    let user = c.user(id).await.unwrap();
    assert_eq!(
        ilios_tui::domain::names::full_name(&user),
        "Nicholas A. Gutierrez"
    );
    assert!(user.root);
    assert_eq!(user.primary_cohort, None);
    assert!(user.learner_groups.is_empty());
}

#[tokio::test]
async fn lists_by_filters_in_one_request_each() {
    let s = server().await;
    let c = as_persona(&s, Persona::Student);
    let user = c.user(Persona::Student.user_id()).await.unwrap();
    assert!(user.cohorts.len() >= 2);
    s.clear_request_log();
    let cohorts: Vec<Cohort> = c.list(&[("id", &user.cohorts)]).await.unwrap();
    assert_eq!(cohorts.len(), user.cohorts.len());
    let log = s.request_log();
    assert_eq!(log.len(), 1, "one request for all ids: {log:?}");
    assert!(
        log[0].path_and_query.contains("filters"),
        "{}",
        log[0].path_and_query
    );

    let roles: Vec<UserRole> = c.list(&[]).await.unwrap();
    assert!(roles.iter().any(|r| r.title == "Student"));
    let schools: Vec<School> = c.list(&[]).await.unwrap();
    assert!(schools.iter().any(|s| s.title == "Medicine"));
    let program_years: Vec<ProgramYear> = c.list(&[("cohort", &user.cohorts)]).await.unwrap();
    assert_eq!(program_years.len(), user.cohorts.len());
    let programs: Vec<Program> = c.list(&[]).await.unwrap();
    assert!(!programs.is_empty());
    let groups: Vec<LearnerGroup> = c.list(&[("id", &user.learner_groups)]).await.unwrap();
    assert!(
        groups.iter().any(|g| g.parent.is_some()),
        "a nested group: {groups:?}"
    );
    let years: Vec<AcademicYear> = c.list(&[]).await.unwrap();
    assert!(!years.is_empty());
    // An empty id list asks for nothing and sends nothing.
    s.clear_request_log();
    let no_ids: &[u64] = &[];
    let filters: Filters = &[("id", no_ids)];
    let none: Vec<Course> = c.list(filters).await.unwrap();
    assert!(none.is_empty());
    assert!(s.request_log().is_empty());
}

#[tokio::test]
async fn user_events_for_this_week() {
    let s = server().await;
    let c = as_persona(&s, Persona::Student);
    let now = s.clock().now().timestamp();
    let events = c
        .user_events(
            Persona::Student.user_id(),
            now - 7 * 86_400,
            now + 7 * 86_400,
        )
        .await
        .unwrap();
    assert!(!events.is_empty());
    assert!(
        events
            .iter()
            .all(|e| e.start_date.offset().local_minus_utc() == 0)
    );
    assert!(events.iter().any(|e| e.ilm_session.is_some()));
}

#[tokio::test]
async fn a_learner_may_not_see_another_user() {
    let s = server().await;
    let c = as_persona(&s, Persona::Student);
    let err = c.user(Persona::Nicholas.user_id()).await.unwrap_err();
    assert!(matches!(err, ApiError::NotVisible { .. }), "{err:?}");
    let now = s.clock().now().timestamp();
    let err = c
        .user_events(Persona::Nicholas.user_id(), now, now + 86_400)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Forbidden { .. }), "{err:?}");
    // Nicholas performs non-learner functions and may look at the student.
    let n = as_persona(&s, Persona::Nicholas);
    assert!(n.user(Persona::Student.user_id()).await.is_ok());
}

#[tokio::test]
async fn unknown_user_is_not_found() {
    let s = server().await;
    let err = as_persona(&s, Persona::Nicholas)
        .user(999_999)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn expired_token_keeps_the_servers_plain_text_reason() {
    let s = server().await;
    let now = s.clock().now().timestamp();
    let expired = s.mint_token(TokenSpec {
        user_id: Persona::Student.user_id(),
        iat: now - 9 * 3600,
        exp: now - 3600,
        first_created_at: now - 9 * 3600,
        refresh_count: 0,
    });
    let err = client(&s, Some(expired)).whoami().await.unwrap_err();
    match &err {
        ApiError::Unauthorized { reason, .. } => {
            assert_eq!(
                reason,
                "Authentication Failed. Invalid JSON Web Token: Expired token"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::NotAuthenticated);
    // No token at all: Ilios answers JSON {"code":401,"message":"Unauthorized"}.
    let err = client(&s, None).whoami().await.unwrap_err();
    assert!(
        matches!(&err, ApiError::Unauthorized { reason, .. } if reason == "Unauthorized"),
        "{err:?}"
    );
}

#[tokio::test]
async fn create_token_and_its_limits() {
    let s = server().await;
    let c = as_persona(&s, Persona::Nicholas);
    let token = c.create_token("P14DT48M35S").await.unwrap();
    let claims = Claims::decode(token.expose()).unwrap();
    let session = Claims::decode(c.token().unwrap().expose()).unwrap();
    assert_eq!(claims.refresh_count, Some(1));
    assert_eq!(claims.first_created_at, session.first_created_at);
    assert_eq!(
        claims.exp.unwrap() - claims.iat.unwrap(),
        14 * 86_400 + 48 * 60 + 35
    );
    // The new token works on its own.
    assert!(
        client(&s, Some(token.expose().to_string()))
            .whoami()
            .await
            .is_ok()
    );

    // Beyond firstCreatedAt + 90 days: 400 with the Ilios message, verbatim.
    let err = c.create_token("P91D").await.unwrap_err();
    assert!(matches!(err, ApiError::BadRequest { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("Invalid TTL value, maximum expiration date is"),
        "{err}"
    );
    assert_eq!(err.kind(), ErrorKind::Refused);

    // A malformed ttl is a 500 on a real server.
    let err = c.create_token("14d").await.unwrap_err();
    assert!(
        matches!(err, ApiError::Server { status: 500, .. }),
        "{err:?}"
    );

    // The 12th refresh is the last.
    let now = s.clock().now().timestamp();
    let tired = s.mint_token(TokenSpec {
        user_id: Persona::Nicholas.user_id(),
        iat: now,
        exp: now + 3600,
        first_created_at: now,
        refresh_count: 12,
    });
    let err = client(&s, Some(tired))
        .create_token("P1D")
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "Refresh limit 12 exceeded");
}

#[tokio::test]
async fn invalidate_tokens_swaps_the_session() {
    let s = server().await;
    let old = as_persona(&s, Persona::Student);
    let api_token = old.create_token("P1D").await.unwrap();
    // Ilios compares whole seconds: a token issued in the same second survives.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let fresh = old.invalidate_tokens().await.unwrap();
    let err = old.whoami().await.unwrap_err();
    match &err {
        ApiError::Unauthorized { reason, .. } => {
            assert!(reason.contains("Not issued after"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let err = client(&s, Some(api_token.expose().to_string()))
        .whoami()
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    let new = old.with_token(fresh);
    assert_eq!(new.whoami().await.unwrap(), Persona::Student.user_id());
    let claims = Claims::decode(new.token().unwrap().expose()).unwrap();
    assert_eq!(claims.refresh_count, Some(0));
}

#[tokio::test]
async fn malformed_from_to_is_a_bad_request() {
    let s = server().await;
    let c = as_persona(&s, Persona::Student);
    // The client only sends integers; ask the server directly for the edge.
    let url = format!(
        "{}/api/v3/userevents/{}?from=tomorrow&to=1",
        s.url(),
        Persona::Student.user_id()
    );
    let resp = reqwest::Client::new()
        .get(url)
        .header(
            "X-JWT-Authorization",
            format!("Token {}", c.token().unwrap().expose()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(
        body["message"],
        "?from is missing or is not a valid timestamp"
    );
}

#[tokio::test]
async fn faults_become_readable_errors() {
    let s = server().await;
    let options = ClientOptions {
        request_timeout: Duration::from_millis(500),
        ..ClientOptions::default()
    };
    let c = Client::new(&s.url(), options)
        .unwrap()
        .with_token(Token::new(s.token_for(Persona::Student)));
    let id = Persona::Student.user_id();
    let host = c.host().to_string();

    s.set_fault(Some(Fault::ServerError));
    let err = c.user(id).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{host} failed with HTTP 500: Internal Server Error")
    );

    s.set_fault(Some(Fault::Garbage));
    let err = c.user(id).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&format!("/api/v3/users/{id}")),
        "{err}"
    );

    s.set_fault(Some(Fault::Drop));
    let err = c.user(id).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Unreachable);

    s.set_fault(Some(Fault::Hang));
    let err = c.user(id).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{host} did not answer within 500 ms")
    );
    s.set_fault(None);
    assert!(c.user(id).await.is_ok());
}

#[tokio::test]
async fn refused_connection_names_the_host() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let c = Client::new(&format!("http://{addr}"), ClientOptions::default()).unwrap();
    let err = c.application_config().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("could not reach {addr}")),
        "{text}"
    );
    assert!(text.to_lowercase().contains("refused"), "{text}");
}

#[tokio::test]
async fn every_request_carries_the_ilios_headers() {
    // A raw listener that records the request head.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = sock.read(&mut buf).await.unwrap();
        let body = br#"{"userId":7}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(body).await.unwrap();
        String::from_utf8_lossy(&buf[..n]).to_lowercase()
    });
    let c = Client::new(&format!("http://{addr}"), ClientOptions::default())
        .unwrap()
        .with_token(Token::new("aaa.bbb.ccc"));
    assert_eq!(c.whoami().await.unwrap(), 7);
    let head = seen.await.unwrap();
    assert!(
        head.contains("x-jwt-authorization: token aaa.bbb.ccc\r\n"),
        "{head}"
    );
    assert!(head.contains("accept: application/json\r\n"), "{head}");
}
