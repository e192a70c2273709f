//! The keyboard calendar: a fixed 22x8 widget drawing a [`CalendarState`].
//!
//! ```text
//!     December 2026   >
//!  Su Mo Tu We Th Fr Sa
//!         1  2 *3  4  5
//!   6  7  8  9 10 11 12
//!  13 14 15 16[17]18 19
//! ```
//! The selected date is bracketed and `theme.selected()` (reversed, bold); today has a `*` before
//! it and is underlined; dates outside the allowed range are dimmed (and the keys never reach
//! them). `<` / `>` in the title show that the previous / next month has allowed dates. Days of
//! the neighbouring months are left blank.

use crate::domain::tokens::CalendarState;
use crate::ui::Theme;
use chrono::{Datelike, Months, Weekday};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::Widget;

/// The widget's size: 7 columns of 3 cells plus one for a closing bracket; title, weekday
/// header and six week rows.
pub const WIDTH: u16 = 22;
pub const HEIGHT: u16 = 8;

/// Draws a [`CalendarState`] in a [`WIDTH`] x [`HEIGHT`] area (clipped if smaller).
pub struct Calendar<'a> {
    pub state: &'a CalendarState,
    pub theme: &'a Theme,
}

impl<'a> Calendar<'a> {
    pub fn new(state: &'a CalendarState, theme: &'a Theme) -> Self {
        Calendar { state, theme }
    }
}

fn weekday_abbrev(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mo",
        Weekday::Tue => "Tu",
        Weekday::Wed => "We",
        Weekday::Thu => "Th",
        Weekday::Fri => "Fr",
        Weekday::Sat => "Sa",
        Weekday::Sun => "Su",
    }
}

impl Widget for Calendar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let s = self.state;
        let theme = self.theme;
        let put = |buf: &mut Buffer, x: u16, y: u16, text: &str, style| {
            if y < area.y + area.height && x < area.x + area.width {
                let max = (area.x + area.width - x) as usize;
                buf.set_stringn(x, y, text, max, style);
            }
        };

        // Title: "< December 2026 >", centred; the arrows only when that month has allowed days.
        let month = s.month_shown;
        let has_prev = month.pred_opt().is_some_and(|d| d >= s.min);
        let has_next = month
            .checked_add_months(Months::new(1))
            .is_some_and(|d| d <= s.max);
        let name = month.format("%B %Y").to_string();
        let title_x = area.x + (WIDTH.saturating_sub(name.len() as u16)) / 2;
        put(buf, title_x, area.y, &name, theme.title());
        if has_prev {
            put(buf, area.x + 1, area.y, "<", theme.title());
        }
        if has_next {
            put(buf, area.x + WIDTH - 2, area.y, ">", theme.title());
        }

        // Weekday header.
        let mut day = s.week_start;
        for col in 0..7u16 {
            put(
                buf,
                area.x + col * 3 + 1,
                area.y + 1,
                weekday_abbrev(day),
                theme.heading(),
            );
            day = day.succ();
        }

        // The grid: each day takes columns 1-2 of its 3-cell slot; column 0 holds today's mark or
        // the selected day's opening bracket, column 0 of the next slot its closing bracket.
        for (row, week) in s.grid().iter().enumerate() {
            let y = area.y + 2 + row as u16;
            for (col, &date) in week.iter().enumerate() {
                if date.month() != month.month() {
                    continue;
                }
                let x = area.x + col as u16 * 3;
                // The digits end at x + 2; a mark or bracket goes right before the first digit.
                let digits = format!("{}", date.day());
                let start = x + 3 - digits.len() as u16;
                let mut style = if s.in_range(date) {
                    theme.text()
                } else {
                    theme.disabled()
                };
                if date == s.today {
                    style = style.add_modifier(Modifier::UNDERLINED);
                }
                if date == s.selected {
                    style = theme
                        .selected()
                        .add_modifier(style.add_modifier & Modifier::UNDERLINED);
                    put(buf, start - 1, y, "[", style);
                    put(buf, x + 3, y, "]", style);
                } else if date == s.today {
                    put(buf, start - 1, y, "*", style);
                }
                put(buf, start, y, &digits, style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn render(state: &CalendarState) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, WIDTH, HEIGHT));
        Calendar::new(state, &Theme::default()).render(buf.area, &mut buf);
        buf
    }

    fn rows(buf: &Buffer) -> Vec<String> {
        (0..buf.area.height)
            .map(|y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn draws_month_header_and_marks() {
        let s = CalendarState::new(d(2026, 12, 3), d(2026, 12, 3), d(2027, 3, 3), Weekday::Sun);
        let buf = render(&s);
        assert_eq!(
            rows(&buf),
            vec![
                "    December 2026   > ",
                " Su Mo Tu We Th Fr Sa ",
                "        1  2 *3  4  5 ",
                "  6  7  8  9 10 11 12 ",
                " 13 14 15 16[17]18 19 ",
                " 20 21 22 23 24 25 26 ",
                " 27 28 29 30 31       ",
                "                      ",
            ]
        );
        // The selected day is reversed: visible without colour.
        assert!(buf[(13, 4)].modifier.contains(Modifier::REVERSED));
        assert!(buf[(14, 4)].modifier.contains(Modifier::REVERSED));
        // Today is underlined, days before the range are dim.
        assert!(buf[(14, 2)].modifier.contains(Modifier::UNDERLINED));
        assert!(buf[(8, 2)].modifier.contains(Modifier::DIM));
        assert!(!buf[(17, 2)].modifier.contains(Modifier::DIM));
    }

    #[test]
    fn monday_first_and_both_arrows() {
        let mut s = CalendarState::new(
            d(2026, 11, 28),
            d(2026, 11, 28),
            d(2027, 2, 26),
            Weekday::Mon,
        );
        s.apply(crate::domain::tokens::CalendarKey::NextMonth);
        let r = rows(&render(&s));
        assert_eq!(r[0], " <   January 2027   > ");
        assert_eq!(r[1], " Mo Tu We Th Fr Sa Su ");
        assert_eq!(r[2], "              1  2  3 ");
    }
}
