//! Drawing of the Calendar pane (`5`, My Schedule): the day and week views as a list per day,
//! the month view as a grid of weeks, the multi-day events listed apart. Pure: drawn into a
//! [`Buffer`] from the events [`crate::domain::calendar`] lists; the text arrives sanitized.
//!
//! ```text
//! Week of February 14-20, 2027 · My Schedule                           Day  Week  Month
//! Monday, February 15
//!   08:10 AM – 09:00 AM  Geroscience · Aging · Lecture · Room 119 [Scheduled]
//!   ILM - Due: 05:00 PM  Reflection · Aging
//! Multiday Events
//!   02/15/27, 08:00 AM – 02/17/27, 05:00 PM  Retreat · Camp
//! ```
//! The selected event is reversed, so it shows without colour.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span as TextSpan};
use ratatui::widgets::Widget;

use crate::domain::Loadable;
use crate::domain::calendar::{CalendarEvent, CalendarView, Span, events_on, title};
use crate::domain::week::{TimeFormat, Week, WeekStart};
use crate::ui::Theme;
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
}

/// The list's scroll: its first row, the rows it had (for paging), and whether the next draw
/// brings the selection into view.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CalendarScroll {
    pub offset: usize,
    pub viewport: u16,
    pub follow: bool,
}

impl CalendarScroll {
    pub fn reset(&mut self) {
        *self = CalendarScroll {
            viewport: self.viewport,
            ..Default::default()
        };
    }

    pub fn page(&mut self, down: bool) {
        let page = usize::from(self.viewport.max(1));
        self.offset = if down {
            self.offset + page
        } else {
            self.offset.saturating_sub(page)
        };
        self.follow = false;
    }
}

pub fn render_calendar(
    buf: &mut Buffer,
    area: Rect,
    model: &CalendarModel,
    scroll: &mut CalendarScroll,
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
            render_list(buf, body, model, events, scroll, theme)
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

/// The day and week views: each day's heading and events (or "None"), then the multi-day ones.
fn render_list(
    buf: &mut Buffer,
    area: Rect,
    model: &CalendarModel,
    events: &[CalendarEvent],
    scroll: &mut CalendarScroll,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let mut index = 0;
    for day in model.span.days() {
        let style = if day == model.today {
            theme
                .heading()
                .add_modifier(ratatui::style::Modifier::UNDERLINED)
        } else {
            theme.heading()
        };
        lines.push((
            Line::styled(day.format("%A, %B %-d").to_string(), style),
            None,
        ));
        let mut any = false;
        for e in events_on(events, day) {
            any = true;
            let selected = model.selected == Some(index);
            lines.push((event_line(e, model.tf, selected, width, theme), Some(index)));
            index += 1;
        }
        if !any {
            lines.push((Line::styled("  None", theme.dim()), None));
        }
    }
    let multiday: Vec<&CalendarEvent> = events.iter().filter(|e| e.multiday).collect();
    if !multiday.is_empty() {
        lines.push((Line::styled("Multiday Events", theme.heading()), None));
        for e in multiday {
            let selected = model.selected == Some(index);
            lines.push((
                multiday_line(e, model.tf, selected, width, theme),
                Some(index),
            ));
            index += 1;
        }
    }
    let height = usize::from(area.height);
    scroll.viewport = area.height;
    if scroll.follow
        && let Some(at) = lines
            .iter()
            .position(|(_, i)| i.is_some() && *i == model.selected)
    {
        // The day's heading too, when the first event of a day is selected.
        let top = if at > 0 && lines[at - 1].1.is_none() {
            at - 1
        } else {
            at
        };
        if top < scroll.offset {
            scroll.offset = top;
        } else if at >= scroll.offset + height {
            scroll.offset = at + 1 - height;
        }
    }
    scroll.follow = false;
    scroll.offset = scroll.offset.min(lines.len().saturating_sub(height));
    for (i, (line, _)) in lines
        .into_iter()
        .skip(scroll.offset)
        .take(height)
        .enumerate()
    {
        line.render(row(area, i as u16), buf);
    }
}

/// `  08:10 AM – 09:00 AM  [Scheduled] Name · Course · Type · Location`, cut to `width`: the
/// marks come first (Ilios draws its icons before the time) so a long name never hides them.
fn event_line(
    e: &CalendarEvent,
    tf: TimeFormat,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let mut parts = vec![(format!("  {}  ", e.when(tf)), theme.label())];
    parts.extend(marks(e, theme));
    parts.push((e.name.clone(), theme.text()));
    for extra in [&e.course_title, &e.session_type, &e.location]
        .into_iter()
        .flatten()
    {
        parts.push((format!(" · {extra}"), theme.dim()));
    }
    fitted(parts, selected, width, theme)
}

/// `[new updates] [Has pre-work] [Not Published] ` as words.
fn marks(e: &CalendarEvent, theme: &Theme) -> Vec<(String, ratatui::style::Style)> {
    e.marks()
        .into_iter()
        .map(|mark| (format!("[{mark}] "), theme.warning()))
        .collect()
}

/// `  02/15/27, 08:00 AM – 02/17/27, 05:00 PM  [marks] Name Location`.
fn multiday_line(
    e: &CalendarEvent,
    tf: TimeFormat,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let mut parts = vec![(format!("  {}  ", e.multiday_when(tf)), theme.label())];
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
        let width = usize::from(area.width);
        let line = if e.multiday {
            multiday_line(e, model.tf, false, width, theme)
        } else {
            let mut l = event_line(e, model.tf, false, width, theme);
            l.spans.insert(
                0,
                TextSpan::styled(e.start.format("%a %b %-d").to_string(), theme.label()),
            );
            l
        };
        line.render(row(area, y), buf);
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
        let label = format!("{} {}", short_time(&e.start, e.ilm, model.tf), e.name);
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

/// A time for a month cell: `8:10a` (12-hour) or `08:10`; an ILM's due time reads `Due 5:00p`.
fn short_time(t: &NaiveDateTime, ilm: bool, tf: TimeFormat) -> String {
    let time = match tf {
        TimeFormat::H24 => t.format("%H:%M").to_string(),
        TimeFormat::H12 => {
            let (pm, hour) = t.hour12();
            format!("{hour}:{:02}{}", t.minute(), if pm { "p" } else { "a" })
        }
    };
    if ilm { format!("Due {time}") } else { time }
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
            source: 0,
        }
    }

    fn draw(view: CalendarView, events: &[CalendarEvent], w: u16, h: u16) -> String {
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
            selected: Some(0),
            tf: TimeFormat::H12,
            source: "My Schedule".into(),
        };
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        render_calendar(
            &mut buf,
            area,
            &model,
            &mut CalendarScroll::default(),
            &Theme::default(),
        );
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// An ILM reads `ILM - Due: hh:mm AM` (`ilios-calendar-event-month.gjs`), the marks as
    /// words before the name; wide names are cut on whole characters at any width.
    #[test]
    fn ilm_due_time_marks_and_wide_names_at_any_width() {
        let events = [
            event("Lecture", 17, 9, false),
            event("Reflection 日本語の名前がとても長い", 17, 17, true),
        ];
        let s = draw(CalendarView::Week, &events, 80, 20);
        let ilm = s.lines().find(|l| l.contains("ILM")).unwrap();
        assert!(
            ilm.starts_with("  ILM - Due: 05:00 PM  [new updates] Reflection 日"),
            "{s}"
        );
        assert!(ilm.trim_end().ends_with('…'), "{s}");
        for w in [1, 7, 13, 30] {
            for view in [CalendarView::Day, CalendarView::Week, CalendarView::Month] {
                draw(view, &events, w, 6);
            }
        }
        let month = draw(CalendarView::Month, &events, 80, 20);
        assert!(month.contains("Due 5:00p"), "{month}");
    }
}
