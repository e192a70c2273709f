//! Drawing of Week at a Glance (Dashboard `1` and Week `2`), the Dashboard's side column and the
//! event detail popup. Pure: everything is drawn into a ratatui [`Buffer`] from the view model of
//! [`crate::domain::week`]; a caller holding a `Frame` passes `frame.buffer_mut()`.
//!
//! Layout of the glance (echoing Ilios, whose weekday sits on the right of a dotted rule):
//! ```text
//! March 10-16 Week at a Glance                                    Monday ↓
//! ─────────────────────────────────────────────────────────── Sunday
//! │ Weekly Checkpoint 6 Due By 11:00 AM (Duration: 15 minutes)
//! │ Deadline - room 119 [A]
//! │ * LS Week 6 OEQ (Web Link)
//! ```
//! The selected event has a `▌` gutter and a reversed title line, so it shows without colour.

use std::collections::HashSet;

use crate::ui::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Widget};

use crate::domain::Loadable;
use crate::domain::materials::{MaterialStatus, Statuses};
use crate::domain::week::{
    ATTENDANCE, ATTIRE, CollapsedDescription, EQUIPMENT, GlanceEvent, GlanceMaterial, SUPPLEMENTAL,
    TimeFormat, Upcoming, UpcomingEvent, WeekGlance, collapsed_description, format_long_date,
    format_time, truncate_chars,
};
use crate::ui::Theme;

/// The attribute marks of the event rows and the required mark of materials, with their
/// meaning (Ilios's icon titles), for the help overlay. ASCII, so any terminal font shows them.
pub const MARK_LEGEND: &[(&str, &str)] = &[
    ("[W]", ATTIRE),
    ("[E]", EQUIPMENT),
    ("[A]", ATTENDANCE),
    ("[S]", SUPPLEMENTAL),
    ("*", "Required"),
];

/// The box before a session material, the web client's status checkbox
/// (`user-material-status.gjs`: unchecked, indeterminate, checked), as drawn in UTF-8 and in
/// ASCII, with its `aria-label`. Each reads without colour.
pub const STATUS_LEGEND: &[(&str, &str, &str)] = &[
    ("☐", "[ ]", "Not Started"),
    ("⊟", "[-]", "In Progress"),
    ("☑", "[x]", "Complete"),
];

/// The box of a status, in ASCII when the locale is not UTF-8.
pub fn status_box(status: MaterialStatus, ascii: bool) -> &'static str {
    let (utf8, plain, _) = STATUS_LEGEND[status.wire() as usize];
    if ascii { plain } else { utf8 }
}

/// The columns a box takes, so rows without one (timed release) line up with those with one.
fn status_box_width(ascii: bool) -> usize {
    if ascii { 3 } else { 1 }
}

/// The box of a material in the glance or the detail: `None` when the server keeps no statuses
/// (or they have not loaded), and for a blanked material (Ilios draws none on it).
fn material_status(m: &GlanceMaterial, statuses: Option<&Statuses>) -> Option<MaterialStatus> {
    let material = m.session_material.filter(|_| !m.blanked)?;
    statuses.map(|s| s.get(material))
}

/// [`status_spans`] as plain text (`ilios-tui week`): the box and a space, or blanks as wide;
/// nothing when no statuses are shown.
pub fn status_prefix(m: &GlanceMaterial, statuses: Option<&Statuses>, ascii: bool) -> String {
    if statuses.is_none() {
        return String::new();
    }
    match material_status(m, statuses) {
        Some(status) => format!("{} ", status_box(status, ascii)),
        None => " ".repeat(status_box_width(ascii) + 1),
    }
}

/// The box and a space, or blanks as wide, before a material's title; nothing when no
/// statuses are shown.
fn status_spans(
    m: &GlanceMaterial,
    statuses: Option<&Statuses>,
    theme: &Theme,
) -> Vec<Span<'static>> {
    if statuses.is_none() {
        return Vec::new();
    }
    match material_status(m, statuses) {
        Some(status) => vec![
            Span::styled(status_box(status, theme.ascii), theme.label()),
            Span::raw(" "),
        ],
        None => vec![Span::raw(" ".repeat(status_box_width(theme.ascii) + 1))],
    }
}

/// The title of Ilios's clock icon on a material not released yet (`general.timedRelease`).
pub const TIMED_RELEASE: &str = "Timed Release";

/// Ilios shows a spinner and "Loading Events".
pub const LOADING_TEXT: &str = "Loading Events ...";
/// Ilios's empty week.
pub const EMPTY_TEXT: &str = "None";

/// How many events the glance lists (the range of [`WeekPaneState::selected`]).
pub fn event_count(glance: &WeekGlance) -> usize {
    glance.len()
}

/// Where each event landed in the last drawing, so the state can scroll to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PaneLayout {
    content_height: usize,
    viewport: usize,
    /// First content row and row count of each event, in event order.
    events: Vec<(usize, usize)>,
}

/// How many rows each event takes when collapsed, kept between drawings: wrapping a 1,000-event
/// week on every frame would cost milliseconds, and keeping every wrapped line would cost
/// megabytes, so only the counts are kept and only visible events are wrapped per frame. Keyed
/// by the week, its size, the width and the time format; never part of the state's equality.
#[derive(Clone, Default)]
struct LineCache {
    /// The week's first day, its size, the width, the time format, and whether status boxes
    /// are drawn (they take columns, so lines wrap differently).
    key: Option<(chrono::NaiveDate, usize, usize, TimeFormat, bool)>,
    heights: Vec<usize>,
}

impl PartialEq for LineCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for LineCache {}

impl std::fmt::Debug for LineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineCache({} events)", self.heights.len())
    }
}

/// Scroll, selection and expanded descriptions of a glance pane. Operations are pure; the next
/// [`render_glance`] clamps them to what is drawn and scrolls the selection into view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekPaneState {
    /// First content row shown (below the title line).
    pub scroll: usize,
    /// Index into the flat list of listed events ([`WeekGlance::events`]).
    pub selected: Option<usize>,
    /// Events whose description is shown whole.
    pub expanded: HashSet<usize>,
    /// Set by selection moves: the next drawing brings the selected event into view.
    follow: bool,
    layout: PaneLayout,
    lines: LineCache,
}

impl WeekPaneState {
    /// Forget scroll, selection and expansion (another week was loaded, e.g. after go-to-date).
    pub fn reset(&mut self) {
        *self = WeekPaneState::default();
    }

    /// Rows of content in the last drawing (0 before the first).
    pub fn content_height(&self) -> usize {
        self.layout.content_height
    }

    /// Rows available for content in the last drawing.
    pub fn viewport_height(&self) -> usize {
        self.layout.viewport
    }

    fn max_scroll(&self) -> usize {
        self.layout
            .content_height
            .saturating_sub(self.layout.viewport)
    }

    /// Keep the selection in range of `glance` (drops it when the week is empty).
    pub fn clamp(&mut self, glance: &WeekGlance) {
        let n = event_count(glance);
        self.selected = match self.selected {
            _ if n == 0 => None,
            Some(i) => Some(i.min(n - 1)),
            None => None,
        };
        self.expanded.retain(|&i| i < n);
    }

    /// The first event whose first row is visible, from the last drawing.
    pub fn first_visible(&self) -> Option<usize> {
        self.layout
            .events
            .iter()
            .position(|&(start, _)| start >= self.scroll)
    }

    fn last_visible(&self) -> Option<usize> {
        let bottom = self.scroll.saturating_add(self.layout.viewport.max(1));
        self.layout
            .events
            .iter()
            .rposition(|&(start, _)| start < bottom)
    }

    /// Down / `j`: the next event (the first visible one when nothing is selected).
    pub fn select_next(&mut self, glance: &WeekGlance) {
        let n = event_count(glance);
        self.selected = match self.selected {
            _ if n == 0 => None,
            None => Some(self.first_visible().unwrap_or(0).min(n - 1)),
            Some(i) => Some((i + 1).min(n - 1)),
        };
        self.follow = true;
    }

    /// Up / `k`: the previous event (the last visible one when nothing is selected).
    pub fn select_prev(&mut self, glance: &WeekGlance) {
        let n = event_count(glance);
        self.selected = match self.selected {
            _ if n == 0 => None,
            None => Some(self.last_visible().unwrap_or(n - 1).min(n - 1)),
            Some(i) => Some(i.saturating_sub(1).min(n - 1)),
        };
        self.follow = true;
    }

    /// Scroll by `delta` rows (negative is up), clamped to the last drawing's content.
    pub fn scroll_by(&mut self, delta: isize) {
        let target = self.scroll.saturating_add_signed(delta);
        self.scroll = if self.layout.viewport == 0 {
            target
        } else {
            target.min(self.max_scroll())
        };
        self.follow = false;
    }

    /// PgDn: one screen down, keeping one row of context.
    pub fn page_down(&mut self, viewport_height: usize) {
        self.scroll_by(viewport_height.saturating_sub(1).max(1) as isize);
    }

    /// PgUp.
    pub fn page_up(&mut self, viewport_height: usize) {
        self.scroll_by(-(viewport_height.saturating_sub(1).max(1) as isize));
    }

    /// Home / `gg`: the top; a selection moves to the first event.
    pub fn top(&mut self) {
        self.scroll = 0;
        if self.selected.is_some() {
            self.selected = Some(0);
        }
        self.follow = false;
    }

    /// End / `G`: the bottom; a selection moves to the last event.
    pub fn bottom(&mut self, glance: &WeekGlance) {
        self.scroll = self.max_scroll();
        if self.layout.viewport == 0 {
            self.scroll = usize::MAX;
        }
        if self.selected.is_some() {
            self.selected = event_count(glance).checked_sub(1);
        }
        self.follow = false;
    }

    /// After going to a date (`g` on the Week pane): select the first event starting on or after
    /// `date` in `glance` (the last event if none does; nothing in an empty week), scrolled into
    /// view by the next drawing.
    pub fn select_date(&mut self, glance: &WeekGlance, date: chrono::NaiveDate) {
        let n = event_count(glance);
        self.selected = glance
            .events()
            .position(|e| e.start.date() >= date)
            .or(n.checked_sub(1));
        self.follow = true;
    }

    /// Show the selected event's whole description, or cut it back to a line.
    pub fn toggle_expand(&mut self) {
        if let Some(i) = self.selected
            && !self.expanded.remove(&i)
        {
            self.expanded.insert(i);
        }
        self.follow = true;
    }

    /// The selected event of `glance`.
    pub fn selected_event<'a>(&self, glance: &'a WeekGlance) -> Option<&'a GlanceEvent> {
        self.selected.and_then(|i| glance.event(i))
    }
}

/// Printable text on one line: newlines and tabs become spaces; every other control and bidi
/// character is shown by the one sanitizer (`\x1b`, `\u202e`), as the headless output shows it.
pub(crate) fn clean(s: &str) -> String {
    let spaced: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\t' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    crate::text::sanitize_line(&spaced).into_owned()
}

/// A space that [`wrap`] does not break at (drawn as a plain space).
const NBSP: char = '\u{a0}';

/// Keeps `s` on one line when wrapping (as long as it fits).
fn glue(s: &str) -> String {
    s.replace(' ', &NBSP.to_string())
}

/// Word-wraps styled spans to `width` columns; continuation lines start with `indent` spaces.
/// Words longer than a line are cut. Never returns an empty list.
pub(crate) fn wrap(spans: Vec<Span<'static>>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = indent.min(width.saturating_sub(1));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut cur_w = 0usize;
    let mut has_content = false;

    fn flush(
        lines: &mut Vec<Line<'static>>,
        cur: &mut Vec<Span<'static>>,
        cur_w: &mut usize,
        has_content: &mut bool,
        indent: usize,
    ) {
        // Trailing spaces are dropped at a wrap.
        while let Some(last) = cur.last() {
            if last.content.trim().is_empty() && *has_content {
                cur.pop();
            } else {
                break;
            }
        }
        lines.push(Line::from(std::mem::take(cur)));
        if indent > 0 {
            cur.push(Span::raw(" ".repeat(indent)));
        }
        *cur_w = indent;
        *has_content = false;
    }

    for span in spans {
        let style = span.style;
        let text = clean(&span.content);
        for tok in tokens(&text) {
            let tw = text::width(tok);
            let is_space = tok.starts_with(' ');
            if is_space {
                if !has_content && !lines.is_empty() {
                    continue;
                }
                if cur_w + tw > width {
                    flush(&mut lines, &mut cur, &mut cur_w, &mut has_content, indent);
                    continue;
                }
                cur.push(Span::styled(tok.to_string(), style));
                cur_w += tw;
                continue;
            }
            if cur_w + tw > width && has_content {
                flush(&mut lines, &mut cur, &mut cur_w, &mut has_content, indent);
            }
            let mut piece = String::new();
            for (c, cw) in text::clusters(tok) {
                if cur_w + cw > width && (has_content || !piece.is_empty()) {
                    cur.push(Span::styled(
                        std::mem::take(&mut piece).replace(NBSP, " "),
                        style,
                    ));
                    has_content = true;
                    flush(&mut lines, &mut cur, &mut cur_w, &mut has_content, indent);
                }
                piece.push_str(c);
                cur_w += cw;
            }
            if !piece.is_empty() {
                cur.push(Span::styled(piece.replace(NBSP, " "), style));
                has_content = true;
            }
        }
    }
    if has_content || lines.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

/// Splits into runs of spaces and runs of non-spaces.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, g) in unicode_segmentation::UnicodeSegmentation::grapheme_indices(s, true) {
        let sp = g == " ";
        if prev.is_some_and(|p| p != sp) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(sp);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Cuts `s` to `width` columns between grapheme clusters, ending in `…` when cut.
fn fit(s: &str, width: usize) -> String {
    text::fit(s, width)
}

/// The marks of the attributes that are on, in Ilios's order (the legend maps words to marks).
fn attribute_marks(ev: &GlanceEvent) -> Vec<&'static str> {
    ev.attributes()
        .into_iter()
        .filter_map(|word| MARK_LEGEND.iter().find(|(_, meaning)| *meaning == word))
        .map(|(mark, _)| *mark)
        .collect()
}

/// The title line of an event: name, `Due By`, start time, `(Duration: ...)`.
fn title_spans(ev: &GlanceEvent, tf: TimeFormat, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(
        clean(&ev.name),
        theme.link().add_modifier(Modifier::BOLD),
    )];
    spans.push(Span::raw(" "));
    if ev.ilm {
        spans.push(Span::styled("Due By ", theme.label()));
    }
    spans.push(Span::raw(glue(&format_time(&ev.start, tf))));
    spans.push(Span::raw(" "));
    spans.push(Span::styled(
        glue(&format!("(Duration: {})", ev.duration)),
        theme.dim(),
    ));
    spans
}

fn material_lines(
    m: &GlanceMaterial,
    width: usize,
    indent: usize,
    statuses: Option<&Statuses>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    let mut spans = vec![Span::raw(pad.clone())];
    spans.extend(status_spans(m, statuses, theme));
    if m.blanked {
        // Ilios: a clock titled "Timed Release" and the bare title; the mark sits where the
        // kind of the material goes for the others (as in the detail popup).
        spans.push(Span::raw("  "));
        spans.push(Span::raw(clean(&m.title)));
        spans.push(Span::styled(format!(" ({TIMED_RELEASE})"), theme.dim()));
    } else {
        spans.push(Span::styled(
            if m.required { "* " } else { "  " },
            theme.label(),
        ));
        spans.push(Span::styled(
            clean(&m.title),
            if m.uri.is_some() {
                theme.link()
            } else {
                theme.text()
            },
        ));
        spans.push(Span::styled(format!(" ({})", m.kind.label()), theme.dim()));
        if let Some(notes) = &m.public_notes {
            let notes = clean(notes);
            let shown = match truncate_chars(&notes, 50, 25) {
                Some(cut) => format!("{cut}…"),
                None => notes,
            };
            spans.push(Span::raw(format!(" - {shown}")));
        }
    }
    if let Some(a) = &m.availability {
        spans.push(Span::styled(format!(" {a}"), theme.dim()));
    }
    let cont = indent + 4;
    let mut lines = wrap(spans, width, cont);
    if let Some(c) = &m.citation {
        lines.extend(indented(clean(c), theme.dim(), indent + 4, width));
    }
    lines
}

/// `text` on its own lines, every line indented by `indent` columns.
fn indented(text: String, style: Style, indent: usize, width: usize) -> Vec<Line<'static>> {
    wrap(
        vec![Span::raw(" ".repeat(indent)), Span::styled(text, style)],
        width,
        indent,
    )
}

/// The rows of one event in the glance, without the gutter.
fn event_lines(
    ev: &GlanceEvent,
    expanded: bool,
    width: usize,
    tf: TimeFormat,
    statuses: Option<&Statuses>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = wrap(title_spans(ev, tf, theme), width, 2);

    let italic = Style::new().add_modifier(Modifier::ITALIC);
    let mut meta: Vec<Span<'static>> = Vec::new();
    if let Some(t) = &ev.session_type {
        meta.push(Span::styled(clean(t), italic));
    }
    if let Some(l) = &ev.location {
        meta.push(Span::styled(format!(" - {}", clean(l)), italic));
    }
    if ev.url.is_some() {
        if !meta.is_empty() {
            meta.push(Span::raw(" "));
        }
        meta.push(Span::styled("Virtual Session Link", theme.link()));
    }
    for mark in attribute_marks(ev) {
        if !meta.is_empty() {
            meta.push(Span::raw(" "));
        }
        meta.push(Span::styled(mark, theme.label()));
    }
    if !meta.is_empty() {
        lines.extend(wrap(meta, width, 2));
    }

    if !ev.instructors.is_empty() {
        lines.extend(wrap(
            vec![
                Span::styled("Instructors: ", theme.label()),
                Span::raw(ev.instructors.join(", ")),
            ],
            width,
            2,
        ));
    }

    if let Some(desc) = &ev.description {
        match collapsed_description(desc) {
            CollapsedDescription::Cut(cut) if !expanded => {
                lines.extend(wrap(vec![Span::raw(cut)], width, 0));
            }
            _ => {
                for para in desc.lines() {
                    lines.extend(wrap(vec![Span::raw(para.to_string())], width, 0));
                }
            }
        }
    }

    for pre in &ev.prework {
        let mut spans = vec![
            Span::styled("  Pre-work: ", theme.label()),
            Span::styled(clean(&pre.name), theme.link()),
        ];
        if !pre.published {
            spans.push(Span::styled(" (Not Published)", theme.warning()));
        }
        lines.extend(wrap(spans, width, 4));
        for m in &pre.materials {
            lines.extend(material_lines(m, width, 4, statuses, theme));
        }
    }
    for m in &ev.materials {
        lines.extend(material_lines(m, width, 0, statuses, theme));
    }
    lines
}

/// One row of the glance body.
struct Row {
    kind: RowKind,
    /// Event index (flat) this row belongs to.
    event: Option<usize>,
    /// Day index this row belongs to.
    day: usize,
    /// A day heading.
    heading: bool,
}

/// What a row shows; event lines are taken from the cache only when visible.
enum RowKind {
    Plain(Line<'static>),
    Heading,
    /// Line `n` of an event (of its expanded lines when the event is expanded).
    EventLine(usize),
}

/// Fills the cache of collapsed event heights when the week, width or time format changed.
fn fill_cache(
    glance: &WeekGlance,
    state: &mut WeekPaneState,
    inner: usize,
    tf: TimeFormat,
    statuses: Option<&Statuses>,
    theme: &Theme,
) {
    let key = (
        glance.days.first().map(|d| d.date).unwrap_or_default(),
        glance.len(),
        inner,
        tf,
        statuses.is_some(),
    );
    if state.lines.key == Some(key) {
        return;
    }
    state.lines.heights = glance
        .events()
        .map(|ev| event_lines(ev, false, inner, tf, statuses, theme).len())
        .collect();
    state.lines.key = Some(key);
}

fn glance_rows(
    glance: &WeekGlance,
    state: &WeekPaneState,
    expanded: &std::collections::HashMap<usize, Vec<Line<'static>>>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut index = 0;
    for (d, day) in glance.days.iter().enumerate() {
        rows.push(Row {
            kind: RowKind::Heading,
            event: None,
            day: d,
            heading: true,
        });
        for _ in &day.events {
            let count = match expanded.get(&index) {
                Some(lines) => lines.len(),
                None => state.lines.heights.get(index).copied().unwrap_or(0),
            };
            for n in 0..count {
                rows.push(Row {
                    kind: RowKind::EventLine(n),
                    event: Some(index),
                    day: d,
                    heading: false,
                });
            }
            index += 1;
        }
    }
    rows
}

/// The line a visible row shows: the heading rule, or the event's line with its gutter.
fn materialize(
    row: &Row,
    glance: &WeekGlance,
    state: &WeekPaneState,
    visible: &std::collections::HashMap<usize, Vec<Line<'static>>>,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    match (&row.kind, row.event) {
        (RowKind::Plain(line), _) => line.clone(),
        (RowKind::Heading, _) => {
            // Ilios puts the weekday on the right of a dotted rule.
            let name = glance
                .days
                .get(row.day)
                .map(|d| d.weekday.clone())
                .unwrap_or_default();
            let rule = width.saturating_sub(text::width(&name) + 1);
            Line::from(vec![
                Span::styled("─".repeat(rule), theme.border()),
                Span::raw(if rule > 0 { " " } else { "" }),
                Span::styled(name, theme.heading()),
            ])
        }
        (RowKind::EventLine(n), Some(index)) => {
            let mut line = visible
                .get(&index)
                .and_then(|l| l.get(*n))
                .cloned()
                .unwrap_or_default();
            let selected = state.selected == Some(index);
            if selected && *n == 0 {
                line = line.patch_style(theme.selected());
            }
            // Ilios alternates a blue and a red left border.
            let bar_style = if index % 2 == 0 {
                theme.heading().remove_modifier(Modifier::BOLD)
            } else {
                theme.alert().remove_modifier(Modifier::BOLD)
            };
            let gutter = if selected {
                Span::styled("▌ ", theme.selected().remove_modifier(Modifier::REVERSED))
            } else {
                Span::styled("│ ", bar_style)
            };
            let mut spans = vec![gutter];
            spans.extend(line.spans);
            Line::from(spans)
        }
        (RowKind::EventLine(_), None) => Line::default(),
    }
}

/// Draws a glance pane: the title line, then the week as a scrolling list. Returns the content
/// height (rows below the title line) and records the layout in `state` for its scrolling.
/// `statuses`: the user's learning-material statuses, drawn as a box before each session
/// material (`None`: no boxes, the server keeps none or they have not loaded).
#[allow(clippy::too_many_arguments)]
pub fn render_glance(
    buf: &mut Buffer,
    area: Rect,
    glance: &Loadable<WeekGlance>,
    title: &str,
    state: &mut WeekPaneState,
    tf: TimeFormat,
    statuses: Option<&Statuses>,
    theme: &Theme,
) -> usize {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return 0;
    }
    let width = usize::from(area.width);
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    let viewport = usize::from(body.height);

    let plain = |line: Line<'static>| Row {
        kind: RowKind::Plain(line),
        event: None,
        day: 0,
        heading: false,
    };
    let mut expanded = std::collections::HashMap::new();
    let (rows, days): (Vec<Row>, Vec<String>) = match glance {
        Loadable::Loading => (vec![plain(Line::styled(LOADING_TEXT, theme.dim()))], vec![]),
        Loadable::Failed(e) => (
            wrap(vec![Span::styled(e.clone(), theme.alert())], width, 0)
                .into_iter()
                .map(plain)
                .collect(),
            vec![],
        ),
        Loadable::Ready(g) => {
            state.clamp(g);
            if g.is_empty() {
                (vec![plain(Line::raw(EMPTY_TEXT))], vec![])
            } else {
                let inner = width.saturating_sub(2).max(1);
                fill_cache(g, state, inner, tf, statuses, theme);
                for &i in &state.expanded {
                    if let Some(ev) = g.event(i) {
                        expanded.insert(i, event_lines(ev, true, inner, tf, statuses, theme));
                    }
                }
                (
                    glance_rows(g, state, &expanded),
                    g.days.iter().map(|d| d.weekday.clone()).collect(),
                )
            }
        }
    };
    if !matches!(glance, Loadable::Ready(_)) {
        state.selected = None;
    }

    // Layout for the state's scrolling.
    let mut events: Vec<(usize, usize)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some(e) = row.event {
            if e == events.len() {
                events.push((i, 1));
            } else if let Some(last) = events.last_mut() {
                last.1 += 1;
            }
        }
    }
    state.layout = PaneLayout {
        content_height: rows.len(),
        viewport,
        events,
    };
    state.scroll = state.scroll.min(state.max_scroll());
    if state.follow
        && let Some(&(start, len)) = state.selected.and_then(|i| state.layout.events.get(i))
    {
        // Show the day heading too when the event is the first of its day.
        let top = if start > 0 && rows[start - 1].heading {
            start - 1
        } else {
            start
        };
        if top < state.scroll {
            state.scroll = top;
        } else if start + len > state.scroll + viewport {
            state.scroll = (start + len).saturating_sub(viewport).min(start);
        }
    }
    state.follow = false;
    state.scroll = state.scroll.min(state.max_scroll());

    // Title line, with the weekday of the top row when its heading is scrolled off (Ilios keeps
    // the weekday sticky) and arrows when there is more above or below.
    let mut right = String::new();
    if let Some(row) = rows.get(state.scroll)
        && !row.heading
        && let Some(day) = days.get(row.day)
        && state.scroll > 0
    {
        right.push_str(day);
    }
    let more_above = state.scroll > 0;
    let more_below = state.scroll + viewport < rows.len();
    if more_above || more_below {
        if !right.is_empty() {
            right.push(' ');
        }
        right.push_str(match (more_above, more_below) {
            (true, true) => "↑↓",
            (true, false) => "↑",
            _ => "↓",
        });
    }
    let right_w = text::width(&right);
    let title_w = width.saturating_sub(if right_w > 0 { right_w + 1 } else { 0 });
    buf.set_stringn(area.x, area.y, fit(title, title_w), title_w, theme.title());
    if right_w > 0 && right_w < width {
        buf.set_stringn(
            area.x + (width - right_w) as u16,
            area.y,
            &right,
            right_w,
            theme.dim(),
        );
    }

    let empty = WeekGlance::default();
    let shown = match glance {
        Loadable::Ready(g) => g,
        _ => &empty,
    };
    // Wrap only the events on screen (the expanded ones are already wrapped).
    let inner = width.saturating_sub(2).max(1);
    let mut visible = expanded;
    for row in rows.iter().skip(state.scroll).take(viewport) {
        if let Some(i) = row.event
            && !visible.contains_key(&i)
            && let Some(ev) = shown.event(i)
        {
            visible.insert(i, event_lines(ev, false, inner, tf, statuses, theme));
        }
    }
    for (i, row) in rows.iter().skip(state.scroll).take(viewport).enumerate() {
        let line = materialize(row, shown, state, &visible, width, theme);
        buf.set_line(body.x, body.y + i as u16, &line, body.width);
    }
    rows.len()
}

fn when_line(start: chrono::NaiveDateTime, tf: TimeFormat, ilm: bool) -> String {
    format!(
        "{}{} {}",
        if ilm { "Due By " } else { "" },
        start.format("%a %b %-d"),
        format_time(&start, tf)
    )
}

fn upcoming_lines(
    e: &UpcomingEvent,
    ilm: bool,
    width: usize,
    tf: TimeFormat,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = wrap(
        vec![Span::raw("  "), Span::styled(clean(&e.name), theme.link())],
        width,
        4,
    );
    lines.extend(wrap(
        vec![Span::raw(format!("    {}", when_line(e.start, tf, ilm)))],
        width,
        4,
    ));
    lines.extend(wrap(
        vec![Span::styled(format!("    {}", e.until), theme.dim())],
        width,
        4,
    ));
    lines
}

/// The Dashboard's side column: the next event and how long until it, the ILMs due in the next
/// 7 days, and the token expiry (a sentence the caller made, e.g. `in 6 days, 3 hours`).
pub fn render_side_column(
    buf: &mut Buffer,
    area: Rect,
    upcoming: &Loadable<Upcoming>,
    token_expiry: Option<&str>,
    tf: TimeFormat,
    theme: &Theme,
) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let block = Block::bordered()
        .border_style(theme.border())
        .padding(Padding::horizontal(1))
        .title(Span::styled(" Coming Up ", theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    let width = usize::from(inner.width).max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    match upcoming {
        Loadable::Loading => lines.push(Line::styled(LOADING_TEXT, theme.dim())),
        Loadable::Failed(e) => {
            lines.extend(wrap(vec![Span::styled(e.clone(), theme.alert())], width, 0))
        }
        Loadable::Ready(u) => {
            lines.push(Line::styled("Next event", theme.heading()));
            match &u.next {
                Some(e) => lines.extend(upcoming_lines(e, false, width, tf, theme)),
                None => lines.push(Line::raw("  None")),
            }
            lines.push(Line::raw(""));
            lines.extend(wrap(
                vec![Span::styled("ILMs due in the next 7 days", theme.heading())],
                width,
                0,
            ));
            if u.ilms_due_soon.is_empty() {
                lines.push(Line::raw("  None"));
            }
            for e in &u.ilms_due_soon {
                lines.extend(upcoming_lines(e, true, width, tf, theme));
            }
        }
    }
    if let Some(t) = token_expiry {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Token expires", theme.heading()));
        lines.extend(wrap(vec![Span::raw(format!("  {t}"))], width, 2));
    }
    for (i, line) in lines.iter().take(usize::from(inner.height)).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
}

/// Where a material sits in an event: the `m`th of its `p`th pre-work event, or its own `m`th.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialAt {
    Prework(usize, usize),
    Own(usize),
}

impl MaterialAt {
    /// The material itself.
    pub fn of(self, ev: &GlanceEvent) -> Option<&GlanceMaterial> {
        match self {
            MaterialAt::Prework(p, m) => ev.prework.get(p)?.materials.get(m),
            MaterialAt::Own(m) => ev.materials.get(m),
        }
    }

    /// Ilios draws a pre-work material's box disabled (`@disabled={{not @showLink}}`).
    pub fn is_prework(self) -> bool {
        matches!(self, MaterialAt::Prework(..))
    }
}

/// What j/k select in the detail popup: a link (`c` copies it), a material (Space sets its
/// status), or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailStop {
    pub link: Option<String>,
    pub material: Option<MaterialAt>,
}

/// The stops of the detail popup, in the order they are drawn: the virtual session link, then
/// the pre-work materials, then the event's own: each link of a material (a PDF's inline form
/// and its download), or the material alone when it has no link (a citation). A timed-release
/// material not yet open has neither a link nor a box, and is not a stop.
pub fn detail_stops(ev: &GlanceEvent) -> Vec<DetailStop> {
    let mut stops: Vec<DetailStop> = ev
        .url
        .iter()
        .map(|u| DetailStop {
            link: Some(u.clone()),
            material: None,
        })
        .collect();
    let mut add = |m: &GlanceMaterial, at: MaterialAt| {
        if m.blanked {
            return;
        }
        let links: Vec<String> = m.uri.iter().chain(&m.download_uri).cloned().collect();
        if links.is_empty() {
            stops.push(DetailStop {
                link: None,
                material: Some(at),
            });
        }
        for link in links {
            stops.push(DetailStop {
                link: Some(link),
                material: Some(at),
            });
        }
    };
    for (p, pre) in ev.prework.iter().enumerate() {
        for (m, material) in pre.materials.iter().enumerate() {
            add(material, MaterialAt::Prework(p, m));
        }
    }
    for (m, material) in ev.materials.iter().enumerate() {
        add(material, MaterialAt::Own(m));
    }
    stops
}

/// The popup's rectangle: centred, 2 columns and 1 row of margin, at most 100 columns wide.
pub fn popup_area(area: Rect) -> Rect {
    let w = area
        .width
        .saturating_sub(4)
        .min(100)
        .max(area.width.min(20));
    let h = area.height.saturating_sub(2).max(area.height.min(5));
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Scroll and selection of the event detail popup (its stops are [`detail_stops`]).
pub type DetailState = crate::ui::widgets::popup_scroll::PopupScroll;

/// The selected stop of `ev` in `state`, if it has any.
pub fn selected_stop(state: &DetailState, ev: &GlanceEvent) -> Option<DetailStop> {
    detail_stops(ev).into_iter().nth(state.selected)
}

pub(crate) fn field(label: &str, value: String, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    wrap(
        vec![
            Span::styled(format!("{label}: "), theme.label()),
            Span::raw(value),
        ],
        width,
        2,
    )
}

/// The detail popup of `ev`, drawn over `area` (Ilios's event page, in a box): course title,
/// full date and time range, location, virtual link, session type, instructors, attributes in
/// words, the whole description, pre-work and every material with its status box (when
/// `statuses` are shown), its link or citation. Returns the content height.
pub fn render_event_detail(
    buf: &mut Buffer,
    area: Rect,
    ev: &GlanceEvent,
    state: &mut DetailState,
    tf: TimeFormat,
    statuses: Option<&Statuses>,
    theme: &Theme,
) -> usize {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return 0;
    }
    let mut popup = popup_area(area);
    let stops = detail_stops(ev);
    state.clamp(stops.len());
    // Borders and one column of padding on each side.
    let width = usize::from(popup.width.saturating_sub(4)).max(1);

    let mut lines: Vec<Line<'static>> = Vec::new();
    // The first row of each stop, for scrolling the selection into view.
    let mut stop_rows: Vec<usize> = Vec::new();
    let mut stop_index = 0usize;
    let selected = state.selected;
    let stop_style = |index: usize, normal: Style| {
        if index == selected && !stops.is_empty() {
            theme.selected()
        } else {
            normal
        }
    };
    let link_spans = |uri: &str, index: usize, indent: usize| -> Vec<Span<'static>> {
        vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(uri.to_string(), stop_style(index, theme.link())),
        ]
    };

    if let Some(c) = &ev.course_title {
        lines.extend(field("Course", clean(c), width, theme));
    }
    lines.extend(field(
        if ev.ilm { "Due By" } else { "When" },
        format!("{} (Duration: {})", when_text(ev, tf), ev.duration),
        width,
        theme,
    ));
    if let Some(l) = &ev.location {
        lines.extend(field("Location", clean(l), width, theme));
    }
    if let Some(u) = &ev.url {
        lines.push(Line::styled("Virtual Session Link:", theme.label()));
        stop_rows.push(lines.len());
        lines.extend(wrap(link_spans(u, stop_index, 2), width, 2));
        stop_index += 1;
    }
    if let Some(t) = &ev.session_type {
        lines.extend(field("Session Type", clean(t), width, theme));
    }
    if !ev.instructors.is_empty() {
        lines.extend(field(
            "Instructors",
            ev.instructors.join(", "),
            width,
            theme,
        ));
    }
    for words in ev.attributes() {
        lines.extend(wrap(vec![Span::styled(words, theme.label())], width, 2));
    }
    if let Some(desc) = &ev.description {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Description", theme.heading()));
        for para in desc.lines() {
            lines.extend(wrap(vec![Span::raw(para.to_string())], width, 0));
        }
    }

    let mut material = |m: &GlanceMaterial, indent: usize, lines: &mut Vec<Line<'static>>| {
        let pad = " ".repeat(indent);
        let mut spans = vec![Span::raw(pad)];
        spans.extend(status_spans(m, statuses, theme));
        if m.required && !m.blanked {
            spans.push(Span::styled("* ", theme.label()));
        }
        // A material with no link is a stop of its own: its title shows the selection.
        let linkless = !m.blanked && m.uri.is_none() && m.download_uri.is_none();
        if linkless {
            stop_rows.push(lines.len());
            spans.push(Span::styled(
                clean(&m.title),
                stop_style(stop_index, theme.text()),
            ));
            stop_index += 1;
        } else {
            spans.push(Span::raw(clean(&m.title)));
        }
        if m.blanked {
            spans.push(Span::styled(format!(" ({TIMED_RELEASE})"), theme.dim()));
        } else {
            spans.push(Span::styled(format!(" ({})", m.kind.label()), theme.dim()));
            if m.required {
                spans.push(Span::styled(" Required", theme.dim()));
            }
        }
        if let Some(a) = &m.availability {
            spans.push(Span::styled(format!(" {a}"), theme.dim()));
        }
        lines.extend(wrap(spans, width, indent + 2));
        if let Some(n) = &m.public_notes {
            lines.extend(wrap(
                vec![Span::raw(format!(
                    "{}- {}",
                    " ".repeat(indent + 2),
                    clean(n)
                ))],
                width,
                indent + 4,
            ));
        }
        if let Some(c) = &m.citation {
            lines.extend(indented(clean(c), theme.text(), indent + 2, width));
        }
        if m.blanked {
            return; // Ilios gives a timed-release material not yet open no link
        }
        if let Some(u) = &m.uri {
            stop_rows.push(lines.len());
            lines.extend(wrap(
                link_spans(u, stop_index, indent + 2),
                width,
                indent + 2,
            ));
            stop_index += 1;
        }
        if let Some(d) = &m.download_uri {
            // Ilios's separate Download link of a PDF (the title opens it inline).
            stop_rows.push(lines.len());
            let mut spans = vec![
                Span::raw(" ".repeat(indent + 2)),
                Span::styled("Download: ", theme.label()),
            ];
            spans.extend(link_spans(d, stop_index, 0));
            lines.extend(wrap(spans, width, indent + 2));
            stop_index += 1;
        }
    };

    if !ev.prework.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Pre-work", theme.heading()));
        for pre in &ev.prework {
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(clean(&pre.name), theme.label()),
            ];
            if !pre.published {
                spans.push(Span::styled(" (Not Published)", theme.warning()));
            }
            lines.extend(wrap(spans, width, 4));
            for m in &pre.materials {
                material(m, 4, &mut lines);
            }
        }
    }
    if !ev.materials.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Learning Materials", theme.heading()));
        for m in &ev.materials {
            material(m, 2, &mut lines);
        }
    }

    // As tall as the content, at most the popup area.
    let height = (lines.len() + 2).min(usize::from(popup.height)) as u16;
    popup.y = area.y + (area.height - height) / 2;
    popup.height = height;
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_style(theme.border())
        .padding(Padding::horizontal(1))
        .title(Span::styled(
            format!(" {} ", clean(&ev.name)),
            theme.title(),
        ))
        .title_bottom(Line::styled(detail_hint(&stops, statuses), theme.dim()));
    let inner = block.inner(popup);
    block.render(popup, buf);

    state.draw(buf, inner, &lines, &stop_rows);
    lines.len()
}

/// The detail's date line: `Monday, March 11, 2024, 08:00 AM - 09:50 AM` (an ILM: its due time;
/// a multi-day event: both dates).
fn when_text(ev: &GlanceEvent, tf: TimeFormat) -> String {
    let start_day = format_long_date(ev.start.date());
    if ev.ilm {
        format!("{start_day}, {}", format_time(&ev.start, tf))
    } else if ev.start.date() == ev.end.date() {
        format!(
            "{start_day}, {} - {}",
            format_time(&ev.start, tf),
            format_time(&ev.end, tf)
        )
    } else {
        format!(
            "{start_day}, {} - {}, {}",
            format_time(&ev.start, tf),
            format_long_date(ev.end.date()),
            format_time(&ev.end, tf)
        )
    }
}

/// The keys at the foot of the popup, only those that do something here.
fn detail_hint(stops: &[DetailStop], statuses: Option<&Statuses>) -> &'static str {
    let links = stops.iter().any(|s| s.link.is_some());
    let boxes = statuses.is_some() && stops.iter().any(|s| s.material.is_some());
    match (links, boxes) {
        (_, true) => " j/k select  c copy link  x status  PgUp/PgDn scroll  Esc close ",
        (true, false) => " j/k link  c copy link  PgUp/PgDn scroll  Esc close ",
        (false, false) => " PgUp/PgDn scroll  Esc close ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_words_and_indents() {
        let lines = wrap(vec![Span::raw("aaa bbb ccc dddd")], 8, 2);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, vec!["aaa bbb", "  ccc", "  dddd"]);
        let lines = wrap(vec![Span::raw("abcdefghij")], 4, 0);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap(vec![], 10, 0).len(), 1);
        for l in wrap(vec![Span::raw("x ".repeat(100))], 7, 3) {
            assert!(l.width() <= 7);
        }
    }

    fn glance_of(json: &str) -> WeekGlance {
        let events: Vec<crate::api::models::UserEvent> = serde_json::from_str(json).unwrap();
        crate::domain::week::glance_at(&events, &chrono::Utc, chrono::DateTime::UNIX_EPOCH)
    }

    fn event_text(ev: &GlanceEvent, expanded: bool, width: usize) -> Vec<String> {
        event_lines(
            ev,
            expanded,
            width,
            TimeFormat::H12,
            None,
            &Theme::default(),
        )
        .iter()
        .map(|l| l.to_string().trim_end().to_string())
        .collect()
    }

    /// ilios/frontend `packages/ilios-common/addon/components/week-glance-event.gjs` with
    /// `truncate-text.gjs` (length 50, slippage 200); tests in
    /// `packages/test-app/tests/integration/components/week-glance-event-test.gjs`: "it renders
    /// with some stuff" (long: the first 50 characters), "it renders markup on short session
    /// description" (short: whole) and "it renders markup when long session description is
    /// expanded" (expanding shows all of it).
    #[test]
    fn collapsed_description_is_cut_only_from_250_characters() {
        let short = "word ".repeat(40); // 200 characters: shown whole, wrapped
        let long = format!("Test {}", "t".repeat(400));
        let json = format!(
            r#"[{{"name":"Short","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00","offering":1,"isPublished":true,"isScheduled":false,"sessionDescription":"{short}"}},
               {{"name":"Long","startDate":"2024-03-11T18:00:00+00:00","endDate":"2024-03-11T19:00:00+00:00","offering":2,"isPublished":true,"isScheduled":false,"sessionDescription":"<h1>{long}</h1>"}}]"#
        );
        let g = glance_of(&json);
        let short_rows = event_text(g.event(0).unwrap(), false, 40);
        let words: usize = short_rows.iter().map(|r| r.matches("word").count()).sum();
        assert_eq!(words, 40, "{short_rows:#?}");
        assert!(short_rows.iter().all(|r| !r.contains('…')));

        let long_rows = event_text(g.event(1).unwrap(), false, 80);
        assert_eq!(
            long_rows.last().unwrap(),
            &format!("Test {}…", "t".repeat(45))
        );
        let expanded = event_text(g.event(1).unwrap(), true, 80);
        let ts: usize = expanded.iter().map(|r| r.matches('t').count()).sum();
        assert!(ts >= 400, "{expanded:#?}");
        assert!(expanded.iter().all(|r| !r.contains('…')));
    }

    /// ilios/frontend `packages/ilios-common/addon/components/week-glance/learning-material-list-item.gjs`
    /// (`isBlanked`: a clock titled `general.timedRelease` and the title) and
    /// `packages/test-app/tests/integration/components/week-glance-event-test.gjs` "it renders
    /// schedule materials" ("Too Early" and "Too Late" are blanked).
    #[test]
    fn timed_release_material_is_marked_in_the_glance() {
        let g = glance_of(
            r#"[{"name":"Schedule some materials","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00","offering":1,"isPublished":true,"isScheduled":false,
                "learningMaterials":[
                  {"title":"In the window","sessionLearningMaterial":1,"link":"https://example.com","isBlanked":false},
                  {"title":"Too Early","sessionLearningMaterial":2,"isBlanked":true}]}]"#,
        );
        let rows = event_text(g.event(0).unwrap(), false, 80);
        assert!(
            rows.iter().any(|r| r.trim() == "Too Early (Timed Release)"),
            "{rows:#?}"
        );
        let window = rows.iter().find(|r| r.contains("In the window")).unwrap();
        assert!(!window.contains(TIMED_RELEASE));
    }

    /// ilios/frontend `packages/ilios-common/addon/components/week-glance/learning-material-list-item.gjs`
    /// and `packages/test-app/tests/integration/components/week-glance-event-test.gjs` "it
    /// renders with some stuff": a PDF's title goes to `<uri>?inline` and a separate Download
    /// link to the file; the popup shows both and both can be selected and copied.
    #[test]
    fn detail_popup_offers_a_pdf_inline_and_its_download() {
        let g = glance_of(
            r#"[{"name":"Learn to Learn","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00","offering":1,"isPublished":true,"isScheduled":false,
                "learningMaterials":[{"title":"File LM","filename":"This is a PDF","mimetype":"application/pdf","required":true,
                  "absoluteFileUri":"http://myhost.com/url1","sessionLearningMaterial":3}]}]"#,
        );
        let ev = g.event(0).unwrap();
        let links: Vec<String> = detail_stops(ev)
            .into_iter()
            .filter_map(|s| s.link)
            .collect();
        assert_eq!(
            links,
            vec!["http://myhost.com/url1?inline", "http://myhost.com/url1"]
        );
        let area = Rect::new(0, 0, 80, 24);
        let mut buf = Buffer::empty(area);
        let mut state = DetailState::default();
        render_event_detail(
            &mut buf,
            area,
            ev,
            &mut state,
            TimeFormat::H12,
            None,
            &Theme::default(),
        );
        let rows: Vec<String> = (0..24)
            .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        assert!(
            rows.iter()
                .any(|r| r.contains("http://myhost.com/url1?inline")),
            "{rows:#?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.contains("Download: http://myhost.com/url1 ")),
            "{rows:#?}"
        );
        state.next(detail_stops(ev).len());
        assert_eq!(state.selected, 1);
    }

    /// ilios/frontend `packages/ilios-common/addon/components/user-material-status.gjs`: a box
    /// per session material, unchecked / indeterminate / checked, only once statuses are
    /// loaded; `week-glance/learning-material-list-item.gjs`: none on a timed-release material
    /// (its title lines up with the others). The seed's screenshot reads `☐ * LS Week 6 OEQ`.
    #[test]
    fn status_boxes_before_session_materials() {
        let g = glance_of(
            r#"[{"name":"Weekly Checkpoint 6","startDate":"2024-03-10T18:00:00+00:00","endDate":"2024-03-10T19:00:00+00:00","offering":1,"isPublished":true,"isScheduled":false,
                "learningMaterials":[
                  {"title":"LS Week 6 OEQ","sessionLearningMaterial":1,"required":true,"link":"https://e.org/1","isBlanked":false},
                  {"title":"LS Week 6 MCQ","sessionLearningMaterial":2,"required":true,"link":"https://e.org/2","isBlanked":false},
                  {"title":"Notes","sessionLearningMaterial":3,"citation":"c","isBlanked":false},
                  {"title":"Quiz","sessionLearningMaterial":4,"isBlanked":true}]}]"#,
        );
        let ev = g.event(0).unwrap();
        let statuses = Statuses::new([(1, 2, 1), (2, 3, 2)]);
        let text = |theme: &Theme, statuses: Option<&Statuses>| -> Vec<String> {
            event_lines(ev, false, 78, TimeFormat::H12, statuses, theme)
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect()
        };
        let utf8 = text(&Theme::MONO, Some(&statuses));
        assert!(
            utf8.contains(&"☐ * LS Week 6 OEQ (Web Link)".to_string()),
            "{utf8:#?}"
        );
        assert!(
            utf8.contains(&"⊟ * LS Week 6 MCQ (Web Link)".to_string()),
            "{utf8:#?}"
        );
        assert!(
            utf8.contains(&"☑   Notes (Citation)".to_string()),
            "{utf8:#?}"
        );
        assert!(
            utf8.contains(&"    Quiz (Timed Release)".to_string()),
            "{utf8:#?}"
        );
        let ascii = Theme {
            ascii: true,
            ..Theme::MONO
        };
        let ascii = text(&ascii, Some(&statuses));
        assert!(
            ascii.contains(&"[ ] * LS Week 6 OEQ (Web Link)".to_string()),
            "{ascii:#?}"
        );
        assert!(
            ascii.contains(&"[-] * LS Week 6 MCQ (Web Link)".to_string()),
            "{ascii:#?}"
        );
        assert!(
            ascii.contains(&"[x]   Notes (Citation)".to_string()),
            "{ascii:#?}"
        );
        assert!(
            ascii.contains(&"      Quiz (Timed Release)".to_string()),
            "{ascii:#?}"
        );
        // Off, or not loaded: no boxes and no room for them.
        let off = text(&Theme::MONO, None);
        assert!(
            off.contains(&"* LS Week 6 OEQ (Web Link)".to_string()),
            "{off:#?}"
        );
    }

    /// The detail: every material that is not a timed-release one not yet open can be selected
    /// (a citation for its status, a link for its status and to copy).
    #[test]
    fn detail_stops_reach_every_material_with_a_box() {
        let g = glance_of(
            r#"[{"name":"E","startDate":"2024-03-10T18:00:00+00:00","endDate":"2024-03-10T19:00:00+00:00","offering":1,"isPublished":true,"isScheduled":false,
                "url":"https://zoom.example/1",
                "learningMaterials":[
                  {"title":"Cite","sessionLearningMaterial":3,"citation":"c","isBlanked":false},
                  {"title":"Quiz","sessionLearningMaterial":4,"isBlanked":true},
                  {"title":"Pdf","sessionLearningMaterial":5,"mimetype":"application/pdf","absoluteFileUri":"https://f/1","isBlanked":false}]}]"#,
        );
        let stops = detail_stops(g.event(0).unwrap());
        let at: Vec<(Option<&str>, Option<MaterialAt>)> = stops
            .iter()
            .map(|s| (s.link.as_deref(), s.material))
            .collect();
        assert_eq!(
            at,
            vec![
                (Some("https://zoom.example/1"), None),
                (None, Some(MaterialAt::Own(0))),
                (Some("https://f/1?inline"), Some(MaterialAt::Own(2))),
                (Some("https://f/1"), Some(MaterialAt::Own(2))),
            ]
        );
    }

    fn sample() -> WeekGlance {
        use crate::api::models::UserEvent;
        let json = r#"[
          {"name":"A","startDate":"2024-03-11T16:00:00+00:00","endDate":"2024-03-11T17:00:00+00:00","offering":1,"isPublished":true,"isScheduled":false},
          {"name":"B","startDate":"2024-03-12T16:00:00+00:00","endDate":"2024-03-12T17:00:00+00:00","offering":2,"isPublished":true,"isScheduled":false},
          {"name":"C","startDate":"2024-03-14T16:00:00+00:00","endDate":"2024-03-14T17:00:00+00:00","offering":3,"isPublished":true,"isScheduled":false}]"#;
        let events: Vec<UserEvent> = serde_json::from_str(json).unwrap();
        crate::domain::week::glance_at(&events, &chrono::Utc, chrono::DateTime::UNIX_EPOCH)
    }

    #[test]
    fn pane_state_operations_keep_the_selection_in_range() {
        let g = sample();
        let mut s = WeekPaneState::default();
        s.select_prev(&g);
        assert_eq!(
            s.selected,
            Some(2),
            "nothing drawn yet: Up starts from the last event"
        );
        s.select_next(&g);
        assert_eq!(s.selected, Some(2));
        s.top();
        assert_eq!((s.selected, s.scroll), (Some(0), 0));
        s.select_prev(&g);
        assert_eq!(s.selected, Some(0));
        s.bottom(&g);
        assert_eq!(s.selected, Some(2));
        s.toggle_expand();
        assert!(s.expanded.contains(&2));
        s.toggle_expand();
        assert!(s.expanded.is_empty());
        let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        s.select_date(&g, date("2024-03-13"));
        assert_eq!(s.selected, Some(2));
        s.select_date(&g, date("2024-03-20"));
        assert_eq!(s.selected, Some(2));
        s.select_date(&g, date("2024-03-01"));
        assert_eq!(s.selected, Some(0));
        s.clamp(&WeekGlance::default());
        assert_eq!(s.selected, None);
        s.select_next(&WeekGlance::default());
        assert_eq!(s.selected, None);
        s.select_date(&WeekGlance::default(), date("2024-03-13"));
        assert_eq!(s.selected, None);
        s.scroll = 7;
        s.reset();
        assert_eq!(s, WeekPaneState::default());
        assert_eq!(event_count(&g), 3);
    }

    #[test]
    fn fit_cuts_with_ellipsis() {
        assert_eq!(fit("hello", 5), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
    }
}
