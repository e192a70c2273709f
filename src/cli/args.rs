//! Command-line arguments. Global options work before or after the command
//! (`ilios-tui --url X token create` and `ilios-tui token create --url X`).
//! A token is never taken as an argument: argv is visible to every user in `ps`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "ilios-tui", version, about = "A terminal client for Ilios", long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The Ilios server, e.g. https://ilios.example.edu (else the config's `url`).
    #[arg(long, global = true, env = "ILIOS_URL")]
    pub url: Option<String>,
    /// Config file (default: $XDG_CONFIG_HOME/ilios-tui/config.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Read the token from this file (must be chmod 600).
    #[arg(long, global = true)]
    pub token_file: Option<PathBuf>,
    /// Write the log here (default: the XDG state directory).
    #[arg(long, global = true)]
    pub log_file: Option<PathBuf>,
    /// Start the built-in demo server and sign in to it.
    #[cfg(feature = "demo")]
    #[arg(long, global = true)]
    pub demo: bool,
    /// Demo persona: nicholas (default) or student.
    #[cfg(feature = "demo")]
    #[arg(long, global = true, default_value = "nicholas")]
    pub persona: crate::demo::Persona,
    /// Start the clock at this moment instead of the system's (RFC 3339, e.g.
    /// 2027-03-13T18:00:00-08:00; a date and time without an offset is read in TZ): for demos
    /// and tests on a chosen day. It runs on from there.
    #[arg(long, global = true, value_name = "MOMENT")]
    pub now: Option<String>,
}

impl GlobalArgs {
    /// The one clock of this run: the system's, or one started at `--now`.
    pub fn clock(&self) -> Result<crate::clock::Clock, String> {
        use crate::clock::{Clock, Zone, parse_moment};
        match &self.now {
            None => Ok(Clock::system()),
            Some(s) => parse_moment(s, Zone::System)
                .map(Clock::starting_at)
                .map_err(|e| format!("--now: {e}")),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Who the token belongs to: name, user id, server, expiry.
    Whoami(JsonFlag),
    /// The My Profile facts.
    Profile(ProfileArgs),
    /// The Week at a Glance of a week.
    Week(WeekArgs),
    /// The Calendar (My Schedule, or a school's All Events): a day, a week or a month of events.
    Calendar(CalendarArgs),
    /// My Materials: the next 60 days (or all), sorted by date, newest first.
    Materials(MaterialsArgs),
    /// The address of your calendar (ICS) feed, and a newline.
    IcsLink,
    /// Create or invalidate API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Sign in and store the session (username and password asked on the terminal).
    Login(LoginArgs),
    /// Forget the stored session.
    Logout,
    /// Run the Ilios-compatible demo server alone; prints ILIOS_URL and ILIOS_TOKEN.
    #[cfg(feature = "demo")]
    DemoServer(crate::demo::DemoServerArgs),
    /// Print a shell completion script, e.g. `ilios-tui completions bash > ~/.local/share/bash-completion/completions/ilios-tui`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `ilios-tui man | man -l -`.
    Man,
}

#[derive(Debug, Clone, Args)]
pub struct JsonFlag {
    /// Print one JSON document (shape documented in README.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ProfileArgs {
    #[arg(long)]
    pub json: bool,
    /// Show what the full-screen view last kept on disk, if any (no request; the age is said on
    /// stderr); else ask the server as usual.
    #[arg(long)]
    pub cached: bool,
    /// Permissions for this school id (default: the primary school).
    #[arg(long)]
    pub school: Option<u64>,
    /// Permissions for this academic year (default: the Ilios rule).
    #[arg(long)]
    pub year: Option<u64>,
}

#[derive(Debug, Clone, Args)]
pub struct WeekArgs {
    /// A day of the week to show (YYYY-MM-DD, years 1 to 9999); default today.
    #[arg(long, value_parser = parse_date, allow_hyphen_values = true)]
    pub date: Option<chrono::NaiveDate>,
    #[arg(long)]
    pub json: bool,
    /// Show what the full-screen view last kept on disk for that week, if any (no request; the
    /// age is said on stderr); else ask the server as usual.
    #[arg(long)]
    pub cached: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CalendarArgs {
    /// day, week or month.
    #[arg(long, default_value = "week")]
    pub view: crate::domain::calendar::CalendarView,
    /// A day in the span to show (YYYY-MM-DD, years 1 to 9999); default today.
    #[arg(long, value_parser = parse_date, allow_hyphen_values = true)]
    pub date: Option<chrono::NaiveDate>,
    /// All Events of a school (schoolevents) instead of My Schedule.
    #[arg(long)]
    pub all_events: bool,
    /// The school of All Events (its id); default your primary school.
    #[arg(long, value_name = "ID", requires = "all_events")]
    pub school: Option<u64>,
    /// Only events of this session type (repeatable: any of them).
    #[arg(long = "session-type", value_name = "ID", requires = "all_events")]
    pub session_types: Vec<u64>,
    /// Only events of courses of this level, 1 to 5 (repeatable).
    #[arg(long = "course-level", value_name = "N", requires = "all_events",
          value_parser = clap::value_parser!(u64).range(1..=5))]
    pub course_levels: Vec<u64>,
    /// Only events of courses of this cohort (repeatable).
    #[arg(long = "cohort", value_name = "ID", requires = "all_events")]
    pub cohorts: Vec<u64>,
    /// Only events of this course (repeatable).
    #[arg(long = "course", value_name = "ID", requires = "all_events")]
    pub courses: Vec<u64>,
    /// Only events whose session or course has this term (repeatable).
    #[arg(long = "term", value_name = "ID", requires = "all_events")]
    pub terms: Vec<u64>,
    #[arg(long)]
    pub json: bool,
}

impl CalendarArgs {
    /// The filters given; kinds combine with AND, repeats of one kind with OR.
    pub fn filters(&self) -> crate::domain::calendar_filters::CalendarFilters {
        crate::domain::calendar_filters::CalendarFilters {
            session_types: self.session_types.iter().copied().collect(),
            course_levels: self.course_levels.iter().copied().collect(),
            cohorts: self.cohorts.iter().copied().collect(),
            courses: self.courses.iter().copied().collect(),
            terms: self.terms.iter().copied().collect(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct MaterialsArgs {
    /// All materials instead of the next 60 days.
    #[arg(long)]
    pub all: bool,
    /// Only this course's materials (its id).
    #[arg(long, value_name = "ID")]
    pub course: Option<u64>,
    /// Only materials whose title, course, session or instructors contain this text (any case).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub filter: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token; prints only the token on stdout.
    Create(TokenCreateArgs),
    /// Invalidate every token of this user; the session continues with a new one.
    Invalidate(TokenInvalidateArgs),
}

#[derive(Debug, Clone, Args)]
#[group(multiple = false)]
pub struct TokenCreateArgs {
    /// Expiry date (YYYY-MM-DD); the token works until 23:59:59 local time that day.
    #[arg(long, value_parser = parse_date, allow_hyphen_values = true)]
    pub expires: Option<chrono::NaiveDate>,
    /// Time to live as an ISO-8601 duration, e.g. P14D or PT8H (sent to the server as is).
    #[arg(long)]
    pub ttl: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct TokenInvalidateArgs {
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Print the new session token on stdout.
    #[arg(long)]
    pub print_new_token: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// Read a token from standard input instead of asking for a password.
    #[arg(long)]
    pub with_token: bool,
    /// Username (asked for when omitted).
    #[arg(long)]
    pub username: Option<String>,
}

/// A date in the years 1 to 9999, as the TUI's Go to date: chrono accepts years up to ±262,143,
/// where week arithmetic overflows.
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    let date: chrono::NaiveDate = text
        .trim()
        .parse()
        .map_err(|e| format!("{e}; give a date as YYYY-MM-DD"))?;
    if !(1..=9999).contains(&date.year()) {
        return Err("the year must be between 1 and 9999".into());
    }
    Ok(date)
}
