//! How Ilios names a person (`packages/ilios-common/addon/models/user.js` `fullName`).

use crate::api::models::User;

/// `displayName` when set, else `First M. Last` (first character of the middle name and a dot),
/// else `First Last`; empty when the first or last name is missing.
///
/// ```
/// use ilios_tui::api::models::User;
/// use ilios_tui::domain::names::full_name;
///
/// let user: User = serde_json::from_str(
///     r#"{"id":1,"firstName":"Nicholas","middleName":"Ann","lastName":"Gutierrez"}"#,
/// ).unwrap();
/// assert_eq!(full_name(&user), "Nicholas A. Gutierrez");
/// ```
pub fn full_name(user: &User) -> String {
    if let Some(display) = user
        .display_name
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        return display.to_string();
    }
    let (first, last) = (user.first_name.trim(), user.last_name.trim());
    if first.is_empty() || last.is_empty() {
        return String::new();
    }
    match user
        .middle_name
        .as_deref()
        .and_then(|m| m.trim().chars().next())
    {
        Some(initial) => format!("{first} {initial}. {last}"),
        None => format!("{first} {last}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(first: &str, middle: Option<&str>, last: &str, display: Option<&str>) -> User {
        User {
            first_name: first.into(),
            middle_name: middle.map(Into::into),
            last_name: last.into(),
            display_name: display.map(Into::into),
            ..User::default()
        }
    }

    #[test]
    fn display_name_wins() {
        let u = user(
            "Walter",
            Some("Stephanie"),
            "Powell",
            Some("Walter Stephanie Powell"),
        );
        assert_eq!(full_name(&u), "Walter Stephanie Powell");
    }

    #[test]
    fn middle_initial_with_a_dot() {
        assert_eq!(
            full_name(&user("Nicholas", Some("Ann"), "Gutierrez", None)),
            "Nicholas A. Gutierrez"
        );
        // The Ilios test factory: first "0 guy", middle "M,", last "Mc0son".
        assert_eq!(
            full_name(&user("0 guy", Some("M,"), "Mc0son", None)),
            "0 guy M. Mc0son"
        );
    }

    #[test]
    fn no_middle_name() {
        assert_eq!(
            full_name(&user("Ada", None, "Lovelace", None)),
            "Ada Lovelace"
        );
        assert_eq!(
            full_name(&user("Ada", Some(""), "Lovelace", Some(""))),
            "Ada Lovelace"
        );
    }

    #[test]
    fn missing_first_or_last_gives_empty() {
        assert_eq!(full_name(&user("", Some("Ann"), "Gutierrez", None)), "");
    }
}
