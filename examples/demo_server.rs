//! Run the demo server on its own, e.g. to curl it:
//! `cargo run --example demo_server -- --listen 127.0.0.1:8765 --persona student`
use clap::Parser;
use ilios_tui::demo::{DemoServerArgs, run_cli};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: DemoServerArgs,
}

#[tokio::main]
async fn main() -> eyre::Result<()> {
    run_cli(Cli::parse().args, ilios_tui::clock::Clock::system()).await
}
