//! [`Axes`]: one plot of a [`Figure`](super::Figure), with matplotlib's methods (`plot`,
//! `scatter`, `hist`, `imshow`, `pcolormesh`, titles, labels, scales, limits, legends).

use ndarray::{Array2, Ix2, Ix3};

use super::raster::Raster;
use super::reduce::{histogram, overview};
use super::values::{color_range, edges, invalid, not_empty, pair, values_2d};
use super::{Colormap, HistOptions, ImageOptions, Origin, PlotData, Scale};
use crate::error::{fmt_shape, Result};

/// How a [`Series`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// Points joined by a line.
    Line,
    /// Points as dots.
    Scatter,
    /// A histogram's bars: `x` holds the bin edges, `y` the heights.
    Bars,
}

/// One drawn series: its points (or bars), label and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub(crate) kind: SeriesKind,
    pub(crate) x: Vec<f64>,
    pub(crate) y: Vec<f64>,
    pub(crate) label: Option<String>,
    pub(crate) color: Option<[u8; 3]>,
}

impl Series {
    /// The name shown in the legend.
    pub fn label(&mut self, label: &str) -> &mut Series {
        self.label = Some(label.to_string());
        self
    }

    /// The colour (by default the next of the palette).
    pub fn color(&mut self, rgb: [u8; 3]) -> &mut Series {
        self.color = Some(rgb);
        self
    }

    /// How it is drawn.
    pub fn kind(&self) -> SeriesKind {
        self.kind
    }

    /// The x values (bin edges for bars).
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// The y values (heights for bars).
    pub fn y(&self) -> &[f64] {
        &self.y
    }
}

/// An image on axes: pixels, where they go, and how values were coloured.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Image {
    pub(crate) raster: Raster,
    /// `[left, right, bottom, top]` in data coordinates.
    pub(crate) extent: [f64; 4],
    pub(crate) colorbar: Option<(Colormap, f64, f64)>,
    pub(crate) equal_aspect: bool,
}

/// One plot: what it shows and how its axes look. Made by a [`Figure`](super::Figure)
/// ([`ax`](super::Figure::ax), [`at`](super::Figure::at)).
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    pub(crate) title: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) xlabel: Option<String>,
    pub(crate) ylabel: Option<String>,
    pub(crate) xscale: Scale,
    pub(crate) yscale: Scale,
    pub(crate) xlim: Option<(f64, f64)>,
    pub(crate) ylim: Option<(f64, f64)>,
    pub(crate) legend: Option<bool>,
    pub(crate) series: Vec<Series>,
    pub(crate) image: Option<Image>,
    /// The plotting area's size in pixels, about: what an overview is made for.
    pub(crate) pixels: [usize; 2],
}

impl Axes {
    pub(crate) fn new(pixels: [usize; 2]) -> Axes {
        Axes {
            title: None,
            note: None,
            xlabel: None,
            ylabel: None,
            xscale: Scale::Linear,
            yscale: Scale::Linear,
            xlim: None,
            ylim: None,
            legend: None,
            series: Vec::new(),
            image: None,
            pixels,
        }
    }

    /// The title above the plot.
    pub fn title(&mut self, title: &str) -> &mut Axes {
        self.title = Some(title.to_string());
        self
    }

    /// The x axis' label.
    pub fn xlabel(&mut self, label: &str) -> &mut Axes {
        self.xlabel = Some(label.to_string());
        self
    }

    /// The y axis' label.
    pub fn ylabel(&mut self, label: &str) -> &mut Axes {
        self.ylabel = Some(label.to_string());
        self
    }

    /// A linear or logarithmic x axis.
    pub fn xscale(&mut self, scale: Scale) -> &mut Axes {
        self.xscale = scale;
        self
    }

    /// A linear or logarithmic y axis.
    pub fn yscale(&mut self, scale: Scale) -> &mut Axes {
        self.yscale = scale;
        self
    }

    /// The x axis' span (the data's, padded, by default).
    pub fn xlim(&mut self, low: f64, high: f64) -> &mut Axes {
        self.xlim = Some((low, high));
        self
    }

    /// The y axis' span.
    pub fn ylim(&mut self, low: f64, high: f64) -> &mut Axes {
        self.ylim = Some((low, high));
        self
    }

    /// Shows or hides the legend (shown by default when a series has a label).
    pub fn legend(&mut self, on: bool) -> &mut Axes {
        self.legend = Some(on);
        self
    }

    /// The series drawn so far.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// What the title says of an overview (`None` when the image is the whole array).
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// A line through `y` against its indices: matplotlib's `plot(y)`. A 2-D `y` draws one
    /// line a column, as matplotlib does; the last is returned. Lazy arrays are computed.
    ///
    /// **Errors**: no values, none finite, more than 2 axes, or a failed computation.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let mut fig = tessera::plot::Figure::new();
    /// fig.ax().plot(&random::normal([100], 50))?.label("noise");
    /// assert_eq!(fig.ax().series().len(), 1);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn plot(&mut self, y: impl Into<PlotData>) -> Result<&mut Series> {
        let y = values_2d("plot", &y.into())?;
        let x: Vec<f64> = (0..y.nrows()).map(|i| i as f64).collect();
        for column in y.columns() {
            self.push(SeriesKind::Line, x.clone(), column.to_vec());
        }
        Ok(self.series.last_mut().expect("a column at least"))
    }

    /// [`plot`](Axes::plot) under its other name.
    pub fn line(&mut self, y: impl Into<PlotData>) -> Result<&mut Series> {
        self.plot(y)
    }

    /// A line through the points `(x[i], y[i])`: matplotlib's `plot(x, y)`.
    ///
    /// **Errors**: as [`plot`](Axes::plot), and `x` and `y` of different lengths.
    pub fn plot_xy(
        &mut self,
        x: impl Into<PlotData>,
        y: impl Into<PlotData>,
    ) -> Result<&mut Series> {
        let (x, y) = pair("plot", &x.into(), &y.into())?;
        Ok(self.push(SeriesKind::Line, x, y))
    }

    /// Dots at the points `(x[i], y[i])`: matplotlib's `scatter`.
    ///
    /// **Errors**: as [`plot_xy`](Axes::plot_xy).
    pub fn scatter(
        &mut self,
        x: impl Into<PlotData>,
        y: impl Into<PlotData>,
    ) -> Result<&mut Series> {
        let (x, y) = pair("scatter", &x.into(), &y.into())?;
        Ok(self.push(SeriesKind::Scatter, x, y))
    }

    /// A histogram of `data` in `bins` bins: matplotlib's `hist(data, bins)`. A lazy array is
    /// counted out of core, block by block ([`histogram`](super::histogram)).
    ///
    /// **Errors**: as [`hist_with`](Axes::hist_with).
    pub fn hist(&mut self, data: impl Into<PlotData>, bins: usize) -> Result<&mut Series> {
        self.hist_with(data, &HistOptions::new(bins))
    }

    /// A histogram with matplotlib's `range`, `density` and `log`.
    ///
    /// **Errors**: empty data; no finite value (without a range); bad bins or range (see
    /// [`histogram`](super::histogram)); a failed computation.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use tessera::plot::{Figure, HistOptions};
    /// let mut fig = Figure::new();
    /// let x = random::normal([10000], 1000);
    /// let bars = fig.ax().hist_with(&x, &HistOptions::new(20).density(true))?;
    /// assert_eq!(bars.y().len(), 20);
    /// assert_eq!(bars.x().len(), 21);                  // the edges
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn hist_with(
        &mut self,
        data: impl Into<PlotData>,
        options: &HistOptions,
    ) -> Result<&mut Series> {
        let data = data.into();
        not_empty("hist", &data)?;
        let h = histogram(data, options.bins, options.range)?;
        let heights = if options.density {
            h.density()
        } else {
            h.counts.iter().map(|&c| c as f64).collect()
        };
        if options.log {
            self.yscale = Scale::Log;
        }
        Ok(self.push(SeriesKind::Bars, h.edges, heights))
    }

    /// Shows a 2-D array as an image (viridis, the data's range), or a 3-D RGB(A) one (floats
    /// in [0, 1], integers in [0, 255]): matplotlib's `imshow`. An array larger than the plot's
    /// pixels is shown by an [`overview`](super::overview), and the title says which.
    ///
    /// **Errors**: as [`imshow_with`](Axes::imshow_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let mut fig = tessera::plot::Figure::new();
    /// fig.ax().imshow(&random::normal([4000, 4000], [1000, 1000]))?;
    /// assert_eq!(fig.ax().note(), Some("overview: 1 in 11 rows, 1 in 8 columns"));
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn imshow(&mut self, data: impl Into<PlotData>) -> Result<&mut Axes> {
        self.imshow_with(data, &ImageOptions::new())
    }

    /// [`imshow`](Axes::imshow) with a colormap, `vmin`/`vmax` or percentiles, a colorbar, an
    /// origin and an extent ([`ImageOptions`]).
    ///
    /// **Errors**: an array that is not 2-D nor 3-D with 3 or 4 channels; an empty array; no
    /// finite value; a failed computation.
    pub fn imshow_with(
        &mut self,
        data: impl Into<PlotData>,
        options: &ImageOptions,
    ) -> Result<&mut Axes> {
        self.show_image("imshow", data.into(), options, true)
    }

    /// A 2-D array as coloured cells, one per element, filling the plot (no equal aspect):
    /// a heatmap. Options as [`imshow_with`](Axes::imshow_with).
    ///
    /// **Errors**: as [`imshow_with`](Axes::imshow_with), and 3-D arrays.
    pub fn heatmap(
        &mut self,
        data: impl Into<PlotData>,
        options: &ImageOptions,
    ) -> Result<&mut Axes> {
        let data = data.into();
        if data.shape().len() != 2 {
            return Err(invalid(
                "heatmap",
                format!("takes a 2-D array, got shape {}", fmt_shape(data.shape())),
            ));
        }
        self.show_image("heatmap", data, options, false)
    }

    fn show_image(
        &mut self,
        op: &'static str,
        data: PlotData,
        options: &ImageOptions,
        equal: bool,
    ) -> Result<&mut Axes> {
        not_empty(op, &data)?;
        let shape = data.shape().to_vec();
        let rgb = match shape.len() {
            2 => false,
            3 => true,
            _ => {
                return Err(invalid(
                    op,
                    format!(
                        "takes a 2-D array, or a 3-D RGB(A) one (last axis 3 or 4), got shape {}",
                        fmt_shape(&shape)
                    ),
                ))
            }
        };
        if rgb && shape[2] != 3 && shape[2] != 4 {
            return Err(invalid(
                op,
                format!(
                    "a 3-D image is RGB or RGBA: its last axis has length 3 or 4, got shape {}; \
                 show one 2-D slice of a stack at a time",
                    fmt_shape(&shape)
                ),
            ));
        }
        let float = data.dtype().is_float();
        let view = overview(data, self.pixels)?;
        let (raster, colorbar) = if rgb {
            let values = view
                .values
                .view()
                .into_dimensionality::<Ix3>()
                .expect("3-D");
            (Raster::from_rgb(values, float)?, None)
        } else {
            let values = view
                .values
                .view()
                .into_dimensionality::<Ix2>()
                .expect("2-D");
            let (vmin, vmax) = color_range(op, values.iter().copied(), options)?;
            let colorbar = options.colorbar.then_some((options.cmap, vmin, vmax));
            (
                Raster::colormapped(values, options.cmap, vmin, vmax),
                colorbar,
            )
        };
        let (rows, cols) = (shape[0] as f64, shape[1] as f64);
        let extent = options.extent.unwrap_or(match options.origin {
            Origin::Upper => [-0.5, cols - 0.5, rows - 0.5, -0.5],
            Origin::Lower => [-0.5, cols - 0.5, -0.5, rows - 0.5],
        });
        let raster = match options.origin {
            Origin::Upper => raster,
            Origin::Lower => raster.flipped(),
        };
        self.image = Some(Image {
            raster,
            extent,
            colorbar,
            equal_aspect: equal,
        });
        self.note = view.kind.note();
        Ok(self)
    }

    /// `c[j, i]` as a cell from `x[i]` to `x[i + 1]` and `y[j]` to `y[j + 1]` (edges, one more
    /// than the cells; or one a cell, taken as centres): matplotlib's `pcolormesh(x, y, c)`,
    /// row 0 at the bottom. Uneven cells are sampled onto a 600 × 600 image.
    ///
    /// **Errors**: `c` not 2-D, empty or without a finite value; `x` or `y` of another length
    /// or not increasing.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// use tessera::plot::{Figure, ImageOptions};
    /// let mut fig = Figure::new();
    /// let c = arange(0, 6, 1, 6).reshape([2, 3])?;
    /// let (x, y) = (vec![0.0, 1.0, 10.0, 100.0], vec![-1.0, 0.0, 1.0]);   // edges
    /// fig.ax().pcolormesh(x, y, &c, &ImageOptions::new())?;
    /// assert!(fig.svg()?.contains("<image"));
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn pcolormesh(
        &mut self,
        x: impl Into<PlotData>,
        y: impl Into<PlotData>,
        c: impl Into<PlotData>,
        options: &ImageOptions,
    ) -> Result<&mut Axes> {
        let c = c.into();
        not_empty("pcolormesh", &c)?;
        if c.shape().len() != 2 {
            return Err(invalid(
                "pcolormesh",
                format!("c must be 2-D, got shape {}", fmt_shape(c.shape())),
            ));
        }
        let c = c
            .values()?
            .into_array::<f64>()
            .into_dimensionality::<Ix2>()
            .expect("2-D");
        let xs = edges("x", &x.into().to_f64()?, c.ncols())?;
        let ys = edges("y", &y.into().to_f64()?, c.nrows())?;
        let (vmin, vmax) = color_range("pcolormesh", c.iter().copied(), options)?;
        let size = 600;
        let sample = |edges: &[f64], k: usize| {
            let at =
                edges[0] + (k as f64 + 0.5) / size as f64 * (edges[edges.len() - 1] - edges[0]);
            edges
                .partition_point(|&e| e <= at)
                .clamp(1, edges.len() - 1)
                - 1
        };
        let cols: Vec<usize> = (0..size).map(|k| sample(&xs, k)).collect();
        // Raster rows top to bottom: the last y first.
        let sampled = Array2::from_shape_fn((size, size), |(r, k)| {
            c[[sample(&ys, size - 1 - r), cols[k]]]
        });
        let raster = Raster::colormapped(sampled.view(), options.cmap, vmin, vmax);
        let colorbar = options.colorbar.then_some((options.cmap, vmin, vmax));
        let extent = [xs[0], xs[xs.len() - 1], ys[0], ys[ys.len() - 1]];
        self.image = Some(Image {
            raster,
            extent,
            colorbar,
            equal_aspect: false,
        });
        self.note = None;
        Ok(self)
    }

    fn push(&mut self, kind: SeriesKind, x: Vec<f64>, y: Vec<f64>) -> &mut Series {
        self.series.push(Series {
            kind,
            x,
            y,
            label: None,
            color: None,
        });
        self.series.last_mut().expect("just pushed")
    }
}
