//! The one owner of application state. Drawing reads it; only `update` changes it.

use std::collections::HashMap;

use crate::api::ApiError;
use crate::api::models::{ApplicationConfig, User};
use crate::domain::Loadable;
use crate::domain::week::{TimelineEvent, Week};

use super::action::Effect;
use super::dialogs::{Dialog, SessionEnded};
use super::panes::calendar::CalendarPane;
use super::panes::glance::GlanceView;
use super::panes::profile::ProfileView;

pub use super::dialogs::{SignIn, SignInField, SignInMode, USER_MENU_ITEMS};
pub use super::panes::Pane;
pub use super::session::{Now, Session, Settings};
pub use crate::ui::widgets::flash::{Flash, FlashKind};

/// One week of events as fetched, cached by week so going back and forth costs nothing.
#[derive(Debug, Clone, Default)]
pub struct WeekEntry {
    /// What "Coming Up" needs of the week's events (the events themselves are not kept).
    pub timeline: Loadable<Vec<TimelineEvent>>,
    /// The glance built from the events once, when they arrive (not on every draw).
    pub glance: Loadable<crate::domain::week::WeekGlance>,
    /// The request whose answer we wait for; older answers are dropped.
    pub seq: u64,
    /// A request for this week is out (its answer not yet taken).
    pub in_flight: bool,
    /// Asked for ahead of need (a neighbour of the week shown): dropped if the person moves on
    /// before it arrives.
    pub prefetch: bool,
    /// Shown from the cache on disk, saved then: the fresh answer has not arrived yet.
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

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
    pub deferred: Vec<Effect>,
    pub app_config: Loadable<ApplicationConfig>,
    pub user: Loadable<User>,
    pub pane: Pane,
    /// The open dialog, if any: it takes the keys.
    pub dialog: Option<Dialog>,
    /// Shown instead of the panes when there is no session.
    pub sign_in: Option<SignIn>,
    pub flash: Option<Flash>,
    /// Which flash a pending expiry timer belongs to.
    pub flash_id: u64,
    pub weeks: HashMap<Week, WeekEntry>,
    pub this_week: Week,
    pub browse_week: Week,
    pub dashboard_view: GlanceView,
    pub week_view: GlanceView,
    pub profile: ProfileView,
    pub materials: super::panes::materials::MaterialsView,
    /// The user's learning-material statuses, shared by My Materials, the glance and the detail.
    pub material_statuses: super::material_status::MaterialStatusBook,
    /// A text shown alone on the screen (the ICS link), until any key.
    pub plain: Option<Plain>,
    /// My Profile is shown from the cache on disk, saved then, until the fresh wave is complete.
    pub profile_as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// The fresh wave, gathered here while the cached profile stays on screen.
    pub fresh_profile: Option<ProfileView>,
    /// The current wave's answers as they came, kept on disk once the wave is complete.
    pub profile_record: Vec<(serde_json::Value, serde_json::Value)>,
    pub calendar: CalendarPane,
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
            dialog: None,
            sign_in: None,
            flash: None,
            flash_id: 0,
            weeks: HashMap::new(),
            this_week,
            browse_week: this_week,
            dashboard_view: Default::default(),
            week_view: Default::default(),
            profile: Default::default(),
            materials: Default::default(),
            material_statuses: Default::default(),
            plain: None,
            profile_as_of: None,
            fresh_profile: None,
            profile_record: Vec::new(),
            calendar: CalendarPane::new(now.today()),
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

    /// The event of the open detail popup: the Calendar's opened event, else the glance's.
    pub fn detail_event(&self, index: usize) -> Option<&crate::domain::week::GlanceEvent> {
        if self.pane == Pane::Calendar {
            return self.calendar.opened();
        }
        let week = self.pane_week();
        let glance = self.weeks.get(&week).and_then(|e| e.glance.ready());
        glance.and_then(|g| g.event(index))
    }

    pub fn week(&self, week: Week) -> Loadable<&Vec<TimelineEvent>> {
        self.weeks
            .get(&week)
            .map(|e| e.timeline.as_ref())
            .unwrap_or(Loadable::Loading)
    }

    pub fn user_name(&self) -> Option<String> {
        self.user
            .ready()
            .map(crate::domain::names::full_name)
            .map(|n| crate::text::sanitize_line(&n).into_owned())
            .filter(|n| !n.is_empty())
    }

    /// Shows a flash in the status bar; it expires on its own unless it is an alert.
    pub fn flash(&mut self, kind: FlashKind, text: String, fx: &mut Vec<Effect>) {
        let id = self.seq();
        let f = Flash::new(kind, text, self.now.instant);
        if let Some(at) = f.expires_at() {
            fx.push(Effect::ExpireFlash {
                id,
                after: at - f.shown_at,
            });
        }
        self.flash_id = id;
        self.flash = Some(f);
    }

    /// A request failed. A 401 ends the session (keeping everything on screen); the rest is a
    /// flash.
    pub fn session_error(&mut self, err: ApiError, fx: &mut Vec<Effect>) {
        tracing::warn!("request failed: {err}");
        if let ApiError::Unauthorized { reason, .. } = &err {
            // Already ended and signing in again: later 401s of the old session change nothing.
            if self.sign_in.is_none() && !matches!(self.dialog, Some(Dialog::SessionEnded(_))) {
                self.dialog = Some(Dialog::SessionEnded(SessionEnded {
                    reason: reason.clone(),
                }));
            }
            return;
        }
        self.flash(FlashKind::Alert, err.to_string(), fx);
    }

    /// Whether the academic year crosses the calendar year (from the app config).
    pub fn year_crosses_boundary(&self) -> bool {
        self.app_config
            .ready()
            .is_some_and(|c| c.academic_year_crosses_calendar_year_boundaries)
    }

    /// When the data on screen was saved, if it comes from the cache on disk (the oldest of the
    /// Dashboard's two weeks there).
    pub fn shown_as_of(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let week_as_of = |week: Week| self.weeks.get(&week).and_then(|e| e.as_of);
        match self.pane {
            Pane::Profile => self.profile_as_of,
            Pane::Materials | Pane::Calendar => None,
            Pane::Week => week_as_of(self.browse_week),
            Pane::Dashboard => [self.this_week, self.this_week.next()]
                .into_iter()
                .filter_map(week_as_of)
                .min(),
        }
    }

    /// "as of 09:41 AM" (or "as of Feb 16, 09:41 AM" on another day), for the status bar.
    pub fn as_of_mark(&self) -> Option<String> {
        let at = self.shown_as_of()?.with_timezone(&self.now.zone);
        let time = crate::domain::week::format_time(&at, self.settings.time_format);
        if at.date_naive() == self.now.today() {
            Some(format!("as of {time}"))
        } else {
            Some(format!("as of {}, {time}", at.format("%b %-d")))
        }
    }

    /// "Coming Up" on the Dashboard, from this week and next.
    pub fn refresh_upcoming(&mut self) {
        let next = self.week(self.this_week.next());
        self.upcoming = super::panes::glance::coming_up(
            self.week(self.this_week),
            next.ready().copied(),
            self.now.utc(),
            &self.now.zone,
        );
    }
}

/// A text shown alone on the screen, so that a mouse selection copies it whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plain {
    pub heading: String,
    pub text: String,
    /// Under the text: where a copy went, and how to go back.
    pub footer: String,
}
