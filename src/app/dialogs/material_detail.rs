//! The detail of a My Materials row (Enter on a row): links to select and copy, the status to
//! move on with `x`/Space (the same write as the table's), scrolling. It keeps a copy of the
//! row, so a reload of the table under it changes nothing here.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::action::Effect;
use crate::app::keymap::{Command, Keymap, Scope};
use crate::app::material_status::MaterialStatusBook;
use crate::domain::materials::MaterialRow;
use crate::ui::Theme;
use crate::ui::material_detail::{MaterialDetailState, material_links, render_material_detail};
use crate::ui::widgets::flash::FlashKind;

use super::step::Step;

#[derive(Debug)]
pub struct MaterialDetail {
    pub row: MaterialRow,
    pub state: MaterialDetailState,
}

impl MaterialDetail {
    pub fn new(row: MaterialRow) -> MaterialDetail {
        MaterialDetail {
            row,
            state: MaterialDetailState::default(),
        }
    }

    /// The event detail's keys (`Scope::EventDetail`), on this material.
    pub fn key(
        &mut self,
        key: KeyEvent,
        book: &MaterialStatusBook,
        keymap: &Keymap,
        fx: &mut Vec<Effect>,
    ) -> Step {
        let info = |text: &str| Step::Flash(FlashKind::Info, text.to_string());
        match keymap.lookup_in_any_modifier(&key, Scope::EventDetail) {
            Some(Command::Close) => return Step::Close,
            Some(Command::NextLink) => self.state.next(material_links(&self.row).len()),
            Some(Command::PrevLink) => self.state.prev(),
            Some(Command::PageDown) => self.state.scroll_by(10),
            Some(Command::PageUp) => self.state.scroll_by(-10),
            Some(Command::Copy) => match material_links(&self.row).get(self.state.selected) {
                Some(link) => fx.push(Effect::Copy {
                    through_terminal: false,
                    what: "link",
                    text: zeroize::Zeroizing::new(link.uri.clone()),
                }),
                None => {
                    return Step::Flash(
                        FlashKind::Warning,
                        "This material has no link to copy.".into(),
                    );
                }
            },
            Some(Command::CycleStatus) => {
                return match self.row.session_learning_material {
                    _ if book.shown().is_none() => info(
                        "No statuses are shown: this Ilios server keeps none, or they have not loaded (r).",
                    ),
                    None => info("A course material has no status."),
                    Some(m) if book.is_saving(m) => {
                        info("This material's last change is still being saved.")
                    }
                    Some(m) => Step::CycleStatus(m),
                };
            }
            _ => {}
        }
        Step::Stay
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        book: &MaterialStatusBook,
        theme: &Theme,
    ) {
        let status = self.row.session_learning_material.and_then(|m| book.of(m));
        render_material_detail(
            frame.buffer_mut(),
            area,
            &self.row,
            status,
            &mut self.state,
            theme,
        );
    }
}
