//! How a [`Client`] and a [`Future`] show in a notebook, as dask's widgets: the client's
//! scheduler, workers, threads, memory and dashboard; the future's status, type and key, kept
//! up to date while it runs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{display, escape, format_bytes, update_display, MimeBundle};
use crate::client::{Client, ClientInfo, Future, Status};

/// How often a shown future's status is looked at.
const WATCH_EVERY: Duration = Duration::from_millis(100);

impl ClientInfo {
    /// dask's text: `<Client: 'tcp://127.0.0.1:8786' processes=2 threads=4, memory=16.00 GiB>`.
    pub fn text(&self) -> String {
        format!(
            "<Client: '{}' processes={} threads={}, memory={}>",
            self.scheduler,
            self.workers,
            self.threads,
            format_bytes(self.memory)
        )
    }

    /// The HTML table shown for a client.
    pub fn html(&self) -> String {
        let dashboard = match &self.dashboard {
            Some(link) => format!("<a href=\"{0}\" target=\"_blank\">{0}</a>", escape(link)),
            None => "none".to_string(),
        };
        let row = |name: &str, value: &str| {
            format!(
                "<tr><th style=\"text-align: left\">{name}</th>\
                 <td style=\"text-align: left\">{value}</td></tr>"
            )
        };
        format!(
            "<div class=\"tessera-client\"><h3 style=\"margin: 0 0 0.5em 0\">Client</h3>\
             <table>{}{}{}{}{}</table></div>",
            row("Scheduler", &escape(&self.scheduler)),
            row("Dashboard", &dashboard),
            row("Workers", &self.workers.to_string()),
            row("Threads", &self.threads.to_string()),
            row("Memory", &format_bytes(self.memory)),
        )
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.info().text())
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl Client {
    /// The client's MIME bundle (`text/plain` and `text/html`).
    pub fn bundle(&self) -> MimeBundle {
        let info = self.info();
        MimeBundle::new()
            .with("text/plain", info.text())
            .with("text/html", info.html())
    }

    /// Shows the client when it ends a notebook cell (called by the kernel).
    pub fn evcxr_display(&self) {
        super::evcxr_content(&self.bundle());
    }
}

impl Status {
    /// Shows the status as dask does (`finished`) when it ends a notebook cell.
    pub fn evcxr_display(&self) {
        super::evcxr_content(&MimeBundle::new().with("text/plain", self.as_str()));
    }
}

/// The colour dask gives a status.
fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Finished => "var(--jp-success-color1, green)",
        Status::Error | Status::Cancelled => "var(--jp-error-color1, red)",
        Status::Pending | Status::Running => "var(--jp-ui-font-color1, black)",
    }
}

impl Future {
    /// The future's MIME bundle as of `status`: dask's `Future: sum status: finished, type:
    /// float64, key: sum-42`.
    pub fn bundle_for(&self, status: Status) -> MimeBundle {
        let grey = "color: var(--jp-ui-font-color2, gray)";
        let html = format!(
            "<div class=\"tessera-future\"><strong>Future: {}</strong> \
             <span style=\"{grey}\">status: </span><span style=\"color: {}\">{}</span>, \
             <span style=\"{grey}\">type: </span>{}, \
             <span style=\"{grey}\">key: </span>{}</div>",
            escape(
                self.key
                    .rsplit_once('-')
                    .map_or(&self.key, |(name, _)| name)
            ),
            status_colour(status),
            status,
            escape(&self.type_name()),
            escape(&self.key),
        );
        let text = format!(
            "<Future: {status}, type: {}, key: {}>",
            self.type_name(),
            self.key
        );
        MimeBundle::new()
            .with("text/plain", text)
            .with("text/html", html)
    }

    /// Shows the future now and keeps the shown status up to date until it is done (in a
    /// notebook, one output updated in place; elsewhere each change is printed).
    pub fn display(&self) {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = format!(
            "tessera-future-{}-{}-{}",
            std::process::id(),
            self.key,
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut shown = self.status();
        display(&self.bundle_for(shown), Some(&id));
        if shown.is_done() {
            return;
        }
        let future = self.clone();
        let _ = std::thread::Builder::new()
            .name("tessera-future-display".into())
            .spawn(move || loop {
                std::thread::sleep(WATCH_EVERY);
                let now = future.status();
                if now != shown {
                    shown = now;
                    update_display(&future.bundle_for(now), &id);
                }
                if now.is_done() {
                    return;
                }
            });
    }

    /// Shows the future when it ends a notebook cell (called by the kernel): live, as
    /// [`display`](Future::display).
    pub fn evcxr_display(&self) {
        self.display();
    }
}
