//! ilios-tui: parse the command line, then run the TUI or a headless command.

use std::process::ExitCode;

use clap::Parser;

use ilios_tui::cli::Cli;

#[cfg(feature = "demo")]
async fn demo_server(
    args: ilios_tui::demo::DemoServerArgs,
    global: &ilios_tui::cli::GlobalArgs,
) -> Result<(), String> {
    let clock = global.clock()?;
    ilios_tui::demo::run_cli(args, clock)
        .await
        .map_err(|e| e.to_string())
}

/// glibc's allocator, tuned for a program that holds a few MiB and now and then decodes an answer
/// of megabytes (a 1,000-event week) on a helper thread:
/// - a fixed mmap threshold: large buffers (a body, a week's event list) are mapped alone and
///   returned to the system when freed. By default glibc raises the threshold after the first
///   such free, and the next large buffers land in the heap, where one small live object keeps
///   their pages resident;
/// - two arenas: each helper thread would otherwise get its own, and memory freed in one cannot
///   serve the next answer decoded on another thread.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    // The token lives in this process's memory: no core dumps, no ptrace by other users, unless
    // asked for while debugging.
    #[cfg(target_os = "linux")]
    if std::env::var_os("ILIOS_TUI_ALLOW_CORE_DUMPS").is_none_or(|v| v != "1") {
        // SAFETY: prctl(PR_SET_DUMPABLE, 0) only changes this process's dumpable flag.
        unsafe {
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
    }
    tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    // One thread: the work is network waits and sub-millisecond draws, and a single thread keeps
    // memory low (no per-thread allocator arenas).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ilios-tui: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async move {
        match cli.command {
            #[cfg(feature = "demo")]
            Some(ilios_tui::cli::Command::DemoServer(args)) => {
                match demo_server(args, &cli.global).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("ilios-tui demo-server: {e}");
                        ExitCode::FAILURE
                    }
                }
            }
            Some(command) => ilios_tui::cli::run(cli.global, command).await,
            None => ilios_tui::tui::run(cli.global).await,
        }
    });
    // Work still running off the UI thread (decoding a large answer) is abandoned, not waited
    // for: `q` quits at once.
    runtime.shutdown_background();
    code
}
