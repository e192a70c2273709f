//! Everything that can happen (Actions) and everything the app asks the world to do (Effects).

use crossterm::event::KeyEvent;
use zeroize::Zeroizing;

use crate::api::models::{ApplicationConfig, User, UserEvent};
use crate::api::{ApiError, Token};
use crate::domain::profile::RelatedQuery;
use crate::domain::week::Week;

/// One answer of the profile's wave.
#[derive(Debug)]
pub struct ProfileAnswer {
    pub query: RelatedQuery,
    pub body: Result<serde_json::Value, ApiError>,
}

// Actions pass through a channel a few at a time; boxing the large ones would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The once-a-minute clock (token time left in the status bar).
    Tick,
    FlashExpired(u64),
    /// SIGTERM, SIGHUP: leave cleanly.
    Terminate,
    AppConfigLoaded(Result<ApplicationConfig, ApiError>),
    UserLoaded {
        generation: u64,
        /// The session token's epoch when the request left: a 401 for an older token is no
        /// verdict on the current one.
        epoch: u64,
        result: Result<User, ApiError>,
    },
    WeekLoaded {
        generation: u64,
        /// The session token's epoch when the request left: a 401 for an older token is no
        /// verdict on the current one.
        epoch: u64,
        week: Week,
        seq: u64,
        result: Result<Vec<UserEvent>, ApiError>,
    },
    /// A week's answer with its glance built off the UI thread (what the runtime sends).
    WeekPrepared {
        generation: u64,
        /// The session token's epoch when the request left: a 401 for an older token is no
        /// verdict on the current one.
        epoch: u64,
        week: Week,
        seq: u64,
        result: Result<crate::app::week_answer::PreparedWeek, ApiError>,
    },
    ProfilePart {
        generation: u64,
        /// The session token's epoch when the request left: a 401 for an older token is no
        /// verdict on the current one.
        epoch: u64,
        seq: u64,
        part: ProfileAnswer,
    },
    TokenCreated {
        generation: u64,
        /// The session token's epoch when the request left: a 401 for an older token is no
        /// verdict on the current one.
        epoch: u64,
        result: Result<Token, ApiError>,
    },
    TokensInvalidated {
        generation: u64,
        result: Result<Token, ApiError>,
    },
    SignedIn(Result<Token, ApiError>),
    /// A pasted token checked with whoami.
    TokenChecked {
        token: Token,
        result: Result<u64, ApiError>,
    },
    Copied {
        what: &'static str,
        result: Result<(), String>,
    },
    /// The session token could not be written to the state directory: it is kept for this run
    /// only, and the user must hear so.
    SessionNotSaved(String),
}

/// Work for the runtime: network calls become tokio tasks that answer with an Action.
pub enum Effect {
    LoadAppConfig,
    LoadUser,
    LoadWeek {
        week: Week,
        seq: u64,
    },
    LoadProfile {
        seq: u64,
        user: Box<User>,
    },
    CreateToken {
        ttl: String,
    },
    InvalidateTokens,
    SignIn {
        username: String,
        password: Zeroizing<String>,
    },
    CheckToken(Token),
    /// The new session token: store it if a session file exists (after invalidation) or always
    /// (after sign-in).
    StoreSession {
        token: Token,
        always: bool,
    },
    Logout,
    Copy {
        what: &'static str,
        text: Zeroizing<String>,
    },
    ExpireFlash {
        id: u64,
        after: std::time::Duration,
    },
    Suspend,
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print passwords, tokens or copied text.
        let name = match self {
            Effect::LoadAppConfig => "LoadAppConfig".to_string(),
            Effect::LoadUser => "LoadUser".to_string(),
            Effect::LoadWeek { week, seq } => format!("LoadWeek({}, {seq})", week.first),
            Effect::LoadProfile { seq, .. } => format!("LoadProfile({seq})"),
            Effect::CreateToken { ttl } => format!("CreateToken({ttl})"),
            Effect::InvalidateTokens => "InvalidateTokens".to_string(),
            Effect::SignIn { username, .. } => format!("SignIn({username})"),
            Effect::CheckToken(_) => "CheckToken".to_string(),
            Effect::StoreSession { always, .. } => format!("StoreSession(always={always})"),
            Effect::Logout => "Logout".to_string(),
            Effect::Copy { what, .. } => format!("Copy({what})"),
            Effect::ExpireFlash { id, after } => format!("ExpireFlash({id}, {after:?})"),
            Effect::Suspend => "Suspend".to_string(),
        };
        f.write_str(&name)
    }
}
