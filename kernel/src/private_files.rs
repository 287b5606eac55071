//! Files the kernel keeps under the user's directories (the input history, the build slots
//! with every cell's source, their locks and lockfiles) are readable by the user only: code
//! typed into cells can hold secrets (tokens, passwords), and the default umask makes new files
//! world-readable.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of directories the kernel creates: the user only.
pub const DIR_MODE: u32 = 0o700;

/// Mode of files the kernel creates: the user only, no execute bit.
pub const FILE_MODE: u32 = 0o600;

/// Creates `dir` and its missing parents with mode 0700. Directories that existed are left as
/// they are (they may be the user's, e.g. `~/.cache` or `/tmp`): see [`own_dir`].
///
/// **Errors**: the directory cannot be created.
///
/// # Examples
///
/// ```
/// use std::os::unix::fs::PermissionsExt;
/// let dir = std::env::temp_dir().join(format!("doc-private-{}", std::process::id()));
/// tessera_kernel::private_files::create_dir(&dir.join("inner"))?;
/// let mode = std::fs::metadata(dir.join("inner"))?.permissions().mode() & 0o777;
/// assert_eq!(mode, 0o700);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn create_dir(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
}

/// [`create_dir`], and `dir` itself made 0700 if it existed with another mode: for a directory
/// that is the kernel's own (its cache directory, which earlier versions created 0755).
///
/// **Errors**: the directory cannot be created or its mode set.
pub fn own_dir(dir: &Path) -> io::Result<()> {
    create_dir(dir)?;
    restrict(dir, DIR_MODE)
}

/// Opens `path` for appending, creating it with mode 0600; an existing file is made 0600
/// (history files written before this kernel version were 0644).
///
/// **Errors**: the file cannot be opened or its mode set.
pub fn append(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(FILE_MODE)
        .open(path)?;
    restrict_file(&file)?;
    Ok(file)
}

/// Creates (or truncates) `path` for writing, with mode 0600.
///
/// **Errors**: the file cannot be created or its mode set.
pub fn create(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)?;
    restrict_file(&file)?;
    Ok(file)
}

/// Writes `bytes` to `path` (replacing it), readable by the user only.
///
/// **Errors**: as [`create`], or the write fails.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    create(path)?.write_all(bytes)
}

fn restrict_file(file: &File) -> io::Result<()> {
    if file.metadata()?.permissions().mode() & 0o777 != FILE_MODE {
        file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    Ok(())
}

fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    if std::fs::metadata(path)?.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_and_directories_are_the_users_only() {
        let dir = std::env::temp_dir().join(format!("private-files-{}", std::process::id()));
        create_dir(&dir.join("a/b")).unwrap();
        assert_eq!(mode(&dir.join("a")), DIR_MODE);
        assert_eq!(mode(&dir.join("a/b")), DIR_MODE);
        let file = dir.join("a/b/history.jsonl");
        std::fs::write(&file, "old\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(append(&file).unwrap());
        assert_eq!(
            mode(&file),
            FILE_MODE,
            "an existing world-readable file is restricted"
        );
        write(&dir.join("a/lock"), b"x").unwrap();
        assert_eq!(mode(&dir.join("a/lock")), FILE_MODE);
        std::fs::set_permissions(dir.join("a"), std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir(&dir.join("a")).unwrap();
        assert_eq!(
            mode(&dir.join("a")),
            0o755,
            "an existing directory is left as it is"
        );
        own_dir(&dir.join("a")).unwrap();
        assert_eq!(
            mode(&dir.join("a")),
            DIR_MODE,
            "the kernel's own directory is restricted"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
