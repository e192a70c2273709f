//! The detail of one My Materials row (Enter on a row), drawn as a popup like the event detail:
//! the title, its kind, session, course, instructors, date, availability, status, citation and
//! public notes, then its links to select and copy. A PDF offers the web client's two forms
//! (`learning-material-list-item.gjs`: the title opens `{file}?inline`, a separate Download link
//! the file); a timed-release material not yet open has no link (`UserMaterial::clearMaterial`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Widget};

use super::Theme;
use super::week::{clean, field, popup_area, status_box, wrap};
use crate::domain::materials::{MaterialRow, MaterialStatus};
use crate::domain::week::MaterialKind;

/// One link of the detail: what it is, and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialLink {
    pub label: &'static str,
    pub uri: String,
}

/// The links of a row, in the order drawn: a PDF's inline form and its download, or the one link
/// or file; none for a citation or a blanked material.
pub fn material_links(row: &MaterialRow) -> Vec<MaterialLink> {
    if let Some((inline, download)) = row.pdf_links() {
        return vec![
            MaterialLink {
                label: "Open",
                uri: inline,
            },
            MaterialLink {
                label: "Download",
                uri: download,
            },
        ];
    }
    let label = match row.kind {
        Some(MaterialKind::Link) => "Link",
        _ => "File",
    };
    row.uri
        .iter()
        .map(|uri| MaterialLink {
            label,
            uri: uri.clone(),
        })
        .collect()
}

/// The selected link (of [`material_links`]) and the scroll of the popup.
pub type MaterialDetailState = crate::ui::widgets::popup_scroll::PopupScroll;

/// Draws the detail of `row` over `area`; `status` is its status when the server keeps them
/// (`None`: no status line). Returns the content height.
pub fn render_material_detail(
    buf: &mut Buffer,
    area: Rect,
    row: &MaterialRow,
    status: Option<MaterialStatus>,
    state: &mut MaterialDetailState,
    theme: &Theme,
) -> usize {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return 0;
    }
    let mut popup = popup_area(area);
    let width = usize::from(popup.width.saturating_sub(4)).max(1);
    let links = material_links(row);
    state.clamp(links.len());

    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut kind = row.kind_label().to_string();
    if row.required && !row.blanked {
        kind.push_str(", Required");
    }
    lines.extend(field("Kind", kind, width, theme));
    if let Some(status) = status {
        let text = format!("{} {}", status_box(status, theme.ascii), status.label());
        lines.extend(field("Status", text, width, theme));
    }
    let optional = [
        ("Session", row.session_title.clone()),
        ("Course", row.course_title.clone()),
        (
            "Instructors",
            Some(row.instructors_cell()).filter(|s| !s.is_empty()),
        ),
        ("Date", Some(row.date.clone())),
        ("Availability", row.availability.clone()),
        ("Citation", row.citation.clone()),
        ("Public notes", row.public_notes.clone()),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            lines.extend(field(label, clean(&value), width, theme));
        }
    }
    let mut link_rows = Vec::new();
    if row.blanked {
        lines.push(Line::raw(""));
        lines.extend(wrap(
            vec![Span::styled(
                "Timed Release: no link until it is available.",
                theme.dim(),
            )],
            width,
            0,
        ));
    } else if !links.is_empty() {
        lines.push(Line::raw(""));
        for (i, link) in links.iter().enumerate() {
            let style = if i == state.selected {
                theme.selected()
            } else {
                theme.link()
            };
            link_rows.push(lines.len());
            lines.extend(wrap(
                vec![
                    Span::styled(format!("{}: ", link.label), theme.label()),
                    Span::styled(clean(&link.uri), style),
                ],
                width,
                2,
            ));
        }
    }

    let height = (lines.len() + 2).min(usize::from(popup.height)) as u16;
    popup.y = area.y + (area.height - height) / 2;
    popup.height = height;
    Clear.render(popup, buf);
    let hint = match (links.is_empty(), status.is_some()) {
        (false, true) => " j/k link  c copy link  x status  PgUp/PgDn scroll  Esc close ",
        (false, false) => " j/k link  c copy link  PgUp/PgDn scroll  Esc close ",
        (true, true) => " x status  PgUp/PgDn scroll  Esc close ",
        (true, false) => " PgUp/PgDn scroll  Esc close ",
    };
    let block = Block::bordered()
        .border_style(theme.border())
        .padding(Padding::horizontal(1))
        .title(Span::styled(
            format!(" {} ", clean(&row.title)),
            theme.title(),
        ))
        .title_bottom(Line::styled(hint, theme.dim()));
    let inner = block.inner(popup);
    block.render(popup, buf);

    state.draw(buf, inner, &lines, &link_rows);
    lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::UserMaterial;
    use crate::domain::materials::row;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn material(json: &str) -> MaterialRow {
        let lm: UserMaterial = serde_json::from_str(json).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2027-02-17T10:00:00-08:00")
            .unwrap()
            .to_utc();
        row(&lm, &chrono_tz::America::Los_Angeles, now)
    }

    fn pdf() -> MaterialRow {
        material(
            r#"{"id":"1","sessionLearningMaterial":"10","title":"Geroscience Lecture Slides","required":true,
                "mimetype":"application/pdf","absoluteFileUri":"https://ilios.example.edu/lm/abc",
                "publicNotes":"Bring a copy to class.","sessionTitle":"Cutting Edge Geroscience",
                "courseTitle":"Aging and End of Life","courseYear":2027,"instructors":["Larry West","Ana Bell"],
                "firstOfferingDate":"2027-02-15T16:10:00+00:00","isBlanked":false}"#,
        )
    }

    fn draw(
        row: &MaterialRow,
        status: Option<MaterialStatus>,
        w: u16,
        h: u16,
    ) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut state = MaterialDetailState::default();
        t.draw(|f| {
            let area = f.area();
            render_material_detail(f.buffer_mut(), area, row, status, &mut state, &Theme::MONO);
        })
        .unwrap();
        t
    }

    /// A PDF: its inline form and its download (`learning-material-list-item.gjs`).
    #[test]
    fn a_pdf_detail_80x24() {
        let row = pdf();
        let links: Vec<String> = material_links(&row).into_iter().map(|l| l.uri).collect();
        assert_eq!(
            links,
            [
                "https://ilios.example.edu/lm/abc?inline",
                "https://ilios.example.edu/lm/abc"
            ]
        );
        let t = draw(&row, Some(MaterialStatus::InProgress), 80, 24);
        insta::assert_snapshot!(t.backend());
    }

    /// A timed-release material not yet open: its availability and no link.
    #[test]
    fn a_blanked_material_has_no_link() {
        let row = material(
            r#"{"id":"2","sessionLearningMaterial":"11","title":"Post-lecture Answers","isBlanked":true,
                "startDate":"2027-03-01T18:00:00+00:00","endDate":"2027-03-08T18:00:00+00:00",
                "sessionTitle":"Geroscience","courseTitle":"Aging","courseYear":2027}"#,
        );
        assert!(material_links(&row).is_empty());
        let t = draw(&row, None, 80, 24);
        let text = format!("{:?}", t.backend());
        assert!(text.contains("Kind: Timed Release"), "{text}");
        assert!(
            text.contains("(Available: 03/01/2027, 10:00 AM until"),
            "{text}"
        );
        assert!(text.contains("no link until it is available"), "{text}");
        assert!(!text.contains("http"), "{text}");
    }
}
