//! The sign-in screen (shown instead of the panes when there is no session): username and
//! password, or a pasted API token on servers that sign in on a web page.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;
use zeroize::Zeroizing;

use crate::api::Token;
use crate::app::action::Effect;
use crate::app::keymap::{Command, Keymap, Scope};
use crate::domain::Loadable;
use crate::ui::Theme;
use crate::ui::shell::popup;

use super::step::Step;

/// How the sign-in screen asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMode {
    /// `form` or `ldap`: username and password.
    Password,
    /// `cas` or `shibboleth`: an API token made on the web My Profile page.
    Token,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInField {
    Username,
    Password,
}

pub struct SignIn {
    pub mode: Loadable<SignInMode>,
    pub username: TextArea<'static>,
    pub password: TextArea<'static>,
    pub token: TextArea<'static>,
    pub focus: SignInField,
    pub busy: bool,
    pub error: Option<String>,
    /// Why we are here, e.g. the server's reason for ending the session.
    pub notice: Option<String>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("mode", &self.mode)
            .field("busy", &self.busy)
            .finish_non_exhaustive()
    }
}

impl SignIn {
    pub fn new(notice: Option<String>) -> SignIn {
        let mut password = TextArea::default();
        password.set_mask_char('•');
        let mut token = TextArea::default();
        token.set_mask_char('•');
        SignIn {
            mode: Loadable::Loading,
            username: TextArea::default(),
            password,
            token,
            focus: SignInField::Username,
            busy: false,
            error: None,
            notice,
        }
    }
}

impl SignIn {
    /// A key on the sign-in screen; `Step::Quit` on Esc.
    pub fn key(&mut self, key: KeyEvent, keymap: &Keymap, fx: &mut Vec<Effect>) -> Step {
        let s = self;
        let command = keymap.lookup_in_any_modifier(&key, Scope::SignIn);
        if s.busy {
            if command == Some(Command::Quit) {
                return Step::Quit;
            }
            return Step::Stay;
        }
        // The server could not be asked how to sign in: there are no fields, and r or Enter
        // asks again (the same running program signs in once the server is up).
        if !matches!(s.mode, Loadable::Ready(_)) {
            match command {
                Some(Command::Quit) => return Step::Quit,
                Some(Command::Refresh | Command::Choose)
                    if matches!(s.mode, Loadable::Failed(_)) =>
                {
                    s.mode = Loadable::Loading;
                    fx.push(Effect::LoadAppConfig);
                }
                _ => {}
            }
            return Step::Stay;
        }
        let mode = s.mode.ready().copied();
        match command {
            Some(Command::Quit) => return Step::Quit,
            Some(Command::NextField) if mode == Some(SignInMode::Password) => {
                s.focus = match s.focus {
                    SignInField::Username => SignInField::Password,
                    SignInField::Password => SignInField::Username,
                };
            }
            Some(Command::Choose) => match mode {
                Some(SignInMode::Password) => {
                    let username = s.username.lines().join("").trim().to_string();
                    let password = Zeroizing::new(s.password.lines().join(""));
                    if username.is_empty() {
                        s.error = Some("Enter your username.".into());
                        s.focus = SignInField::Username;
                    } else if s.focus == SignInField::Username {
                        s.focus = SignInField::Password;
                    } else if password.is_empty() {
                        s.error = Some("Enter your password.".into());
                    } else {
                        s.busy = true;
                        s.error = None;
                        fx.push(Effect::SignIn { username, password });
                    }
                }
                Some(SignInMode::Token) => {
                    let text = Zeroizing::new(s.token.lines().join(""));
                    if text.trim().is_empty() {
                        s.error = Some(
                            "Paste an API token made on the My Profile page of the web client."
                                .into(),
                        );
                    } else {
                        s.busy = true;
                        s.error = None;
                        fx.push(Effect::CheckToken(Token::new(text.trim())));
                    }
                }
                None => {}
            },
            _ => {
                let area = match (mode, s.focus) {
                    (Some(SignInMode::Token), _) => &mut s.token,
                    (_, SignInField::Username) => &mut s.username,
                    (_, SignInField::Password) => &mut s.password,
                };
                // Single-line inputs: Ctrl-M would insert a newline.
                let newline =
                    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('m');
                if !newline {
                    area.input(key);
                }
            }
        }
        Step::Stay
    }

    /// Pasted text goes to the focused field.
    pub fn paste(&mut self, clean: String) {
        let sign_in = self;
        let area = match (sign_in.mode.ready(), sign_in.focus) {
            (Some(SignInMode::Token), _) => &mut sign_in.token,
            (_, SignInField::Username) => &mut sign_in.username,
            (_, SignInField::Password) => &mut sign_in.password,
        };
        area.insert_str(clean);
    }
}

/// The server could not be asked how to sign in: why (the whole text, wrapped over every row
/// of the box) and what to do.
fn draw_unreachable(
    frame: &mut Frame,
    inner: Rect,
    why: &str,
    notice: Option<&str>,
    theme: &Theme,
) {
    let mut lines = Vec::new();
    if let Some(notice) = notice {
        lines.push(Line::styled(notice.to_string(), theme.warning()));
        lines.push(Line::default());
    }
    lines.push(Line::styled(why.to_string(), theme.alert()));
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("r", theme.label()),
        Span::styled(" or ", theme.dim()),
        Span::styled("Enter", theme.label()),
        Span::styled(" tries again · ", theme.dim()),
        Span::styled("Esc", theme.label()),
        Span::styled(" quits", theme.dim()),
    ]));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// The focused field is marked with more than a colour.
fn field_label(label: &str, focused: bool) -> String {
    format!("{} {label}", if focused { "▶" } else { " " })
}

pub fn draw_sign_in(frame: &mut Frame, area: Rect, s: &SignIn, host: &str, theme: &Theme) {
    let inner = popup(frame, area, 60, 14, &format!("Sign in to {host}"), theme);
    if let Loadable::Failed(e) = &s.mode {
        draw_unreachable(frame, inner, e, s.notice.as_deref(), theme);
        return;
    }
    let mut rows = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .split(inner)
    .to_vec()
    .into_iter();
    let mut next = || rows.next().unwrap_or_default();
    let notice = s.notice.clone().unwrap_or_default();
    frame.render_widget(
        Paragraph::new(Line::styled(notice, theme.warning())).wrap(Wrap { trim: true }),
        next(),
    );
    let field_style = |focused: bool| {
        if focused {
            theme.selected()
        } else {
            theme.text()
        }
    };
    match &s.mode {
        Loadable::Loading => {
            frame.render_widget(
                Paragraph::new("Asking the server how to sign in ..."),
                next(),
            );
        }
        Loadable::Failed(_) => {} // drawn by `draw_unreachable`
        Loadable::Ready(SignInMode::Password) => {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    field_label("Username", s.focus == SignInField::Username),
                    theme.label(),
                )),
                next(),
            );
            let mut username = s.username.clone();
            username.set_style(field_style(s.focus == SignInField::Username));
            username.set_cursor_style(if s.focus == SignInField::Username {
                Style::new().add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                Style::new()
            });
            frame.render_widget(&username, next());
            frame.render_widget(
                Paragraph::new(Span::styled(
                    field_label("Password", s.focus == SignInField::Password),
                    theme.label(),
                )),
                next(),
            );
            let mut password = s.password.clone();
            password.set_style(field_style(s.focus == SignInField::Password));
            password.set_cursor_style(if s.focus == SignInField::Password {
                Style::new().add_modifier(ratatui::style::Modifier::REVERSED)
            } else {
                Style::new()
            });
            frame.render_widget(&password, next());
        }
        Loadable::Ready(SignInMode::Token) => {
            frame.render_widget(
                Paragraph::new("This server signs in on a web page. Paste an API token made on its My Profile page:")
                    .wrap(Wrap { trim: true }),
                next(),
            );
            next();
            frame.render_widget(&s.token, next());
        }
    }
    next();
    let status = if s.busy {
        Line::styled("Signing in ...", theme.dim())
    } else if let Some(e) = &s.error {
        Line::styled(e.clone(), theme.alert())
    } else {
        Line::styled(
            "Tab switches fields · Enter signs in · Esc quits",
            theme.dim(),
        )
    };
    frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), next());
}
