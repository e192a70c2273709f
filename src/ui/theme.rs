//! Styles, after what the terminal can show ([`ColorDepth`]). The default is the 16 ANSI colours
//! of the user's palette; 256 colours or truecolor only when `COLORTERM`, `TERM` or terminfo say
//! so. With `NO_COLOR` (or `theme = "mono"`) every style keeps only its modifiers, so selection,
//! focus and "today" stay visible without colour.

use ratatui::style::{Color, Modifier, Style};

/// How many colours the terminal shows, from `NO_COLOR`, `COLORTERM`, `TERM` and its terminfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorDepth {
    /// `NO_COLOR` or `theme = "mono"`: modifiers only.
    None,
    /// The 16 ANSI colours, which follow the user's own palette (light or dark). Text a user
    /// must read (titles, headings, hints, links) keeps the terminal's own foreground here,
    /// because no fixed ANSI hue reads well on both a light and a dark palette.
    #[default]
    Ansi16,
    /// The xterm 256-colour palette: fixed colours chosen for 4.5:1 on black and on white.
    Ansi256,
    /// 24-bit colour (`COLORTERM=truecolor`): the same fixed colours, sent as RGB.
    TrueColor,
}

impl ColorDepth {
    /// The depth the environment asks for. `var` reads an environment variable; `max_colors`
    /// and `direct` come from the terminal's terminfo entry (its `colors` number and its `RGB`
    /// or `Tc` flag), when there is one.
    pub fn detect(
        var: impl Fn(&str) -> Option<String>,
        max_colors: Option<i32>,
        direct: bool,
    ) -> Self {
        if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ColorDepth::None;
        }
        let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" || direct || term.ends_with("-direct") {
            ColorDepth::TrueColor
        } else if max_colors.is_some_and(|n| n >= 256) || term.contains("256color") {
            ColorDepth::Ansi256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// [`ColorDepth::detect`] for this process: its environment and `$TERM`'s terminfo entry.
    pub fn from_env() -> Self {
        let info = termini::TermInfo::from_env().ok();
        let max_colors = info
            .as_ref()
            .and_then(|i| i.number_cap(termini::NumberCapability::MaxColors));
        let direct = info.as_ref().is_some_and(|i| {
            ["RGB", "Tc"]
                .iter()
                .any(|cap| i.extended_cap(cap).is_some())
        });
        Self::detect(|k| std::env::var(k).ok(), max_colors, direct)
    }
}

/// The fixed colours of the 256-colour and truecolor themes. Each has a contrast of at least
/// 4.5:1 (WCAG AA) on black and on white, so hints and headings read on any background; the
/// xterm palette has six such colours and these are four of them (`ui::theme` tests check it).
mod fixed {
    /// #5f5fff, 4.57:1 on black, 4.60:1 on white.
    pub const BLUE: (u8, u8, u8, u8) = (63, 0x5f, 0x5f, 0xff);
    /// #767676, 4.62:1 and 4.54:1.
    pub const GREY: (u8, u8, u8, u8) = (243, 0x76, 0x76, 0x76);
    /// #00875f, 4.63:1 and 4.53:1.
    pub const GREEN: (u8, u8, u8, u8) = (29, 0x00, 0x87, 0x5f);
    /// #af5f5f, 4.62:1 and 4.54:1.
    pub const RED: (u8, u8, u8, u8) = (131, 0xaf, 0x5f, 0x5f);
    #[cfg(test)]
    pub const ALL: [(u8, u8, u8, u8); 4] = [BLUE, GREY, GREEN, RED];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub colors: ColorDepth,
    /// The locale is not UTF-8 (`LANG=C`): every cell is drawn in ASCII.
    pub ascii: bool,
}

impl Theme {
    pub const MONO: Theme = Theme {
        colors: ColorDepth::None,
        ascii: false,
    };

    /// Whether only modifiers are drawn (`NO_COLOR`, `theme = "mono"`).
    pub fn mono(&self) -> bool {
        self.colors == ColorDepth::None
    }

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

    /// A style in `ansi` with 16 colours, in the fixed colour `fixed` with more, and with
    /// `modifiers` always. `ansi: None` keeps the terminal's own foreground.
    fn paint(
        &self,
        ansi: Option<Color>,
        fixed: Option<(u8, u8, u8, u8)>,
        modifiers: Modifier,
    ) -> Style {
        let style = Style::new().add_modifier(modifiers);
        let color = match self.colors {
            ColorDepth::None => None,
            ColorDepth::Ansi16 => ansi,
            ColorDepth::Ansi256 => fixed.map(|(i, ..)| Color::Indexed(i)),
            ColorDepth::TrueColor => fixed.map(|(_, r, g, b)| Color::Rgb(r, g, b)),
        };
        match color {
            Some(c) => style.fg(c),
            None => style,
        }
    }

    /// Pane and box titles.
    pub fn title(&self) -> Style {
        self.paint(None, Some(fixed::BLUE), Modifier::BOLD)
    }
    /// Section headings inside a pane (weekday names, "Permissions").
    pub fn heading(&self) -> Style {
        self.paint(None, Some(fixed::BLUE), Modifier::BOLD)
    }
    /// Field labels such as `Student:`.
    pub fn label(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn text(&self) -> Style {
        Style::new()
    }
    pub fn yes(&self) -> Style {
        self.paint(Some(Color::Green), Some(fixed::GREEN), Modifier::empty())
    }
    pub fn no(&self) -> Style {
        self.paint(Some(Color::Red), Some(fixed::RED), Modifier::empty())
    }
    /// Secondary text a user still reads: durations, hints. Never `DIM`, which halves the
    /// contrast on most terminals.
    pub fn dim(&self) -> Style {
        self.paint(None, Some(fixed::GREY), Modifier::empty())
    }
    /// What is there but not available (days outside the calendar's range): dimmed.
    pub fn disabled(&self) -> Style {
        self.paint(Some(Color::DarkGray), Some(fixed::GREY), Modifier::DIM)
    }
    /// The focused item: reversed, so it shows without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn link(&self) -> Style {
        self.paint(None, Some(fixed::BLUE), Modifier::UNDERLINED)
    }
    pub fn success(&self) -> Style {
        self.paint(Some(Color::Green), Some(fixed::GREEN), Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.paint(Some(Color::Yellow), Some(fixed::RED), Modifier::BOLD)
    }
    pub fn alert(&self) -> Style {
        self.paint(Some(Color::Red), Some(fixed::RED), Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.paint(Some(Color::DarkGray), Some(fixed::GREY), Modifier::empty())
    }
    /// The header bar (Ilios's is orange).
    pub fn header(&self) -> Style {
        match self.colors {
            ColorDepth::None => Style::new().add_modifier(Modifier::REVERSED),
            ColorDepth::Ansi16 => Style::new().fg(Color::Black).bg(Color::Yellow),
            // #000000 on #ffaf00, 11:1.
            ColorDepth::Ansi256 => Style::new().fg(Color::Indexed(16)).bg(Color::Indexed(214)),
            ColorDepth::TrueColor => Style::new()
                .fg(Color::Rgb(0, 0, 0))
                .bg(Color::Rgb(0xff, 0xaf, 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn depth_follows_no_color_colorterm_term_and_terminfo() {
        use ColorDepth::{Ansi16, Ansi256, TrueColor};
        // Environment, terminfo's `colors`, terminfo's RGB/Tc flag, the depth.
        type Case<'a> = (&'a [(&'a str, &'a str)], Option<i32>, bool, ColorDepth);
        let cases: &[Case] = &[
            (&[("TERM", "xterm")], Some(8), false, Ansi16),
            (&[("TERM", "linux")], Some(8), false, Ansi16),
            (&[("TERM", "xterm")], None, false, Ansi16),
            (&[("TERM", "xterm-256color")], None, false, Ansi256),
            (&[("TERM", "screen")], Some(256), false, Ansi256),
            (
                &[("TERM", "xterm"), ("COLORTERM", "truecolor")],
                Some(8),
                false,
                TrueColor,
            ),
            (
                &[("TERM", "tmux-256color"), ("COLORTERM", "24bit")],
                None,
                false,
                TrueColor,
            ),
            (&[("TERM", "xterm-direct")], None, false, TrueColor),
            (&[("TERM", "foot")], Some(256), true, TrueColor),
            (
                &[("TERM", "xterm-256color"), ("NO_COLOR", "1")],
                Some(256),
                true,
                ColorDepth::None,
            ),
            // An empty NO_COLOR does not count (no-color.org).
            (
                &[("TERM", "xterm"), ("NO_COLOR", "")],
                Some(8),
                false,
                Ansi16,
            ),
        ];
        for (vars, colors, direct, want) in cases {
            assert_eq!(
                ColorDepth::detect(env(vars), *colors, *direct),
                *want,
                "{vars:?}"
            );
        }
    }

    /// WCAG 2 relative luminance and contrast ratio.
    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        fn lum((r, g, b): (u8, u8, u8)) -> f64 {
            let lin = |c: u8| {
                let c = f64::from(c) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        }
        let (hi, lo) = (lum(a).max(lum(b)), lum(a).min(lum(b)));
        (hi + 0.05) / (lo + 0.05)
    }

    /// The xterm 256-colour palette entry `i` (16..=255).
    fn xterm(i: u8) -> (u8, u8, u8) {
        const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        if i >= 232 {
            let v = 8 + 10 * (i - 232);
            return (v, v, v);
        }
        let n = usize::from(i - 16);
        (LEVELS[n / 36], LEVELS[(n / 6) % 6], LEVELS[n % 6])
    }

    #[test]
    fn every_fixed_colour_reads_on_black_and_on_white() {
        for (index, r, g, b) in fixed::ALL {
            assert_eq!(
                xterm(index),
                (r, g, b),
                "index {index} is the same colour as its RGB"
            );
            for bg in [(0, 0, 0), (255, 255, 255)] {
                let ratio = contrast((r, g, b), bg);
                assert!(ratio >= 4.5, "#{r:02x}{g:02x}{b:02x} on {bg:?}: {ratio:.2}");
            }
        }
    }

    #[test]
    fn text_a_user_reads_is_never_dimmed_or_a_fixed_hue_in_16_colours() {
        for colors in [ColorDepth::None, ColorDepth::Ansi16] {
            let t = Theme {
                colors,
                ascii: false,
            };
            for style in [t.title(), t.heading(), t.dim(), t.link()] {
                assert_eq!(style.fg, None, "{colors:?}: {style:?}");
                assert!(!style.add_modifier.contains(Modifier::DIM));
            }
        }
        let t = Theme {
            colors: ColorDepth::Ansi256,
            ascii: false,
        };
        assert_eq!(t.dim().fg, Some(Color::Indexed(243)));
        assert_eq!(t.heading().fg, Some(Color::Indexed(63)));
        let t = Theme {
            colors: ColorDepth::TrueColor,
            ascii: false,
        };
        assert_eq!(t.dim().fg, Some(Color::Rgb(0x76, 0x76, 0x76)));
    }
}
