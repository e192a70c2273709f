//! Stateless pieces of the frame: the [`Screen`] the app draws, the last scrub before the
//! terminal, the too-small notice, popups and truncation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::Theme;

/// What the terminal shows: the app implements it (`ui` never names the app).
pub trait Screen {
    fn draw(&mut self, frame: &mut Frame);
}

/// Draws a whole screen.
pub fn draw(frame: &mut Frame, screen: &mut impl Screen) {
    screen.draw(frame);
}

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// The last guard before the terminal: whatever widget drew server text, no cell may hold a
/// control or bidi character (ratatui drops C0/C1 controls; bidi overrides it keeps).
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if cell
            .symbol()
            .chars()
            .any(|c| crate::text::is_unsafe(c, false))
        {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|c| !crate::text::is_unsafe(*c, false))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

/// For a terminal whose locale is not UTF-8 (`LANG=C`): every cell in ASCII. Lines and corners
/// become `-`, `|` and `+`, arrows and marks their ASCII look-alikes, anything else `?` (a wide
/// character's second cell a space), so no byte above 0x7F reaches the terminal.
pub fn to_ascii(buf: &mut ratatui::buffer::Buffer) {
    let width = usize::from(buf.area.width.max(1));
    let mut pad = 0;
    for (i, cell) in buf.content.iter_mut().enumerate() {
        if i % width == 0 {
            pad = 0; // a wide character never spills onto the next row
        }
        if pad > 0 {
            pad -= 1;
            cell.set_symbol(" ");
            continue;
        }
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        pad = crate::ui::text::width(symbol).saturating_sub(1);
        cell.set_symbol(ascii_for(symbol));
    }
}

fn ascii_for(symbol: &str) -> &'static str {
    match symbol.chars().next().unwrap_or(' ') {
        '─' | '━' | '═' | '╌' | '┄' | '—' | '–' | '‐' => "-",
        '│' | '┃' | '║' | '╎' | '┆' | '▌' | '▐' => "|",
        '╭' | '╮' | '╰' | '╯' | '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╔' | '╗'
        | '╚' | '╝' => "+",
        '▸' | '▶' | '→' | '›' | '»' => ">",
        '◂' | '◀' | '←' | '‹' | '«' => "<",
        '▾' | '▼' | '↓' => "v",
        '▴' | '▲' | '↑' => "^",
        '…' => ".",
        '·' | '•' | '●' => "*",
        '“' | '”' | '„' => "\"",
        '‘' | '’' | '‚' => "'",
        '\u{a0}' => " ",
        _ => "?",
    }
}

/// Short enough to be read whole in 20x5: what is wrong, what is needed, how to leave.
pub fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled(
            format!("Too small: {}x{}", area.width, area.height),
            theme.alert(),
        ),
        Line::from(format!("Needs {MIN_WIDTH}x{MIN_HEIGHT}.")),
        Line::from("Enlarge, or q quits."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// `text` cut to `width` columns between grapheme clusters, ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    crate::ui::text::fit(text, width)
}

/// A bordered box centred in `area`, cleared first so it reads over whatever is below.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let rect = area.centered(
        Constraint::Length(width.min(area.width)),
        Constraint::Length(height.min(area.height)),
    );
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

#[cfg(test)]
mod too_small_tests {
    use super::*;

    #[test]
    fn the_too_small_message_is_read_whole_in_20x5() {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(20, 5)).unwrap();
        terminal
            .draw(|f| draw_too_small(f, f.area(), &Theme::default()))
            .unwrap();
        let screen = terminal.backend().to_string();
        for line in ["Too small: 20x5", "Needs 50x12.", "Enlarge, or q quits."] {
            assert!(screen.contains(line), "{line:?} not whole in:\n{screen}");
        }
    }
}
