//! An embedded Ilios-compatible HTTP server for the demo and the tests.
//!
//! It speaks the contract of a real Ilios server (see `ilios-api.md`): the `X-JWT-Authorization`
//! header, HS256 tokens with string time claims, `/auth/*`, `/application/config`, and the v3 REST
//! read endpoints with Ilios' envelopes, null omission and string ids. It is never more convenient
//! than a real server: the same 401 bodies, the same refresh limits, the same visibility rules.

mod db;
mod events;
pub mod jwt;
mod materials;
mod rest;
mod school_events;
mod server;
mod statuses;

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::{Duration, Instant};

pub use server::DemoServer;

/// A seeded account that can log in with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    /// Nicholas Ann Gutierrez: root, course director, instructor.
    Nicholas,
    /// Walter Stephanie Powell: a pure learner.
    Student,
}

impl Persona {
    pub fn user_id(self) -> u64 {
        match self {
            Persona::Nicholas => 1,
            Persona::Student => 2,
        }
    }
    pub fn username(self) -> &'static str {
        match self {
            Persona::Nicholas => "nicholas",
            Persona::Student => "student",
        }
    }
    pub fn password(self) -> &'static str {
        "demo"
    }
    pub fn all() -> [Persona; 2] {
        [Persona::Nicholas, Persona::Student]
    }
}

impl FromStr for Persona {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nicholas" => Ok(Persona::Nicholas),
            "student" => Ok(Persona::Student),
            other => Err(format!(
                "unknown persona {other:?} (expected nicholas or student)"
            )),
        }
    }
}

impl fmt::Display for Persona {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.username())
    }
}

/// A way for the server to misbehave on every `/api` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 with Ilios' JSON error body.
    ServerError,
    /// 200 with a truncated JSON body.
    Garbage,
    /// No answer for 30 seconds.
    Hang,
    /// Close the connection without any response.
    Drop,
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "500" => Ok(Fault::ServerError),
            "garbage" => Ok(Fault::Garbage),
            "hang" => Ok(Fault::Hang),
            "drop" => Ok(Fault::Drop),
            other => Err(format!(
                "unknown fault {other:?} (expected 500, garbage, hang or drop)"
            )),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fault::ServerError => "500",
            Fault::Garbage => "garbage",
            Fault::Hang => "hang",
            Fault::Drop => "drop",
        })
    }
}

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub listen: SocketAddr,
    pub latency: Duration,
    pub fault: Option<Fault>,
    /// Extra generated offerings per week for the student.
    pub events_per_week: usize,
    /// The server's clock: its data is seeded around this clock's week, and tokens are issued
    /// and checked against it.
    pub clock: ilios_clock::Clock,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            latency: Duration::ZERO,
            fault: None,
            events_per_week: 0,
            clock: ilios_clock::Clock::system(),
        }
    }
}

/// What a test wants in a token (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpec {
    pub user_id: u64,
    pub iat: i64,
    pub exp: i64,
    pub first_created_at: i64,
    pub refresh_count: u32,
}

/// One request as the server saw it. Never holds a header, so never a token.
/// `status` is 0 when the connection was dropped without a response.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    pub method: String,
    pub path_and_query: String,
    pub started: Instant,
    pub finished: Instant,
    pub status: u16,
}

#[derive(clap::Args, Debug, Clone)]
pub struct DemoServerArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Whose token to print.
    #[arg(long, default_value = "nicholas")]
    pub persona: Persona,
    /// Delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Misbehave on every /api request: 500, garbage, hang or drop.
    #[arg(long)]
    pub fault: Option<Fault>,
    /// Extra generated events per week for the student (at most 20000).
    #[arg(long, default_value_t = 0, value_parser = parse_events_per_week)]
    pub events_per_week: usize,
}

/// The most generated events per week: 20,000 make a week's answer of about 30 MB, near the
/// client's default answer limit; more would only fill the memory before the server listens.
pub const MAX_EVENTS_PER_WEEK: usize = 20_000;

fn parse_events_per_week(text: &str) -> Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|e| format!("{e}; give a whole number"))?;
    if n > MAX_EVENTS_PER_WEEK {
        return Err(format!("at most {MAX_EVENTS_PER_WEEK} events per week"));
    }
    Ok(n)
}

/// `ilios-tui demo-server`: prints `ILIOS_URL=<url>` and `ILIOS_TOKEN=<jwt>` on stdout, then
/// serves until SIGINT or SIGTERM.
pub async fn run_cli(args: DemoServerArgs, clock: ilios_clock::Clock) -> eyre::Result<()> {
    use std::io::Write;
    // Install the handlers before announcing the URL, so a supervisor that signals us as soon as
    // it has read the two lines never hits the default (killing) disposition.
    let stop = Shutdown::install()?;
    let server = DemoServer::start(DemoOptions {
        listen: args.listen,
        latency: Duration::from_millis(args.latency_ms),
        fault: args.fault,
        events_per_week: args.events_per_week,
        clock,
    })
    .await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "ILIOS_URL={}", server.url())?;
        writeln!(out, "ILIOS_TOKEN={}", server.token_for(args.persona))?;
        out.flush()?;
    }
    stop.wait().await;
    server.shutdown().await;
    Ok(())
}

#[cfg(unix)]
struct Shutdown {
    int: tokio::signal::unix::Signal,
    term: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Shutdown {
    fn install() -> eyre::Result<Shutdown> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Shutdown {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct Shutdown;

#[cfg(not(unix))]
impl Shutdown {
    fn install() -> eyre::Result<Shutdown> {
        Ok(Shutdown)
    }

    async fn wait(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: DemoServerArgs,
    }

    #[test]
    fn personas_and_faults_parse() {
        assert_eq!("nicholas".parse::<Persona>().unwrap(), Persona::Nicholas);
        assert_eq!("Student".parse::<Persona>().unwrap(), Persona::Student);
        assert!("root".parse::<Persona>().is_err());
        for p in Persona::all() {
            assert_eq!(p.to_string().parse::<Persona>().unwrap(), p);
            assert_eq!(p.password(), "demo");
        }
        assert_eq!(
            (Persona::Nicholas.user_id(), Persona::Student.user_id()),
            (1, 2)
        );
        for (s, f) in [
            ("500", Fault::ServerError),
            ("garbage", Fault::Garbage),
            ("hang", Fault::Hang),
            ("drop", Fault::Drop),
        ] {
            assert_eq!(s.parse::<Fault>().unwrap(), f);
        }
        assert!("404".parse::<Fault>().is_err());
    }

    #[test]
    fn cli_args_defaults_and_values() {
        let a = Cli::parse_from(["x"]).args;
        assert_eq!(a.listen, DemoOptions::default().listen);
        assert_eq!(
            (a.persona, a.latency_ms, a.fault, a.events_per_week),
            (Persona::Nicholas, 0, None, 0)
        );
        let a = Cli::parse_from([
            "x",
            "--listen",
            "127.0.0.1:9999",
            "--persona",
            "student",
            "--latency-ms",
            "20",
            "--fault",
            "drop",
            "--events-per-week",
            "5",
        ])
        .args;
        assert_eq!(a.listen.port(), 9999);
        assert_eq!(
            (a.persona, a.latency_ms, a.fault, a.events_per_week),
            (Persona::Student, 20, Some(Fault::Drop), 5)
        );
    }
}
