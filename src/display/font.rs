//! The font plotters draws text with: DejaVu Sans, shipped in `fonts/` (its licence beside it),
//! so that text in a PNG figure needs no system fonts and SVG text is laid out with real glyph
//! widths. Registered once per copy of the engine, before the first drawing.

use std::sync::Once;

use plotters::style::FontStyle;

static FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// The family every drawing names.
pub(crate) const FAMILY: &str = "sans-serif";

/// Registers the font under [`FAMILY`] (all styles fall back to it).
pub(crate) fn ensure() {
    static REGISTERED: Once = Once::new();
    REGISTERED.call_once(|| {
        // The font is shipped with the crate and parses; a failure would only leave text out.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}
