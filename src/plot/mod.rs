//! Plots of arrays, in the names a matplotlib user guesses: [`Figure`] and its [`Axes`] with
//! `plot`/`line`, `scatter`, `hist`, `imshow`, `heatmap`, `pcolormesh`, titles, labels,
//! legends, log axes and [`Figure::grid`] subplots; drawn with plotters.
//!
//! Plots take lazy [`Array`](crate::Array)s and [`Computed`](crate::Computed) results alike
//! ([`PlotData`]), and compute no more than they show: [`Axes::imshow`] of an array larger than
//! the plot's pixels shows a screen-sized [`overview`] (a strided selection pushed into the
//! source where that is exact and cheap, else block means read chunk by chunk), and
//! [`Axes::hist`] counts a lazy array out of core ([`histogram`]: per-block counts, summed).
//!
//! A figure that ends a notebook cell shows itself: SVG for line art, PNG when it holds an
//! image (an image is one PNG, never one SVG rectangle a pixel). [`Figure::save`] writes
//! `.png` or `.svg` files, the same in a Rust program.
//!
//! # Examples
//!
//! ```
//! use tessera::prelude::*;
//! use tessera::plot::{self, Figure, ImageOptions, Colormap};
//! let y = random::normal([2000, 3000], [500, 500]);
//! let mut fig = Figure::grid(1, 2);
//! fig.at(0, 0)?.imshow_with(&y, &ImageOptions::new().cmap(Colormap::Magma).colorbar(true))?
//!     .title("y");
//! fig.at(0, 1)?.hist(&y, 50)?.label("values");
//! assert!(fig.has_image());
//! let png = fig.png()?;
//! assert_eq!(&png[1..4], b"PNG");
//! let fig = plot::plot(&y.mean_axis(0)?)?;            // one line, one call
//! assert!(fig.svg()?.contains("<polyline"));
//! # Ok::<(), tessera::Error>(())
//! ```

mod axes;
mod colormap;
mod colormap_tables;
mod data;
mod figure;
mod options;
mod raster;
mod reduce;
mod render;
mod values;

pub use axes::{Axes, Series, SeriesKind};
pub use colormap::Colormap;
pub use data::PlotData;
pub use figure::Figure;
pub use options::{HistOptions, ImageOptions, Origin, Scale};
pub use reduce::{histogram, overview, Histogram, Overview, OverviewKind};

use crate::error::Result;

/// A figure with a line through `y` (matplotlib's `plt.plot(y)`).
///
/// **Errors**: as [`Axes::plot`].
pub fn plot(y: impl Into<PlotData>) -> Result<Figure> {
    let mut figure = Figure::new();
    figure.ax().plot(y)?;
    Ok(figure)
}

/// A figure with dots at `(x[i], y[i])` (`plt.scatter(x, y)`).
///
/// **Errors**: as [`Axes::scatter`].
pub fn scatter(x: impl Into<PlotData>, y: impl Into<PlotData>) -> Result<Figure> {
    let mut figure = Figure::new();
    figure.ax().scatter(x, y)?;
    Ok(figure)
}

/// A figure with the histogram of `data` in `bins` bins (`plt.hist(data, bins)`), counted out
/// of core for a lazy array.
///
/// **Errors**: as [`Axes::hist_with`].
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let fig = tessera::plot::hist(&random::normal([100000], 10000), 40)?;
/// assert!(!fig.has_image());
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn hist(data: impl Into<PlotData>, bins: usize) -> Result<Figure> {
    let mut figure = Figure::new();
    figure.ax().hist(data, bins)?;
    Ok(figure)
}

/// A figure showing `data` as an image (`plt.imshow(data)`), with an overview for arrays
/// larger than its pixels.
///
/// **Errors**: as [`Axes::imshow_with`].
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let fig = tessera::plot::imshow(&random::normal([100000, 100000], [10000, 10000]))?;
/// assert!(fig.summary().starts_with("<Figure size 640x480 with 1 axes: image"));
/// # Ok::<(), tessera::Error>(())
/// ```
pub fn imshow(data: impl Into<PlotData>) -> Result<Figure> {
    let mut figure = Figure::new();
    figure.ax().imshow(data)?;
    Ok(figure)
}
