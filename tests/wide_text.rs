//! Wide and combined characters (issue 13, item 14): ZWJ sequences, flags, emoji with a
//! variation selector or a skin tone, combining marks. Text is measured and cut by grapheme
//! cluster with the width ratatui's buffer gives the cluster, so boxes keep their borders in line,
//! nothing is clipped, and a pane switch through the terminal's diff leaves no old cells behind.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use crossterm::event::KeyCode;
use ilios_tui::api::ClientOptions;
use ilios_tui::demo::{DemoServer, Persona};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellWidth};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use common::headless::Headless;

/// A ZWJ family, two flags, a long word of emoji with VS16 (each 1 column by `char`, 2 as a
/// cluster), a thumbs-up with a skin tone, a combining acute.
const WIDE: &str = "👨\u{200d}👩\u{200d}👧 Famille 🇫🇷🇩🇪 ❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f}❤\u{fe0f} 👍🏽 e\u{301}te";

/// A proxy in front of the embedded server that appends [`WIDE`] to learner group titles, event
/// names and the user's names.
async fn wide_server() -> (DemoServer, String) {
    let demo = DemoServer::start(common::demo_options()).await.unwrap();
    let upstream = demo.url().trim_end_matches('/').to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new((upstream, reqwest::Client::new()));
    let app = axum::Router::new().fallback(widen).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (demo, url)
}

fn append(value: &mut serde_json::Value, keys: &[&str]) {
    use serde_json::Value;
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| append(v, keys)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => {
                        s.push(' ');
                        s.push_str(WIDE);
                    }
                    _ => append(v, keys),
                }
            }
        }
        _ => {}
    }
}

async fn widen(State(st): State<Arc<(String, reqwest::Client)>>, req: Request) -> Response<Body> {
    let (upstream, http) = &*st;
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let path = req.uri().path().to_string();
    let mut forward = http.request(req.method().clone(), format!("{upstream}{path_and_query}"));
    for name in ["x-jwt-authorization", "content-type", "accept"] {
        if let Some(v) = req.headers().get(name) {
            forward = forward.header(name, v);
        }
    }
    let body = axum::body::to_bytes(req.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let answer = forward.body(body).send().await.unwrap();
    let status = answer.status();
    let bytes = answer.bytes().await.unwrap_or_default();
    let out = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(mut value) => {
            let keys: &[&str] = if path.contains("learnergroups") {
                &["title"]
            } else if path.contains("userevents") {
                &["name"]
            } else if path.contains("/users/") {
                &["firstName", "displayName"]
            } else {
                &[]
            };
            append(&mut value, keys);
            serde_json::to_vec(&value).unwrap()
        }
        Err(_) => bytes.to_vec(),
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(out))
        .unwrap()
}

async fn session(persona: Persona) -> Headless {
    let (demo, url) = wide_server().await;
    let mut h = Headless::start_against(demo, &url, persona, ClientOptions::default());
    h.until("the user and this week", |a| {
        a.user.ready().is_some()
            && a.weeks
                .get(&a.this_week)
                .is_some_and(|w| w.glance.ready().is_some())
    })
    .await;
    h
}

/// One row as a terminal shows it: each cell's symbol, skipping the cells a wide symbol covers.
/// Also returns the display column (by `unicode-width`, as a terminal places glyphs) of every
/// symbol, and whether a covered cell held anything but a blank (a malformed buffer).
fn row_as_shown(buf: &Buffer, y: u16) -> (String, Vec<(usize, String)>, bool) {
    let mut text = String::new();
    let mut cols = Vec::new();
    let mut col = 0;
    let mut skip = 0u16;
    let mut malformed = false;
    for x in 0..buf.area.width {
        let cell = &buf[(x, y)];
        if skip > 0 {
            skip -= 1;
            if cell.symbol() != " " {
                malformed = true;
            }
            continue;
        }
        cols.push((col, cell.symbol().to_string()));
        text.push_str(cell.symbol());
        col += UnicodeWidthStr::width(cell.symbol()).max(1);
        skip = cell.cell_width().saturating_sub(1);
    }
    (text, cols, malformed)
}

fn buffer_rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| row_as_shown(buf, y).0)
        .collect()
}

/// The Learner Groups box: every row's right border at the same display column as its corners,
/// nothing under a wide cell, and the group's full title (the wide text whole) inside it.
fn check_learner_groups(buf: &Buffer, title_seen: &mut String) {
    let rows: Vec<u16> = (0..buf.area.height).collect();
    let top = rows
        .iter()
        .copied()
        .find(|&y| row_as_shown(buf, y).0.contains("╭ Learner Groups"));
    let Some(top) = top else { return };
    let right_of = |y: u16| -> Option<usize> {
        let (_, cols, _) = row_as_shown(buf, y);
        cols.iter()
            .rev()
            .find(|(_, s)| ["│", "╮", "╯"].contains(&s.as_str()))
            .map(|(c, _)| *c)
    };
    let corner = right_of(top).expect("top right corner");
    for y in top..buf.area.height {
        let (text, _, malformed) = row_as_shown(buf, y);
        if !(text.starts_with('│') || text.starts_with('╭') || text.starts_with('╰')) {
            break; // the box goes on below the screen
        }
        assert!(!malformed, "row {y} hides text under a wide cell:\n{buf:?}");
        assert_eq!(
            right_of(y),
            Some(corner),
            "row {y} has its right border out of line:\n{}",
            buffer_rows(buf).join("\n")
        );
        if y > top && !text.contains('╰') {
            let inner = text.trim_matches(|c| c == '│' || c == ' ');
            title_seen.push_str(inner);
            title_seen.push(' ');
        }
        if text.contains('╰') {
            break;
        }
    }
}

/// Without the spaces (a wrap may cut a long word and indent its continuation).
fn normalized(s: &str) -> String {
    s.split_whitespace().collect()
}

#[tokio::test]
async fn a_learner_group_with_a_zwj_family_and_flags_keeps_its_border_in_line() {
    let mut h = session(Persona::Student).await;
    h.char('3');
    h.until("every part of the profile", |a| {
        a.profile.data.as_ref().is_some_and(|d| d.is_complete())
    })
    .await;
    for (w, rows) in [(120, 40), (80, 24), (60, 30), (50, 30)] {
        let mut terminal = Terminal::new(TestBackend::new(w, rows)).unwrap();
        h.key(KeyCode::Home);
        let mut seen = String::new();
        loop {
            let frame = terminal
                .draw(|f| ilios_tui::ui::shell::draw(f, &mut h.app))
                .unwrap();
            let mut part = String::new();
            check_learner_groups(frame.buffer, &mut part);
            if !part.is_empty() {
                seen = part;
            }
            let before = h.app.profile.pane.scroll;
            h.char('j');
            if h.app.profile.pane.scroll == before {
                break;
            }
        }
        assert!(
            normalized(&seen).contains(&normalized(WIDE)),
            "at {w}x{rows} the group title is not whole in the box: {seen:?}"
        );
    }
}

/// A terminal's screen as far as widths go: printing a cluster of width w at x covers the w-1
/// cells after it; printing over any part of a wide glyph erases all of it (as xterm does).
struct Screen {
    width: u16,
    /// Per cell: the symbol shown there, or `None` when a wide glyph to its left covers it.
    rows: Vec<Vec<Option<String>>>,
}

impl Screen {
    fn new(width: u16, height: u16) -> Screen {
        Screen {
            width,
            rows: vec![vec![Some(" ".to_string()); width.into()]; height.into()],
        }
    }

    fn erase_glyph_at(row: &mut [Option<String>], x: usize) {
        let mut head = x;
        while head > 0 && row[head].is_none() {
            head -= 1;
        }
        row[head] = Some(" ".into());
        let mut k = head + 1;
        while k < row.len() && row[k].is_none() {
            row[k] = Some(" ".into());
            k += 1;
        }
    }

    fn print(&mut self, x: u16, y: u16, symbol: &str) {
        let row = &mut self.rows[usize::from(y)];
        let x = usize::from(x);
        // ratatui clears the column after an emoji with VS16 (U+FE0F) with a blank, for
        // terminals that draw its base one column wide; the emoji stays.
        if symbol == " " && row[x].is_none() {
            let head = (0..x).rev().find(|&k| row[k].is_some()).unwrap_or(0);
            if row[head].as_deref().is_some_and(|h| h.contains('\u{fe0f}')) {
                return;
            }
        }
        let w = usize::from(symbol.cell_width()).max(1);
        for k in x..(x + w).min(row.len()) {
            Self::erase_glyph_at(row, k);
        }
        row[x] = Some(symbol.to_string());
        for k in x + 1..(x + w).min(row.len()) {
            row[k] = None;
        }
    }

    fn shown(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| r.iter().flatten().map(String::as_str).collect())
            .collect()
    }

    /// What ratatui's `Terminal` sends to go from `prev` to `next`: its own buffer diff.
    fn apply_diff(&mut self, prev: &Buffer, next: &Buffer) {
        assert_eq!(prev.area.width, self.width);
        for (x, y, cell) in prev.diff(next) {
            self.print(x, y, cell.symbol());
        }
    }
}

fn frame(h: &mut Headless, w: u16, rows: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, rows)).unwrap();
    t.draw(|f| ilios_tui::ui::shell::draw(f, &mut h.app))
        .unwrap();
    t.backend().buffer().clone()
}

#[tokio::test]
async fn switching_panes_over_flags_leaves_no_cells_of_the_old_pane() {
    let mut h = session(Persona::Student).await;
    h.char('2');
    h.until("pane 2's week", |a| {
        a.weeks
            .values()
            .filter(|w| w.glance.ready().is_some())
            .count()
            >= 1
    })
    .await;
    for (w, rows) in [(120, 40), (80, 24), (61, 24)] {
        let mut screen = Screen::new(w, rows);
        let mut prev = Buffer::empty(ratatui::layout::Rect::new(0, 0, w, rows));
        for key in ['1', '2', '3', '1', '3', '2', '1'] {
            h.char(key);
            h.settle(std::time::Duration::from_millis(50)).await;
            let next = frame(&mut h, w, rows);
            for y in 0..rows {
                assert!(
                    !row_as_shown(&next, y).2,
                    "{w}x{rows} pane {key}: row {y} hides text under a wide cell:\n{next:?}"
                );
            }
            screen.apply_diff(&prev, &next);
            let shown = screen.shown();
            let want = buffer_rows(&next);
            for (y, (a, b)) in shown.iter().zip(&want).enumerate() {
                assert_eq!(
                    a,
                    b,
                    "{w}x{rows} pane {key}: row {y} keeps cells of the previous pane\nshown:\n{}\nwanted:\n{}",
                    shown.join("\n"),
                    want.join("\n")
                );
            }
            prev = next;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The helpers themselves: never split a cluster, never exceed the width, lose nothing.
// ---------------------------------------------------------------------------------------------

fn cluster_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

fn clusters(s: &str) -> Vec<&str> {
    s.graphemes(true).collect()
}

/// Every line is a run of whole clusters of the input, in order.
fn assert_whole_clusters(input: &str, lines: &[String]) {
    let all = clusters(input);
    let mut at = 0;
    for line in lines {
        for g in line.graphemes(true) {
            while at < all.len() && all[at] != g && all[at].trim().is_empty() {
                at += 1; // spaces dropped at a wrap
            }
            assert!(
                at < all.len() && all[at] == g,
                "{g:?} is not a whole cluster of {input:?} (lines {lines:?})"
            );
            at += 1;
        }
    }
}

fn texts() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "b",
        "é",
        "e\u{301}",
        "a\u{301}\u{302}",
        "漢",
        "字",
        " ",
        " ",
        "👨\u{200d}👩\u{200d}👧",
        "👩\u{200d}💻",
        "🇫🇷",
        "🇩🇪",
        "🇯",
        "❤\u{fe0f}",
        "👍🏽",
        "🏳\u{fe0f}\u{200d}🌈",
        "\u{200d}",
        "ｱ",
        "ﾞ",
        "-",
        "x",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn wrapping_and_cutting_keep_clusters_whole_and_within_the_width(
        s in texts(),
        width in 1usize..20,
    ) {
        use ilios_tui::ui::text;
        // Width of a string: the sum of its clusters, as ratatui's buffer lays them out.
        let w: usize = clusters(&s).iter().map(|g| cluster_width(g)).sum();
        prop_assert_eq!(text::width(&s), w);

        // Word wrap (dialogs): each line within the width (a lone cluster wider than it aside),
        // whole clusters, and nothing but spaces lost.
        for lines in [text::wrap(&s, width), ilios_tui::ui::widgets::confirm::wrap(&s, width)] {
            for l in &lines {
                prop_assert!(
                    text::width(l) <= width || clusters(l).len() == 1,
                    "{:?} is wider than {}", l, width
                );
            }
            assert_whole_clusters(&s, &lines);
            let joined: String = lines.concat().split_whitespace().collect();
            let want: String = s.split_whitespace().collect();
            prop_assert_eq!(joined, want);
        }

        // Cut to a width: a prefix of whole clusters within it.
        let cut = text::cut(&s, width);
        prop_assert!(s.starts_with(cut));
        prop_assert!(text::width(cut) <= width);
        assert_whole_clusters(&s, &[cut.to_string()]);
        prop_assert!(cut.len() == s.len() || text::width(cut) + cluster_width(clusters(&s[cut.len()..])[0]) > width);

        // Cut with an ellipsis (titles, the header): within the width, whole clusters.
        for fitted in [text::fit(&s, width), ilios_tui::ui::shell::truncate(&s, width)] {
            prop_assert!(text::width(&fitted) <= width, "{:?} is wider than {}", fitted, width);
            let body = fitted.strip_suffix('…').unwrap_or(&fitted);
            prop_assert!(s.starts_with(body));
            assert_whole_clusters(&s, &[body.to_string()]);
        }

        // Chunks (long tokens): whole clusters, each within the width, joined back to the input.
        let chunks = text::chunk(&s, width);
        for c in &chunks {
            prop_assert!(text::width(c) <= width || clusters(c).len() == 1);
        }
        prop_assert_eq!(chunks.concat(), s.clone());
        assert_whole_clusters(&s, &chunks.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    }
}
