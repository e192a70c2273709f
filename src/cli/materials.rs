//! `ilios-tui materials` (My Materials as a list or one JSON document) and `ilios-tui ics-link`
//! (the calendar feed's address, as the dashboard's "Copy My ICS Link" copies it).

use serde::Serialize;

use super::args::MaterialsArgs;
use super::{CliError, CliResult, Context};
use crate::api::models::Id;
use crate::domain::materials::{
    Filters, MaterialRow, MaterialStatus, Range, Sort, Statuses, rows, visible,
};

/// One material of `materials --json`; absent values are `null`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct MaterialJson {
    id: Option<Id>,
    title: String,
    kind: &'static str,
    citation: Option<String>,
    session_title: Option<String>,
    course_title: Option<String>,
    course_id: Option<Id>,
    course_year: Option<i64>,
    course_external_id: Option<String>,
    instructors: Vec<String>,
    /// The first offering, RFC 3339 in the display zone.
    date: Option<String>,
    blanked: bool,
    availability: Option<String>,
    uri: Option<String>,
    /// `notStarted`, `inProgress`, `complete`; `null` for course materials or when the server
    /// has material status off.
    status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct MaterialsJson {
    range: &'static str,
    materials: Vec<MaterialJson>,
}

fn material_json(
    row: &MaterialRow,
    status: Option<MaterialStatus>,
    zone: crate::clock::Zone,
) -> MaterialJson {
    MaterialJson {
        id: row.id,
        title: row.title.clone(),
        kind: row.kind_label(),
        citation: row.citation.clone(),
        session_title: row.session_title.clone(),
        course_title: row.course_title.clone(),
        course_id: row.course_id,
        course_year: row.course_year,
        course_external_id: row.course_external_id.clone(),
        instructors: row.instructors.clone(),
        date: row
            .first_offering
            .map(|t| t.with_timezone(&zone).to_rfc3339()),
        blanked: row.blanked,
        availability: row.availability.clone(),
        uri: row.uri.clone(),
        status: status.map(MaterialStatus::json_name),
    }
}

/// The text form: a heading, then per material its date and title line and an indented line of
/// session, course, instructors and status, and the link when there is one.
fn materials_text(
    range: Range,
    all: &[MaterialRow],
    shown: &[usize],
    status_of: impl Fn(&MaterialRow) -> Option<MaterialStatus>,
) -> String {
    let mut out = format!("My Materials: {}\n", range.label());
    if all.is_empty() {
        out.push_str("None\n");
        return out;
    }
    if shown.is_empty() {
        out.push_str("No results found\n");
        return out;
    }
    for &i in shown {
        let r = &all[i];
        // Server text on one line each: a newline in a title must not forge another line.
        let line = |s: &str| crate::text::sanitize_line(s).into_owned();
        out.push_str(&format!("{:<10}  {}\n", r.date, line(&r.title_cell())));
        let mut facts = Vec::new();
        if let Some(s) = &r.session_title {
            facts.push(format!("Session: {}", line(s)));
        }
        if let Some(c) = &r.course_title {
            facts.push(format!("Course: {}", line(c)));
        }
        if !r.instructors.is_empty() {
            facts.push(format!("Instructor: {}", line(&r.instructors_cell())));
        }
        if let Some(s) = status_of(r) {
            facts.push(format!("Status: {}", s.label()));
        }
        if !facts.is_empty() {
            out.push_str(&format!("{:12}{}\n", "", facts.join(" | ")));
        }
        if let Some(uri) = &r.uri {
            out.push_str(&format!("{:12}{}\n", "", line(uri)));
        }
    }
    out
}

pub async fn materials(ctx: &Context, args: &MaterialsArgs) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    let user_id = claims
        .user_id()
        .map_err(|e| CliError::NotAuthenticated(e.to_string()))?;
    let zone = ctx.clock.zone();
    let range = if args.all {
        Range::All
    } else {
        Range::Next60Days
    };
    let bounds = range.bounds(ctx.clock.now(), &zone);
    let (config, materials) = tokio::join!(
        client.application_config(),
        client.user_materials(user_id, bounds)
    );
    let (config, materials) = (config?, materials?);
    let statuses = if config.material_status_enabled {
        let records = client.material_statuses(user_id).await?;
        Statuses::new(records.iter().map(|r| (r.id, r.material, r.status)))
    } else {
        Statuses::default()
    };
    let enabled = config.material_status_enabled;
    let all = rows(&materials, &zone, ctx.clock.now());
    let filters = Filters {
        course: args.course,
        text: args.filter.clone().unwrap_or_default(),
    };
    let shown = visible(&all, &filters, Sort::default());
    if args.json {
        let doc = MaterialsJson {
            range: range.json_name(),
            materials: shown
                .iter()
                .map(|&i| material_json(&all[i], statuses.of(&all[i], enabled), zone))
                .collect(),
        };
        println!(
            "{}",
            crate::text::escape_json(
                serde_json::to_string_pretty(&doc).map_err(|e| CliError::Other(e.to_string()))?
            )
        );
    } else {
        print!(
            "{}",
            materials_text(range, &all, &shown, |r| statuses.of(r, enabled))
        );
    }
    Ok(())
}

/// `{server}/ics/{icsFeedKey}` (`components/ics-feed.gjs` copies the same), and a newline.
pub async fn ics_link(ctx: &Context) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    let user_id = claims
        .user_id()
        .map_err(|e| CliError::NotAuthenticated(e.to_string()))?;
    let user = client.user(user_id).await?;
    let link = crate::domain::ics::feed_url(&ctx.server_url(), user.ics_feed_key.as_deref())
        .ok_or_else(|| {
            CliError::Other(format!(
                "{} has no calendar feed key for this user",
                client.host()
            ))
        })?;
    println!("{link}");
    Ok(())
}
