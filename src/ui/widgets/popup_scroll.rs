//! The selection and scroll of a detail popup (the event detail, the Materials detail): which
//! stop (a link or a material) is selected, the first content row shown, and whether the next
//! drawing brings the selected stop into view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PopupScroll {
    /// Index into the popup's stops.
    pub selected: usize,
    /// First content row shown.
    pub scroll: usize,
    /// Set by stop moves: the next drawing brings the selected stop into view.
    follow: bool,
}

impl PopupScroll {
    /// Down / `j` (Tab): the next of `stops`.
    pub fn next(&mut self, stops: usize) {
        if stops > 0 {
            self.selected = (self.selected + 1).min(stops - 1);
        }
        self.follow = true;
    }

    /// Up / `k`: the previous stop.
    pub fn prev(&mut self) {
        self.selected = self.selected.saturating_sub(1);
        self.follow = true;
    }

    /// The next drawing brings the selection into view (its status just changed).
    pub fn reveal(&mut self) {
        self.follow = true;
    }

    /// PgUp/PgDn in the popup (clamped when drawn).
    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self.scroll.saturating_add_signed(delta);
        self.follow = false;
    }

    /// Keeps the selection within `stops` (the content may have fewer since the last draw).
    pub fn clamp(&mut self, stops: usize) {
        self.selected = self.selected.min(stops.saturating_sub(1));
    }

    /// Draws `lines` into `inner` from the scroll, after bringing the selected stop's row
    /// (`stop_rows[selected]`) into view when it moved: from above with the line before it (its
    /// heading), from below as the last row.
    pub fn draw(&mut self, buf: &mut Buffer, inner: Rect, lines: &[Line], stop_rows: &[usize]) {
        let viewport = usize::from(inner.height);
        if self.follow
            && let Some(&row) = stop_rows.get(self.selected)
        {
            if row < self.scroll {
                self.scroll = row.saturating_sub(1);
            } else if row + 1 > self.scroll + viewport {
                self.scroll = row + 1 - viewport.max(1);
            }
        }
        self.follow = false;
        self.scroll = self.scroll.min(lines.len().saturating_sub(viewport));
        for (i, line) in lines.iter().skip(self.scroll).take(viewport).enumerate() {
            buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: usize, h: u16, scroll: &mut PopupScroll, stops: &[usize]) -> Vec<String> {
        let text: Vec<Line> = (0..lines).map(|i| Line::raw(format!("line {i}"))).collect();
        let area = Rect::new(0, 0, 10, h);
        let mut buf = Buffer::empty(area);
        scroll.draw(&mut buf, area, &text, stops);
        (0..h)
            .map(|y| (0..10).map(|x| buf[(x, y)].symbol()).collect::<String>())
            .collect()
    }

    /// Moving down brings a stop below into view as the last row; moving back up to one above
    /// shows it under the line before it; paging is clamped to the content.
    #[test]
    fn the_selected_stop_comes_into_view_both_ways() {
        let stops = [2, 8, 15];
        let mut s = PopupScroll::default();
        s.next(stops.len());
        s.next(stops.len());
        let shown = rows(20, 5, &mut s, &stops);
        assert_eq!((s.selected, s.scroll), (2, 11));
        assert_eq!(shown[4].trim_end(), "line 15");
        s.prev();
        rows(20, 5, &mut s, &stops);
        assert_eq!(s.scroll, 7, "line 8 under the line before it");
        s.scroll_by(100);
        rows(20, 5, &mut s, &stops);
        assert_eq!(s.scroll, 15, "clamped to the last page");
        s.clamp(1);
        assert_eq!(s.selected, 0);
    }
}
