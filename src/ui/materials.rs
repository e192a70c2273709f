//! My Materials as a table (the web client's `dashboard/materials.gjs` and
//! `material-list-item.gjs`): the range toggle, the course and text filters, the header with the
//! sort mark, one line per material, and where the list stands. Only the rows in view are drawn,
//! so thousands of materials cost no more than a screenful.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::fit;
use super::week::status_box;
use crate::domain::materials::{MaterialRow, MaterialStatus, Range, Sort, SortColumn, Statuses};
use crate::text::sanitize_line;

/// Where the selection and the view stand (render state, like ratatui's `ListState`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MaterialsPaneState {
    /// Index into the shown rows.
    pub selected: usize,
    /// The first shown row in view.
    pub offset: usize,
    /// Rows that fit, recorded by the last draw (for paging).
    pub viewport: usize,
}

impl MaterialsPaneState {
    /// Moves the selection by `delta` rows within `len`, keeping it in view.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        let last = len.saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn page(&mut self, down: bool, len: usize) {
        let step = self.viewport.max(1) as isize;
        self.move_by(if down { step } else { -step }, len);
    }

    /// Keeps the selection inside `len` rows and inside the view of `height` rows.
    fn settle(&mut self, len: usize, height: usize) {
        self.viewport = height;
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height.max(1)));
    }
}

/// Everything the table shows, already derived (`domain::materials`).
pub struct MaterialsTable<'a> {
    pub rows: &'a [MaterialRow],
    /// Indices into `rows`, in display order (`domain::materials::visible`).
    pub shown: &'a [usize],
    /// The user's statuses: looked up only for the rows drawn (a table may hold thousands).
    pub statuses: &'a Statuses,
    /// The server's `materialStatusEnabled` (off: no checkboxes).
    pub status_enabled: bool,
    pub range: Range,
    pub sort: Sort,
    pub course: &'a str,
    pub filter: &'a str,
}

/// The checkbox (unchecked, indeterminate, checked), or nothing: the glance's and the
/// detail's own box ([`status_box`]), so every view draws a status alike in UTF-8 and in ASCII.
fn status_mark(status: Option<MaterialStatus>, ascii: bool) -> &'static str {
    status.map_or("", |s| status_box(s, ascii))
}

/// The columns at this width: wide screens show Session, Course and Instructor apart; narrow
/// ones one "Course :: Session" column and no instructors, as the web client's small screens.
struct Columns {
    status: usize,
    title: usize,
    session: usize,
    course: usize,
    instructor: usize,
    wide: bool,
}

fn columns(width: usize, status_enabled: bool) -> Columns {
    // "Status" whole, then the checkbox under it; the date is `MM/DD/YYYY` or "None".
    let status = if status_enabled { 7 } else { 0 };
    let date = 10;
    let rest = width.saturating_sub(status + date + 1);
    if width >= 100 {
        let title = rest * 2 / 5;
        let session = rest / 5;
        let course = rest / 5;
        Columns {
            status,
            title,
            session,
            course,
            instructor: rest - title - session - course,
            wide: true,
        }
    } else {
        let title = rest / 2;
        Columns {
            status,
            title,
            session: 0,
            course: rest - title,
            instructor: 0,
            wide: false,
        }
    }
}

fn cell(text: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let shown = fit(text, width.saturating_sub(1));
    let pad = width.saturating_sub(super::text::width(&shown));
    format!("{shown}{}", " ".repeat(pad))
}

fn header(t: &MaterialsTable, c: &Columns) -> String {
    let mark = |col: SortColumn, name: &str| {
        if t.sort.column == col {
            format!("{name} {}", if t.sort.descending { "▼" } else { "▲" })
        } else {
            name.to_string()
        }
    };
    let mut line = cell(if c.status > 0 { "Status" } else { "" }, c.status);
    line.push_str(&cell(&mark(SortColumn::Title, "Title"), c.title));
    if c.wide {
        line.push_str(&cell(&mark(SortColumn::Session, "Session"), c.session));
        line.push_str(&cell(&mark(SortColumn::Course, "Course"), c.course));
        line.push_str(&cell("Instructor", c.instructor));
    } else {
        line.push_str(&cell(
            &mark(SortColumn::Course, "Course :: Session"),
            c.course,
        ));
    }
    line.push_str(&mark(SortColumn::Date, "Date"));
    line
}

/// A row after its status cell: server text, to be sanitized.
fn row_line(r: &MaterialRow, c: &Columns) -> String {
    let mut line = cell(&r.title_cell(), c.title);
    let course = r.course_title.as_deref().unwrap_or("");
    if c.wide {
        line.push_str(&cell(r.session_title.as_deref().unwrap_or(""), c.session));
        line.push_str(&cell(course, c.course));
        line.push_str(&cell(&r.instructors_cell(), c.instructor));
    } else {
        let both = match &r.session_title {
            Some(s) => format!("{course} :: {s}"),
            None => course.to_string(),
        };
        line.push_str(&cell(&both, c.course));
    }
    line.push_str(&r.date);
    line
}

/// Draws the pane into `area` and records the view in `state`.
pub fn render_materials(
    frame: &mut Frame,
    area: Rect,
    table: &MaterialsTable,
    state: &mut MaterialsPaneState,
    theme: &Theme,
) {
    if area.width == 0 || area.height < 4 {
        return;
    }
    let width = usize::from(area.width);
    let toggle = |r: Range| {
        if r == table.range {
            Span::styled(format!("[{}]", r.label()), theme.selected())
        } else {
            Span::styled(format!(" {} ", r.label()), theme.dim())
        }
    };
    let mut lines: Vec<Line> = vec![
        Line::from(vec![
            Span::styled("My Materials  ", theme.title()),
            toggle(Range::Next60Days),
            Span::raw(" "),
            toggle(Range::All),
        ]),
        Line::from(vec![
            Span::styled("Course: ", theme.label()),
            Span::raw(fit(&sanitize_line(table.course), width / 2)),
            Span::styled("  Filter: ", theme.label()),
            Span::raw(sanitize_line(table.filter).into_owned()),
        ]),
    ];
    let body_height = usize::from(area.height).saturating_sub(4);
    let c = columns(width, table.status_enabled);
    if table.rows.is_empty() || table.shown.is_empty() {
        let empty = if table.rows.is_empty() {
            "None"
        } else {
            "No results found"
        };
        lines.push(Line::from(""));
        lines.push(Line::styled(empty, theme.dim()));
        state.settle(0, body_height);
    } else {
        lines.push(Line::styled(fit(&header(table, &c), width), theme.header()));
        state.settle(table.shown.len(), body_height);
        let end = (state.offset + body_height).min(table.shown.len());
        for pos in state.offset..end {
            let Some(r) = table.rows.get(table.shown[pos]) else {
                continue; // a stale index: drawn again once the rows and the list agree
            };
            let status = table.statuses.of(r, table.status_enabled);
            let style = if pos == state.selected {
                theme.selected()
            } else {
                Style::default()
            };
            // The box is ours; the rest is server text: one line each, every control shown as
            // an escape.
            let status_cell = cell(status_mark(status, theme.ascii), c.status);
            let rest = fit(
                &sanitize_line(&row_line(r, &c)),
                width.saturating_sub(c.status),
            );
            lines.push(Line::from(vec![Span::raw(status_cell), Span::raw(rest)]).style(style));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
    let total = table.shown.len();
    let footer = if total == 0 {
        String::new()
    } else {
        let last = (state.offset + body_height).min(total);
        format!("{}-{last} of {total}", state.offset + 1)
    };
    let foot = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&footer, width), theme.dim())),
        foot,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::UserMaterial;
    use crate::domain::materials::{Filters, Statuses, rows, visible};
    use chrono::{DateTime, Utc};
    use chrono_tz::America::Los_Angeles;
    use ratatui::{Terminal, backend::TestBackend};

    /// The pinned test clock (`tests/common`: 2027-02-17T10:00:00-08:00).
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn materials(weeks: i64) -> Vec<UserMaterial> {
        let mut out = Vec::new();
        for w in 0..weeks {
            let day = now() + chrono::Duration::days(5 + 7 * w);
            let date = day.to_rfc3339();
            let v = serde_json::json!([
                {"id": "1", "sessionLearningMaterial": (10 + w).to_string(), "session": "5", "course": "1",
                 "title": "Geroscience Lecture Slides", "mimetype": "application/pdf",
                 "absoluteFileUri": "https://ilios.example.edu/lm/abc", "sessionTitle": "Cutting Edge Geroscience",
                 "courseTitle": "Aging and End of Life", "courseExternalId": "AEOL-202", "courseYear": 2027,
                 "firstOfferingDate": date, "instructors": ["Larry West"], "isBlanked": false},
                {"id": "2", "sessionLearningMaterial": (100 + w).to_string(), "session": "5", "course": "1",
                 "title": "Hallmarks of Aging", "citation": "Cell. 2023;186(2):243-278.", "mimetype": "citation",
                 "sessionTitle": "Cutting Edge Geroscience", "courseTitle": "Aging and End of Life",
                 "courseYear": 2027, "firstOfferingDate": date, "instructors": ["Larry West"], "isBlanked": false},
                {"id": "5", "sessionLearningMaterial": (200 + w).to_string(), "session": "6", "course": "1",
                 "title": "Post-lecture Self Assessment Answers", "sessionTitle": "Frontiers In Medicine",
                 "courseTitle": "Aging and End of Life", "courseYear": 2027, "firstOfferingDate": date,
                 "startDate": "2027-03-01T17:00:00+00:00", "endDate": "2027-03-08T17:00:00+00:00",
                 "instructors": [], "isBlanked": true}
            ]);
            out.extend(serde_json::from_value::<Vec<UserMaterial>>(v).unwrap());
        }
        out.push(
            serde_json::from_value(serde_json::json!({"id": "9", "courseLearningMaterial": "1",
                "course": "1", "title": "Aging and End of Life Syllabus", "mimetype": "application/pdf",
                "absoluteFileUri": "https://ilios.example.edu/lm/s", "courseTitle": "Aging and End of Life",
                "courseYear": 2027, "firstOfferingDate": "2027-01-18T08:00:00+00:00",
                "instructors": [], "isBlanked": false}))
            .unwrap(),
        );
        out
    }

    fn draw(
        weeks: i64,
        w: u16,
        h: u16,
        state: &mut MaterialsPaneState,
        filter: &str,
    ) -> Terminal<TestBackend> {
        draw_in(weeks, w, h, state, filter, &Theme::MONO)
    }

    fn draw_in(
        weeks: i64,
        w: u16,
        h: u16,
        state: &mut MaterialsPaneState,
        filter: &str,
        theme: &Theme,
    ) -> Terminal<TestBackend> {
        let all = rows(&materials(weeks), &Los_Angeles, now());
        let filters = Filters {
            course: None,
            text: filter.into(),
        };
        let shown = visible(&all, &filters, Sort::default());
        let statuses = Statuses::new([(1, 10, 1), (2, 100, 2)]);
        let table = MaterialsTable {
            rows: &all,
            shown: &shown,
            statuses: &statuses,
            status_enabled: true,
            range: Range::Next60Days,
            sort: Sort::default(),
            course: "All Courses",
            filter,
        };
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| render_materials(f, f.area(), &table, state, theme))
            .unwrap();
        terminal
    }

    /// The screen's rows as text.
    fn screen_rows(t: &Terminal<TestBackend>) -> Vec<String> {
        let buf = t.backend().buffer();
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    #[test]
    fn status_boxes_are_the_glance_boxes_in_utf8_and_in_ascii() {
        // The one `status_box` and the one ASCII decision (the theme's, from the locale), so the
        // table, the glance and the event detail draw a status alike.
        for ascii in [false, true] {
            let theme = Theme {
                ascii,
                ..Theme::MONO
            };
            let t = draw_in(1, 120, 12, &mut MaterialsPaneState::default(), "", &theme);
            let rows = screen_rows(&t);
            for (title, status) in [
                ("Geroscience Lecture Slides", MaterialStatus::InProgress),
                ("Hallmarks of Aging", MaterialStatus::Complete),
                ("Post-lecture Self Asses", MaterialStatus::NotStarted),
            ] {
                let row = rows.iter().find(|r| r.contains(title)).unwrap();
                let expected = format!("{} ", status_box(status, ascii));
                assert!(row.starts_with(&expected), "{ascii}: {row:?}");
            }
            // The course material has no box: its cell is blank up to the title.
            let syllabus = rows.iter().find(|r| r.contains("Life Syllab")).unwrap();
            assert!(
                syllabus.starts_with("       PDF file: Aging"),
                "{syllabus:?}"
            );
        }
        assert_eq!(status_box(MaterialStatus::Complete, false), "☑");
        assert_eq!(status_box(MaterialStatus::Complete, true), "[x]");
    }

    #[test]
    fn materials_120x40() {
        let t = draw(3, 120, 40, &mut MaterialsPaneState::default(), "");
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn materials_80x24_scrolled_to_the_selection() {
        let mut state = MaterialsPaneState::default();
        draw(8, 80, 24, &mut state, "");
        state.move_by(30, 25);
        let t = draw(8, 80, 24, &mut state, "");
        assert_eq!(state.selected, 24);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn a_filter_with_no_match_says_so() {
        let t = draw(1, 80, 24, &mut MaterialsPaneState::default(), "zzz");
        let text = format!("{:?}", t.backend());
        assert!(text.contains("No results found"), "{text}");
    }

    #[test]
    fn server_text_cannot_reach_the_terminal_raw() {
        let mut hostile = materials(1);
        hostile[0].title = "Evil\x1b]52;c;aGk=\x07\nsecond line".into();
        let all = rows(&hostile, &Los_Angeles, now());
        let shown = visible(&all, &Filters::default(), Sort::default());
        let table = MaterialsTable {
            rows: &all,
            shown: &shown,
            statuses: &Statuses::default(),
            status_enabled: false,
            range: Range::All,
            sort: Sort::default(),
            course: "All Courses",
            filter: "",
        };
        let mut terminal = Terminal::new(TestBackend::new(120, 10)).unwrap();
        terminal
            .draw(|f| {
                render_materials(
                    f,
                    f.area(),
                    &table,
                    &mut MaterialsPaneState::default(),
                    &Theme::MONO,
                )
            })
            .unwrap();
        let text = format!("{:?}", terminal.backend());
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text}");
        assert!(text.contains("Evil\\x1b]52"), "{text}");
    }

    #[test]
    fn thousands_of_rows_draw_only_what_is_in_view() {
        // 3,001 rows; a page down moves by the 36 rows in view and draws those alone.
        let mut state = MaterialsPaneState::default();
        draw(1000, 120, 40, &mut state, "");
        state.page(true, 3001);
        let t = draw(1000, 120, 40, &mut state, "");
        assert_eq!((state.selected, state.offset, state.viewport), (36, 1, 36));
        assert!(format!("{:?}", t.backend()).contains("2-37 of 3001"));
    }
}
