//! Styles. The default works with 16 colours; with `NO_COLOR` (or `theme = "mono"`) every style
//! keeps only its modifiers, so selection, focus and "today" stay visible without colour.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    /// No colours at all: only bold, reverse, underline, dim.
    pub mono: bool,
    /// The locale is not UTF-8 (`LANG=C`): every cell is drawn in ASCII.
    pub ascii: bool,
}

impl Theme {
    pub const MONO: Theme = Theme {
        mono: true,
        ascii: false,
    };

    /// Whether the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`, the first that is set) is a
    /// UTF-8 one; with none set it is POSIX's "C", which is not.
    pub fn utf8_locale(var: impl Fn(&str) -> Option<String>) -> bool {
        ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|k| var(k).filter(|v| !v.is_empty()))
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("utf-8") || v.contains("utf8")
            })
    }

    fn paint(&self, fg: Color, modifiers: Modifier) -> Style {
        let style = Style::new().add_modifier(modifiers);
        if self.mono { style } else { style.fg(fg) }
    }

    /// Pane and box titles.
    pub fn title(&self) -> Style {
        self.paint(Color::Cyan, Modifier::BOLD)
    }
    /// Section headings inside a pane (weekday names, "Permissions").
    pub fn heading(&self) -> Style {
        self.paint(Color::Blue, Modifier::BOLD)
    }
    /// Field labels such as `Student:`.
    pub fn label(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn text(&self) -> Style {
        Style::new()
    }
    pub fn yes(&self) -> Style {
        self.paint(Color::Green, Modifier::empty())
    }
    pub fn no(&self) -> Style {
        self.paint(Color::Red, Modifier::empty())
    }
    /// Secondary text: durations, hints, disabled calendar days.
    pub fn dim(&self) -> Style {
        self.paint(Color::DarkGray, Modifier::DIM)
    }
    /// The focused item: reversed, so it shows without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn link(&self) -> Style {
        self.paint(Color::Cyan, Modifier::UNDERLINED)
    }
    pub fn success(&self) -> Style {
        self.paint(Color::Green, Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.paint(Color::Yellow, Modifier::BOLD)
    }
    pub fn alert(&self) -> Style {
        self.paint(Color::Red, Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.paint(Color::DarkGray, Modifier::empty())
    }
    /// The header bar (Ilios's is orange).
    pub fn header(&self) -> Style {
        if self.mono {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        }
    }
}
