//! [`Picture`]: an SVG image that a notebook shows (profiles, task graphs) and that can be
//! written to a file.

use plotters::style::RGBColor;

use super::{display, MimeBundle};
use crate::error::Result;

/// An SVG picture with a one-line text summary: shown by the notebook when it ends a cell, or
/// with [`display`](Picture::display); [`save`](Picture::save) writes it to a file.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let picture = ones([4, 4], 2).sum()?.visualize();
/// assert!(picture.svg().starts_with("<svg"));
/// assert_eq!(picture.bundle().get("text/plain"), Some(picture.summary()));
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    svg: String,
    summary: String,
    themed: bool,
}

impl Picture {
    /// A picture of `svg` (drawn on its own background), described by `summary` where images
    /// cannot be shown.
    pub fn new(svg: String, summary: String) -> Picture {
        Picture {
            svg,
            summary,
            themed: false,
        }
    }

    /// A picture whose colours come from JupyterLab's theme variables: it is also sent as
    /// `text/html` (inline SVG, which the page's styles reach; an SVG *image* is drawn apart
    /// from them), so it reads in light and dark themes.
    pub(crate) fn themed(svg: String, summary: String) -> Picture {
        Picture {
            svg,
            summary,
            themed: true,
        }
    }

    /// The SVG text.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// The text shown where images cannot be.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// Writes the SVG to `path`.
    ///
    /// **Errors**: the file cannot be written ([`Error::Io`](crate::Error::Io)).
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, &self.svg).map_err(|e| crate::formats::io_error(path, e))
    }

    /// The MIME bundle: `image/svg+xml`, the text summary, and for themed pictures the SVG
    /// inline in `text/html`.
    pub fn bundle(&self) -> MimeBundle {
        let bundle = MimeBundle::new()
            .with("text/plain", self.summary.clone())
            .with("image/svg+xml", self.svg.clone());
        if self.themed {
            bundle.with("text/html", format!("<div>{}</div>", self.svg))
        } else {
            bundle
        }
    }

    /// Shows the picture now (in a notebook; its summary elsewhere).
    pub fn display(&self) {
        display(&self.bundle(), None);
    }

    /// What the kernel's evaluator calls when a picture ends a cell.
    pub fn evcxr_display(&self) {
        super::evcxr_content(&self.bundle());
    }
}

/// Colours that read on light and dark backgrounds.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];
