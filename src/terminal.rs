//! Taking the terminal and giving it back: raw mode, the alternate screen, bracketed paste, the
//! kitty keyboard protocol, the cursor; and the writer that speaks the terminal's colour depth.
//!
//! Every way out (quit, error, panic, a terminating signal, `Ctrl-Z`) goes through [`leave`],
//! which undoes all of [`enter`] and shows the cursor again.

use std::io::{self, Stdout, Write};

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, EnableBracketedPaste, KeyboardEnhancementFlags,
    PopKeyboardEnhancementFlags, PushKeyboardEnhancementFlags,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::ui::ColorDepth;

/// The terminal the app draws on.
pub type Screen = Terminal<CrosstermBackend<ColorWriter>>;

/// Raw mode, the alternate screen, bracketed paste and, where the terminal supports it, the
/// kitty keyboard protocol's escape disambiguation: `Esc` then arrives as its own key even when
/// the next key follows in the same read. Terminals without the protocol ignore the request
/// (an unknown `CSI > 1 u`), and `update` still splits an `Esc` glued to a key for them.
/// The request is not preceded by a query, which would wait up to two seconds for terminals
/// that do not answer.
pub fn enter(colors: ColorDepth) -> io::Result<Screen> {
    take_modes()?;
    Terminal::new(CrosstermBackend::new(ColorWriter::new(colors)))
}

fn take_modes() -> io::Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
    )
}

/// Undo [`enter`], whatever state the terminal is in; errors are ignored (the output may be
/// gone, as when the SSH link dropped).
pub fn leave() {
    let _ = crossterm::execute!(
        io::stdout(),
        PopKeyboardEnhancementFlags,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

/// A panic restores the terminal before its message is printed.
pub fn restore_on_panic() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// `Ctrl-Z`: give the terminal back (cursor shown at the shell prompt), stop, and take it again
/// on `fg`, with the next frame drawn whole. The same `Screen` is kept: making a new one, or
/// ratatui's `clear`, asks the terminal where its cursor is, and that answer would go to the
/// key reader that is already running, so the question would time out.
#[cfg(unix)]
pub fn suspend(screen: &mut Screen) -> io::Result<()> {
    leave();
    // SAFETY: raising a signal on our own process; the default SIGTSTP action stops it here.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    take_modes()?;
    redraw_whole(screen)
}

/// Clear the terminal and forget what ratatui drew, so the next frame is written whole.
pub fn redraw_whole(screen: &mut Screen) -> io::Result<()> {
    crossterm::execute!(
        io::stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    // Both buffers blank: the next draw writes every cell that is not blank.
    screen.swap_buffers();
    screen.swap_buffers();
    Ok(())
}

/// Show `text` alone: a heading line, then `text` written as one run from the start of the third
/// row, with no border or other cells around it. The terminal wraps it itself (autowrap), so it
/// marks the rows as one line and a mouse selection copies the text whole, with no line breaks.
/// ratatui does not know these cells: [`redraw_whole`] must follow before the next frame.
pub fn draw_plain(heading: &str, text: &str, footer: &str) -> io::Result<()> {
    use crossterm::cursor::MoveTo;
    use crossterm::style::Print;
    use crossterm::terminal::{BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate};
    // The token's text comes from the server: shown, never obeyed.
    let text = crate::text::sanitize_line(text);
    let text: &str = &text;
    let (width, _) = crossterm::terminal::size()?;
    let rows = u16::try_from(crate::ui::text::width(text).div_ceil(usize::from(width.max(1))))
        .unwrap_or(u16::MAX);
    let mut out = io::stdout();
    crossterm::queue!(
        out,
        BeginSynchronizedUpdate,
        Clear(ClearType::All),
        MoveTo(0, 0),
        Print(heading),
        MoveTo(0, 2),
        Print(text),
        MoveTo(0, rows.saturating_add(3)),
        Print(footer),
        EndSynchronizedUpdate
    )?;
    out.flush()
}

#[cfg(not(unix))]
pub fn suspend(_screen: &mut Screen) -> io::Result<()> {
    Ok(())
}

/// Stdout, buffered until flushed, that writes colours the way the terminal understands them.
/// crossterm sends even the 16 ANSI colours as `38;5;N`, which terminals with 16 colours (the
/// Linux console, `TERM=xterm` in old emulators) do not know; for those each becomes the
/// classic `3N`/`9N` (and `4N`/`10N` for backgrounds).
pub struct ColorWriter {
    out: Stdout,
    pending: Vec<u8>,
    sixteen: bool,
}

impl ColorWriter {
    pub fn new(colors: ColorDepth) -> Self {
        ColorWriter {
            out: io::stdout(),
            pending: Vec::new(),
            sixteen: colors == ColorDepth::Ansi16,
        }
    }
}

impl Write for ColorWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.sixteen {
            let translated = classic_colors(&self.pending);
            self.out.write_all(&translated)?;
        } else {
            self.out.write_all(&self.pending)?;
        }
        self.pending.clear();
        self.out.flush()
    }
}

/// `bytes` with every SGR `38;5;N`/`48;5;N` for N < 16 written as the classic 16-colour codes.
/// Everything else, including other escape sequences and text, is passed on unchanged.
pub fn classic_colors(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(2).position(|w| w == b"\x1b[") {
        out.extend_from_slice(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let params_len = rest
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        if rest.get(params_len) == Some(&b'm') {
            let params = std::str::from_utf8(&rest[..params_len]).unwrap_or_default();
            out.extend_from_slice(rewrite_sgr(params).as_bytes());
            rest = &rest[params_len..];
        }
    }
    out.extend_from_slice(rest);
    out
}

fn rewrite_sgr(params: &str) -> String {
    let parts: Vec<&str> = params.split(';').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let indexed = match (parts[i], parts.get(i + 1), parts.get(i + 2)) {
            (which @ ("38" | "48"), Some(&"5"), Some(n)) => {
                n.parse::<u8>().ok().filter(|n| *n < 16).map(|n| (which, n))
            }
            _ => None,
        };
        match indexed {
            Some((which, n)) => {
                let base = match (which, n < 8) {
                    ("38", true) => 30,
                    ("38", false) => 90 - 8,
                    (_, true) => 40,
                    (_, false) => 100 - 8,
                };
                out.push((base + u16::from(n)).to_string());
                i += 3;
            }
            None => {
                out.push(parts[i].to_string());
                i += 1;
            }
        }
    }
    out.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classic(s: &str) -> String {
        String::from_utf8(classic_colors(s.as_bytes())).unwrap()
    }

    #[test]
    fn indexed_colours_below_16_become_classic_codes() {
        assert_eq!(classic("\x1b[38;5;6m"), "\x1b[36m");
        assert_eq!(classic("\x1b[38;5;14m"), "\x1b[96m");
        assert_eq!(classic("\x1b[48;5;3m"), "\x1b[43m");
        assert_eq!(classic("\x1b[48;5;11m"), "\x1b[103m");
        // crossterm's SetColors: both in one sequence.
        assert_eq!(classic("\x1b[38;5;0;48;5;3m"), "\x1b[30;43m");
        assert_eq!(classic("a\x1b[38;5;8mb\x1b[39mc"), "a\x1b[90mb\x1b[39mc");
    }

    #[test]
    fn everything_else_is_unchanged() {
        for s in [
            "\x1b[38;5;243m",
            "\x1b[38;2;1;2;3m",
            "\x1b[1m\x1b[0m",
            "\x1b[2J\x1b[1;1H",
            "\x1b[?2026h",
            "plain text é ▸",
            "\x1b[",
            "\x1b[38;5;",
            "\x1b[38;5;300m",
        ] {
            assert_eq!(classic(s), s);
        }
    }
}
