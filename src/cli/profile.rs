//! `ilios-tui profile`: My Profile as one JSON document or as text, from [`ProfileData`].

use serde::Serialize;

use crate::api::models::Id;
use crate::domain::Loadable;
use crate::domain::profile::*;

/// A part of the page: its value, or why it is missing. Serializes as
/// `{"status":"ready","value":...}`, `{"status":"loading"}` or `{"status":"failed","error":"..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum PartView<T> {
    Ready { value: T },
    Loading,
    Failed { error: String },
}

impl<T> From<Loadable<T>> for PartView<T> {
    fn from(l: Loadable<T>) -> Self {
        match l {
            Loadable::Ready(value) => PartView::Ready { value },
            Loadable::Loading => PartView::Loading,
            Loadable::Failed(error) => PartView::Failed { error },
        }
    }
}

/// Everything My Profile shows, for `ilios-tui profile --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub user_id: Id,
    pub name: String,
    pub student_marker: Option<String>,
    pub roles: PartView<RolesBox>,
    pub school: PartView<SchoolBox>,
    pub permissions: PartView<Permissions>,
    pub learner_groups: PartView<Vec<LearnerGroupLine>>,
}

pub fn profile_view(data: &ProfileData, school: Option<Id>, year: Option<Id>) -> ProfileView {
    ProfileView {
        user_id: data.user.id,
        name: heading(&data.user),
        student_marker: data
            .roles
            .ready()
            .and_then(|r| student_marker(&data.user, r))
            .map(str::to_string),
        roles: roles_box(data).into(),
        school: school_box(data).into(),
        permissions: permissions_for(data, school, year).into(),
        learner_groups: learner_group_lines(data).into(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn part_text<T>(out: &mut String, part: &PartView<T>, body: impl FnOnce(&mut String, &T)) {
    match part {
        PartView::Ready { value } => body(out, value),
        PartView::Loading => out.push_str("  Loading ...\n"),
        PartView::Failed { error } => out.push_str(&format!("  {error}\n")),
    }
}

fn list_text(out: &mut String, heading: &str, items: &[String]) {
    out.push_str(&format!("    {heading}:\n"));
    if items.is_empty() {
        out.push_str(&format!("      {NONE}\n"));
    }
    for i in items {
        out.push_str(&format!("      {i}\n"));
    }
}

/// The same facts as plain text, for `ilios-tui profile`. `school` and `year` are already
/// resolved (see [`resolve_school`], [`resolve_year`]).
pub fn profile_text(data: &ProfileData, school: Option<Id>, year: Option<Id>) -> String {
    let v = profile_view(data, school, year);
    let mut out = String::new();
    out.push_str(&v.name);
    out.push('\n');
    if let Some(m) = &v.student_marker {
        out.push_str(m);
        out.push('\n');
    }
    out.push_str("\nRoles\n");
    part_text(&mut out, &v.roles, |out, r| {
        let titles = if r.role_titles.is_empty() {
            NONE.to_string()
        } else {
            r.role_titles.join(", ")
        };
        for (label, value) in [
            ("Student", yes_no(r.student)),
            ("Former Student", yes_no(r.former_student)),
            ("Account Enabled", yes_no(r.account_enabled)),
            ("Exclude From Sync", yes_no(r.exclude_from_sync)),
            (
                "Performs Non-Learner Functions",
                yes_no(r.performs_non_learner_functions),
            ),
            ("Learner", yes_no(r.learner)),
            ("Root", yes_no(r.root)),
            ("Instructor", yes_no(r.is_instructor)),
            ("Course Director", yes_no(r.is_course_director)),
            ("Role Titles", &titles),
        ] {
            out.push_str(&format!("  {label}: {value}\n"));
        }
    });
    out.push_str("\nSchool\n");
    part_text(&mut out, &v.school, |out, s| {
        out.push_str(&format!("  Primary School: {}\n", s.primary_school));
        out.push_str(&format!(
            "  Primary Cohort: {}\n",
            s.primary_cohort.as_deref().unwrap_or(UNASSIGNED)
        ));
        if s.secondary_cohorts.is_empty() {
            out.push_str(&format!("  Secondary Cohorts: {UNASSIGNED}\n"));
        } else {
            out.push_str("  Secondary Cohorts:\n");
            for c in &s.secondary_cohorts {
                out.push_str(&format!("    {} {}\n", c.title, c.program));
            }
        }
    });
    out.push_str("\nPermissions\n");
    part_text(&mut out, &v.permissions, |out, p| {
        out.push_str(&format!(
            "  School: {}   Academic Year: {}\n",
            p.school_title, p.year_label
        ));
        out.push_str(&format!("  School ({})\n", p.school_title));
        out.push_str(&format!("    Director: {}\n", yes_no(p.school_director)));
        out.push_str(&format!(
            "    Administrator: {}\n",
            yes_no(p.school_administrator)
        ));
        out.push_str(&format!("  Programs ({})\n", p.programs.len()));
        if !p.programs.is_empty() {
            list_text(out, "Director", &p.programs);
        }
        out.push_str(&format!("  Program Years ({})\n", p.program_years.len()));
        if !p.program_years.is_empty() {
            list_text(out, "Director", &p.program_years);
        }
        out.push_str(&format!("  Courses ({})\n", p.courses.count));
        if p.courses.count > 0 {
            list_text(out, "Director", &p.courses.director);
            list_text(out, "Administrator", &p.courses.administrator);
            list_text(out, "Instructor", &p.courses.instructor);
            list_text(out, "Student Advisors", &p.courses.student_advisor);
        }
        out.push_str(&format!("  Sessions ({})\n", p.sessions.count));
        if p.sessions.count > 0 {
            list_text(out, "Administrator", &p.sessions.administrator);
            list_text(out, "Instructor", &p.sessions.instructor);
            list_text(out, "Student Advisors", &p.sessions.student_advisor);
        }
    });
    out.push_str("\nLearner Groups\n");
    part_text(&mut out, &v.learner_groups, |out, groups| {
        if groups.is_empty() {
            out.push_str(&format!("  {NONE}\n"));
        }
        for g in groups {
            out.push_str(&format!("  {}\n", g.text()));
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::fixtures::*;

    #[test]
    fn text_and_json_views() {
        let data = loaded(GUTIERREZ);
        let text = profile_text(&data, Some(1), Some(2025));
        for needle in [
            "Nicholas A. Gutierrez\n",
            "  Student: No\n",
            "  Performs Non-Learner Functions: Yes\n",
            "  Role Titles: Developer, Course Director\n",
            "  Primary Cohort: Unassigned\n",
            "  Secondary Cohorts: Unassigned\n",
            "  School (Medicine)\n",
            "  Programs (0)\n",
            "  Courses (4)\n",
            "    Student Advisors:\n      None\n",
            "Learner Groups\n  None\n",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from\n{text}");
        }
        let json = serde_json::to_value(profile_view(&data, Some(1), Some(2025))).unwrap();
        assert_eq!(json["name"], "Nicholas A. Gutierrez");
        assert_eq!(json["roles"]["status"], "ready");
        assert_eq!(json["roles"]["value"]["performsNonLearnerFunctions"], true);
        assert_eq!(
            json["permissions"]["value"]["courses"]["studentAdvisor"],
            serde_json::json!([])
        );
        assert_eq!(
            json["school"]["value"]["secondaryCohorts"],
            serde_json::json!([])
        );
        let loading = profile_view(&ProfileData::new(user(POWELL), false), None, None);
        assert_eq!(
            serde_json::to_value(loading).unwrap()["learnerGroups"]["status"],
            "loading"
        );
    }
}
