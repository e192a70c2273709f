//! The Calendar pane (`5`): My Schedule or a school's All Events (`a`; `s` the next school when
//! there is more than one; `f` the filters), the view (day, week, month) and its date, the
//! selection and scroll, and the events of every range fetched, cached by (source, school,
//! range) so going back costs nothing. The rules are `domain::calendar` and
//! `domain::calendar_filters` (as `ilios-tui calendar`); the drawing is `ui::calendar`.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::ApiError;
use crate::api::calendar::{SchoolChoices, SchoolFilterLists};
use crate::api::models::{Id, UserEvent};
use crate::app::action::Effect;
use crate::app::dialogs::{Dialog, EventDetail, FiltersDialog};
use crate::app::keymap::{Command, Scope};
use crate::app::state::App;
use crate::domain::Loadable;
use crate::domain::calendar::{CalendarEvent, CalendarView, Span, calendar_events, events_on};
use crate::domain::calendar_filters::{CalendarFilters, CalendarSource, FilterOptions};
use crate::domain::week::{GlanceEvent, TimeFormat, WeekStart, glance_event};
use crate::ui::Theme;
use crate::ui::calendar::{CalendarModel, render_calendar};
use crate::ui::calendar_grid::GridScroll;
use crate::ui::widgets::flash::FlashKind;

/// Whose events (a school's for All Events, `None` for My Schedule) and a span's first and
/// last day.
type RangeKey = (Option<Id>, NaiveDate, NaiveDate);

/// One fetched range.
#[derive(Debug, Default)]
struct RangeEntry {
    /// The request whose answer is awaited; older answers for the range are dropped.
    seq: u64,
    view: CalendarView,
    /// As the server sent them.
    events: Loadable<Vec<UserEvent>>,
    /// The ones the filters keep, when filters are on (`None`: all of `events`, not copied);
    /// the detail popup is built from one.
    kept: Option<Vec<UserEvent>>,
    /// The span's events in list order (each day's, then the multi-day ones), text sanitized.
    listed: Vec<CalendarEvent>,
}

#[derive(Debug)]
pub struct CalendarPane {
    pub view: CalendarView,
    pub date: NaiveDate,
    /// Index into the listed events of the span shown.
    pub selected: Option<usize>,
    /// The day and week grids' scroll.
    pub scroll: GridScroll,
    ranges: HashMap<RangeKey, RangeEntry>,
    /// The event whose detail popup is open.
    opened: Option<GlanceEvent>,
    pub source: CalendarSource,
    /// All Events' school: the primary school until another is picked (`None` until the
    /// schools are known).
    pub school: Option<Id>,
    /// The schools to pick from and the primary one (asked once, on the first All Events).
    schools: Option<(u64, Loadable<SchoolChoices>)>,
    /// What the All Events filters keep (cleared on the way back to My Schedule).
    pub filters: CalendarFilters,
    /// Each school's filter lists, asked when the filters are first opened for it.
    filter_options: HashMap<Id, (u64, Loadable<FilterOptions>)>,
}

impl CalendarPane {
    /// Week view at `today`, as Ilios opens it.
    pub fn new(today: NaiveDate) -> CalendarPane {
        CalendarPane {
            view: CalendarView::Week,
            date: today,
            selected: None,
            scroll: GridScroll::default(),
            ranges: HashMap::new(),
            opened: None,
            source: CalendarSource::MySchedule,
            school: None,
            schools: None,
            filters: CalendarFilters::default(),
            filter_options: HashMap::new(),
        }
    }

    /// The key of `span` for the source shown (`None` while All Events' school is unknown).
    fn key(&self, span: Span) -> Option<RangeKey> {
        match self.source {
            CalendarSource::MySchedule => Some((None, span.first, span.last)),
            CalendarSource::AllEvents => self.school.map(|s| (Some(s), span.first, span.last)),
        }
    }

    /// The school picker's choices, once they are here.
    fn school_list(&self) -> &[crate::api::models::School] {
        match &self.schools {
            Some((_, Loadable::Ready(c))) => &c.schools,
            _ => &[],
        }
    }

    /// The heading's right half: "My Schedule", or "All Events · Medicine · 2 filters".
    pub fn source_label(&self) -> String {
        if self.source == CalendarSource::MySchedule {
            return self.source.title().to_string();
        }
        let school = self
            .school
            .and_then(|id| self.school_list().iter().find(|s| s.id == id))
            .map(|s| crate::text::sanitize_line(&s.title).into_owned());
        let mut label = format!("All Events · {}", school.as_deref().unwrap_or("…"));
        match self.filters.count() {
            0 => {}
            1 => label.push_str(" · 1 filter"),
            n => label.push_str(&format!(" · {n} filters")),
        }
        label
    }

    pub fn span(&self, week_start: WeekStart) -> Span {
        self.view.span(self.date, week_start)
    }

    /// The events listed for `span` (loading until its answer is here).
    pub fn listed(&self, span: Span) -> Loadable<&[CalendarEvent]> {
        if let (None, Some((_, Loadable::Failed(why)))) = (self.key(span), &self.schools) {
            return Loadable::Failed(why.clone());
        }
        match self.key(span).and_then(|k| self.ranges.get(&k)) {
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
        self.key(span)
            .and_then(|k| self.ranges.get(&k))
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

    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        today: NaiveDate,
        week_start: WeekStart,
        tf: TimeFormat,
        theme: &Theme,
        hint: String,
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
            source: self.source_label(),
            hint,
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

/// The pane is shown: fetch its range unless it is cached (All Events first needs its school).
pub fn show(app: &mut App, fx: &mut Vec<Effect>) {
    let span = app.calendar.span(app.settings.week_start);
    if app.calendar.source == CalendarSource::AllEvents && app.calendar.school.is_none() {
        if app.calendar.schools.is_none() {
            ask_schools(app, fx);
        }
        return;
    }
    if !app.calendar.has(span) {
        let school = app.calendar.key(span).and_then(|k| k.0);
        reload(app, span, school, fx);
    }
}

fn ask_schools(app: &mut App, fx: &mut Vec<Effect>) {
    if app.session.is_none() {
        return;
    }
    let seq = app.seq();
    app.calendar.schools = Some((seq, Loadable::Loading));
    fx.push(Effect::LoadCalendarSchools { seq });
}

/// Fetches `span` of `school` (`None`: My Schedule) again (kept on screen meanwhile if it was
/// there).
pub fn reload(app: &mut App, span: Span, school: Option<Id>, fx: &mut Vec<Effect>) {
    if app.session.is_none() {
        return;
    }
    let seq = app.seq();
    let view = app.calendar.view;
    let entry = app
        .calendar
        .ranges
        .entry((school, span.first, span.last))
        .or_default();
    entry.seq = seq;
    if !matches!(entry.events, Loadable::Ready(_)) {
        entry.view = view;
        entry.events = Loadable::Loading;
    }
    fx.push(Effect::LoadCalendar { span, school, seq });
}

/// `r`: the range on screen again (and the schools, if asking for them failed).
pub fn refresh(app: &mut App, fx: &mut Vec<Effect>) {
    if matches!(app.calendar.schools, Some((_, Loadable::Failed(_)))) {
        app.calendar.schools = None;
    }
    let span = app.calendar.span(app.settings.week_start);
    match app.calendar.key(span) {
        Some((school, ..)) => reload(app, span, school, fx),
        None => show(app, fx),
    }
}

/// A stale token's answer for the schools or filter lists: ask again with the new one.
pub fn ask_again(app: &mut App, fx: &mut Vec<Effect>) {
    if matches!(app.calendar.schools, Some((_, Loadable::Loading))) {
        ask_schools(app, fx);
    }
    let loading: Vec<Id> = app
        .calendar
        .filter_options
        .iter()
        .filter(|(_, (_, l))| l.is_loading())
        .map(|(id, _)| *id)
        .collect();
    for school in loading {
        ask_filter_lists(app, school, fx);
    }
}

/// The schools and the primary one: All Events shows the primary school (else the first).
pub fn receive_schools(
    app: &mut App,
    seq: u64,
    result: Result<SchoolChoices, ApiError>,
    fx: &mut Vec<Effect>,
) {
    if !matches!(app.calendar.schools, Some((s, _)) if s == seq) {
        return;
    }
    match result {
        Ok(choices) => {
            let default = choices
                .primary
                .or_else(|| choices.schools.first().map(|s| s.id));
            app.calendar.school = app.calendar.school.or(default);
            app.calendar.schools = Some((seq, Loadable::Ready(choices)));
            if app.calendar.school.is_none() {
                app.calendar.schools =
                    Some((seq, Loadable::Failed("There is no school to show.".into())));
            }
            show(app, fx);
        }
        Err(e) => {
            app.calendar.schools = Some((seq, Loadable::Failed(e.to_string())));
            app.session_error(e, fx);
        }
    }
}

fn ask_filter_lists(app: &mut App, school: Id, fx: &mut Vec<Effect>) {
    if app.session.is_none() {
        return;
    }
    let seq = app.seq();
    app.calendar
        .filter_options
        .insert(school, (seq, Loadable::Loading));
    fx.push(Effect::LoadCalendarFilterLists { school, seq });
}

/// A school's filter lists: kept, and handed to the filters dialog if it is open for it.
pub fn receive_filter_lists(
    app: &mut App,
    school: Id,
    seq: u64,
    result: Result<SchoolFilterLists, ApiError>,
    fx: &mut Vec<Effect>,
) {
    if !matches!(app.calendar.filter_options.get(&school), Some((s, _)) if *s == seq) {
        return;
    }
    let options = match result {
        Ok(lists) => Loadable::Ready(FilterOptions::from_lists(&lists)),
        Err(e) => {
            let failed = Loadable::Failed(e.to_string());
            app.session_error(e, fx);
            failed
        }
    };
    if app.calendar.school == Some(school)
        && let Some(Dialog::CalendarFilters(d)) = &mut app.dialog
    {
        d.options = options.clone();
    }
    app.calendar.filter_options.insert(school, (seq, options));
}

/// New filters from the dialog: every cached All Events range is listed again.
pub fn set_filters(app: &mut App, filters: CalendarFilters) {
    app.calendar.filters = filters;
    relist_all_events(app);
    app.calendar.moved();
}

fn relist_all_events(app: &mut App) {
    let keys: Vec<RangeKey> = app
        .calendar
        .ranges
        .keys()
        .filter(|k| k.0.is_some())
        .copied()
        .collect();
    for key in keys {
        let Some(entry) = app.calendar.ranges.get(&key) else {
            continue;
        };
        let Some(events) = entry.events.ready() else {
            continue;
        };
        let kept = filtered(&app.calendar.filters, key.0, events);
        let span = Span {
            first: key.1,
            last: key.2,
        };
        let listed = list(kept.as_deref().unwrap_or(events), entry.view, span, app);
        if let Some(entry) = app.calendar.ranges.get_mut(&key) {
            entry.kept = kept;
            entry.listed = listed;
        }
    }
}

/// The events of All Events (`school` set) that `filters` keep, when any filter is on; `None`
/// for all of them (never copied: a school's month can be thousands of events).
fn filtered(
    filters: &CalendarFilters,
    school: Option<Id>,
    events: &[UserEvent],
) -> Option<Vec<UserEvent>> {
    if school.is_none() || filters.is_empty() {
        return None;
    }
    Some(filters.apply(events).into_iter().cloned().collect())
}

/// An answer for `span`: stored in the cache whichever range is shown (the view changes only if
/// it is the one shown, since drawing reads the cache for the span on screen).
pub fn receive(
    app: &mut App,
    span: Span,
    school: Option<Id>,
    seq: u64,
    result: Result<Vec<UserEvent>, ApiError>,
    fx: &mut Vec<Effect>,
) {
    let key = (school, span.first, span.last);
    let Some(entry) = app.calendar.ranges.get(&key) else {
        return; // the cache was cleared (another session)
    };
    if entry.seq != seq {
        return; // a newer request for this range replaced this one
    }
    let view = entry.view;
    match result {
        Ok(events) => {
            let kept = filtered(&app.calendar.filters, school, &events);
            let listed = list(kept.as_deref().unwrap_or(&events), view, span, app);
            if let Some(entry) = app.calendar.ranges.get_mut(&key) {
                entry.listed = listed;
                entry.kept = kept;
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
        Command::HourEarlier => pane.scroll.hours(-1),
        Command::HourLater => pane.scroll.hours(1),
        Command::Top if count > 0 => pane.select(Some(0)),
        Command::Bottom if count > 0 => pane.select(Some(count - 1)),
        Command::Open => open(app, week_start),
        Command::ToggleAllEvents => toggle_source(app),
        Command::NextSchool => next_school(app, fx),
        Command::CalendarFilters => open_filters(app, fx),
        _ => {}
    }
    show(app, fx);
}

/// `a`: My Schedule ⇄ All Events; the way back clears the filters (as the web client does).
fn toggle_source(app: &mut App) {
    let pane = &mut app.calendar;
    pane.source = match pane.source {
        CalendarSource::MySchedule => CalendarSource::AllEvents,
        CalendarSource::AllEvents => {
            pane.filters.clear();
            CalendarSource::MySchedule
        }
    };
    pane.moved();
    relist_all_events(app);
}

/// `s` under All Events: the next school by title, only when there is more than one (the web
/// client shows its school select only then). Another school's lists differ: only the course
/// levels stay checked ([`CalendarFilters::for_another_school`]).
fn next_school(app: &mut App, fx: &mut Vec<Effect>) {
    let pane = &mut app.calendar;
    if pane.source != CalendarSource::AllEvents {
        return only_under_all_events(app, "Schools", fx);
    }
    let ids: Vec<Id> = pane.school_list().iter().map(|s| s.id).collect();
    if ids.len() < 2 {
        let text = "This server has one school: there is no other to show.".to_string();
        return app.flash(FlashKind::Info, text, fx);
    }
    let at = pane.school.and_then(|s| ids.iter().position(|i| *i == s));
    pane.school = Some(ids[at.map_or(0, |i| (i + 1) % ids.len())]);
    pane.filters.for_another_school();
    pane.moved();
    relist_all_events(app);
}

/// A key of All Events pressed under My Schedule: say so rather than do nothing.
fn only_under_all_events(app: &mut App, what: &str, fx: &mut Vec<Effect>) {
    let key = app
        .settings
        .keymap
        .describe_in(Scope::CalendarPane, Command::ToggleAllEvents);
    let text = format!("{what} are for All Events: {key} shows them.");
    app.flash(FlashKind::Info, text, fx);
}

/// `f` under All Events: the filters dialog (its lists asked once per school).
fn open_filters(app: &mut App, fx: &mut Vec<Effect>) {
    let pane = &app.calendar;
    let (CalendarSource::AllEvents, Some(school)) = (pane.source, pane.school) else {
        return only_under_all_events(app, "Filters", fx);
    };
    let known = pane
        .filter_options
        .get(&school)
        .filter(|(_, o)| !matches!(o, Loadable::Failed(_)))
        .map(|(_, o)| o.clone());
    let options = match known {
        Some(o) => o,
        None => {
            ask_filter_lists(app, school, fx);
            Loadable::Loading
        }
    };
    let filters = app.calendar.filters.clone();
    app.dialog = Some(Dialog::CalendarFilters(FiltersDialog::new(
        options, filters,
    )));
}

/// Enter: the selected event (else the first) in the event detail popup the glance uses. In
/// the week view, identical events merged as `{name}, Multiple` open their day instead, where
/// they stand apart (FE `weekly-calendar.gjs` `selectEvent`).
fn open(app: &mut App, week_start: WeekStart) {
    let pane = &mut app.calendar;
    let span = pane.span(week_start);
    let Some(entry) = pane.key(span).and_then(|k| pane.ranges.get(&k)) else {
        return;
    };
    let index = pane.selected.unwrap_or(0);
    let Some(shown) = entry.listed.get(index) else {
        return;
    };
    if shown.merged && pane.view == CalendarView::Week {
        pane.date = shown.start.date();
        pane.view = CalendarView::Day;
        pane.moved();
        return;
    }
    let kept = entry
        .kept
        .as_deref()
        .or(entry.events.ready().map(Vec::as_slice));
    let Some(source) = kept.and_then(|k| k.get(shown.source)) else {
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
