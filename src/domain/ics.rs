//! The calendar feed's address, as the web client's "Copy My ICS Link" builds it
//! (`components/ics-feed.gjs`: `{apiHost or page origin}/ics/{user.icsFeedKey}`).

/// `{server}/ics/{key}`, or `None` when the user has no key. The key goes into a URL path:
/// anything but letters and digits is escaped, so a hostile key cannot make it another address.
pub fn feed_url(server: &str, key: Option<&str>) -> Option<String> {
    let key = key.map(str::trim).filter(|k| !k.is_empty())?;
    let key: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    Some(format!("{}/ics/{key}", server.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_is_under_the_server() {
        let key = "a".repeat(64);
        assert_eq!(
            feed_url("https://ilios.example.edu/", Some(&key)).unwrap(),
            format!("https://ilios.example.edu/ics/{key}")
        );
        assert_eq!(feed_url("https://x", None), None);
        assert_eq!(feed_url("https://x", Some("  ")), None);
        // A key that tries to leave the path stays in it.
        assert_eq!(
            feed_url("https://x", Some("../../evil?a=b")).unwrap(),
            "https://x/ics/..%2F..%2Fevil%3Fa%3Db"
        );
    }
}
