//! What a run and a session are made of: the settings, the signed-in session, the current
//! moment. Low enough that every room may read them.

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};

use crate::api::{Claims, Token};
use crate::clock::{Clock, Zone};
use crate::config::TokenSource;
use crate::domain::week::{TimeFormat, WeekStart};
use crate::ui::Theme;

use super::keymap::Keymap;

/// What the user chose in settings: fixed for the run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub week_start: WeekStart,
    pub time_format: TimeFormat,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Shown in the help overlay so people know what to edit.
    pub config_path: Option<String>,
    /// The one clock (the system's, or a pinned one for `--now` and tests).
    pub clock: Clock,
}

/// The signed-in session. The token itself never leaves this struct except in request headers.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: Token,
    pub claims: Claims,
    pub user_id: u64,
    pub source: TokenSource,
}

impl Session {
    pub fn new(token: Token, source: TokenSource) -> Result<Session, String> {
        let claims = Claims::decode(token.expose())
            .map_err(|e| format!("That token cannot be used: {e}."))?;
        let user_id = claims
            .user_id()
            .map_err(|e| format!("That token cannot be used: {e}."))?;
        Ok(Session {
            token,
            claims,
            user_id,
            source,
        })
    }

    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.claims.expires_at()
    }
}

/// The current moment, read once per action by the runtime from the one [`Clock`] so `update`
/// stays pure.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub instant: Instant,
    /// The moment in `zone` (its offset is the one in force then).
    pub local: DateTime<Zone>,
    /// The user's zone: every local date and time on screen is in it.
    pub zone: Zone,
}

impl Now {
    pub fn read(clock: &Clock) -> Now {
        Now {
            instant: Instant::now(),
            local: clock.local_now(),
            zone: clock.zone(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.local.date_naive()
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.local.to_utc()
    }
}
