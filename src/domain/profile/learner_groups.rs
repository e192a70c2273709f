//! My Profile: the Learner Groups box.

use super::*;

// ---------------------------------------------------------------------------------------------
// Learner groups
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LearnerGroupLine {
    pub id: Id,
    pub school: String,
    pub program: String,
    pub cohort: String,
    /// Titles from the top-level group down to the parent.
    pub parents: Vec<String>,
    /// A parent could not be read (a learner sees only their own groups): the path is cut there.
    pub parents_incomplete: bool,
    pub title: String,
}

impl LearnerGroupLine {
    /// `parent > ... > group`, with `… > ` in front when ancestors are unknown.
    pub fn path(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if self.parents_incomplete {
            parts.push("…");
        }
        parts.extend(self.parents.iter().map(String::as_str));
        parts.push(&self.title);
        parts.join(" > ")
    }

    /// `School: Program Cohort — parent > ... > group`, as the web page reads.
    pub fn text(&self) -> String {
        format!(
            "{}: {} {} — {}",
            self.school,
            self.program,
            self.cohort,
            self.path()
        )
    }
}

pub fn learner_group_lines(data: &ProfileData) -> Loadable<Vec<LearnerGroupLine>> {
    gate(&[
        unit(&data.learner_groups),
        unit(&data.cohorts),
        unit(&data.program_years),
        unit(&data.programs),
        unit(&data.schools),
    ])
    .map(|()| learner_group_lines_from(data))
}

pub(super) fn learner_group_lines_from(data: &ProfileData) -> Vec<LearnerGroupLine> {
    let groups = by_id(slice(&data.learner_groups));
    let cohorts = by_id(slice(&data.cohorts));
    let pys = by_id(slice(&data.program_years));
    let programs = by_id(slice(&data.programs));
    let schools = by_id(slice(&data.schools));
    let mut seen = BTreeSet::new();
    let mut lines: Vec<LearnerGroupLine> = data
        .user
        .learner_groups
        .iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| groups.get(id).copied())
        .map(|g| {
            let cohort = g.cohort.and_then(|c| cohorts.get(&c).copied());
            let program = cohort.and_then(|c| program_of_cohort(c, &pys, &programs));
            let school = program.and_then(|p| p.school).and_then(|s| schools.get(&s));
            let mut parents = Vec::new();
            let mut incomplete = false;
            let mut next = g.parent;
            let mut guard = BTreeSet::from([g.id]);
            while let Some(pid) = next {
                if !guard.insert(pid) {
                    break; // a cycle: bad data, stop
                }
                match groups.get(&pid) {
                    Some(p) => {
                        parents.push(p.title.clone());
                        next = p.parent;
                    }
                    None => {
                        incomplete = true;
                        break;
                    }
                }
            }
            parents.reverse();
            LearnerGroupLine {
                id: g.id,
                school: school.map(|s| s.title.clone()).unwrap_or_default(),
                program: program.map(|p| p.title.clone()).unwrap_or_default(),
                cohort: cohort.map(|c| c.title.clone()).unwrap_or_default(),
                parents,
                parents_incomplete: incomplete,
                title: g.title.clone(),
            }
        })
        .collect();
    // `learner-group.js` `sortTitle`: the path's titles joined, whitespace removed.
    let sort_title = |l: &LearnerGroupLine| -> String {
        l.parents
            .iter()
            .chain(std::iter::once(&l.title))
            .flat_map(|t| t.chars())
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    lines.sort_by(|a, b| {
        title_cmp(&a.school, &b.school)
            .then_with(|| title_cmp(&a.program, &b.program))
            .then_with(|| title_cmp(&a.cohort, &b.cohort))
            .then_with(|| title_cmp(&sort_title(a), &sort_title(b)))
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::fixtures::*;

    #[test]
    fn powell_learner_groups_with_parent_path_in_order() {
        let data = loaded(POWELL);
        let lines = learner_group_lines(&data).ready().cloned().unwrap();
        let texts: Vec<String> = lines.iter().map(LearnerGroupLine::text).collect();
        assert_eq!(
            texts,
            [
                "Medicine: Doctor of Medicine Class of 2028 — Group A",
                "Medicine: Doctor of Medicine Class of 2028 — Group A > Group A1",
            ]
        );
        assert_eq!(heading(&data.user), "Walter Stephanie Powell");
        assert_eq!(
            student_marker(&data.user, data.roles.ready().unwrap()),
            Some("Student")
        );
    }

    fn group(id: Id, title: &str, cohort: Id, parent: Option<Id>) -> LearnerGroup {
        LearnerGroup {
            id,
            title: title.into(),
            location: None,
            url: None,
            cohort: Some(cohort),
            parent,
            ancestor: None,
            children: vec![],
            users: vec![],
        }
    }

    #[test]
    fn learner_groups_sort_by_school_program_cohort_then_path_and_survive_a_hidden_parent() {
        let mut data = loaded(POWELL);
        data.learner_groups = Loadable::Ready(vec![
            group(1, "Zed", 7, None),
            group(2, "Beta", 8, Some(99)), // parent 99 was not visible to this learner
            group(3, "Alpha", 7, Some(1)),
            group(4, "Mid", 7, Some(3)),
        ]);
        data.user.learner_groups = vec![4, 2, 3, 1, 404];
        let lines = learner_group_lines(&data).ready().cloned().unwrap();
        let paths: Vec<String> = lines.iter().map(LearnerGroupLine::path).collect();
        // Bridges Curriculum sorts before Doctor of Medicine; within a cohort by the whole path.
        assert_eq!(
            paths,
            ["… > Beta", "Zed", "Zed > Alpha", "Zed > Alpha > Mid"]
        );
        assert!(lines[0].parents_incomplete);
        assert_eq!(lines[0].cohort, "Class of 2027 (Bridges)");
    }

    #[test]
    fn no_learner_groups_is_an_empty_list() {
        assert_eq!(
            learner_group_lines(&loaded(GUTIERREZ)),
            Loadable::Ready(vec![])
        );
    }
}
