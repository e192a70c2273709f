//! Copy to the user's clipboard with OSC 52, which the terminal emulator carries out, so it works
//! over SSH and on headless servers (no X11 or Wayland needed).
//!
//! The sequence is `ESC ] 52 ; c ; <base64> BEL`. BEL ends it rather than `ESC \` (what crossterm's
//! `CopyToClipboard` writes) because BEL is accepted by every terminal that supports OSC 52,
//! including older xterm-likes, and gitui uses it too. Inside tmux (`$TMUX` set) the sequence is
//! wrapped in tmux's DCS passthrough, `ESC P tmux; <sequence, every ESC doubled> ESC \`, which
//! needs `set -g allow-passthrough on` (tmux 3.3+); with `set -g set-clipboard on` tmux also
//! understands the bare sequence.

use crate::api::Token;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::io::Write;

const ESC: char = '\x1b';
const BEL: char = '\x07';

/// The bytes that ask the terminal to put `text` on the clipboard.
pub fn osc52_sequence(text: &str, in_tmux: bool) -> String {
    let plain = format!("{ESC}]52;c;{}{BEL}", STANDARD.encode(text.as_bytes()));
    if in_tmux {
        let doubled = plain.replace(ESC, "\x1b\x1b");
        format!("{ESC}Ptmux;{doubled}{ESC}\\")
    } else {
        plain
    }
}

/// Write the copy sequence for `text` to `out` and flush it.
pub fn copy_to(out: &mut impl Write, text: &str, in_tmux: bool) -> std::io::Result<()> {
    // The sequence holds the secret in base64: a Token zeroes it when dropped.
    let sequence = Token::new(osc52_sequence(text, in_tmux));
    out.write_all(sequence.expose().as_bytes())?;
    out.flush()
}

/// Whether we run inside tmux (its `$TMUX` variable is set and not empty).
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Put `text` on the clipboard through the terminal (stdout). Success means the request was
/// written; the terminal may still ignore it (OSC 52 disabled), which no terminal reports back.
pub fn copy(text: &str) -> std::io::Result<()> {
    copy_to(&mut std::io::stdout().lock(), text, in_tmux())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence_bytes() {
        assert_eq!(osc52_sequence("foo", false), "\x1b]52;c;Zm9v\x07");
        assert_eq!(osc52_sequence("", false), "\x1b]52;c;\x07");
    }

    #[test]
    fn tmux_wraps_and_doubles_escapes() {
        assert_eq!(
            osc52_sequence("foo", true),
            "\x1bPtmux;\x1b\x1b]52;c;Zm9v\x07\x1b\\"
        );
    }

    #[test]
    fn utf8_and_padding() {
        // "é" is two bytes, base64 "w6k=".
        assert_eq!(osc52_sequence("é", false), "\x1b]52;c;w6k=\x07");
    }

    #[test]
    fn copy_to_writes_the_sequence() {
        let mut out = Vec::new();
        copy_to(&mut out, "a.b.c", false).unwrap();
        assert_eq!(out, b"\x1b]52;c;YS5iLmM=\x07");
    }
}
