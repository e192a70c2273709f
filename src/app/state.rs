//! The one owner of application state. Drawing reads it; only `update` changes it.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui_textarea::TextArea;

use crate::api::models::{ApplicationConfig, User, UserEvent};
use crate::api::{Claims, Token};
use crate::clock::{Clock, Zone};
use crate::config::TokenSource;
use crate::domain::Loadable;
use crate::domain::week::{TimeFormat, Week, WeekStart};
use crate::ui::Theme;

use super::keymap::{Keymap, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Dashboard,
    Week,
    Profile,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Dashboard, Pane::Week, Pane::Profile];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Dashboard => "Dashboard",
            Pane::Week => "Week at a Glance",
            Pane::Profile => "My Profile",
        }
    }

    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Pane::Dashboard => &[Scope::Dashboard, Scope::Glance],
            Pane::Week => &[Scope::Week, Scope::Glance],
            Pane::Profile => &[Scope::Profile],
        }
    }

    pub fn cycle(self, forward: bool) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        let n = Pane::ALL.len();
        Pane::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

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

/// One week of events as fetched, cached by week so going back and forth costs nothing.
#[derive(Debug, Clone, Default)]
pub struct WeekEntry {
    pub events: Loadable<Vec<UserEvent>>,
    /// The glance built from `events` once, when they arrive (not on every draw).
    pub glance: Loadable<crate::domain::week::WeekGlance>,
    /// The request whose answer we wait for; older answers are dropped.
    pub seq: u64,
}

pub use crate::ui::widgets::flash::{Flash, FlashKind};

/// How the sign-in screen asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMode {
    /// `form` or `ldap`: username and password.
    Password,
    /// `cas` or `shibboleth`: an API token made on the web My Profile page.
    Token,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInField {
    Username,
    Password,
}

pub struct SignIn {
    pub mode: Loadable<SignInMode>,
    pub username: TextArea<'static>,
    pub password: TextArea<'static>,
    pub token: TextArea<'static>,
    pub focus: SignInField,
    pub busy: bool,
    pub error: Option<String>,
    /// Why we are here, e.g. the server's reason for ending the session.
    pub notice: Option<String>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("mode", &self.mode)
            .field("busy", &self.busy)
            .finish_non_exhaustive()
    }
}

impl SignIn {
    pub fn new(notice: Option<String>) -> SignIn {
        let mut password = TextArea::default();
        password.set_mask_char('•');
        let mut token = TextArea::default();
        token.set_mask_char('•');
        SignIn {
            mode: Loadable::Loading,
            username: TextArea::default(),
            password,
            token,
            focus: SignInField::Username,
            busy: false,
            error: None,
            notice,
        }
    }
}

/// At most one overlay is open at a time; it takes the keys while open.
// One overlay at a time lives in the state; its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    UserMenu {
        selected: usize,
    },
    /// The session ended (401): the server's reason; Enter goes to sign-in.
    SessionEnded {
        reason: String,
    },
    GoToDate {
        input: TextArea<'static>,
        error: Option<String>,
    },
    EventDetail {
        index: usize,
        detail: crate::ui::week::DetailState,
    },
    Tokens(crate::app::tokens::TokenOverlay),
}

pub const USER_MENU_ITEMS: [&str; 2] = ["My Profile", "Logout"];

/// Everything the app knows.
#[derive(Debug)]
pub struct App {
    pub settings: Settings,
    pub server_url: String,
    pub server_host: String,
    pub api_doc_url: String,
    pub session: Option<Session>,
    /// Bumped on sign-in and logout: answers for an older session are dropped.
    pub generation: u64,
    /// Bumped whenever the session token is swapped for another of the same session.
    pub token_epoch: u64,
    /// `/auth/invalidatetokens` is running.
    pub invalidating: bool,
    /// Requests refused during the invalidation, sent again with the new token.
    pub deferred: Vec<crate::app::Effect>,
    pub app_config: Loadable<ApplicationConfig>,
    pub user: Loadable<User>,
    pub pane: Pane,
    pub overlay: Option<Overlay>,
    /// Shown instead of the panes when there is no session.
    pub sign_in: Option<SignIn>,
    pub flash: Option<Flash>,
    /// Which flash a pending expiry timer belongs to.
    pub flash_id: u64,
    pub weeks: HashMap<Week, WeekEntry>,
    pub this_week: Week,
    pub browse_week: Week,
    pub dashboard_view: crate::app::views::GlanceView,
    pub week_view: crate::app::views::GlanceView,
    pub profile: crate::app::views::ProfileView,
    /// The Dashboard's "Coming Up" column.
    pub upcoming: Loadable<crate::domain::week::Upcoming>,
    pub next_seq: u64,
    pub size: (u16, u16),
    pub now: Now,
    pub quit: bool,
}

impl App {
    pub fn new(
        settings: Settings,
        server_url: &str,
        server_host: &str,
        api_doc_url: &str,
        now: Now,
    ) -> App {
        let this_week = Week::containing(now.today(), settings.week_start);
        App {
            settings,
            server_url: server_url.to_string(),
            server_host: server_host.to_string(),
            api_doc_url: api_doc_url.to_string(),
            session: None,
            generation: 0,
            token_epoch: 0,
            invalidating: false,
            deferred: Vec::new(),
            app_config: Loadable::Loading,
            user: Loadable::Loading,
            pane: Pane::Dashboard,
            overlay: None,
            sign_in: None,
            flash: None,
            flash_id: 0,
            weeks: HashMap::new(),
            this_week,
            browse_week: this_week,
            dashboard_view: Default::default(),
            week_view: Default::default(),
            profile: Default::default(),
            upcoming: Loadable::Loading,
            next_seq: 1,
            size: (80, 24),
            now,
            quit: false,
        }
    }

    pub fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// The week a glance pane shows: this week on the Dashboard, the browsed one on pane 2.
    pub fn pane_week(&self) -> Week {
        match self.pane {
            Pane::Week => self.browse_week,
            _ => self.this_week,
        }
    }

    pub fn week(&self, week: Week) -> Loadable<&Vec<UserEvent>> {
        self.weeks
            .get(&week)
            .map(|e| e.events.as_ref())
            .unwrap_or(Loadable::Loading)
    }

    pub fn user_name(&self) -> Option<String> {
        self.user
            .ready()
            .map(crate::domain::names::full_name)
            .map(|n| crate::text::sanitize_line(&n).into_owned())
            .filter(|n| !n.is_empty())
    }
}
