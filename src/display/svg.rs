//! The chunk grid of an array as SVG, as dask draws it beside an array's table: a bar for 1-D,
//! a grid for 2-D, a cube for 3-D, a row of those for more axes (groups of up to three axes,
//! the last three as a cube). Axis lengths are drawn to scale while their ratio is below 3 and
//! compressed beyond, so a (150000, 10) array is still visible. Chunk boundaries are lines; an
//! axis with more than [`MAX_LINES`] chunks is drawn as a denser fill without its inner lines.
//! Colours come from JupyterLab's theme variables, so the picture reads in light and dark themes.

use std::fmt::Write;

use crate::chunks::Chunks;

/// The longest side, in pixels.
const SIZE: f64 = 120.0;

/// Thickness of a 1-D bar, in pixels.
const BAR: f64 = 25.0;

/// More chunks than this along an axis: no inner lines.
pub const MAX_LINES: usize = 100;

/// Space between groups of axes and around labels, in pixels.
const GAP: f64 = 40.0;

/// Fill of the array's faces (dask's orange, translucent: readable on light and dark).
const FILL: &str = "#ECB172A0";
/// Fill of a face whose chunks are too many to draw.
const DENSE_FILL: &str = "#8B4903A0";

/// The SVG picture of `chunks`' grid, with every axis labelled by its length.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let y = random::normal([10000, 10000], [1000, 1000]);
/// let svg = tessera::display::chunk_grid_svg(y.chunks());
/// assert!(svg.starts_with("<svg"));
/// assert_eq!(svg.matches("<line").count(), 22);   // 11 boundaries on each axis
/// assert!(svg.contains(">10000</text>"));
/// ```
pub fn chunk_grid_svg(chunks: &Chunks) -> String {
    let axes: Vec<&[usize]> = (0..chunks.ndim()).map(|a| chunks.axis(a)).collect();
    let groups: Vec<&[&[usize]]> = match axes.len() {
        0 => vec![],
        n => {
            let first = match n % 3 {
                0 => 3,
                r => r,
            };
            std::iter::once(&axes[..first])
                .chain(axes[first..].chunks(3))
                .collect()
        }
    };
    let mut drawings: Vec<Drawing> = groups.iter().map(|group| draw_group(group)).collect();
    if drawings.is_empty() {
        drawings.push(Drawing::scalar());
    }
    compose(&drawings)
}

/// Part of the picture in its own coordinates, origin top left, drawn `left` px from the
/// left edge of its slot (room for labels on the left, or to centre a narrow grid); `width`
/// includes `left`.
struct Drawing {
    left: f64,
    width: f64,
    height: f64,
    lines: String,
    faces: String,
    labels: String,
}

impl Drawing {
    fn new(width: f64, height: f64) -> Drawing {
        Drawing {
            left: 0.0,
            width,
            height,
            lines: String::new(),
            faces: String::new(),
            labels: String::new(),
        }
    }

    /// A 0-d array: one small square.
    fn scalar() -> Drawing {
        let mut d = Drawing::new(BAR, BAR);
        d.face(&[(0.0, 0.0), (BAR, 0.0), (BAR, BAR), (0.0, BAR)], false);
        d.outline(&[(0.0, 0.0), (BAR, 0.0), (BAR, BAR), (0.0, BAR)]);
        d
    }

    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), outer: bool) {
        let width = if outer {
            " style=\"stroke-width:2\""
        } else {
            ""
        };
        let _ = writeln!(
            self.lines,
            r#"  <line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}"{width} />"#
        );
    }

    fn outline(&mut self, corners: &[(f64, f64)]) {
        for i in 0..corners.len() {
            self.line(corners[i], corners[(i + 1) % corners.len()], true);
        }
    }

    fn face(&mut self, corners: &[(f64, f64)], dense: bool) {
        let points: Vec<String> = corners
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let fill = if dense { DENSE_FILL } else { FILL };
        let _ = writeln!(
            self.faces,
            r#"  <polygon points="{}" style="fill:{fill};stroke-width:0" />"#,
            points.join(" ")
        );
    }

    fn label(&mut self, (x, y): (f64, f64), text: usize, rotate: f64) {
        let transform = if rotate != 0.0 {
            format!(r#" transform="rotate({rotate},{x:.1},{y:.1})""#)
        } else {
            String::new()
        };
        let _ = writeln!(
            self.labels,
            r#"  <text x="{x:.1}" y="{y:.1}"{transform}>{text}</text>"#
        );
    }
}

/// Pixel lengths of axes of these lengths: exact ratios up to 3, compressed beyond.
fn pixel_sizes(lengths: &[usize]) -> Vec<f64> {
    let longest = lengths.iter().copied().max().unwrap_or(1).max(1) as f64;
    lengths
        .iter()
        .map(|&n| {
            let ratio = n.max(1) as f64 / longest;
            let shown = if ratio >= 1.0 / 3.0 {
                ratio
            } else {
                (3.0 * ratio).powf(0.35) / 3.0
            };
            SIZE * shown.max(0.08)
        })
        .collect()
}

/// Positions of an axis's chunk boundaries over `pixels` (just the two ends when there are
/// more than [`MAX_LINES`] chunks), and whether it was too dense to draw.
fn boundaries(chunks: &[usize], pixels: f64) -> (Vec<f64>, bool) {
    let total: usize = chunks.iter().sum();
    if chunks.len() > MAX_LINES || total == 0 {
        return (vec![0.0, pixels], chunks.len() > MAX_LINES);
    }
    let mut at = 0usize;
    let mut out = vec![0.0];
    for c in chunks {
        at += c;
        out.push(pixels * at as f64 / total as f64);
    }
    (out, false)
}

fn draw_group(axes: &[&[usize]]) -> Drawing {
    let lengths: Vec<usize> = axes.iter().map(|a| a.iter().sum()).collect();
    match axes {
        [single] => {
            let width = SIZE;
            draw_grid(&[1], single, BAR, width, lengths[0], None)
        }
        [rows, cols] => {
            let px = pixel_sizes(&lengths);
            draw_grid(rows, cols, px[0], px[1], lengths[1], Some(lengths[0]))
        }
        [depth, rows, cols] => draw_cube(depth, rows, cols, &lengths),
        _ => unreachable!("groups have one to three axes"),
    }
}

/// A flat grid `height` × `width` px: `rows` chunks down, `cols` across; labels below (the
/// columns' length) and at the right (the rows' length, if any).
fn draw_grid(
    rows: &[usize],
    cols: &[usize],
    height: f64,
    width: f64,
    cols_len: usize,
    rows_len: Option<usize>,
) -> Drawing {
    // A narrow grid is centred in room enough for its label below.
    let left = ((GAP - width) / 2.0).max(0.0);
    let mut d = Drawing::new(left + width + GAP, height + GAP);
    d.left = left;
    let (ys, dense_rows) = boundaries(rows, height);
    let (xs, dense_cols) = boundaries(cols, width);
    d.face(
        &[(0.0, 0.0), (width, 0.0), (width, height), (0.0, height)],
        dense_rows || dense_cols,
    );
    for (i, &y) in ys.iter().enumerate() {
        d.line((0.0, y), (width, y), i == 0 || i == ys.len() - 1);
    }
    for (i, &x) in xs.iter().enumerate() {
        d.line((x, 0.0), (x, height), i == 0 || i == xs.len() - 1);
    }
    d.label((width / 2.0, height + 20.0), cols_len, 0.0);
    if let Some(rows_len) = rows_len {
        d.label((width + 20.0, height / 2.0), rows_len, -90.0);
    }
    d
}

/// A cube in oblique projection: the front face is rows × cols, `depth` recedes up and right.
fn draw_cube(depth: &[usize], rows: &[usize], cols: &[usize], lengths: &[usize]) -> Drawing {
    let px = pixel_sizes(lengths);
    let (dz, h, w) = (px[0] * 0.5, px[1], px[2]);
    // Room on the left for the depth label along the receding edge.
    let mut d = Drawing::new(GAP / 2.0 + w + dz + GAP, h + dz + GAP);
    d.left = GAP / 2.0;
    let (zs, dense_z) = boundaries(depth, dz);
    let (ys, dense_y) = boundaries(rows, h);
    let (xs, dense_x) = boundaries(cols, w);
    let outer = |i: usize, n: usize| i == 0 || i == n - 1;
    // Front face: origin at (0, dz).
    d.face(
        &[(0.0, dz), (w, dz), (w, dz + h), (0.0, dz + h)],
        dense_y || dense_x,
    );
    // Top face: from the front's top edge back to y = 0.
    d.face(
        &[(0.0, dz), (dz, 0.0), (dz + w, 0.0), (w, dz)],
        dense_z || dense_x,
    );
    // Right face: from the front's right edge back to x = w + dz.
    d.face(
        &[(w, dz), (w + dz, 0.0), (w + dz, h), (w, dz + h)],
        dense_z || dense_y,
    );
    for (i, &y) in ys.iter().enumerate() {
        d.line((0.0, dz + y), (w, dz + y), outer(i, ys.len()));
        d.line((w, dz + y), (w + dz, y), outer(i, ys.len()));
    }
    for (i, &x) in xs.iter().enumerate() {
        d.line((x, dz), (x, dz + h), outer(i, xs.len()));
        d.line((x, dz), (x + dz, 0.0), outer(i, xs.len()));
    }
    for (i, &z) in zs.iter().enumerate() {
        d.line((z, dz - z), (w + z, dz - z), outer(i, zs.len()));
        d.line((w + z, dz - z), (w + z, dz - z + h), outer(i, zs.len()));
    }
    d.label((w / 2.0, dz + h + 20.0), lengths[2], 0.0);
    d.label((w + dz + 20.0, dz / 2.0 + h / 2.0), lengths[1], -90.0);
    // Outside the receding top-left edge, from (0, dz) to (dz, 0), along its normal.
    d.label((dz / 2.0 - 9.0, dz / 2.0 - 9.0), lengths[0], -45.0);
    d
}

/// The drawings side by side, with the theme's colours.
fn compose(drawings: &[Drawing]) -> String {
    let width: f64 = drawings.iter().map(|d| d.width).sum::<f64>() + 10.0;
    // 20 px above the drawings for labels that lean out of them (a cube's depth).
    let height = drawings.iter().map(|d| d.height).fold(0.0, f64::max) + 25.0;
    let mut svg = format!(
        r#"<svg width="{width:.0}" height="{height:.0}" viewBox="-5 -20 {width:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg" style="stroke:var(--jp-ui-font-color1, #333)">"#
    );
    svg.push('\n');
    let mut x = 0.0;
    for d in drawings {
        let _ = writeln!(svg, r#"<g transform="translate({:.1},0)">"#, x + d.left);
        svg.push_str(&d.faces);
        svg.push_str(&d.lines);
        let _ = writeln!(
            svg,
            r#"<g style="stroke:none;fill:var(--jp-ui-font-color1, #333);font-size:1.0rem;font-weight:100" text-anchor="middle">"#
        );
        svg.push_str(&d.labels);
        svg.push_str("</g>\n</g>\n");
        x += d.width;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_up_to_three_are_exact_then_compressed() {
        let px = pixel_sizes(&[10000, 5000, 3334]);
        assert_eq!(px[0], SIZE);
        assert!((px[1] - SIZE / 2.0).abs() < 1e-9);
        assert!((px[2] - SIZE * 0.3334).abs() < 1e-9);
        let px = pixel_sizes(&[150000, 10]);
        assert!(px[1] >= SIZE * 0.08 && px[1] < SIZE * 0.1, "{px:?}");
        let px = pixel_sizes(&[1000, 100]);
        assert!(
            px[1] > SIZE * 0.1 && px[1] < SIZE / 3.0,
            "compressed, still smaller: {px:?}"
        );
    }

    #[test]
    fn boundaries_follow_uneven_chunks() {
        assert_eq!(
            boundaries(&[5, 5, 10], 100.0),
            (vec![0.0, 25.0, 50.0, 100.0], false)
        );
        assert_eq!(boundaries(&[1; 101], 100.0), (vec![0.0, 100.0], true));
    }
}
