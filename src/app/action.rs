//! Everything that can happen (Actions) and everything the app asks the world to do (Effects).

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use zeroize::Zeroizing;

use crate::api::models::{ApplicationConfig, User, UserEvent};
use crate::api::{ApiError, Token};
use crate::domain::calendar::Span;
use crate::domain::week::Week;

pub use crate::api::profile::ProfileAnswer;

/// When a request left: the session's generation (an answer for an ended session is dropped)
/// and the session token's epoch (a 401 for an older token is no verdict on the current one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub generation: u64,
    pub epoch: u64,
}

/// The answers that belong to a session; each comes in an [`Action::Answer`] with its [`Stamp`].
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Answer {
    User(Result<User, ApiError>),
    /// A week's events as the server sent them (the glance is built when this is applied).
    Week {
        week: Week,
        seq: u64,
        result: Result<Vec<UserEvent>, ApiError>,
    },
    /// A week with its glance built off the UI thread (what the runtime sends).
    WeekPrepared {
        week: Week,
        seq: u64,
        result: Result<crate::app::week_answer::PreparedWeek, ApiError>,
    },
    ProfilePart {
        seq: u64,
        part: ProfileAnswer,
    },
    /// The Calendar's events for a span's fetch range: My Schedule, or a school's All Events.
    Calendar {
        span: Span,
        school: Option<u64>,
        seq: u64,
        result: Result<Vec<UserEvent>, ApiError>,
    },
    /// The schools All Events can show, and the user's primary school.
    CalendarSchools {
        seq: u64,
        result: Result<crate::api::calendar::SchoolChoices, ApiError>,
    },
    /// One school's lists for the All Events filters.
    CalendarFilterLists {
        school: u64,
        seq: u64,
        result: Result<crate::api::calendar::SchoolFilterLists, ApiError>,
    },
    TokenCreated(Result<Token, ApiError>),
    TokensInvalidated(Result<Token, ApiError>),
    /// My Materials for a range, with the user's statuses when the server keeps them.
    Materials {
        seq: u64,
        result: Result<crate::app::panes::materials::MaterialsAnswer, ApiError>,
    },
    /// The user's material statuses alone (for the glance and the event detail).
    MaterialStatuses {
        seq: u64,
        result: Result<Vec<crate::api::materials::MaterialStatusRecord>, ApiError>,
    },
    /// A status written (the record as stored) or refused.
    MaterialStatusSaved {
        write: crate::app::panes::materials::StatusWrite,
        result: Result<crate::api::materials::MaterialStatusRecord, ApiError>,
    },
    /// The last-known answers kept on disk for this user (`crate::cache`), read at session start.
    Cached(Box<CachedAnswers>),
}

/// What the cache on disk held for the session's user: the Dashboard's weeks (glance built) and
/// My Profile, each with the moment it was saved.
#[derive(Debug, Default)]
pub struct CachedAnswers {
    pub weeks: Vec<(Week, DateTime<Utc>, crate::app::week_answer::PreparedWeek)>,
    pub profile: Option<(DateTime<Utc>, crate::cache::ProfileSnapshot)>,
}

impl Answer {
    /// The answer's failure, if it is one.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Answer::User(result) => result.as_ref().err(),
            Answer::Week { result, .. } => result.as_ref().err(),
            Answer::WeekPrepared { result, .. } => result.as_ref().err(),
            Answer::ProfilePart { part, .. } => part.body.as_ref().err(),
            Answer::Materials { result, .. } => result.as_ref().err(),
            Answer::MaterialStatusSaved { result, .. } => result.as_ref().err(),
            Answer::MaterialStatuses { result, .. } => result.as_ref().err(),
            Answer::Calendar { result, .. } => result.as_ref().err(),
            Answer::CalendarSchools { result, .. } => result.as_ref().err(),
            Answer::CalendarFilterLists { result, .. } => result.as_ref().err(),
            Answer::TokenCreated(result) | Answer::TokensInvalidated(result) => {
                result.as_ref().err()
            }
            Answer::Cached(_) => None,
        }
    }
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
    /// A network answer for the session, stamped with when its request left.
    Answer {
        stamp: Stamp,
        answer: Answer,
    },
    SignedIn(Result<Token, ApiError>),
    /// A pasted token checked with whoami.
    TokenChecked {
        token: Token,
        result: Result<u64, ApiError>,
    },
    /// Where a copied text went (or why it could not go anywhere).
    Copied {
        what: &'static str,
        result: Result<crate::clipboard::Delivery, String>,
    },
    /// tmux did not take the text (`why`): copy it with OSC 52 instead. The text is a [`Token`]
    /// so no log or debug output can show it.
    CopyRefused {
        what: &'static str,
        text: crate::api::Token,
        why: String,
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
    /// `school`: that school's All Events; `None`: My Schedule.
    LoadCalendar {
        span: Span,
        school: Option<u64>,
        seq: u64,
    },
    LoadCalendarSchools {
        seq: u64,
    },
    LoadCalendarFilterLists {
        school: u64,
        seq: u64,
    },
    CreateToken {
        ttl: String,
    },
    /// `GET usermaterials` for the range (and the statuses, when `with_statuses`).
    LoadMaterials {
        seq: u64,
        range: crate::domain::materials::Range,
        with_statuses: bool,
    },
    SaveMaterialStatus(crate::app::panes::materials::StatusWrite),
    /// `GET usersessionmaterialstatuses?filters[user]=` alone (the glance's boxes).
    LoadMaterialStatuses {
        seq: u64,
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
    /// Copy `text`: into tmux's buffer when inside tmux, else (or with `through_terminal`)
    /// with OSC 52.
    Copy {
        what: &'static str,
        text: Zeroizing<String>,
        through_terminal: bool,
    },
    ExpireFlash {
        id: u64,
        after: std::time::Duration,
    },
    Suspend,
    /// Read the last-known answers kept for the session's user (nothing when the cache is off).
    ReadCache,
    /// Keep a Dashboard week's answer (the body as it arrived) on disk.
    RememberWeek {
        week: Week,
        answer: bytes::Bytes,
    },
    /// Keep My Profile's answers on disk.
    RememberProfile(Box<crate::cache::ProfileSnapshot>),
    /// Remove everything kept on disk for this user of this server (logout, invalidation).
    ForgetCache {
        user_id: u64,
    },
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print passwords, tokens or copied text.
        let name = match self {
            Effect::LoadAppConfig => "LoadAppConfig".to_string(),
            Effect::LoadUser => "LoadUser".to_string(),
            Effect::LoadWeek { week, seq } => format!("LoadWeek({}, {seq})", week.first),
            Effect::LoadProfile { seq, .. } => format!("LoadProfile({seq})"),
            Effect::LoadCalendarSchools { seq } => format!("LoadCalendarSchools({seq})"),
            Effect::LoadCalendarFilterLists { school, seq } => {
                format!("LoadCalendarFilterLists({school}, {seq})")
            }
            Effect::LoadCalendar { span, school, seq } => {
                format!(
                    "LoadCalendar({}..{}, {school:?}, {seq})",
                    span.first, span.last
                )
            }
            Effect::CreateToken { ttl } => format!("CreateToken({ttl})"),
            Effect::LoadMaterials { seq, range, .. } => format!("LoadMaterials({seq}, {range:?})"),
            Effect::SaveMaterialStatus(write) => format!("SaveMaterialStatus({write:?})"),
            Effect::LoadMaterialStatuses { seq } => format!("LoadMaterialStatuses({seq})"),
            Effect::InvalidateTokens => "InvalidateTokens".to_string(),
            Effect::SignIn { username, .. } => format!("SignIn({username})"),
            Effect::CheckToken(_) => "CheckToken".to_string(),
            Effect::StoreSession { always, .. } => format!("StoreSession(always={always})"),
            Effect::Logout => "Logout".to_string(),
            Effect::Copy { what, .. } => format!("Copy({what})"),
            Effect::ExpireFlash { id, after } => format!("ExpireFlash({id}, {after:?})"),
            Effect::Suspend => "Suspend".to_string(),
            Effect::ReadCache => "ReadCache".to_string(),
            Effect::RememberWeek { week, .. } => format!("RememberWeek({})", week.first),
            Effect::RememberProfile(_) => "RememberProfile".to_string(),
            Effect::ForgetCache { user_id } => format!("ForgetCache({user_id})"),
        };
        f.write_str(&name)
    }
}
