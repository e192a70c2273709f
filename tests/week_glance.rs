//! Week at a Glance drawn into a `TestBackend`: a realistic week in the real wire shape (string
//! material ids, `+00:00` dates, nulls omitted), fixed to America/Los_Angeles so snapshots are
//! stable, plus property tests of the pane state.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use ilios_tui::api::models::UserEvent;
use ilios_tui::domain::Loadable;
use ilios_tui::domain::week::{
    TimeFormat, Upcoming, Week, WeekGlance, WeekStart, glance_at, timeline, upcoming,
};
use ilios_tui::ui::Theme;
use ilios_tui::ui::week::{
    DetailState, MARK_LEGEND, WeekPaneState, detail_stops, event_count, render_event_detail,
    render_glance, render_side_column,
};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// Sunday 2024-03-10 .. Saturday 2024-03-16; Los Angeles is on PDT (UTC-7) from 03-10 02:00.
const FIXTURE: &str = r##"{"userEvents":[
 {"name":"Weekly Checkpoint 6","courseTitle":"Bridges Foundations","startDate":"2024-03-10T18:00:00+00:00",
  "endDate":"2024-03-10T18:15:00+00:00","ilmSession":41,"color":"#cccc00",
  "lastModified":"2024-03-01T10:00:00+00:00","isPublished":true,"isScheduled":false,"instructors":[],
  "learningMaterials":[
   {"id":"201","sessionLearningMaterial":"301","session":"51","course":"5","position":"1","required":true,
    "title":"LS Week 6 OEQ","link":"https://forms.example.edu/oeq6","mimetype":"link","courseYear":2023,"isBlanked":false},
   {"id":"202","sessionLearningMaterial":"302","session":"51","course":"5","position":"2","required":true,
    "title":"LS Week 6 MCQ","link":"https://forms.example.edu/mcq6","mimetype":"link","courseYear":2023,"isBlanked":false}],
  "session":51,"course":5,"sessionTypeId":3,"sessionTypeTitle":"Deadline",
  "prerequisites":[],"postrequisites":[],"school":1,"courseLevel":1,"userContexts":["learner"],"user":5},

 {"name":"Read Before Geroscience","courseTitle":"Aging and Health","startDate":"2024-03-11T03:00:00+00:00",
  "endDate":"2024-03-11T03:15:00+00:00","ilmSession":42,"isPublished":true,"isScheduled":false,
  "instructors":[],"learningMaterials":[],"session":52,"course":6,"sessionTypeTitle":"Independent Learning",
  "prerequisites":[],
  "postrequisites":[{"name":"Cutting Edge Geroscience","startDate":"2024-03-11T15:10:00+00:00",
    "endDate":"2024-03-11T16:00:00+00:00","offering":71,"isPublished":true,"isScheduled":false}],
  "school":1,"userContexts":["learner"],"user":5},

 {"name":"Cutting Edge Geroscience","courseTitle":"Aging and Health","startDate":"2024-03-11T15:10:00+00:00",
  "endDate":"2024-03-11T16:00:00+00:00","offering":71,"location":"Room 123","isPublished":true,
  "isScheduled":false,"instructors":["Larry Anthony West","Beatriz Ortega (she/her)"],
  "attendanceRequired":true,
  "sessionDescription":"<p>An overview of the <strong>biology of aging</strong> &amp; how it informs care: cellular senescence, inflammaging, and what the newest trials tell us.</p><p>Bring questions for the panel.</p>",
  "learningMaterials":[
   {"id":"210","sessionLearningMaterial":"310","position":"1","required":true,"title":"Geroscience Slides",
    "absoluteFileUri":"https://ilios.example.edu/lm/abc123","filename":"slides.pdf","mimetype":"application/pdf","isBlanked":false},
   {"id":"211","sessionLearningMaterial":"311","position":"2","required":false,"title":"Hallmarks of Aging",
    "citation":"Lopez-Otin C, et al. Cell. 2023;186(2):243-278.","mimetype":"citation","isBlanked":false},
   {"id":"212","sessionLearningMaterial":"312","position":"3","required":false,"title":"Panel deck",
    "absoluteFileUri":"https://ilios.example.edu/lm/def456","mimetype":"application/vnd.ms-powerpoint",
    "publicNotes":"Skim before class","isBlanked":false},
   {"id":"213","sessionLearningMaterial":"313","position":"4","required":false,"title":"Interview recording",
    "absoluteFileUri":"https://ilios.example.edu/lm/ghi789","mimetype":"video/mp4","isBlanked":false},
   {"id":"214","sessionLearningMaterial":"314","position":"5","required":false,"title":"Podcast episode",
    "absoluteFileUri":"https://ilios.example.edu/lm/jkl012","mimetype":"audio/wav","isBlanked":false},
   {"id":"215","sessionLearningMaterial":"315","position":"6","required":false,"title":"Reading list",
    "absoluteFileUri":"https://ilios.example.edu/lm/mno345","mimetype":"text/plain","isBlanked":false},
   {"id":"216","sessionLearningMaterial":"316","position":"7","required":true,"title":"Post-session quiz",
    "startDate":"2024-03-12T15:00:00+00:00","isBlanked":true},
   {"id":"217","courseLearningMaterial":"401","position":"0","required":true,"title":"Course syllabus",
    "absoluteFileUri":"https://ilios.example.edu/lm/syllabus","mimetype":"application/pdf","isBlanked":false}],
  "prerequisites":[{"name":"Read Before Geroscience","startDate":"2024-03-11T03:00:00+00:00",
    "endDate":"2024-03-11T03:15:00+00:00","ilmSession":42,"isPublished":true,"isScheduled":false,
    "learningMaterials":[
     {"id":"220","sessionLearningMaterial":"13","position":"1","title":"pre mat 1",
      "link":"https://example.org/pre1","isBlanked":false},
     {"id":"221","sessionLearningMaterial":"99","position":"1","title":"pre mat 2",
      "link":"https://example.org/pre2","isBlanked":false},
     {"id":"222","courseLearningMaterial":"98","position":"0","title":"pre course mat","isBlanked":false}]}],
  "postrequisites":[],"session":53,"course":6,"sessionTypeTitle":"Lecture","school":1,"user":5},

 {"name":"Frontiers In Medicine: Geriatric Medicine and Science: A Lens for Whole Person Medicine",
  "courseTitle":"Aging and Health","startDate":"2024-03-11T16:10:00+00:00","endDate":"2024-03-11T17:00:00+00:00",
  "offering":72,"url":"https://zoom.example.edu/j/123456789","isPublished":true,"isScheduled":false,
  "instructors":["Sandra Kathleen Hayes"],"attireRequired":true,"learningMaterials":[],
  "sessionTypeTitle":"Lecture","prerequisites":[],"postrequisites":[],"school":1,"user":5},

 {"name":"Care of the Dying Patient Across the Life Spectrum Panel","courseTitle":"Aging and Health",
  "startDate":"2024-03-11T17:10:00+00:00","endDate":"2024-03-11T19:00:00+00:00","offering":73,
  "location":"Health Sciences West 301","isPublished":true,"isScheduled":false,
  "instructors":["Craig Ruiz","Ana Bell"],"attendanceRequired":true,"supplemental":true,
  "learningMaterials":[],"sessionTypeTitle":"Panel Presentation","prerequisites":[],"postrequisites":[],
  "school":1,"user":5},

 {"name":"Draft Session","startDate":"2024-03-12T16:00:00+00:00","endDate":"2024-03-12T17:00:00+00:00",
  "offering":74,"isPublished":false,"isScheduled":false,"instructors":[],"learningMaterials":[],
  "prerequisites":[],"postrequisites":[],"school":1,"user":5},
 {"name":"Scheduled","startDate":"2024-03-12T18:00:00+00:00","endDate":"2024-03-12T19:00:00+00:00",
  "isPublished":true,"isScheduled":true,"instructors":[],"learningMaterials":[],
  "prerequisites":[],"postrequisites":[],"school":1,"user":5},
 {"name":"Published As TBD","startDate":"2024-03-12T20:00:00+00:00","endDate":"2024-03-12T21:00:00+00:00",
  "offering":75,"isPublished":true,"isScheduled":true,"instructors":[],"learningMaterials":[],
  "prerequisites":[],"postrequisites":[],"school":1,"user":5},

 {"name":"Clinical Skills Retreat","courseTitle":"Doctoring 2","startDate":"2024-03-13T15:00:00+00:00",
  "endDate":"2024-03-15T03:00:00+00:00","offering":76,"location":"Asilomar Conference Grounds",
  "isPublished":true,"isScheduled":false,"instructors":["Priya Natarajan"],"equipmentRequired":true,
  "learningMaterials":[],"sessionTypeTitle":"Workshop","prerequisites":[],"postrequisites":[],
  "school":1,"user":5},

 {"name":"Weekly Checkpoint 7","courseTitle":"Bridges Foundations","startDate":"2024-03-15T00:00:00+00:00",
  "endDate":"2024-03-15T01:00:00+00:00","offering":77,"location":"room 110","isPublished":true,
  "isScheduled":false,"instructors":[],"equipmentRequired":true,
  "learningMaterials":[
   {"id":"230","sessionLearningMaterial":"330","position":"1","required":true,"title":"LS Week 7 OEQ",
    "link":"https://forms.example.edu/oeq7","isBlanked":false},
   {"id":"231","sessionLearningMaterial":"331","position":"2","required":true,"title":"LS Week 7 MCQ",
    "link":"https://forms.example.edu/mcq7","isBlanked":false}],
  "sessionTypeTitle":"Exam - Bridges Checkpoint","prerequisites":[],"postrequisites":[],"school":1,"user":5}
]}"##;

fn la() -> Tz {
    "America/Los_Angeles".parse().unwrap()
}

fn now() -> DateTime<Utc> {
    "2024-03-11T12:00:00Z".parse().unwrap()
}

fn events() -> Vec<UserEvent> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Envelope {
        user_events: Vec<UserEvent>,
    }
    serde_json::from_str::<Envelope>(FIXTURE)
        .unwrap()
        .user_events
}

fn week_glance() -> WeekGlance {
    glance_at(&events(), &la(), now())
}

fn title() -> String {
    Week::containing(
        NaiveDate::from_ymd_opt(2024, 3, 12).unwrap(),
        WeekStart::Sunday,
    )
    .glance_title()
}

fn draw_glance(
    w: u16,
    h: u16,
    glance: &Loadable<WeekGlance>,
    state: &mut WeekPaneState,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            let area = f.area();
            render_glance(
                f.buffer_mut(),
                area,
                glance,
                &title(),
                state,
                TimeFormat::H12,
                None,
                &Theme::MONO,
            );
        })
        .unwrap();
    terminal
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

#[test]
fn the_fixture_lists_what_ilios_lists() {
    let g = week_glance();
    let names: Vec<&str> = g.events().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Weekly Checkpoint 6",
            "Cutting Edge Geroscience",
            "Frontiers In Medicine: Geriatric Medicine and Science: A Lens for Whole Person Medicine",
            "Care of the Dying Patient Across the Life Spectrum Panel",
            "Clinical Skills Retreat",
            "Weekly Checkpoint 7",
        ]
    );
    let days: Vec<&str> = g.days.iter().map(|d| d.weekday.as_str()).collect();
    assert_eq!(days, vec!["Sunday", "Monday", "Wednesday", "Thursday"]);
    let retreat = g.event(4).unwrap();
    assert_eq!(retreat.duration, "1 day, 12 hours");
    let care = g.event(3).unwrap();
    assert_eq!(care.duration, "1 hour, 50 minutes");
    assert_eq!(care.instructors, vec!["Ana Bell", "Craig Ruiz"]);
    let links: Vec<String> = detail_stops(g.event(1).unwrap())
        .into_iter()
        .filter_map(|s| s.link)
        .collect();
    assert_eq!(
        links.first().map(String::as_str),
        Some("https://example.org/pre2")
    );
    // One of the materials is a PDF: its title (`?inline`) and its Download link
    // (`learning-material-list-item.gjs`).
    assert_eq!(links.len(), 2 + 5 + 1);
    assert_eq!(title(), "March 10-16 Week at a Glance");
    assert!(MARK_LEGEND.iter().any(|(m, _)| *m == "*"));
}

#[test]
fn glance_80x24() {
    let mut state = WeekPaneState::default();
    let t = draw_glance(80, 24, &Loadable::Ready(week_glance()), &mut state);
    let text = screen(&t);
    assert!(text.contains("March 10-16 Week at a Glance"));
    assert!(text.contains("Weekly Checkpoint 6 Due By 11:00 AM (Duration: 15 minutes)"));
    assert!(!text.contains("Draft Session") && !text.contains("TBD"));
    assert!(!text.contains("Course syllabus"));
    assert!(state.content_height() > 23);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn glance_80x24_scrolled_with_selection() {
    let g = week_glance();
    let mut state = WeekPaneState::default();
    draw_glance(80, 24, &Loadable::Ready(g.clone()), &mut state);
    for _ in 0..5 {
        state.select_next(&g);
    }
    assert_eq!(state.selected, Some(4));
    state.toggle_expand();
    let t = draw_glance(80, 24, &Loadable::Ready(g.clone()), &mut state);
    let text = screen(&t);
    assert!(text.contains("▌ Clinical Skills Retreat 08:00 AM (Duration: 1 day, 12 hours)"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn glance_120x40() {
    let mut state = WeekPaneState::default();
    state.selected = Some(1);
    state.expanded.insert(1);
    let t = draw_glance(120, 40, &Loadable::Ready(week_glance()), &mut state);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn glance_24_hour_clock() {
    let mut state = WeekPaneState::default();
    let mut terminal = Terminal::new(TestBackend::new(80, 6)).unwrap();
    terminal
        .draw(|f| {
            let area = f.area();
            render_glance(
                f.buffer_mut(),
                area,
                &Loadable::Ready(week_glance()),
                "t",
                &mut state,
                TimeFormat::H24,
                None,
                &Theme::default(),
            );
        })
        .unwrap();
    assert!(screen(&terminal).contains("Due By 11:00 (Duration: 15 minutes)"));
}

#[test]
fn empty_loading_and_failed_weeks() {
    let mut state = WeekPaneState::default();
    let empty = draw_glance(80, 24, &Loadable::Ready(WeekGlance::default()), &mut state);
    insta::assert_snapshot!("empty_week_80x24", empty.backend());
    let loading = draw_glance(80, 24, &Loadable::Loading, &mut state);
    insta::assert_snapshot!("loading_week_80x24", loading.backend());
    let failed = draw_glance(
        80,
        5,
        &Loadable::Failed(
            "Could not load events from ilios.example.edu: HTTP 403 Forbidden".into(),
        ),
        &mut state,
    );
    assert!(screen(&failed).contains("HTTP 403 Forbidden"));
    assert_eq!(state.selected, None);
}

fn draw_detail(w: u16, h: u16, index: usize, detail: &mut DetailState) -> Terminal<TestBackend> {
    let g = week_glance();
    let mut pane = WeekPaneState::default();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            let area = f.area();
            let buf = f.buffer_mut();
            render_glance(
                buf,
                area,
                &Loadable::Ready(g.clone()),
                &title(),
                &mut pane,
                TimeFormat::H12,
                None,
                &Theme::MONO,
            );
            render_event_detail(
                buf,
                area,
                g.event(index).unwrap(),
                detail,
                TimeFormat::H12,
                None,
                &Theme::MONO,
            );
        })
        .unwrap();
    terminal
}

#[test]
fn detail_popup_80x24() {
    let mut detail = DetailState::default();
    let t = draw_detail(80, 24, 1, &mut detail);
    let text = screen(&t);
    assert!(text.contains("Course: Aging and Health"));
    assert!(text.contains("Attendance is required"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn detail_popup_80x24_follows_the_selected_link() {
    let g = week_glance();
    let ev = g.event(1).unwrap();
    let mut detail = DetailState::default();
    for _ in 0..10 {
        detail.next(detail_stops(ev).len());
    }
    assert_eq!(detail.selected, detail_stops(ev).len() - 1);
    let t = draw_detail(80, 24, 1, &mut detail);
    assert!(screen(&t).contains("https://ilios.example.edu/lm/mno345"));
    assert!(detail.scroll > 0);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn detail_popup_120x40() {
    let mut detail = DetailState::default();
    let t = draw_detail(120, 40, 2, &mut detail);
    let text = screen(&t);
    assert!(text.contains("Virtual Session Link"));
    assert!(text.contains("https://zoom.example.edu/j/123456789"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn dashboard_120x40_with_side_column() {
    let now: DateTime<Utc> = "2024-03-10T12:00:00Z".parse().unwrap();
    let u: Upcoming = upcoming(&timeline(&events()), now, &la());
    assert_eq!(
        u.next.as_ref().unwrap().until,
        "in 1 day, 3 hours, 10 minutes"
    );
    let due: Vec<&str> = u.ilms_due_soon.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(due, vec!["Weekly Checkpoint 6", "Read Before Geroscience"]);
    let mut state = WeekPaneState::default();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| {
            let buf = f.buffer_mut();
            render_glance(
                buf,
                Rect::new(0, 0, 84, 40),
                &Loadable::Ready(week_glance()),
                &title(),
                &mut state,
                TimeFormat::H12,
                None,
                &Theme::MONO,
            );
            render_side_column(
                buf,
                Rect::new(85, 0, 35, 40),
                &Loadable::Ready(u.clone()),
                Some("March 18, 2024 (in 6 days, 22 hours)"),
                TimeFormat::H12,
                &Theme::MONO,
            );
        })
        .unwrap();
    insta::assert_snapshot!(terminal.backend());
}

#[derive(Debug, Clone)]
enum Op {
    Next,
    Prev,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Expand,
    Scroll(i8),
    Draw(u16, u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Next),
        Just(Op::Prev),
        Just(Op::PageDown),
        Just(Op::PageUp),
        Just(Op::Top),
        Just(Op::Bottom),
        Just(Op::Expand),
        any::<i8>().prop_map(Op::Scroll),
        (20u16..130, 3u16..45).prop_map(|(w, h)| Op::Draw(w, h)),
    ]
}

/// Whether the first row drawn with the selection's `▌` gutter is the title row of the event
/// `name` (the start of its name, not a continuation row).
fn selected_row_starts(screen: &str, name: &str) -> bool {
    screen
        .lines()
        .find_map(|l| l.strip_prefix('▌'))
        .map(str::trim)
        .is_some_and(|row| !row.is_empty() && (name.starts_with(row) || row.starts_with(name)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn selection_and_scroll_stay_in_range(keep in 0usize..7, ops in proptest::collection::vec(op(), 1..40)) {
        let all = events();
        let mut g = glance_at(&all, &la(), now());
        // Keep only the first `keep` days (0 = an empty week).
        g.days.truncate(keep);
        let n = event_count(&g);
        let loaded = Loadable::Ready(g.clone());
        let mut state = WeekPaneState::default();
        let mut height = 24u16;
        // Whether the next drawing must show the selected event: a selection move (j/k) or
        // expanding it since the last drawing, and no scrolling after that.
        let mut follow = false;
        for o in ops {
            match o {
                Op::Next => { state.select_next(&g); follow = true; }
                Op::Prev => { state.select_prev(&g); follow = true; }
                Op::PageDown => { state.page_down(usize::from(height)); follow = false; }
                Op::PageUp => { state.page_up(usize::from(height)); follow = false; }
                Op::Top => { state.top(); follow = false; }
                Op::Bottom => { state.bottom(&g); follow = false; }
                Op::Expand => { state.toggle_expand(); follow = true; }
                Op::Scroll(d) => { state.scroll_by(isize::from(d)); follow = false; }
                Op::Draw(w, h) => {
                    height = h;
                    let t = draw_glance(w, h, &loaded, &mut state);
                    let content = state.content_height();
                    prop_assert!(state.scroll <= content.saturating_sub(usize::from(h) - 1));
                    if let (Some(sel), true) = (state.selected, follow) {
                        // The selected event's first row (its name) is on screen.
                        let text = screen(&t);
                        let name = g.event(sel).unwrap().name.as_str();
                        prop_assert!(selected_row_starts(&text, name), "{}x{}: {:?} is not on screen:\n{}", w, h, name, text);
                    }
                    follow = false;
                }
            }
            if let Some(sel) = state.selected {
                prop_assert!(sel < n, "selected {} of {}", sel, n);
            }
            if n == 0 {
                prop_assert_eq!(state.selected, None);
            }
        }
    }

    #[test]
    fn selecting_brings_the_event_into_view(steps in 1usize..12, h in 6u16..30) {
        let g = week_glance();
        let loaded = Loadable::Ready(g.clone());
        let mut state = WeekPaneState::default();
        draw_glance(80, h, &loaded, &mut state);
        for _ in 0..steps {
            state.select_next(&g);
        }
        let t = draw_glance(80, h, &loaded, &mut state);
        let text = screen(&t);
        prop_assert!(text.contains('▌'), "selected event not visible:\n{}", text);
    }
}

#[test]
fn detail_of_an_ilm_says_due_by() {
    let mut detail = DetailState::default();
    let t = draw_detail(80, 24, 0, &mut detail);
    let text = screen(&t);
    assert!(
        text.contains("Due By: Sunday, March 10, 2024, 11:00 AM (Duration: 15 minutes)"),
        "{text}"
    );
    assert!(text.contains("https://forms.example.edu/oeq6"));
}
