//! Flash messages in the status bar, as Ilios shows them at the top of the page: success and
//! warning fade after 3 seconds, an alert stays until a key is pressed, a newer one replaces an
//! older one, Esc dismisses.
//!
//! Each kind starts with a bracketed ASCII word, `[ok]`, `[warning]`, `[alert]`, as well as its
//! colour: ASCII renders in every terminal font (the Linux console has no ✓/✗), a screen reader
//! reads it, and it survives `NO_COLOR` and copy-paste of the screen.

use crate::ui::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use std::time::{Duration, Instant};

/// How long success and warning messages stay (ember-cli-flash's default timeout).
pub const FLASH_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    /// What was done when its outcome cannot be known (a copy with OSC 52).
    Info,
    Warning,
    Alert,
}

impl FlashKind {
    /// The word shown before the text, so the kind reads without colour.
    pub fn mark(self) -> &'static str {
        match self {
            FlashKind::Success => "[ok]",
            FlashKind::Info => "[info]",
            FlashKind::Warning => "[warning]",
            FlashKind::Alert => "[alert]",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
    pub shown_at: Instant,
}

impl Flash {
    pub fn new(kind: FlashKind, text: impl Into<String>, shown_at: Instant) -> Self {
        Flash {
            kind,
            text: text.into(),
            shown_at,
        }
    }
    pub fn success(text: impl Into<String>) -> Self {
        Self::new(FlashKind::Success, text, Instant::now())
    }
    pub fn warning(text: impl Into<String>) -> Self {
        Self::new(FlashKind::Warning, text, Instant::now())
    }
    pub fn alert(text: impl Into<String>) -> Self {
        Self::new(FlashKind::Alert, text, Instant::now())
    }

    /// When it goes away by itself; `None` for an alert, which waits for a key.
    pub fn expires_at(&self) -> Option<Instant> {
        match self.kind {
            FlashKind::Success | FlashKind::Info | FlashKind::Warning => {
                Some(self.shown_at + FLASH_TIMEOUT)
            }
            FlashKind::Alert => None,
        }
    }

    pub fn is_expired(&self, now: Instant) -> bool {
        self.expires_at().is_some_and(|at| now >= at)
    }

    /// The status-bar line: the mark, the text, and for an alert a hint that a key dismisses it.
    pub fn line(&self, theme: &Theme) -> Line<'static> {
        self.line_with_hint(theme, true)
    }

    fn line_with_hint(&self, theme: &Theme, hint: bool) -> Line<'static> {
        let style = match self.kind {
            FlashKind::Success => theme.success(),
            FlashKind::Info => theme.text(),
            FlashKind::Warning => theme.warning(),
            FlashKind::Alert => theme.alert(),
        };
        let mut spans = vec![
            Span::styled(format!("{} ", self.kind.mark()), style),
            Span::styled(self.text.clone(), style),
        ];
        if hint && self.kind == FlashKind::Alert {
            spans.push(Span::styled("  (press any key)", theme.dim()));
        }
        Line::from(spans)
    }
}

/// Draw `flash` in one status-bar line (the first row of `area`).
pub fn render_flash(frame: &mut Frame, area: Rect, flash: &Flash, theme: &Theme) {
    let row = Rect {
        height: area.height.min(1),
        ..area
    };
    let mut line = flash.line(theme);
    if line.width() > usize::from(row.width) {
        // The message matters more than the hint.
        line = flash.line_with_hint(theme, false);
    }
    frame.render_widget(line, row);
}

/// The one flash slot of the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlashBar {
    pub current: Option<Flash>,
}

impl FlashBar {
    /// Show `flash`, replacing whatever was there.
    pub fn show(&mut self, flash: Flash) {
        self.current = Some(flash);
    }

    /// The message to draw at `now`, if any (an expired one is dropped).
    pub fn visible(&mut self, now: Instant) -> Option<&Flash> {
        if self.current.as_ref().is_some_and(|f| f.is_expired(now)) {
            self.current = None;
        }
        self.current.as_ref()
    }

    /// When the event loop must wake to take the message down.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.current.as_ref().and_then(Flash::expires_at)
    }

    /// Call on every key press, before the key goes anywhere else. Esc dismisses any message;
    /// any other key dismisses an alert. Returns `true` when the key was used up, which is only
    /// Esc dismissing an alert; in every other case the key still does its usual job (so Esc
    /// after a copy's message both clears it and closes the panel).
    pub fn on_key(&mut self, is_esc: bool) -> bool {
        let Some(flash) = &self.current else {
            return false;
        };
        let alert = flash.kind == FlashKind::Alert;
        if is_esc || alert {
            self.current = None;
        }
        is_esc && alert
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn success_and_warning_expire_after_three_seconds() {
        let t0 = Instant::now();
        for kind in [FlashKind::Success, FlashKind::Warning] {
            let f = Flash::new(kind, "x", t0);
            assert_eq!(f.expires_at(), Some(t0 + Duration::from_secs(3)));
            assert!(!f.is_expired(t0 + Duration::from_millis(2999)));
            assert!(f.is_expired(t0 + Duration::from_secs(3)));
        }
    }

    #[test]
    fn alert_stays_until_a_key() {
        let t0 = Instant::now();
        let f = Flash::new(FlashKind::Alert, "x", t0);
        assert_eq!(f.expires_at(), None);
        assert!(!f.is_expired(t0 + Duration::from_secs(3600)));
        let mut bar = FlashBar::default();
        bar.show(f);
        assert!(bar.visible(t0 + Duration::from_secs(3600)).is_some());
        assert!(!bar.on_key(false), "a plain key is not used up");
        assert!(bar.current.is_none());
        bar.show(Flash::new(FlashKind::Alert, "y", t0));
        assert!(bar.on_key(true), "Esc dismissing an alert is used up");
        assert!(bar.current.is_none());
    }

    #[test]
    fn bar_replaces_expires_and_esc_dismisses() {
        let t0 = Instant::now();
        let mut bar = FlashBar::default();
        bar.show(Flash::new(FlashKind::Alert, "old", t0));
        bar.show(Flash::new(FlashKind::Success, "new", t0));
        assert_eq!(bar.visible(t0).map(|f| f.text.as_str()), Some("new"));
        assert_eq!(bar.next_deadline(), Some(t0 + FLASH_TIMEOUT));
        assert!(!bar.on_key(false), "other keys leave a success alone");
        assert!(bar.current.is_some());
        assert!(bar.visible(t0 + FLASH_TIMEOUT).is_none());
        bar.show(Flash::new(FlashKind::Warning, "w", t0));
        assert!(!bar.on_key(true), "Esc still does its usual job");
        assert!(bar.current.is_none());
    }

    fn snapshot(flash: &Flash) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                let bar = Rect {
                    y: area.height - 1,
                    height: 1,
                    ..area
                };
                render_flash(frame, bar, flash, &Theme::default());
            })
            .unwrap();
        terminal
    }

    #[test]
    fn snapshot_success() {
        let t = snapshot(&Flash::success("Copied successfully"));
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn snapshot_warning() {
        let t = snapshot(&Flash::warning(
            "The server took too long; showing the last data",
        ));
        insta::assert_snapshot!(t.backend());
    }

    #[test]
    fn snapshot_alert() {
        let t = snapshot(&Flash::alert(
            "You've been logged out because of invalid authentication.",
        ));
        insta::assert_snapshot!(t.backend());
    }
}
