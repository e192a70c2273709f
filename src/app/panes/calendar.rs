//! The Calendar pane (`5`, My Schedule): the view (day, week, month) and its date, the
//! selection and scroll, and the events of every range fetched, cached by range so going back
//! costs nothing. The rules are `domain::calendar` (as `ilios-tui calendar`); the drawing is
//! `ui::calendar`.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::ApiError;
use crate::api::models::UserEvent;
use crate::app::action::Effect;
use crate::app::dialogs::{Dialog, EventDetail};
use crate::app::keymap::Command;
use crate::app::state::App;
use crate::domain::Loadable;
use crate::domain::calendar::{CalendarEvent, CalendarView, Span, calendar_events, events_on};
use crate::domain::week::{GlanceEvent, TimeFormat, WeekStart, glance_event};
use crate::ui::Theme;
use crate::ui::calendar::{CalendarModel, CalendarScroll, render_calendar};

/// A span's first and last day.
type RangeKey = (NaiveDate, NaiveDate);

/// One fetched range.
#[derive(Debug, Default)]
struct RangeEntry {
    /// The request whose answer is awaited; older answers for the range are dropped.
    seq: u64,
    view: CalendarView,
    /// As the server sent them (the detail popup is built from one).
    events: Loadable<Vec<UserEvent>>,
    /// The span's events in list order (each day's, then the multi-day ones), text sanitized.
    listed: Vec<CalendarEvent>,
}

#[derive(Debug)]
pub struct CalendarPane {
    pub view: CalendarView,
    pub date: NaiveDate,
    /// Index into the listed events of the span shown.
    pub selected: Option<usize>,
    pub scroll: CalendarScroll,
    ranges: HashMap<RangeKey, RangeEntry>,
    /// The event whose detail popup is open.
    opened: Option<GlanceEvent>,
}

impl CalendarPane {
    /// Week view at `today`, as Ilios opens it.
    pub fn new(today: NaiveDate) -> CalendarPane {
        CalendarPane {
            view: CalendarView::Week,
            date: today,
            selected: None,
            scroll: CalendarScroll::default(),
            ranges: HashMap::new(),
            opened: None,
        }
    }

    pub fn span(&self, week_start: WeekStart) -> Span {
        self.view.span(self.date, week_start)
    }

    /// The events listed for `span` (loading until its answer is here).
    pub fn listed(&self, span: Span) -> Loadable<&[CalendarEvent]> {
        match self.ranges.get(&(span.first, span.last)) {
            None => Loadable::Loading,
            Some(entry) => match &entry.events {
                Loadable::Ready(_) => Loadable::Ready(entry.listed.as_slice()),
                Loadable::Loading => Loadable::Loading,
                Loadable::Failed(why) => Loadable::Failed(why.clone()),
            },
        }
    }

    /// The event of the open detail popup.
    pub fn opened(&self) -> Option<&GlanceEvent> {
        self.opened.as_ref()
    }

    /// Whether `span` has an answer (or a request under way).
    pub fn has(&self, span: Span) -> bool {
        self.ranges
            .get(&(span.first, span.last))
            .is_some_and(|e| !matches!(e.events, Loadable::Failed(_)))
    }

    /// Another date or view: from the top, nothing selected.
    fn moved(&mut self) {
        self.selected = None;
        self.scroll.reset();
    }

    fn select(&mut self, index: Option<usize>) {
        self.selected = index;
        self.scroll.follow = true;
    }

    /// j/k: the next or previous listed event (the first one when nothing is selected).
    fn step_selection(&mut self, count: usize, forward: bool) {
        if count == 0 {
            return;
        }
        let next = match (self.selected, forward) {
            (None, _) => 0,
            (Some(i), true) => (i + 1).min(count - 1),
            (Some(i), false) => i.saturating_sub(1),
        };
        self.select(Some(next));
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        today: NaiveDate,
        week_start: WeekStart,
        tf: TimeFormat,
        theme: &Theme,
    ) {
        let span = self.span(week_start);
        let model = CalendarModel {
            view: self.view,
            span,
            today,
            week_start,
            events: self.listed(span),
            selected: self.selected,
            tf,
        };
        let mut scroll = self.scroll;
        render_calendar(frame.buffer_mut(), area, &model, &mut scroll, theme);
        self.scroll = scroll;
    }
}

/// The span's events in the order the pane lists them, with the server's text made safe once.
fn list(events: &[UserEvent], view: CalendarView, span: Span, app: &App) -> Vec<CalendarEvent> {
    let shown = calendar_events(events, view, &app.now.zone, app.now.utc());
    let mut listed: Vec<CalendarEvent> = span
        .days()
        .flat_map(|day| events_on(&shown, day).cloned().collect::<Vec<_>>())
        .collect();
    listed.extend(
        shown
            .iter()
            .filter(|e| e.multiday && span.holds(e))
            .cloned(),
    );
    fn clean(s: &str) -> String {
        crate::text::sanitize_line(s).into_owned()
    }
    for e in &mut listed {
        e.name = clean(&e.name);
        for field in [&mut e.course_title, &mut e.session_type, &mut e.location] {
            *field = field.as_deref().map(clean);
        }
    }
    listed
}

/// The pane is shown: fetch its range unless it is cached.
pub fn show(app: &mut App, fx: &mut Vec<Effect>) {
    let span = app.calendar.span(app.settings.week_start);
    if !app.calendar.has(span) {
        reload(app, span, fx);
    }
}

/// Fetches `span` again (kept on screen meanwhile if it was there).
pub fn reload(app: &mut App, span: Span, fx: &mut Vec<Effect>) {
    if app.session.is_none() {
        return;
    }
    let seq = app.seq();
    let view = app.calendar.view;
    let entry = app
        .calendar
        .ranges
        .entry((span.first, span.last))
        .or_default();
    entry.seq = seq;
    if !matches!(entry.events, Loadable::Ready(_)) {
        entry.view = view;
        entry.events = Loadable::Loading;
    }
    fx.push(Effect::LoadCalendar { span, seq });
}

/// `r`: the range on screen again.
pub fn refresh(app: &mut App, fx: &mut Vec<Effect>) {
    let span = app.calendar.span(app.settings.week_start);
    reload(app, span, fx);
}

/// An answer for `span`: stored in the cache whichever range is shown (the view changes only if
/// it is the one shown, since drawing reads the cache for the span on screen).
pub fn receive(
    app: &mut App,
    span: Span,
    seq: u64,
    result: Result<Vec<UserEvent>, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let key = (span.first, span.last);
    let Some(entry) = app.calendar.ranges.get(&key) else {
        return; // the cache was cleared (another session)
    };
    if entry.seq != seq {
        return; // a newer request for this range replaced this one
    }
    let view = entry.view;
    match result {
        Ok(events) => {
            let listed = list(&events, view, span, app);
            if let Some(entry) = app.calendar.ranges.get_mut(&key) {
                entry.listed = listed;
                entry.events = Loadable::Ready(events);
            }
        }
        Err(e) => {
            if let Some(entry) = app.calendar.ranges.get_mut(&key)
                && !matches!(entry.events, Loadable::Ready(_))
            {
                entry.events = Loadable::Failed(e.to_string());
            }
            app.session_error(e, fx);
        }
    }
    // A reload may have fewer events: the selection stays within them.
    let shown = app.calendar.span(app.settings.week_start);
    if shown == span {
        let count = app.calendar.listed(span).ready().map_or(0, |l| l.len());
        let pane = &mut app.calendar;
        pane.selected = pane.selected.filter(|i| *i < count);
    }
}

/// Go to a date (from the Go to a date dialog): the current view around it.
pub fn go_to(app: &mut App, date: NaiveDate, fx: &mut Vec<Effect>) {
    app.calendar.date = date;
    app.calendar.moved();
    show(app, fx);
}

/// A command for the pane.
pub fn command(app: &mut App, command: Command, fx: &mut Vec<Effect>) {
    let week_start = app.settings.week_start;
    let pane = &mut app.calendar;
    let count = pane
        .listed(pane.span(week_start))
        .ready()
        .map_or(0, |l| l.len());
    match command {
        Command::DayView | Command::WeekView | Command::MonthView => {
            pane.view = match command {
                Command::DayView => CalendarView::Day,
                Command::WeekView => CalendarView::Week,
                _ => CalendarView::Month,
            };
            pane.moved();
        }
        Command::Back | Command::Forward => {
            pane.date = pane.view.step(pane.date, command == Command::Forward);
            pane.moved();
        }
        Command::Today => {
            pane.date = app.now.today();
            pane.moved();
        }
        Command::Down => pane.step_selection(count, true),
        Command::Up => pane.step_selection(count, false),
        Command::PageDown => pane.scroll.page(true),
        Command::PageUp => pane.scroll.page(false),
        Command::Top if count > 0 => pane.select(Some(0)),
        Command::Bottom if count > 0 => pane.select(Some(count - 1)),
        Command::Open => open(app, week_start),
        _ => {}
    }
    show(app, fx);
}

/// Enter: the selected event (else the first) in the event detail popup the glance uses.
fn open(app: &mut App, week_start: WeekStart) {
    let pane = &mut app.calendar;
    let span = pane.span(week_start);
    let Some(entry) = pane.ranges.get(&(span.first, span.last)) else {
        return;
    };
    let index = pane.selected.unwrap_or(0);
    let (Some(shown), Some(raw)) = (entry.listed.get(index), entry.events.ready()) else {
        return;
    };
    let Some(source) = raw.get(shown.source) else {
        return;
    };
    pane.opened = Some(glance_event(source, &app.now.zone, app.now.utc()));
    pane.select(Some(index));
    app.dialog = Some(Dialog::EventDetail(EventDetail::new(index)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn selection_stays_within_the_list_and_starts_at_the_first() {
        let mut pane = CalendarPane::new(d(2027, 2, 17));
        pane.step_selection(0, true);
        assert_eq!(pane.selected, None);
        pane.step_selection(3, false);
        assert_eq!(pane.selected, Some(0));
        pane.step_selection(3, true);
        pane.step_selection(3, true);
        pane.step_selection(3, true);
        assert_eq!(pane.selected, Some(2));
        assert!(pane.scroll.follow);
        pane.moved();
        assert_eq!((pane.selected, pane.scroll.offset), (None, 0));
    }

    #[test]
    fn a_range_is_loading_until_its_answer_and_ready_after() {
        let pane = CalendarPane::new(d(2027, 2, 17));
        let span = pane.span(WeekStart::Sunday);
        assert!(pane.listed(span).is_loading());
        assert!(!pane.has(span));
    }
}
