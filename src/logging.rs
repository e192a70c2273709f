//! Logs go to a file (never the screen). Level from `ILIOS_TUI_LOG` (e.g. `debug`, `trace`).
//! Request logging names endpoints and statuses only; tokens are never logged.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Log lines that may wait for the writer thread.
const LOG_QUEUE_LINES: usize = 1024;

/// Starts file logging; keep the guard alive for the life of the program.
pub fn init(explicit: Option<&Path>, from_config: Option<&Path>) -> Option<WorkerGuard> {
    let path: PathBuf = explicit
        .or(from_config)
        .map(Path::to_path_buf)
        .or_else(|| crate::config::state_dir().map(|d| d.join("ilios-tui.log")))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The log names hosts and user ids: a private folder (when we create it) and a private file.
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        builder.mode(0o700);
        options.mode(0o600);
    }
    builder.create(dir).ok()?;
    let file = options.open(&path).ok()?;
    #[cfg(unix)]
    {
        // A file made by an older version (0644) becomes private too.
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    // The default queue holds 128,000 lines and is allocated (and touched) whole at start: 4 MiB
    // of resident memory for a program that logs a few lines a minute. Lines beyond this many
    // waiting are dropped (lossy), never blocking the UI.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .lossy(true)
        .finish(file);
    let filter = EnvFilter::try_from_env("ILIOS_TUI_LOG")
        .unwrap_or_else(|_| EnvFilter::new("ilios_tui=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
