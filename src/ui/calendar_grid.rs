//! The Calendar's day and week views as the web client draws them (FE `weekly-calendar.gjs`,
//! `daily-calendar.gjs`): a column per day under its name, a row per half hour beside the
//! hours, each event a block from its start to its end. Events that overlap share their day's
//! column side by side. Multi-day events are not in the grid; the line under it counts them and
//! writes out the selected event in full, since a block is often too narrow for its name.
//!
//! ```text
//!      │Sun 14   │Mon 15   │Tue 16   │Wed 17   │Thu 18   │Fri 19   │Sat 20
//!  8 AM│         │▎8:10a Cu│         │         │         │         │
//!      │         │▎tting Ed│         │         │         │         │
//!  9 AM│         │▎9:10a Fr│         │         │         │         │
//! ```

use chrono::{Duration, NaiveDate, NaiveTime, Timelike};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::domain::calendar::{CalendarEvent, opening_hour};
use crate::domain::week::{TimeFormat, format_time};
use crate::ui::Theme;
use crate::ui::text;

/// Two rows an hour: the web client draws a border every half hour, and a 50-minute lecture
/// still reads as longer than a 10-minute break.
pub const ROWS_PER_HOUR: usize = 2;
/// The rows of a whole day.
pub const DAY_ROWS: usize = 24 * ROWS_PER_HOUR;
/// The hours beside the grid: ` 8 AM`, `12 PM` or `08:00`.
const GUTTER: u16 = 5;

/// Where an event sits in its day's column: rows `top..bottom` of the day, and lane `lane` of
/// the `lanes` that the events overlapping it (directly or through others) share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// Its index in the listed events (the selection's index).
    pub event: usize,
    pub top: usize,
    pub bottom: usize,
    pub lane: usize,
    pub lanes: usize,
}

/// The rows an event covers: from the half hour it starts in to the one it ends in, at least
/// one (an ILM's due time has no length).
pub fn rows_of(e: &CalendarEvent) -> (usize, usize) {
    let minute = |t: NaiveTime| (t.hour() * 60 + t.minute()) as usize;
    let top = minute(e.start.time()) * ROWS_PER_HOUR / 60;
    let bottom = (minute(e.end.time()) * ROWS_PER_HOUR).div_ceil(60);
    (top, bottom.clamp(top + 1, DAY_ROWS))
}

/// One day's events in lanes: each takes the first lane free at its start; a group of events
/// that overlap one another (a cluster) shares as many lanes as it needed at most, so their
/// blocks stand side by side at equal widths.
pub fn place_day<'a>(events: impl IntoIterator<Item = (usize, &'a CalendarEvent)>) -> Vec<Placed> {
    let mut items: Vec<(usize, usize, usize)> = events
        .into_iter()
        .map(|(i, e)| {
            let (top, bottom) = rows_of(e);
            (top, bottom, i)
        })
        .collect();
    items.sort_unstable();
    let mut placed: Vec<Placed> = Vec::with_capacity(items.len());
    // The bottom row of the last event in each lane of the open cluster.
    let mut lane_ends: Vec<usize> = Vec::new();
    let mut cluster = 0;
    for (top, bottom, event) in items {
        if lane_ends.iter().all(|end| *end <= top) {
            close_cluster(&mut placed[cluster..], lane_ends.len());
            cluster = placed.len();
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|end| *end <= top) {
            Some(free) => free,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = bottom;
        placed.push(Placed {
            event,
            top,
            bottom,
            lane,
            lanes: 0,
        });
    }
    close_cluster(&mut placed[cluster..], lane_ends.len());
    placed
}

fn close_cluster(cluster: &mut [Placed], lanes: usize) {
    for p in cluster {
        p.lanes = lanes;
    }
}

/// The grid's scroll, in rows of the day: where it opens (`placed` once the events are here, at
/// the web client's hour) and whether the next draw brings the selected event into view.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GridScroll {
    pub offset: usize,
    /// The grid rows of the last draw (a page).
    pub viewport: u16,
    pub placed: bool,
    pub follow: bool,
}

impl GridScroll {
    /// Another day or week: it opens at its own hour again.
    pub fn reset(&mut self) {
        *self = GridScroll {
            viewport: self.viewport,
            ..Default::default()
        };
    }

    /// Page up or down (PgUp/PgDn).
    pub fn page(&mut self, down: bool) {
        let page = usize::from(self.viewport.max(1));
        self.scroll_rows(if down {
            page as isize
        } else {
            -(page as isize)
        });
    }

    /// An hour earlier or later.
    pub fn hours(&mut self, hours: isize) {
        self.scroll_rows(hours * ROWS_PER_HOUR as isize);
    }

    fn scroll_rows(&mut self, rows: isize) {
        // From the rows shown: the offset kept may be past the last page of this size.
        let last = DAY_ROWS.saturating_sub(usize::from(self.viewport.max(1)));
        let shown = self.offset.min(last);
        self.offset = shown.saturating_add_signed(rows).min(last);
        self.placed = true;
        self.follow = false;
    }
}

/// What the grid draws.
pub struct GridModel<'a> {
    pub days: &'a [NaiveDate],
    pub today: NaiveDate,
    /// The span's listed events: each day's in order, then the multi-day ones.
    pub events: &'a [CalendarEvent],
    pub selected: Option<usize>,
    pub tf: TimeFormat,
    /// The line under the grid while nothing is selected (the keys that select and scroll).
    pub hint: &'a str,
}

/// Draws the grid into `area`: day names, the rows that fit from `scroll`, then the multi-day
/// count (if any) and the selected event written out (or the hint).
pub fn render_grid(
    buf: &mut Buffer,
    area: Rect,
    model: &GridModel,
    scroll: &mut GridScroll,
    theme: &Theme,
    selected_line: impl Fn(&CalendarEvent) -> Line<'static>,
) {
    if area.height == 0 || area.width == 0 || model.days.is_empty() {
        return;
    }
    let multiday = model.events.iter().filter(|e| e.multiday).count();
    let footer = 1 + u16::from(multiday > 0);
    // Never more rows than a day has (a tall terminal leaves the rest blank).
    let rows = area.height.saturating_sub(1 + footer).min(DAY_ROWS as u16);
    let columns = Columns::new(area, model.days.len());
    draw_day_names(buf, area, model, &columns, theme);
    let placed: Vec<Vec<Placed>> = model
        .days
        .iter()
        .map(|day| {
            place_day(
                model
                    .events
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| !e.multiday && e.start.date() == *day),
            )
        })
        .collect();
    let offset = follow(scroll, model, &placed, rows);
    let grid = Rect {
        y: area.y + 1,
        height: rows,
        ..area
    };
    draw_hours_and_lines(buf, grid, offset, &columns, model.tf, theme);
    for (column, day) in placed.iter().enumerate() {
        // The selected block last, so it is whole even where lanes ran out.
        let (chosen, others): (Vec<&Placed>, Vec<&Placed>) =
            day.iter().partition(|p| Some(p.event) == model.selected);
        for p in others.into_iter().chain(chosen) {
            let e = &model.events[p.event];
            let block = columns.block(grid, column, p, offset);
            draw_block(buf, block, e, p, offset, model, theme);
        }
    }
    let mut y = area.y + 1 + rows;
    if multiday > 0 && y < area.bottom() {
        let note =
            format!("Multiday Events: {multiday} (after the last day's events in j/k order)");
        let line = Line::styled(text::fit(&note, usize::from(area.width)), theme.dim());
        line.render(
            Rect {
                y,
                height: 1,
                ..area
            },
            buf,
        );
        y += 1;
    }
    if y < area.bottom() {
        let line = match model.selected.and_then(|i| model.events.get(i)) {
            Some(e) => selected_line(e),
            None => Line::styled(text::fit(model.hint, usize::from(area.width)), theme.dim()),
        };
        line.render(
            Rect {
                y,
                height: 1,
                ..area
            },
            buf,
        );
    }
}

/// Opens at the web client's hour once the events are here; then keeps the selected block in
/// view (its start first, when it is taller than the grid). Returns the first row to draw: the
/// offset kept is not cut to this size, so a grid made taller for a moment comes back.
fn follow(scroll: &mut GridScroll, model: &GridModel, placed: &[Vec<Placed>], rows: u16) -> usize {
    let rows = usize::from(rows.max(1));
    scroll.viewport = rows as u16;
    if !scroll.placed {
        let grid_events = model.events.iter().filter(|e| !e.multiday);
        scroll.offset = opening_hour(grid_events) as usize * ROWS_PER_HOUR;
        scroll.placed = true;
    }
    let last = DAY_ROWS.saturating_sub(rows);
    let shown = scroll.offset.min(last);
    let selected = placed
        .iter()
        .flatten()
        .find(|p| Some(p.event) == model.selected);
    if scroll.follow
        && let Some(p) = selected
        && (p.top < shown || p.bottom > shown + rows)
    {
        let tall = p.bottom - p.top > rows;
        scroll.offset = if tall || p.top < shown {
            p.top
        } else {
            p.bottom - rows
        };
    }
    scroll.follow = false;
    scroll.offset.min(last)
}

/// The columns' left edges: the hours first, then the days at equal widths (the spare cells
/// spread one each over the first days).
struct Columns {
    edges: Vec<u16>,
}

impl Columns {
    fn new(area: Rect, days: usize) -> Columns {
        let gutter = if area.width >= GUTTER + 2 * days as u16 {
            GUTTER
        } else {
            0
        };
        let room = usize::from(area.width - gutter);
        let edges = (0..=days)
            .map(|i| area.x + gutter + (i * room / days) as u16)
            .collect();
        Columns { edges }
    }

    /// Column `i`'s cells after its separator: `(x, width)`.
    fn inside(&self, i: usize) -> (u16, u16) {
        let x = self.edges[i] + 1;
        (x, self.edges[i + 1].saturating_sub(x))
    }

    /// The cells of `p`'s block in column `column`, clipped to the rows shown. Lanes narrower
    /// than three cells fold into the last one that fits (the selected block is drawn last).
    fn block(&self, grid: Rect, column: usize, p: &Placed, offset: usize) -> Rect {
        let (x, width) = self.inside(column);
        let fit = usize::from(width / 3).max(1);
        let lanes = p.lanes.clamp(1, fit);
        let lane = p.lane.min(lanes - 1);
        let w = usize::from(width);
        let left = lane * w / lanes;
        let right = (lane + 1) * w / lanes;
        let top = p.top.max(offset);
        let bottom = p.bottom.min(offset + usize::from(grid.height));
        Rect {
            x: x + left as u16,
            y: grid.y + top.saturating_sub(offset) as u16,
            width: (right - left) as u16,
            height: bottom.saturating_sub(top) as u16,
        }
    }
}

/// The row above the grid: `Mon 15` (or `Mon Feb 15`, `Monday, February 15` as room allows),
/// today's underlined.
fn draw_day_names(
    buf: &mut Buffer,
    area: Rect,
    model: &GridModel,
    columns: &Columns,
    theme: &Theme,
) {
    // One format for every column (the narrowest decides), so the names line up.
    let narrowest = (0..model.days.len())
        .map(|i| usize::from(columns.inside(i).1))
        .min()
        .unwrap_or(0);
    let format = ["%A, %B %-d", "%a %b %-d", "%a %-d", "%-d"]
        .into_iter()
        .find(|f| {
            model
                .days
                .iter()
                .all(|d| text::width(&d.format(f).to_string()) <= narrowest)
        })
        .unwrap_or("%-d");
    for (i, day) in model.days.iter().enumerate() {
        let (x, width) = columns.inside(i);
        let name = text::fit(&day.format(format).to_string(), usize::from(width));
        let style = if *day == model.today {
            theme.heading().add_modifier(Modifier::UNDERLINED)
        } else {
            theme.heading()
        };
        let cells = Rect {
            x,
            y: area.y,
            width,
            height: 1,
        };
        Line::styled(name, style).render(cells, buf);
    }
}

/// The hour beside each hour's first row, and each day's separator down the rows.
fn draw_hours_and_lines(
    buf: &mut Buffer,
    grid: Rect,
    offset: usize,
    columns: &Columns,
    tf: TimeFormat,
    theme: &Theme,
) {
    let separator = if theme.ascii { ":" } else { "│" };
    for r in 0..grid.height {
        let row = offset + usize::from(r);
        let y = grid.y + r;
        if row.is_multiple_of(ROWS_PER_HOUR) && columns.edges[0] >= grid.x + GUTTER {
            let label = hour_label(row / ROWS_PER_HOUR, tf);
            buf.set_stringn(grid.x, y, &label, usize::from(GUTTER), theme.dim());
        }
        for x in &columns.edges[..columns.edges.len() - 1] {
            if *x < grid.right() {
                buf.set_stringn(*x, y, separator, 1, theme.border());
            }
        }
    }
}

/// ` 8 AM` or `08:00`, five cells (the web client's short hour names).
fn hour_label(hour: usize, tf: TimeFormat) -> String {
    match tf {
        TimeFormat::H24 => format!("{hour:02}:00"),
        TimeFormat::H12 => {
            let h = match hour % 12 {
                0 => 12,
                h => h,
            };
            format!("{h:>2} {}", if hour < 12 { "AM" } else { "PM" })
        }
    }
}

/// One event's block: an edge down its left side (so its length reads without colour), then
/// its time and name wrapped into the rows it has. Wide blocks (the day view) write it all out
/// as the list did; narrow ones put the name before the place, since the name matters most.
fn draw_block(
    buf: &mut Buffer,
    block: Rect,
    e: &CalendarEvent,
    p: &Placed,
    offset: usize,
    model: &GridModel,
    theme: &Theme,
) {
    if block.width == 0 || block.height == 0 {
        return;
    }
    let selected = model.selected == Some(p.event);
    let style = if selected {
        theme.selected()
    } else if !e.published || e.scheduled {
        theme.warning()
    } else {
        theme.text()
    };
    let edge = if theme.ascii { "|" } else { "▎" };
    let room = usize::from(block.width - 1);
    let lines = text::wrap(&block_text(e, room, model.tf), room.max(1));
    // Rows above the view are cut from the top; the text follows the block's first row.
    let skipped = p.top.max(offset) - p.top;
    for r in 0..block.height {
        let y = block.y + r;
        // Blanked first (symbols and styles): a lane folded into another shares its cells.
        for x in block.left()..block.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
            }
        }
        let blank = " ".repeat(usize::from(block.width));
        buf.set_stringn(block.x, y, &blank, usize::from(block.width), style);
        buf.set_stringn(block.x, y, edge, 1, edge_style(style, selected, theme));
        if let Some(l) = lines.get(skipped + usize::from(r)) {
            buf.set_stringn(block.x + 1, y, l, room, style);
        }
    }
}

fn edge_style(style: Style, selected: bool, theme: &Theme) -> Style {
    if selected {
        style
    } else {
        style.patch(theme.border())
    }
}

/// `8:10a Cutting Edge Geroscience · Room 301` for a narrow block; for a wide one the list's
/// line: `08:10 AM – 09:00 AM  [marks] Name · Course · Type · Location`.
fn block_text(e: &CalendarEvent, room: usize, tf: TimeFormat) -> String {
    if room >= 40 {
        let mut s = format!("{}  ", e.when(tf));
        for mark in e.marks() {
            s.push_str(&format!("[{mark}] "));
        }
        s.push_str(&e.name);
        for extra in [&e.course_title, &e.session_type, &e.location]
            .into_iter()
            .flatten()
        {
            s.push_str(&format!(" · {extra}"));
        }
        return s;
    }
    let mut s = format!("{} {}", short_time(e, tf), e.name);
    if let Some(location) = &e.location {
        s.push_str(&format!(" · {location}"));
    }
    s
}

/// The web client's icons before an event's time in its grid and month cells (FE
/// `weekly-calendar-event.gjs`, `ilios-calendar-event-month.gjs`), as one ASCII mark each so a
/// narrow block keeps them (the words are in the line under the grid and in the help).
pub const CALENDAR_MARK_LEGEND: &[(&str, &str)] = &[
    ("!", "new updates"),
    (">", "Has pre-work"),
    ("~", "Not Published"),
    ("?", "Scheduled"),
];

/// `!>` and the like: the marks of `e` (its words, [`CalendarEvent::marks`], as marks).
pub fn mark_glyphs(e: &CalendarEvent) -> String {
    e.marks()
        .into_iter()
        .filter_map(|word| CALENDAR_MARK_LEGEND.iter().find(|(_, w)| *w == word))
        .map(|(mark, _)| *mark)
        .collect()
}

/// `8:10a` (12-hour) or `08:10`, after the event's marks (`!~3:00p`); an ILM's due time reads
/// `Due 5:00p`.
pub fn short_time(e: &CalendarEvent, tf: TimeFormat) -> String {
    let time = match tf {
        TimeFormat::H24 => format_time(&e.start, tf),
        TimeFormat::H12 => {
            let (pm, hour) = e.start.hour12();
            format!(
                "{hour}:{:02}{}",
                e.start.minute(),
                if pm { "p" } else { "a" }
            )
        }
    };
    let time = if e.ilm { format!("Due {time}") } else { time };
    format!("{}{time}", mark_glyphs(e))
}

/// The days of a span, for [`GridModel::days`].
pub fn days_from(first: NaiveDate, count: usize) -> Vec<NaiveDate> {
    (0..count as i64)
        .map(|i| first + Duration::days(i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, h: u32, m: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 2, day)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn event(name: &str, start: (u32, u32), end: (u32, u32)) -> CalendarEvent {
        CalendarEvent {
            name: name.into(),
            course_title: None,
            session_type: None,
            start: at(17, start.0, start.1),
            end: at(17, end.0, end.1),
            start_at: String::new(),
            end_at: String::new(),
            location: Some("Room 301".into()),
            ilm: false,
            published: true,
            scheduled: false,
            prework: false,
            multiday: false,
            recently_updated: false,
            merged: false,
            source: 0,
        }
    }

    /// Rows are half hours: 8:10–9:00 is the 8:00 and 8:30 rows; a due time of no length and
    /// the pinned late ILM (23:45–23:59) still get a row.
    #[test]
    fn an_event_covers_the_half_hours_it_touches() {
        assert_eq!(rows_of(&event("a", (8, 10), (9, 0))), (16, 18));
        assert_eq!(rows_of(&event("b", (8, 10), (9, 1))), (16, 19));
        assert_eq!(rows_of(&event("c", (17, 0), (17, 0))), (34, 35));
        assert_eq!(rows_of(&event("d", (23, 45), (23, 59))), (47, 48));
        assert_eq!(rows_of(&event("e", (0, 0), (0, 20))), (0, 1));
        // An end before the start (broken data) is one row, not a panic.
        assert_eq!(rows_of(&event("f", (10, 0), (9, 0))), (20, 21));
    }

    /// Overlapping events stand side by side; one that starts when another ends takes the
    /// freed lane; a group apart from the others has its own lane count.
    #[test]
    fn overlapping_events_share_lanes_per_cluster() {
        let events = [
            event("a", (8, 0), (10, 0)),
            event("b", (8, 30), (9, 0)),
            event("c", (9, 0), (9, 30)),
            event("d", (9, 30), (11, 0)),
            event("e", (13, 0), (14, 0)),
        ];
        let placed = place_day(events.iter().enumerate());
        let lanes: Vec<(usize, usize, usize)> =
            placed.iter().map(|p| (p.event, p.lane, p.lanes)).collect();
        assert_eq!(
            lanes,
            [(0, 0, 2), (1, 1, 2), (2, 1, 2), (3, 1, 2), (4, 0, 1)],
            "{placed:?}"
        );
    }

    fn draw(events: &[CalendarEvent], selected: Option<usize>, w: u16, h: u16) -> Vec<String> {
        let buf = draw_buffer(events, selected, w, h);
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    fn draw_buffer(events: &[CalendarEvent], selected: Option<usize>, w: u16, h: u16) -> Buffer {
        let days = days_from(NaiveDate::from_ymd_opt(2027, 2, 14).unwrap(), 7);
        let model = GridModel {
            days: &days,
            today: NaiveDate::from_ymd_opt(2027, 2, 17).unwrap(),
            events,
            selected,
            tf: TimeFormat::H12,
            hint: "j/k select",
        };
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        let mut scroll = GridScroll::default();
        render_grid(&mut buf, area, &model, &mut scroll, &Theme::MONO, |e| {
            Line::raw(e.name.clone())
        });
        buf
    }

    /// Without colour the selected block is reversed over its whole width and length, and the
    /// others are not, so the selection reads on any terminal.
    #[test]
    fn the_selected_block_is_reversed_whole() {
        let events = [
            event("Lecture", (9, 0), (10, 0)),
            event("Lab", (9, 0), (10, 0)),
        ];
        let buf = draw_buffer(&events, Some(1), 80, 12);
        let reversed = |x, y| {
            let cell: &ratatui::buffer::Cell = &buf[(x, y)];
            cell.modifier.contains(Modifier::REVERSED)
        };
        // Wednesday's column: x 37..47 (a separator, then 9 cells), two lanes of 4 and 5.
        let row: String = (37..47).map(|x| buf[(x, 1)].symbol().to_string()).collect();
        assert_eq!(row, "│▎9:0▎9:00", "{row}");
        for y in [1, 2] {
            assert!((38..42).all(|x| !reversed(x, y)), "Lecture is not selected");
            assert!((42..47).all(|x| reversed(x, y)), "Lab is, whole");
        }
        assert!(!reversed(42, 3), "the block ends at 10:00");
    }

    /// The grid opens at the first event's hour; the hours stand beside their rows, Wednesday
    /// (today) is the fourth column, and a block shows its time and name.
    #[test]
    fn opens_at_the_first_hour_with_blocks_under_their_day() {
        let events = [event("Lecture", (9, 10), (10, 0))];
        let rows = draw(&events, None, 80, 10);
        assert!(rows[1].starts_with(" 9 AM│"), "{rows:#?}");
        assert!(rows[1].contains("▎9:10a"), "{rows:#?}");
        assert!(rows[2].contains("▎Lecture"), "{rows:#?}");
        // The block is under Wednesday's name.
        let block_col = rows[1].chars().take_while(|c| *c != '▎').count();
        let wed = rows[0].find("Wed 17").expect("Wednesday's name");
        assert_eq!(block_col, rows[0][..wed].chars().count(), "{rows:#?}");
        assert_eq!(rows[9], "j/k select".to_string() + &" ".repeat(70));
    }

    /// The selected event is written out under the grid; at any size nothing panics.
    #[test]
    fn the_selected_event_is_written_out_and_any_size_draws() {
        let events = [
            event("Lecture", (9, 10), (10, 0)),
            event("Lab", (9, 10), (12, 0)),
            event("Due", (23, 45), (23, 59)),
        ];
        let rows = draw(&events, Some(1), 80, 12);
        assert!(rows[11].starts_with("Lab"), "{rows:#?}");
        for w in [0, 1, 7, 13, 30, 200] {
            for h in [0, 1, 2, 3, 6] {
                draw(&events, Some(2), w, h);
            }
        }
    }

    /// A scroll kept below the last page of this size (a grid that opened at 9 PM) moves
    /// from the rows shown: K is an hour earlier on screen, not a step lost to the clamp.
    #[test]
    fn scrolling_starts_from_the_rows_shown() {
        let mut scroll = GridScroll {
            offset: 42,
            viewport: 17,
            placed: true,
            follow: false,
        };
        scroll.hours(-1);
        assert_eq!(scroll.offset, 31 - 2);
        scroll.offset = 42;
        scroll.page(false);
        assert_eq!(scroll.offset, 31 - 17);
        scroll.hours(100);
        assert_eq!(scroll.offset, 31, "never past the last page");
    }

    /// A terminal taller than a day draws the day's 24 hours once, then blank rows.
    #[test]
    fn a_tall_terminal_draws_each_hour_once() {
        let events = [event("Lecture", (9, 0), (10, 0))];
        let rows = draw(&events, None, 80, 80);
        let hours: Vec<&str> = rows
            .iter()
            .filter(|r| r.len() > 5 && (r.contains(" AM│") || r.contains(" PM│")))
            .map(|r| &r[..5])
            .collect();
        assert_eq!(hours.len(), 24, "{rows:#?}");
        assert_eq!(hours.iter().filter(|h| **h == "12 AM").count(), 1);
        assert!(rows[60].trim().is_empty(), "{rows:#?}");
    }

    /// A block drawn where another was (lanes folded into the last one that fits) leaves none
    /// of the other's text or style behind.
    #[test]
    fn a_block_drawn_over_another_leaves_nothing_of_it() {
        let mut long = event("Xylophonist", (9, 0), (10, 0));
        let mut short = event("A", (9, 10), (10, 0));
        long.location = None;
        short.location = None;
        let events = [long, short];
        let model = GridModel {
            days: &[],
            today: NaiveDate::from_ymd_opt(2027, 2, 17).unwrap(),
            events: &events,
            selected: Some(0),
            tf: TimeFormat::H12,
            hint: "",
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 2));
        let block = Rect::new(0, 0, 6, 2);
        let at = |event| Placed {
            event,
            top: 18,
            bottom: 20,
            lane: 0,
            lanes: 1,
        };
        draw_block(
            &mut buf,
            block,
            &events[0],
            &at(0),
            18,
            &model,
            &Theme::MONO,
        );
        draw_block(
            &mut buf,
            block,
            &events[1],
            &at(1),
            18,
            &model,
            &Theme::MONO,
        );
        let row = |y| (0..6).map(|x| buf[(x, y)].symbol()).collect::<String>();
        assert_eq!([row(0), row(1)], ["▎9:10a", "▎A    "]);
        let reversed = (0..6).any(|x| buf[(x, 1)].modifier.contains(Modifier::REVERSED));
        assert!(!reversed, "the selected block's reversal is gone with it");
    }

    /// The web client's icons as one mark each before the time, in its order (new updates,
    /// pre-work, then Not Published or else Scheduled); none on a plain event.
    #[test]
    fn marks_come_before_the_time() {
        let mut e = event("Seminar", (15, 0), (16, 0));
        assert_eq!(short_time(&e, TimeFormat::H12), "3:00p");
        e.recently_updated = true;
        e.prework = true;
        e.published = false;
        e.scheduled = true;
        assert_eq!(short_time(&e, TimeFormat::H12), "!>~3:00p");
        e.published = true;
        e.ilm = true;
        assert_eq!(short_time(&e, TimeFormat::H24), "!>?Due 15:00");
        for (mark, _) in CALENDAR_MARK_LEGEND {
            assert!(
                mark.is_ascii() && mark.len() == 1,
                "{mark}: one cell everywhere"
            );
        }
    }

    proptest::proptest! {
        /// Whatever the day's events, every one is placed once, within its own rows, and no
        /// two events in one lane share a row; each cluster has as many lanes as it uses.
        #[test]
        fn lanes_never_overlap(times in proptest::collection::vec((0u32..1440, 0u32..300), 0..60)) {
            let events: Vec<CalendarEvent> = times
                .iter()
                .map(|(start, length)| {
                    let end = (start + length).min(1439);
                    event("e", (start / 60, start % 60), (end / 60, end % 60))
                })
                .collect();
            let placed = place_day(events.iter().enumerate());
            let mut seen: Vec<usize> = placed.iter().map(|p| p.event).collect();
            seen.sort_unstable();
            proptest::prop_assert_eq!(seen, (0..events.len()).collect::<Vec<_>>());
            for p in &placed {
                proptest::prop_assert_eq!((p.top, p.bottom), rows_of(&events[p.event]));
                proptest::prop_assert!(p.lane < p.lanes);
                for q in &placed {
                    let share_rows = p.top < q.bottom && q.top < p.bottom;
                    if p.event != q.event && share_rows {
                        proptest::prop_assert_ne!(p.lane, q.lane, "{:?} {:?}", p, q);
                        proptest::prop_assert_eq!(p.lanes, q.lanes, "one cluster");
                    }
                }
            }
        }
    }
}
