//! A modal yes/cancel dialog drawn over the pane: the area under it is cleared, the box is centred
//! and fits 80x24. Stateless: the dialog's state and keys live in `app::dialogs::confirm`.

use crate::ui::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfirmFocus {
    Yes,
    #[default]
    Cancel,
}

/// What the dialog says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmDialog<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub yes: &'a str,
    pub cancel: &'a str,
    /// Shown instead of the buttons while busy, e.g. "Invalidating tokens ...".
    pub busy_text: &'a str,
}

impl ConfirmDialog<'static> {
    /// The Ilios "Invalidate All Tokens" dialog.
    pub const INVALIDATE_TOKENS: ConfirmDialog<'static> = ConfirmDialog {
        title: "Invalidate All Tokens",
        text: "This will invalidate all existing API tokens and you will need to generate new ones \
               for any applications you have. Are you sure you want to do this?",
        yes: "Yes",
        cancel: "Cancel",
        busy_text: "Invalidating tokens ...",
    };
}

impl ConfirmDialog<'_> {
    /// Draw the dialog centred over `area`, clearing what is under it.
    /// `focus` is the highlighted button; while `busy`, `busy_text` replaces the buttons.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        focus: ConfirmFocus,
        busy: bool,
        theme: &Theme,
    ) {
        let width = area.width.min(60);
        let inner_width = width.saturating_sub(4).max(1) as usize;
        let text = wrap(self.text, inner_width);
        // border, text, blank, buttons, blank, hint, border
        let height = (text.len() as u16 + 6).min(area.height);
        let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
        frame.render_widget(Clear, popup);

        let mut lines: Vec<Line> = text
            .into_iter()
            .map(|l| Line::styled(l, theme.text()))
            .collect();
        lines.push(Line::default());
        if busy {
            lines.push(Line::styled(self.busy_text.to_string(), theme.warning()));
            lines.push(Line::default());
            lines.push(Line::styled("Please wait", theme.dim()));
        } else {
            let button = |label: &str, focused: bool| {
                let style = if focused {
                    theme.selected()
                } else {
                    theme.text()
                };
                Span::styled(format!("[ {label} ]"), style)
            };
            lines.push(Line::from(vec![
                button(self.yes, focus == ConfirmFocus::Yes),
                Span::raw("  "),
                button(self.cancel, focus == ConfirmFocus::Cancel),
            ]));
            lines.push(Line::default());
            lines.push(Line::styled(
                "y yes · n/Esc cancel · Tab move · Enter choose",
                theme.dim(),
            ));
        }
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(format!(" {} ", self.title), theme.title()))
            .padding(ratatui::widgets::Padding::horizontal(1));
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

/// Greedy word wrap to `width` columns; a word longer than the width is split between grapheme
/// clusters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::ui::text::wrap(text, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;

    #[test]
    fn wrap_words_and_long_words() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), Vec::<String>::new());
    }

    fn draw(focus: ConfirmFocus, busy: bool) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                // Something under the dialog, to show it is cleared.
                let under = "My Profile pane text that the dialog covers. ".repeat(40);
                frame.render_widget(
                    Paragraph::new(under).wrap(ratatui::widgets::Wrap { trim: true }),
                    area,
                );
                ConfirmDialog::INVALIDATE_TOKENS.render(
                    frame,
                    area,
                    focus,
                    busy,
                    &Theme::default(),
                );
            })
            .unwrap();
        terminal
    }

    #[test]
    fn snapshot_idle() {
        let t = draw(ConfirmFocus::Cancel, false);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn snapshot_busy() {
        let t = draw(ConfirmFocus::Yes, true);
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn focused_button_is_reversed() {
        let t = draw(ConfirmFocus::Cancel, false);
        let buf = t.backend().buffer();
        let find = |needle: &str| {
            (0..buf.area.height)
                .find_map(|y| {
                    let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
                    row.find(needle)
                        .map(|b| (row[..b].chars().count() as u16, y))
                })
                .unwrap()
        };
        let (x, y) = find("[ Cancel ]");
        assert!(buf[(x + 2, y)].modifier.contains(Modifier::REVERSED));
        let (x, y) = find("[ Yes ]");
        assert!(!buf[(x + 2, y)].modifier.contains(Modifier::REVERSED));
    }
}
