//! Starting the full-screen app: config, server, token, terminal; and restoring the terminal
//! whatever happens.

use std::process::ExitCode;

use tokio::sync::mpsc;

use crate::api::{Client, Token};
use crate::app::dialogs::SignIn;
use crate::app::runtime::{Runner, run as run_loop};
use crate::app::state::{App, Now, Session, Settings};
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
    let colors = match config.theme {
        ThemeName::Mono => crate::ui::ColorDepth::None,
        ThemeName::Default => crate::ui::ColorDepth::from_env(),
    };
    Ok(Settings {
        week_start: config.week_start,
        time_format: config.time_format,
        theme: Theme {
            colors,
            ascii: !Theme::utf8_locale(|k| std::env::var(k).ok()),
        },
        keymap: Keymap::with_overrides(&config.keys)?,
        config_path: config_path.map(|p| p.display().to_string()),
        clock,
    })
}

/// Why the full-screen UI cannot run here, if it cannot: output that is not a terminal (a file,
/// `ssh host ilios-tui` without `-t`) or a terminal that cannot place the cursor (`TERM=dumb`).
/// Checked before anything is drawn, so no escape sequence ever lands in a file.
pub fn unusable_terminal(stdin_tty: bool, stdout_tty: bool, term: Option<&str>) -> Option<String> {
    const HEADLESS: &str = "The headless commands work anywhere: `ilios-tui whoami`, `week`, \
                            `profile`, `token create` (see `ilios-tui --help`).";
    if !stdout_tty || !stdin_tty {
        let which = if stdout_tty { "input" } else { "output" };
        return Some(format!(
            "the full-screen view needs a terminal, and its {which} is not one. Over SSH, use \
             `ssh -t host ilios-tui`. {HEADLESS}"
        ));
    }
    match term.map(str::trim) {
        None | Some("") | Some("dumb") | Some("unknown") => Some(format!(
            "this terminal (TERM={}) cannot place the cursor, which the full-screen view needs. \
             Set TERM to your terminal's type (e.g. xterm-256color). {HEADLESS}",
            term.unwrap_or("")
        )),
        _ => None,
    }
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

    // Config errors first (they name the file); then whether this terminal can show the view,
    // before the demo server starts or anything is written.
    {
        use std::io::IsTerminal;
        let term = std::env::var("TERM").ok();
        if let Some(why) = unusable_terminal(
            std::io::stdin().is_terminal(),
            std::io::stdout().is_terminal(),
            term.as_deref(),
        ) {
            eprintln!("ilios-tui: {why}");
            return ExitCode::from(2);
        }
    }

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
    let runner = Runner::new(client, persist_sessions, tx).with_cache(
        persist_sessions
            .then(|| crate::cache::CacheOptions::from_config(&config))
            .flatten(),
    );
    crate::terminal::restore_on_panic();
    let mut terminal = match crate::terminal::enter(app.settings.theme.colors) {
        Ok(t) => t,
        Err(e) => {
            crate::terminal::leave();
            return fail(format!("cannot use this terminal: {e}"));
        }
    };
    let result = run_loop(&mut terminal, &mut app, runner, rx, initial).await;
    drop(terminal);
    crate::terminal::leave();
    #[cfg(feature = "demo")]
    if let Some(server) = demo {
        server.shutdown().await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("the terminal failed: {e}")),
    }
}
