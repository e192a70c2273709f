//! The app without a terminal: real `update`, real effects against the embedded server over
//! loopback HTTP, actions fed back as the runtime does.
#![allow(dead_code)]

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;

use ilios_tui::api::models::UserEvent;
use ilios_tui::api::{Client, ClientOptions, Token};
use ilios_tui::app::keymap::Keymap;
use ilios_tui::app::runtime::Runner;
use ilios_tui::app::state::{App, Now, Session, Settings};
use ilios_tui::app::{Action, Effect, update};
use ilios_tui::clock::Clock;
use ilios_tui::config::TokenSource;
use ilios_tui::demo::{DemoOptions, DemoServer, Persona};
use ilios_tui::domain::week::{TimeFormat, Week, WeekStart};
use ilios_tui::ui::Theme;

pub struct Headless {
    pub app: App,
    pub server: DemoServer,
    runner: Runner,
    rx: mpsc::UnboundedReceiver<Action>,
}

impl Headless {
    /// A session on the test clock ([`super::test_clock`]).
    pub async fn start(persona: Persona) -> Headless {
        Self::start_with(persona, super::demo_options()).await
    }

    /// A session whose server and app both run on `clock`.
    pub async fn start_at(persona: Persona, clock: Clock) -> Headless {
        Self::start_with(
            persona,
            DemoOptions {
                clock,
                ..super::demo_options()
            },
        )
        .await
    }

    pub async fn start_with(persona: Persona, options: DemoOptions) -> Headless {
        Self::start_with_options(persona, options, ClientOptions::default()).await
    }

    /// A session with chosen server behaviour and client timeouts (e.g. a short request timeout
    /// for `Fault::Hang`).
    pub async fn start_with_options(
        persona: Persona,
        options: DemoOptions,
        client_options: ClientOptions,
    ) -> Headless {
        let server = DemoServer::start(options).await.unwrap();
        let url = server.url();
        Self::start_against(server, &url, persona, client_options)
    }

    /// A week's events as the server sends them to `persona` (the app keeps only the glance and
    /// timeline it builds from them).
    #[allow(dead_code)] // not every test binary asks
    pub async fn sent_events(&self, persona: Persona, week: Week) -> Vec<UserEvent> {
        let client = Client::new(&self.server.url(), ClientOptions::default())
            .unwrap()
            .with_token(Token::new(self.server.token_for(persona)));
        let user_id = self.app.session.as_ref().unwrap().user_id;
        let (from, to) = week.unix_range(&self.app.now.zone);
        client.user_events(user_id, from, to).await.unwrap()
    }

    /// A session whose client talks to `url`, which need not be `server`'s (a closed port, say);
    /// `server` only mints the persona's token. The app runs on the server's clock.
    pub fn start_against(
        server: DemoServer,
        url: &str,
        persona: Persona,
        client_options: ClientOptions,
    ) -> Headless {
        let client = Client::new(url, client_options).unwrap();
        let settings = Settings {
            week_start: WeekStart::Sunday,
            time_format: TimeFormat::H12,
            theme: Theme::default(),
            keymap: Keymap::default(),
            config_path: None,
            clock: server.clock(),
        };
        let now = Now::read(&settings.clock);
        let mut app = App::new(
            settings,
            client.base_url().as_str(),
            client.host(),
            &client.api_doc_url(),
            now,
        );
        let (tx, rx) = mpsc::unbounded_channel();
        let runner = Runner::new(client, false, tx);
        let session =
            Session::new(Token::new(server.token_for(persona)), TokenSource::Env).unwrap();
        let mut fx = vec![Effect::LoadAppConfig];
        ilios_tui::app::update::start_session(&mut app, session, &mut fx);
        let mut h = Headless {
            app,
            server,
            runner,
            rx,
        };
        h.run(fx);
        h
    }

    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            self.runner.run(&self.app, e);
        }
    }

    pub fn act(&mut self, action: Action) {
        self.app.now = Now::read(&self.app.settings.clock);
        let fx = update(&mut self.app, action);
        self.run(fx);
    }

    pub fn key(&mut self, code: KeyCode) {
        self.act(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn char(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    /// Feeds answers back until `done` holds; panics after 10 s.
    pub async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done(&self.app) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(action)) => self.act(action),
                _ => panic!("timed out waiting for {what}"),
            }
        }
    }

    /// Processes what arrives within `quiet` of the last answer.
    pub async fn settle(&mut self, quiet: Duration) {
        while let Ok(Some(action)) = tokio::time::timeout(quiet, self.rx.recv()).await {
            self.act(action);
        }
    }

    /// Draws the whole screen into a TestBackend and returns its text.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| ilios_tui::ui::shell::draw(f, &mut self.app))
            .unwrap();
        terminal.backend().to_string()
    }

    /// [`Headless::screen`] as plain rows (the TestBackend quotes each row).
    #[allow(dead_code)] // not every test binary asks
    pub fn rows(&mut self, width: u16, height: u16) -> String {
        let mut out = String::new();
        for l in self.screen(width, height).lines() {
            out.push_str(
                l.strip_prefix('"')
                    .and_then(|l| l.strip_suffix('"'))
                    .unwrap_or(l),
            );
            out.push('\n');
        }
        out
    }

    /// [`Headless::rows`] with the one thing that differs between runs, the server's port,
    /// written as `PORT` (for snapshots).
    #[allow(dead_code)] // not every test binary asks
    pub fn snapshot_rows(&mut self, width: u16, height: u16) -> String {
        self.app.server_host = "127.0.0.1:PORT".into();
        self.rows(width, height)
    }

    /// The names of the events the Calendar lists for the range it shows, in order.
    #[allow(dead_code)] // not every test binary asks
    pub fn calendar_listed(&self) -> Vec<String> {
        let span = self.app.calendar.span(self.app.settings.week_start);
        let events = self.app.calendar.listed(span).ready().copied();
        events
            .unwrap_or_default()
            .iter()
            .map(|e| e.name.clone())
            .collect()
    }
}
