//! The async Ilios client. One `reqwest::Client` (connection pool) is shared by every clone; each
//! clone carries the session token it was made with, so a request in flight keeps the token it
//! started with even when the app swaps to a new one.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use serde::de::DeserializeOwned;
use url::Url;

use super::error::{ApiError, CertificateProblem};
use super::models::*;
use super::secret::Token;

const AUTH_HEADER: &str = "X-JWT-Authorization";

#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Allow `http://` to a host that is not loopback (tokens would cross the network in clear).
    pub allow_insecure_http: bool,
    /// The largest answer body read; a longer one is cut off with an error that says so.
    pub max_body_bytes: u64,
    /// Certificate authorities (a PEM file) trusted besides the platform's: a school's own CA.
    pub ca_file: Option<std::path::PathBuf>,
}

/// The default [`ClientOptions::max_body_bytes`]: 32 MiB (a 1,000-event week is about 3 MiB).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// Defined next to the error that names it, so `error` need not import the client.
pub use super::error::MAX_REQUEST_LINE;

/// The most characters of a server's error message kept (UI, stderr and log alike).
pub const MAX_MESSAGE_CHARS: usize = 300;

/// Bodies larger than this are decoded on a blocking thread, not on the UI's.
const DECODE_OFF_THREAD: usize = 256 * 1024;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(15),
            allow_insecure_http: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            ca_file: None,
        }
    }
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    /// `host[:port]`, named in every error message.
    host: String,
    options: ClientOptions,
}

#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    token: Option<Token>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// An Ilios REST resource: its URL segment and its envelope key.
pub trait Resource: DeserializeOwned {
    const PATH: &'static str;
    const KEY: &'static str;
}

macro_rules! resource {
    ($t:ty, $path:literal, $key:literal) => {
        impl Resource for $t {
            const PATH: &'static str = $path;
            const KEY: &'static str = $key;
        }
    };
}
resource!(User, "users", "users");
resource!(UserRole, "userroles", "userRoles");
resource!(School, "schools", "schools");
resource!(Cohort, "cohorts", "cohorts");
resource!(ProgramYear, "programyears", "programYears");
resource!(Program, "programs", "programs");
resource!(LearnerGroup, "learnergroups", "learnerGroups");
resource!(Course, "courses", "courses");
resource!(Session, "sessions", "sessions");
resource!(AcademicYear, "academicyears", "academicYears");
resource!(SessionType, "sessiontypes", "sessionTypes");
resource!(Vocabulary, "vocabularies", "vocabularies");
resource!(Term, "terms", "terms");

/// `filters[<field>][]=<id>` pairs; an empty list asks for everything.
pub type Filters<'a> = &'a [(&'a str, &'a [Id])];

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses and checks a server address: https anywhere, http only on loopback unless allowed.
pub fn parse_server_url(raw: &str, allow_insecure_http: bool) -> Result<Url, ApiError> {
    let bad = |why: &str| ApiError::BadUrl {
        url: raw.to_string(),
        why: why.to_string(),
    };
    let mut url = Url::parse(raw.trim()).map_err(|e| bad(&e.to_string()))?;
    if url.host().is_none() {
        return Err(bad("it has no host"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || allow_insecure_http => {}
        "http" => {
            return Err(bad(
                "plain http would send your token unencrypted; use https, or set \
                 allow_insecure_http = true in the config if you really mean it",
            ));
        }
        _ => {
            return Err(bad(
                "only https:// (or http:// on this machine) is supported",
            ));
        }
    }
    // Ilios lives at the root or under a path; keep the path and make joins append to it.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

impl Client {
    pub fn new(server: &str, options: ClientOptions) -> Result<Client, ApiError> {
        let base = parse_server_url(server, options.allow_insecure_http)?;
        let host = match base.port() {
            Some(port) => format!("{}:{port}", base.host_str().unwrap_or_default()),
            None => base.host_str().unwrap_or_default().to_string(),
        };
        let extra_roots = match &options.ca_file {
            Some(path) => read_ca_file(path)?,
            None => Vec::new(),
        };
        let http = reqwest::Client::builder()
            // Added to the platform's roots (which honour SSL_CERT_FILE), not instead of them.
            .tls_certs_merge(extra_roots)
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // A redirect would carry the token to wherever it points; report it instead.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ilios-tui/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::BadUrl {
                url: server.to_string(),
                why: e.to_string(),
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                host,
                options,
            }),
            token: None,
        })
    }

    /// The same connection pool, signed in with `token`.
    pub fn with_token(&self, token: Token) -> Client {
        Client {
            inner: self.inner.clone(),
            token: Some(token),
        }
    }

    pub fn without_token(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            token: None,
        }
    }

    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    pub fn host(&self) -> &str {
        &self.inner.host
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// Where the server documents its API (linked from Manage API Tokens).
    pub fn api_doc_url(&self) -> String {
        self.url("api/doc").to_string()
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    fn url(&self, path: &str) -> Url {
        // `path` is ours and relative, so the join cannot fail on a valid base.
        self.inner
            .base
            .join(path)
            .unwrap_or_else(|_| self.inner.base.clone())
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self
            .inner
            .http
            .request(method, self.url(path))
            .header(header::ACCEPT, "application/json");
        if let Some(token) = &self.token {
            let mut value = header::HeaderValue::from_str(&format!("Token {}", token.expose()))
                .unwrap_or_else(|_| header::HeaderValue::from_static("Token invalid"));
            value.set_sensitive(true);
            req = req.header(AUTH_HEADER, value);
        }
        req
    }

    fn transport_error(&self, err: reqwest::Error) -> ApiError {
        let host = self.inner.host.clone();
        if err.is_timeout() {
            let after = if err.is_connect() {
                self.inner.options.connect_timeout
            } else {
                self.inner.options.request_timeout
            };
            return ApiError::Timeout { host, after };
        }
        if let Some(problem) = certificate_problem(&err) {
            return ApiError::Certificate { host, problem };
        }
        ApiError::Network {
            host,
            cause: root_cause(&err),
        }
    }

    /// Sends, checks the status, and returns the body. `endpoint` names the call in errors.
    async fn send(
        &self,
        req: reqwest::RequestBuilder,
        endpoint: &str,
    ) -> Result<bytes::Bytes, ApiError> {
        let resp = self.send_for_body(req, endpoint).await?;
        self.read_success(resp, endpoint).await
    }

    /// Sends and waits for the answer's head. A failed status is read and returned as the error
    /// here; a success's body is left to [`Client::read_success`], until then it waits in the
    /// connection, not in this process's memory.
    async fn send_for_body(
        &self,
        req: reqwest::RequestBuilder,
        endpoint: &str,
    ) -> Result<reqwest::Response, ApiError> {
        tracing::debug!(endpoint, "request");
        let resp = req.send().await.map_err(|e| self.transport_error(e))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = self.read_body(resp, endpoint).await?;
        tracing::debug!(endpoint, status = status.as_u16(), "response");
        Err(self.status_error(status, &body, endpoint, location))
    }

    /// `step`, given up with [`ApiError::Timeout`] after the request timeout.
    async fn within_request_timeout<T>(
        &self,
        step: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let after = self.inner.options.request_timeout;
        tokio::time::timeout(after, step).await.unwrap_or_else(|_| {
            Err(ApiError::Timeout {
                host: self.inner.host.clone(),
                after,
            })
        })
    }

    /// The body of a successful answer from [`Client::send_for_body`].
    async fn read_success(
        &self,
        resp: reqwest::Response,
        endpoint: &str,
    ) -> Result<bytes::Bytes, ApiError> {
        let status = resp.status();
        // Kept as `Bytes`: a 1,000-event week is megabytes, and a copy would double the peak.
        let body = self.read_body(resp, endpoint).await?;
        tracing::debug!(
            endpoint,
            status = status.as_u16(),
            bytes = body.len(),
            "response"
        );
        Ok(body)
    }

    /// The body, up to [`ClientOptions::max_body_bytes`]: a longer (or endless) answer is an
    /// error, not an ever-growing buffer.
    async fn read_body(
        &self,
        mut resp: reqwest::Response,
        endpoint: &str,
    ) -> Result<bytes::Bytes, ApiError> {
        let limit = self.inner.options.max_body_bytes;
        let too_large = || ApiError::TooLarge {
            host: self.inner.host.clone(),
            endpoint: endpoint.to_string(),
            limit,
        };
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body =
            bytes::BytesMut::with_capacity(resp.content_length().unwrap_or(0).min(limit) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(e))? {
            if (body.len() + chunk.len()) as u64 > limit {
                tracing::warn!(endpoint, limit, "answer larger than the limit; cut off");
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    fn status_error(
        &self,
        status: StatusCode,
        body: &[u8],
        endpoint: &str,
        location: Option<String>,
    ) -> ApiError {
        let host = self.inner.host.clone();
        let message = server_message(body);
        match status.as_u16() {
            401 => ApiError::Unauthorized {
                host,
                reason: message.unwrap_or_else(|| "Unauthorized".into()),
            },
            403 => ApiError::Forbidden {
                host,
                reason: message.unwrap_or_else(|| "Forbidden".into()),
            },
            404 => ApiError::NotFound {
                host,
                what: endpoint.to_string(),
            },
            400 => ApiError::BadRequest {
                host,
                message: message.unwrap_or_else(|| "Bad Request".into()),
            },
            300..=399 => ApiError::Server {
                host,
                status: status.as_u16(),
                message: Some(format!(
                    "redirected to {} (use that address as the server URL)",
                    location.unwrap_or_else(|| "another address".into())
                )),
            },
            code => ApiError::Server {
                host,
                status: code,
                message,
            },
        }
    }

    fn decode<T: DeserializeOwned>(&self, body: &[u8], endpoint: &str) -> Result<T, ApiError> {
        decode_body(&self.inner.host, body, endpoint)
    }

    /// Decodes on a blocking thread when the body is large, so the UI keeps answering keys.
    async fn decode_async<T: DeserializeOwned + Send + 'static>(
        &self,
        body: bytes::Bytes,
        endpoint: &str,
    ) -> Result<T, ApiError> {
        if body.len() < DECODE_OFF_THREAD {
            return self.decode(&body, endpoint);
        }
        let host = self.inner.host.clone();
        let endpoint_owned = endpoint.to_string();
        tokio::task::spawn_blocking(move || decode_body(&host, &body, &endpoint_owned))
            .await
            .unwrap_or_else(|e| {
                Err(ApiError::Decode {
                    host: self.inner.host.clone(),
                    endpoint: endpoint.to_string(),
                    detail: format!("decoding stopped: {e}"),
                })
            })
    }

    /// Length of the request line `GET <path>?<query> HTTP/1.1` for these pairs.
    fn request_line_len(&self, path: &str, query: &[(String, String)]) -> usize {
        let mut url = self.url(path);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        "GET  HTTP/1.1".len() + url[url::Position::BeforePath..].len()
    }

    /// The query as one or more queries whose request lines fit [`MAX_REQUEST_LINE`]: the
    /// longest repeated filter (`filters[id][]=..`) is split, the other pairs are repeated.
    fn split_query(
        &self,
        path: &str,
        query: &[(String, String)],
        endpoint: &str,
    ) -> Result<Vec<Vec<(String, String)>>, ApiError> {
        let total = self.request_line_len(path, query);
        if total <= MAX_REQUEST_LINE {
            return Ok(vec![query.to_vec()]);
        }
        let too_long = || ApiError::RequestTooLong {
            host: self.inner.host.clone(),
            endpoint: endpoint.to_string(),
            length: total,
        };
        // The repeated key with the most values.
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for (k, _) in query.iter().filter(|(k, _)| k.ends_with("[]")) {
            match counts.iter_mut().find(|(key, _)| *key == k.as_str()) {
                Some((_, n)) => *n += 1,
                None => counts.push((k.as_str(), 1)),
            }
        }
        let Some((key, _)) = counts.into_iter().max_by_key(|(_, n)| *n) else {
            return Err(too_long());
        };
        let fixed: Vec<(String, String)> =
            query.iter().filter(|(k, _)| k != key).cloned().collect();
        let mut chunks = Vec::new();
        let mut current = fixed.clone();
        for pair in query.iter().filter(|(k, _)| k == key) {
            current.push(pair.clone());
            if self.request_line_len(path, &current) > MAX_REQUEST_LINE {
                current.pop();
                if current.len() == fixed.len() {
                    return Err(too_long());
                }
                chunks.push(std::mem::replace(&mut current, fixed.clone()));
                current.push(pair.clone());
                if self.request_line_len(path, &current) > MAX_REQUEST_LINE {
                    return Err(too_long());
                }
            }
        }
        chunks.push(current);
        Ok(chunks)
    }

    async fn get_json<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<T, ApiError> {
        let endpoint = format!("/{}", path.trim_start_matches('/'));
        let mut chunks = self.split_query(path, query, &endpoint)?;
        if chunks.len() == 1 {
            let query = chunks.pop().unwrap_or_default();
            let body = self
                .send(self.request(Method::GET, path).query(&query), &endpoint)
                .await?;
            return self.decode_async(body, &endpoint).await;
        }
        tracing::debug!(
            endpoint,
            requests = chunks.len(),
            "id list split over several requests"
        );
        let answers = futures::future::join_all(chunks.iter().map(|q| async {
            let body = self
                .send(self.request(Method::GET, path).query(q), &endpoint)
                .await?;
            self.decode_async::<serde_json::Value>(body, &endpoint)
                .await
        }))
        .await;
        let mut merged = serde_json::Map::new();
        for answer in answers {
            merge_envelopes(&mut merged, answer?);
        }
        serde_json::from_value(serde_json::Value::Object(merged)).map_err(|e| ApiError::Decode {
            host: self.inner.host.clone(),
            endpoint,
            detail: untrusted_detail(&e),
        })
    }

    // ---- public, unauthenticated ----------------------------------------------------------

    /// `GET /application/config`: how to sign in, and the API version.
    pub async fn application_config(&self) -> Result<ApplicationConfig, ApiError> {
        #[derive(serde::Deserialize)]
        struct Envelope {
            config: ApplicationConfig,
        }
        let env: Envelope = self
            .without_token()
            .get_json("application/config", &[])
            .await?;
        Ok(env.config)
    }

    /// `POST /auth/login`. Sent without a token header: Ilios rejects a login that carries a stale one.
    pub async fn login(&self, username: &str, password: &str) -> Result<Token, ApiError> {
        let endpoint = "/auth/login";
        let req = self
            .without_token()
            .request(Method::POST, "auth/login")
            .json(&serde_json::json!({ "username": username, "password": password }));
        let resp = req.send().await.map_err(|e| self.transport_error(e))?;
        let status = resp.status();
        let body = self.read_body(resp, endpoint).await?;
        let host = self.inner.host.clone();
        let parsed: Option<LoginResponse> = serde_json::from_slice(&body).ok();
        match (status.as_u16(), parsed) {
            (200, Some(LoginResponse { jwt: Some(jwt), .. })) if !jwt.is_empty() => {
                Ok(Token::new(jwt))
            }
            (400 | 401, Some(r)) if !r.errors.is_empty() => Err(ApiError::LoginRefused {
                host,
                message: login_errors(&r.errors),
            }),
            (200, Some(r)) => Err(ApiError::LoginRefused {
                host,
                message: match r.status.as_deref() {
                    Some("redirect") => {
                        "this server signs in through a web page (single sign-on); \
                                         create an API token on its My Profile page and use that"
                            .into()
                    }
                    other => format!(
                        "the server did not sign you in (status {})",
                        other.unwrap_or("unknown")
                    ),
                },
            }),
            (200, None) => Err(ApiError::Decode {
                host,
                endpoint: endpoint.into(),
                detail: "the answer is not the JSON Ilios sends".into(),
            }),
            (code, _) => Err(self.status_error(
                StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                &body,
                endpoint,
                None,
            )),
        }
    }

    /// `GET /auth/logout`: a no-op on form/LDAP servers, called for good manners.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let _: serde_json::Value = self.without_token().get_json("auth/logout", &[]).await?;
        Ok(())
    }

    // ---- authenticated ----------------------------------------------------------------------

    pub async fn whoami(&self) -> Result<Id, ApiError> {
        let w: WhoAmI = self.get_json("auth/whoami", &[]).await?;
        Ok(w.user_id)
    }

    /// `GET /auth/token?ttl=<ISO-8601 duration>`: a new token in the same login chain.
    pub async fn create_token(&self, ttl: &str) -> Result<Token, ApiError> {
        let r: JwtResponse = self
            .get_json("auth/token", &[("ttl".into(), ttl.into())])
            .await?;
        Ok(Token::new(r.jwt))
    }

    /// `GET /auth/invalidatetokens`: every earlier token of this user stops working; the answer is
    /// a fresh session token that must replace the current one at once.
    pub async fn invalidate_tokens(&self) -> Result<Token, ApiError> {
        let r: JwtResponse = self.get_json("auth/invalidatetokens", &[]).await?;
        Ok(Token::new(r.jwt))
    }

    /// `GET /api/v3/<resource>/<id>`: Ilios answers a one-element array, or an empty one when the
    /// caller may not view the record.
    pub async fn get_one<T: Resource>(&self, id: Id) -> Result<T, ApiError> {
        let path = format!("api/v3/{}/{id}", T::PATH);
        let mut items = self.envelope::<T>(&path, &[]).await?;
        match items.len() {
            0 => Err(ApiError::NotVisible {
                host: self.inner.host.clone(),
                what: format!("{} {id}", T::PATH),
            }),
            _ => Ok(items.swap_remove(0)),
        }
    }

    pub async fn user(&self, id: Id) -> Result<User, ApiError> {
        self.get_one::<User>(id).await
    }

    /// `GET /api/v3/<resource>?filters[f][]=..`. Filters with no ids match nothing, so no request
    /// is made for them.
    pub async fn list<T: Resource>(&self, filters: Filters<'_>) -> Result<Vec<T>, ApiError> {
        if filters.iter().any(|(_, ids)| ids.is_empty()) {
            return Ok(Vec::new());
        }
        let query: Vec<(String, String)> = filters
            .iter()
            .flat_map(|(field, ids)| {
                ids.iter()
                    .map(move |id| (format!("filters[{field}][]"), id.to_string()))
            })
            .collect();
        self.envelope::<T>(&format!("api/v3/{}", T::PATH), &query)
            .await
    }

    async fn envelope<T: Resource>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Vec<T>, ApiError> {
        let mut value: serde_json::Value = self.get_json(path, query).await?;
        let endpoint = format!("/{path}");
        let items = value
            .get_mut(T::KEY)
            .map(serde_json::Value::take)
            .ok_or_else(|| ApiError::Decode {
                host: self.inner.host.clone(),
                endpoint: endpoint.clone(),
                detail: format!("there is no \"{}\" list in it", T::KEY),
            })?;
        serde_json::from_value(items).map_err(|e| ApiError::Decode {
            host: self.inner.host.clone(),
            endpoint,
            detail: untrusted_detail(&e),
        })
    }

    /// `GET /api/v3/<resource>?<query>` as raw JSON, for callers that route parts of an answer
    /// themselves (the profile's wave of related requests).
    pub async fn get_value(
        &self,
        resource: &str,
        query: &[(String, String)],
    ) -> Result<serde_json::Value, ApiError> {
        self.get_json(&format!("api/v3/{resource}"), query).await
    }

    /// `GET /api/v3/userevents/{id}?from=&to=` up to the answer's head: its body is read by
    /// [`EventsAnswer::read`], for callers that read, decode and process large weeks one at a
    /// time (`app::week_answer`).
    pub async fn user_events_answer(
        &self,
        user_id: Id,
        from: i64,
        to: i64,
    ) -> Result<EventsAnswer, ApiError> {
        let path = format!("api/v3/userevents/{user_id}");
        let endpoint = format!("/{path}");
        let query = [("from", from.to_string()), ("to", to.to_string())];
        // The client's timeout runs to the end of the body, and this body may wait its turn for
        // a while: the head and the body get `request_timeout` each instead (`EventsAnswer`).
        let request = self
            .request(Method::GET, &path)
            .query(&query)
            .timeout(Duration::from_secs(24 * 3600));
        let response = self
            .within_request_timeout(self.send_for_body(request, &endpoint))
            .await?;
        Ok(EventsAnswer {
            client: self.clone(),
            endpoint,
            response,
        })
    }

    /// A write (`POST`, `PUT`) of a JSON body to `path`; the answer as raw JSON, read within the
    /// same body limit as every answer.
    pub async fn write_json(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        let endpoint = format!("/{}", path.trim_start_matches('/'));
        let req = self
            .request(method, path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let answer = self.send(req, &endpoint).await?;
        self.decode_async(answer, &endpoint).await
    }

    /// `GET /api/v3/userevents/{id}?from=&to=` with integer unix seconds.
    pub async fn user_events(
        &self,
        user_id: Id,
        from: i64,
        to: i64,
    ) -> Result<Vec<UserEvent>, ApiError> {
        let body = self
            .user_events_answer(user_id, from, to)
            .await?
            .read()
            .await?;
        if body.len() < DECODE_OFF_THREAD {
            return body.decode();
        }
        tokio::task::spawn_blocking(move || body.decode())
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
    }

    /// `GET /api/v3/schoolevents/{id}?from=&to=` with integer unix seconds: the school's events
    /// as the caller may see them (`{"events": [...]}`; no `user`, empty `userContexts`).
    pub async fn school_events(
        &self,
        school_id: Id,
        from: i64,
        to: i64,
    ) -> Result<Vec<UserEvent>, ApiError> {
        #[derive(serde::Deserialize)]
        struct Envelope {
            events: Vec<UserEvent>,
        }
        let query = [
            ("from".to_string(), from.to_string()),
            ("to".to_string(), to.to_string()),
        ];
        let env: Envelope = self
            .get_json(&format!("api/v3/schoolevents/{school_id}"), &query)
            .await?;
        Ok(env.events)
    }
}

/// A decoder's complaint may quote the answer: bounded and sanitized like a server message.
fn untrusted_detail(e: &impl std::fmt::Display) -> String {
    crate::text::sanitize_line(&crate::text::shorten(&e.to_string(), MAX_MESSAGE_CHARS))
        .into_owned()
}

/// A successful `userevents` answer whose body has not been read yet.
pub struct EventsAnswer {
    client: Client,
    endpoint: String,
    response: reqwest::Response,
}

impl EventsAnswer {
    /// The announced body size, when the server gave one.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// Reads the body, within the client's request timeout from now.
    pub async fn read(self) -> Result<EventsBody, ApiError> {
        let body = self
            .client
            .within_request_timeout(self.client.read_success(self.response, &self.endpoint))
            .await?;
        Ok(EventsBody {
            host: self.client.inner.host.clone(),
            endpoint: self.endpoint,
            body,
        })
    }
}

/// A `userevents` answer as received: [`EventsBody::decode`] is the expensive part.
pub struct EventsBody {
    host: String,
    endpoint: String,
    body: bytes::Bytes,
}

impl EventsBody {
    /// Bytes received.
    pub fn len(&self) -> usize {
        self.body.len()
    }

    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// The body as received (shared, not copied): what the cache keeps of a week.
    pub fn bytes(&self) -> bytes::Bytes {
        self.body.clone()
    }

    /// Hands each event to `each` as it is decoded, holding one at a time.
    pub fn for_each_event(&self, each: impl FnMut(UserEvent)) -> Result<(), ApiError> {
        for_each_user_event(&self.body, each).map_err(|e| ApiError::Decode {
            host: self.host.clone(),
            endpoint: self.endpoint.clone(),
            detail: untrusted_detail(&e),
        })
    }

    /// The events, all at once.
    pub fn decode(self) -> Result<Vec<UserEvent>, ApiError> {
        let mut events = Vec::new();
        self.for_each_event(|e| events.push(e)).map(|()| events)
    }
}

/// The events of a `userevents` answer (`{"userEvents": [...]}`).
pub fn parse_user_events(body: &[u8]) -> serde_json::Result<Vec<UserEvent>> {
    let mut events = Vec::new();
    for_each_user_event(body, |e| events.push(e))?;
    Ok(events)
}

/// Decodes a `userevents` answer (`{"userEvents": [...]}`, other keys ignored) one event at a
/// time: a 1,000-event week decoded whole is about twice its body in memory.
pub fn for_each_user_event(body: &[u8], mut each: impl FnMut(UserEvent)) -> serde_json::Result<()> {
    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    struct Envelope<'f, F>(&'f mut F);
    struct Events<'f, F>(&'f mut F);

    impl<'de, F: FnMut(UserEvent)> Visitor<'de> for Envelope<'_, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object with a \"userEvents\" list")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut found = false;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == "userEvents" && !found {
                    map.next_value_seed(Events(&mut *self.0))?;
                    found = true;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            match found {
                true => Ok(()),
                false => Err(de::Error::missing_field("userEvents")),
            }
        }
    }

    impl<'de, F: FnMut(UserEvent)> DeserializeSeed<'de> for Events<'_, F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de, F: FnMut(UserEvent)> Visitor<'de> for Events<'_, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of events")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(event) = seq.next_element::<UserEvent>()? {
                (self.0)(event);
            }
            Ok(())
        }
    }

    let mut de = serde_json::Deserializer::from_slice(body);
    serde::Deserializer::deserialize_map(&mut de, Envelope(&mut each))?;
    de.end()
}

fn decode_body<T: DeserializeOwned>(
    host: &str,
    body: &[u8],
    endpoint: &str,
) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::Decode {
        host: host.to_string(),
        endpoint: endpoint.to_string(),
        detail: untrusted_detail(&e),
    })
}

/// Adds one answer of a split request: the lists under each envelope key are joined, records
/// already there (same `id`) are not repeated.
fn merge_envelopes(
    merged: &mut serde_json::Map<String, serde_json::Value>,
    answer: serde_json::Value,
) {
    let serde_json::Value::Object(answer) = answer else {
        return;
    };
    for (key, value) in answer {
        match (merged.get_mut(&key), value) {
            (Some(serde_json::Value::Array(have)), serde_json::Value::Array(more)) => {
                for item in more {
                    let dup = item
                        .get("id")
                        .is_some_and(|id| have.iter().any(|h| h.get("id") == Some(id)));
                    if !dup {
                        have.push(item);
                    }
                }
            }
            (Some(_), _) => {}
            (None, value) => {
                merged.insert(key, value);
            }
        }
    }
}

/// The human part of an error body: the `message` of Ilios's JSON errors, else the text itself
/// (Ilios answers a rejected token in plain text), trimmed, shortened to [`MAX_MESSAGE_CHARS`]
/// and sanitized, so the UI, stderr and the log all get the same bounded, harmless text.
fn server_message(body: &[u8]) -> Option<String> {
    if let Ok(err) = serde_json::from_slice::<ErrorBody>(body) {
        let short = crate::text::shorten(&err.message, MAX_MESSAGE_CHARS);
        return Some(crate::text::sanitize_line(&short).into_owned()).filter(|m| !m.is_empty());
    }
    // Only the start is looked at: a plain-text body may be megabytes.
    let head = &body[..body.len().min(MAX_MESSAGE_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim();
    if text.is_empty() || text.starts_with('<') || text.starts_with('{') {
        return None;
    }
    let cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    let short = if cut.len() < text.len() || head.len() < body.len() {
        format!("{}… ({} bytes in all)", cut.trim_end(), body.len())
    } else {
        cut
    };
    Some(crate::text::sanitize_line(&short).into_owned())
}

fn login_errors(errors: &[String]) -> String {
    let said: Vec<&str> = errors
        .iter()
        .map(|e| match e.as_str() {
            "badCredentials" => "Incorrect username or password.",
            "missingUsername" => "Username is required.",
            "missingPassword" => "Password is required.",
            other => other,
        })
        .collect();
    said.join(" ")
}

/// The innermost cause, in lower case words ("connection refused"), without URLs that could
/// carry query strings.
/// The certificates of a PEM file, or why it cannot be used.
fn read_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, ApiError> {
    let fail = |why: String| ApiError::CaFile {
        path: path.display().to_string(),
        why,
    };
    // A CA bundle is small; refuse anything that is not a plain file of reasonable size.
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() || meta.len() > 4 * 1024 * 1024 {
        return Err(fail("it is not a PEM file of at most 4 MiB".into()));
    }
    let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| fail(e.to_string()))?;
    if certs.is_empty() {
        return Err(fail("it holds no PEM certificate".into()));
    }
    Ok(certs)
}

/// A refused server certificate, found in the error's chain of causes (rustls reports it inside
/// an I/O error of the connection).
fn certificate_problem(err: &reqwest::Error) -> Option<CertificateProblem> {
    use rustls::CertificateError as E;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(rustls::Error::InvalidCertificate(cert)) = e.downcast_ref::<rustls::Error>() {
            return Some(match cert {
                E::UnknownIssuer | E::BadSignature => CertificateProblem::UnknownAuthority,
                E::Expired
                | E::ExpiredContext { .. }
                | E::NotValidYet
                | E::NotValidYetContext { .. } => CertificateProblem::Expired,
                E::NotValidForName | E::NotValidForNameContext { .. } => {
                    CertificateProblem::WrongName
                }
                other => CertificateProblem::Other(format!("{other:?}")),
            });
        }
        // An I/O error's `source()` skips the error it wraps; step into it instead.
        source = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

fn root_cause(err: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        source = next;
    }
    let text = source.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text).to_string();
    if text.is_empty() || std::ptr::eq(source, err as &dyn std::error::Error) {
        if err.is_connect() {
            return "the connection failed".into();
        }
        if err.is_body() || err.is_decode() {
            return "the connection closed before the answer was complete".into();
        }
        return "the request failed".into();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(parse_server_url("https://ilios.example.edu", false).is_ok());
        assert!(parse_server_url("http://127.0.0.1:8080", false).is_ok());
        assert!(parse_server_url("http://localhost:8080", false).is_ok());
        assert!(parse_server_url("http://[::1]:8080", false).is_ok());
        let err = parse_server_url("http://ilios.example.edu", false).unwrap_err();
        assert!(err.to_string().contains("allow_insecure_http"), "{err}");
        assert!(parse_server_url("http://ilios.example.edu", true).is_ok());
        assert!(parse_server_url("ftp://x", true).is_err());
        assert!(parse_server_url("not a url", true).is_err());
    }

    #[test]
    fn base_path_is_kept() {
        let url = parse_server_url("https://example.edu/ilios", false).unwrap();
        assert_eq!(
            url.join("api/v3/users/1").unwrap().as_str(),
            "https://example.edu/ilios/api/v3/users/1"
        );
    }

    #[test]
    fn server_messages() {
        assert_eq!(
            server_message(br#"{"code":400,"message":"Refresh limit 12 exceeded"}"#).as_deref(),
            Some("Refresh limit 12 exceeded")
        );
        assert_eq!(
            server_message(b"Authentication Failed. Invalid JSON Web Token: Expired token")
                .as_deref(),
            Some("Authentication Failed. Invalid JSON Web Token: Expired token")
        );
        assert_eq!(server_message(b"<html>oops</html>"), None);
        assert_eq!(server_message(b""), None);
    }

    #[test]
    fn debug_redacts_the_token() {
        let c = Client::new("http://127.0.0.1:1", ClientOptions::default())
            .unwrap()
            .with_token(Token::new("a.b.c"));
        let shown = format!("{c:?}");
        assert!(!shown.contains("a.b.c"), "{shown}");
    }
}
