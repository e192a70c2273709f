//! Copy to the user's clipboard, and say honestly where the text went.
//!
//! Inside tmux the text goes to tmux's paste buffer with `tmux load-buffer -w -` (the text on
//! stdin, never in argv): tmux confirms that, and with `set-clipboard` on or external it also
//! passes the text on to the outer terminal's clipboard. Elsewhere (or when tmux refuses) the text
//! goes out with OSC 52, which the terminal emulator carries out, so it works over SSH and on
//! headless servers (no X11 or Wayland needed) — but no terminal answers OSC 52, so the app can
//! only say that it was sent.
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
    // Every step holds the secret in base64: each is zeroed when dropped.
    let encoded = zeroize::Zeroizing::new(STANDARD.encode(text.as_bytes()));
    let plain = zeroize::Zeroizing::new(format!("{ESC}]52;c;{}{BEL}", encoded.as_str()));
    if in_tmux {
        let doubled = zeroize::Zeroizing::new(plain.replace(ESC, "\x1b\x1b"));
        format!("{ESC}Ptmux;{}{ESC}\\", doubled.as_str())
    } else {
        plain.to_string()
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
pub fn copy_through_terminal(text: &str) -> std::io::Result<Delivery> {
    let through_tmux = in_tmux();
    copy_to(&mut std::io::stdout().lock(), text, through_tmux)?;
    Ok(Delivery::Terminal { through_tmux })
}

/// Where a copied text went, as far as the app can know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// tmux took it into its paste buffer; `forwarded`: its `set-clipboard` option is on (or
    /// external), so tmux also sent it to the outer terminal's clipboard.
    TmuxBuffer { forwarded: bool },
    /// An OSC 52 request was written; the terminal does not say whether it obeyed.
    Terminal { through_tmux: bool },
}

impl Delivery {
    /// What happened, in a person's words, for the status bar.
    pub fn describe(self, what: &str) -> String {
        let what = capitalized(what);
        match self {
            Delivery::TmuxBuffer { forwarded: true } => {
                format!("{what} in tmux's buffer (prefix ]) and sent on to the terminal clipboard")
            }
            Delivery::TmuxBuffer { forwarded: false } => {
                format!("{what} in tmux's paste buffer only (prefix ]): set-clipboard is off")
            }
            Delivery::Terminal {
                through_tmux: false,
            } => {
                format!("{what} sent to the terminal's clipboard (OSC 52); none confirms it")
            }
            Delivery::Terminal { through_tmux: true } => {
                format!("{what} sent via tmux to the terminal clipboard (OSC 52), unconfirmed")
            }
        }
    }

    /// Whether the copy is confirmed (tmux answered) rather than only requested.
    pub fn confirmed(self) -> bool {
        matches!(self, Delivery::TmuxBuffer { .. })
    }
}

fn capitalized(what: &str) -> String {
    let mut chars = what.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// How long tmux may take to answer before the copy goes out with OSC 52 instead.
const TMUX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Load `text` into tmux's paste buffer (`tmux load-buffer -w -`, the text on stdin), then ask
/// whether tmux passes buffers on to the outer terminal (`set-clipboard`). `Err` says why not,
/// in words for the log; the caller then copies with OSC 52.
pub async fn copy_into_tmux(text: &str) -> Result<Delivery, String> {
    use tokio::io::AsyncWriteExt;
    use tokio::process::Command;
    let load = async {
        let mut child = Command::new("tmux")
            .args(["load-buffer", "-w", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot run tmux: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(text.as_bytes())
                .await
                .map_err(|e| format!("tmux did not take the text: {e}"))?;
        }
        let out = child
            .wait_with_output()
            .await
            .map_err(|e| format!("tmux failed: {e}"))?;
        if !out.status.success() {
            let said = crate::text::shorten(
                &crate::text::sanitize_line(&String::from_utf8_lossy(&out.stderr)),
                200,
            );
            return Err(format!("tmux load-buffer failed: {}", said.trim()));
        }
        let option = Command::new("tmux")
            .args(["show-options", "-gv", "set-clipboard"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        Ok(Delivery::TmuxBuffer {
            forwarded: option != "off" && !option.is_empty(),
        })
    };
    tokio::time::timeout(TMUX_TIMEOUT, load)
        .await
        .unwrap_or_else(|_| Err("tmux did not answer in time".into()))
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
    fn each_delivery_says_where_the_text_went() {
        let tmux = Delivery::TmuxBuffer { forwarded: true }.describe("token");
        assert!(tmux.starts_with("Token in tmux's buffer"), "{tmux}");
        let only = Delivery::TmuxBuffer { forwarded: false }.describe("token");
        assert!(only.contains("set-clipboard is off"), "{only}");
        // Each fits an 80-column status bar after its "[info] " or "[ok] " mark.
        for d in [
            Delivery::TmuxBuffer { forwarded: true },
            Delivery::TmuxBuffer { forwarded: false },
            Delivery::Terminal {
                through_tmux: false,
            },
            Delivery::Terminal { through_tmux: true },
        ] {
            assert!(d.describe("token").chars().count() <= 80 - 7, "{d:?}");
        }
        let osc = Delivery::Terminal {
            through_tmux: false,
        }
        .describe("link");
        assert_eq!(
            osc,
            "Link sent to the terminal's clipboard (OSC 52); none confirms it"
        );
        assert!(!osc.to_lowercase().contains("success"));
        assert!(Delivery::TmuxBuffer { forwarded: false }.confirmed());
        assert!(!Delivery::Terminal { through_tmux: true }.confirmed());
    }

    #[test]
    fn copy_to_writes_the_sequence() {
        let mut out = Vec::new();
        copy_to(&mut out, "a.b.c", false).unwrap();
        assert_eq!(out, b"\x1b]52;c;YS5iLmM=\x07");
    }
}
