//! Dashboard and Week at a Glance: a week's events by day, with scroll, selection and expanded
//! descriptions; the Dashboard adds the "Coming Up" column when wide enough.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::keymap::Command;
use crate::clock::Zone;
use crate::domain::Loadable;
use crate::domain::materials::Statuses;
use crate::domain::week::{TimeFormat, TimelineEvent, Upcoming, Week, WeekGlance, upcoming};
use crate::ui::Theme;
use crate::ui::week::{WeekPaneState, render_glance, render_side_column};

/// From this width the Dashboard adds the "Coming Up" column.
pub const SIDE_COLUMN_FROM: u16 = 110;

/// A glance pane's scroll, selection and expanded descriptions.
#[derive(Debug, Default)]
pub struct GlanceView {
    pub pane: WeekPaneState,
}

impl GlanceView {
    /// Another week is shown: start at its top with nothing selected.
    pub fn week_changed(&mut self) {
        self.pane.reset();
    }

    /// A pane command on `glance`; `Some(index)` asks to open that event's detail.
    pub fn command(&mut self, glance: &WeekGlance, command: Command) -> Option<usize> {
        let pane = &mut self.pane;
        match command {
            Command::Up => pane.select_prev(glance),
            Command::Down => pane.select_next(glance),
            Command::PageUp => pane.page_up(pane.viewport_height()),
            Command::PageDown => pane.page_down(pane.viewport_height()),
            Command::Top => pane.top(),
            Command::Bottom => pane.bottom(glance),
            Command::Expand => pane.toggle_expand(),
            Command::Open => {
                // With nothing selected, Enter opens the first event on screen (and selects it).
                let open = pane
                    .selected
                    .or_else(|| pane.first_visible())
                    .filter(|i| glance.event(*i).is_some());
                pane.selected = pane.selected.or(open);
                return open;
            }
            _ => {}
        }
        None
    }

    /// Week at a Glance (pane 2). `statuses`: the boxes before session materials (`None`:
    /// none drawn).
    #[allow(clippy::too_many_arguments)]
    pub fn draw_week(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        week: Week,
        glance: &Loadable<WeekGlance>,
        tf: TimeFormat,
        statuses: Option<&Statuses>,
        theme: &Theme,
    ) {
        let title = week.glance_title();
        render_glance(
            frame.buffer_mut(),
            area,
            glance,
            &title,
            &mut self.pane,
            tf,
            statuses,
            theme,
        );
    }

    /// The Dashboard: this week, and "Coming Up" with the token's expiry when wide enough.
    #[allow(clippy::too_many_arguments)]
    pub fn draw_dashboard(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        week: Week,
        glance: &Loadable<WeekGlance>,
        upcoming: &Loadable<Upcoming>,
        expiry: Option<&str>,
        tf: TimeFormat,
        statuses: Option<&Statuses>,
        theme: &Theme,
    ) {
        let title = week.glance_title();
        let (main, side) = if area.width >= SIDE_COLUMN_FROM {
            let [m, s] =
                Layout::horizontal([Constraint::Min(60), Constraint::Length(38)]).areas(area);
            (m, Some(s))
        } else {
            (area, None)
        };
        render_glance(
            frame.buffer_mut(),
            main,
            glance,
            &title,
            &mut self.pane,
            tf,
            statuses,
            theme,
        );
        if let Some(side) = side {
            render_side_column(frame.buffer_mut(), side, upcoming, expiry, tf, theme);
        }
    }
}

/// What comes next, from this week's and next week's events (7 days ahead). Computed when
/// those weeks arrive and on the minute tick, not on every draw.
pub fn coming_up(
    this: Loadable<&Vec<TimelineEvent>>,
    next: Option<&Vec<TimelineEvent>>,
    now: chrono::DateTime<chrono::Utc>,
    zone: &Zone,
) -> Loadable<Upcoming> {
    let Some(events) = this.ready() else {
        return this.map(|_| Default::default());
    };
    let mut soon = upcoming(events, now, zone);
    if let Some(next) = next {
        // Next week's events all start after this week's.
        let later = upcoming(next, now, zone);
        soon.next = soon.next.or(later.next);
        soon.ilms_due_soon.extend(later.ilms_due_soon);
    }
    Loadable::Ready(soon)
}
