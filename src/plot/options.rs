//! Options of images and histograms, matplotlib's keyword arguments as builders.

use super::Colormap;

/// Where row 0 of an image goes: matplotlib's `origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// Row 0 at the top, the y axis growing downwards (`imshow`'s default).
    #[default]
    Upper,
    /// Row 0 at the bottom, the y axis growing upwards (`pcolormesh`'s way).
    Lower,
}

/// A linear or logarithmic axis: matplotlib's `set_xscale("log")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Linear.
    #[default]
    Linear,
    /// Base-10 logarithmic (positive values only).
    Log,
}

/// How [`imshow`](super::Axes::imshow), [`heatmap`](super::Axes::heatmap) and
/// [`pcolormesh`](super::Axes::pcolormesh) colour values: matplotlib's `cmap`, `vmin`, `vmax`,
/// `origin`, `extent`, and a colorbar; `percentiles` sets `vmin`/`vmax` from the data (robust
/// to outliers). Ignored for RGB(A) images but `origin` and `extent`.
///
/// # Examples
///
/// ```
/// use tessera::plot::{Colormap, ImageOptions, Origin};
/// let options = ImageOptions::new().cmap(Colormap::Magma).percentiles(2.0, 98.0)
///     .colorbar(true).origin(Origin::Lower).extent([0.0, 360.0, -90.0, 90.0]);
/// assert_eq!(options.cmap, Colormap::Magma);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImageOptions {
    /// The colormap (viridis).
    pub cmap: Colormap,
    /// The value drawn with the first colour (the data's least, or its low percentile).
    pub vmin: Option<f64>,
    /// The value drawn with the last colour (the data's greatest, or its high percentile).
    pub vmax: Option<f64>,
    /// `vmin` and `vmax` at these percentiles (0 to 100) of the finite values, unless given.
    pub percentiles: Option<(f64, f64)>,
    /// A colour bar beside the image.
    pub colorbar: bool,
    /// Where row 0 goes.
    pub origin: Origin,
    /// Data coordinates of the image's edges: `[left, right, bottom, top]` (matplotlib's
    /// `extent`; by default pixel centres are the indices).
    pub extent: Option<[f64; 4]>,
}

impl ImageOptions {
    /// matplotlib's defaults: viridis, the data's range, no colorbar, origin upper.
    pub fn new() -> ImageOptions {
        ImageOptions::default()
    }

    /// The colormap.
    pub fn cmap(mut self, cmap: Colormap) -> ImageOptions {
        self.cmap = cmap;
        self
    }

    /// The value of the first colour.
    pub fn vmin(mut self, vmin: f64) -> ImageOptions {
        self.vmin = Some(vmin);
        self
    }

    /// The value of the last colour.
    pub fn vmax(mut self, vmax: f64) -> ImageOptions {
        self.vmax = Some(vmax);
        self
    }

    /// `vmin`/`vmax` from these percentiles of the finite values (e.g. 2 and 98).
    pub fn percentiles(mut self, low: f64, high: f64) -> ImageOptions {
        self.percentiles = Some((low, high));
        self
    }

    /// A colour bar beside the image.
    pub fn colorbar(mut self, on: bool) -> ImageOptions {
        self.colorbar = on;
        self
    }

    /// Where row 0 goes.
    pub fn origin(mut self, origin: Origin) -> ImageOptions {
        self.origin = origin;
        self
    }

    /// `[left, right, bottom, top]` in data coordinates.
    pub fn extent(mut self, extent: [f64; 4]) -> ImageOptions {
        self.extent = Some(extent);
        self
    }
}

/// How [`hist`](super::Axes::hist_with) bins and draws: matplotlib's `bins`, `range`,
/// `density` and `log`.
///
/// # Examples
///
/// ```
/// use tessera::plot::HistOptions;
/// let options = HistOptions::new(50).range(-4.0, 4.0).density(true).log(true);
/// assert_eq!(options.bins, 50);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HistOptions {
    /// Number of equal-width bins (matplotlib's default: 10).
    pub bins: usize,
    /// The bins' span (the finite values' range by default).
    pub range: Option<(f64, f64)>,
    /// Bars of density (area 1) instead of counts.
    pub density: bool,
    /// A logarithmic count axis.
    pub log: bool,
}

impl Default for HistOptions {
    fn default() -> HistOptions {
        HistOptions::new(10)
    }
}

impl HistOptions {
    /// `bins` bins over the data's range, as counts on a linear axis.
    pub fn new(bins: usize) -> HistOptions {
        HistOptions {
            bins,
            range: None,
            density: false,
            log: false,
        }
    }

    /// The bins' span.
    pub fn range(mut self, low: f64, high: f64) -> HistOptions {
        self.range = Some((low, high));
        self
    }

    /// Densities instead of counts.
    pub fn density(mut self, on: bool) -> HistOptions {
        self.density = on;
        self
    }

    /// A logarithmic count axis.
    pub fn log(mut self, on: bool) -> HistOptions {
        self.log = on;
        self
    }
}
