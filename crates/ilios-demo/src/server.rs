//! The axum server: state, connection handling, middleware (log, latency, faults) and handlers.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::serve::{IncomingStream, Listener};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::db::{Db, User};
use super::jwt::{self, Claims, IsoDuration};
use super::{
    DemoOptions, Fault, LoggedRequest, Persona, TokenSpec, events, materials, rest, school_events,
    statuses,
};

pub(crate) struct Shared {
    db: Db,
    secret: Vec<u8>,
    /// user id -> invalidateTokenIssuedBefore (unix seconds)
    invalidated: Mutex<HashMap<u64, i64>>,
    fault: Mutex<Option<Fault>>,
    latency: Mutex<Duration>,
    log: Mutex<Vec<LoggedRequest>>,
    clock: ilios_clock::Clock,
    /// `user_session_material_status`: every user's learning-material statuses.
    statuses: statuses::Store,
}

impl Shared {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn now_unix(&self) -> i64 {
        self.now().timestamp()
    }

    fn mint(&self, spec: TokenSpec) -> String {
        let user = self.db.user(spec.user_id);
        let root = user.is_some_and(|u| u.root);
        let claims = Claims {
            iss: "ilios".into(),
            aud: "ilios".into(),
            iat: spec.iat.to_string(),
            exp: spec.exp.to_string(),
            is_root: root,
            performs_non_learner_function: user.is_some_and(|u| u.performs_non_learner_function()),
            can_create_or_update_user_in_any_school: root,
            first_created_at: spec.first_created_at.to_string(),
            refresh_count: spec.refresh_count,
            permissions: "user".into(),
            user_id: spec.user_id,
        };
        jwt::sign(&self.secret, &claims)
    }

    fn fresh_token(&self, user_id: u64) -> String {
        let now = self.now_unix();
        self.mint(TokenSpec {
            user_id,
            iat: now,
            exp: now + 8 * 3600,
            first_created_at: now,
            refresh_count: 0,
        })
    }
}

/// A running demo server.
pub struct DemoServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl DemoServer {
    /// Bind, spawn the server task and return at once.
    pub async fn start(opts: DemoOptions) -> eyre::Result<DemoServer> {
        eyre::ensure!(
            opts.events_per_week <= super::MAX_EVENTS_PER_WEEK,
            "at most {} events per week",
            super::MAX_EVENTS_PER_WEEK
        );
        let listener = TcpListener::bind(opts.listen).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}");
        let db = Db::build(&opts.clock, opts.events_per_week, &url)?;
        let mut secret = vec![0u8; 32];
        fill_random(&mut secret);
        let shared = Arc::new(Shared {
            db,
            secret,
            invalidated: Mutex::new(HashMap::new()),
            fault: Mutex::new(opts.fault),
            latency: Mutex::new(opts.latency),
            log: Mutex::new(Vec::new()),
            clock: opts.clock,
            statuses: statuses::Store::default(),
        });
        let app = router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let listener = KillableListener(listener);
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<ConnKill>(),
            )
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await;
        });
        tracing::debug!(%addr, "demo server listening");
        Ok(DemoServer {
            shared,
            addr,
            stop: Some(tx),
            task,
        })
    }

    /// The clock the server seeds and checks tokens by.
    pub fn clock(&self) -> ilios_clock::Clock {
        self.shared.clock
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A fresh PT8H user token starting a new chain.
    pub fn token_for(&self, persona: Persona) -> String {
        self.shared.fresh_token(persona.user_id())
    }

    /// Any token at all, for tests (expired, old chains, high refresh counts, unknown users).
    pub fn mint_token(&self, spec: TokenSpec) -> String {
        self.shared.mint(spec)
    }

    pub fn set_fault(&self, fault: Option<Fault>) {
        *self.shared.fault.lock().unwrap() = fault;
    }

    pub fn set_latency(&self, latency: Duration) {
        *self.shared.latency.lock().unwrap() = latency;
    }

    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn clear_request_log(&self) {
        self.shared.log.lock().unwrap().clear();
    }

    /// Stop accepting, give open requests a moment, then stop.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if tokio::time::timeout(Duration::from_millis(500), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn fill_random(buf: &mut [u8]) {
    use sha2::{Digest, Sha256};
    use std::hash::{BuildHasher, RandomState};
    // No rand crate: mix the OS-seeded hasher keys, the time and the pid through SHA-256.
    let mut h = Sha256::new();
    for i in 0..4u64 {
        h.update(RandomState::new().hash_one(i).to_le_bytes());
    }
    h.update(Utc::now().timestamp_nanos_opt().unwrap_or(0).to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    let d = h.finalize();
    for (i, b) in buf.iter_mut().enumerate() {
        *b = d[i % d.len()];
    }
}

// ---------------------------------------------------------------------------------------------
// Connections that a handler can kill (for `Fault::Drop`)
// ---------------------------------------------------------------------------------------------

struct KillableListener(TcpListener);

pub(crate) struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn killed_err() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "demo fault: drop")
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_err()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_err()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(killed_err()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    let _ = inner.set_nodelay(true);
                    return (
                        KillableStream {
                            inner,
                            killed: Arc::new(AtomicBool::new(false)),
                        },
                        addr,
                    );
                }
                Err(e) => {
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// Per-connection switch that makes the connection fail, so hyper closes it unanswered.
#[derive(Clone)]
struct ConnKill(Arc<AtomicBool>);

impl axum::extract::connect_info::Connected<IncomingStream<'_, KillableListener>> for ConnKill {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        ConnKill(stream.io().killed.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Responses in Ilios' formats
// ---------------------------------------------------------------------------------------------

fn reason(status: StatusCode) -> &'static str {
    status.canonical_reason().unwrap_or("Unknown")
}

/// `ExceptionController` in prod: `{"code":N,"message":"<reason phrase>"}`.
fn json_error(status: StatusCode) -> Response {
    json_message(status, reason(status))
}

fn json_message(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": status.as_u16(), "message": message})),
    )
        .into_response()
}

/// `JsonWebTokenAuthenticator::onAuthenticationFailure`: plain text with Symfony's default type.
fn auth_failed(message: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=UTF-8"),
        )],
        format!("Authentication Failed. {message}"),
    )
        .into_response()
}

/// A JSON body already serialized (keeps the key order of the source struct or literal).
fn json_text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn json_ok(v: Value) -> Response {
    (StatusCode::OK, axum::Json(v)).into_response()
}

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

struct Caller {
    user_id: u64,
    verified: jwt::Verified,
}

enum AuthOutcome {
    /// No header, or one not matching `^Token \S+$`: the request is anonymous.
    Anonymous,
    Ok(Caller),
    Failed(Response),
}

fn authenticate(st: &Shared, headers: &HeaderMap) -> AuthOutcome {
    let Some(value) = headers.get("x-jwt-authorization") else {
        return AuthOutcome::Anonymous;
    };
    let Ok(value) = value.to_str() else {
        return AuthOutcome::Anonymous;
    };
    let Some(token) = value.strip_prefix("Token ") else {
        return AuthOutcome::Anonymous;
    };
    if token.is_empty() || token.chars().any(char::is_whitespace) {
        return AuthOutcome::Anonymous;
    }
    let now = st.now_unix();
    let verified = match jwt::verify(&st.secret, token, now) {
        Ok(v) => v,
        Err(reason) if reason.is_empty() => {
            return AuthOutcome::Failed(auth_failed("Invalid JSON Web Token"));
        }
        Err(reason) => {
            return AuthOutcome::Failed(auth_failed(&format!("Invalid JSON Web Token: {reason}")));
        }
    };
    let Some(user) = st.db.user(verified.user_id) else {
        return AuthOutcome::Failed(auth_failed("Bad credentials."));
    };
    if !user.enabled {
        return AuthOutcome::Failed(auth_failed("Invalid JSON Web Token: user is disabled"));
    }
    if let Some(&before) = st.invalidated.lock().unwrap().get(&user.id)
        && before > verified.iat
    {
        return AuthOutcome::Failed(auth_failed(&format!(
            "Invalid JSON Web Token: Not issued after {} issued on {}",
            jwt::iso_c(before),
            jwt::iso_c(verified.iat)
        )));
    }
    AuthOutcome::Ok(Caller {
        user_id: user.id,
        verified,
    })
}

/// For routes behind `IS_AUTHENTICATED_FULLY`.
#[allow(clippy::result_large_err)] // a Response is the natural error of a handler helper
fn require_user(st: &Shared, headers: &HeaderMap) -> Result<Caller, Response> {
    match authenticate(st, headers) {
        AuthOutcome::Ok(c) => Ok(c),
        AuthOutcome::Anonymous => Err(json_error(StatusCode::UNAUTHORIZED)),
        AuthOutcome::Failed(r) => Err(r),
    }
}

// ---------------------------------------------------------------------------------------------
// Router and middleware
// ---------------------------------------------------------------------------------------------

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/application/config", get(config))
        .route("/auth/login", any(login))
        .route("/auth/logout", any(logout))
        .route("/auth/whoami", any(whoami))
        .route("/auth/token", any(token))
        .route("/auth/token/{id}", get(user_token))
        .route("/auth/invalidatetokens", any(invalidate_tokens))
        .route("/api/doc", get(api_doc))
        .route("/api", get(api_doc))
        .route("/api/{*rest}", any(api))
        .route("/lm/{token}", get(lm_download))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), outer))
        .with_state(shared)
}

/// Outermost layer: request log, latency, faults.
async fn outer(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_else(|| req.uri().path().into());
    tracing::debug!(%method, path = %req.uri().path(), "demo request");
    let latency = *st.latency.lock().unwrap();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let is_api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let fault = if is_api {
        *st.fault.lock().unwrap()
    } else {
        None
    };
    let kill = req
        .extensions()
        .get::<ConnectInfo<ConnKill>>()
        .map(|c| c.0.0.clone());
    let (resp, status) = match fault {
        Some(Fault::ServerError) => (json_error(StatusCode::INTERNAL_SERVER_ERROR), 500),
        Some(Fault::Garbage) => (
            (
                StatusCode::OK,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                r#"{"users":[{"id":1,"firs"#,
            )
                .into_response(),
            200,
        ),
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            let r = next.run(req).await;
            let s = r.status().as_u16();
            (r, s)
        }
        Some(Fault::Drop) => {
            if let Some(k) = &kill {
                k.store(true, Ordering::SeqCst);
            }
            (StatusCode::INTERNAL_SERVER_ERROR.into_response(), 0)
        }
        None => {
            let r = next.run(req).await;
            let s = r.status().as_u16();
            (r, s)
        }
    };
    st.log.lock().unwrap().push(LoggedRequest {
        method,
        path_and_query,
        started,
        finished: Instant::now(),
        status,
    });
    resp
}

/// Unknown routes: behind the firewall (`^/auth`, `^/api`) authentication comes first.
async fn not_found(
    State(st): State<Arc<Shared>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let p = uri.path();
    if (p == "/auth" || p.starts_with("/auth/") || p.starts_with("/api"))
        && let Err(r) = require_user(&st, &headers)
    {
        return r;
    }
    json_error(StatusCode::NOT_FOUND)
}

/// `GET /auth/token/{userId}` is for service tokens; a user token gets 403.
async fn user_token(State(st): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match require_user(&st, &headers) {
        Ok(_) => json_error(StatusCode::FORBIDDEN),
        Err(r) => r,
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

async fn config() -> Response {
    let body = format!(
        concat!(
            r#"{{"config":{{"type":"form","locale":"en","userSearchType":"local","maxUploadSize":104857600,"#,
            r#""apiVersion":"v3.15","appVersion":"ilios-tui-demo-{}","trackingEnabled":false,"searchEnabled":false,"#,
            r#""academicYearCrossesCalendarYearBoundaries":false,"materialStatusEnabled":true,"#,
            r#""showCampusNameOfRecord":false}}}}"#
        ),
        env!("CARGO_PKG_VERSION")
    );
    json_text(StatusCode::OK, body)
}

fn login_body(status: StatusCode, errors: &[&str]) -> Response {
    (
        status,
        axum::Json(json!({"status": "error", "errors": errors, "jwt": null})),
    )
        .into_response()
}

async fn login(State(st): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    // The authenticator runs on /auth/login too: a stale token fails the request.
    if let AuthOutcome::Failed(r) = authenticate(&st, &headers) {
        return r;
    }
    let Ok(data) = serde_json::from_slice::<Value>(&body) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR);
    };
    let field = |k: &str| -> String {
        match data.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let (username, password) = (field("username"), field("password"));
    let mut errors = Vec::new();
    if username.is_empty() || username == "0" {
        errors.push("missingUsername");
    }
    if password.is_empty() || password == "0" {
        errors.push("missingPassword");
    }
    if !errors.is_empty() {
        return login_body(StatusCode::BAD_REQUEST, &errors);
    }
    let cred = st
        .db
        .credentials
        .iter()
        .find(|c| c.username.eq_ignore_ascii_case(&username));
    let user = cred.and_then(|c| st.db.user(c.user_id));
    match (cred, user) {
        (Some(c), Some(u)) if c.password == password && u.enabled => {
            let jwt = st.fresh_token(u.id);
            let mut resp = json_text(
                StatusCode::OK,
                format!(
                    r#"{{"status":"success","errors":[],"jwt":{}}}"#,
                    Value::String(jwt.clone())
                ),
            );
            if let Ok(v) = HeaderValue::from_str(&jwt) {
                resp.headers_mut().insert("X-JWT-TOKEN", v);
            }
            resp
        }
        _ => login_body(StatusCode::UNAUTHORIZED, &["badCredentials"]),
    }
}

async fn logout(State(st): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let AuthOutcome::Failed(r) = authenticate(&st, &headers) {
        return r;
    }
    json_ok(json!({"status": "success"}))
}

async fn whoami(State(st): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match require_user(&st, &headers) {
        Ok(c) => json_ok(json!({"userId": c.user_id})),
        Err(r) => r,
    }
}

fn query_param(raw: &Option<String>, name: &str) -> Option<String> {
    let raw = raw.as_deref()?;
    url::form_urlencoded::parse(raw.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// `JsonWebTokenManager::refreshToken`.
async fn token(
    State(st): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let caller = match require_user(&st, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let ttl = query_param(&q, "ttl")
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| jwt::DEFAULT_TTL.into());
    let v = &caller.verified;
    if v.refresh_count >= jwt::REFRESH_LIMIT {
        return json_message(
            StatusCode::BAD_REQUEST,
            &format!("Refresh limit {} exceeded", jwt::REFRESH_LIMIT),
        );
    }
    let now: DateTime<Utc> = st.now();
    let max = IsoDuration::parse(jwt::MAX_TTL).expect("constant");
    let max_age = max.sub_from(now).map(|t| t.timestamp()).unwrap_or(i64::MIN);
    if v.iat <= max_age || v.first_created_at <= max_age {
        return json_message(StatusCode::BAD_REQUEST, "Token is too old to refresh");
    }
    let Ok(requested) = IsoDuration::parse(&ttl) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR);
    };
    let Some(proposed) = requested.add_to(now) else {
        return json_error(StatusCode::INTERNAL_SERVER_ERROR);
    };
    let first = DateTime::<Utc>::from_timestamp(v.first_created_at, 0).unwrap_or(now);
    let maximum = max.add_to(first).unwrap_or(now);
    if maximum < proposed {
        return json_message(
            StatusCode::BAD_REQUEST,
            &format!(
                "Invalid TTL value, maximum expiration date is \n{}",
                jwt::iso_dt(&maximum)
            ),
        );
    }
    // getTokenExpirationDate: never more than P90D from now.
    let cap = max.add_to(now).unwrap_or(proposed);
    let exp = proposed.min(cap);
    let jwt = st.mint(TokenSpec {
        user_id: caller.user_id,
        iat: now.timestamp(),
        exp: exp.timestamp(),
        first_created_at: v.first_created_at,
        refresh_count: v.refresh_count + 1,
    });
    json_ok(json!({"jwt": jwt}))
}

/// `AuthController::invalidateTokens`.
async fn invalidate_tokens(State(st): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let caller = match require_user(&st, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    st.invalidated
        .lock()
        .unwrap()
        .insert(caller.user_id, st.now_unix());
    tokio::time::sleep(Duration::from_secs(1)).await;
    json_ok(json!({"jwt": st.fresh_token(caller.user_id)}))
}

async fn api_doc() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"))],
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ilios API v3.15 (demo)</title></head>\n\
         <body><h1>Ilios API v3.15</h1>\n<p>This is the ilios-tui demo server. It implements a read-only subset of the \
         <a href=\"https://github.com/ilios/ilios\">Ilios</a> v3 API: <code>/auth/*</code>, \
         <code>/application/config</code> and <code>GET /api/v3/{users, userroles, schools, cohorts, programyears, \
         programs, learnergroups, courses, sessions, sessiontypes, offerings, instructorgroups, ilmsessions, \
         academicyears, userevents}</code>.</p>\n<p>Authenticate with the header <code>X-JWT-Authorization: Token \
         &lt;jwt&gt;</code>.</p></body></html>\n",
    )
        .into_response()
}

async fn lm_download(Path(_token): Path<String>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=UTF-8"),
        )],
        "This learning material is a placeholder served by the ilios-tui demo server.\n",
    )
        .into_response()
}

/// Everything under `/api/`: `/api/{version<v3>}/<endpoint>[/<id>]` and the userevents route.
async fn api(
    State(st): State<Arc<Shared>>,
    method: Method,
    Path(rest): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match require_user(&st, &headers) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(user) = st.db.user(caller.user_id) else {
        return json_error(StatusCode::UNAUTHORIZED);
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let (endpoint, id) = match segs.as_slice() {
        ["v3", ep] => (*ep, None),
        ["v3", ep, id] if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            match id.parse::<u64>() {
                Ok(n) => (*ep, Some(n)),
                Err(_) => return json_error(StatusCode::NOT_FOUND),
            }
        }
        _ => return json_error(StatusCode::NOT_FOUND),
    };
    if endpoint == "userevents" {
        let Some(id) = id else {
            return json_error(StatusCode::NOT_FOUND);
        };
        if method != Method::GET {
            return json_error(StatusCode::METHOD_NOT_ALLOWED);
        }
        return user_events(&st, user, id, &q);
    }
    if endpoint == "schoolevents" {
        // `/api/{version<v3>}/schoolevents/{id<\d+>}`, GET only.
        let Some(id) = id else {
            return json_error(StatusCode::NOT_FOUND);
        };
        if method != Method::GET {
            return json_error(StatusCode::METHOD_NOT_ALLOWED);
        }
        return school_events(&st, user, id, &q);
    }
    if endpoint == "usermaterials" {
        // `GET /api/v3/usermaterials/{id<\d+>}` only: anything else is the catch-all's 404.
        return match id {
            Some(id) if method == Method::GET => user_materials(&st, user, id, &q),
            _ => json_error(StatusCode::NOT_FOUND),
        };
    }
    if endpoint == "usersessionmaterialstatuses" {
        let json_api = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/vnd.api+json"));
        let query = rest::parse_query(q.as_deref().unwrap_or(""));
        let (status, reply) = st.statuses.handle(
            &st.db,
            user,
            statuses::Request {
                method: method.as_str(),
                id,
                query: &query,
                body: &body,
                json_api,
                now: st.now(),
            },
        );
        return match reply {
            None => status.into_response(),
            Some(v) if json_api => (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/vnd.api+json"),
                )],
                v.to_string(),
            )
                .into_response(),
            Some(v) => json_text(status, v.to_string()),
        };
    }
    if method != Method::GET && method != Method::HEAD {
        return json_error(StatusCode::METHOD_NOT_ALLOWED);
    }
    let result = match id {
        Some(id) => rest::get_one(&st.db, user, endpoint, id),
        None => rest::get_all(
            &st.db,
            user,
            endpoint,
            &rest::parse_query(q.as_deref().unwrap_or("")),
        ),
    };
    match result {
        Ok(body) if endpoint == "users" => json_text(StatusCode::OK, with_statuses(&st, body)),
        Ok(body) => json_text(StatusCode::OK, body),
        Err(rest::RestError::NotFound) => json_error(StatusCode::NOT_FOUND),
        Err(rest::RestError::Internal) => json_error(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// `DateTime::createFromFormat('U', ...)`: an optional sign and digits only.
fn unix_param(raw: &Option<String>, name: &str) -> Option<i64> {
    let v = query_param(raw, name)?;
    let digits = v
        .strip_prefix('-')
        .or_else(|| v.strip_prefix('+'))
        .unwrap_or(&v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

fn user_events(st: &Shared, caller: &User, id: u64, q: &Option<String>) -> Response {
    let Some(target) = st.db.user(id) else {
        return json_error(StatusCode::NOT_FOUND);
    };
    if !(caller.root || caller.id == target.id || caller.performs_non_learner_function()) {
        return json_error(StatusCode::FORBIDDEN);
    }
    // `?session=` replaces from/to when it is truthy (PHP: "0" and "" are not).
    let selection = match query_param(q, "session").filter(|v| !v.is_empty() && v != "0") {
        Some(sid) => match sid
            .parse::<u64>()
            .ok()
            .filter(|id| st.db.session(*id).is_some())
        {
            Some(id) => events::Selection::Session(id),
            None => return json_error(StatusCode::NOT_FOUND),
        },
        None => {
            let Some(from) = unix_param(q, "from") else {
                return json_message(
                    StatusCode::BAD_REQUEST,
                    "?from is missing or is not a valid timestamp",
                );
            };
            let Some(to) = unix_param(q, "to") else {
                return json_message(
                    StatusCode::BAD_REQUEST,
                    "?to is missing or is not a valid timestamp",
                );
            };
            events::Selection::Range(from, to)
        }
    };
    let evs = events::user_events(&st.db, caller, target, selection, st.now());
    #[derive(serde::Serialize)]
    struct Envelope<'a> {
        #[serde(rename = "userEvents")]
        user_events: &'a [events::UserEvent],
    }
    match serde_json::to_string(&Envelope { user_events: &evs }) {
        Ok(body) => json_text(StatusCode::OK, body),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// `SchooleventController::getEvents`: 404 for an unknown school, then `?session=` (404 for an
/// unknown session, 500 for one without offerings: the real repository is handed null dates),
/// else `?from=`/`?to=` with userevents' 400s.
fn school_events(st: &Shared, caller: &User, id: u64, q: &Option<String>) -> Response {
    if !st.db.schools.iter().any(|s| s.id == id) {
        return json_error(StatusCode::NOT_FOUND);
    }
    let selection = match query_param(q, "session").filter(|v| !v.is_empty() && v != "0") {
        Some(sid) => {
            let Some(sid) = sid
                .parse::<u64>()
                .ok()
                .filter(|s| st.db.session(*s).is_some())
            else {
                return json_error(StatusCode::NOT_FOUND);
            };
            let Some((from, to)) = school_events::session_span(&st.db, sid) else {
                return json_error(StatusCode::INTERNAL_SERVER_ERROR);
            };
            school_events::SchoolSelection {
                from,
                to,
                session: Some(sid),
            }
        }
        None => {
            let from = unix_param(q, "from").and_then(|t| DateTime::from_timestamp(t, 0));
            let Some(from) = from else {
                return json_message(
                    StatusCode::BAD_REQUEST,
                    "?from is missing or is not a valid timestamp",
                );
            };
            let to = unix_param(q, "to").and_then(|t| DateTime::from_timestamp(t, 0));
            let Some(to) = to else {
                return json_message(
                    StatusCode::BAD_REQUEST,
                    "?to is missing or is not a valid timestamp",
                );
            };
            school_events::SchoolSelection {
                from,
                to,
                session: None,
            }
        }
    };
    let evs = school_events::school_events(&st.db, caller, id, selection, st.now());
    #[derive(serde::Serialize)]
    struct Envelope<'a> {
        events: &'a [events::UserEvent],
    }
    match serde_json::to_string(&Envelope { events: &evs }) {
        Ok(body) => json_text(StatusCode::OK, body),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// `?before=`/`?after=` as `UsermaterialController` reads them.
fn material_bound(raw: &Option<String>, name: &str) -> materials::Bound {
    match query_param(raw, name) {
        None => materials::Bound::None,
        Some(_) => unix_param(raw, name).map_or(materials::Bound::Invalid, materials::Bound::At),
    }
}

/// `UsermaterialController::getMaterials`: 404 before 403, then selection, drafts and blanking.
fn user_materials(st: &Shared, caller: &User, id: u64, q: &Option<String>) -> Response {
    let Some(target) = st.db.user(id) else {
        return json_error(StatusCode::NOT_FOUND);
    };
    if !(caller.root || caller.id == target.id || caller.performs_non_learner_function()) {
        return json_error(StatusCode::FORBIDDEN);
    }
    let before = material_bound(q, "before");
    let after = material_bound(q, "after");
    let list = materials::user_materials(&st.db, caller, target, before, after, st.now());
    #[derive(serde::Serialize)]
    struct Envelope<'a> {
        #[serde(rename = "userMaterials")]
        user_materials: &'a [events::UserMaterial],
    }
    match serde_json::to_string(&Envelope {
        user_materials: &list,
    }) {
        Ok(body) => json_text(StatusCode::OK, body),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// A user's `sessionMaterialStatuses` are the ids of the records stored for them; the seeded
/// user DTOs carry `[]`, so the records are written into each user's JSON on the way out.
fn with_statuses(st: &Shared, mut body: String) -> String {
    const EMPTY: &str = r#""sessionMaterialStatuses":[]"#;
    for user in st.statuses.users() {
        let ids: Vec<String> = st
            .statuses
            .ids_of(user)
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect();
        let Some(start) = body.find(&format!(r#"{{"id":{user},"lastName""#)) else {
            continue;
        };
        if let Some(at) = body[start..].find(EMPTY) {
            let at = start + at;
            let filled = format!(r#""sessionMaterialStatuses":[{}]"#, ids.join(","));
            body.replace_range(at..at + EMPTY.len(), &filled);
        }
    }
    body
}
