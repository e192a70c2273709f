//! Measuring, cutting and wrapping text for the screen, by grapheme cluster.
//!
//! A ZWJ family (👨‍👩‍👧), a flag (🇫🇷), an emoji with a skin tone or a variation selector, a
//! letter with combining marks: each is one cluster that ratatui's buffer puts in one cell of
//! the cluster's width (`unicode-width` on the whole cluster). Summing the widths of its `char`s
//! instead gives 6 for the family and 1 for ❤️, and cutting between `char`s splits a flag into
//! two letters. Every width, cut and wrap of shown text goes through here, so the layout agrees
//! with what the buffer draws.

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// The columns ratatui's buffer gives one grapheme cluster (0 for one it does not draw).
pub fn cluster_width(cluster: &str) -> usize {
    if cluster.contains(char::is_control) {
        0
    } else {
        usize::from(cluster.cell_width())
    }
}

/// The grapheme clusters of `s` with their widths.
pub fn clusters(s: &str) -> impl Iterator<Item = (&str, usize)> {
    s.graphemes(true).map(|g| (g, cluster_width(g)))
}

/// Printable ASCII only: then every byte is one cluster one column wide, and measuring or
/// cutting needs no segmentation (most titles and names; segmenting them was half the time of
/// drawing a full table).
fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The columns `s` takes on screen.
pub fn width(s: &str) -> usize {
    if printable_ascii(s) {
        return s.len();
    }
    clusters(s).map(|(_, w)| w).sum()
}

/// The longest prefix of `s` made of whole clusters that fits in `width` columns.
pub fn cut(s: &str, width: usize) -> &str {
    if printable_ascii(s) {
        return &s[..s.len().min(width)];
    }
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = cluster_width(g);
        if used + w > width {
            return &s[..i];
        }
        used += w;
    }
    s
}

/// `s` if it fits in `width` columns, else as much of it as fits followed by `…`.
pub fn fit(s: &str, width: usize) -> String {
    if self::width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = cut(s, width - 1).to_string();
    out.push('…');
    out
}

/// `s` in consecutive pieces of whole clusters, each at most `width` columns (a single cluster
/// wider than that is a piece of its own). The pieces join back to `s`.
pub fn chunk(s: &str, width: usize) -> Vec<&str> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let mut piece = cut(rest, width);
        if piece.is_empty() {
            // One cluster wider than the row: place it anyway.
            piece = rest.graphemes(true).next().unwrap_or(rest);
        }
        out.push(piece);
        rest = &rest[piece.len()..];
    }
    out
}

/// Whether a cluster is a place to break a line (and is dropped there).
pub fn is_space(cluster: &str) -> bool {
    !cluster.is_empty() && cluster.chars().all(char::is_whitespace)
}

/// Greedy word wrap to `width` columns: words are runs of non-space clusters, joined by one
/// space; a word wider than a line is cut between clusters.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_w = 0;
    for word in words(s) {
        let word_w = self::width(word);
        let sep = usize::from(!current.is_empty());
        if current_w + sep + word_w <= width {
            if sep == 1 {
                current.push(' ');
            }
            current.push_str(word);
            current_w += sep + word_w;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if word_w <= width {
            current.push_str(word);
            current_w = word_w;
            continue;
        }
        let mut pieces = chunk(word, width);
        let last = pieces.pop().unwrap_or_default();
        lines.extend(pieces.into_iter().map(str::to_string));
        current.push_str(last);
        current_w = self::width(last);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The runs of non-space clusters of `s`.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, g) in s.grapheme_indices(true) {
        match (is_space(g), start) {
            (true, Some(st)) => {
                out.push(&s[st..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILY: &str = "👨\u{200d}👩\u{200d}👧";

    #[test]
    fn clusters_are_measured_whole() {
        assert_eq!(width(FAMILY), 2);
        assert_eq!(width("🇫🇷"), 2);
        assert_eq!(width("❤\u{fe0f}"), 2);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(width("漢字"), 4);
    }

    #[test]
    fn cuts_never_split_a_cluster() {
        assert_eq!(cut("🇫🇷🇩🇪", 3), "🇫🇷");
        assert_eq!(fit("🇫🇷🇩🇪", 3), "🇫🇷…");
        assert_eq!(fit(&format!("{FAMILY}ab"), 3), format!("{FAMILY}…"));
        assert_eq!(chunk("🇫🇷🇩🇪x", 3), vec!["🇫🇷", "🇩🇪x"]);
        assert_eq!(chunk("漢", 1), vec!["漢"]);
        assert_eq!(
            wrap(&format!("a {FAMILY} 🇫🇷 bc"), 4),
            vec![format!("a {FAMILY}"), "🇫🇷".into(), "bc".into()]
        );
    }

    /// The ASCII shortcut gives what segmenting gives, at every width.
    #[test]
    fn printable_ascii_is_measured_and_cut_as_clusters_are() {
        let by_clusters = |s: &str| clusters(s).map(|(_, w)| w).sum::<usize>();
        for s in [
            "",
            " ",
            "Renal Physiology Lab",
            "a~b{c}|d",
            "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~",
        ] {
            assert!(printable_ascii(s), "{s:?}");
            assert_eq!(width(s), by_clusters(s), "{s:?}");
            for w in 0..=s.len() + 1 {
                let mut used = 0;
                let slow = s
                    .graphemes(true)
                    .take_while(|g| {
                        used += cluster_width(g);
                        used <= w
                    })
                    .map(str::len)
                    .sum::<usize>();
                assert_eq!(cut(s, w), &s[..slow], "{s:?} at {w}");
            }
        }
        // Anything else takes the cluster path: a control, a combining mark, a tab.
        for s in ["a\u{7f}b", "e\u{301}", "a\tb", "\r\n"] {
            assert!(!printable_ascii(s), "{s:?}");
        }
    }
}
