//! The one string order of every user-visible sort: the Unicode Collation Algorithm (root
//! locale, ICU4X), as the Ilios web client's `localeCompare` gives in an en-US browser. Byte order
//! would put "apple seminar" after "Zoology lab" and "Émile" after "Zed".
//! Ilios sorts with `localeCompare` in `packages/ilios-common/addon/utils/array-helpers.js`
//! (`sortBy`) and `services/user-events.js` (events at one start time by name).

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};

/// Built once, on the first comparison, from the data compiled into the binary.
static ROOT: LazyLock<Option<CollatorBorrowed<'static>>> =
    LazyLock::new(|| Collator::try_new(Default::default(), CollatorOptions::default()).ok());

/// `a` against `b` as a person reading the list expects (case, accents and punctuation weigh
/// less than letters). Strings the collation holds equal fall back to code-point order, so a
/// sort is the same on every run.
pub fn compare(a: &str, b: &str) -> Ordering {
    let collated = match &*ROOT {
        Some(collator) => collator.compare(a, b),
        // The data is compiled in; should it ever fail to load, case-insensitive order is the
        // nearest thing.
        None => a.to_lowercase().cmp(&b.to_lowercase()),
    };
    collated.then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare(a, b));
        v
    }

    /// ilios/frontend `packages/ilios-common/addon/utils/array-helpers.js` (`sortBy` compares
    /// strings with `localeCompare`) and `packages/test-app/tests/unit/utils/array-helpers-test.js`.
    #[test]
    fn case_and_accents_do_not_put_words_out_of_order() {
        assert_eq!(
            sorted(&["Zoology lab", "apple seminar", "Anatomy"]),
            vec!["Anatomy", "apple seminar", "Zoology lab"]
        );
        assert_eq!(
            sorted(&["Zed", "Émile", "Eve", "ángel"]),
            vec!["ángel", "Émile", "Eve", "Zed"]
        );
        // Lower case before upper case of the same word, as localeCompare in en-US.
        assert_eq!(sorted(&["B", "b", "a"]), vec!["a", "b", "B"]);
        assert_eq!(compare("same", "same"), Ordering::Equal);
    }
}
