//! Drawing of the Calendar pane (`5`): the heading with the views, then the day and week views
//! as a time grid ([`crate::ui::calendar_grid`]) or the month view as a grid of weeks; the
//! selected event written out in full under them. Pure: drawn into a [`Buffer`] from the events
//! [`crate::domain::calendar`] lists; the text arrives sanitized.
//!
//! ```text
//! Week of February 14-20, 2027 · My Schedule                           Day  Week  Month
//! ```
//! The selected event is reversed, so it shows without colour.

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::Widget;

use crate::domain::Loadable;
use crate::domain::calendar::{CalendarEvent, CalendarView, Span, events_on, title};
use crate::domain::week::{TimeFormat, Week, WeekStart};
use crate::ui::Theme;
use crate::ui::calendar_grid::{GridModel, GridScroll, days_from, render_grid, short_time};
use crate::ui::text;

/// What the pane shows: the view, its days and the listed events (each day's in order, then
/// the multi-day ones; `selected` indexes them).
pub struct CalendarModel<'a> {
    pub view: CalendarView,
    pub span: Span,
    pub today: NaiveDate,
    pub week_start: WeekStart,
    pub events: Loadable<&'a [CalendarEvent]>,
    pub selected: Option<usize>,
    pub tf: TimeFormat,
    /// Whose events: "My Schedule", or "All Events · {school}" with the filters' count.
    pub source: String,
    /// Under the day and week grids while nothing is selected: the keys that select and scroll.
    pub hint: String,
}

pub fn render_calendar(
    buf: &mut Buffer,
    area: Rect,
    model: &CalendarModel,
    scroll: &mut GridScroll,
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let heading = format!("{} · {}", title(model.view, model.span), model.source);
    let room = usize::from(area.width);
    let mut spans = vec![TextSpan::styled(text::fit(&heading, room), theme.title())];
    // The three views on the right, the shown one reversed (as Ilios's view buttons).
    let views = [
        (CalendarView::Day, " Day "),
        (CalendarView::Week, " Week "),
        (CalendarView::Month, " Month "),
    ];
    let views_width: usize = views.iter().map(|(_, l)| l.len()).sum();
    let used = text::width(&heading) + 2;
    if used + views_width <= room {
        spans.push(TextSpan::raw(" ".repeat(room - used - views_width + 2)));
        for (view, label) in views {
            let style = if view == model.view {
                theme.selected()
            } else {
                theme.dim()
            };
            spans.push(TextSpan::styled(label, style));
        }
    }
    Line::from(spans).render(row(area, 0), buf);
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let events = match &model.events {
        Loadable::Loading => {
            Line::styled("  Loading…", theme.dim()).render(row(body, 0), buf);
            return;
        }
        Loadable::Failed(why) => {
            let why = format!("  Could not load the calendar: {why} (r: try again)");
            for (i, l) in text::wrap(&why, room).iter().enumerate() {
                Line::styled(l.clone(), theme.alert()).render(row(body, i as u16), buf);
            }
            return;
        }
        Loadable::Ready(events) => *events,
    };
    match model.view {
        CalendarView::Month => render_month(buf, body, model, events, theme),
        CalendarView::Day | CalendarView::Week => {
            render_day_or_week(buf, body, model, events, scroll, theme)
        }
    }
}

/// Row `i` of `area` (empty past its bottom).
fn row(area: Rect, i: u16) -> Rect {
    Rect {
        y: area.y + i.min(area.height),
        height: u16::from(i < area.height),
        ..area
    }
}

/// The day and week views: a time grid, the selected event written out under it.
fn render_day_or_week(
    buf: &mut Buffer,
    area: Rect,
    model: &CalendarModel,
    events: &[CalendarEvent],
    scroll: &mut GridScroll,
    theme: &Theme,
) {
    let days = days_from(model.span.first, model.span.days().count());
    let grid = GridModel {
        days: &days,
        today: model.today,
        events,
        selected: model.selected,
        tf: model.tf,
        hint: &model.hint,
    };
    let width = usize::from(area.width);
    render_grid(buf, area, &grid, scroll, theme, |e| {
        selected_line(e, model.tf, width, theme)
    });
}

/// The selected event in full: `Mon Feb 15  08:10 AM – 09:00 AM  [marks] Name · Course · …`,
/// or a multi-day event's line.
fn selected_line(e: &CalendarEvent, tf: TimeFormat, width: usize, theme: &Theme) -> Line<'static> {
    if e.multiday {
        return multiday_line(e, tf, false, width, theme);
    }
    let mut parts = vec![(e.start.format("%a %b %-d").to_string(), theme.label())];
    parts.push((format!("  {}  ", e.when(tf)), theme.label()));
    parts.extend(marks(e, theme));
    parts.push((e.name.clone(), theme.text()));
    for extra in [&e.course_title, &e.session_type, &e.location]
        .into_iter()
        .flatten()
    {
        parts.push((format!(" · {extra}"), theme.dim()));
    }
    fitted(parts, false, width, theme)
}

/// `[new updates] [Has pre-work] [Not Published] ` as words.
fn marks(e: &CalendarEvent, theme: &Theme) -> Vec<(String, ratatui::style::Style)> {
    e.marks()
        .into_iter()
        .map(|mark| (format!("[{mark}] "), theme.warning()))
        .collect()
}

/// `02/15/27, 08:00 AM – 02/17/27, 05:00 PM  [marks] Name Location`.
fn multiday_line(
    e: &CalendarEvent,
    tf: TimeFormat,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let mut parts = vec![(format!("{}  ", e.multiday_when(tf)), theme.label())];
    parts.extend(marks(e, theme));
    parts.push((e.name.clone(), theme.text()));
    if let Some(location) = &e.location {
        parts.push((format!(" {location}"), theme.dim()));
    }
    fitted(parts, selected, width, theme)
}

/// The parts as one line cut to `width` (the last visible part ends in `…`); reversed whole
/// when selected.
fn fitted(
    parts: Vec<(String, ratatui::style::Style)>,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let total: usize = parts.iter().map(|(s, _)| text::width(s)).sum();
    let mut left = width;
    let mut spans = Vec::new();
    for (s, style) in parts {
        let w = text::width(&s);
        // The part that reaches the edge ends in `…` (even if it would just fit, when more
        // follows) and is the last.
        let last = total > width && w >= left;
        let s = if last {
            text::fit(&s, left.min(w.saturating_sub(1)))
        } else {
            s
        };
        left = left.saturating_sub(text::width(&s));
        let style = if selected {
            style.patch(theme.selected())
        } else {
            style
        };
        spans.push(TextSpan::styled(s, style));
        if last {
            break;
        }
    }
    Line::from(spans)
}

/// The month view: weekday names, then a row of cells per week, each with its day's number and
/// first events (`+N more` when they do not fit); the selected event is written out below.
fn render_month(
    buf: &mut Buffer,
    area: Rect,
    model: &CalendarModel,
    events: &[CalendarEvent],
    theme: &Theme,
) {
    let first = Week::containing(model.span.first, model.week_start).first;
    let last = Week::containing(model.span.last, model.week_start).last();
    let weeks = ((last - first).num_days() as u16 + 1) / 7;
    let col = (area.width / 7).max(1);
    // Weekday names, in the order of the locale's first day.
    for i in 0..7u16 {
        let day = first + Duration::days(i64::from(i));
        let name = text::fit(&day.format("%a").to_string(), usize::from(col - 1));
        Line::styled(name, theme.heading()).render(cell(area, i, 0, col, 1), buf);
    }
    let selected = model.selected.and_then(|i| events.get(i));
    let multiday = events.iter().filter(|e| e.multiday).count();
    let footer = u16::from(selected.is_some()) + u16::from(multiday > 0);
    let rows = area.height.saturating_sub(1 + footer) / weeks.max(1);
    let mut index = 0;
    for w in 0..weeks {
        for d in 0..7u16 {
            let day = first + Duration::days(i64::from(w * 7 + d));
            let area = cell(area, d, 1 + w * rows, col, rows);
            let todays: Vec<&CalendarEvent> = events_on(events, day).collect();
            let in_month = day.month() == model.span.first.month();
            let number_style = match (day == model.today, in_month) {
                (true, _) => theme.selected(),
                (false, true) => theme.label(),
                (false, false) => theme.disabled(),
            };
            Line::styled(day.day().to_string(), number_style).render(row(area, 0), buf);
            if in_month {
                draw_cell_events(buf, area, &todays, index, model, theme);
                index += todays.len();
            }
        }
    }
    let mut y = area.height.saturating_sub(footer);
    if multiday > 0 {
        let note = format!("Multiday Events: {multiday} (select them, or see the week view)");
        Line::styled(text::fit(&note, usize::from(area.width)), theme.dim())
            .render(row(area, y), buf);
        y += 1;
    }
    if let Some(e) = selected {
        selected_line(e, model.tf, usize::from(area.width), theme).render(row(area, y), buf);
    }
}

/// Cell `(col, y)` of the month grid, `height` rows, one column left between cells.
fn cell(area: Rect, column: u16, y: u16, width: u16, height: u16) -> Rect {
    let x = area.x + column * width;
    Rect {
        x,
        y: area.y + y.min(area.height),
        width: width.saturating_sub(1).min(area.right().saturating_sub(x)),
        height: height.min(area.height.saturating_sub(y)),
    }
}

/// A day's first events under its number; the last row says `+N more` when they do not fit.
fn draw_cell_events(
    buf: &mut Buffer,
    area: Rect,
    todays: &[&CalendarEvent],
    first_index: usize,
    model: &CalendarModel,
    theme: &Theme,
) {
    let room = usize::from(area.height.saturating_sub(1));
    let shown = if todays.len() > room {
        room.saturating_sub(1)
    } else {
        todays.len()
    };
    let width = usize::from(area.width);
    for (i, e) in todays.iter().take(shown).enumerate() {
        let label = format!("{} {}", short_time(e, model.tf), e.name);
        let style = if model.selected == Some(first_index + i) {
            theme.selected()
        } else if !e.published || e.scheduled {
            theme.warning()
        } else {
            theme.text()
        };
        Line::styled(text::fit(&label, width), style).render(row(area, 1 + i as u16), buf);
    }
    if shown < todays.len() && room > 0 {
        let hidden_selected = model
            .selected
            .is_some_and(|s| (first_index + shown..first_index + todays.len()).contains(&s));
        let style = if hidden_selected {
            theme.selected()
        } else {
            theme.dim()
        };
        let more = format!("+{} more", todays.len() - shown);
        Line::styled(text::fit(&more, width), style).render(row(area, 1 + shown as u16), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn event(name: &str, day: u32, hour: u32, ilm: bool) -> CalendarEvent {
        let start = NaiveDate::from_ymd_opt(2027, 2, day)
            .unwrap()
            .and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap());
        CalendarEvent {
            name: name.into(),
            course_title: Some("課程 with a long title".into()),
            session_type: None,
            start,
            end: start + Duration::hours(1),
            start_at: String::new(),
            end_at: String::new(),
            location: None,
            ilm,
            published: true,
            scheduled: false,
            prework: false,
            multiday: false,
            recently_updated: true,
            merged: false,
            source: 0,
        }
    }

    fn draw(view: CalendarView, events: &[CalendarEvent], w: u16, h: u16) -> String {
        draw_selected(view, events, w, h, 0)
    }

    fn draw_selected(
        view: CalendarView,
        events: &[CalendarEvent],
        w: u16,
        h: u16,
        selected: usize,
    ) -> String {
        let span = view.span(
            NaiveDate::from_ymd_opt(2027, 2, 17).unwrap(),
            WeekStart::Sunday,
        );
        let model = CalendarModel {
            view,
            span,
            today: NaiveDate::from_ymd_opt(2027, 2, 17).unwrap(),
            week_start: WeekStart::Sunday,
            events: Loadable::Ready(events),
            selected: Some(selected),
            tf: TimeFormat::H12,
            source: "My Schedule".into(),
            hint: String::new(),
        };
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        render_calendar(
            &mut buf,
            area,
            &model,
            &mut GridScroll::default(),
            &Theme::default(),
        );
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// An ILM reads `ILM - Due: hh:mm AM` (`ilios-calendar-event-month.gjs`) where the event is
    /// written out, `Due 5:00p` in a week block or month cell; the marks as words before the
    /// name; wide names are cut on whole characters at any width.
    #[test]
    fn ilm_due_time_marks_and_wide_names_at_any_width() {
        let events = [
            event("Lecture", 17, 9, false),
            event("Reflection 日本語の名前がとても長い", 17, 17, true),
        ];
        let model_selected = |i| {
            let s = draw_selected(CalendarView::Week, &events, 80, 20, i);
            s.lines().last().unwrap().to_string()
        };
        let ilm = model_selected(1);
        assert!(
            ilm.starts_with("Wed Feb 17  ILM - Due: 05:00 PM  [new updates] Reflection 日"),
            "{ilm}"
        );
        assert!(ilm.trim_end().ends_with('…'), "{ilm}");
        for w in [1, 7, 13, 30] {
            for view in [CalendarView::Day, CalendarView::Week, CalendarView::Month] {
                draw(view, &events, w, 6);
            }
        }
        let week = draw(CalendarView::Week, &events, 80, 40);
        assert!(week.contains("▎!Due") && week.contains("▎5:00p"), "{week}");
        let month = draw(CalendarView::Month, &events, 80, 20);
        assert!(month.contains("!Due 5:0"), "{month}");
    }
}
