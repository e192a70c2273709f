//! My Materials' room: what the pane holds (the range, the loaded rows, the statuses, the sort,
//! the course and text filters, the selection) and what its commands do to it. Drawing is
//! `ui::materials`; the derivations are `domain::materials`.
//!
//! The tab is `4`; `update.rs` sends `Effect::LoadMaterials` (the range's materials and, when the
//! server keeps them, the user's statuses) and `Effect::SaveMaterialStatus`, and hands their
//! answers here.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use crate::api::models::Id;
use crate::app::material_status::MaterialStatusBook;
use crate::domain::Loadable;
use crate::domain::materials::{
    CourseOption, Filters, MaterialRow, MaterialStatus, Range, Sort, SortColumn, Statuses,
    course_options, visible,
};
use crate::ui::Theme;
use crate::ui::materials::{MaterialsPaneState, MaterialsTable, render_materials};

/// A status change to send: a new record (`existing: None`) or an update of the user's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusWrite {
    pub existing: Option<Id>,
    /// The session learning material.
    pub material: Id,
    pub status: MaterialStatus,
    /// What it was, to put back if the server refuses.
    pub previous: MaterialStatus,
}

/// What `LoadMaterials` brings back.
#[derive(Debug)]
pub struct MaterialsAnswer {
    pub materials: Vec<crate::api::models::UserMaterial>,
    /// `None` when the server has material status off.
    pub statuses: Option<Vec<crate::api::materials::MaterialStatusRecord>>,
}

#[derive(Debug, Default)]
pub struct MaterialsView {
    /// The request whose answer counts (an older one's answer is dropped).
    pub seq: u64,
    /// Whether a request for the current range has gone out.
    pub requested: bool,
    /// Keys are typed into the filter line (`/` until Enter or Esc).
    pub filtering: bool,
    pub range: Range,
    pub rows: Loadable<Vec<MaterialRow>>,
    /// The server's `academicYearCrossesCalendarYearBoundaries` (course labels `2026 - 2027`).
    pub crosses_year: bool,
    pub sort: Sort,
    courses: Vec<CourseOption>,
    course: usize,
    /// The text filter line.
    pub filter: TextArea<'static>,
    /// Indices of the rows shown, in order (recomputed on every change of data or filters).
    shown: Vec<usize>,
    pub table: MaterialsPaneState,
}

impl MaterialsView {
    /// The rows arrived (or failed): the course options and the shown rows follow them. The
    /// chosen course stays chosen while it is still an option.
    pub fn loaded(&mut self, rows: Loadable<Vec<MaterialRow>>) {
        let chosen = self.course_id();
        self.rows = rows;
        let all = self.rows.ready().map_or(&[][..], Vec::as_slice);
        self.courses = course_options(all, self.crosses_year);
        self.course = self
            .courses
            .iter()
            .position(|c| c.id == chosen)
            .unwrap_or(0);
        self.refresh();
    }

    /// "Next 60 days" ↔ "All Materials"; the caller asks for the new range.
    pub fn toggle_range(&mut self) -> Range {
        self.range = match self.range {
            Range::Next60Days => Range::All,
            Range::All => Range::Next60Days,
        };
        self.loading();
        self.range
    }

    /// A request went out: nothing is shown until it answers (the old rows' indices would not
    /// match the new rows).
    pub fn loading(&mut self) {
        self.rows = Loadable::Loading;
        self.table.selected = 0;
        self.refresh();
    }

    /// The answer for request `seq`, turned into rows in `zone` at `now`; an older one is
    /// dropped. The statuses that came with it go into the app's one `book`.
    pub fn answer<Tz: chrono::TimeZone>(
        &mut self,
        seq: u64,
        result: Result<MaterialsAnswer, String>,
        book: &mut MaterialStatusBook,
        zone: &Tz,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        if seq != self.seq {
            return;
        }
        match result {
            Ok(answer) => {
                // Without them (the feature off, or they failed) the book keeps what it has.
                if let Some(records) = &answer.statuses {
                    book.load(Some(records), seq);
                }
                self.loaded(Loadable::Ready(crate::domain::materials::rows(
                    &answer.materials,
                    zone,
                    now,
                )));
            }
            Err(why) => self.loaded(Loadable::Failed(why)),
        }
    }

    /// A command of the pane's scope (the status cycle and the range are the caller's, since
    /// they send requests).
    pub fn command(&mut self, command: crate::app::keymap::Command) {
        use crate::app::keymap::Command;
        let shown = self.shown.len();
        match command {
            Command::Down => {
                self.table.selected = (self.table.selected + 1).min(shown.saturating_sub(1))
            }
            Command::Up => self.table.selected = self.table.selected.saturating_sub(1),
            Command::PageDown => {
                self.table.selected = (self.table.selected + 10).min(shown.saturating_sub(1))
            }
            Command::PageUp => self.table.selected = self.table.selected.saturating_sub(10),
            Command::Top => self.table.selected = 0,
            Command::Bottom => self.table.selected = shown.saturating_sub(1),
            Command::NextSortColumn => {
                let next = match self.sort.column {
                    SortColumn::Title => SortColumn::Session,
                    SortColumn::Session => SortColumn::Course,
                    SortColumn::Course => SortColumn::Date,
                    SortColumn::Date => SortColumn::Title,
                };
                self.sort_by(next);
            }
            Command::ReverseSort => self.sort_by(self.sort.column),
            Command::NextCourse => self.cycle_course(true),
            Command::PrevCourse => self.cycle_course(false),
            Command::EditFilter => self.filtering = true,
            _ => {}
        }
    }

    pub fn sort_by(&mut self, column: SortColumn) {
        self.sort = self.sort.toggle(column);
        self.refresh();
    }

    /// The next (or previous) course option, "All Courses" first; back to the top of the list.
    pub fn cycle_course(&mut self, forward: bool) {
        let n = self.courses.len().max(1);
        self.course = if forward {
            (self.course + 1) % n
        } else {
            (self.course + n - 1) % n
        };
        self.table.selected = 0;
        self.refresh();
    }

    pub fn course_id(&self) -> Option<Id> {
        self.courses.get(self.course).and_then(|c| c.id)
    }

    pub fn course_label(&self) -> &str {
        self.courses
            .get(self.course)
            .map_or(crate::domain::materials::ALL_COURSES, |c| c.label.as_str())
    }

    /// A key typed into the filter line (one line: Enter is not taken).
    pub fn filter_key(&mut self, key: KeyEvent) {
        if key.code == crossterm::event::KeyCode::Enter {
            return;
        }
        if self.filter.input(key) {
            self.table.selected = 0;
            self.refresh();
        }
    }

    /// Pasted text goes into the filter line (controls already removed).
    pub fn paste(&mut self, text: &str) {
        self.filter.insert_str(text);
        self.table.selected = 0;
        self.refresh();
    }

    pub fn filter_text(&self) -> String {
        self.filter.lines().concat()
    }

    fn refresh(&mut self) {
        let filters = Filters {
            course: self.course_id(),
            text: self.filter_text(),
        };
        self.shown = match self.rows.ready() {
            Some(rows) => visible(rows, &filters, self.sort),
            None => Vec::new(),
        };
    }

    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    pub fn selected_row(&self) -> Option<&MaterialRow> {
        let i = *self.shown.get(self.table.selected)?;
        self.rows.ready()?.get(i)
    }

    /// Space (or x) on the selected row: its status moves on at once in the `book` (the web
    /// client shows the new state while it saves), and the write to send is returned. Nothing
    /// for a course material, when the server has material status off, or while this
    /// material's last change is still being saved.
    pub fn cycle_status(&self, book: &mut MaterialStatusBook) -> Option<StatusWrite> {
        book.cycle(self.selected_row()?.session_learning_material?)
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        book: &MaterialStatusBook,
        theme: &Theme,
    ) {
        let empty = Vec::new();
        let rows = self.rows.ready().unwrap_or(&empty);
        let filter = self.filter_text();
        let no_statuses = Statuses::default();
        let table = MaterialsTable {
            rows,
            shown: &self.shown,
            statuses: book.shown().unwrap_or(&no_statuses),
            status_enabled: book.shown().is_some(),
            range: self.range,
            sort: self.sort,
            course: self.course_label(),
            filter: &filter,
        };
        let mut state = self.table;
        render_materials(frame, area, &table, &mut state, theme);
        self.table = state;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::UserMaterial;
    use crate::domain::materials::rows;
    use chrono::{DateTime, Utc};
    use crossterm::event::{KeyCode, KeyModifiers};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn view() -> MaterialsView {
        let v = serde_json::json!([
            {"id": "1", "sessionLearningMaterial": "10", "course": "1", "title": "Slides",
             "sessionTitle": "Geroscience", "courseTitle": "Aging", "courseYear": 2027,
             "firstOfferingDate": "2027-02-22T16:10:00+00:00", "instructors": ["Larry West"]},
            {"id": "9", "courseLearningMaterial": "1", "course": "1", "title": "Syllabus",
             "courseTitle": "Aging", "courseYear": 2027, "firstOfferingDate": "2027-01-18T08:00:00+00:00"},
            {"id": "10", "sessionLearningMaterial": "20", "course": "2", "title": "Checklist",
             "sessionTitle": "Skills", "courseTitle": "Clinical Skills", "courseYear": 2027,
             "firstOfferingDate": "2027-02-23T21:00:00+00:00"}
        ]);
        let materials: Vec<UserMaterial> = serde_json::from_value(v).unwrap();
        let mut view = MaterialsView::default();
        view.loaded(Loadable::Ready(rows(&materials, &chrono_tz::UTC, now())));
        view
    }

    fn titles(v: &MaterialsView) -> Vec<String> {
        let rows = v.rows.ready().unwrap();
        v.shown().iter().map(|&i| rows[i].title.clone()).collect()
    }

    #[test]
    fn date_descending_then_the_sort_keys() {
        let mut v = view();
        assert_eq!(titles(&v), ["Checklist", "Slides", "Syllabus"]);
        v.sort_by(SortColumn::Title);
        assert_eq!(titles(&v), ["Checklist", "Slides", "Syllabus"]);
        v.sort_by(SortColumn::Title);
        assert_eq!(titles(&v), ["Syllabus", "Slides", "Checklist"]);
    }

    #[test]
    fn course_cycle_and_text_filter() {
        let mut v = view();
        assert_eq!(v.course_label(), "All Courses");
        v.cycle_course(true);
        assert_eq!(v.course_label(), "2027 | Aging");
        assert_eq!(titles(&v), ["Slides", "Syllabus"]);
        v.cycle_course(false);
        for c in "LARRY".chars() {
            v.filter_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(titles(&v), ["Slides"]);
        // The chosen course survives a reload that still has it.
        v.cycle_course(true);
        let rows = v.rows.clone();
        v.loaded(rows);
        assert_eq!(v.course_id(), Some(1));
    }

    #[test]
    fn space_cycles_the_selected_session_material_and_a_refusal_puts_it_back() {
        use crate::api::materials::MaterialStatusRecord;
        let v = view();
        let mut book = MaterialStatusBook::default();
        let record = |id, material, status| MaterialStatusRecord {
            id,
            user: 2,
            material,
            status,
        };
        book.load(Some(&[record(5, 20, 2)]), 1);
        // Checklist: complete (record 5) → not started, an update of record 5.
        let w = v.cycle_status(&mut book).unwrap();
        assert_eq!(
            w,
            StatusWrite {
                existing: Some(5),
                material: 20,
                status: MaterialStatus::NotStarted,
                previous: MaterialStatus::Complete,
            }
        );
        book.failed(w, 2);
        assert_eq!(book.of(20), Some(MaterialStatus::Complete));
        // Slides has no record yet: a new one, in progress.
        let mut v = v;
        v.table.selected = 1;
        let w = v.cycle_status(&mut book).unwrap();
        assert_eq!((w.existing, w.status), (None, MaterialStatus::InProgress));
        book.saved(&record(7, 10, 1), 3);
        assert_eq!(book.shown().unwrap().record_of(10), Some(7));
        // The syllabus is a course material: no status.
        v.table.selected = 2;
        assert_eq!(v.cycle_status(&mut book), None);
    }

    /// A timed-release material not yet open keeps its box in My Materials and x/Space moves it
    /// on, as in the web client: ilios/frontend
    /// `packages/ilios-common/addon/components/dashboard/material-list-item.gjs` draws
    /// `<UserMaterialStatus @learningMaterial={{@lm}} />` on every row, outside its
    /// `{{#if @lm.isBlanked}}`, and not disabled (`user-material-status.gjs` shows it for any
    /// session material). Only the Week at a Glance leaves it out
    /// (`week-glance/learning-material-list-item.gjs` draws the box in the `{{else}}` branch).
    #[test]
    fn a_timed_release_row_keeps_its_box_and_cycles_as_in_the_web_client() {
        let v = serde_json::json!([
            {"id": "5", "sessionLearningMaterial": "30", "course": "1", "title": "Answers",
             "sessionTitle": "Frontiers", "courseTitle": "Aging", "courseYear": 2027,
             "firstOfferingDate": "2027-02-22T16:10:00+00:00",
             "startDate": "2027-03-01T17:00:00+00:00", "isBlanked": true}
        ]);
        let materials: Vec<UserMaterial> = serde_json::from_value(v).unwrap();
        let mut view = MaterialsView::default();
        view.loaded(Loadable::Ready(rows(&materials, &chrono_tz::UTC, now())));
        let row = view.selected_row().unwrap();
        assert!(row.blanked);
        let mut book = MaterialStatusBook::default();
        book.load(Some(&[]), 1);
        let statuses = book.shown().unwrap();
        assert_eq!(statuses.of(row, true), Some(MaterialStatus::NotStarted));
        let w = view.cycle_status(&mut book).unwrap();
        assert_eq!(
            (w.existing, w.material, w.status),
            (None, 30, MaterialStatus::InProgress)
        );
    }
}
