//! The Calendar's All Events filters (`f`): the five kinds of the web client's filters
//! (FE `packages/ilios-common/addon/components/dashboard/calendar-filters.gjs`) as checkable
//! lists, one kind shown at a time. Every check is sent to the pane at once (the web client
//! filters as a box is ticked); `c` clears them all.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::keymap::{Command, Keymap, Scope};
use crate::domain::Loadable;
use crate::domain::calendar_filters::{CalendarFilters, FilterKind, FilterOption, FilterOptions};
use crate::ui::Theme;

use super::step::Step;

#[derive(Debug)]
pub struct FiltersDialog {
    /// The school's choices (loading until they arrive).
    pub options: Loadable<FilterOptions>,
    /// What is checked (a copy of the pane's, sent back on each change).
    pub filters: CalendarFilters,
    kind: usize,
    selected: usize,
}

impl FiltersDialog {
    pub fn new(options: Loadable<FilterOptions>, filters: CalendarFilters) -> FiltersDialog {
        FiltersDialog {
            options,
            filters,
            kind: 0,
            selected: 0,
        }
    }

    pub fn kind(&self) -> FilterKind {
        FilterKind::ALL[self.kind % FilterKind::ALL.len()]
    }

    fn choices(&self) -> Vec<FilterOption> {
        self.options
            .ready()
            .map(|o| o.of(self.kind()))
            .unwrap_or_default()
    }

    pub fn key(&mut self, key: KeyEvent, keymap: &Keymap) -> Step {
        let n = self.choices().len();
        let kinds = FilterKind::ALL.len();
        match keymap.lookup_in_any_modifier(&key, Scope::CalendarFilters) {
            Some(Command::Down) if n > 0 => self.selected = (self.selected + 1).min(n - 1),
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::NextField) => {
                self.kind = (self.kind + 1) % kinds;
                self.selected = 0;
            }
            Some(Command::PrevLink) => {
                self.kind = (self.kind + kinds - 1) % kinds;
                self.selected = 0;
            }
            Some(Command::ToggleChoice) => {
                if let Some(choice) = self.choices().get(self.selected) {
                    self.filters.toggle(self.kind(), choice.id);
                    return Step::CalendarFilters(self.filters.clone());
                }
            }
            Some(Command::ClearFilters) => {
                self.filters.clear();
                return Step::CalendarFilters(self.filters.clone());
            }
            Some(Command::Close) => return Step::Close,
            _ => {}
        }
        Step::Stay
    }

    /// Centred in `body`: the kinds as tabs (with their count checked), then the shown kind's
    /// choices (`[x] Lecture`), a course's year or a term's vocabulary as a heading.
    pub fn draw(&self, frame: &mut Frame, body: Rect, theme: &Theme) {
        let width = body.width.saturating_sub(4).min(64);
        let height = body.height.saturating_sub(2).min(20);
        let rect = Rect {
            x: body.x + (body.width.saturating_sub(width)) / 2,
            y: body.y + (body.height.saturating_sub(height)) / 2,
            width,
            height,
        };
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(Span::styled(" Filters (All Events) ", theme.title()));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let mut lines = vec![self.tabs(theme), Line::raw("")];
        let rows = usize::from(inner.height.saturating_sub(3));
        match &self.options {
            Loadable::Loading => {
                lines.push(Line::styled("Loading the school's lists…", theme.dim()))
            }
            Loadable::Failed(why) => lines.push(Line::styled(why.clone(), theme.alert())),
            Loadable::Ready(_) => {
                lines.extend(self.choice_lines(rows, usize::from(inner.width), theme))
            }
        }
        let hint = "Space check · Tab next kind · c clear · Esc close";
        while lines.len() + 1 < usize::from(inner.height) {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            crate::ui::text::fit(hint, usize::from(inner.width)),
            theme.dim(),
        ));
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn tabs(&self, theme: &Theme) -> Line<'static> {
        let mut spans = Vec::new();
        for (i, kind) in FilterKind::ALL.iter().enumerate() {
            let count = self.filters.of(*kind).len();
            let label = if count > 0 {
                format!(" {} ({count}) ", kind.title())
            } else {
                format!(" {} ", kind.title())
            };
            let style = if i == self.kind % FilterKind::ALL.len() {
                theme.selected()
            } else {
                theme.text()
            };
            spans.push(Span::styled(label, style));
        }
        Line::from(spans)
    }

    /// The choices around the selected one, `rows` lines at most (headings included).
    fn choice_lines(&self, rows: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let choices = self.choices();
        if choices.is_empty() {
            return vec![Line::styled("None", theme.dim())];
        }
        let mut all: Vec<(Option<usize>, String)> = Vec::new();
        let mut group: Option<&str> = None;
        for (i, c) in choices.iter().enumerate() {
            if c.group.as_deref() != group {
                group = c.group.as_deref();
                if let Some(g) = group {
                    all.push((None, g.to_string()));
                }
            }
            let mark = if self.filters.is_checked(self.kind(), c.id) {
                "[x]"
            } else {
                "[ ]"
            };
            all.push((Some(i), format!("  {mark} {}", c.label)));
        }
        let at = all
            .iter()
            .position(|(i, _)| *i == Some(self.selected.min(choices.len() - 1)))
            .unwrap_or(0);
        let first = (at + 1).saturating_sub(rows.max(1));
        all.into_iter()
            .skip(first)
            .take(rows.max(1))
            .map(|(i, text)| {
                let text = crate::ui::text::fit(&text, width);
                match i {
                    None => Line::styled(text, theme.label()),
                    Some(i) if i == self.selected => Line::styled(text, theme.selected()),
                    Some(_) => Line::styled(text, theme.text()),
                }
            })
            .collect()
    }
}
