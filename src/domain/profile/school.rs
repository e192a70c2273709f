//! My Profile: the School box (primary and secondary cohorts), and the default school and
//! academic year of the permissions box.

use super::*;

// ---------------------------------------------------------------------------------------------
// School box
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CohortLine {
    pub title: String,
    pub program: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchoolBox {
    /// Empty when the user has no school (Ilios shows an empty value).
    pub primary_school: String,
    /// `None` shows as `Unassigned`.
    pub primary_cohort: Option<String>,
    /// Sorted by cohort title; empty shows as `Unassigned`.
    pub secondary_cohorts: Vec<CohortLine>,
}

pub const UNASSIGNED: &str = "Unassigned";
pub const NONE: &str = "None";

pub(super) fn program_of_cohort<'a>(
    cohort: &Cohort,
    program_years: &HashMap<Id, &ProgramYear>,
    programs: &HashMap<Id, &'a Program>,
) -> Option<&'a Program> {
    let py = program_years.get(&cohort.program_year?)?;
    programs.get(&py.program?).copied()
}

pub fn school_box(data: &ProfileData) -> Loadable<SchoolBox> {
    gate(&[
        unit(&data.schools),
        unit(&data.cohorts),
        unit(&data.program_years),
        unit(&data.programs),
    ])
    .map(|()| {
        school_box_from(
            &data.user,
            slice(&data.schools),
            slice(&data.cohorts),
            slice(&data.program_years),
            slice(&data.programs),
        )
    })
}

pub fn school_box_from(
    user: &User,
    schools: &[School],
    cohorts: &[Cohort],
    program_years: &[ProgramYear],
    programs: &[Program],
) -> SchoolBox {
    let schools = by_id(schools);
    let cohort_map = by_id(cohorts);
    let pys = by_id(program_years);
    let progs = by_id(programs);
    let primary_school = user
        .school
        .and_then(|s| schools.get(&s))
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let primary_cohort = user
        .primary_cohort
        .and_then(|c| cohort_map.get(&c))
        .map(|c| c.title.clone());
    let mut secondary: Vec<CohortLine> = union(&[&user.cohorts])
        .into_iter()
        .filter(|id| Some(*id) != user.primary_cohort)
        .filter_map(|id| cohort_map.get(&id))
        .map(|c| CohortLine {
            title: c.title.clone(),
            program: program_of_cohort(c, &pys, &progs)
                .map(|p| p.title.clone())
                .unwrap_or_default(),
        })
        .collect();
    secondary.sort_by(|a, b| title_cmp(&a.title, &b.title));
    SchoolBox {
        primary_school,
        primary_cohort,
        secondary_cohorts: secondary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::fixtures::*;

    #[test]
    fn school_box_unassigned_when_no_cohorts() {
        let data = loaded(GUTIERREZ);
        assert_eq!(
            school_box(&data),
            Loadable::Ready(SchoolBox {
                primary_school: "Medicine".into(),
                primary_cohort: None,
                secondary_cohorts: vec![],
            })
        );
    }

    #[test]
    fn secondary_cohorts_exclude_the_primary_carry_the_program_and_sort_by_title() {
        let data = loaded(POWELL);
        let b = school_box(&data).ready().cloned().unwrap();
        assert_eq!(b.primary_cohort.as_deref(), Some("Class of 2028"));
        assert_eq!(
            b.secondary_cohorts,
            [CohortLine {
                title: "Class of 2027 (Bridges)".into(),
                program: "Bridges Curriculum".into()
            }]
        );
        // Sorting: several secondary cohorts, out of order.
        let cohorts = [
            Cohort {
                id: 1,
                title: "Zeta".into(),
                program_year: Some(17),
                learner_groups: vec![],
                users: vec![],
            },
            Cohort {
                id: 2,
                title: "alpha".into(),
                program_year: None,
                learner_groups: vec![],
                users: vec![],
            },
            Cohort {
                id: 3,
                title: "Primary".into(),
                program_year: None,
                learner_groups: vec![],
                users: vec![],
            },
        ];
        let u = User {
            cohorts: vec![1, 2, 3],
            primary_cohort: Some(3),
            ..User::default()
        };
        let b = school_box_from(
            &u,
            &[],
            &cohorts,
            slice(&data.program_years),
            slice(&data.programs),
        );
        let titles: Vec<(&str, &str)> = b
            .secondary_cohorts
            .iter()
            .map(|c| (c.title.as_str(), c.program.as_str()))
            .collect();
        assert_eq!(titles, [("alpha", ""), ("Zeta", "Doctor of Medicine")]);
        assert_eq!(b.primary_cohort.as_deref(), Some("Primary"));
        // Only a primary cohort: no secondaries (shown as Unassigned).
        let u = User {
            cohorts: vec![3],
            primary_cohort: Some(3),
            ..User::default()
        };
        assert!(
            school_box_from(&u, &[], &cohorts, &[], &[])
                .secondary_cohorts
                .is_empty()
        );
    }

    fn school(id: Id, title: &str) -> School {
        School {
            id,
            title: title.into(),
            programs: vec![],
            directors: vec![],
            administrators: vec![],
        }
    }

    #[test]
    fn default_school_is_the_primary_else_the_first_by_title() {
        let schools = [
            school(1, "Medicine"),
            school(2, "dentistry"),
            school(3, "Pharmacy"),
        ];
        assert_eq!(
            default_permissions_school(
                &User {
                    school: Some(3),
                    ..User::default()
                },
                &schools
            ),
            Some(3)
        );
        assert_eq!(
            default_permissions_school(&User::default(), &schools),
            Some(2)
        );
        assert_eq!(default_permissions_school(&User::default(), &[]), None);
    }

    #[test]
    fn default_year_follows_the_ilios_rule() {
        let years: Vec<AcademicYear> = [2024, 2025, 2026]
            .iter()
            .map(|y| AcademicYear {
                id: *y,
                title: y.to_string(),
            })
            .collect();
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        assert_eq!(default_academic_year(d(2026, 3), false, &years), Some(2026));
        assert_eq!(default_academic_year(d(2026, 3), true, &years), Some(2025));
        assert_eq!(default_academic_year(d(2026, 5), true, &years), Some(2025));
        assert_eq!(default_academic_year(d(2026, 6), true, &years), Some(2026));
        // A year Ilios does not know: the latest one.
        assert_eq!(default_academic_year(d(2031, 9), false, &years), Some(2026));
        assert_eq!(default_academic_year(d(2031, 9), false, &[]), None);
    }
}
