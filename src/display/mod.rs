//! Rich output from engine code to the notebook, while a cell runs.
//!
//! Inside the tessera Jupyter kernel (which sets `TESSERA_KERNEL=1` for the process running
//! cells) each call writes one line to stdout that the kernel turns into a `display_data`,
//! `update_display_data` or `clear_output` message. Elsewhere the `text/plain` form is printed
//! (and updates print again), so the same code works in a terminal.
//!
//! The line is [`MARKER`] followed by a JSON object:
//! `{"kind": "display" | "update" | "clear", "data": {mime: text}, "display_id": "...",
//! "wait": bool}`.
//!
//! # Examples
//!
//! ```
//! use tessera::display::{display, MimeBundle};
//! let bundle = MimeBundle::new().with("text/plain", "42").with("text/html", "<b>42</b>");
//! display(&bundle, Some("answer"));           // prints "42" outside a kernel
//! ```

mod client;
mod debug_text;
pub(crate) mod font;
mod graph;
mod html;
mod picture;
mod svg;

pub use crate::config::in_kernel;
pub use crate::units::format_bytes;
pub use debug_text::DebugText;
pub use graph::MAX_TASKS_DRAWN;
pub use html::{array_bundle, array_html, display_array};
pub use picture::Picture;
pub(crate) use picture::PALETTE;
pub use svg::{chunk_grid_svg, MAX_LINES};

use std::io::Write;

use serde_json::{json, Map, Value};

/// What starts a display line on stdout (an ASCII record separator, then a tag).
pub const MARKER: &str = "\u{1e}TESSERA-DISPLAY ";

/// What starts a panic report on stderr: `{"message": "...", "location": "file:line:col"}`.
pub const PANIC_MARKER: &str = "\u{1e}TESSERA-PANIC ";

/// A MIME bundle: one representation per MIME type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MimeBundle {
    entries: Vec<(String, String)>,
}

impl MimeBundle {
    /// An empty bundle.
    pub fn new() -> MimeBundle {
        MimeBundle::default()
    }

    /// The bundle with `content` for `mime` added.
    pub fn with(mut self, mime: &str, content: impl Into<String>) -> MimeBundle {
        self.entries.push((mime.to_string(), content.into()));
        self
    }

    /// The content for `mime`, if present.
    pub fn get(&self, mime: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(m, _)| m == mime)
            .map(|(_, c)| c.as_str())
    }

    fn to_json(&self) -> Value {
        Value::Object(
            self.entries
                .iter()
                .map(|(m, c)| (m.clone(), Value::String(c.clone())))
                .collect::<Map<_, _>>(),
        )
    }
}

/// Writes `bundle` in evcxr's content markers on stdout: how a value that ends a notebook cell
/// (an `evcxr_display` method) gives the kernel its MIME bundle.
pub(crate) fn evcxr_content(bundle: &MimeBundle) {
    let mut out = std::io::stdout().lock();
    // evcxr ends a content block at a line `EVCXR_END_CONTENT`; no content here has one.
    for (mime, content) in &bundle.entries {
        let _ = writeln!(
            out,
            "EVCXR_BEGIN_CONTENT {mime}\n{content}\nEVCXR_END_CONTENT"
        );
    }
    let _ = out.flush();
}

/// `text` with `&`, `<` and `>` escaped for HTML and SVG.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn emit(message: Value, fallback: Option<&str>) {
    let mut out = std::io::stdout().lock();
    let _ = if in_kernel() {
        writeln!(out, "{MARKER}{message}")
    } else if let Some(text) = fallback {
        writeln!(out, "{text}")
    } else {
        Ok(())
    };
    let _ = out.flush();
}

/// Shows `bundle` now; a later [`update_display`] with the same `display_id` replaces it.
pub fn display(bundle: &MimeBundle, display_id: Option<&str>) {
    emit(
        json!({"kind": "display", "data": bundle.to_json(), "display_id": display_id}),
        bundle.get("text/plain"),
    );
}

/// Replaces what is shown under `display_id`.
pub fn update_display(bundle: &MimeBundle, display_id: &str) {
    emit(
        json!({"kind": "update", "data": bundle.to_json(), "display_id": display_id}),
        bundle.get("text/plain"),
    );
}

/// Clears the cell's output (when the next output arrives, if `wait`).
pub fn clear_output(wait: bool) {
    emit(json!({"kind": "clear", "wait": wait}), None);
}

/// In the kernel, reports panics of cell code to the kernel as one [`PANIC_MARKER`] line (the
/// kernel shows it as the cell's error, without a backtrace). Panics on tessera's worker threads
/// are left to the executor, which returns them as `Err` from `compute()`. The kernel calls this
/// once at start; outside a kernel it does nothing.
pub fn install_kernel_panic_hook() {
    if !in_kernel() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let on_worker = std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("tessera-worker"));
        if on_worker {
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "Box<dyn Any>".to_string());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "{PANIC_MARKER}{}",
            json!({"message": message, "location": location})
        );
        let _ = err.flush();
    }));
}
