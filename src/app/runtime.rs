//! The event loop: terminal events, task answers and signals become Actions; `update` runs; the
//! screen is redrawn only when something changed, inside a synchronized update.

use std::io::Write;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::api::Client;
use crate::cache::{CacheOptions, UserCache};
use crate::config::StoredSession;
use crate::domain::week::Week;

use super::action::{Action, Answer, CachedAnswers, Effect, Stamp};
use super::panes::profile as profile_pane;
use super::state::{App, Now};
use super::update::update;

/// What the effect tasks need: the client (without a token; each task takes the session's).
pub struct Runner {
    pub client: Client,
    /// Store sessions on disk (not for the demo server).
    pub persist_sessions: bool,
    tx: mpsc::UnboundedSender<Action>,
    /// The cache on disk (`crate::cache`), when it is on.
    cache: Option<CacheOptions>,
    /// Every read and write of the cache, in the order asked, on one thread of its own: a
    /// removal (logout) is never overtaken by a write queued before it, and the loop never
    /// waits for the disk.
    cache_jobs: Option<std::sync::mpsc::Sender<CacheJob>>,
    cache_thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Runner {
    /// Quitting waits for the cache's queued jobs (a removal after logout above all).
    fn drop(&mut self) {
        self.cache_jobs = None;
        if let Some(thread) = self.cache_thread.take() {
            let _ = thread.join();
        }
    }
}

type CacheJob = Box<dyn FnOnce() + Send>;

/// Starts the thread that runs the cache's jobs one after the other; it ends with the Runner.
fn cache_worker() -> Option<(
    std::sync::mpsc::Sender<CacheJob>,
    std::thread::JoinHandle<()>,
)> {
    let (jobs, queue) = std::sync::mpsc::channel::<CacheJob>();
    let thread = std::thread::Builder::new()
        .name("cache".into())
        .spawn(move || queue.into_iter().for_each(|job| job()))
        .ok()?;
    Some((jobs, thread))
}

impl Runner {
    pub fn new(
        client: Client,
        persist_sessions: bool,
        tx: mpsc::UnboundedSender<Action>,
    ) -> Runner {
        Runner {
            client,
            persist_sessions,
            tx,
            cache: None,
            cache_jobs: None,
            cache_thread: None,
        }
    }

    /// Keeps the last-known answers on disk and reads them at session start (`cache = true`).
    pub fn with_cache(mut self, options: Option<CacheOptions>) -> Runner {
        if let Some((jobs, thread)) = options.as_ref().and_then(|_| cache_worker()) {
            self.cache_jobs = Some(jobs);
            self.cache_thread = Some(thread);
        }
        self.cache = options;
        self
    }

    /// This user's cache, and a queue to reach it, when the cache is on.
    fn user_cache(
        &self,
        app: &App,
        user_id: u64,
    ) -> Option<(UserCache, &std::sync::mpsc::Sender<CacheJob>)> {
        let options = self.cache.as_ref()?;
        let jobs = self.cache_jobs.as_ref()?;
        Some((UserCache::new(options, &app.server_url, user_id), jobs))
    }

    /// Queues the cache's job for a cache effect; any other effect is handed back.
    fn run_cache(&self, app: &App, effect: Effect, stamp: Stamp) -> Option<Effect> {
        if let Effect::ForgetCache { user_id } = effect {
            self.forget(app, user_id);
            return None;
        }
        if !matches!(
            effect,
            Effect::ReadCache | Effect::RememberWeek { .. } | Effect::RememberProfile(_)
        ) {
            return Some(effect);
        }
        let Some((cache, jobs)) = app
            .session
            .as_ref()
            .and_then(|s| self.user_cache(app, s.user_id))
        else {
            return None; // the cache is off, or nobody is signed in
        };
        let (zone, now) = (app.now.zone, app.now.utc());
        let job: CacheJob = match effect {
            Effect::ReadCache => {
                let weeks = [app.this_week, app.this_week.next()];
                let tx = self.tx.clone();
                Box::new(move || {
                    let cached = read_cache(&cache, &weeks, zone, now);
                    let _ = tx.send(Action::Answer {
                        stamp,
                        answer: Answer::Cached(Box::new(cached)),
                    });
                })
            }
            Effect::RememberWeek { week, answer } => {
                let range = week.unix_range(&zone);
                Box::new(move || {
                    if let Err(e) = cache.save_week(week, range, now, &answer) {
                        tracing::warn!("could not keep the week in the cache: {e}");
                    }
                })
            }
            Effect::RememberProfile(snapshot) => Box::new(move || {
                if let Err(e) = cache.save_profile(&snapshot, now) {
                    tracing::warn!("could not keep My Profile in the cache: {e}");
                }
            }),
            _ => return None,
        };
        let _ = jobs.send(job);
        None
    }

    /// `ForgetCache`: removes the user's folder, even with the cache turned off since.
    fn forget(&self, app: &App, user_id: u64) {
        let Some(options) = self.forget_options() else {
            return;
        };
        let cache = UserCache::new(&options, &app.server_url, user_id);
        let job: CacheJob = Box::new(move || {
            if let Err(e) = cache.forget() {
                tracing::warn!("could not remove the cache: {e}");
            }
        });
        match &self.cache_jobs {
            Some(jobs) => {
                let _ = jobs.send(job);
            }
            None => job(),
        }
    }

    /// Where the cache is, for removing it: also when it is off now (files of an earlier run),
    /// never for the demo server.
    fn forget_options(&self) -> Option<CacheOptions> {
        if !self.persist_sessions {
            return None;
        }
        self.cache.clone().or_else(|| {
            Some(CacheOptions {
                root: crate::cache::cache_root()?,
                max_age: chrono::Duration::zero(),
                max_bytes: 0,
            })
        })
    }

    fn spawn<F>(&self, fut: F)
    where
        F: std::future::Future<Output = Action> + Send + 'static,
    {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(fut.await);
        });
    }

    /// Runs one effect. Network work is spawned; nothing here blocks the loop.
    pub fn run(&self, app: &App, effect: Effect) {
        tracing::debug!(?effect, "effect");
        let client = match &app.session {
            Some(s) => self.client.with_token(s.token.clone()),
            None => self.client.without_token(),
        };
        let stamp = Stamp {
            generation: app.generation,
            epoch: app.token_epoch,
        };
        let user_id = app.session.as_ref().map(|s| s.user_id).unwrap_or_default();
        let Some(effect) = self.run_cache(app, effect, stamp) else {
            return;
        };
        match effect {
            Effect::LoadAppConfig => self
                .spawn(async move { Action::AppConfigLoaded(client.application_config().await) }),
            Effect::LoadUser => self.spawn(async move {
                Action::Answer {
                    stamp,
                    answer: Answer::User(client.user(user_id).await),
                }
            }),
            Effect::LoadWeek { week, seq } => {
                let (from, to) = week.unix_range(&app.now.zone);
                let clock = app.settings.clock;
                // The Dashboard's weeks are kept on disk.
                let keep =
                    self.cache.is_some() && (week == app.this_week || week == app.this_week.next());
                self.spawn(async move {
                    // Decoded, and its glance built, off the UI thread (`week_answer`).
                    let result = super::week_answer::fetch_prepared(
                        &client,
                        user_id,
                        (from, to),
                        clock,
                        keep,
                    )
                    .await;
                    Action::Answer {
                        stamp,
                        answer: Answer::WeekPrepared { week, seq, result },
                    }
                })
            }
            Effect::LoadCalendar { span, school, seq } => {
                let (from, to) = span.fetch_range(&app.now.zone);
                self.spawn(async move {
                    let result = match school {
                        Some(id) => client.school_events(id, from, to).await,
                        None => client.user_events(user_id, from, to).await,
                    };
                    Action::Answer {
                        stamp,
                        answer: Answer::Calendar {
                            span,
                            school,
                            seq,
                            result,
                        },
                    }
                })
            }
            Effect::LoadCalendarSchools { seq } => self.spawn(async move {
                let result = crate::api::calendar::school_choices(&client, user_id).await;
                Action::Answer {
                    stamp,
                    answer: Answer::CalendarSchools { seq, result },
                }
            }),
            Effect::LoadCalendarFilterLists { school, seq } => self.spawn(async move {
                let result = crate::api::calendar::school_filter_lists(&client, school).await;
                Action::Answer {
                    stamp,
                    answer: Answer::CalendarFilterLists {
                        school,
                        seq,
                        result,
                    },
                }
            }),
            Effect::LoadProfile { seq, user } => {
                profile_pane::spawn_profile_wave(&client, stamp, seq, *user, &self.tx)
            }
            Effect::LoadMaterials {
                seq,
                range,
                with_statuses,
            } => {
                let bounds = range.bounds(app.now.utc(), &app.now.zone);
                self.spawn(async move {
                    let statuses = async {
                        match with_statuses {
                            true => client.material_statuses(user_id).await.map(Some),
                            false => Ok(None),
                        }
                    };
                    let (materials, statuses) =
                        tokio::join!(client.user_materials(user_id, bounds), statuses);
                    // Without the statuses the rows still show (with no checkboxes), and the log
                    // says why.
                    let statuses = statuses.unwrap_or_else(|e| {
                        tracing::warn!("material statuses did not load: {e}");
                        None
                    });
                    let result =
                        materials.map(|materials| super::panes::materials::MaterialsAnswer {
                            materials,
                            statuses,
                        });
                    Action::Answer {
                        stamp,
                        answer: Answer::Materials { seq, result },
                    }
                })
            }
            Effect::LoadMaterialStatuses { seq } => self.spawn(async move {
                let result = client.material_statuses(user_id).await;
                Action::Answer {
                    stamp,
                    answer: Answer::MaterialStatuses { seq, result },
                }
            }),
            Effect::SaveMaterialStatus(write) => self.spawn(async move {
                let result = client
                    .save_material_status(
                        write.existing,
                        user_id,
                        write.material,
                        write.status.wire(),
                    )
                    .await;
                Action::Answer {
                    stamp,
                    answer: Answer::MaterialStatusSaved { write, result },
                }
            }),
            Effect::CreateToken { ttl } => self.spawn(async move {
                Action::Answer {
                    stamp,
                    answer: Answer::TokenCreated(client.create_token(&ttl).await),
                }
            }),
            Effect::InvalidateTokens => self.spawn(async move {
                Action::Answer {
                    stamp,
                    answer: Answer::TokensInvalidated(client.invalidate_tokens().await),
                }
            }),
            Effect::SignIn { username, password } => self
                .spawn(async move { Action::SignedIn(client.login(&username, &password).await) }),
            Effect::CheckToken(token) => {
                let client = client.with_token(token.clone());
                self.spawn(async move {
                    Action::TokenChecked {
                        token,
                        result: client.whoami().await,
                    }
                })
            }
            Effect::StoreSession { token, always } => {
                if self.persist_sessions {
                    let url = app.server_url.clone();
                    let result = if always {
                        StoredSession::save(&url, &token).map(|_| ())
                    } else {
                        StoredSession::replace_if_present(&url, &token).map(|_| ())
                    };
                    if let Err(e) = result {
                        tracing::warn!("could not store the session: {e}");
                        let _ = self.tx.send(Action::SessionNotSaved(e.to_string()));
                    }
                }
            }
            Effect::Logout => {
                if self.persist_sessions
                    && let Err(e) = StoredSession::delete(&app.server_url)
                {
                    tracing::warn!("could not delete the stored session: {e}");
                }
                tokio::spawn(async move {
                    let _ = client.logout().await;
                });
            }
            Effect::Copy {
                what,
                text,
                through_terminal,
            } => {
                if !through_terminal && crate::clipboard::in_tmux() {
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let action = match crate::clipboard::copy_into_tmux(&text).await {
                            Ok(delivery) => Action::Copied {
                                what,
                                result: Ok(delivery),
                            },
                            Err(why) => Action::CopyRefused {
                                what,
                                text: crate::api::Token::new(text.to_string()),
                                why,
                            },
                        };
                        let _ = tx.send(action);
                    });
                } else {
                    // OSC 52 goes to stdout: written here, on the loop's thread, between frames.
                    let result =
                        crate::clipboard::copy_through_terminal(&text).map_err(|e| e.to_string());
                    let _ = self.tx.send(Action::Copied { what, result });
                }
            }
            Effect::ExpireFlash { id, after } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Action::FlashExpired(id));
                });
            }
            Effect::Suspend => {} // handled by the loop, which owns the terminal
            Effect::ReadCache
            | Effect::RememberWeek { .. }
            | Effect::RememberProfile(_)
            | Effect::ForgetCache { .. } => {} // `run_cache`
        }
    }
}

/// The Dashboard's `weeks` and My Profile as last kept (stale files removed first), the weeks'
/// glances built as for a fresh answer.
fn read_cache(
    cache: &UserCache,
    weeks: &[Week],
    zone: crate::clock::Zone,
    now: chrono::DateTime<chrono::Utc>,
) -> CachedAnswers {
    cache.prune(now);
    let weeks = weeks
        .iter()
        .filter_map(|&week| {
            let (saved_at, answer) = cache.load_week(week, week.unix_range(&zone), now)?;
            let prepared = super::week_answer::prepare_answer(&answer, &zone, now)?;
            Some((week, saved_at, prepared))
        })
        .collect();
    CachedAnswers {
        weeks,
        profile: cache.load_profile(now),
    }
}

/// Draw the app; `plain_shown` remembers whether the screen holds a plain view that ratatui
/// does not know of (see `terminal::draw_plain`).
fn draw(
    terminal: &mut crate::terminal::Screen,
    app: &mut App,
    plain_shown: &mut bool,
) -> std::io::Result<()> {
    if let Some((heading, text, footer)) = super::view::plain_text(app) {
        *plain_shown = true;
        return crate::terminal::draw_plain(heading, text, footer);
    }
    if std::mem::take(plain_shown) {
        crate::terminal::redraw_whole(terminal)?;
    }
    let mut out = std::io::stdout();
    crossterm::queue!(out, BeginSynchronizedUpdate)?;
    terminal.draw(|frame| crate::ui::shell::draw(frame, app))?;
    crossterm::queue!(out, EndSynchronizedUpdate)?;
    out.flush()
}

/// A week's answer is decoded from a body of up to megabytes, and its first drawing lays out
/// every event; glibc keeps the freed buffers, so hand them back once both are done.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs the TUI until quit. `initial` are the effects that start the session.
pub async fn run(
    terminal: &mut crate::terminal::Screen,
    app: &mut App,
    runner: Runner,
    mut rx: mpsc::UnboundedReceiver<Action>,
    initial: Vec<Effect>,
) -> std::io::Result<()> {
    let mut events = EventStream::new();
    let mut signals = Signals::new()?;
    // Status-bar minute clock (token time left); the only periodic wake-up.
    let mut minute = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(60),
        Duration::from_secs(60),
    );
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    for effect in initial {
        runner.run(app, effect);
    }
    let mut plain_shown = false;
    draw(terminal, app, &mut plain_shown)?;
    // For the end-to-end tests (feature `test-hooks`, never in a shipped binary): a panic in the
    // middle of a session (the token in memory, the user loaded and drawn) restores the terminal
    // and prints no token.
    #[cfg(feature = "test-hooks")]
    let test_panic = std::env::var_os("ILIOS_TUI_TEST_PANIC").is_some();
    while !app.quit {
        #[cfg(feature = "test-hooks")]
        if test_panic && app.user.ready().is_some() {
            panic!(
                "panic requested by ILIOS_TUI_TEST_PANIC with {:?}",
                app.session
            );
        }
        let action = tokio::select! {
            Some(action) = rx.recv() => action,
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Action::Key(key),
                Some(Ok(Event::Paste(text))) => Action::Paste(text),
                Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = minute.tick() => Action::Tick,
            _ = signals.recv() => Action::Terminate,
        };
        let mut pending = vec![action];
        // Merge whatever else is already queued into one redraw.
        while let Ok(more) = rx.try_recv() {
            pending.push(more);
        }
        let mut suspend_now = false;
        let mut big_answer = false;
        for action in pending {
            app.now = Now::read(&app.settings.clock);
            big_answer |= matches!(
                action,
                Action::Answer {
                    answer: Answer::Week { .. } | Answer::WeekPrepared { .. },
                    ..
                }
            );
            for effect in update(app, action) {
                if matches!(effect, Effect::Suspend) {
                    suspend_now = true;
                } else {
                    runner.run(app, effect);
                }
            }
        }
        if suspend_now {
            crate::terminal::suspend(terminal)?;
        }

        if app.quit {
            break;
        }
        draw(terminal, app, &mut plain_shown)?;
        if big_answer {
            release_freed_memory();
        }
    }
    Ok(())
}

/// Every signal whose default action ends the process (and that can be caught) ends the loop
/// instead, so the terminal is restored: SIGTERM, SIGHUP (the SSH link dropped), SIGINT (sent
/// from another shell: quits as Ctrl-C does), SIGQUIT, SIGUSR1/2, SIGALRM, SIGVTALRM, SIGPROF,
/// SIGXCPU, SIGXFSZ, SIGIO/SIGPOLL, SIGPWR, SIGSYS, SIGTRAP.
struct Signals {
    #[cfg(unix)]
    streams: Vec<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
pub const TERMINATING_SIGNALS: &[libc::c_int] = &[
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGXCPU,
    libc::SIGXFSZ,
    libc::SIGIO,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    libc::SIGPWR,
    libc::SIGSYS,
    libc::SIGTRAP,
];

impl Signals {
    #[cfg(unix)]
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut streams = Vec::new();
        for &sig in TERMINATING_SIGNALS {
            streams.push(signal(SignalKind::from_raw(sig))?);
        }
        Ok(Signals { streams })
    }

    #[cfg(not(unix))]
    fn new() -> std::io::Result<Signals> {
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            let waits = self.streams.iter_mut().map(|s| Box::pin(s.recv()));
            futures::future::select_all(waits).await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
