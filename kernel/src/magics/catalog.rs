//! The magics this kernel knows, with their documentation: one table serves `%lsmagic`,
//! `%magic`, `%time?`, completion of `%ti…` and the error for an unknown magic.

/// Where a magic may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    Line,
    Cell,
}

/// One magic.
#[derive(Debug)]
pub(super) struct MagicInfo {
    pub name: &'static str,
    pub form: Form,
    pub usage: &'static str,
    pub doc: &'static str,
}

pub(super) const MAGICS: &[MagicInfo] = &[
    MagicInfo {
        name: "time",
        form: Form::Line,
        usage: "%time <statement>",
        doc: "Runs the statement once and prints the CPU times (all threads of the process that runs \
cells) and the wall time of running it, as IPython's %time. Compilation is not counted; when it took \
over 0.1 s its time is printed as `Compiler :`. Variables the statement defines are kept.",
    },
    MagicInfo {
        name: "time",
        form: Form::Cell,
        usage: "%%time\n<cell body>",
        doc: "Runs the cell body once and prints its CPU and wall times, as %time. Variables the body \
defines are kept; the value of its last expression is shown.",
    },
    MagicInfo {
        name: "timeit",
        form: Form::Line,
        usage: "%timeit [-n N] [-r R] [-p P] <statement>",
        doc: "Times the statement in a loop: R runs (-r, default 7) of N calls each (-n; by default the \
first power of ten whose run takes at least 0.2 s), then prints the mean ± standard deviation of one \
call, with P significant digits (-p, default 3). The statement is compiled once and runs as a closure, \
so variables it defines are not kept; `?` may be used in it.",
    },
    MagicInfo {
        name: "timeit",
        form: Form::Cell,
        usage: "%%timeit [-n N] [-r R] [-p P] [setup]\n<cell body>",
        doc: "Times the cell body as %timeit. Code after the options on the first line is setup: it runs \
once, untimed, before the loops. Neither keeps its variables.",
    },
    MagicInfo {
        name: "memit",
        form: Form::Line,
        usage: "%memit [-r R] [-i interval] <statement>",
        doc: "Runs the statement and prints memory_profiler's line `peak memory: … MiB, increment: … MiB`: \
the highest resident memory of the process that runs cells during the statement, and that peak minus \
the resident memory just before it (MiB = 2^20 bytes). The peak is the kernel's exact high-water mark, \
not a sample, so -i (memory_profiler's polling interval) is accepted and not needed. With -r R the \
statement runs R times and the highest peak is shown.",
    },
    MagicInfo {
        name: "memit",
        form: Form::Cell,
        usage: "%%memit [-r R] [-i interval]\n<cell body>",
        doc: "Measures the cell body's peak memory and increment as %memit. Variables it defines are kept.",
    },
    MagicInfo { name: "who", form: Form::Line, usage: "%who", doc: "Lists the variables that cells defined." },
    MagicInfo {
        name: "whos",
        form: Form::Line,
        usage: "%whos",
        doc: "Lists the variables that cells defined, with their types, as a table.",
    },
    MagicInfo { name: "lsmagic", form: Form::Line, usage: "%lsmagic", doc: "Lists the available magics." },
    MagicInfo {
        name: "magic",
        form: Form::Line,
        usage: "%magic",
        doc: "Describes every magic. `%name?` or `%%name?` shows the help of one.",
    },
];

/// The magic called `name` in `form`, if there is one.
pub(super) fn find(name: &str, form: Form) -> Option<&'static MagicInfo> {
    MAGICS.iter().find(|m| m.name == name && m.form == form)
}

/// `%time` or `%%time`.
pub(super) fn spelled(magic: &MagicInfo) -> String {
    let prefix = if magic.form == Form::Cell { "%%" } else { "%" };
    format!("{prefix}{}", magic.name)
}

/// The names of one form, spelled with their prefix, in the table's order.
fn names(form: Form) -> Vec<String> {
    MAGICS
        .iter()
        .filter(|m| m.form == form)
        .map(spelled)
        .collect()
}

/// `%lsmagic`'s text (IPython's layout).
pub(super) fn lsmagic() -> String {
    format!(
        "Available line magics:\n{}\n\nAvailable cell magics:\n{}\n\nHelp on one magic: %name? or %%name?\n",
        names(Form::Line).join("  "),
        names(Form::Cell).join("  ")
    )
}

/// `%magic`'s text: every magic's usage and description.
pub(super) fn overview() -> String {
    let mut text = String::from("tessera kernel magics\n=====================\n\n");
    for magic in MAGICS {
        text.push_str(&help(magic));
        text.push('\n');
    }
    text
}

/// One magic's help, for `%name?` and [`overview`].
pub(super) fn help(magic: &MagicInfo) -> String {
    format!(
        "{}\n    {}\n\n{}\n",
        spelled(magic),
        magic.usage.replace('\n', "\n    "),
        wrap(magic.doc, 88)
    )
}

/// Magic names starting with `prefix` (which includes its `%` or `%%`).
pub(super) fn completions(prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = MAGICS
        .iter()
        .map(spelled)
        .filter(|s| s.starts_with(prefix))
        .collect();
    found.dedup();
    found
}

fn wrap(text: &str, width: usize) -> String {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsmagic_lists_both_forms() {
        let text = lsmagic();
        assert!(
            text.starts_with(
                "Available line magics:\n%time  %timeit  %memit  %who  %whos  %lsmagic  %magic\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("Available cell magics:\n%%time  %%timeit  %%memit\n"),
            "{text}"
        );
    }

    #[test]
    fn lookups_and_completion() {
        assert_eq!(
            find("time", Form::Cell).map(|m| m.usage),
            Some("%%time\n<cell body>")
        );
        assert!(find("who", Form::Cell).is_none());
        assert_eq!(completions("%ti"), ["%time", "%timeit"]);
        assert_eq!(completions("%%m"), ["%%memit"]);
        assert!(help(find("memit", Form::Line).unwrap()).contains("peak memory"));
    }
}
