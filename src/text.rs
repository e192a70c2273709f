//! The one sanitizer for text that came from a server (or any other untrusted source) on its
//! way to a terminal, stderr or the log; and the one way to shorten such text.
//!
//! A terminal acts on control characters: `ESC ] 52` sets the clipboard, `ESC ] 0` the window
//! title, `ESC [ 2 J` clears the screen; C1 controls (U+0080–U+009F) do the same on terminals
//! that read 8-bit controls; bidirectional overrides and isolates reorder what is shown. None
//! of them may reach the terminal as they are: each is shown visibly (`\x1b`, `\u{202e}`).

use std::borrow::Cow;

/// Characters a terminal would act on or that reorder text: C0 controls (but newline and
/// tab), DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
pub fn is_unsafe(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

fn escape_into(out: &mut String, c: char) {
    use std::fmt::Write;
    let n = c as u32;
    if n <= 0xff {
        let _ = write!(out, "\\x{n:02x}");
    } else {
        let _ = write!(out, "\\u{n:04x}");
    }
}

fn sanitize_with(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c, keep_newlines) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal, a multi-line message or the log: newline and tab stay, every other
/// control and every bidi control is shown as an escape (`\x1b`, `\u202e`).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    sanitize_with(text, true)
}

/// The same, for one line of a screen: newline and tab are shown as escapes too.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    sanitize_with(text, false)
}

/// JSON from serde escapes C0 controls already; this also escapes DEL, the C1 controls and the
/// bidi controls as `\uXXXX` (they can only occur inside strings, so the document stays valid).
pub fn escape_json(json: String) -> String {
    if !json.chars().any(|c| is_unsafe(c, true)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c, true) {
            use std::fmt::Write;
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max` characters of `text`, trimmed, with `…` and the full size when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} bytes in all)", text[..cut].trim_end(), text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_shown_not_sent() {
        let hostile = "a\u{1b}]52;c;aGk=\u{7}b\u{1b}[2Jc\u{9b}d\u{202e}e\u{2066}f\u{7f}g\n\th";
        let s = sanitize(hostile);
        assert_eq!(
            s,
            "a\\x1b]52;c;aGk=\\x07b\\x1b[2Jc\\x9bd\\u202ee\\u2066f\\x7fg\n\th"
        );
        assert!(!s.chars().any(|c| is_unsafe(c, true)));
        assert_eq!(sanitize_line("a\nb\tc"), "a\\x0ab\\x09c");
        assert!(matches!(sanitize("plain é 漢字 👍"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_c1_and_bidi() {
        let doc = serde_json::to_string(&"x\u{1b}y\u{85}z\u{202e}w\u{7f}").unwrap();
        let escaped = escape_json(doc);
        assert_eq!(escaped, r#""x\u001by\u0085z\u202ew\u007f""#);
        let back: String = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, "x\u{1b}y\u{85}z\u{202e}w\u{7f}");
    }

    #[test]
    fn shorten_says_how_much_was_cut() {
        assert_eq!(shorten("  short ", 10), "short");
        let long = "é".repeat(1000);
        let s = shorten(&long, 300);
        assert!(s.starts_with(&"é".repeat(300)), "{s}");
        assert!(s.ends_with("… (2000 bytes in all)"), "{s}");
    }
}
