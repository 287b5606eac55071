//! The engine's layers (ARCHITECTURE.md): a module of `src/` imports only modules on its own
//! level or below, and the modules of one level import each other without a circle. A small
//! scan of the `crate::…` (and crate-reaching `super::…`) paths in `src/`, test code left out
//! (`#[cfg(test)]` items and the files they declare): tests may use anything.
//!
//! A new top-level module is one line of [`LEVELS`]; the scan fails on a module it does not
//! know.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `src/` and its level, bottom (0) to top.
const LEVELS: &[(&str, u8)] = &[
    // 0: values and settings everything shares.
    ("error", 0),
    ("dtype", 0),
    ("chunks", 0),
    ("data", 0),
    ("simd", 0),
    ("config", 0),
    ("shared", 0),
    ("units", 0),
    ("selection", 0),
    // 1: leaves: chunk kernels, the random generator core, file formats, calling the kernel.
    ("kernels", 1),
    ("prng", 1),
    ("formats", 1),
    ("hostcall", 1),
    // 2: the plan, with its index/broadcast/chunk algebra.
    ("expr", 2),
    // 3: rules on plans.
    ("optimize", 3),
    // 4: lowering to chunk tasks, the wire format.
    ("graph", 4),
    // 5: running task graphs (and opening sources), what stops them, background work.
    ("exec", 5),
    ("runtime", 5),
    ("future", 5),
    // 6: the user's API: the array handle and its entry points, operations, constructors.
    ("array", 6),
    ("ops", 6),
    ("random", 6),
    ("io", 6),
    // 7: what reads plans and progress events, talks to kernels and clusters.
    ("display", 7),
    ("diagnostics", 7),
    ("plot", 7),
    ("client", 7),
    ("profile", 7),
    ("host", 7),
    ("distributed", 7),
    // The crate root: declarations, re-exports, the prelude.
    ("lib", 8),
];

/// Source text without comments, string and char literals (so neither a `//` in a string nor
/// a brace in one misleads the scan).
fn strip(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == '*' && bytes[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && is_raw_start(&bytes, i) {
            let hashes = bytes[i + 1..].iter().take_while(|&&h| h == '#').count();
            i += 2 + hashes;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i < bytes.len() && !bytes[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                i += if bytes[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && is_char_literal(&bytes, i) {
            i += 1;
            while bytes[i] != '\'' {
                i += if bytes[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether `r` at `i` starts a raw string (`r"`, `r#"`), not an identifier ending in `r`.
fn is_raw_start(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j]);
    let ident = before.is_some_and(|b| b.is_alphanumeric() || b == '_');
    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
    !ident && chars.get(i + 1 + hashes) == Some(&'"')
}

/// Whether `'` at `i` opens a char literal (`'a'`, `'\n'`, `'{'`), not a lifetime.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// The text with every `#[cfg(test)]` (or `#[cfg(all(test, …))]`) item removed, and the
/// names of the test-only modules it declares as files (`#[cfg(test)] mod tests;`).
fn without_tests(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut files = Vec::new();
    let mut rest = text;
    loop {
        let at = ["#[cfg(test)]", "#[cfg(all(test,"]
            .iter()
            .filter_map(|m| rest.find(m))
            .min();
        let Some(at) = at else {
            out.push_str(rest);
            return (out, files);
        };
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let attr_end = after.find(']').expect("attributes close") + 1;
        let item = &after[attr_end..];
        // The item ends at its first `;` outside braces, or at the brace closing its body.
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let declared = item[..end].trim();
        if let Some(name) = declared
            .strip_prefix("mod ")
            .and_then(|m| m.strip_suffix(';'))
        {
            files.push(name.trim().to_string());
        }
        rest = &item[end..];
    }
}

/// The top-level modules that `text` (of a module `depth` levels below the crate root) names
/// by path.
fn imports(text: &str, depth: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> Option<String> {
        let name: String = s
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        (!name.is_empty()).then_some(name)
    };
    let add_group = |after: &str, found: &mut BTreeSet<String>| {
        if let Some(group) = after.strip_prefix('{') {
            // Names at the group's top level: split on commas outside nested braces.
            let mut level = 0usize;
            let mut piece = String::new();
            for c in group.chars() {
                match c {
                    '{' => {
                        level += 1;
                        piece.push(c)
                    }
                    '}' if level == 0 => break,
                    '}' => {
                        level -= 1;
                        piece.push(c)
                    }
                    ',' if level == 0 => {
                        found.extend(ident(piece.trim()));
                        piece.clear();
                    }
                    _ => piece.push(c),
                }
            }
            found.extend(ident(piece.trim()));
        } else {
            found.extend(ident(after));
        }
    };
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|b| b.is_alphanumeric() || b == '_') {
            continue; // `tessera_crate::…`, not this crate
        }
        add_group(&text[at + "crate::".len()..], &mut found);
    }
    // `super::` repeated `depth` times or more reaches the crate root.
    if depth > 0 {
        let supers = "super::".repeat(depth);
        for (at, _) in text.match_indices(&supers) {
            if text[..at].ends_with("super::") {
                continue;
            }
            let mut after = &text[at + supers.len()..];
            while let Some(rest) = after.strip_prefix("super::") {
                after = rest;
            }
            add_group(after, &mut found);
        }
    }
    found.retain(|name| name != "self" && name != "super");
    found
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("src/ is readable").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `(file, top-level module, imported top-level modules)` for every non-test file of `src/`.
fn scan(src: &Path) -> Vec<(String, String, BTreeSet<String>)> {
    let lib = strip(&std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs"));
    let roots = root_names(&lib);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    let mut parsed = Vec::new();
    for path in &files {
        let text = strip(&std::fs::read_to_string(path).expect("source files are text"));
        let (text, tests) = without_tests(&text);
        let name = path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .to_string();
        let dir = if name == "mod.rs" || name == "lib.rs" {
            path.parent().expect("a directory").to_path_buf()
        } else {
            path.with_extension("")
        };
        for module in tests {
            test_only.insert(dir.join(format!("{module}.rs")));
            test_only.insert(dir.join(&module).join("mod.rs"));
        }
        parsed.push((path.clone(), text));
    }
    let mut out = Vec::new();
    for (path, text) in parsed {
        if test_only.contains(&path) {
            continue;
        }
        let rel = path.strip_prefix(src).expect("under src/");
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        let module = parts[0].clone();
        // The module's depth below the crate root: `a.rs`/`a/mod.rs` 1, `a/b.rs` 2, …
        let depth = match parts.last().map(String::as_str) {
            Some("lib") => 0,
            Some("mod") => parts.len() - 1,
            _ => parts.len(),
        };
        let mut imported: BTreeSet<String> = imports(&text, depth)
            .into_iter()
            .map(|name| roots.get(&name).cloned().unwrap_or(name))
            .collect();
        imported.remove(&module);
        out.push((rel.to_string_lossy().to_string(), module, imported));
    }
    out
}

/// The names the crate root re-exports from its modules (`pub use error::{Error, Result};`),
/// so that `crate::Error` counts as an import of `error`.
fn root_names(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    let top = lib.split("pub mod prelude").next().unwrap_or(lib);
    for statement in top.split(';') {
        let Some(path) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let rest = rest.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
        let list = rest.trim_start_matches('{').trim_end_matches('}');
        let last = path.rsplit("::").next().unwrap_or_default();
        for name in list.split(',').chain(std::iter::once(last)) {
            let name = name.trim().trim_matches(|c| c == '{' || c == '}');
            if !name.is_empty() {
                names.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    names
}

/// What is wrong with the layers of the scanned files: unknown modules, upward imports, circles
/// within a level.
fn problems(scanned: &[(String, String, BTreeSet<String>)]) -> Vec<String> {
    let level: BTreeMap<&str, u8> = LEVELS.iter().copied().collect();
    let mut problems = Vec::new();
    let mut same_level: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, module, imported) in scanned {
        let Some(&from) = level.get(module.as_str()) else {
            problems.push(format!("{file}: module `{module}` has no row in LEVELS"));
            continue;
        };
        for target in imported {
            let Some(&to) = level.get(target.as_str()) else {
                problems.push(format!(
                    "{file}: imports `{target}`, which has no row in LEVELS"
                ));
                continue;
            };
            if to > from {
                problems.push(format!(
                    "{file}: `{module}` (level {from}) imports `{target}` (level {to}), above it"
                ));
            } else if to == from {
                same_level
                    .entry(module.clone())
                    .or_default()
                    .insert(target.clone());
            }
        }
    }
    problems.extend(circles(&same_level));
    problems
}

/// The import circles of a graph (one report per circle found by depth-first search).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            found.push(format!("import circle: {}", circle.join(" -> ")));
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done, found);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, edges, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

#[test]
fn modules_import_only_their_level_and_below_without_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = problems(&scan(&src));
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_scan_finds_upward_imports_groups_supers_and_circles() {
    let text = strip(
        "use crate::{dtype::DType, ops::{a, b}};\n\
         // use crate::display;\n\
         let s = \"crate::client\";\n\
         fn f() { super::super::graph::lower(); crate::kernels::x!() }\n\
         #[cfg(test)]\nmod tests { use crate::prelude::*; }\n",
    );
    let (text, _) = without_tests(&text);
    let found = imports(&text, 2);
    let expected: BTreeSet<String> = ["dtype", "ops", "graph", "kernels"]
        .map(String::from)
        .into();
    assert_eq!(found, expected);
    // Planted in `expr` (level 2): `ops` and `graph` are above it.
    let scanned = vec![("expr/x.rs".to_string(), "expr".to_string(), found)];
    let reported = problems(&scanned);
    assert!(
        reported
            .iter()
            .any(|p| p.contains("imports `ops` (level 6)")),
        "{reported:?}"
    );
    assert!(
        reported
            .iter()
            .any(|p| p.contains("imports `graph` (level 4)")),
        "{reported:?}"
    );
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(circles(&edges), vec!["import circle: a -> b -> a"]);
}
