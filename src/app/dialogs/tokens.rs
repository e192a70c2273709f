//! The token dialogs over My Profile: "Create New" (a keyboard calendar, then the new token
//! shown once) and "Invalidate All Tokens" (a confirm). This room owns their state, their keys
//! and their drawing; `update` only routes keys and answers here.
//!
//! Closing drops the form, and the token's [`Token`] zeroes its bytes.

use crossterm::event::{KeyEvent, KeyModifiers};
use zeroize::Zeroizing;

use crate::api::{ApiError, Token};
use crate::app::action::Effect;
use crate::app::keymap::{Command, Keymap, Scope};
use crate::app::session::Now;
use crate::domain::tokens::{CalendarKey, CalendarState, describe_expiry, ttl_until};
use crate::domain::week::WeekStart;
use crate::ui::Theme;
use crate::ui::tokens::{NEW_TOKEN, QUESTION, TOO_OLD};
use crate::ui::widgets::calendar::{self, Calendar};
use crate::ui::widgets::confirm::wrap;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::confirm::{ConfirmChoice, ConfirmState};
use super::step::Step;

fn weekday(start: WeekStart) -> chrono::Weekday {
    match start {
        WeekStart::Sunday => chrono::Weekday::Sun,
        WeekStart::Monday => chrono::Weekday::Mon,
    }
}

/// A new "Create New" form for a session first created at `first_created`.
pub fn new_token_form(
    now: &Now,
    first_created: Option<chrono::DateTime<chrono::Utc>>,
    week_start: WeekStart,
) -> TokenForm {
    let calendar = CalendarState::for_token(&now.local, first_created, weekday(week_start));
    TokenForm::open(calendar)
}

impl TokenForm {
    /// A key in the open form: the request and the clipboard go out as effects.
    pub fn key(&mut self, key: KeyEvent, now: &Now, keymap: &Keymap, fx: &mut Vec<Effect>) -> Step {
        let form = self;
        match form.handle_key(key, keymap) {
            TokenAction::None => {}
            TokenAction::Close => return Step::Close,
            TokenAction::Create(date) => match ttl_until(&now.local, date) {
                // The ttl is computed at the moment of sending, as Ilios does.
                Some(ttl) => fx.push(Effect::CreateToken { ttl }),
                None => form.fail("That date has already ended; pick a later one."),
            },
            TokenAction::PlainView(on) => {
                if let TokenForm::Created { plain, .. } = form {
                    *plain = on;
                }
            }
            TokenAction::Copy => {
                if let TokenForm::Created { token, .. } = &form {
                    let text = Zeroizing::new(token.expose().to_string());
                    fx.push(Effect::Copy {
                        through_terminal: false,
                        what: "token",
                        text,
                    });
                }
            }
        }
        Step::Stay
    }

    /// The server's answer to "create": shown in the form. A 401 is handed back: it ends the
    /// session, which is the app's business.
    pub fn answer(&mut self, result: Result<Token, ApiError>) -> Option<ApiError> {
        let form = self;
        match result {
            Ok(token) => form.created(token),
            Err(ApiError::BadRequest { message, .. }) => form.fail(message),
            Err(e) if e.is_unauthorized() => return Some(e),
            Err(e) => form.fail(e.to_string()),
        }
        None
    }
}

/// A key in the "Invalidate All Tokens" confirm. Yes starts the request; the dialog stays,
/// busy, until the answer.
pub fn invalidate_key(state: &mut ConfirmState, key: KeyEvent, keymap: &Keymap) -> Step {
    match state.handle_key(key, keymap) {
        Some(ConfirmChoice::Yes) => {
            state.busy = true;
            Step::StartInvalidation
        }
        Some(ConfirmChoice::Cancel) => Step::Close,
        None => Step::Stay,
    }
}

/// The token form, from picking a date to showing the new token once.
#[derive(Debug)]
pub enum TokenForm {
    /// Choosing the expiry date.
    Picking(CalendarState),
    /// `GET /auth/token` is running for the selected date.
    Creating(CalendarState),
    /// The server said no (its message, verbatim); the form stays open.
    Failed(CalendarState, String),
    /// No date is allowed (see [`TOO_OLD`]).
    Unavailable,
    /// The new token, shown once; `copied` says where the last copy went; `plain` shows the
    /// token alone (see [`TokenForm::plain_text`]).
    Created {
        token: Token,
        expires: String,
        copied: Option<String>,
        plain: bool,
    },
}

/// What the app should do after a key in the token form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAction {
    /// Nothing beyond redrawing.
    None,
    /// Request a token that expires at 23:59:59 local on this date (the form is now `Creating`;
    /// compute the ttl with `domain::tokens::ttl_until` at the moment of sending).
    Create(NaiveDate),
    /// Copy the token (see `clipboard`); where it went is flashed and noted in the form.
    Copy,
    /// Show the token alone (`true`) or back in the form (`false`).
    PlainView(bool),
    /// Close the form (drop it: that wipes any token).
    Close,
}

impl TokenForm {
    /// A new form; `None` for the calendar means no date is allowed.
    pub fn open(calendar: Option<CalendarState>) -> Self {
        calendar.map_or(TokenForm::Unavailable, TokenForm::Picking)
    }

    /// The token, when it is to be shown alone: no border, no other text on its lines, written
    /// as one run that the terminal wraps itself, so a mouse selection copies it whole.
    pub fn plain_text(&self) -> Option<&str> {
        match self {
            TokenForm::Created {
                token, plain: true, ..
            } => Some(token.expose()),
            _ => None,
        }
    }

    /// Note where the last copy went (shown under the token until the form closes).
    pub fn copied(&mut self, note: String) {
        if let TokenForm::Created { copied, .. } = self {
            *copied = Some(note);
        }
    }

    pub fn calendar(&self) -> Option<&CalendarState> {
        match self {
            TokenForm::Picking(c) | TokenForm::Creating(c) | TokenForm::Failed(c, _) => Some(c),
            _ => None,
        }
    }

    /// The request failed: show `message` (verbatim) and keep the form open.
    pub fn fail(&mut self, message: impl Into<String>) {
        if let Some(&c) = self.calendar() {
            *self = TokenForm::Failed(c, message.into());
        }
    }

    /// The server answered with a token for the date that was selected.
    pub fn created(&mut self, token: Token) {
        if let Some(c) = self.calendar() {
            let expires = describe_expiry(c.selected);
            *self = TokenForm::Created {
                token,
                expires,
                copied: None,
                plain: false,
            };
        }
    }

    /// Keys: calendar keys move the date; Enter creates; Esc cancels (or closes the New Token
    /// panel); `c` copies the new token. While creating, keys are ignored. In `Failed` any key
    /// clears the message and then does its job.
    pub fn handle_key(&mut self, key: KeyEvent, keymap: &Keymap) -> TokenAction {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return TokenAction::None;
        }
        match self {
            TokenForm::Creating(_) => TokenAction::None,
            TokenForm::Unavailable => match keymap.lookup_in(&key, Scope::Calendar) {
                Some(Command::Close | Command::Choose) => TokenAction::Close,
                _ => TokenAction::None,
            },
            // In the plain view any key goes back to the form.
            TokenForm::Created { plain: true, .. } => TokenAction::PlainView(false),
            TokenForm::Created { .. } => match keymap.lookup_in(&key, Scope::NewToken) {
                Some(Command::Close) => TokenAction::Close,
                Some(Command::Copy) => TokenAction::Copy,
                Some(Command::PlainView) => TokenAction::PlainView(true),
                _ => TokenAction::None,
            },
            TokenForm::Picking(c) | TokenForm::Failed(c, _) => {
                let mut c = *c;
                let action = match keymap.lookup_in(&key, Scope::Calendar) {
                    Some(Command::Close) => return TokenAction::Close,
                    Some(Command::Choose) => {
                        *self = TokenForm::Creating(c);
                        return TokenAction::Create(c.selected);
                    }
                    command => {
                        if let Some(k) = command.and_then(calendar_key) {
                            c.apply(k);
                        }
                        TokenAction::None
                    }
                };
                *self = TokenForm::Picking(c);
                action
            }
        }
    }
}

/// The calendar move a command of the calendar's scope means, if any.
pub fn calendar_key(command: Command) -> Option<CalendarKey> {
    Some(match command {
        Command::DayBack => CalendarKey::Left,
        Command::DayOn => CalendarKey::Right,
        Command::WeekBack => CalendarKey::Up,
        Command::WeekOn => CalendarKey::Down,
        Command::PrevMonth => CalendarKey::PrevMonth,
        Command::NextMonth => CalendarKey::NextMonth,
        Command::FirstDate => CalendarKey::First,
        Command::LastDate => CalendarKey::Last,
        Command::DefaultDate => CalendarKey::Default,
        _ => return None,
    })
}

/// Width of the popup: enough for the calendar and its key hints, at most the area.
const POPUP_WIDTH: u16 = 64;

/// Draw the token form as a popup centred over `body`, or over the whole frame `full` when the
/// body is too short (60x16): lines that only space things out go first, then the less needed
/// ones; the month grid, the expiry line, the token and the key hints always stay.
pub fn render_token_form(
    frame: &mut Frame,
    body: Rect,
    full: Rect,
    form: &TokenForm,
    theme: &Theme,
) {
    let width = body.width.min(POPUP_WIDTH);
    let inner_width = width.saturating_sub(4).max(1) as usize;
    let block = |title: &str| {
        Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border())
            .title(Span::styled(format!(" {title} "), theme.title()))
            .padding(ratatui::widgets::Padding::horizontal(1))
    };
    // The popup over the body when `height` rows fit there, else over the whole frame.
    let place = |height: u16| {
        let area = if height <= body.height { body } else { full };
        popup(area, width, height)
    };

    match form {
        TokenForm::Created {
            token,
            expires,
            copied,
            ..
        } => {
            // (line, how readily it is dropped: 0 never)
            let mut lines: Vec<(Line, u8)> = vec![(Line::styled(NEW_TOKEN, theme.label()), 2)];
            lines.extend(
                chunk(token.expose(), inner_width)
                    .into_iter()
                    .map(|l| (Line::styled(l, theme.link()), 0)),
            );
            lines.push((Line::default(), 4));
            lines.push((
                Line::from(vec![
                    Span::styled("Expires: ", theme.label()),
                    Span::styled(expires.as_str(), theme.text()),
                ]),
                0,
            ));
            lines.push((Line::styled("It is shown only this once.", theme.dim()), 3));
            if let Some(note) = copied {
                lines.extend(
                    wrap(note, inner_width)
                        .into_iter()
                        .map(|l| (Line::styled(l, theme.text()), 1)),
                );
            }
            lines.push((Line::default(), 4));
            lines.push((
                hints(
                    &[("c", "copy"), ("v", "plain view"), ("Esc", "close")],
                    theme,
                ),
                0,
            ));
            let needed = lines.iter().filter(|(_, level)| *level == 0).count();
            let room = if needed + 2 <= usize::from(body.height) {
                body.height
            } else {
                full.height
            };
            let lines = fit(lines, room.saturating_sub(2));
            let popup = place(lines.len() as u16 + 2);
            frame.render_widget(Clear, popup);
            frame.render_widget(Paragraph::new(lines).block(block("New Token")), popup);
        }
        TokenForm::Unavailable => {
            let mut lines: Vec<Line> = wrap(TOO_OLD, inner_width)
                .into_iter()
                .map(|l| Line::styled(l, theme.alert()))
                .collect();
            lines.push(Line::default());
            lines.push(hints(&[("Esc", "close")], theme));
            let popup = place(lines.len() as u16 + 2);
            frame.render_widget(Clear, popup);
            frame.render_widget(Paragraph::new(lines).block(block("Create New")), popup);
        }
        TokenForm::Picking(c) | TokenForm::Creating(c) | TokenForm::Failed(c, _) => {
            // Status under the calendar: progress, the server's message, or nothing.
            let status: Vec<Line> = match form {
                TokenForm::Creating(_) => vec![Line::styled("Creating token ...", theme.warning())],
                TokenForm::Failed(_, message) => wrap(&format!("[alert] {message}"), inner_width)
                    .into_iter()
                    .map(|l| Line::styled(l, theme.alert()))
                    .collect(),
                _ => vec![],
            };
            let mut rows = CalendarRows::fitting(status.len() as u16, body.height);
            if rows.height() > body.height {
                rows = CalendarRows::fitting(status.len() as u16, full.height);
            }
            let popup = place(rows.height());
            frame.render_widget(Clear, popup);
            let outer = block("Create New");
            let inner = outer.inner(popup);
            frame.render_widget(outer, popup);

            let [question, _, cal_row, _, expiry, status_area, _, hint_row] = Layout::vertical([
                Constraint::Length(rows.question),
                Constraint::Length(rows.gap_above),
                Constraint::Length(calendar::HEIGHT),
                Constraint::Length(rows.gap_below),
                Constraint::Length(1),
                Constraint::Length(rows.status),
                Constraint::Length(rows.gap_hints),
                Constraint::Length(1),
            ])
            .areas(inner);
            frame.render_widget(Line::styled(QUESTION, theme.label()), question);

            let [cal_area, _, keys_area] = Layout::horizontal([
                Constraint::Length(calendar::WIDTH),
                Constraint::Length(2),
                Constraint::Min(0),
            ])
            .areas(cal_row);
            frame.render_widget(Calendar::new(c, theme), cal_area);
            let key_lines = vec![
                key_hint("←/→  h/l", "one day", theme),
                key_hint("↑/↓  k/j", "one week", theme),
                key_hint("PgUp/PgDn [/]", "one month", theme),
                key_hint("Home/End", "first/last allowed", theme),
                key_hint("t", "back to two weeks", theme),
                Line::default(),
                Line::styled(format!("Allowed from {}", c.min), theme.dim()),
                Line::styled(format!("          to {}", c.max), theme.dim()),
            ];
            frame.render_widget(Paragraph::new(key_lines), keys_area);

            frame.render_widget(
                Line::from(vec![
                    Span::styled("Expires: ", theme.label()),
                    Span::styled(describe_expiry(c.selected), theme.text()),
                ]),
                expiry,
            );
            frame.render_widget(Paragraph::new(status), status_area);
            let hint = if matches!(form, TokenForm::Creating(_)) {
                Line::styled("Please wait", theme.dim())
            } else {
                hints(&[("Enter", "create"), ("Esc", "cancel")], theme)
            };
            frame.render_widget(hint, hint_row);
        }
    }
}

/// The lines of `lines` that fit in `max` rows: the most readily dropped go first (the last of
/// them first), and a line marked 0 is never dropped.
fn fit(mut lines: Vec<(Line<'_>, u8)>, max: u16) -> Vec<Line<'_>> {
    for level in (1..=u8::MAX).rev() {
        while lines.len() > usize::from(max) {
            match lines.iter().rposition(|(_, l)| *l == level) {
                Some(i) => {
                    lines.remove(i);
                }
                None => break,
            }
        }
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

/// The optional rows of the calendar form, as many as fit in a frame `max` rows high: the
/// status first, then the question, then the blank rows. The calendar, the expiry line and
/// the hints always stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CalendarRows {
    question: u16,
    gap_above: u16,
    gap_below: u16,
    status: u16,
    gap_hints: u16,
}

impl CalendarRows {
    fn fitting(status: u16, max: u16) -> Self {
        let none = CalendarRows {
            question: 0,
            gap_above: 0,
            gap_below: 0,
            status: 0,
            gap_hints: 0,
        };
        let mut left = max.saturating_sub(none.height());
        let mut take = |want: u16| {
            let got = want.min(left);
            left -= got;
            got
        };
        // In this order of need.
        let status = take(status);
        let question = take(1);
        let gap_below = take(1);
        let gap_above = take(1);
        let gap_hints = take(1);
        CalendarRows {
            question,
            gap_above,
            gap_below,
            status,
            gap_hints,
        }
    }

    /// The popup's height: borders, calendar, expiry and hints, and the optional rows.
    fn height(&self) -> u16 {
        2 + calendar::HEIGHT
            + 1
            + 1
            + self.question
            + self.gap_above
            + self.gap_below
            + self.status
            + self.gap_hints
    }
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(
        Constraint::Length(width),
        Constraint::Length(height.min(area.height)),
    )
}

fn key_hint(keys: &'static str, what: &'static str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{keys:<14}"), theme.label()),
        Span::styled(what, theme.dim()),
    ])
}

fn hints<'a>(pairs: &[(&'a str, &'a str)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (key, what)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(*key, theme.label()));
        spans.push(Span::styled(format!(" {what}"), theme.dim()));
    }
    Line::from(spans)
}

/// Split a token into lines of `width` columns, borrowing (no copies of the secret); never
/// between the parts of a grapheme cluster.
fn chunk(text: &str, width: usize) -> Vec<&str> {
    crate::ui::text::chunk(text, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::tokens::section_lines;
    use chrono::Weekday;
    use crossterm::event::KeyCode;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> CalendarState {
        CalendarState::new(
            d(2026, 11, 28),
            d(2026, 11, 28),
            d(2027, 2, 25),
            Weekday::Sun,
        )
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJpbGlvcyIsImF1ZCI6ImlsaW9zIiwiaWF0IjoiMTc5NDU4NjQwMCIsImV4cCI6IjE3OTU4Mjc1OTkiLCJmaXJzdENyZWF0ZWRBdCI6IjE3OTQ1ODY0MDAiLCJyZWZyZXNoQ291bnQiOjEsInVzZXJfaWQiOjV9.c2lnbmF0dXJlLW5vdC1yZWFsLWRlbW8tb25seQ";

    fn draw(form: &TokenForm) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| {
                let area = frame.area();
                let lines = section_lines("https://ilios.example.edu/api/doc", &Theme::default());
                frame.render_widget(
                    Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
                    area,
                );
                render_token_form(frame, area, area, form, &Theme::default());
            })
            .unwrap();
        terminal
    }

    #[test]
    fn keys_walk_through_the_form() {
        let mut form = TokenForm::open(Some(cal()));
        assert_eq!(
            form.handle_key(key(KeyCode::Char('l')), &Keymap::default()),
            TokenAction::None
        );
        assert_eq!(form.calendar().unwrap().selected, d(2026, 12, 13));
        assert_eq!(
            form.handle_key(key(KeyCode::Enter), &Keymap::default()),
            TokenAction::Create(d(2026, 12, 13))
        );
        assert!(matches!(form, TokenForm::Creating(_)));
        assert_eq!(
            form.handle_key(key(KeyCode::Esc), &Keymap::default()),
            TokenAction::None,
            "busy"
        );
        form.fail("Refresh limit 12 exceeded");
        assert!(matches!(&form, TokenForm::Failed(_, m) if m == "Refresh limit 12 exceeded"));
        assert_eq!(
            form.handle_key(key(KeyCode::Char('h')), &Keymap::default()),
            TokenAction::None
        );
        assert!(matches!(form, TokenForm::Picking(c) if c.selected == d(2026, 12, 12)));
        form.handle_key(key(KeyCode::Enter), &Keymap::default());
        form.created(Token::new(TOKEN));
        match &form {
            TokenForm::Created { token, expires, .. } => {
                assert_eq!(token.expose(), TOKEN);
                assert_eq!(expires, "Saturday, December 12, 2026 at 23:59:59");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            !format!("{form:?}").contains("eyJ"),
            "Debug never shows the token"
        );
        assert_eq!(
            form.handle_key(key(KeyCode::Char('c')), &Keymap::default()),
            TokenAction::Copy
        );
        assert_eq!(
            form.handle_key(key(KeyCode::Enter), &Keymap::default()),
            TokenAction::None
        );
        assert_eq!(
            form.handle_key(key(KeyCode::Esc), &Keymap::default()),
            TokenAction::Close
        );
    }

    #[test]
    fn esc_cancels_and_unavailable_closes() {
        let mut form = TokenForm::open(Some(cal()));
        assert_eq!(
            form.handle_key(key(KeyCode::Esc), &Keymap::default()),
            TokenAction::Close
        );
        let mut form = TokenForm::open(None);
        assert!(matches!(form, TokenForm::Unavailable));
        assert_eq!(
            form.handle_key(key(KeyCode::Enter), &Keymap::default()),
            TokenAction::Close
        );
    }

    #[test]
    fn calendar_keys_map() {
        let map = Keymap::default();
        let cal = |code| {
            map.lookup_in(&key(code), Scope::Calendar)
                .and_then(calendar_key)
        };
        assert_eq!(cal(KeyCode::Char('h')), Some(CalendarKey::Left));
        assert_eq!(cal(KeyCode::Char(']')), Some(CalendarKey::NextMonth));
        assert_eq!(cal(KeyCode::PageUp), Some(CalendarKey::PrevMonth));
        assert_eq!(cal(KeyCode::End), Some(CalendarKey::Last));
        assert_eq!(cal(KeyCode::Char('t')), Some(CalendarKey::Default));
        assert_eq!(cal(KeyCode::Enter), None);
    }

    #[test]
    fn chunk_splits_without_copying() {
        assert_eq!(chunk("abcdefg", 3), vec!["abc", "def", "g"]);
        assert!(chunk("", 3).is_empty());
    }

    #[test]
    fn snapshot_picking() {
        insta::assert_snapshot!(draw(&TokenForm::Picking(cal())).backend());
    }

    #[test]
    fn snapshot_creating() {
        insta::assert_snapshot!(draw(&TokenForm::Creating(cal())).backend());
    }

    #[test]
    fn snapshot_failed() {
        let message = "Invalid TTL value, maximum expiration date is \n2027-02-25T12:00:00+00:00";
        insta::assert_snapshot!(draw(&TokenForm::Failed(cal(), message.to_string())).backend());
    }

    #[test]
    fn snapshot_created() {
        let form = TokenForm::Created {
            token: Token::new(TOKEN),
            expires: describe_expiry(d(2026, 12, 12)),
            copied: None,
            plain: false,
        };
        insta::assert_snapshot!(draw(&form).backend());
    }

    #[test]
    fn snapshot_unavailable() {
        insta::assert_snapshot!(draw(&TokenForm::Unavailable).backend());
    }

    #[test]
    fn selected_date_is_reversed_in_the_form() {
        let t = draw(&TokenForm::Picking(cal()));
        let buf = t.backend().buffer();
        let (x, y) = (0..buf.area.height)
            .find_map(|y| {
                let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
                row.windows(4)
                    .position(|w| w.concat() == "[12]")
                    .map(|x| (x as u16, y))
            })
            .expect("the selected date is bracketed");
        for dx in 0..4 {
            assert!(buf[(x + dx, y)].modifier.contains(Modifier::REVERSED));
        }
        assert!(!buf[(x + 4, y)].modifier.contains(Modifier::REVERSED));
    }
}
