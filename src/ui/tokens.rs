//! Manage API Tokens: the static section at the bottom of My Profile and the texts the token
//! dialogs show. Stateless: the dialogs themselves live in `app::dialogs::tokens`.

use crate::ui::Theme;
use ratatui::text::{Line, Span};

pub const HEADING: &str = "Manage API Tokens";
pub const QUESTION: &str = "When should this token stop working?";
pub const NEW_TOKEN: &str = "New Token:";
pub const INVALIDATED: &str = "All existing tokens were successfully invalidated";
/// Shown instead of the calendar when the session is too old for any date (the server would
/// refuse every one).
pub const TOO_OLD: &str = "This session started almost 90 days ago, so a new token could not \
                           last even until tonight. Log in again, then create the token.";

/// The heading, the Ilios text with the server's `/api/doc` link, and the two actions, for the
/// My Profile pane to append at its bottom (draw them with wrapping on).
pub fn section_lines(api_doc_url: &str, theme: &Theme) -> Vec<Line<'static>> {
    let key = |k: &'static str| Span::styled(k, theme.label());
    vec![
        Line::styled(HEADING, theme.heading()),
        Line::from(vec![
            Span::styled(
                "API Tokens are used to programmatically access Ilios data. Your token is like a \
                 password - anyone who has it can make changes on your behalf. Read more in the \
                 documentation at ",
                theme.text(),
            ),
            Span::styled(api_doc_url.to_string(), theme.link()),
            Span::styled(".", theme.text()),
        ]),
        Line::default(),
        Line::from(vec![
            key("n"),
            Span::styled(" Create New", theme.yes()),
            Span::raw("    "),
            key("i"),
            Span::styled(" Invalidate All Tokens", theme.no()),
        ]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_text() {
        let lines = section_lines("https://x/api/doc", &Theme::default());
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text[0], "Manage API Tokens");
        assert!(text[1].ends_with("Read more in the documentation at https://x/api/doc."));
        assert_eq!(text[3], "n Create New    i Invalidate All Tokens");
    }
}
