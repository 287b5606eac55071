//! [`Figure`]: a grid of [`Axes`], its size and resolution, and its outputs — SVG for line art,
//! PNG when it shows images, a file with [`save`](Figure::save), the notebook's display.

use base64::Engine;

use super::render::{render_png, render_svg};
use super::Axes;
use crate::display::{display, MimeBundle};
use crate::error::{Error, Result};

/// A figure: `rows` × `cols` plots ([`Axes`]), `width` × `height` inches at `dpi` dots an
/// inch (matplotlib's `figsize` and `dpi`: 6.4 × 4.8 at 100 by default), an optional title.
///
/// It shows itself when it ends a notebook cell (SVG, or PNG when it holds an image), and is
/// written with [`save`](Figure::save) in a Rust program.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// use tessera::plot::Figure;
/// let mut fig = Figure::grid(1, 2).title("two plots");
/// fig.at(0, 0)?.plot(&linspace(0.0, 1.0, 50, 10))?.label("ramp");
/// fig.at(0, 1)?.hist(&random::normal([1000], 100), 20)?;
/// assert_eq!(fig.pixels(), (960, 480));
/// assert!(fig.svg()?.starts_with("<svg"));
/// assert!(fig.at(1, 0).is_err());
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) dpi: f64,
    pub(crate) title: Option<String>,
    pub(crate) axes: Vec<Axes>,
}

impl Default for Figure {
    fn default() -> Figure {
        Figure::new()
    }
}

impl Figure {
    /// One plot, 6.4 × 4.8 inches at 100 dpi (640 × 480 pixels).
    pub fn new() -> Figure {
        Figure::grid(1, 1)
    }

    /// `rows` × `cols` plots (at least 1 × 1), each 4.8 × 4.8 inches but for a single row or
    /// column, which keeps matplotlib's 6.4 × 4.8 figure when alone.
    pub fn grid(rows: usize, cols: usize) -> Figure {
        let (rows, cols) = (rows.max(1), cols.max(1));
        let (width, height) = if (rows, cols) == (1, 1) {
            (6.4, 4.8)
        } else {
            (4.8 * cols as f64, 4.8 * rows as f64)
        };
        let mut figure = Figure {
            rows,
            cols,
            width,
            height,
            dpi: 100.0,
            title: None,
            axes: Vec::new(),
        };
        figure.axes = vec![Axes::new(figure.cell_pixels()); rows * cols];
        figure
    }

    /// The size in inches (matplotlib's `figsize`); values below 1 inch are raised to 1.
    pub fn size(mut self, width: f64, height: f64) -> Figure {
        self.width = width.max(1.0);
        self.height = height.max(1.0);
        self.resize_axes();
        self
    }

    /// Dots per inch (text and lines scale with it); clamped to 10 – 600.
    pub fn dpi(mut self, dpi: f64) -> Figure {
        self.dpi = dpi.clamp(10.0, 600.0);
        self.resize_axes();
        self
    }

    /// A title above all plots (matplotlib's `suptitle`).
    pub fn title(mut self, title: &str) -> Figure {
        self.title = Some(title.to_string());
        self
    }

    /// The first plot.
    pub fn ax(&mut self) -> &mut Axes {
        &mut self.axes[0]
    }

    /// The plot at `row`, `col` of the grid.
    ///
    /// **Errors**: a position outside the grid ([`Error::InvalidArgument`]).
    pub fn at(&mut self, row: usize, col: usize) -> Result<&mut Axes> {
        if row >= self.rows || col >= self.cols {
            return Err(Error::InvalidArgument {
                op: "Figure::at",
                reason: format!(
                    "no plot at ({row}, {col}) of a {} × {} grid",
                    self.rows, self.cols
                ),
            });
        }
        Ok(&mut self.axes[row * self.cols + col])
    }

    /// Width and height in pixels.
    pub fn pixels(&self) -> (u32, u32) {
        (
            (self.width * self.dpi).round() as u32,
            (self.height * self.dpi).round() as u32,
        )
    }

    /// The figure as SVG text (images in it as PNG).
    ///
    /// **Errors**: a figure plotters cannot draw (data ranges it cannot scale).
    pub fn svg(&self) -> Result<String> {
        render_svg(self)
    }

    /// The figure as PNG bytes.
    ///
    /// **Errors**: as [`svg`](Figure::svg).
    pub fn png(&self) -> Result<Vec<u8>> {
        render_png(self)
    }

    /// Writes the figure to `path`: PNG for a `.png` name, SVG for `.svg`.
    ///
    /// **Errors**: another extension ([`Error::InvalidArgument`]); the file cannot be written
    /// ([`Error::Io`]).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use tessera::prelude::*;
    /// let mut fig = tessera::plot::Figure::new();
    /// fig.ax().imshow(&random::normal([100, 100], 50))?;
    /// fig.save("noise.png")?;
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = match path.extension().and_then(|e| e.to_str()) {
            Some("png") => self.png()?,
            Some("svg") => self.svg()?.into_bytes(),
            _ => {
                return Err(Error::InvalidArgument {
                    op: "Figure::save",
                    reason: format!(
                        "{} should end in .png or .svg (the formats a figure is written in)",
                        path.display()
                    ),
                })
            }
        };
        std::fs::write(path, bytes).map_err(|e| crate::formats::io_error(path, e))
    }

    /// True when a plot shows an image (the figure is then shown as PNG).
    pub fn has_image(&self) -> bool {
        self.axes.iter().any(|a| a.image.is_some())
    }

    /// One line describing the figure, shown where pictures cannot be.
    pub fn summary(&self) -> String {
        let (w, h) = self.pixels();
        let what: Vec<String> = self
            .axes
            .iter()
            .filter(|a| a.image.is_some() || !a.series.is_empty())
            .map(|a| {
                let title = a.title.clone().unwrap_or_default();
                let shown = if a.image.is_some() {
                    "image".to_string()
                } else {
                    format!("{} series", a.series.len())
                };
                format!(
                    "{shown}{}",
                    if title.is_empty() {
                        title
                    } else {
                        format!(" \"{title}\"")
                    }
                )
            })
            .collect();
        format!(
            "<Figure size {w}x{h} with {} axes: {}>",
            self.axes.len(),
            if what.is_empty() {
                "empty".to_string()
            } else {
                what.join(", ")
            }
        )
    }

    /// The MIME bundle a notebook shows: `image/png` for a figure with images, else
    /// `image/svg+xml`, and the summary as `text/plain`. A figure that cannot be drawn shows
    /// its error as text.
    pub fn bundle(&self) -> MimeBundle {
        let bundle = MimeBundle::new().with("text/plain", self.summary());
        let drawn = if self.has_image() {
            self.png().map(|png| {
                (
                    "image/png",
                    base64::engine::general_purpose::STANDARD.encode(png),
                )
            })
        } else {
            self.svg().map(|svg| ("image/svg+xml", svg))
        };
        match drawn {
            Ok((mime, content)) => bundle.with(mime, content),
            Err(e) => MimeBundle::new().with("text/plain", format!("{}: {e}", self.summary())),
        }
    }

    /// Shows the figure now (in a notebook; its summary elsewhere).
    pub fn display(&self) {
        display(&self.bundle(), None);
    }

    /// What the kernel's evaluator calls when a figure ends a cell.
    pub fn evcxr_display(&self) {
        crate::display::evcxr_content(&self.bundle());
    }

    /// About the pixels of one plot's drawing area (the figure's cell less labels).
    fn cell_pixels(&self) -> [usize; 2] {
        let (w, h) = self.pixels();
        let scale = self.dpi / 100.0;
        let cell = |total: u32, n: usize, less: f64| {
            ((total as f64 / n as f64 - less * scale).max(16.0)) as usize
        };
        [cell(h, self.rows, 90.0), cell(w, self.cols, 100.0)]
    }

    fn resize_axes(&mut self) {
        let pixels = self.cell_pixels();
        for axes in &mut self.axes {
            axes.pixels = pixels;
        }
    }
}
