//! The environment variables the kernel itself sets (the build slot, the pinned toolchain,
//! evcxr's configuration directory, the Python and library paths), recorded so that they can be
//! set again over another environment.
//!
//! A standby kernel (see `crate::standby`) is started in one environment and adopted by a
//! process Jupyter launched in another: the adopted kernel takes the launcher's environment
//! whole, as if it had been started there, and then [`reapply`] puts back what the kernel owns.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::Mutex;

/// One setting, in the order it was made.
#[derive(Debug, Clone)]
enum Setting {
    /// The variable is this value.
    Set(OsString, OsString),
    /// The variable is this value unless the environment gives one.
    Default(OsString, OsString),
    /// This directory comes first in the path list.
    Prepend(OsString, PathBuf),
}

static SETTINGS: Mutex<Vec<Setting>> = Mutex::new(Vec::new());

/// Sets `name` to `value`, and again at every [`reapply`]. Call while no other thread reads
/// the environment.
pub fn set(name: &str, value: impl AsRef<OsStr>) {
    record(Setting::Set(name.into(), value.as_ref().to_owned()));
}

/// Sets `name` to `value` if it is not set, now and at every [`reapply`].
pub fn set_default(name: &str, value: impl AsRef<OsStr>) {
    record(Setting::Default(name.into(), value.as_ref().to_owned()));
}

/// Puts `dir` first in the path list `name` (e.g. `LD_LIBRARY_PATH`), now and at every
/// [`reapply`]; a list that already starts with it is left as it is.
pub fn prepend_path(name: &str, dir: PathBuf) {
    record(Setting::Prepend(name.into(), dir));
}

/// Makes every recorded setting again, in order, over the current environment.
pub fn reapply() {
    let settings = SETTINGS.lock().expect("settings").clone();
    for setting in &settings {
        apply(setting);
    }
}

/// Replaces the whole environment with `vars`, then [`reapply`].
pub fn replace_with(vars: &[(OsString, OsString)]) {
    let old: Vec<OsString> = std::env::vars_os().map(|(name, _)| name).collect();
    for name in old {
        std::env::remove_var(name);
    }
    for (name, value) in vars {
        if !name.is_empty() && !name.to_string_lossy().contains('=') {
            std::env::set_var(name, value);
        }
    }
    reapply();
}

fn record(setting: Setting) {
    apply(&setting);
    let mut settings = SETTINGS.lock().expect("settings");
    // The same setting made again (a second claim) is kept once.
    if !settings.iter().any(|s| same(s, &setting)) {
        settings.push(setting);
    }
}

fn same(a: &Setting, b: &Setting) -> bool {
    match (a, b) {
        (Setting::Set(n, v), Setting::Set(m, w)) => n == m && v == w,
        (Setting::Default(n, v), Setting::Default(m, w)) => n == m && v == w,
        (Setting::Prepend(n, d), Setting::Prepend(m, e)) => n == m && d == e,
        _ => false,
    }
}

fn apply(setting: &Setting) {
    match setting {
        Setting::Set(name, value) => std::env::set_var(name, value),
        Setting::Default(name, value) => {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, value);
            }
        }
        Setting::Prepend(name, dir) => {
            let existing = std::env::var_os(name).unwrap_or_default();
            let mut paths: Vec<PathBuf> = std::env::split_paths(&existing)
                .filter(|p| !p.as_os_str().is_empty())
                .collect();
            if paths.first() == Some(dir) {
                return;
            }
            paths.retain(|p| p != dir);
            paths.insert(0, dir.clone());
            if let Ok(joined) = std::env::join_paths(paths) {
                std::env::set_var(name, joined);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_back_over_another_environment() {
        set("TESSERA_OWNED_ENV_TEST_SET", "kernel");
        set_default("TESSERA_OWNED_ENV_TEST_DEFAULT", "fallback");
        prepend_path("TESSERA_OWNED_ENV_TEST_PATH", PathBuf::from("/kernel/lib"));
        std::env::set_var("TESSERA_OWNED_ENV_TEST_STALE", "standby");
        // The rest of this process's environment stays (other tests read HOME, TMPDIR).
        let saved: Vec<(OsString, OsString)> = std::env::vars_os()
            .filter(|(n, _)| !n.to_string_lossy().starts_with("TESSERA_OWNED_ENV_TEST"))
            .collect();
        let mut launcher = saved.clone();
        launcher.extend([
            ("TESSERA_OWNED_ENV_TEST_SET".into(), "user".into()),
            ("TESSERA_OWNED_ENV_TEST_DEFAULT".into(), "users-own".into()),
            (
                "TESSERA_OWNED_ENV_TEST_PATH".into(),
                "/user/lib:/kernel/lib".into(),
            ),
            ("TESSERA_OWNED_ENV_TEST_USER".into(), "notebook".into()),
        ]);
        replace_with(&launcher);
        let got = |n: &str| std::env::var(n).unwrap_or_default();
        let values = [
            got("TESSERA_OWNED_ENV_TEST_SET"),
            got("TESSERA_OWNED_ENV_TEST_DEFAULT"),
            got("TESSERA_OWNED_ENV_TEST_PATH"),
            got("TESSERA_OWNED_ENV_TEST_USER"),
        ];
        let gone = std::env::var_os("TESSERA_OWNED_ENV_TEST_STALE").is_none();
        replace_with(&saved);
        assert_eq!(
            values,
            ["kernel", "users-own", "/kernel/lib:/user/lib", "notebook"]
        );
        assert!(gone, "variables the launcher did not have are removed");
    }
}
