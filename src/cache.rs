//! The last-known answers on disk: the Dashboard's weeks and My Profile, so a launch against a
//! slow server draws at once what was seen last time (marked "as of HH:MM" until fresh answers
//! replace it).
//!
//! Layout: `$XDG_CACHE_HOME/ilios-tui/<server>/<user>/{week-YYYY-MM-DD.json, profile.json}`. Both
//! folder names are hashes (of the normalized server URL, then of it with the user id from the
//! token), so one user's files are never looked up for another, and logout removes the user's
//! folder (or the server's, when the user is unknown). Each file is one header line (format,
//! server, user, when it was saved, what it answers), checked on read, then the JSON body.
//! Files are 0600 and folders 0700, written atomically by the session file's own code
//! ([`crate::config::write_private_atomically`]). No token is ever written here.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::models::User;
use crate::api::profile::{RelatedQuery, related_requests};
use crate::config::{
    Config, check_private, hashed_name, normalize_url, write_parts_privately_atomically,
};
use crate::domain::profile::ProfileData;
use crate::domain::week::Week;

/// Bumped when a file's shape changes: older files are then ignored (and replaced).
const FORMAT: u32 = 2;

const PROFILE_FILE: &str = "profile.json";

/// Where the cache lives and what it keeps; `None` from [`CacheOptions::from_config`] means
/// `cache = false` (or no home directory).
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// `$XDG_CACHE_HOME/ilios-tui`.
    pub root: PathBuf,
    /// Entries older than this are neither shown nor kept.
    pub max_age: chrono::Duration,
    /// A larger file is not read (the same bound as an answer from the server).
    pub max_bytes: u64,
}

impl CacheOptions {
    pub fn from_config(config: &Config) -> Option<CacheOptions> {
        Self::ignoring_switch(config).filter(|_| config.cache)
    }

    /// Where the cache is even with `cache = false`: for removing what an earlier run kept.
    pub fn ignoring_switch(config: &Config) -> Option<CacheOptions> {
        Some(CacheOptions {
            root: cache_root()?,
            max_age: chrono::Duration::days(i64::from(config.cache_max_age_days)),
            max_bytes: config.max_answer_mib * 1024 * 1024,
        })
    }

    /// One server's folder: every user of it.
    pub fn server_dir(&self, server_url: &str) -> PathBuf {
        self.root.join(hashed_name(&normalize_url(server_url)))
    }

    /// Removes everything kept for `server_url` (logout when the user is not known).
    pub fn forget_server(&self, server_url: &str) -> std::io::Result<()> {
        remove_dir(&self.server_dir(server_url))
    }
}

/// `$XDG_CACHE_HOME/ilios-tui` (`~/.cache/ilios-tui`).
pub fn cache_root() -> Option<PathBuf> {
    crate::config::project_dirs().map(|d| d.cache_dir().to_path_buf())
}

fn remove_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The first line of every file: whose answer it is, when it was saved, and to what.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Header {
    format: u32,
    server: String,
    user_id: u64,
    saved_at: DateTime<Utc>,
    /// `week 2027-02-14 <from> <to>` (the unix range asked for, so a change of zone or week
    /// start never shows another range's events) or `profile`.
    what: String,
}

/// My Profile as last seen: the user record and every answer of its wave, as sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProfileSnapshot {
    pub user: User,
    /// The application config's `academicYearCrossesCalendarYearBoundaries` then.
    #[serde(default)]
    pub crosses_boundary: bool,
    /// Each request of the wave (as [`RelatedQuery`] serializes) with its answer's body.
    pub parts: Vec<(serde_json::Value, serde_json::Value)>,
}

impl ProfileSnapshot {
    /// The snapshot to keep: the user record without its calendar feed key (a secret the page
    /// never shows).
    pub fn new(
        user: &User,
        crosses_boundary: bool,
        parts: Vec<(serde_json::Value, serde_json::Value)>,
    ) -> Self {
        let mut user = user.clone();
        user.ics_feed_key = None;
        ProfileSnapshot {
            user,
            crosses_boundary,
            parts,
        }
    }

    /// The page rebuilt from the stored answers, through the same decoding as fresh ones. A part
    /// whose request is no longer asked for is left out (and stays loading).
    pub fn replay(self) -> ProfileData {
        let mut data = ProfileData::new(self.user.clone(), self.crosses_boundary);
        let queries = related_requests(&self.user);
        for (query, body) in self.parts {
            if let Some(q) = queries.iter().find(|q| query_key(q) == query) {
                data.receive(q, Ok(body));
            }
        }
        data
    }
}

/// How a request of the profile's wave is named in the snapshot.
pub fn query_key(query: &RelatedQuery) -> serde_json::Value {
    serde_json::to_value(query).unwrap_or_default()
}

/// One user's folder on one server.
#[derive(Debug, Clone)]
pub struct UserCache {
    dir: PathBuf,
    server: String,
    user_id: u64,
    options: CacheOptions,
}

impl UserCache {
    pub fn new(options: &CacheOptions, server_url: &str, user_id: u64) -> UserCache {
        let server = normalize_url(server_url);
        let dir = options
            .server_dir(&server)
            .join(hashed_name(&format!("{server}\n{user_id}")));
        UserCache {
            dir,
            server,
            user_id,
            options: options.clone(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps a week's `userevents` answer (the body as it arrived) as of `saved_at`.
    pub fn save_week(
        &self,
        week: Week,
        range: (i64, i64),
        saved_at: DateTime<Utc>,
        answer: &[u8],
    ) -> std::io::Result<()> {
        self.save(&week_file(week), week_what(week, range), saved_at, answer)
    }

    /// The week's last-known answer (a `userevents` body), unless there are none, they are older than the maximum
    /// age at `now`, or they answered another range.
    pub fn load_week(
        &self,
        week: Week,
        range: (i64, i64),
        now: DateTime<Utc>,
    ) -> Option<(DateTime<Utc>, Vec<u8>)> {
        self.load(&week_file(week), &week_what(week, range), now)
    }

    pub fn save_profile(
        &self,
        snapshot: &ProfileSnapshot,
        saved_at: DateTime<Utc>,
    ) -> std::io::Result<()> {
        let body = serde_json::to_vec(snapshot)?;
        self.save(PROFILE_FILE, "profile".into(), saved_at, &body)
    }

    pub fn load_profile(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, ProfileSnapshot)> {
        let (saved_at, body) = self.load(PROFILE_FILE, "profile", now)?;
        let snapshot: ProfileSnapshot = serde_json::from_slice(&body).ok()?;
        (snapshot.user.id == self.user_id).then_some((saved_at, snapshot))
    }

    /// Removes everything kept for this user on this server (logout, token invalidation).
    pub fn forget(&self) -> std::io::Result<()> {
        remove_dir(&self.dir)
    }

    /// Removes the files that are too old at `now` (or unreadable, or of another format).
    pub fn prune(&self, now: DateTime<Utc>) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // Half-written files a killed process left behind.
            if name.starts_with(".tmp") {
                let _ = std::fs::remove_file(&path);
                continue;
            }
            let fresh = self
                .read_header(&path)
                .is_some_and(|(h, _)| h.format == FORMAT && self.young_enough(h.saved_at, now));
            if !fresh {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    fn young_enough(&self, saved_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now.signed_duration_since(saved_at) <= self.options.max_age
    }

    fn save(
        &self,
        file: &str,
        what: String,
        saved_at: DateTime<Utc>,
        body: &[u8],
    ) -> std::io::Result<()> {
        let header = Header {
            format: FORMAT,
            server: self.server.clone(),
            user_id: self.user_id,
            saved_at,
            what,
        };
        let mut header = serde_json::to_vec(&header)?;
        header.push(b'\n');
        make_private_dirs(&self.options.root, &self.dir)?;
        // Written in two parts: a week's body is megabytes, and joining would copy it.
        write_parts_privately_atomically(&self.dir.join(file), &[&header, body])
    }

    fn read_header(&self, path: &Path) -> Option<(Header, Vec<u8>)> {
        // A file others can read was not written here: refuse it rather than trust it.
        check_private(path).ok()?;
        if std::fs::metadata(path).ok()?.len() > self.options.max_bytes {
            return None;
        }
        let mut bytes = std::fs::read(path).ok()?;
        let newline = bytes.iter().position(|b| *b == b'\n')?;
        let header: Header = serde_json::from_slice(&bytes[..newline]).ok()?;
        bytes.drain(..=newline);
        Some((header, bytes))
    }

    fn load(&self, file: &str, what: &str, now: DateTime<Utc>) -> Option<(DateTime<Utc>, Vec<u8>)> {
        let path = self.dir.join(file);
        let (header, body) = self.read_header(&path)?;
        let ours = header.format == FORMAT
            && header.server == self.server
            && header.user_id == self.user_id
            && header.what == what;
        if !ours {
            return None;
        }
        if !self.young_enough(header.saved_at, now) {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        Some((header.saved_at, body))
    }
}

fn week_file(week: Week) -> String {
    format!("week-{}.json", week.first)
}

fn week_what(week: Week, (from, to): (i64, i64)) -> String {
    format!("week {} {from} {to}", week.first)
}

/// Creates `dir` and every folder between `root` and it (and `root`'s own parents), each of
/// `root` and below with mode 0700.
fn make_private_dirs(root: &Path, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut at = Some(dir);
        while let Some(folder) = at {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))?;
            if folder == root {
                break;
            }
            at = folder.parent().filter(|p| p.starts_with(root));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(root: &Path) -> CacheOptions {
        CacheOptions {
            root: root.to_path_buf(),
            max_age: chrono::Duration::days(14),
            max_bytes: 1 << 20,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_week_comes_back_for_its_user_and_range_only() {
        let dir = tempfile::tempdir().unwrap();
        let opts = options(dir.path());
        let week = Week {
            first: "2027-02-14".parse().unwrap(),
        };
        let mine = UserCache::new(&opts, "https://ilios.example.edu", 7);
        let saved = at("2027-02-17T18:00:00Z");
        mine.save_week(week, (1, 2), saved, br#"{"userEvents":[]}"#)
            .unwrap();
        let now = at("2027-02-18T18:00:00Z");
        assert_eq!(
            mine.load_week(week, (1, 2), now),
            Some((saved, br#"{"userEvents":[]}"#.to_vec()))
        );
        assert_eq!(mine.load_week(week, (1, 3), now), None, "another range");
        let other = UserCache::new(&opts, "https://ilios.example.edu", 8);
        assert_eq!(other.load_week(week, (1, 2), now), None, "another user");
        let server = UserCache::new(&opts, "https://other.example.edu", 7);
        assert_eq!(server.load_week(week, (1, 2), now), None, "another server");
        // Too old: not shown, and gone.
        let late = at("2027-03-04T18:00:01Z");
        assert_eq!(mine.load_week(week, (1, 2), late), None);
        assert_eq!(mine.load_week(week, (1, 2), now), None);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_logout_removes_them() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let opts = options(&dir.path().join("ilios-tui"));
        let cache = UserCache::new(&opts, "https://ilios.example.edu/", 7);
        let week = Week {
            first: "2027-02-14".parse().unwrap(),
        };
        cache
            .save_week(
                week,
                (1, 2),
                at("2027-02-17T18:00:00Z"),
                br#"{"userEvents":[]}"#,
            )
            .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache.dir().join("week-2027-02-14.json")), 0o600);
        let mut folder = cache.dir();
        while folder.starts_with(&opts.root) {
            assert_eq!(mode(folder), 0o700, "{}", folder.display());
            folder = folder.parent().unwrap();
        }
        cache.forget().unwrap();
        assert!(!cache.dir().exists());
    }
}
