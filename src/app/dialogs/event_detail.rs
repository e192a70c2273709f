//! The event detail popup (Enter on an event): links to select and copy, materials whose status
//! `x`/Space moves on, scrolling.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::action::Effect;
use crate::app::keymap::{Command, Keymap, Scope};
use crate::app::material_status::MaterialStatusBook;
use crate::domain::week::{GlanceEvent, TimeFormat};
use crate::ui::Theme;
use crate::ui::week::{DetailState, detail_stops, render_event_detail, selected_stop};
use crate::ui::widgets::flash::FlashKind;

use super::step::Step;

/// Said when the status of a pre-work material is to be changed in the popup.
pub const PREWORK_STATUS_FIXED: &str = "A pre-work material's status cannot be changed here, \
     as in Ilios; My Materials can change it.";

#[derive(Debug)]
pub struct EventDetail {
    /// The event in the shown week's glance.
    pub index: usize,
    pub detail: DetailState,
}

impl EventDetail {
    pub fn new(index: usize) -> EventDetail {
        EventDetail {
            index,
            detail: DetailState::default(),
        }
    }

    /// `event` is the one at `index` in the week on screen; `None` when the week changed under
    /// the popup (it closes). `book` holds the user's material statuses (read only: a change
    /// comes back as [`Step::CycleStatus`]).
    pub fn key(
        &mut self,
        key: KeyEvent,
        event: Option<&GlanceEvent>,
        book: &MaterialStatusBook,
        keymap: &Keymap,
        fx: &mut Vec<Effect>,
    ) -> Step {
        let detail = &mut self.detail;
        let Some(event) = event else {
            return Step::Close; // the week changed under the popup
        };
        match keymap.lookup_in_any_modifier(&key, Scope::EventDetail) {
            Some(Command::Close) => return Step::Close,
            Some(Command::NextLink) => detail.next(detail_stops(event).len()),
            Some(Command::PrevLink) => detail.prev(),
            Some(Command::PageDown) => detail.scroll_by(10),
            Some(Command::PageUp) => detail.scroll_by(-10),
            Some(Command::Copy) => match selected_stop(detail, event).and_then(|s| s.link) {
                Some(link) => fx.push(Effect::Copy {
                    through_terminal: false,
                    what: "link",
                    text: zeroize::Zeroizing::new(link),
                }),
                None => {
                    return Step::Flash(
                        FlashKind::Warning,
                        "This has no link to copy; j/k select another line.".into(),
                    );
                }
            },
            Some(Command::CycleStatus) => return status_step(detail, event, book),
            _ => {}
        }
        Step::Stay
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        event: Option<&GlanceEvent>,
        tf: TimeFormat,
        book: &MaterialStatusBook,
        theme: &Theme,
    ) {
        if let Some(event) = event {
            render_event_detail(
                frame.buffer_mut(),
                area,
                event,
                &mut self.detail,
                tf,
                book.shown(),
                theme,
            );
        }
    }
}

/// `x`/Space: the selected material's status moves on (as a click on Ilios's box), unless there
/// is no box to click, it is a pre-work material's (Ilios draws that box disabled,
/// `week-glance/learning-material-list-item.gjs`), or its last change is still being saved.
fn status_step(detail: &mut DetailState, event: &GlanceEvent, book: &MaterialStatusBook) -> Step {
    let info = |text: &str| Step::Flash(FlashKind::Info, text.to_string());
    if book.shown().is_none() {
        return info(
            "No statuses are shown: this Ilios server keeps none, or they have not loaded (r).",
        );
    }
    let Some(at) = selected_stop(detail, event).and_then(|s| s.material) else {
        return info("Select a learning material (j/k) to change its status.");
    };
    if at.is_prework() {
        return info(PREWORK_STATUS_FIXED);
    }
    match at.of(event).and_then(|m| m.session_material) {
        Some(material) if book.is_saving(material) => {
            info("This material's last change is still being saved.")
        }
        Some(material) => {
            // The box that changes is shown changing.
            detail.reveal();
            Step::CycleStatus(material)
        }
        None => info("This material has no status."),
    }
}
