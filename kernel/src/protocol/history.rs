//! The input history behind `history_request`: every stored cell as (session, line, input,
//! output), kept in a JSON-lines file that outlives the kernel, so `tail` and `search` see
//! earlier sessions. Each kernel start is a new session, numbered one past the last in the file.
//!
//! File format, one JSON object per line:
//!
//! ```text
//! {"session":3,"started":"2026-11-27T07:17:00.123456+00:00"}
//! {"session":3,"line":1,"input":"let a = 1;","output":null}
//! {"session":3,"line":2,"input":"a + 1","output":"2"}
//! ```

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::message::now_iso8601;

/// One executed cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The kernel session (1, 2, … over kernel starts).
    pub session: u32,
    /// The execution count of the cell in its session.
    pub line: u64,
    /// The code.
    pub input: String,
    /// The `text/plain` of the cell's result, if it had one.
    #[serde(default)]
    pub output: Option<String>,
}

/// A line of the history file.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Record {
    Cell(HistoryEntry),
    /// Written when a session starts, so the next kernel numbers past it even without cells.
    Session {
        session: u32,
        started: String,
    },
}

/// The history of all sessions, and the current session number.
#[derive(Debug)]
pub struct History {
    path: Option<PathBuf>,
    session: u32,
    entries: Vec<HistoryEntry>,
}

impl History {
    /// A history kept in memory only (session 1), for tests and when no file can be written.
    pub fn in_memory() -> Self {
        History {
            path: None,
            session: 1,
            entries: Vec::new(),
        }
    }

    /// The default file: `$XDG_DATA_HOME/tessera/history.jsonl`, else
    /// `$HOME/.local/share/tessera/history.jsonl`; `None` if neither variable is set.
    pub fn default_path() -> Option<PathBuf> {
        let data_home = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
            .or_else(|| {
                std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share"))
            })?;
        Some(data_home.join("tessera").join("history.jsonl"))
    }

    /// Loads the history file at `path` (creating it and its directory if needed) and starts a
    /// new session numbered one past the highest in the file. Unreadable lines (torn writes,
    /// bad UTF-8) are skipped.
    ///
    /// **Errors**: any I/O error creating, reading or appending to the file.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera_kernel::protocol::History;
    /// let path = std::env::temp_dir().join(format!("doc-history-{}.jsonl", std::process::id()));
    /// let mut first = History::open(&path)?;
    /// first.append(1, "let a = 1;", None)?;
    /// let second = History::open(&path)?;
    /// assert_eq!(second.session(), first.session() + 1);
    /// assert_eq!(second.tail(1)[0].input, "let a = 1;");
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn open(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        if let Some(dir) = path.parent() {
            crate::private_files::create_dir(dir)?;
        }
        let mut entries = Vec::new();
        let mut last_session = 0;
        match File::open(&path) {
            Ok(file) => {
                for line in BufReader::new(file).split(b'\n') {
                    match serde_json::from_slice::<Record>(&line?) {
                        Ok(Record::Cell(entry)) => {
                            last_session = last_session.max(entry.session);
                            entries.push(entry);
                        }
                        Ok(Record::Session { session, .. }) => {
                            last_session = last_session.max(session)
                        }
                        Err(_) => {} // a torn or foreign line: skip it, keep the rest
                    }
                }
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        let history = History {
            path: Some(path),
            session: last_session + 1,
            entries,
        };
        history.write(&Record::Session {
            session: history.session,
            started: now_iso8601(),
        })?;
        Ok(history)
    }

    /// The current session number.
    pub fn session(&self) -> u32 {
        self.session
    }

    /// The file the history is kept in, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// All entries, oldest first.
    pub fn entries(&self) -> &[HistoryEntry] {
        &self.entries
    }

    /// Records cell `line` of the current session. The entry is kept in memory even if the
    /// file write fails.
    ///
    /// **Errors**: the I/O error of appending to the file.
    pub fn append(&mut self, line: u64, input: &str, output: Option<&str>) -> io::Result<()> {
        let entry = HistoryEntry {
            session: self.session,
            line,
            input: input.to_owned(),
            output: output.map(str::to_owned),
        };
        let record = Record::Cell(entry);
        let written = self.write(&record);
        if let Record::Cell(entry) = record {
            self.entries.push(entry);
        }
        written
    }

    /// The last `n` entries over all sessions, oldest first (`hist_access_type: tail`).
    pub fn tail(&self, n: usize) -> Vec<&HistoryEntry> {
        self.entries[self.entries.len().saturating_sub(n)..]
            .iter()
            .collect()
    }

    /// Lines `start..stop` of `session` (`hist_access_type: range`). A `session` of 0 or less
    /// counts back from the current one (0 = current, -1 = previous), as IPython does; `stop`
    /// `None` means to the end of the session.
    pub fn range(&self, session: i64, start: u64, stop: Option<u64>) -> Vec<&HistoryEntry> {
        let session = if session <= 0 {
            i64::from(self.session) + session
        } else {
            session
        };
        self.entries
            .iter()
            .filter(|entry| i64::from(entry.session) == session)
            .filter(|entry| entry.line >= start && stop.is_none_or(|stop| entry.line < stop))
            .collect()
    }

    /// Entries whose whole input matches the glob `pattern` (`*`, `?`), oldest first
    /// (`hist_access_type: search`). With `unique`, only the latest entry of each input; with
    /// `n`, only the last `n` matches.
    pub fn search(&self, pattern: &str, n: Option<usize>, unique: bool) -> Vec<&HistoryEntry> {
        let matching = self
            .entries
            .iter()
            .filter(|entry| glob_match(pattern, &entry.input));
        let mut hits: Vec<&HistoryEntry> = if unique {
            let mut seen = HashSet::new();
            let mut latest: Vec<_> = matching
                .rev()
                .filter(|entry| seen.insert(&entry.input))
                .collect();
            latest.reverse();
            latest
        } else {
            matching.collect()
        };
        if let Some(n) = n {
            hits.drain(..hits.len().saturating_sub(n));
        }
        hits
    }

    fn write(&self, record: &Record) -> io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        // One write of a whole line in append mode, so concurrent kernels do not tear lines;
        // readable by the user only (cells can hold secrets).
        crate::private_files::append(path)?.write_all(&line)
    }
}

/// Whether `text` matches the glob `pattern` as a whole (SQLite `GLOB`, as IPython's history
/// search): `*` matches any run of characters, `?` exactly one; case-sensitive.
///
/// # Examples
///
/// ```
/// use tessera_kernel::protocol::history::glob_match;
/// assert!(glob_match("a*", "array"));
/// assert!(glob_match("?+?", "1+2"));
/// assert!(!glob_match("a*", "the array"));
/// ```
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was, and the text position it currently stands for the end of.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                // Let the last `*` swallow one more character and retry.
                Some((star_p, star_t)) => {
                    star = Some((star_p, star_t + 1));
                    p = star_p + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!(
            "tessera-history-{name}-{}.jsonl",
            uuid::Uuid::new_v4()
        ))
    }

    #[test]
    fn glob_star_question_and_anchoring() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(glob_match("a*b*c", "abc"));
        assert!(!glob_match("a*b*c", "abcd"));
        assert!(glob_match("*.sum()", "x.sum()"));
        assert!(glob_match("h?llo", "hello"));
        assert!(!glob_match("h?llo", "hllo"));
        assert!(glob_match("é?", "éa"));
        assert!(!glob_match("abc", "ABC"));
        assert!(glob_match("**a", "bba"));
        assert!(!glob_match("", "a"));
        assert!(glob_match("1?2*", "1+2+3"));
    }

    #[test]
    fn tail_range_search_in_memory() {
        let mut history = History::in_memory();
        for (line, input) in ["a = 1", "b = 2", "a = 1", "print(a)"].iter().enumerate() {
            history.append(line as u64 + 1, input, Some("out")).unwrap();
        }
        let inputs = |entries: Vec<&HistoryEntry>| {
            entries.iter().map(|e| e.input.clone()).collect::<Vec<_>>()
        };
        assert_eq!(inputs(history.tail(2)), ["a = 1", "print(a)"]);
        assert_eq!(inputs(history.tail(99)).len(), 4);
        assert_eq!(inputs(history.range(0, 2, Some(4))), ["b = 2", "a = 1"]);
        assert_eq!(inputs(history.range(1, 0, None)).len(), 4);
        assert!(history.range(2, 0, None).is_empty());
        assert_eq!(
            inputs(history.search("a*", None, false)),
            ["a = 1", "a = 1"]
        );
        let unique = history.search("?*", None, true);
        assert_eq!(unique.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(inputs(history.search("*", Some(1), false)), ["print(a)"]);
    }

    #[test]
    fn sessions_persist_and_count_up() {
        let path = temp_path("sessions");
        {
            let mut first = History::open(&path).unwrap();
            assert_eq!(first.session(), 1);
            first.append(1, "first()", Some("1")).unwrap();
        }
        {
            let empty_session = History::open(&path).unwrap();
            assert_eq!(empty_session.session(), 2);
        }
        let mut third = History::open(&path).unwrap();
        assert_eq!(
            third.session(),
            3,
            "a session without cells still takes its number"
        );
        third.append(1, "third()", None).unwrap();
        assert_eq!(third.range(-2, 1, None)[0].input, "first()");
        assert_eq!(third.range(0, 1, None)[0].input, "third()");
        let again = History::open(&path).unwrap();
        assert_eq!(again.entries().len(), 2);
        assert_eq!(again.entries()[0].output.as_deref(), Some("1"));
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn torn_lines_are_skipped() {
        let path = temp_path("torn");
        let mut text =
            b"{\"session\":4,\"line\":1,\"input\":\"ok\"}\n{\"session\":9,\"li\n".to_vec();
        text.extend(b"\xff\xfe not utf-8\n\n");
        std::fs::write(&path, text).unwrap();
        let history = History::open(&path).unwrap();
        assert_eq!(history.session(), 5);
        assert_eq!(history.entries().len(), 1);
        assert_eq!(history.entries()[0].output, None);
        std::fs::remove_file(&path).unwrap();
    }
}
