//! `ilios-tui calendar`: the dashboard's Calendar (My Schedule, or with `--all-events` a school's
//! All Events and its filters) for a day, a week or a month, as text (the days with their
//! events, then "Multiday Events") or one JSON document.

use serde::Serialize;

use super::args::CalendarArgs;
use super::{CliError, CliResult, Context};
use crate::domain::calendar::{
    CalendarEvent, CalendarView, Span, calendar_events, events_on, title,
};
use crate::domain::calendar_filters::CalendarSource;
use crate::domain::week::TimeFormat;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CalendarJson<'a> {
    view: CalendarView,
    first_day: String,
    last_day: String,
    source: &'static str,
    school_id: Option<u64>,
    events: Vec<&'a CalendarEvent>,
}

pub async fn calendar(ctx: &Context, args: &CalendarArgs) -> CliResult<()> {
    let (client, claims, _) = ctx.signed_in()?;
    let user_id = claims
        .user_id()
        .map_err(|e| CliError::NotAuthenticated(e.to_string()))?;
    let zone = ctx.clock.zone();
    let date = args.date.unwrap_or_else(|| ctx.clock.today());
    let span = args.view.span(date, ctx.config.week_start);
    let (from, to) = span.fetch_range(&zone);
    let (source, school_id, events) = if args.all_events {
        let school = match args.school {
            Some(id) => id,
            None => primary_school(&client, user_id).await?,
        };
        let all = client.school_events(school, from, to).await?;
        let filters = args.filters();
        let kept: Vec<_> = filters.apply(&all).into_iter().cloned().collect();
        (CalendarSource::AllEvents, Some(school), kept)
    } else {
        let mine = client.user_events(user_id, from, to).await?;
        (CalendarSource::MySchedule, None, mine)
    };
    let shown = calendar_events(&events, args.view, &zone, ctx.clock.now());
    // The fetch range has a day more on each side; what is shown is the span's days.
    let in_span: Vec<&CalendarEvent> = shown.iter().filter(|e| span.holds(e)).collect();
    if args.json {
        let doc = CalendarJson {
            view: args.view,
            first_day: span.first.to_string(),
            last_day: span.last.to_string(),
            source: source.json_name(),
            school_id,
            events: in_span,
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
            calendar_text(args.view, span, &shown, ctx.config.time_format, source)
        );
    }
    Ok(())
}

/// The user's primary school, All Events' default (`calendar.gjs`: `usersPrimarySchool`).
async fn primary_school(client: &crate::api::client::Client, user_id: u64) -> CliResult<u64> {
    let user = client.user(user_id).await?;
    user.school.ok_or_else(|| {
        CliError::Other("your user record names no primary school: give --school ID".into())
    })
}

/// Each day of the span with its events (days without events are left out of a month, and say
/// "None" in a day or week), then the multi-day events.
pub fn calendar_text(
    view: CalendarView,
    span: Span,
    events: &[CalendarEvent],
    tf: TimeFormat,
    source: CalendarSource,
) -> String {
    let mut out = format!("{} ({})\n", title(view, span), source.title());
    for day in span.days() {
        let mut todays = events_on(events, day).peekable();
        if todays.peek().is_none() && view == CalendarView::Month {
            continue;
        }
        out.push_str(&format!("\n{}\n", day.format("%A %Y-%m-%d")));
        if todays.peek().is_none() {
            out.push_str("  None\n");
        }
        for e in todays {
            out.push_str(&format!("  {}\n", event_line(e, tf)));
        }
    }
    let multiday: Vec<&CalendarEvent> = events
        .iter()
        .filter(|e| e.multiday && span.holds(e))
        .collect();
    if !multiday.is_empty() {
        out.push_str("\nMultiday Events\n");
        for e in multiday {
            // `MM/DD/YY, hh:mm AM – MM/DD/YY, hh:mm AM {name} {location}` (calendar.gjs).
            out.push_str(&format!(
                "  {} {}{}\n",
                e.multiday_when(tf),
                one_line(&e.name),
                e.location
                    .as_deref()
                    .map(|l| format!(" {}", one_line(l)))
                    .unwrap_or_default()
            ));
        }
    }
    out
}

/// `08:10 AM – 09:00 AM  Name · Course · Type · Location [marks]`; an ILM reads
/// `ILM - Due: 05:00 PM  Name ...`.
fn event_line(e: &CalendarEvent, tf: TimeFormat) -> String {
    let when = e.when(tf);
    let mut parts = vec![one_line(&e.name)];
    parts.extend(
        [&e.course_title, &e.session_type, &e.location]
            .into_iter()
            .flatten()
            .map(|s| one_line(s)),
    );
    let marks = e.marks();
    let marks = if marks.is_empty() {
        String::new()
    } else {
        format!(" [{}]", marks.join(", "))
    };
    format!("{when}  {}{marks}", parts.join(" · "))
}

/// Server text on one line: a newline in a name would break the layout.
fn one_line(s: &str) -> String {
    crate::text::sanitize_line(s).into_owned()
}
