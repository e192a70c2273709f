//! Starting the full-screen app: config, server, token, terminal; and restoring the terminal
//! whatever happens.

use std::process::ExitCode;

use tokio::sync::mpsc;

use crate::api::{Client, Token};
use crate::app::runtime::{Runner, run as run_loop};
use crate::app::state::{App, Now, Session, Settings, SignIn};
use crate::app::{Effect, keymap::Keymap, update};
use crate::cli::GlobalArgs;
use crate::config::{Config, ThemeName, TokenSource};
#[cfg(feature = "demo")]
use crate::demo::{DemoOptions, DemoServer};
use crate::ui::Theme;

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("ilios-tui: {message}");
    ExitCode::FAILURE
}

pub fn settings_from(
    config: &Config,
    config_path: Option<&std::path::Path>,
    clock: crate::clock::Clock,
) -> Result<Settings, String> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Ok(Settings {
        week_start: config.week_start,
        time_format: config.time_format,
        theme: Theme {
            mono: no_color || config.theme == ThemeName::Mono,
        },
        keymap: Keymap::with_overrides(&config.keys)?,
        config_path: config_path.map(|p| p.display().to_string()),
        clock,
    })
}

pub async fn run(global: GlobalArgs) -> ExitCode {
    let _ = color_eyre::install();
    let (config, config_path) = match Config::load(global.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let _log = crate::logging::init(global.log_file.as_deref(), config.log_file.as_deref());
    let clock = match global.clock() {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let settings = match settings_from(&config, config_path.as_deref(), clock) {
        Ok(s) => s,
        Err(e) => {
            return fail(format!(
                "{}: {e}",
                config_path
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ));
        }
    };

    // --demo: an Ilios-compatible server in this process, on a free loopback port.
    #[cfg(feature = "demo")]
    let mut demo = None;
    #[cfg(feature = "demo")]
    let demo_signed_in = if global.demo {
        match DemoServer::start(DemoOptions {
            clock,
            ..DemoOptions::default()
        })
        .await
        {
            Ok(server) => {
                let token = server.token_for(global.persona);
                let url = server.url();
                demo = Some(server);
                Some((url, Token::new(token)))
            }
            Err(e) => return fail(format!("the demo server did not start: {e}")),
        }
    } else {
        None
    };
    #[cfg(not(feature = "demo"))]
    let demo_signed_in: Option<(String, Token)> = None;
    let persist_sessions = demo_signed_in.is_none();
    let (url, demo_token) = match demo_signed_in {
        Some((url, token)) => (url, Some(token)),
        None => match global.url.clone().or(config.url.clone()) {
            Some(url) => (url, None),
            None => {
                return fail(if cfg!(feature = "demo") {
                    "no server given: use --url https://ilios.example.edu, set url in the config, \
                     or try --demo"
                } else {
                    "no server given: use --url https://ilios.example.edu, or set url in the config"
                });
            }
        },
    };
    let client = match Client::new(&url, config.client_options()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let token = match demo_token {
        Some(t) => Some((t, TokenSource::Demo)),
        None => match crate::config::find_token(
            &config,
            config_path.as_deref(),
            global.token_file.as_deref(),
            client.base_url().as_str(),
            clock.now(),
        ) {
            Ok(t) => t,
            Err(e) => return fail(e),
        },
    };

    tracing::info!(
        server = client.host(),
        token_source = token
            .as_ref()
            .map(|(_, s)| s.to_string())
            .unwrap_or_else(|| "sign-in".into()),
        "starting the TUI"
    );
    let now = Now::read(&clock);
    let mut app = App::new(
        settings,
        client.base_url().as_str(),
        client.host(),
        &client.api_doc_url(),
        now,
    );
    let mut initial = vec![Effect::LoadAppConfig];
    match token.map(|(t, source)| Session::new(t, source)) {
        // An expired token would only earn a 401: say so and ask for a sign-in at once.
        Some(Ok(session)) if session.claims.is_expired_at(now.utc()) => {
            let when = session.expires_at().map(|t| {
                t.with_timezone(&now.zone)
                    .format(" at %Y-%m-%d %H:%M")
                    .to_string()
            });
            app.sign_in = Some(SignIn::new(Some(format!(
                "The token from {} expired{}. Sign in again.",
                session.source,
                when.unwrap_or_default()
            ))));
        }
        Some(Ok(session)) => update::start_session(&mut app, session, &mut initial),
        Some(Err(why)) => app.sign_in = Some(SignIn::new(Some(why))),
        None => app.sign_in = Some(SignIn::new(None)),
    }

    let (tx, rx) = mpsc::unbounded_channel();
    let runner = Runner::new(client, persist_sessions, tx);
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot use this terminal: {e}")),
    };
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    // ratatui's hook restores raw mode and the screen; bracketed paste is ours to turn off.
    let restore_terminal = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
        restore_terminal(info);
    }));
    let result = run_loop(&mut terminal, &mut app, runner, rx, initial).await;
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    #[cfg(feature = "demo")]
    if let Some(server) = demo {
        server.shutdown().await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("the terminal failed: {e}")),
    }
}
