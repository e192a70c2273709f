//! My Profile: the heading and the Roles box.

use super::*;

// ---------------------------------------------------------------------------------------------
// Heading and Roles box
// ---------------------------------------------------------------------------------------------

/// The page heading: the user's full name (`names::full_name`).
pub fn heading(user: &User) -> String {
    full_name(user)
}

/// `Some("Student")` when a role is titled exactly `Student` (`user.js` `isStudent`,
/// case-sensitive, unlike the Roles box).
pub fn student_marker(user: &User, roles: &[UserRole]) -> Option<&'static str> {
    role_titles(user, roles)
        .iter()
        .any(|t| t == "Student")
        .then_some("Student")
}

/// The titles of the user's roles, in the user's order; unknown ids are skipped.
pub fn role_titles(user: &User, roles: &[UserRole]) -> Vec<String> {
    let map = by_id(roles);
    user.roles
        .iter()
        .filter_map(|id| map.get(id))
        .map(|r| r.title.clone())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolesBox {
    pub student: bool,
    pub former_student: bool,
    pub account_enabled: bool,
    pub exclude_from_sync: bool,
    pub performs_non_learner_functions: bool,
    pub learner: bool,
    pub root: bool,
    /// Role titles as Ilios stores them (e.g. `Developer`, `Course Director`).
    pub role_titles: Vec<String>,
    /// Teaches offerings, ILMs or learner groups, or is in an instructor group.
    pub is_instructor: bool,
    /// Directs at least one course.
    pub is_course_director: bool,
}

/// `user.js` `performsNonLearnerFunction`.
pub fn performs_non_learner_functions(user: &User) -> bool {
    [
        &user.directed_courses,
        &user.administered_courses,
        &user.administered_sessions,
        &user.instructor_groups,
        &user.instructed_offerings,
        &user.instructor_ilm_sessions,
        &user.instructed_learner_groups,
        &user.directed_programs,
        &user.program_years,
        &user.directed_schools,
        &user.administered_schools,
    ]
    .iter()
    .any(|l| !l.is_empty())
}

/// `user.js` `isLearner`.
pub fn is_learner(user: &User) -> bool {
    !user.cohorts.is_empty() || !user.offerings.is_empty() || !user.learner_ilm_sessions.is_empty()
}

/// The Roles box from the user and the role table (`user-profile-roles.gjs`).
pub fn roles_box_from(user: &User, roles: &[UserRole]) -> RolesBox {
    let titles = role_titles(user, roles);
    let has = |t: &str| titles.iter().any(|x| x.to_lowercase() == t);
    RolesBox {
        student: has("student"),
        former_student: has("former student"),
        account_enabled: user.enabled,
        exclude_from_sync: user.user_sync_ignore,
        performs_non_learner_functions: performs_non_learner_functions(user),
        learner: is_learner(user),
        root: user.root,
        role_titles: titles,
        is_instructor: teaches(user),
        is_course_director: !user.directed_courses.is_empty(),
    }
}

pub fn roles_box(data: &ProfileData) -> Loadable<RolesBox> {
    data.roles
        .as_ref()
        .map(|roles| roles_box_from(&data.user, roles))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::fixtures::*;

    fn role(id: Id, title: &str) -> UserRole {
        UserRole {
            id,
            title: title.into(),
        }
    }

    #[test]
    fn student_and_former_student_compare_titles_case_insensitively() {
        let roles = [
            role(1, "student"),
            role(2, "FORMER STUDENT"),
            role(3, "Student"),
        ];
        let u = |ids: Vec<Id>| User {
            roles: ids,
            ..User::default()
        };
        let b = roles_box_from(&u(vec![1]), &roles);
        assert!(b.student && !b.former_student);
        // The heading marker follows `user.js` `isStudent`: exactly `Student`.
        assert_eq!(student_marker(&u(vec![1]), &roles), None);
        assert_eq!(student_marker(&u(vec![3]), &roles), Some("Student"));
        let b = roles_box_from(&u(vec![2]), &roles);
        assert!(!b.student && b.former_student);
        let b = roles_box_from(&u(vec![]), &roles);
        assert!(!b.student && !b.former_student);
        assert_eq!(b.role_titles, Vec::<String>::new());
    }

    #[test]
    fn account_enabled_exclude_from_sync_and_root_follow_the_user() {
        let none = roles_box_from(&User::default(), &[]);
        assert!(!none.account_enabled && !none.exclude_from_sync && !none.root);
        let all = roles_box_from(
            &User {
                enabled: true,
                user_sync_ignore: true,
                root: true,
                ..User::default()
            },
            &[],
        );
        assert!(all.account_enabled && all.exclude_from_sync && all.root);
    }

    #[test]
    fn performs_non_learner_functions_for_each_relation() {
        let setters: [fn(&mut User); 11] = [
            |u| u.directed_courses = vec![1],
            |u| u.administered_courses = vec![1],
            |u| u.administered_sessions = vec![1],
            |u| u.instructor_groups = vec![1],
            |u| u.instructed_offerings = vec![1],
            |u| u.instructor_ilm_sessions = vec![1],
            |u| u.instructed_learner_groups = vec![1],
            |u| u.directed_programs = vec![1],
            |u| u.program_years = vec![1],
            |u| u.directed_schools = vec![1],
            |u| u.administered_schools = vec![1],
        ];
        assert!(!performs_non_learner_functions(&User::default()));
        for (i, set) in setters.iter().enumerate() {
            let mut u = User::default();
            set(&mut u);
            assert!(
                roles_box_from(&u, &[]).performs_non_learner_functions,
                "relation #{i}"
            );
            assert!(!roles_box_from(&u, &[]).learner, "relation #{i}");
        }
        // Learner relations alone do not count.
        let u = User {
            cohorts: vec![1],
            offerings: vec![1],
            learner_groups: vec![1],
            ..User::default()
        };
        assert!(!performs_non_learner_functions(&u));
    }

    #[test]
    fn learner_for_cohorts_offerings_or_learner_ilms() {
        assert!(!is_learner(&User::default()));
        assert!(!is_learner(&User {
            learner_groups: vec![1],
            ..User::default()
        }));
        assert!(is_learner(&User {
            cohorts: vec![1],
            ..User::default()
        }));
        assert!(is_learner(&User {
            offerings: vec![1],
            ..User::default()
        }));
        assert!(is_learner(&User {
            learner_ilm_sessions: vec![1],
            ..User::default()
        }));
    }

    #[test]
    fn instructor_and_course_director() {
        let b = roles_box_from(&User::default(), &[]);
        assert!(!b.is_instructor && !b.is_course_director);
        let setters: [fn(&mut User); 4] = [
            |u| u.instructed_offerings = vec![1],
            |u| u.instructor_groups = vec![1],
            |u| u.instructor_ilm_sessions = vec![1],
            |u| u.instructed_learner_groups = vec![1],
        ];
        for set in setters {
            let mut u = User::default();
            set(&mut u);
            let b = roles_box_from(&u, &[]);
            assert!(b.is_instructor && !b.is_course_director);
        }
        let b = roles_box_from(
            &User {
                directed_courses: vec![1],
                ..User::default()
            },
            &[],
        );
        assert!(b.is_course_director && !b.is_instructor);
        // Administering a course is not directing it.
        assert!(
            !roles_box_from(
                &User {
                    administered_courses: vec![1],
                    ..User::default()
                },
                &[]
            )
            .is_course_director
        );
    }

    #[test]
    fn gutierrez_roles_box() {
        let data = loaded(GUTIERREZ);
        let b = roles_box(&data).ready().cloned().unwrap();
        assert_eq!(
            b,
            RolesBox {
                student: false,
                former_student: false,
                account_enabled: true,
                exclude_from_sync: false,
                performs_non_learner_functions: true,
                learner: false,
                root: true,
                role_titles: vec!["Developer".into(), "Course Director".into()],
                is_instructor: true,
                is_course_director: true,
            }
        );
        assert_eq!(heading(&data.user), "Nicholas A. Gutierrez");
    }
}
