//! The read-only commands: whoami, profile, week, as text or one JSON document.

use serde::Serialize;

use chrono::NaiveDate;
use futures::StreamExt;

use super::args::{ProfileArgs, WeekArgs};
use super::profile::{profile_text, profile_view};
use super::{CliError, CliResult, Context};
use crate::api::profile::{ProfileAnswer, fetch_profile_parts};
use crate::clock::Zone;
use crate::domain::materials::Statuses;
use crate::domain::profile::{ProfileData, resolve_school, resolve_year};
use crate::domain::week::{
    CollapsedDescription, GlanceMaterial, TimeFormat, Week, WeekGlance, collapsed_description,
    format_time, glance_at, truncate_chars,
};
use crate::ui::Theme;
use crate::ui::week::status_prefix;

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
            crate::text::escape_json(
                serde_json::to_string_pretty(&out).map_err(|e| CliError::Other(e.to_string()))?
            )
        );
        return Ok(());
    }
    println!("Name:     {}", out.name);
    println!("User id:  {}", out.user_id);
    println!("Server:   {}", out.server);
    match claims.expires_at() {
        Some(exp) => println!(
            "Expires:  {} ({})",
            exp.with_timezone(&ctx.clock.zone())
                .format("%Y-%m-%d %H:%M:%S %Z"),
            crate::api::jwt::time_left_phrase(exp, ctx.clock.now())
        ),
        None => println!("Expires:  unknown"),
    }
    println!("Token:    from {}", out.token_source);
    Ok(())
}

/// `--cached` found what the full-screen view kept: say how old it is (stderr, so the output
/// keeps its shape).
fn say_as_of(ctx: &Context, saved_at: chrono::DateTime<chrono::Utc>) {
    eprintln!(
        "As of {} (kept on disk by the full-screen view; without --cached the server is asked).",
        saved_at
            .with_timezone(&ctx.clock.zone())
            .format("%Y-%m-%d %H:%M %Z")
    );
}

/// The user record, then every related request at once (the same wave as the TUI).
pub async fn load_profile(client: &crate::api::Client, user_id: u64) -> CliResult<ProfileData> {
    let (user, config) = tokio::join!(client.user(user_id), client.application_config());
    let user = user?;
    let crosses = config
        .map(|c| c.academic_year_crosses_calendar_year_boundaries)
        .unwrap_or(false);
    let mut data = ProfileData::new(user.clone(), crosses);
    // All at once; taken in the wave's order, so the output does not depend on who answered first.
    let mut answers: Vec<_> = fetch_profile_parts(client, &user).collect().await;
    answers.sort_by_key(|(index, _)| *index);
    for (_, ProfileAnswer { query, body }) in answers {
        match body {
            Ok(body) => data.receive(&query, Ok(body)),
            // A refused session is not a partial profile.
            Err(e) if e.is_unauthorized() => return Err(e.into()),
            Err(e) => data.receive(&query, Err(e.to_string())),
        }
    }
    Ok(data)
}

pub async fn profile(ctx: &Context, args: &ProfileArgs) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    let user_id = claims
        .user_id()
        .map_err(|e| CliError::NotAuthenticated(e.to_string()))?;
    let kept = if args.cached {
        ctx.user_cache(user_id)
            .and_then(|cache| cache.load_profile(ctx.clock.now()))
    } else {
        None
    };
    let data = match kept {
        Some((saved_at, snapshot)) => {
            say_as_of(ctx, saved_at);
            snapshot.replay()
        }
        None => load_profile(&client, user_id).await?,
    };
    let today = ctx.clock.today();
    let school = resolve_school(&data, args.school);
    let year = resolve_year(&data, args.year, today);
    if args.json {
        let view = profile_view(&data, school, year);
        println!(
            "{}",
            crate::text::escape_json(
                serde_json::to_string_pretty(&view).map_err(|e| CliError::Other(e.to_string()))?
            )
        );
    } else {
        print!("{}", profile_text(&data, school, year));
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WeekJson {
    /// `March 10-16 Week at a Glance`.
    title: String,
    first_day: NaiveDate,
    last_day: NaiveDate,
    days: Vec<DayJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DayJson {
    date: NaiveDate,
    weekday: String,
    events: Vec<EventJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventJson {
    name: String,
    course_title: Option<String>,
    /// An independent learning activity: `start` is its due time.
    ilm: bool,
    start: String,
    end: String,
    duration: String,
    session_type: Option<String>,
    location: Option<String>,
    url: Option<String>,
    attributes: Vec<&'static str>,
    instructors: Vec<String>,
    description: Option<String>,
    prework: Vec<PreworkJson>,
    materials: Vec<MaterialJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PreworkJson {
    name: String,
    /// Ilios marks unpublished pre-work "Not Published".
    published: bool,
    materials: Vec<MaterialJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MaterialJson {
    title: String,
    kind: &'static str,
    required: bool,
    available: bool,
    /// A PDF's is `<file>?inline`, as Ilios links the title.
    uri: Option<String>,
    /// A PDF's file itself (Ilios's Download link).
    download_uri: Option<String>,
    citation: Option<String>,
    public_notes: Option<String>,
    availability: Option<String>,
    /// `notStarted`, `inProgress` or `complete`, as in `materials --json`; `null` when the
    /// server has material status off (or with `--cached`, which asks the server nothing).
    status: Option<&'static str>,
}

fn material_json(m: &GlanceMaterial, statuses: Option<&Statuses>) -> MaterialJson {
    let status = m
        .session_material
        .zip(statuses)
        .map(|(material, s)| s.get(material).json_name());
    MaterialJson {
        status,
        title: m.title.clone(),
        kind: m.kind.label(),
        required: m.required,
        available: !m.blanked,
        uri: m.uri.clone(),
        download_uri: m.download_uri.clone(),
        citation: m.citation.clone(),
        public_notes: m.public_notes.clone(),
        availability: m.availability.clone(),
    }
}

fn local_rfc3339(t: &chrono::DateTime<chrono::Utc>, zone: Zone) -> String {
    t.with_timezone(&zone).to_rfc3339()
}

fn week_json(week: Week, glance: &WeekGlance, statuses: Option<&Statuses>, zone: Zone) -> WeekJson {
    let material = |m: &GlanceMaterial| material_json(m, statuses);
    WeekJson {
        title: week.glance_title(),
        first_day: week.first,
        last_day: week.last(),
        days: glance
            .days
            .iter()
            .map(|d| DayJson {
                date: d.date,
                weekday: d.weekday.clone(),
                events: d
                    .events
                    .iter()
                    .map(|e| EventJson {
                        name: e.name.clone(),
                        course_title: e.course_title.clone(),
                        ilm: e.ilm,
                        start: local_rfc3339(&e.start_utc, zone),
                        end: local_rfc3339(&e.end_utc, zone),
                        duration: e.duration.clone(),
                        session_type: e.session_type.clone(),
                        location: e.location.clone(),
                        url: e.url.clone(),
                        attributes: e.attributes(),
                        instructors: e.instructors.clone(),
                        description: e.description.clone(),
                        prework: e
                            .prework
                            .iter()
                            .map(|p| PreworkJson {
                                name: p.name.clone(),
                                published: p.published,
                                materials: p.materials.iter().map(material).collect(),
                            })
                            .collect(),
                        materials: e.materials.iter().map(material).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// How `week`'s text shows each material's status: the user's statuses (`None` when the server
/// keeps none, or with `--cached`) and whether the boxes are drawn in ASCII.
#[derive(Clone, Copy)]
pub struct StatusBoxes<'a> {
    pub statuses: Option<&'a Statuses>,
    pub ascii: bool,
}

impl StatusBoxes<'_> {
    /// No statuses, no boxes.
    pub const NONE: StatusBoxes<'static> = StatusBoxes {
        statuses: None,
        ascii: true,
    };
}

/// Whether `week`'s status boxes are drawn in ASCII (`[ ] [-] [x]`): unless standard output is
/// a terminal and the locale a UTF-8 one (the TUI's test, [`Theme::utf8_locale`]). The other
/// headless output makes no such choice; a box is new there, and piped text may be read by
/// anything, so it gets the plainest form.
pub fn ascii_boxes(stdout_is_terminal: bool, var: impl Fn(&str) -> Option<String>) -> bool {
    !(stdout_is_terminal && Theme::utf8_locale(var))
}

fn material_text(out: &mut String, indent: &str, m: &GlanceMaterial, boxes: StatusBoxes) {
    let required = if m.required { "* " } else { "" };
    // The glance's box (none on a timed-release material not yet open, as Ilios).
    let status = status_prefix(m, boxes.statuses, boxes.ascii);
    // A timed-release material not yet available: Ilios shows only its title.
    let kind = if m.blanked {
        "Timed Release"
    } else {
        m.kind.label()
    };
    out.push_str(&format!("{indent}{status}{required}{} ({kind})", m.title));
    if let Some(notes) = &m.public_notes {
        // Ilios: `- {notes}` cut at 50 characters (slippage 25), as the glance shows them.
        let notes = notes.lines().collect::<Vec<_>>().join(" ");
        match truncate_chars(&notes, 50, 25) {
            Some(cut) => out.push_str(&format!(" - {cut}…")),
            None => out.push_str(&format!(" - {notes}")),
        }
    }
    if let Some(a) = &m.availability {
        out.push_str(&format!(" {a}"));
    }
    out.push('\n');
    if let Some(uri) = &m.uri {
        out.push_str(&format!("{indent}    {uri}\n"));
    }
    if let Some(file) = &m.download_uri {
        out.push_str(&format!("{indent}    Download: {file}\n"));
    }
    if let Some(c) = &m.citation {
        out.push_str(&format!("{indent}    {c}\n"));
    }
}

/// The description as the collapsed glance shows it (`week-glance-event.gjs`): whole when
/// shorter than 250 characters, else its first 50 and `…`.
fn description_text(out: &mut String, desc: &str) {
    match collapsed_description(desc) {
        CollapsedDescription::Cut(cut) => out.push_str(&format!("    {cut}\n")),
        CollapsedDescription::Whole => {
            for para in desc.lines() {
                out.push_str(&format!("    {para}\n"));
            }
        }
    }
}

/// The glance as plain text, in Ilios's words, one event after another under its weekday; each
/// material's status box before its title when there are `boxes`.
pub fn week_text(week: Week, glance: &WeekGlance, tf: TimeFormat, boxes: StatusBoxes) -> String {
    let mut out = format!("{}\n", week.glance_title());
    if glance.is_empty() {
        out.push_str("\nNone\n");
    }
    for day in &glance.days {
        out.push_str(&format!(
            "\n{} {}\n",
            day.weekday,
            day.date.format("%Y-%m-%d")
        ));
        for e in &day.events {
            let due = if e.ilm { "Due By " } else { "" };
            out.push_str(&format!(
                "  {} {due}{} (Duration: {})\n",
                e.name,
                format_time(&e.start, tf),
                e.duration
            ));
            let mut meta = e.session_type.clone().unwrap_or_default();
            if let Some(l) = &e.location {
                meta.push_str(&format!(" - {l}"));
            }
            if !meta.is_empty() {
                out.push_str(&format!("    {meta}\n"));
            }
            if let Some(u) = &e.url {
                out.push_str(&format!("    Virtual Session Link: {u}\n"));
            }
            let attrs = e.attributes();
            if !attrs.is_empty() {
                out.push_str(&format!("    {}\n", attrs.join("; ")));
            }
            if !e.instructors.is_empty() {
                out.push_str(&format!("    Instructors: {}\n", e.instructors.join(", ")));
            }
            if let Some(desc) = &e.description {
                description_text(&mut out, desc);
            }
            for p in &e.prework {
                let mark = if p.published { "" } else { " (Not Published)" };
                out.push_str(&format!("    Pre-work: {}{mark}\n", p.name));
                for m in &p.materials {
                    material_text(&mut out, "      ", m, boxes);
                }
            }
            for m in &e.materials {
                material_text(&mut out, "    ", m, boxes);
            }
        }
    }
    out
}

/// The user's learning-material statuses, when the server keeps them (`materialStatusEnabled`);
/// `None` when it does not.
async fn statuses_if_kept(
    client: &crate::api::Client,
    user_id: u64,
) -> CliResult<Option<Statuses>> {
    if !client.application_config().await?.material_status_enabled {
        return Ok(None);
    }
    let records = client.material_statuses(user_id).await?;
    Ok(Some(Statuses::new(
        records.iter().map(|r| (r.id, r.material, r.status)),
    )))
}

pub async fn week(ctx: &Context, args: &WeekArgs) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    let user_id = claims
        .user_id()
        .map_err(|e| CliError::NotAuthenticated(e.to_string()))?;
    let zone = ctx.clock.zone();
    let date = args.date.unwrap_or_else(|| ctx.clock.today());
    let week = Week::containing(date, ctx.config.week_start);
    let (from, to) = week.unix_range(&zone);
    let kept = if args.cached {
        ctx.user_cache(user_id)
            .and_then(|cache| cache.load_week(week, (from, to), ctx.clock.now()))
            .and_then(|(saved_at, answer)| {
                Some((
                    saved_at,
                    crate::api::client::parse_user_events(&answer).ok()?,
                ))
            })
    } else {
        None
    };
    let (events, statuses) = match kept {
        Some((saved_at, events)) => {
            say_as_of(ctx, saved_at);
            (events, None)
        }
        None => {
            let (events, statuses) = tokio::join!(
                client.user_events(user_id, from, to),
                statuses_if_kept(&client, user_id)
            );
            // The week does not depend on them: a failure is said, and `status` is null.
            let statuses = statuses.unwrap_or_else(|e| {
                eprintln!("ilios-tui: material statuses left out: {}", e.message());
                None
            });
            (events?, statuses)
        }
    };
    let glance = glance_at(&events, &zone, ctx.clock.now());
    if args.json {
        let doc = week_json(week, &glance, statuses.as_ref(), zone);
        println!(
            "{}",
            crate::text::escape_json(
                serde_json::to_string_pretty(&doc).map_err(|e| CliError::Other(e.to_string()))?
            )
        );
    } else {
        use std::io::IsTerminal;
        let boxes = StatusBoxes {
            statuses: statuses.as_ref(),
            ascii: ascii_boxes(std::io::stdout().is_terminal(), |k| std::env::var(k).ok()),
        };
        print!(
            "{}",
            week_text(week, &glance, ctx.config.time_format, boxes)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glance(json: &str) -> (Week, WeekGlance) {
        let events: Vec<crate::api::models::UserEvent> = serde_json::from_str(json).unwrap();
        let now = chrono::DateTime::UNIX_EPOCH;
        let week = Week::containing(
            NaiveDate::from_ymd_opt(2024, 3, 11).unwrap(),
            crate::domain::week::WeekStart::Sunday,
        );
        (week, glance_at(&events, &chrono::Utc, now))
    }

    /// ilios/frontend `packages/ilios-common/addon/components/week-glance-event.gjs` (the
    /// description through `truncate-text`, length 50, slippage 200),
    /// `week-glance/learning-material-list.gjs` (the "Not Published" icon on pre-work) and
    /// `week-glance/learning-material-list-item.gjs` (`- {publicNotes}`, truncated at 50);
    /// tests: `packages/test-app/tests/integration/components/week-glance-event-test.gjs` "it
    /// renders with some stuff" (`- This is cool.`) and "it renders prework".
    #[test]
    fn week_text_shows_description_public_notes_and_unpublished_prework() {
        let long = format!("Test {}", "t".repeat(400));
        let (week, g) = glance(&format!(
            r#"[{{"name":"Learn to Learn","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
                 "offering":1,"isPublished":true,"isScheduled":false,"sessionDescription":"<p>Short <b>one</b></p>",
                 "learningMaterials":[{{"title":"Citation LM","required":true,"publicNotes":"This is cool.","citation":"citationtext","sessionLearningMaterial":1}}],
                 "prerequisites":[{{"name":"pre 1","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
                   "ilmSession":9,"isPublished":false,"isScheduled":false}}]}},
                {{"name":"Long one","startDate":"2024-03-11T18:00:00+00:00","endDate":"2024-03-11T19:00:00+00:00",
                 "offering":2,"isPublished":true,"isScheduled":false,"sessionDescription":"{long}"}}]"#
        ));
        let text = week_text(week, &g, TimeFormat::H12, StatusBoxes::NONE);
        assert!(text.contains("\n    Short one\n"), "{text}");
        assert!(
            text.contains(&format!("\n    Test {}…\n", "t".repeat(45))),
            "{text}"
        );
        assert!(
            text.contains("* Citation LM (Citation) - This is cool."),
            "{text}"
        );
        assert!(text.contains("Pre-work: pre 1 (Not Published)"), "{text}");

        let json =
            serde_json::to_value(week_json(week, &g, None, crate::clock::Zone::default())).unwrap();
        let ev = &json["days"][0]["events"][0];
        assert_eq!(ev["materials"][0]["publicNotes"], "This is cool.");
        assert_eq!(ev["prework"][0]["published"], false);
        // The feature off: every status is null.
        assert_eq!(ev["materials"][0]["status"], serde_json::Value::Null);
        // On: the user's status, "notStarted" without a record (`user-material-status.gjs`).
        let on = Statuses::new([(5, 1, 1)]);
        let json =
            serde_json::to_value(week_json(week, &g, Some(&on), Default::default())).unwrap();
        let ev = &json["days"][0]["events"][0];
        assert_eq!(ev["materials"][0]["status"], "inProgress");
        let on = Statuses::default();
        let json =
            serde_json::to_value(week_json(week, &g, Some(&on), Default::default())).unwrap();
        assert_eq!(
            json["days"][0]["events"][0]["materials"][0]["status"],
            "notStarted"
        );
    }

    /// `week`'s text shows the glance's status boxes (`user-material-status.gjs`; none on a
    /// timed-release material not yet open, `week-glance/learning-material-list-item.gjs`), on
    /// the pre-work's materials too, in ASCII unless written to a UTF-8 terminal.
    #[test]
    fn week_text_shows_each_materials_status_box() {
        let (week, g) = glance(
            r#"[{"name":"Learn to Learn","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
                 "offering":1,"isPublished":true,"isScheduled":false,
                 "learningMaterials":[
                   {"title":"Slides","required":true,"citation":"c","sessionLearningMaterial":1},
                   {"title":"Quiz","isBlanked":true,"sessionLearningMaterial":2}],
                 "prerequisites":[{"name":"pre 1","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
                   "ilmSession":9,"isPublished":true,"isScheduled":false,
                   "learningMaterials":[{"title":"Reading","citation":"r","sessionLearningMaterial":4}]}]}]"#,
        );
        let statuses = Statuses::new([(5, 1, 2), (6, 4, 1)]);
        let text = |ascii| {
            let boxes = StatusBoxes {
                statuses: Some(&statuses),
                ascii,
            };
            week_text(week, &g, TimeFormat::H12, boxes)
        };
        let plain = text(true);
        for line in [
            "\n    [x] * Slides (Citation)\n",
            "\n        Quiz (Timed Release)\n",
            "\n      [-] Reading (Citation)\n",
        ] {
            assert!(plain.contains(line), "{line:?} in {plain}");
        }
        let utf8 = text(false);
        assert!(utf8.contains("\n    ☑ * Slides (Citation)\n"), "{utf8}");
        assert!(utf8.contains("\n      Quiz (Timed Release)\n"), "{utf8}");
        assert!(utf8.contains("\n      ⊟ Reading (Citation)\n"), "{utf8}");
        // No statuses (the feature off, or `--cached`): no boxes and no room for them.
        let none = week_text(week, &g, TimeFormat::H12, StatusBoxes::NONE);
        assert!(none.contains("\n    * Slides (Citation)\n"), "{none}");
    }

    #[test]
    fn status_boxes_are_ascii_unless_on_a_utf8_terminal() {
        let utf8 = |k: &str| (k == "LANG").then(|| "en_US.UTF-8".to_string());
        let c = |k: &str| (k == "LANG").then(|| "C".to_string());
        assert!(!ascii_boxes(true, utf8));
        assert!(ascii_boxes(true, c));
        assert!(ascii_boxes(false, utf8), "a pipe or a file");
        assert!(ascii_boxes(false, c));
    }
}
