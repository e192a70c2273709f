//! My Profile pane: pure drawing from [`ProfileData`] and [`ProfilePaneState`].
//!
//! The whole page is laid out into an off-screen buffer as tall as its content, and the rows
//! under the scroll offset are copied into the frame, so boxes scroll as one page.
//! From 100 columns the Roles and School boxes sit side by side (as the web page's grid);
//! narrower, everything is one column.

use crate::ui::text;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget};

use crate::api::models::Id;
use crate::domain::Loadable;
use crate::domain::profile::{
    self, LearnerGroupLine, NONE, Permissions, ProfileData, RolesBox, SchoolBox, UNASSIGNED,
};
use crate::ui::Theme;

/// From this width the Roles and School boxes share a row.
pub const TWO_COLUMN_WIDTH: u16 = 100;

/// Scroll offset and the permissions school/year the user picked (`None` = the Ilios default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfilePaneState {
    pub scroll: usize,
    pub school: Option<u64>,
    pub year: Option<u64>,
    /// Set by [`render_profile`]: the page height and the visible height, for key handling.
    pub content_height: usize,
    pub viewport_height: usize,
    /// Set by a school or year switch: the next drawing brings the Permissions box into view.
    reveal_permissions: bool,
    /// The Programs, Program Years, Courses and Sessions lists are hidden (their headings and
    /// counts stay). Ilios starts them expanded (`user-profile-permissions.gjs`:
    /// `programCollapsed = false`, ...).
    pub permissions_collapsed: bool,
}

impl ProfilePaneState {
    /// Fills `school` and `year` with the Ilios defaults once schools and years are known.
    /// Call after data arrives (and with the local date).
    pub fn settle(&mut self, data: &ProfileData, today: NaiveDate) {
        if self.school.is_none() && data.schools.ready().is_some() {
            self.school = profile::resolve_school(data, None);
        }
        if self.year.is_none() && data.academic_years.ready().is_some() {
            self.year = profile::resolve_year(data, None, today);
        }
    }

    /// Next (`forward`) or previous school in switcher order (by title), wrapping.
    pub fn cycle_school(&mut self, data: &ProfileData, forward: bool) {
        let Some(schools) = data.schools.ready() else {
            return;
        };
        let ids: Vec<Id> = profile::schools_by_title(schools)
            .iter()
            .map(|s| s.id)
            .collect();
        self.school = cycle(&ids, profile::resolve_school(data, self.school), forward);
        self.reveal_permissions = true;
    }

    /// Next (`forward`: older) or previous (newer) academic year in switcher order, wrapping.
    pub fn cycle_year(&mut self, data: &ProfileData, today: NaiveDate, forward: bool) {
        let Some(years) = data.academic_years.ready() else {
            return;
        };
        let ids: Vec<Id> = profile::years_descending(years)
            .iter()
            .map(|y| y.id)
            .collect();
        self.year = cycle(&ids, profile::resolve_year(data, self.year, today), forward);
        self.reveal_permissions = true;
    }

    fn max_scroll(&self) -> usize {
        self.content_height.saturating_sub(self.viewport_height)
    }

    /// Keeps the offset inside the page.
    pub fn clamp(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// j/k: `delta` rows down (positive) or up.
    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll());
    }

    /// PgDn / PgUp: a screen less one row.
    pub fn page(&mut self, down: bool) {
        let step = self.viewport_height.saturating_sub(1).max(1) as isize;
        self.scroll_by(if down { step } else { -step });
    }

    /// e: collapse the Permissions sections that have entries, or expand them again.
    pub fn toggle_permissions(&mut self) {
        self.permissions_collapsed = !self.permissions_collapsed;
        self.reveal_permissions = true;
    }

    /// g
    pub fn top(&mut self) {
        self.scroll = 0;
    }

    /// G
    pub fn bottom(&mut self) {
        self.scroll = self.max_scroll();
    }
}

fn cycle(ids: &[Id], current: Option<Id>, forward: bool) -> Option<Id> {
    if ids.is_empty() {
        return current;
    }
    let n = ids.len();
    let next = match current.and_then(|c| ids.iter().position(|i| *i == c)) {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None => 0,
    };
    Some(ids[next])
}

// ---------------------------------------------------------------------------------------------
// Line building
// ---------------------------------------------------------------------------------------------

fn yes_no(b: bool, theme: &Theme) -> Span<'static> {
    if b {
        Span::styled("Yes", theme.yes())
    } else {
        Span::styled("No", theme.no())
    }
}

fn field(label: &str, value: Span<'static>, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label}: "), theme.label()),
        value,
    ])
}

fn flag(label: &str, b: bool, theme: &Theme) -> Line<'static> {
    field(label, yes_no(b, theme), theme)
}

fn text(s: impl Into<String>, style: Style) -> Line<'static> {
    Line::from(Span::styled(s.into(), style))
}

/// A horizontal rule inside a box (the web page's `<hr>` between role groups).
const RULE: &str = "\u{0}rule";

fn rule() -> Line<'static> {
    Line::from(RULE)
}

fn part_lines<T>(
    l: &Loadable<T>,
    theme: &Theme,
    body: impl FnOnce(&T) -> Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    match l {
        Loadable::Ready(v) => body(v),
        Loadable::Loading => vec![text("Loading ...", theme.dim())],
        Loadable::Failed(e) => vec![text(e.clone(), theme.alert())],
    }
}

fn roles_lines(r: &RolesBox, theme: &Theme) -> Vec<Line<'static>> {
    let titles = if r.role_titles.is_empty() {
        NONE.to_string()
    } else {
        r.role_titles.join(", ")
    };
    vec![
        flag("Student", r.student, theme),
        flag("Former Student", r.former_student, theme),
        rule(),
        flag("Account Enabled", r.account_enabled, theme),
        flag("Exclude From Sync", r.exclude_from_sync, theme),
        rule(),
        flag(
            "Performs Non-Learner Functions",
            r.performs_non_learner_functions,
            theme,
        ),
        flag("Learner", r.learner, theme),
        rule(),
        flag("Root", r.root, theme),
        rule(),
        field("Role Titles", Span::styled(titles, theme.text()), theme),
        flag("Instructor", r.is_instructor, theme),
        flag("Course Director", r.is_course_director, theme),
    ]
}

fn school_lines(s: &SchoolBox, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        field("Primary School", Span::raw(s.primary_school.clone()), theme),
        field(
            "Primary Cohort",
            Span::raw(
                s.primary_cohort
                    .clone()
                    .unwrap_or_else(|| UNASSIGNED.to_string()),
            ),
            theme,
        ),
    ];
    if s.secondary_cohorts.is_empty() {
        out.push(field("Secondary Cohorts", Span::raw(UNASSIGNED), theme));
    } else {
        out.push(text("Secondary Cohorts:", theme.label()));
        for c in &s.secondary_cohorts {
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::raw(c.title.clone()),
                Span::raw(" "),
                Span::styled(c.program.clone(), theme.dim()),
            ]));
        }
    }
    out
}

fn sub_list(out: &mut Vec<Line<'static>>, heading: &str, items: &[String], theme: &Theme) {
    out.push(text(format!("  {heading}"), theme.label()));
    if items.is_empty() {
        out.push(text(format!("    {NONE}"), theme.text()));
    }
    for i in items {
        out.push(text(format!("    {i}"), theme.text()));
    }
}

/// A section's heading; returns whether its lists are shown. As Ilios
/// (`user-profile-permissions.gjs`): an empty section is plain text with no caret, a section
/// with entries is a toggle with a caret (down when open, right when collapsed). The first
/// toggle names its key.
fn section(
    out: &mut Vec<Line<'static>>,
    title: &str,
    n: usize,
    collapsed: bool,
    hint: &mut bool,
    theme: &Theme,
) -> bool {
    if n == 0 {
        out.push(text(format!("{title} ({n})"), theme.heading()));
        return false;
    }
    let caret = if collapsed { "▸" } else { "▾" };
    let mut spans = vec![Span::styled(
        format!("{title} ({n}) {caret}"),
        theme.heading(),
    )];
    if std::mem::take(hint) {
        spans.push(Span::styled(
            if collapsed {
                " [e] expand"
            } else {
                " [e] collapse"
            },
            theme.dim(),
        ));
    }
    out.push(Line::from(spans));
    !collapsed
}

fn permissions_lines(p: &Permissions, collapsed: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut hint = true;
    let mut out = vec![
        Line::from(vec![
            Span::styled("School: ", theme.label()),
            Span::styled(p.school_title.clone(), theme.selected()),
            Span::styled(" [s/S]", theme.dim()),
            Span::raw("   "),
            Span::styled("Academic Year: ", theme.label()),
            Span::styled(p.year_label.clone(), theme.selected()),
            Span::styled(" [y/Y]", theme.dim()),
        ]),
        Line::raw(""),
        text(format!("School ({})", p.school_title), theme.heading()),
        flag("  Director", p.school_director, theme),
        flag("  Administrator", p.school_administrator, theme),
    ];
    let h = &mut hint;
    if section(&mut out, "Programs", p.programs.len(), collapsed, h, theme) {
        sub_list(&mut out, "Director", &p.programs, theme);
    }
    let n = p.program_years.len();
    if section(&mut out, "Program Years", n, collapsed, h, theme) {
        sub_list(&mut out, "Director", &p.program_years, theme);
    }
    if section(&mut out, "Courses", p.courses.count, collapsed, h, theme) {
        sub_list(&mut out, "Director", &p.courses.director, theme);
        sub_list(&mut out, "Administrator", &p.courses.administrator, theme);
        sub_list(&mut out, "Instructor", &p.courses.instructor, theme);
        sub_list(
            &mut out,
            "Student Advisors",
            &p.courses.student_advisor,
            theme,
        );
    }
    if section(&mut out, "Sessions", p.sessions.count, collapsed, h, theme) {
        sub_list(&mut out, "Administrator", &p.sessions.administrator, theme);
        sub_list(&mut out, "Instructor", &p.sessions.instructor, theme);
        sub_list(
            &mut out,
            "Student Advisors",
            &p.sessions.student_advisor,
            theme,
        );
    }
    out
}

fn learner_group_lines(groups: &[LearnerGroupLine], theme: &Theme) -> Vec<Line<'static>> {
    if groups.is_empty() {
        return vec![text(NONE, theme.text())];
    }
    groups
        .iter()
        .map(|g| {
            let mut spans = vec![
                Span::raw(format!("{}: {} ", g.school, g.program)),
                Span::styled(format!("{} — ", g.cohort), theme.dim()),
            ];
            let mut parents: Vec<String> = Vec::new();
            if g.parents_incomplete {
                parents.push("…".into());
            }
            parents.extend(g.parents.iter().cloned());
            for p in parents {
                spans.push(Span::raw(format!("{p} > ")));
            }
            spans.push(Span::styled(g.title.clone(), theme.label()));
            Line::from(spans)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Wrapping (so heights are known before drawing)
// ---------------------------------------------------------------------------------------------

/// Word-wraps styled lines to `width` columns; continuation rows are indented two columns more
/// than the line itself.
/// Rule lines become a row of `─`.
fn wrap(lines: &[Line<'static>], width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let mut out = Vec::new();
    for line in lines {
        if line.spans.len() == 1 && line.spans[0].content == RULE {
            out.push(Line::from(Span::raw("─".repeat(width))));
            continue;
        }
        // One cell per grapheme cluster, with the width the buffer gives it.
        let cells: Vec<(&str, usize, Style)> = line
            .spans
            .iter()
            .flat_map(|s| text::clusters(&s.content).map(move |(g, w)| (g, w, s.style)))
            .collect();
        // Continuation rows hang two columns under the line's own text.
        let hang = cells.iter().take_while(|(g, ..)| *g == " ").count() + 2;
        let mut rows: Vec<Vec<(&str, usize, Style)>> = Vec::new();
        let (mut start, mut first) = (0, true);
        loop {
            let indent = if first { 0 } else { hang.min(width / 2) };
            let avail = width - indent;
            let (mut end, mut used) = (start, 0);
            while end < cells.len() {
                let w = cells[end].1;
                if used + w > avail {
                    break;
                }
                used += w;
                end += 1;
            }
            if end < cells.len() {
                // Break after the last space that fits, if any.
                if let Some(sp) = cells[start..end].iter().rposition(|(g, ..)| *g == " ")
                    && sp > 0
                {
                    end = start + sp + 1;
                }
                if end == start {
                    end = start + 1; // a glyph wider than the row: place it anyway
                }
            }
            let mut row: Vec<(&str, usize, Style)> = vec![(" ", 1, Style::default()); indent];
            row.extend_from_slice(&cells[start..end]);
            while row.len() > indent && row.last().is_some_and(|(g, ..)| *g == " ") {
                row.pop();
            }
            rows.push(row);
            start = end;
            while start < cells.len() && cells[start].0 == " " {
                start += 1;
            }
            if start >= cells.len() {
                break;
            }
            first = false;
        }
        for row in rows {
            out.push(spans_from_cells(&row, line.alignment));
        }
    }
    out
}

fn spans_from_cells(cells: &[(&str, usize, Style)], alignment: Option<Alignment>) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut cur = String::new();
    let mut style = None;
    for (c, _, s) in cells {
        if style != Some(*s) && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                style.unwrap_or_default(),
            ));
        }
        style = Some(*s);
        cur.push_str(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, style.unwrap_or_default()));
    }
    let mut line = Line::from(spans);
    line.alignment = alignment;
    line
}

// ---------------------------------------------------------------------------------------------
// Layout and drawing
// ---------------------------------------------------------------------------------------------

/// A bordered box of wrapped lines.
struct Boxed {
    title: &'static str,
    lines: Vec<Line<'static>>,
}

impl Boxed {
    fn new(title: &'static str, lines: Vec<Line<'static>>, width: u16) -> Self {
        Boxed {
            title,
            lines: wrap(&lines, width.saturating_sub(4)),
        }
    }
    fn height(&self) -> u16 {
        self.lines.len() as u16 + 2
    }
    fn draw(self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(format!(" {} ", self.title), theme.title()));
        let inner = block.inner(area);
        block.render(area, buf);
        let inner = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        Paragraph::new(self.lines).render(inner, buf);
    }
}

struct Page {
    /// Each entry: where it goes (y relative to the page top) and what it is.
    items: Vec<(Rect, Item)>,
    height: u16,
    /// Where the Permissions box starts.
    permissions_top: u16,
}

enum Item {
    Lines(Vec<Line<'static>>),
    Box(Boxed),
}

fn layout(
    data: &ProfileData,
    state: &ProfilePaneState,
    footer: &[Line<'static>],
    width: u16,
    theme: &Theme,
) -> Page {
    let mut items = Vec::new();
    let mut y: u16 = 0;

    // Heading and Student marker.
    let mut head =
        vec![Line::from(Span::styled(profile::heading(&data.user), theme.title())).centered()];
    if let Some(m) = data
        .roles
        .ready()
        .and_then(|r| profile::student_marker(&data.user, r))
    {
        head.push(Line::from(Span::styled(m, theme.success())).centered());
    }
    let head = wrap(&head, width);
    let h = head.len() as u16;
    items.push((Rect::new(0, y, width, h), Item::Lines(head)));
    y += h;

    let roles = part_lines(&profile::roles_box(data), theme, |r| roles_lines(r, theme));
    let school = part_lines(&profile::school_box(data), theme, |s| {
        school_lines(s, theme)
    });
    if width >= TWO_COLUMN_WIDTH {
        let left_w = width / 2;
        let right_w = width - left_w;
        let l = Boxed::new("Roles", roles, left_w);
        let r = Boxed::new("School", school, right_w);
        let h = l.height().max(r.height());
        items.push((Rect::new(0, y, left_w, h), Item::Box(l)));
        items.push((Rect::new(left_w, y, right_w, h), Item::Box(r)));
        y += h;
    } else {
        for b in [
            Boxed::new("Roles", roles, width),
            Boxed::new("School", school, width),
        ] {
            let h = b.height();
            items.push((Rect::new(0, y, width, h), Item::Box(b)));
            y += h;
        }
    }

    let school_id = state.school.or_else(|| profile::resolve_school(data, None));
    // Settled from the app's clock when the years arrived (drawing never reads the clock).
    let year = state.year;
    let perms = part_lines(
        &profile::permissions_for(data, school_id, year),
        theme,
        |p| permissions_lines(p, state.permissions_collapsed, theme),
    );
    let groups = part_lines(&profile::learner_group_lines(data), theme, |g| {
        learner_group_lines(g, theme)
    });
    let permissions_top = y;
    for b in [
        Boxed::new("Permissions", perms, width),
        Boxed::new("Learner Groups", groups, width),
    ] {
        let h = b.height();
        items.push((Rect::new(0, y, width, h), Item::Box(b)));
        y += h;
    }

    if !footer.is_empty() {
        let mut lines = vec![Line::from(Span::styled(
            "┄".repeat(usize::from(width)),
            theme.warning(),
        ))];
        lines.extend(wrap(footer, width));
        let h = lines.len() as u16;
        items.push((Rect::new(0, y, width, h), Item::Lines(lines)));
        y += h;
    }
    Page {
        items,
        height: y,
        permissions_top,
    }
}

/// The page height at this width (what [`render_profile`] scrolls over).
pub fn content_height(
    data: &ProfileData,
    state: &ProfilePaneState,
    footer: &[Line<'static>],
    width: u16,
) -> usize {
    usize::from(layout(data, state, footer, width, &Theme::default()).height)
}

/// Draws My Profile into `area`, scrolled by `state.scroll` (clamped here), and records the
/// page and viewport heights in `state`.
pub fn render_profile(
    frame: &mut Frame,
    area: Rect,
    data: &ProfileData,
    state: &mut ProfilePaneState,
    footer: &[Line<'static>],
    theme: &Theme,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let page = layout(data, state, footer, area.width, theme);
    state.content_height = usize::from(page.height);
    state.viewport_height = usize::from(area.height);
    if std::mem::take(&mut state.reveal_permissions) {
        let top = usize::from(page.permissions_top);
        if top < state.scroll || top >= state.scroll + state.viewport_height {
            state.scroll = top;
        }
    }
    state.clamp();

    let mut off = Buffer::empty(Rect::new(0, 0, area.width, page.height.max(1)));
    for (rect, item) in page.items {
        match item {
            Item::Lines(lines) => Paragraph::new(lines).render(rect, &mut off),
            Item::Box(b) => b.draw(rect, &mut off, theme),
        }
    }
    let buf = frame.buffer_mut();
    let top = state.scroll as u16;
    for row in 0..area.height {
        let src_y = top + row;
        if src_y >= page.height {
            break;
        }
        for col in 0..area.width {
            if let (Some(src), Some(dst)) = (
                off.cell((col, src_y)),
                buf.cell_mut((area.x + col, area.y + row)),
            ) {
                *dst = src.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::fixtures::{GUTIERREZ, POWELL, loaded, today, user};
    use crate::domain::profile::{ProfilePart, related_requests};
    use ratatui::{Terminal, backend::TestBackend};

    fn footer() -> Vec<Line<'static>> {
        vec![
            Line::from("Manage API Tokens"),
            Line::from("(token actions go here)"),
        ]
    }

    fn draw(
        data: &ProfileData,
        state: &mut ProfilePaneState,
        w: u16,
        h: u16,
    ) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| render_profile(f, f.area(), data, state, &footer(), &Theme::MONO))
            .unwrap();
        terminal
    }

    fn settled(data: &ProfileData) -> ProfilePaneState {
        let mut s = ProfilePaneState::default();
        s.settle(data, today());
        s
    }

    #[test]
    fn gutierrez_120x40() {
        let data = loaded(GUTIERREZ);
        let t = draw(&data, &mut settled(&data), 120, 40);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn gutierrez_80x24() {
        let data = loaded(GUTIERREZ);
        let t = draw(&data, &mut settled(&data), 80, 24);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn powell_120x40() {
        let data = loaded(POWELL);
        let t = draw(&data, &mut settled(&data), 120, 40);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn powell_80x24_scrolled_to_the_bottom() {
        let data = loaded(POWELL);
        let mut state = settled(&data);
        draw(&data, &mut state, 80, 24);
        state.bottom();
        let t = draw(&data, &mut state, 80, 24);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn powell_80x24() {
        let data = loaded(POWELL);
        let t = draw(&data, &mut settled(&data), 80, 24);
        insta::assert_snapshot!(t.backend());
    }

    /// ilios/frontend `packages/frontend/app/components/user-profile-permissions.gjs` and
    /// `packages/frontend/tests/integration/components/user-profile-permissions-test.gjs`: "it
    /// renders empty" ("Programs (0)", "Courses (0)": plain titles, no toggle) and "it renders
    /// with program data" / "... with course data" (a section with entries is a toggle that
    /// starts expanded, `aria-expanded` "true", and hides its lists when toggled).
    #[test]
    fn permission_sections_toggle_and_empty_ones_have_no_caret() {
        let data = loaded(GUTIERREZ);
        let mut state = settled(&data);
        let rows = |state: &mut ProfilePaneState| -> Vec<String> {
            let t = draw(&data, state, 120, 80);
            let buf = t.backend().buffer().clone();
            (0..buf.area.height)
                .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
                .collect()
        };
        let heading = |rows: &[String], title: &str| -> String {
            let row = rows
                .iter()
                .find(|r| r.contains(&format!("{title} (")))
                .unwrap();
            let start = row.find(&format!("{title} (")).unwrap();
            row[start..].trim_end_matches(['│', ' ']).to_string()
        };
        let open = rows(&mut state);
        assert_eq!(heading(&open, "Programs"), "Programs (0)");
        assert_eq!(heading(&open, "Program Years"), "Program Years (0)");
        let courses = heading(&open, "Courses");
        assert!(courses.contains(") ▾"), "{courses}");
        assert!(open.iter().any(|r| r.contains("Instructor")));

        state.toggle_permissions();
        let shut = rows(&mut state);
        let courses = heading(&shut, "Courses");
        assert!(courses.contains(") ▸"), "{courses}");
        assert_eq!(heading(&shut, "Programs"), "Programs (0)");
        let perms_rows = |rows: &[String]| {
            let top = rows.iter().position(|r| r.contains("Permissions")).unwrap();
            let end = rows
                .iter()
                .position(|r| r.contains("Learner Groups"))
                .unwrap();
            rows[top..end].to_vec()
        };
        // Every course and session line is hidden, the headings stay.
        let listed = |r: &String| r.contains("Anatomy") || r.contains('»');
        assert!(perms_rows(&open).iter().any(listed));
        assert!(!perms_rows(&shut).iter().any(listed));
        assert!(heading(&shut, "Sessions").contains(") ▸"));

        state.toggle_permissions();
        assert_eq!(rows(&mut state), open);
    }

    #[test]
    fn gutierrez_with_permissions_still_loading_120x40() {
        let u = user(GUTIERREZ);
        let mut data = ProfileData::new(u.clone(), true);
        for q in related_requests(&u) {
            if q.part != ProfilePart::InstructedSessions {
                data.receive(
                    &q,
                    Ok(crate::domain::profile::fixtures::answer(&q).unwrap()),
                );
            }
        }
        let t = draw(&data, &mut settled(&data), 120, 40);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn powell_with_a_failed_part_120x40() {
        let u = user(POWELL);
        let mut data = ProfileData::new(u.clone(), true);
        for q in related_requests(&u) {
            if q.part == ProfilePart::LearnerGroups {
                data.receive(
                    &q,
                    Err("Ilios answered 500 Internal Server Error for learnergroups".into()),
                );
            } else {
                data.receive(
                    &q,
                    Ok(crate::domain::profile::fixtures::answer(&q).unwrap()),
                );
            }
        }
        let t = draw(&data, &mut settled(&data), 120, 40);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn scrolling_is_clamped_to_the_page() {
        let data = loaded(GUTIERREZ);
        let mut state = settled(&data);
        draw(&data, &mut state, 80, 24);
        assert_eq!(state.viewport_height, 24);
        assert_eq!(
            state.content_height,
            content_height(&data, &state, &footer(), 80)
        );
        assert!(state.content_height > 24, "the page scrolls at 80x24");
        state.scroll_by(-5);
        assert_eq!(state.scroll, 0);
        state.scroll_by(3);
        assert_eq!(state.scroll, 3);
        state.page(true);
        assert_eq!(state.scroll, (3 + 23).min(state.content_height - 24));
        state.bottom();
        assert_eq!(state.scroll, state.content_height - 24);
        state.scroll_by(10);
        assert_eq!(state.scroll, state.content_height - 24);
        state.top();
        assert_eq!(state.scroll, 0);
        // A scroll offset beyond a taller viewport is pulled back when drawing.
        state.scroll = 999;
        draw(&data, &mut state, 120, 80);
        assert_eq!(state.scroll, state.content_height.saturating_sub(80));
    }

    #[test]
    fn two_columns_from_100_wide() {
        let data = loaded(GUTIERREZ);
        let s = settled(&data);
        // Side by side, the page is shorter than stacked.
        assert!(content_height(&data, &s, &[], 100) < content_height(&data, &s, &[], 99));
    }

    #[test]
    fn school_and_year_cycle_in_switcher_order_and_wrap() {
        let data = loaded(GUTIERREZ);
        let mut s = settled(&data);
        assert_eq!((s.school, s.year), (Some(1), Some(2025)));
        // Schools by title: Dentistry, Medicine, Pharmacy.
        s.cycle_school(&data, true);
        assert_eq!(s.school, Some(3));
        s.cycle_school(&data, true);
        assert_eq!(s.school, Some(2));
        s.cycle_school(&data, false);
        assert_eq!(s.school, Some(3));
        // Years descending: 2026, 2025, 2024.
        s.cycle_year(&data, today(), true);
        assert_eq!(s.year, Some(2024));
        s.cycle_year(&data, today(), true);
        assert_eq!(s.year, Some(2026));
        s.cycle_year(&data, today(), false);
        assert_eq!(s.year, Some(2024));
        // Without a choice yet, cycling starts from the default.
        let mut fresh = ProfilePaneState::default();
        fresh.cycle_year(&data, today(), false);
        assert_eq!(fresh.year, Some(2026));
    }

    #[test]
    fn yes_and_no_are_words_coloured_by_the_theme() {
        let data = loaded(GUTIERREZ);
        let mut state = settled(&data);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| render_profile(f, f.area(), &data, &mut state, &[], &Theme::default()))
            .unwrap();
        let buf = terminal.backend().buffer();
        let find = |label: &str| -> (u16, u16) {
            for y in 0..buf.area.height {
                let row: String = (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect();
                if let Some(col) = row.find(label) {
                    let col = row[..col].chars().count() + label.chars().count();
                    return (col as u16, y);
                }
            }
            panic!("{label} not drawn");
        };
        let (x, y) = find("Account Enabled: ");
        assert_eq!(buf[(x, y)].symbol(), "Y");
        assert_eq!(buf[(x, y)].fg, Theme::default().yes().fg.unwrap());
        let (x, y) = find("Learner: ");
        assert_eq!(buf[(x, y)].symbol(), "N");
        assert_eq!(buf[(x, y)].fg, Theme::default().no().fg.unwrap());
    }

    #[test]
    fn wrap_breaks_at_spaces_and_indents_continuations() {
        let lines = wrap(&[Line::from("alpha beta gamma delta")], 11);
        let rows: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(rows, ["alpha beta", "  gamma", "  delta"]);
        let rows: Vec<String> = wrap(&[Line::from("abcdefghij")], 4)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(rows, ["abcd", "  ef", "  gh", "  ij"]);
        assert_eq!(wrap(&[Line::from("")], 10).len(), 1);
        let rows: Vec<String> = wrap(&[Line::from("    2025 Long Course")], 14)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(rows, ["    2025 Long", "      Course"]);
    }
}
