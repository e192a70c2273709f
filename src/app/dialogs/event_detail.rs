//! The event detail popup (Enter on an event): links to select and copy, scrolling.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::action::Effect;
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
        fx: &mut Vec<Effect>,
    ) -> Step {
        let detail = &mut self.detail;
        let Some(event) = event else {
            return Step::Close; // the week changed under the popup
        };
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => return Step::Close,
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => detail.next_link(event),
            KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => detail.prev_link(),
            KeyCode::PageDown => detail.scroll_by(10),
            KeyCode::PageUp => detail.scroll_by(-10),
            KeyCode::Char('c') => match detail_links(event).get(detail.selected_link) {
                Some(link) => fx.push(Effect::Copy {
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
