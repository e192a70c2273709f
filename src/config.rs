//! The config file (TOML at `$XDG_CONFIG_HOME/ilios-tui/config.toml`), where tokens come from, and
//! the stored session in the XDG state directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::api::{ClientOptions, Token};
use crate::domain::week::{TimeFormat, WeekStart};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The Ilios server, e.g. `https://ilios.example.edu`.
    pub url: Option<String>,
    /// A command whose standard output is a token, e.g. `pass show ilios`.
    pub token_command: Option<String>,
    /// A token kept in the config itself; the file must then be private (chmod 600).
    pub token: Option<String>,
    pub week_start: WeekStart,
    pub time_format: TimeFormat,
    pub theme: ThemeName,
    /// action name → key, e.g. `quit = "x"`.
    pub keys: BTreeMap<String, String>,
    pub connect_timeout_secs: f64,
    pub request_timeout_secs: f64,
    pub log_file: Option<PathBuf>,
    pub allow_insecure_http: bool,
    /// The largest answer read from the server, in MiB (a longer one is an error).
    pub max_answer_mib: u64,
    /// How long `token_command` may run, in seconds.
    pub token_command_timeout_secs: f64,
    /// A PEM file of certificate authorities to trust besides the platform's (a school's own).
    pub ca_file: Option<PathBuf>,
    /// Keep the last answers of the Dashboard's weeks and of My Profile on disk (per server and
    /// user) and draw them at launch until fresh ones arrive.
    pub cache: bool,
    /// Kept answers older than this many days are neither shown nor kept.
    pub cache_max_age_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    #[default]
    Default,
    /// No colours: only bold, reverse and underline.
    Mono,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            url: None,
            token_command: None,
            token: None,
            week_start: WeekStart::default(),
            time_format: TimeFormat::default(),
            theme: ThemeName::default(),
            keys: BTreeMap::new(),
            connect_timeout_secs: 5.0,
            request_timeout_secs: 15.0,
            log_file: None,
            allow_insecure_http: false,
            max_answer_mib: 32,
            token_command_timeout_secs: 30.0,
            ca_file: None,
            cache: true,
            cache_max_age_days: 14,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("cannot read {path}: {cause}")]
    Unreadable { path: String, cause: String },
    #[error(
        "{path} holds a token and can be read by other users (mode {mode:o}); \
         run `chmod 600 {path}` and try again"
    )]
    TooOpen { path: String, mode: u32 },
    #[error("the token command `{command}` failed: {cause}")]
    TokenCommand { command: String, cause: String },
    /// A token source that is set but cannot be used.
    #[error("the token from {origin} cannot be used: {why}")]
    BadTokenSource { origin: String, why: String },
}

pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "ilios-tui")
}

pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Where sessions and the log live (`$XDG_STATE_HOME/ilios-tui`, falling back to the data dir).
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_path_buf()
    })
}

impl Config {
    /// Reads `path`, or the default path when it exists; a missing default file is no error.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_config_path() {
                Some(p) if p.exists() => p,
                _ => return Ok((Config::default(), None)),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Unreadable {
            path: path.display().to_string(),
            cause: e.to_string(),
        })?;
        let config = Config::parse(&text, &path.display().to_string())?;
        if config.token.is_some() {
            check_private(&path)?;
        }
        Ok((config, Some(path)))
    }

    /// Parses TOML, naming the line and the key when something is wrong.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: path.to_string(),
            message: describe_toml_error(text, &e),
        })?;
        if !(1..=4096).contains(&config.max_answer_mib) {
            return Err(ConfigError::Invalid {
                path: path.to_string(),
                message: "key `max_answer_mib`: must be a number of MiB between 1 and 4096".into(),
            });
        }
        if !(1..=365).contains(&config.cache_max_age_days) {
            return Err(ConfigError::Invalid {
                path: path.to_string(),
                message: "key `cache_max_age_days`: must be a number of days between 1 and 365"
                    .into(),
            });
        }
        for (name, secs) in [
            ("connect_timeout_secs", config.connect_timeout_secs),
            ("request_timeout_secs", config.request_timeout_secs),
            (
                "token_command_timeout_secs",
                config.token_command_timeout_secs,
            ),
        ] {
            if !(secs.is_finite() && secs > 0.0 && secs <= 3600.0) {
                return Err(ConfigError::Invalid {
                    path: path.to_string(),
                    message: format!(
                        "key `{name}`: must be a number of seconds between 0 and 3600"
                    ),
                });
            }
        }
        Ok(config)
    }

    pub fn client_options(&self) -> ClientOptions {
        ClientOptions {
            connect_timeout: Duration::from_secs_f64(self.connect_timeout_secs),
            request_timeout: Duration::from_secs_f64(self.request_timeout_secs),
            allow_insecure_http: self.allow_insecure_http,
            max_body_bytes: self.max_answer_mib * 1024 * 1024,
            ca_file: self.ca_file.clone(),
        }
    }
}

fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim().to_string();
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let key = text
                .lines()
                .nth(line - 1)
                .and_then(|l| l.split('=').next())
                .map(|k| k.trim().trim_matches(['[', ']']))
                .filter(|k| !k.is_empty());
            match key {
                Some(key) => format!("line {line}, key `{key}`: {message}"),
                None => format!("line {line}: {message}"),
            }
        }
        None => message,
    }
}

/// Refuses a file that holds a secret and is readable by group or others, as ssh does.
pub fn check_private(path: &Path) -> Result<(), ConfigError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| ConfigError::Unreadable {
            path: path.display().to_string(),
            cause: e.to_string(),
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(ConfigError::TooOpen {
                path: path.display().to_string(),
                mode,
            });
        }
    }
    Ok(())
}

/// Where the session token came from: said in messages, never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    File(PathBuf),
    Config(PathBuf),
    Command,
    Stored(PathBuf),
    Stdin,
    SignIn,
    Demo,
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Env => write!(f, "ILIOS_TOKEN"),
            TokenSource::File(p) => write!(f, "token file {}", p.display()),
            TokenSource::Config(p) => write!(f, "config {}", p.display()),
            TokenSource::Command => write!(f, "token_command"),
            TokenSource::Stored(p) => write!(f, "stored session {}", p.display()),
            TokenSource::Stdin => write!(f, "standard input"),
            TokenSource::SignIn => write!(f, "sign-in"),
            TokenSource::Demo => write!(f, "demo server"),
        }
    }
}

/// Finds a token, in order: `ILIOS_TOKEN`, `--token-file`, the config's `token`, its
/// `token_command`, the stored session for this server (unless it has expired by `now`). `None`
/// means: sign in.
pub fn find_token(
    config: &Config,
    config_path: Option<&Path>,
    token_file: Option<&Path>,
    server_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(Token, TokenSource)>, ConfigError> {
    match std::env::var("ILIOS_TOKEN") {
        Ok(t) if !t.trim().is_empty() => return Ok(Some((Token::new(t), TokenSource::Env))),
        // Set but unusable: running as whoever the stored session belongs to would be wrong.
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(ConfigError::BadTokenSource {
                origin: "ILIOS_TOKEN".into(),
                why: "it is set but is not valid UTF-8 text; unset it or put a token in it".into(),
            });
        }
        _ => {}
    }
    if let Some(path) = token_file {
        let text = read_token_file(path)?;
        return Ok(Some((
            Token::new(text.as_str()),
            TokenSource::File(path.to_path_buf()),
        )));
    }
    if let Some(t) = config.token.as_deref().filter(|t| !t.trim().is_empty()) {
        let path = config_path.map(Path::to_path_buf).unwrap_or_default();
        return Ok(Some((Token::new(t), TokenSource::Config(path))));
    }
    if let Some(command) = &config.token_command {
        let timeout = Duration::from_secs_f64(config.token_command_timeout_secs);
        return run_token_command(command, timeout).map(|t| Some((t, TokenSource::Command)));
    }
    Ok(StoredSession::load(server_url, now).map(|(s, path)| (s, TokenSource::Stored(path))))
}

/// The most bytes read from a token file or from `token_command`'s output: a JWT is a few
/// hundred bytes.
pub const MAX_TOKEN_SOURCE_BYTES: u64 = 64 * 1024;

/// A token file: a regular file (not a FIFO or a device that could block or never end), private,
/// and at most [`MAX_TOKEN_SOURCE_BYTES`].
fn read_token_file(path: &Path) -> Result<zeroize::Zeroizing<String>, ConfigError> {
    use std::io::Read;
    let bad = |why: String| ConfigError::BadTokenSource {
        origin: format!("token file {}", path.display()),
        why,
    };
    let unreadable = |e: std::io::Error| ConfigError::Unreadable {
        path: path.display().to_string(),
        cause: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(bad(
            "it is not a regular file (a pipe or a device could block or never end); \
             put the token in a file"
                .into(),
        ));
    }
    if meta.len() > MAX_TOKEN_SOURCE_BYTES {
        return Err(bad(format!(
            "it is {} bytes long; a token is at most {MAX_TOKEN_SOURCE_BYTES}",
            meta.len()
        )));
    }
    check_private(path)?;
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        // Swapped for a FIFO since the check: do not wait for a writer.
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = open.open(path).map_err(unreadable)?;
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(bad("it is not a regular file".into()));
    }
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    file.take(MAX_TOKEN_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_TOKEN_SOURCE_BYTES {
        return Err(bad(format!(
            "it is longer than {MAX_TOKEN_SOURCE_BYTES} bytes"
        )));
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| bad("it is not text".into()))?;
    Ok(zeroize::Zeroizing::new(text.to_string()))
}

/// Runs `token_command` through `sh -c`, in its own process group, for at most `timeout`;
/// reads at most [`MAX_TOKEN_SOURCE_BYTES`] of its output. A command that hangs or floods is
/// stopped (its whole group) and reported.
fn run_token_command(command: &str, timeout: Duration) -> Result<Token, ConfigError> {
    use std::io::Read;
    let fail = |cause: String| ConfigError::TokenCommand {
        command: command.to_string(),
        cause,
    };
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(|e| fail(e.to_string()))?;
    let stdout = child.stdout.take();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = zeroize::Zeroizing::new(Vec::new());
        let result = match stdout {
            Some(out) => out
                .take(MAX_TOKEN_SOURCE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map(|_| bytes),
            None => Ok(bytes),
        };
        let _ = tx.send(result);
    });
    let kill = |child: &mut std::process::Child| {
        #[cfg(unix)]
        // SAFETY: signals the process group this function created for the command.
        unsafe {
            libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = child.kill();
        let _ = child.wait();
    };
    let output = match rx.recv_timeout(timeout) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => {
            kill(&mut child);
            return Err(fail(e.to_string()));
        }
        Err(_) => {
            kill(&mut child);
            return Err(fail(format!(
                "it did not finish within {} s (token_command_timeout_secs)",
                timeout.as_secs_f64()
            )));
        }
    };
    if output.len() as u64 > MAX_TOKEN_SOURCE_BYTES {
        kill(&mut child);
        return Err(fail(format!(
            "it printed more than {MAX_TOKEN_SOURCE_BYTES} bytes; a token is a few hundred"
        )));
    }
    // Output closed: the command is ending; wait for it within what is left of the timeout.
    let deadline = std::time::Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5))
            }
            Ok(None) => {
                kill(&mut child);
                return Err(fail(format!(
                    "it did not finish within {} s (token_command_timeout_secs)",
                    timeout.as_secs_f64()
                )));
            }
            Err(e) => return Err(fail(e.to_string())),
        }
    };
    if !status.success() {
        return Err(fail(format!("it exited with {status}")));
    }
    let text = std::str::from_utf8(&output).map_err(|_| fail("its output is not text".into()))?;
    // `pass` prints the secret on the first line and metadata after it.
    let first = text.lines().next().unwrap_or_default().trim().to_string();
    if first.is_empty() {
        return Err(fail("it printed nothing".into()));
    }
    Ok(Token::new(first))
}

/// The signed-in session, kept between runs (mode 0600, written atomically).
pub struct StoredSession;

#[derive(serde::Serialize, Deserialize)]
struct SessionFile {
    url: String,
    jwt: String,
}

impl StoredSession {
    /// `sessions/<sha-256 of the normalized URL>.json`: two server URLs never share a file
    /// (`…/a/b` and `…/a_b` did, with the old readable names). The URL is also stored inside
    /// and checked on read.
    pub fn path_for(server_url: &str) -> Option<PathBuf> {
        let name = hashed_name(&normalize_url(server_url));
        state_dir().map(|d| d.join("sessions").join(format!("{name}.json")))
    }

    /// The file name used before session files were named by hash (removed on save and logout).
    fn legacy_path_for(server_url: &str) -> Option<PathBuf> {
        let name: String = server_url
            .trim_end_matches('/')
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        state_dir().map(|d| d.join("sessions").join(format!("{name}.json")))
    }

    /// Removes half-written session files (`.tmp*`) that a process killed while saving left
    /// behind: each may hold a valid token. `min_age` spares a save in progress elsewhere.
    fn clean_leftovers(dir: &Path, min_age: Duration) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !name.to_string_lossy().starts_with(".tmp") {
                continue;
            }
            let old_enough = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_none_or(|age| age >= min_age);
            if old_enough {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// The stored token for this server, if any and not expired by `now`.
    pub fn load(server_url: &str, now: chrono::DateTime<chrono::Utc>) -> Option<(Token, PathBuf)> {
        let path = Self::path_for(server_url)?;
        check_private(&path).ok()?;
        let text = std::fs::read_to_string(&path).ok()?;
        let file: SessionFile = serde_json::from_str(&text).ok()?;
        if normalize_url(&file.url) != normalize_url(server_url) {
            return None;
        }
        let token = Token::new(file.jwt);
        let claims = crate::api::Claims::decode(token.expose()).ok()?;
        if claims.is_expired_at(now) {
            return None;
        }
        Some((token, path))
    }

    pub fn save(server_url: &str, token: &Token) -> std::io::Result<PathBuf> {
        let path = Self::path_for(server_url)
            .ok_or_else(|| std::io::Error::other("no home directory for the session file"))?;
        let file = SessionFile {
            url: server_url.to_string(),
            jwt: token.expose().to_string(),
        };
        if let Some(dir) = path.parent() {
            Self::clean_leftovers(dir, Duration::from_secs(60));
        }
        write_private_atomically(&path, serde_json::to_string(&file)?.as_bytes())?;
        if let Some(legacy) = Self::legacy_path_for(server_url)
            && legacy != path
        {
            let _ = std::fs::remove_file(legacy);
        }
        Ok(path)
    }

    /// Replaces the stored token only when one is stored for this server (after invalidation).
    pub fn replace_if_present(server_url: &str, token: &Token) -> std::io::Result<bool> {
        match Self::path_for(server_url) {
            Some(path) if path.exists() => Self::save(server_url, token).map(|_| true),
            _ => Ok(false),
        }
    }

    /// Forgets the session: its file, a file of the old naming, and any half-written leftovers.
    pub fn delete(server_url: &str) -> std::io::Result<()> {
        if let Some(legacy) = Self::legacy_path_for(server_url) {
            let _ = std::fs::remove_file(legacy);
        }
        match Self::path_for(server_url) {
            Some(path) => {
                if let Some(dir) = path.parent() {
                    Self::clean_leftovers(dir, Duration::ZERO);
                }
                match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                }
            }
            None => Ok(()),
        }
    }
}

/// The server URL as sessions are keyed: parsed (scheme and host lower-cased, default port
/// dropped), without query or fragment, with one trailing slash.
pub fn normalize_url(raw: &str) -> String {
    match url::Url::parse(raw.trim()) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let path = format!("{}/", url.path().trim_end_matches('/'));
            url.set_path(&path);
            url.to_string()
        }
        Err(_) => raw.trim().to_string(),
    }
}

/// A file or folder name for `key` that says nothing of it: the first 16 bytes of its SHA-256,
/// in hex (session files, cache folders).
pub fn hashed_name(key: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Temporary file with mode 0600 in the same directory, then rename: never a half-written or
/// briefly world-readable secret.
pub fn write_private_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_parts_privately_atomically(path, &[bytes])
}

/// [`write_private_atomically`] of `parts` one after the other, without joining them first.
pub fn write_parts_privately_atomically(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    // tempfile creates the file with mode 0600 on unix.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_ilios_en_us() {
        let c = Config::parse("", "c.toml").unwrap();
        assert_eq!(c.week_start, WeekStart::Sunday);
        assert_eq!(c.time_format, TimeFormat::H12);
        assert_eq!(c.client_options().request_timeout, Duration::from_secs(15));
        assert_eq!(c.client_options().connect_timeout, Duration::from_secs(5));
    }

    #[test]
    fn full_file_parses() {
        let text = r#"
url = "https://ilios.example.edu"
token_command = "pass show ilios"
week_start = "monday"
time_format = "24h"
theme = "mono"
connect_timeout_secs = 2
request_timeout_secs = 30.5
allow_insecure_http = false

[keys]
quit = "x"
"#;
        let c = Config::parse(text, "c.toml").unwrap();
        assert_eq!(c.url.as_deref(), Some("https://ilios.example.edu"));
        assert_eq!(c.week_start, WeekStart::Monday);
        assert_eq!(c.time_format, TimeFormat::H24);
        assert_eq!(c.theme, ThemeName::Mono);
        assert_eq!(c.keys.get("quit").map(String::as_str), Some("x"));
    }

    #[test]
    fn the_example_file_parses_and_documents_every_key() {
        let text = include_str!("../config.example.toml");
        let c = Config::parse(text, "config.example.toml").unwrap();
        assert_eq!(c, Config::default());
        // Every key action that `[keys]` can change is documented there (a dialog's keys are
        // fixed for now).
        for b in crate::app::keymap::BINDINGS
            .iter()
            .filter(|b| !b.scope.is_dialog())
        {
            assert!(
                text.contains(&format!("# {} = ", b.name)),
                "{} is not documented",
                b.name
            );
        }
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                // Uncomment `# key = value` examples only, not prose.
                Some(rest)
                    if rest.split(" = ").next().is_some_and(|k| {
                        k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    }) && rest.contains(" = ") =>
                {
                    rest
                }
                Some(_) => "",
                None => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let full = Config::parse(&uncommented, "uncommented").unwrap();
        assert!(crate::app::keymap::Keymap::with_overrides(&full.keys).is_ok());
        assert_eq!(full.url.as_deref(), Some("https://ilios.example.edu"));
    }

    #[test]
    fn bad_value_names_file_line_and_key() {
        let text = "url = \"https://x\"\nweek_start = \"friday\"\n";
        let err = Config::parse(text, "/home/a/config.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("/home/a/config.toml: line 2, key `week_start`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::parse("\n\nurll = \"x\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3") && err.contains("urll"), "{err}");
    }

    #[test]
    fn bad_timeout_is_refused() {
        let err = Config::parse("request_timeout_secs = -1\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("request_timeout_secs"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn open_token_file_is_refused_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "a.b.c").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = check_private(&path).unwrap_err().to_string();
        assert!(
            err.contains(&format!("chmod 600 {}", path.display())),
            "{err}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(check_private(&path).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s/session.json");
        write_private_atomically(&path, b"{}").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
