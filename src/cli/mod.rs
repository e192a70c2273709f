//! Headless commands for operators and scripts, on the same API client, config and token sources
//! as the TUI. Output is plain text (no colour, no escape codes) or one JSON document; messages go
//! to stderr; exit codes are documented in README.md.

// Every line for the terminal goes through `emit` (stdout) or `say` (stderr): the one sanitizer
// (`crate::text::sanitize`) on the way, and no panic on a closed pipe or a full disk. These
// shadow the std macros in this module and in `output`.
macro_rules! println {
    () => { $crate::cli::emit("\n")? };
    ($($t:tt)*) => { $crate::cli::emit(&format!("{}\n", format_args!($($t)*)))? };
}
macro_rules! print {
    ($($t:tt)*) => { $crate::cli::emit(&format!($($t)*))? };
}
macro_rules! eprintln {
    ($($t:tt)*) => { $crate::cli::say(&format!("{}\n", format_args!($($t)*))) };
}
macro_rules! eprint {
    ($($t:tt)*) => { $crate::cli::say(&format!($($t)*)) };
}

pub mod args;
pub mod calendar;
pub mod materials;
pub mod output;
pub mod profile;

/// Writes sanitized `text` to stdout. A closed pipe (`| head -1`) ends the command quietly; any
/// other write error (`> /dev/full`) is reported.
pub fn emit(text: &str) -> CliResult<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(crate::text::sanitize(text).as_bytes())
        .map_err(write_error)
}

fn write_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::ClosedPipe
    } else {
        CliError::Other(format!("cannot write the output: {e}"))
    }
}

/// Writes sanitized `text` to stderr; a failure there has nowhere to be reported.
pub fn say(text: &str) {
    let _ = std::io::stderr().write_all(crate::text::sanitize(text).as_bytes());
}

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

pub use args::{Cli, Command, GlobalArgs};
use args::{LoginArgs, TokenCommand, TokenCreateArgs, TokenInvalidateArgs};

use crate::api::error::ErrorKind;
use crate::api::{ApiError, Claims, Client, Token};
use crate::clock::{Clock, Zone};
use crate::config::{Config, ConfigError, StoredSession, TokenSource};
#[cfg(feature = "demo")]
use crate::demo::{DemoOptions, DemoServer};

/// The documented exit codes.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NOT_AUTHENTICATED: u8 = 3;
    pub const REFUSED: u8 = 4;
    pub const UNREACHABLE: u8 = 5;
    /// stdout closed by its reader: 128 + SIGPIPE, what a shell reports for other tools.
    pub const CLOSED_PIPE: u8 = 141;
}

#[derive(Debug)]
pub enum CliError {
    Usage(String),
    NotAuthenticated(String),
    Api(ApiError),
    Config(ConfigError),
    Other(String),
    /// stdout was closed by the reader (`| head`): end quietly, as other tools do.
    ClosedPipe,
}

impl CliError {
    pub fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) => exit::USAGE,
            CliError::ClosedPipe => exit::CLOSED_PIPE,
            CliError::NotAuthenticated(_) => exit::NOT_AUTHENTICATED,
            CliError::Api(e) => match e.kind() {
                ErrorKind::NotAuthenticated => exit::NOT_AUTHENTICATED,
                ErrorKind::Refused => exit::REFUSED,
                ErrorKind::Unreachable | ErrorKind::Certificate => exit::UNREACHABLE,
                ErrorKind::Usage => exit::USAGE,
                ErrorKind::Other => exit::FAILURE,
            },
            CliError::Config(_) | CliError::Other(_) => exit::FAILURE,
        }
    }

    /// What happened, and what to do about it.
    pub fn message(&self) -> String {
        match self {
            CliError::Usage(m) | CliError::Other(m) => m.clone(),
            CliError::ClosedPipe => String::new(),
            CliError::NotAuthenticated(m) => m.clone(),
            CliError::Config(e) => e.to_string(),
            CliError::Api(e) => match e.kind() {
                ErrorKind::NotAuthenticated => format!(
                    "{e}\nSign in again with `ilios-tui login`, or give a valid token in ILIOS_TOKEN or --token-file."
                ),
                ErrorKind::Unreachable => {
                    format!("{e}\nCheck the server address and your network, then try again.")
                }
                _ => e.to_string(),
            },
        }
    }
}

impl From<ApiError> for CliError {
    fn from(e: ApiError) -> Self {
        CliError::Api(e)
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError::Config(e)
    }
}

pub type CliResult<T> = Result<T, CliError>;

/// Runs a headless command and maps the outcome to the documented exit codes.
pub async fn run(global: GlobalArgs, command: Command) -> ExitCode {
    let result = execute(global, command)
        .await
        .and_then(|()| std::io::stdout().flush().map_err(write_error));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::ClosedPipe) => ExitCode::from(exit::CLOSED_PIPE),
        Err(e) => {
            eprintln!("ilios-tui: {}", e.message());
            ExitCode::from(e.code())
        }
    }
}

/// The server, the client and, once needed, the session of one command.
pub struct Context {
    pub config: Config,
    pub config_path: Option<std::path::PathBuf>,
    pub global: GlobalArgs,
    pub client: Client,
    /// The one clock of the run (the system's, or `--now`).
    pub clock: Clock,
    /// Kept alive for `--demo`.
    #[cfg(feature = "demo")]
    _demo: Option<DemoServer>,
    demo_token: Option<Token>,
}

impl Context {
    pub async fn new(global: GlobalArgs) -> CliResult<Context> {
        let (config, config_path) = Config::load(global.config.as_deref())?;
        let clock = global.clock().map_err(CliError::Usage)?;
        #[cfg(feature = "demo")]
        let demo = if global.demo {
            let server = DemoServer::start(DemoOptions {
                clock,
                ..DemoOptions::default()
            })
            .await
            .map_err(|e| CliError::Other(format!("the demo server did not start: {e}")))?;
            Some(server)
        } else {
            None
        };
        #[cfg(feature = "demo")]
        let demo_signed_in = demo
            .as_ref()
            .map(|server| (server.url(), Token::new(server.token_for(global.persona))));
        #[cfg(not(feature = "demo"))]
        let demo_signed_in: Option<(String, Token)> = None;
        let (url, demo_token) = match demo_signed_in {
            Some((url, token)) => (url, Some(token)),
            None => {
                let url = global.url.clone().or(config.url.clone()).ok_or_else(|| {
                    CliError::Usage(
                        "no server given: use --url https://ilios.example.edu (or ILIOS_URL), or set url in the config"
                            .into(),
                    )
                })?;
                (url, None)
            }
        };
        let client = Client::new(&url, config.client_options())?;
        Ok(Context {
            config,
            config_path,
            global,
            client,
            clock,
            #[cfg(feature = "demo")]
            _demo: demo,
            demo_token,
        })
    }

    pub fn server_url(&self) -> String {
        self.client.base_url().as_str().to_string()
    }

    /// What the full-screen view keeps on disk for `user_id` on this server, unless the cache is
    /// off or this is the demo server.
    pub fn user_cache(&self, user_id: u64) -> Option<crate::cache::UserCache> {
        if self.demo_token.is_some() {
            return None;
        }
        let options = crate::cache::CacheOptions::from_config(&self.config)?;
        Some(crate::cache::UserCache::new(
            &options,
            &self.server_url(),
            user_id,
        ))
    }

    /// Removes what the full-screen view kept for `user_id` on this server (every user of it
    /// when `None`), even with `cache = false` now.
    fn forget_cache(&self, user_id: Option<u64>) -> CliResult<()> {
        let Some(options) = crate::cache::CacheOptions::ignoring_switch(&self.config) else {
            return Ok(());
        };
        let removed = match user_id {
            Some(id) => crate::cache::UserCache::new(&options, &self.server_url(), id).forget(),
            None => options.forget_server(&self.server_url()),
        };
        removed.map_err(|e| CliError::Other(format!("cannot remove the kept answers: {e}")))
    }

    /// A client signed in with the first token found, and that token's claims.
    pub fn signed_in(&self) -> CliResult<(Client, Claims, TokenSource)> {
        let found = match &self.demo_token {
            Some(t) => Some((t.clone(), TokenSource::Demo)),
            None => crate::config::find_token(
                &self.config,
                self.config_path.as_deref(),
                self.global.token_file.as_deref(),
                &self.server_url(),
                self.clock.now(),
            )?,
        };
        let (token, source) = found.ok_or_else(|| {
            CliError::NotAuthenticated(
                "not signed in: run `ilios-tui login`, or give a token in ILIOS_TOKEN, --token-file or the config's token_command"
                    .into(),
            )
        })?;
        let claims = Claims::decode(token.expose()).map_err(|e| {
            CliError::NotAuthenticated(format!("the token from {source} cannot be used: {e}"))
        })?;
        claims.user_id().map_err(|e| {
            CliError::NotAuthenticated(format!("the token from {source} cannot be used: {e}"))
        })?;
        Ok((self.client.with_token(token), claims, source))
    }
}

/// The completion script for `shell`, or the manual page: both from the one command definition.
fn self_documentation(command: &Command) -> Option<CliResult<()>> {
    use clap::CommandFactory;
    let mut cli = args::Cli::command();
    let mut out = Vec::new();
    match command {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut cli, "ilios-tui", &mut out)
        }
        Command::Man => {
            if let Err(e) = clap_mangen::Man::new(cli).render(&mut out) {
                return Some(Err(CliError::Other(format!(
                    "cannot write the manual: {e}"
                ))));
            }
        }
        _ => return None,
    }
    Some(emit(&String::from_utf8_lossy(&out)))
}

async fn execute(global: GlobalArgs, command: Command) -> CliResult<()> {
    // Needs no server, config or log.
    if let Some(done) = self_documentation(&command) {
        return done;
    }
    let _log = crate::logging::init(global.log_file.as_deref(), None);
    let ctx = Context::new(global).await?;
    match command {
        Command::Whoami(flag) => output::whoami(&ctx, flag.json).await,
        Command::Profile(args) => output::profile(&ctx, &args).await,
        Command::Week(args) => output::week(&ctx, &args).await,
        Command::Calendar(args) => calendar::calendar(&ctx, &args).await,
        Command::Materials(args) => materials::materials(&ctx, &args).await,
        Command::IcsLink => materials::ics_link(&ctx).await,
        Command::Token(TokenCommand::Create(args)) => token_create(&ctx, &args).await,
        Command::Token(TokenCommand::Invalidate(args)) => token_invalidate(&ctx, &args).await,
        Command::Login(args) => login(&ctx, &args).await,
        Command::Logout => logout(&ctx).await,
        #[cfg(feature = "demo")]
        Command::DemoServer(_) => Err(CliError::Usage("demo-server is run by main".into())),
        Command::Completions { .. } | Command::Man => unreachable!("answered above"),
    }
}

fn local_time(ts: i64, zone: Zone) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S %Z")
                .to_string()
        })
        .unwrap_or_else(|| "unknown".into())
}

async fn token_create(ctx: &Context, args: &TokenCreateArgs) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    let ttl = match (&args.ttl, args.expires) {
        (Some(ttl), _) => {
            let ttl = ttl.trim();
            // A malformed ttl would earn a server 500; say what is wrong before asking.
            crate::domain::tokens::check_ttl(ttl).map_err(CliError::Usage)?;
            ttl.to_string()
        }
        (None, date) => {
            let now = ctx.clock.local_now();
            let today = now.date_naive();
            let (min, max) = crate::domain::tokens::allowed_range(
                today,
                claims.first_created(),
                &ctx.clock.zone(),
            )
            .ok_or_else(|| {
                CliError::Usage(
                    "this session is too close to its 90-day limit to create a token that lasts \
                         until tonight; sign in again (`ilios-tui login`) to start a new session"
                        .into(),
                )
            })?;
            let date = date.unwrap_or_else(|| crate::domain::tokens::default_expiry(today));
            if date < min || date > max {
                return Err(CliError::Usage(format!(
                    "the expiry date {date} is outside what the server allows ({min} to {max})"
                )));
            }
            crate::domain::tokens::ttl_until(&now, date).ok_or_else(|| {
                CliError::Usage(format!("the expiry date {date} is not in the future"))
            })?
        }
    };
    let token = client.create_token(&ttl).await?;
    let exp = Claims::decode(token.expose()).ok().and_then(|c| c.exp);
    println!("{}", token.expose());
    std::io::stdout().flush().map_err(write_error)?;
    match exp {
        Some(exp) => eprintln!(
            "New token (ttl {ttl}) expires {}",
            local_time(exp, ctx.clock.zone())
        ),
        None => eprintln!("New token created (ttl {ttl})"),
    }
    Ok(())
}

fn confirm(question: &str) -> CliResult<bool> {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| CliError::Other(e.to_string()))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

async fn token_invalidate(ctx: &Context, args: &TokenInvalidateArgs) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::Usage(
                "refusing to invalidate every token without confirmation: stdin is not a terminal, pass --yes".into(),
            ));
        }
        let q = "This will invalidate all existing API tokens and you will need to generate new ones \
                 for any applications you have. Are you sure you want to do this?";
        if !confirm(q)? {
            eprintln!("Nothing was invalidated.");
            return Ok(());
        }
    }
    let fresh = client.invalidate_tokens().await?;
    // What the full-screen view kept goes with the old tokens (a failure is said, not fatal: the
    // new token must be kept first).
    let forgotten = ctx.forget_cache(claims.user_id().ok());
    // Every older token is dead now: the new one must reach the user whatever happens next.
    let stored = match StoredSession::replace_if_present(&ctx.server_url(), &fresh) {
        // No session file yet (the token came from elsewhere): keep the new token in one,
        // unless it is printed.
        Ok(false) if !args.print_new_token => {
            StoredSession::save(&ctx.server_url(), &fresh).map(|_| true)
        }
        other => other,
    };
    let stored = match stored {
        Ok(stored) => stored,
        Err(e) => {
            let _ = emit(&format!("{}\n", fresh.expose()));
            let _ = std::io::stdout().flush();
            return Err(CliError::Other(format!(
                "all existing tokens were invalidated, but the new session token could NOT be \
                 saved ({e}). It is printed on standard output and is now the only token that \
                 works: keep it (e.g. `ilios-tui login --with-token`, once the state directory \
                 can be written)."
            )));
        }
    };
    if args.print_new_token {
        println!("{}", fresh.expose());
    }
    eprintln!("All existing tokens were successfully invalidated");
    if let Err(e) = forgotten {
        eprintln!("{}", e.message());
    }
    if stored {
        eprintln!("The stored session now holds the new token.");
    }
    Ok(())
}

fn read_line_from_stdin(prompt: &str) -> CliResult<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::Other(e.to_string()))?;
    Ok(line.trim().to_string())
}

async fn login(ctx: &Context, args: &LoginArgs) -> CliResult<()> {
    let client = &ctx.client;
    let token = if args.with_token {
        let mut text = zeroize::Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Other(e.to_string()))?;
        let token = Token::new(text.trim());
        if token.expose().is_empty() {
            return Err(CliError::Usage("no token on standard input".into()));
        }
        client.with_token(token.clone()).whoami().await?;
        token
    } else {
        let config = client.application_config().await?;
        if !config.has_password_login() {
            return Err(CliError::Usage(format!(
                "{} signs in through a web page ({}); create an API token on its My Profile page and run \
                 `ilios-tui login --with-token < token-file`",
                client.host(),
                config.auth_type
            )));
        }
        let username = match &args.username {
            Some(u) => u.clone(),
            None => read_line_from_stdin("Username: ")?,
        };
        let password = zeroize::Zeroizing::new(
            rpassword::prompt_password("Password: ")
                .map_err(|e| CliError::Other(format!("cannot read the password: {e}")))?,
        );
        client.login(&username, &password).await?
    };
    let path = StoredSession::save(&ctx.server_url(), &token).map_err(|e| {
        CliError::Other(format!(
            "signed in, but the session could not be stored: {e}"
        ))
    })?;
    let name = match Claims::decode(token.expose())
        .ok()
        .and_then(|c| c.user_id().ok())
    {
        Some(id) => client
            .with_token(token.clone())
            .user(id)
            .await
            .ok()
            .map(|u| crate::domain::names::full_name(&u)),
        None => None,
    };
    eprintln!(
        "Signed in{} to {}; session stored in {}",
        name.map(|n| format!(" as {n}")).unwrap_or_default(),
        client.host(),
        path.display()
    );
    Ok(())
}

async fn logout(ctx: &Context) -> CliResult<()> {
    // Whose answers were kept: the stored session's user; if there is none, every user of this
    // server (what is kept here is never anyone else's to keep).
    let user_id = StoredSession::load(&ctx.server_url(), ctx.clock.now())
        .and_then(|(token, _)| Claims::decode(token.expose()).ok())
        .and_then(|claims| claims.user_id().ok());
    if ctx.demo_token.is_none() {
        ctx.forget_cache(user_id)?;
    }
    StoredSession::delete(&ctx.server_url())
        .map_err(|e| CliError::Other(format!("cannot delete the session: {e}")))?;
    // A courtesy call: Ilios does nothing on logout for form and LDAP.
    let _ = ctx.client.logout().await;
    eprintln!("Logged out of {}.", ctx.client.host());
    Ok(())
}
