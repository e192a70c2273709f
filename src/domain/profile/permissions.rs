//! My Profile: the Permissions box (per school and academic year).

use super::*;

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

/// The user's primary school, else the first school by title (`bestSelectedSchool`).
pub fn default_permissions_school(user: &User, schools: &[School]) -> Option<Id> {
    if let Some(id) = user.school {
        return Some(id);
    }
    schools
        .iter()
        .min_by(|a, b| title_cmp(&a.title, &b.title))
        .map(|s| s.id)
}

/// `bestSelectedYear` without a chosen year: this calendar year, minus one when academic years
/// cross calendar years and the month is before June; else the latest year Ilios knows.
pub fn default_academic_year(
    today: NaiveDate,
    crosses_boundary: bool,
    years: &[AcademicYear],
) -> Option<Id> {
    let mut current = i64::from(today.year());
    if crosses_boundary && today.month() < 6 {
        current -= 1;
    }
    if let Some(y) = years.iter().find(|y| y.id as i64 == current) {
        return Some(y.id);
    }
    years.iter().map(|y| y.id).max()
}

/// Schools in switcher order (by title).
pub fn schools_by_title(schools: &[School]) -> Vec<&School> {
    let mut v: Vec<&School> = schools.iter().collect();
    v.sort_by(|a, b| title_cmp(&a.title, &b.title));
    v
}

/// Academic years in switcher order (by title, descending).
pub fn years_descending(years: &[AcademicYear]) -> Vec<&AcademicYear> {
    let mut v: Vec<&AcademicYear> = years.iter().collect();
    v.sort_by(|a, b| title_cmp(&b.title, &a.title));
    v
}

/// The label of a year: `2018`, or `2018 - 2019` when academic years cross calendar years.
pub fn year_label(year: i64, crosses_boundary: bool) -> String {
    if crosses_boundary {
        format!("{year} - {}", year + 1)
    } else {
        year.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    pub school_id: Id,
    pub school_title: String,
    pub year: Id,
    /// As the year switcher shows it (`2018 - 2019` when crossing).
    pub year_label: String,
    pub school_director: bool,
    pub school_administrator: bool,
    /// Directed programs of the school, by title.
    pub programs: Vec<String>,
    /// Directed program years of the school: `{program title} {cohort title}`.
    pub program_years: Vec<String>,
    pub courses: CoursePermissions,
    pub sessions: SessionPermissions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoursePermissions {
    pub count: usize,
    /// Lines `{year} {course title}`.
    pub director: Vec<String>,
    pub administrator: Vec<String>,
    pub instructor: Vec<String>,
    pub student_advisor: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionPermissions {
    pub count: usize,
    /// Lines `{year} {course title} » {session title}`.
    pub administrator: Vec<String>,
    pub instructor: Vec<String>,
    pub student_advisor: Vec<String>,
}

/// The Permissions box for one school and one academic year (`user-profile-permissions.gjs`).
pub fn permissions(data: &ProfileData, school_id: Id, year: Id) -> Loadable<Permissions> {
    gate(&[
        unit(&data.schools),
        unit(&data.programs),
        unit(&data.program_years),
        unit(&data.cohorts),
        unit(&data.courses),
        unit(&data.sessions),
        unit(&data.instructed_sessions),
    ])
    .map(|()| permissions_from(data, school_id, year))
}

pub(super) fn permissions_from(data: &ProfileData, school_id: Id, year: Id) -> Permissions {
    let user = &data.user;
    let crosses = data.crosses_boundary;
    let schools = by_id(slice(&data.schools));
    let programs = by_id(slice(&data.programs));
    let pys = by_id(slice(&data.program_years));
    let cohorts = slice(&data.cohorts);
    let courses = by_id(slice(&data.courses));
    let sessions = by_id(slice(&data.sessions));

    // Programs: directed, in this school, by title.
    let mut directed_programs: Vec<&Program> = user
        .directed_programs
        .iter()
        .filter_map(|id| programs.get(id).copied())
        .filter(|p| p.school == Some(school_id))
        .collect();
    directed_programs.sort_by(|a, b| title_cmp(&a.title, &b.title));

    // Program years: directed, whose program is in this school, by program title.
    let mut directed_pys: Vec<(String, String)> = user
        .program_years
        .iter()
        .filter_map(|id| pys.get(id).copied())
        .filter_map(|py| {
            let program = programs.get(&py.program?)?;
            (program.school == Some(school_id)).then_some(())?;
            let cohort = cohorts
                .iter()
                .find(|c| c.program_year == Some(py.id) || py.cohort == Some(c.id))
                .map(|c| c.title.clone())
                .unwrap_or_default();
            Some((program.title.clone(), cohort))
        })
        .collect();
    directed_pys.sort_by(|a, b| title_cmp(&a.0, &b.0));

    let in_scope =
        |c: &&Course| c.school == Some(school_id) && c.year >= 0 && c.year as u64 == year;
    let course_line =
        |c: &Course| format!("{} {}", year_label(i64::from(c.year), crosses), c.title);
    let pick = |ids: &[Id]| -> Vec<&Course> {
        let mut seen = BTreeSet::new();
        ids.iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| courses.get(id).copied())
            .filter(in_scope)
            .collect()
    };
    let sorted = |mut v: Vec<&Course>| {
        v.sort_by(|a, b| title_cmp(&a.title, &b.title));
        v.into_iter().map(course_line).collect::<Vec<_>>()
    };
    let director = sorted(pick(&user.directed_courses));
    let administrator = sorted(pick(&user.administered_courses));
    // Taught courses: the courses of the taught sessions, once each.
    let taught: Vec<&Session> = slice(&data.instructed_sessions).iter().collect();
    let taught_course_ids: Vec<Id> = taught.iter().filter_map(|s| s.course).collect();
    let instructor = sorted(pick(&taught_course_ids));
    // Student-advised courses keep the user's order (the template does not sort them).
    let student_advisor: Vec<String> = pick(&user.student_advised_courses)
        .into_iter()
        .map(course_line)
        .collect();

    let session_scope = |s: &&Session| s.course.and_then(|c| courses.get(&c)).is_some_and(in_scope);
    let session_line = |s: &Session| {
        let course = s.course.and_then(|c| courses.get(&c));
        format!(
            "{} {} » {}",
            year_label(i64::from(course.map_or(0, |c| c.year)), crosses),
            course.map_or("", |c| c.title.as_str()),
            s.title
        )
    };
    let pick_sessions = |ids: &[Id]| -> Vec<String> {
        let mut seen = BTreeSet::new();
        ids.iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| sessions.get(id).copied())
            .filter(session_scope)
            .map(session_line)
            .collect()
    };
    let session_admin = pick_sessions(&user.administered_sessions);
    let session_advisor = pick_sessions(&user.student_advised_sessions);
    // Taught sessions: by course year descending, course title, session title.
    let mut taught_in_scope: Vec<&Session> = taught.into_iter().filter(session_scope).collect();
    let course_of = |s: &Session| s.course.and_then(|c| courses.get(&c).copied());
    taught_in_scope.sort_by(|a, b| {
        let (ca, cb) = (course_of(a), course_of(b));
        let year = cb.map_or(0, |c| c.year).cmp(&ca.map_or(0, |c| c.year));
        year.then_with(|| title_cmp(ca.map_or("", |c| &c.title), cb.map_or("", |c| &c.title)))
            .then_with(|| title_cmp(&a.title, &b.title))
    });
    let session_instructor: Vec<String> = taught_in_scope.into_iter().map(session_line).collect();

    Permissions {
        school_id,
        school_title: schools
            .get(&school_id)
            .map(|s| s.title.clone())
            .unwrap_or_default(),
        year,
        year_label: year_label(year as i64, crosses),
        school_director: user.directed_schools.contains(&school_id),
        school_administrator: user.administered_schools.contains(&school_id),
        programs: directed_programs
            .into_iter()
            .map(|p| p.title.clone())
            .collect(),
        program_years: directed_pys
            .into_iter()
            .map(|(p, c)| if c.is_empty() { p } else { format!("{p} {c}") })
            .collect(),
        courses: CoursePermissions {
            count: director.len() + administrator.len() + instructor.len() + student_advisor.len(),
            director,
            administrator,
            instructor,
            student_advisor,
        },
        sessions: SessionPermissions {
            count: session_admin.len() + session_instructor.len() + session_advisor.len(),
            administrator: session_admin,
            instructor: session_instructor,
            student_advisor: session_advisor,
        },
    }
}

/// The school the permissions box shows: the chosen one, else the default.
pub fn resolve_school(data: &ProfileData, chosen: Option<Id>) -> Option<Id> {
    chosen.or_else(|| default_permissions_school(&data.user, slice(&data.schools)))
}

/// The year the permissions box shows: the chosen one, else the Ilios default for `today`.
pub fn resolve_year(data: &ProfileData, chosen: Option<Id>, today: NaiveDate) -> Option<Id> {
    chosen.or_else(|| {
        default_academic_year(today, data.crosses_boundary, slice(&data.academic_years))
    })
}

/// Permissions for an already resolved school and year; `Loading` while either is unknown.
pub fn permissions_for(
    data: &ProfileData,
    school: Option<Id>,
    year: Option<Id>,
) -> Loadable<Permissions> {
    match gate(&[unit(&data.schools), unit(&data.academic_years)]) {
        Loadable::Ready(()) => match (school, year) {
            (Some(s), Some(y)) => permissions(data, s, y),
            (None, _) => Loadable::Failed("Ilios has no schools.".into()),
            (_, None) => Loadable::Failed("Ilios has no academic years.".into()),
        },
        Loadable::Loading => Loadable::Loading,
        Loadable::Failed(e) => Loadable::Failed(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::fixtures::*;

    #[test]
    fn gutierrez_permissions_in_medicine_2025() {
        let data = loaded(GUTIERREZ);
        let school = resolve_school(&data, None);
        let year = resolve_year(&data, None, today());
        assert_eq!((school, year), (Some(1), Some(2025)));
        let p = permissions_for(&data, school, year)
            .ready()
            .cloned()
            .unwrap();
        assert_eq!(p.school_title, "Medicine");
        assert_eq!(p.year_label, "2025 - 2026");
        assert!(!p.school_director && p.school_administrator);
        assert!(p.programs.is_empty() && p.program_years.is_empty());
        assert_eq!(
            p.courses.director,
            ["2025 - 2026 Foundations of Patient Care"]
        );
        assert_eq!(p.courses.administrator, ["2025 - 2026 Anatomy"]);
        // Taught courses come from the taught sessions: Oral Histology is in Dentistry, Neurology in 2024.
        assert_eq!(
            p.courses.instructor,
            [
                "2025 - 2026 Cardiology",
                "2025 - 2026 Foundations of Patient Care"
            ]
        );
        assert!(p.courses.student_advisor.is_empty());
        assert_eq!(p.courses.count, 4);
        assert_eq!(
            p.sessions.administrator,
            ["2025 - 2026 Foundations of Patient Care » Orientation"]
        );
        assert_eq!(
            p.sessions.instructor,
            [
                "2025 - 2026 Cardiology » ECG Basics",
                "2025 - 2026 Cardiology » Heart Sounds",
                "2025 - 2026 Foundations of Patient Care » Welcome Lecture",
            ]
        );
        assert_eq!(p.sessions.count, 4);
    }

    #[test]
    fn permissions_switch_school_and_year_and_plain_year_labels() {
        let mut data = loaded(GUTIERREZ);
        let p = permissions(&data, 2, 2025).ready().cloned().unwrap();
        assert_eq!(p.school_title, "Dentistry");
        assert!(!p.school_administrator);
        assert_eq!(p.courses.instructor, ["2025 - 2026 Oral Histology"]);
        assert_eq!((p.courses.count, p.sessions.count), (1, 1));
        data.crosses_boundary = false;
        let p = permissions(&data, 1, 2024).ready().cloned().unwrap();
        assert_eq!(p.courses.instructor, ["2024 Neurology"]);
        assert_eq!(p.sessions.instructor, ["2024 Neurology » Stroke"]);
        assert_eq!(p.courses.director, Vec::<String>::new());
        assert_eq!(p.year_label, "2024");
    }

    #[test]
    fn directed_programs_and_program_years_are_limited_to_the_school() {
        let mut data = loaded(POWELL);
        data.user.directed_programs = vec![3, 2, 1];
        data.user.program_years = vec![17, 18, 19];
        let p = permissions(&data, 1, 2025).ready().cloned().unwrap();
        assert_eq!(p.programs, ["Bridges Curriculum", "Doctor of Medicine"]);
        assert_eq!(
            p.program_years,
            [
                "Bridges Curriculum Class of 2027 (Bridges)",
                "Doctor of Medicine Class of 2028"
            ]
        );
        let p = permissions(&data, 2, 2025).ready().cloned().unwrap();
        assert_eq!(p.programs, ["Doctor of Dental Surgery"]);
        // Cohort 9 was not loaded in this fixture: the line keeps the program title.
        assert_eq!(p.program_years, ["Doctor of Dental Surgery"]);
    }
}
