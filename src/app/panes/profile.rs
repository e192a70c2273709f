//! My Profile: the user record's related parts as they arrive (the second wave of requests), the
//! pane's scroll and school/year choice, and the Manage API Tokens section.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::api::ApiError;
use crate::api::models::User;
use futures::StreamExt;

use crate::api::profile::fetch_profile_parts;
use crate::app::action::{Action, Answer, ProfileAnswer, Stamp};
use crate::app::keymap::Command;
use crate::domain::Loadable;
use crate::domain::profile::ProfileData;
use crate::ui::Theme;
use crate::ui::profile::ProfilePaneState;

/// My Profile: the user record's related parts as they arrive, and the pane's scroll and
/// school/year choice.
#[derive(Debug, Default)]
pub struct ProfileView {
    /// The wave whose answers we take; answers of an older wave are dropped.
    pub seq: u64,
    pub data: Option<ProfileData>,
    pub pane: ProfilePaneState,
}

impl ProfileView {
    /// A new wave for `user` starts.
    pub fn start(&mut self, seq: u64, user: &User, crosses: bool) {
        self.seq = seq;
        self.data = Some(ProfileData::new(user.clone(), crosses));
    }

    /// The app config can arrive after the user record; the year labels depend on it.
    pub fn app_config_changed(&mut self, crosses: bool) {
        if let Some(data) = &mut self.data {
            data.crosses_boundary = crosses;
        }
    }

    /// One answer of the wave. A 401 is handed back: it ends the session (or is retried).
    pub fn receive(
        &mut self,
        seq: u64,
        answer: ProfileAnswer,
        today: chrono::NaiveDate,
    ) -> Result<(), ApiError> {
        if seq != self.seq {
            return Ok(());
        }
        let Some(data) = &mut self.data else {
            return Ok(());
        };
        let result = match answer.body {
            Ok(body) => {
                data.receive(&answer.query, Ok(body));
                Ok(())
            }
            Err(e) => {
                data.receive(&answer.query, Err(e.to_string()));
                if e.is_unauthorized() { Err(e) } else { Ok(()) }
            }
        };
        self.pane.settle(data, today);
        result
    }

    pub fn command(&mut self, command: Command, today: chrono::NaiveDate) {
        let view = self;
        let pane = &mut view.pane;
        match command {
            Command::Up => pane.scroll_by(-1),
            Command::Down => pane.scroll_by(1),
            Command::PageUp => pane.page(false),
            Command::PageDown => pane.page(true),
            Command::Top => pane.top(),
            Command::Bottom => pane.bottom(),
            Command::Expand => pane.toggle_permissions(),
            _ => {
                let Some(data) = &view.data else { return };
                match command {
                    Command::NextSchool => pane.cycle_school(data, true),
                    Command::PrevSchool => pane.cycle_school(data, false),
                    Command::NextYear => pane.cycle_year(data, today, true),
                    Command::PrevYear => pane.cycle_year(data, today, false),
                    _ => {}
                }
            }
        }
    }

    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        user: &Loadable<User>,
        api_doc_url: &str,
        theme: &Theme,
    ) {
        let theme = *theme;
        match (&self.data, user) {
            (Some(data), _) => {
                let footer = crate::ui::tokens::section_lines(api_doc_url, &theme);
                crate::ui::profile::render_profile(
                    frame,
                    area,
                    data,
                    &mut self.pane,
                    &footer,
                    &theme,
                );
            }
            (None, Loadable::Failed(e)) => {
                let text = vec![
                    ratatui::text::Line::styled(
                        format!("My Profile could not be loaded: {e}"),
                        theme.alert(),
                    ),
                    ratatui::text::Line::from("Press r to try again."),
                ];
                frame.render_widget(
                    ratatui::widgets::Paragraph::new(text)
                        .wrap(ratatui::widgets::Wrap { trim: true }),
                    area,
                );
            }
            (None, _) => {
                frame.render_widget(ratatui::widgets::Paragraph::new(" Loading ..."), area)
            }
        }
    }
}

/// The profile's second wave: every related request at once (`api::profile`), each answer sent
/// on as it arrives.
pub fn spawn_profile_wave(
    client: &crate::api::Client,
    stamp: Stamp,
    seq: u64,
    user: User,
    tx: &tokio::sync::mpsc::UnboundedSender<Action>,
) {
    let mut parts = fetch_profile_parts(client, &user);
    let tx = tx.clone();
    tokio::spawn(async move {
        while let Some((_, part)) = parts.next().await {
            let _ = tx.send(Action::Answer {
                stamp,
                answer: Answer::ProfilePart { seq, part },
            });
        }
    });
}
