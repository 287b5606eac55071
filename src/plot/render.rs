//! Drawing a [`Figure`] with plotters: the same drawing on the SVG backend (images added as
//! PNG `<image>` elements) and on the bitmap backend (images composited into the pixels, the
//! whole encoded as one PNG).
//!
//! Colours read on light and dark backgrounds: the SVG has no background (the page's shows),
//! text and axes are a middle grey, grid lines a faint one; the PNG is drawn on white.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{Image, SeriesKind};
use super::raster::{encode_png, Raster};
use super::{Axes, Figure, Scale};
use crate::display::font::{ensure, FAMILY};
use crate::display::{escape, PALETTE};
use crate::error::{Error, Result};

type DrawResult<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

const TEXT: RGBColor = RGBColor(118, 118, 118);

/// An image's pixels and the rectangle (left, top, right, bottom; backend pixels) they fill.
struct Placed<'a> {
    rect: [i32; 4],
    raster: &'a Raster,
    class: &'static str,
}

fn drawing_error(e: impl std::fmt::Display) -> Error {
    Error::InvalidArgument {
        op: "plot",
        reason: format!("could not draw the figure: {e}"),
    }
}

/// The figure as SVG text.
pub(super) fn render_svg(figure: &Figure) -> Result<String> {
    ensure();
    let (w, h) = figure.pixels();
    let colorbars = colorbars(figure);
    let mut svg = String::new();
    let placed = {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let placed = draw(figure, &root, &colorbars).map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
        placed
    };
    let images: String = placed
        .iter()
        .map(|p| {
            let [left, top, right, bottom] = p.rect;
            format!(
                concat!(
                    r#"<image class="{}" x="{}" y="{}" width="{}" height="{}" "#,
                    r#"preserveAspectRatio="none" style="image-rendering:pixelated" href="{}"/>"#
                ),
                p.class,
                left,
                top,
                right - left,
                bottom - top,
                escape(&p.raster.data_uri())
            )
        })
        .collect();
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    svg.insert_str(end, &images);
    Ok(svg)
}

/// The figure as PNG bytes (RGB on white).
pub(super) fn render_png(figure: &Figure) -> Result<Vec<u8>> {
    ensure();
    let (w, h) = figure.pixels();
    let colorbars = colorbars(figure);
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    let rects: Vec<([i32; 4], &Raster)> = {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        let placed = draw(figure, &root, &colorbars).map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
        placed.into_iter().map(|p| (p.rect, p.raster)).collect()
    };
    for (rect, raster) in rects {
        composite(&mut pixels, (w as usize, h as usize), rect, raster);
    }
    Ok(encode_png(
        &pixels,
        w as usize,
        h as usize,
        png::ColorType::Rgb,
    ))
}

/// The colorbar of each plot that has one (drawn as an image of its own).
fn colorbars(figure: &Figure) -> Vec<Option<Raster>> {
    figure
        .axes
        .iter()
        .map(|a| {
            let image = a.image.as_ref()?;
            image.colorbar.map(|(cmap, _, _)| Raster::colorbar(cmap))
        })
        .collect()
}

/// `raster` resampled (nearest pixel) into `rect` of an RGB buffer, over what is there.
fn composite(pixels: &mut [u8], (w, h): (usize, usize), rect: [i32; 4], raster: &Raster) {
    let [left, top, right, bottom] = rect;
    let (rw, rh) = ((right - left).max(1) as f64, (bottom - top).max(1) as f64);
    for y in top.max(0)..bottom.min(h as i32) {
        let sy = (((y - top) as f64 + 0.5) / rh * raster.height as f64) as usize;
        for x in left.max(0)..right.min(w as i32) {
            let sx = (((x - left) as f64 + 0.5) / rw * raster.width as f64) as usize;
            let [r, g, b, a] = raster.pixel(sx.min(raster.width - 1), sy.min(raster.height - 1));
            let at = (y as usize * w + x as usize) * 3;
            let alpha = a as u32;
            for (k, c) in [r, g, b].into_iter().enumerate() {
                let under = pixels[at + k] as u32;
                pixels[at + k] = ((c as u32 * alpha + under * (255 - alpha)) / 255) as u8;
            }
        }
    }
}

fn font(size: f64) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&TEXT)
}

/// Draws every plot; returns where the images go.
fn draw<'a, DB: DrawingBackend>(
    figure: &'a Figure,
    root: &DrawingArea<DB, Shift>,
    colorbars: &'a [Option<Raster>],
) -> DrawResult<Vec<Placed<'a>>>
where
    DB::ErrorType: 'static,
{
    let s = figure.dpi / 100.0;
    let area = match &figure.title {
        Some(title) => root.titled(title, font(17.0 * s))?,
        None => root.clone(),
    };
    let mut placed = Vec::new();
    let cells = area.split_evenly((figure.rows, figure.cols));
    for ((axes, cell), colorbar) in figure.axes.iter().zip(&cells).zip(colorbars) {
        draw_axes(axes, cell, s, colorbar.as_ref(), &mut placed)?;
    }
    Ok(placed)
}

/// The span of each axis: limits, else the image's extent, else the data's, padded 5% as
/// matplotlib's margins (bars start at 0). `true` when y grows downwards (an image, origin
/// upper).
fn spans(axes: &Axes) -> ((f64, f64), (f64, f64), bool) {
    let mut inverted = false;
    let (x, y) = if let Some(image) = &axes.image {
        let [left, right, bottom, top] = image.extent;
        inverted = top < bottom;
        (
            (left.min(right), left.max(right)),
            (bottom.min(top), bottom.max(top)),
        )
    } else {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for series in &axes.series {
            xs.extend(series.x.iter().copied());
            ys.extend(series.y.iter().copied());
            if series.kind == SeriesKind::Bars && axes.yscale == Scale::Linear {
                ys.push(0.0);
            }
        }
        (padded(&xs, axes.xscale), padded(&ys, axes.yscale))
    };
    (axes.xlim.unwrap_or(x), axes.ylim.unwrap_or(y), inverted)
}

fn padded(values: &[f64], scale: Scale) -> (f64, f64) {
    let usable = |v: &f64| v.is_finite() && (scale == Scale::Linear || *v > 0.0);
    let (lo, hi) = values
        .iter()
        .filter(|v| usable(v))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if lo > hi {
        return (if scale == Scale::Log { 1.0 } else { 0.0 }, 10.0);
    }
    match scale {
        Scale::Linear if lo == hi => (lo - 0.5, hi + 0.5),
        Scale::Linear => (lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05),
        Scale::Log if lo == hi => (lo / 2.0, hi * 2.0),
        Scale::Log => {
            let f = (hi / lo).powf(0.05);
            (lo / f, hi * f)
        }
    }
}

/// Margins (left, right, top, bottom) and label areas (x, y) of a plot, in pixels.
#[derive(Clone, Copy)]
struct Layout {
    margins: [i32; 4],
    x_labels: i32,
    y_labels: i32,
}

fn layout(axes: &Axes, area: (u32, u32), x: (f64, f64), y: (f64, f64), s: f64) -> Layout {
    let px = |v: f64| (v * s).round() as i32;
    let mut margins = [px(10.0), px(20.0), px(10.0), px(10.0)];
    let (x_labels, y_labels) = (px(44.0), px(64.0));
    if let Some(Image {
        equal_aspect: true, ..
    }) = &axes.image
    {
        // Square data units: shrink the plot on the side where it has room to spare.
        let pw = area.0 as f64 - (margins[0] + margins[1] + y_labels) as f64;
        let ph = area.1 as f64 - (margins[2] + margins[3] + x_labels) as f64;
        let want = (x.1 - x.0) / (y.1 - y.0);
        if pw > 0.0 && ph > 0.0 && want.is_finite() && want > 0.0 {
            if pw / ph > want {
                let extra = ((pw - ph * want) / 2.0) as i32;
                margins[0] += extra;
                margins[1] += extra;
            } else {
                let extra = ((ph - pw / want) / 2.0) as i32;
                margins[2] += extra;
                margins[3] += extra;
            }
        }
    }
    Layout {
        margins,
        x_labels,
        y_labels,
    }
}

fn draw_axes<'a, DB: DrawingBackend>(
    axes: &'a Axes,
    cell: &DrawingArea<DB, Shift>,
    s: f64,
    colorbar: Option<&'a Raster>,
    placed: &mut Vec<Placed<'a>>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let title = match (&axes.title, &axes.note) {
        (Some(t), Some(n)) => Some(format!("{t} ({n})")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(n)) => Some(n.clone()),
        (None, None) => None,
    };
    let cell = match title {
        Some(title) => cell.titled(&title, font(14.0 * s))?,
        None => cell.clone(),
    };
    let (main, bar) = match colorbar {
        Some(_) => {
            let width = cell.dim_in_pixel().0 as i32;
            let (main, bar) = cell.split_horizontally(width - (90.0 * s) as i32);
            (main, Some(bar))
        }
        None => (cell, None),
    };
    let (x, y, inverted) = spans(axes);
    let layout = layout(axes, main.dim_in_pixel(), x, y, s);
    let lin = |r: (f64, f64)| RangedCoordf64::from(r.0..r.1);
    let log = |r: (f64, f64)| LogCoord::from((r.0..r.1).log_scale());
    // An inverted axis is drawn as -y (plotters' ranges increase), labelled back as y.
    let y_lin = if inverted { (-y.1, -y.0) } else { y };
    let ys = if axes.image.is_some() {
        Scale::Linear
    } else {
        axes.yscale
    };
    let xs = if axes.image.is_some() {
        Scale::Linear
    } else {
        axes.xscale
    };
    let rows = match (xs, ys) {
        (Scale::Linear, Scale::Linear) => {
            chart(&main, axes, lin(x), lin(y_lin), inverted, layout, s, placed)?
        }
        (Scale::Log, Scale::Linear) => {
            chart(&main, axes, log(x), lin(y_lin), inverted, layout, s, placed)?
        }
        (Scale::Linear, Scale::Log) => {
            chart(&main, axes, lin(x), log(y), false, layout, s, placed)?
        }
        (Scale::Log, Scale::Log) => chart(&main, axes, log(x), log(y), false, layout, s, placed)?,
    };
    if let (Some(bar), Some(raster), Some(image)) = (bar, colorbar, &axes.image) {
        let (_, vmin, vmax) = image.colorbar.expect("a colorbar raster has its range");
        draw_colorbar(&bar, raster, (vmin, vmax), rows, s, placed)?;
    }
    Ok(())
}

/// Draws one plot's axes, series and image; returns the plot area's top and bottom rows.
#[allow(clippy::too_many_arguments)]
fn chart<'a, DB, X, Y>(
    area: &DrawingArea<DB, Shift>,
    axes: &'a Axes,
    x: X,
    y: Y,
    inverted: bool,
    layout: Layout,
    s: f64,
    placed: &mut Vec<Placed<'a>>,
) -> DrawResult<(i32, i32)>
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let [left, right, top, bottom] = layout.margins;
    let span = |r: std::ops::Range<f64>| (r.end - r.start).abs();
    let (x_span, y_span) = (span(x.range()), span(y.range()));
    let mut chart = ChartBuilder::on(area)
        .margin_left(left)
        .margin_right(right)
        .margin_top(top)
        .margin_bottom(bottom)
        .x_label_area_size(layout.x_labels)
        .y_label_area_size(layout.y_labels)
        .build_cartesian_2d(x, y)?;
    let sign = if inverted { -1.0 } else { 1.0 };
    let x_format = |v: &f64| tick(*v, x_span);
    let y_format = move |v: &f64| tick(sign * *v, y_span);
    let grid = TEXT.mix(0.25);
    let mut mesh = chart.configure_mesh();
    mesh.axis_style(TEXT)
        .label_style(font(11.0 * s))
        .axis_desc_style(font(13.0 * s))
        .bold_line_style(grid)
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format);
    if axes.image.is_some() {
        mesh.disable_mesh();
    }
    if let Some(label) = &axes.xlabel {
        mesh.x_desc(label.as_str());
    }
    if let Some(label) = &axes.ylabel {
        mesh.y_desc(label.as_str());
    }
    mesh.draw()?;
    let width = (1.5 * s).max(1.0) as u32;
    for (k, series) in axes.series.iter().enumerate() {
        let [r, g, b] = series.color.unwrap_or_else(|| {
            let c = PALETTE[k % PALETTE.len()];
            [c.0, c.1, c.2]
        });
        let colour = RGBColor(r, g, b);
        let points = || {
            series
                .x
                .iter()
                .zip(&series.y)
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(move |(&x, &y)| (x, sign * y))
        };
        let drawn = match series.kind {
            SeriesKind::Line => {
                chart.draw_series(LineSeries::new(points(), colour.stroke_width(width)))?
            }
            SeriesKind::Scatter => chart.draw_series(
                points().map(|p| Circle::new(p, (3.0 * s) as i32, colour.mix(0.8).filled())),
            )?,
            SeriesKind::Bars => {
                let floor = if axes.yscale == Scale::Log {
                    series
                        .y
                        .iter()
                        .copied()
                        .filter(|&v| v > 0.0)
                        .fold(f64::INFINITY, f64::min)
                        / 2.0
                } else {
                    0.0
                };
                chart.draw_series(
                    series
                        .x
                        .windows(2)
                        .zip(&series.y)
                        .filter(|(_, &h)| h > floor)
                        .map(|(e, &h)| {
                            Rectangle::new([(e[0], floor), (e[1], h)], colour.mix(0.85).filled())
                        }),
                )?
            }
        };
        if let Some(label) = &series.label {
            drawn.label(label.as_str()).legend(move |(x, y)| {
                Rectangle::new([(x, y - 4), (x + 14, y + 4)], colour.filled())
            });
        }
    }
    let labelled = axes.series.iter().any(|s| s.label.is_some());
    if axes.legend.unwrap_or(labelled) && labelled {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(font(11.0 * s))
            .background_style(WHITE.mix(0.6))
            .border_style(TEXT)
            .draw()?;
    }
    if let Some(image) = &axes.image {
        let [l, r, b, t] = image.extent;
        let (x0, y0) = chart.backend_coord(&(l.min(r), sign * t));
        let (x1, y1) = chart.backend_coord(&(l.max(r), sign * b));
        placed.push(Placed {
            rect: [x0, y0.min(y1), x1, y0.max(y1)],
            raster: &image.raster,
            class: "tessera-image",
        });
    }
    let rows = chart.plotting_area().get_pixel_range().1;
    Ok((rows.start, rows.end))
}

/// The colour bar: the colormap's gradient from `vmin` (bottom) to `vmax` (top) beside the
/// plot, as tall as its plot area (`rows`), with its values on the right.
fn draw_colorbar<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    raster: &'a Raster,
    (vmin, vmax): (f64, f64),
    rows: (i32, i32),
    s: f64,
    placed: &mut Vec<Placed<'a>>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let base = area.get_base_pixel().1;
    let height = area.dim_in_pixel().1 as i32;
    let (lo, hi) = if vmin < vmax {
        (vmin, vmax)
    } else {
        (vmin - 0.5, vmin + 0.5)
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top((rows.0 - base).max(0))
        .margin_bottom((base + height - rows.1).max(0))
        .margin_left((12.0 * s) as i32)
        .margin_right((6.0 * s) as i32)
        .y_label_area_size(0)
        .right_y_label_area_size((54.0 * s) as i32)
        .build_cartesian_2d(0.0..1.0, lo..hi)?
        .set_secondary_coord(0.0..1.0, lo..hi);
    let format = |v: &f64| tick(*v, (hi - lo).abs());
    chart
        .configure_secondary_axes()
        .axis_style(TEXT)
        .label_style(font(11.0 * s))
        .y_label_formatter(&format)
        .draw()?;
    let (x0, y0) = chart.backend_coord(&(0.0, hi));
    let (x1, y1) = chart.backend_coord(&(1.0, lo));
    placed.push(Placed {
        rect: [x0, y0, x1, y1],
        raster,
        class: "tessera-colorbar",
    });
    Ok(())
}

/// A tick label: short, without trailing zeros; scientific for very large or small values. A
/// value a billionth of the axis' `span` from zero is zero (a tick summed from a start and
/// steps misses it by rounding: `-2.2e-16` on an axis from -1 to 1).
fn tick(v: f64, span: f64) -> String {
    let a = v.abs();
    if v == 0.0 || a <= span * 1e-9 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{v:.1e}")
    } else {
        let text = format!("{v:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
