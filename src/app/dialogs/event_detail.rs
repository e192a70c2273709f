//! The event detail popup (Enter on an event): links to select and copy, scrolling.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::action::Effect;
use crate::app::keymap::{Command, Keymap, Scope};
use crate::domain::week::{GlanceEvent, TimeFormat};
use crate::ui::Theme;
use crate::ui::week::{DetailState, detail_links, render_event_detail};
use crate::ui::widgets::flash::FlashKind;

use super::step::Step;

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
    /// the popup (it closes).
    pub fn key(
        &mut self,
        key: KeyEvent,
        event: Option<&GlanceEvent>,
        keymap: &Keymap,
        fx: &mut Vec<Effect>,
    ) -> Step {
        let detail = &mut self.detail;
        let Some(event) = event else {
            return Step::Close; // the week changed under the popup
        };
        match keymap.lookup_in_any_modifier(&key, Scope::EventDetail) {
            Some(Command::Close) => return Step::Close,
            Some(Command::NextLink) => detail.next_link(event),
            Some(Command::PrevLink) => detail.prev_link(),
            Some(Command::PageDown) => detail.scroll_by(10),
            Some(Command::PageUp) => detail.scroll_by(-10),
            Some(Command::Copy) => match detail_links(event).get(detail.selected_link) {
                Some(link) => fx.push(Effect::Copy {
                    through_terminal: false,
                    what: "link",
                    text: zeroize::Zeroizing::new(link.clone()),
                }),
                None => {
                    return Step::Flash(
                        FlashKind::Warning,
                        "This event has no link to copy.".into(),
                    );
                }
            },
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
        theme: &Theme,
    ) {
        if let Some(event) = event {
            render_event_detail(frame.buffer_mut(), area, event, &mut self.detail, tf, theme);
        }
    }
}
