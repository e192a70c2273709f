//! Headless commands for operators and scripts, on the same API client as the TUI.

pub mod args;

pub use args::{Cli, Command, GlobalArgs};

use std::process::ExitCode;

/// Runs a headless command and maps the outcome to the documented exit codes.
pub async fn run(_global: GlobalArgs, _command: Command) -> ExitCode {
    eprintln!("ilios-tui: headless commands are not built yet");
    ExitCode::FAILURE
}
