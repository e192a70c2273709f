//! The built binary in a pseudo-terminal with the embedded demo server: My Profile, the week
//! panes and their popup, and the token dialogs, as a person would go through them.
//!
//! In a pty an Esc followed at once by another key can be read as Alt+key, so every Esc is
//! followed by waiting for the screen to change.

mod common;

use common::Pty;
use ilios_tui::domain::week::{Week, WeekStart};

fn demo(args: &[&str], cols: u16, rows: u16) -> (Pty, tempfile::TempDir) {
    let (dir, home) = common::private_home();
    let env: Vec<(&str, &str)> = home.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    (Pty::spawn(&all, &env, cols, rows), dir)
}

/// This week as the binary computes it (the same `--now` and `TZ`; Sunday is the default start).
fn this_week() -> Week {
    Week::containing(common::test_clock().today(), WeekStart::Sunday)
}

#[test]
fn nicholas_profile_in_a_terminal() {
    let (mut pty, _home) = demo(&[], 100, 30);
    pty.wait_for("Nicholas A. Gutierrez");
    pty.send("3");
    pty.wait_for("Primary School");
    pty.wait_until(
        |s| s.matches("Nicholas A. Gutierrez").count() >= 2,
        "the name in the header and as the heading",
    );
    pty.wait_for("Primary School: Medicine");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}

#[test]
fn student_weeks_and_the_detail_popup_in_a_terminal() {
    let (mut pty, _home) = demo(&["--persona", "student"], 100, 30);
    let this = this_week();
    pty.wait_for(&this.glance_title());
    pty.wait_for("Cutting Edge Geroscience");
    pty.send("2");
    pty.wait_for("2 Week at a Glance");
    pty.send("l");
    pty.wait_for(&this.next().glance_title());
    pty.wait_for("Cutting Edge Geroscience");
    pty.send("h");
    pty.wait_for(&this.glance_title());
    pty.wait_for("Cutting Edge Geroscience");
    pty.send("j");
    // Some selection is drawn (the gutter mark) before Enter.
    pty.wait_for("▌");
    pty.send("\r");
    pty.wait_for("Aging and End of Life");
    pty.wait_for("c copy link");
    pty.send("\x1b");
    pty.wait_until(|s| !s.contains("c copy link"), "the popup closed");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}

#[test]
fn new_token_and_invalidate_in_a_terminal() {
    let (mut pty, _home) = demo(&["--persona", "student"], 100, 30);
    pty.wait_for("Walter Stephanie Powell");
    pty.send("3");
    pty.wait_for("Primary School");
    pty.send("n");
    pty.wait_for("one day");
    pty.send("\x1b[C"); // Right: one day later
    pty.send("\r");
    pty.wait_for("New Token:");
    pty.send("\x1b");
    pty.wait_until(|s| !s.contains("New Token:"), "the token dialog closed");
    pty.send("i");
    pty.wait_for("Cancel");
    pty.send("y");
    pty.wait_for("All existing tokens were successfully invalidated");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    pty.assert_restored();
}

/// My Materials (`4`) as a student goes through it: the next 60 days with status boxes, `x`
/// marks the first material in progress (`⊟`, the glance's box), `a` shows all materials, `/`
/// filters by text.
#[test]
fn student_materials_in_a_terminal() {
    let (mut pty, _home) = demo(&["--persona", "student"], 80, 24);
    pty.wait_for("Walter Stephanie Powell");
    pty.send("4");
    pty.wait_for("[Next 60 days]");
    pty.wait_until(|s| s.contains("☐"), "rows with their status boxes");
    pty.send("x");
    pty.wait_for("⊟");
    pty.send("a");
    pty.wait_for("[All Materials]");
    pty.wait_until(|s| s.contains(" of "), "the rows of every range");
    pty.send("/");
    pty.wait_for("type to filter");
    pty.send("Hallmarks");
    pty.wait_until(
        |s| s.contains("Citation: Hallmarks") && !s.contains("PDF file:"),
        "only the matching material",
    );
    pty.send("\r");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.contents());
    pty.assert_restored();
}
