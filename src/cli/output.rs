//! The read-only commands: whoami, profile, week, as text or one JSON document.

use serde::Serialize;

use super::args::{ProfileArgs, WeekArgs};
use super::{CliError, CliResult, Context};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WhoamiJson {
    name: String,
    user_id: u64,
    server: String,
    /// RFC 3339, UTC.
    expires_at: Option<String>,
    token_source: String,
}

pub async fn whoami(ctx: &Context, json: bool) -> CliResult<()> {
    let (client, claims, source) = ctx.signed_in()?;
    // whoami checks the token with the server; the user record gives the name.
    let user_id = client.whoami().await?;
    let user = client.user(user_id).await?;
    let out = WhoamiJson {
        name: crate::domain::names::full_name(&user),
        user_id,
        server: ctx.server_url(),
        expires_at: claims.expires_at().map(|t| t.to_rfc3339()),
        token_source: source.to_string(),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| CliError::Other(e.to_string()))?
        );
        return Ok(());
    }
    println!("Name:     {}", out.name);
    println!("User id:  {}", out.user_id);
    println!("Server:   {}", out.server);
    match claims.expires_at() {
        Some(exp) => println!(
            "Expires:  {} ({} left)",
            exp.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S %Z"),
            crate::api::jwt::time_left(exp, chrono::Utc::now())
        ),
        None => println!("Expires:  unknown"),
    }
    println!("Token:    from {}", out.token_source);
    Ok(())
}

pub async fn profile(_ctx: &Context, _args: &ProfileArgs) -> CliResult<()> {
    Err(CliError::Other("profile: not built yet".into()))
}

pub async fn week(_ctx: &Context, _args: &WeekArgs) -> CliResult<()> {
    Err(CliError::Other("week: not built yet".into()))
}
