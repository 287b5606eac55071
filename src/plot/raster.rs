//! Pixels: an image's values turned into RGBA bytes (colormapped, or RGB(A) as given),
//! resampled to a size, and encoded as one PNG — an image of a million pixels is one PNG, not
//! a million SVG rectangles.

use base64::Engine;
use ndarray::{ArrayView2, ArrayView3, Axis};

use super::Colormap;
use crate::error::{Error, Result};

/// RGBA pixels, rows top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Raster {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) rgba: Vec<u8>,
}

impl Raster {
    /// `values` coloured by `cmap` between `vmin` and `vmax` (matplotlib's `Normalize`: every
    /// value maps to 0 when they are equal); NaN is transparent.
    pub(crate) fn colormapped(
        values: ArrayView2<'_, f64>,
        cmap: Colormap,
        vmin: f64,
        vmax: f64,
    ) -> Raster {
        let (height, width) = values.dim();
        let mut rgba = Vec::with_capacity(width * height * 4);
        let span = vmax - vmin;
        for &v in values.iter() {
            if v.is_nan() {
                rgba.extend_from_slice(&[0, 0, 0, 0]);
                continue;
            }
            let t = if span > 0.0 { (v - vmin) / span } else { 0.0 };
            let [r, g, b] = cmap.rgb(t);
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
        Raster {
            width,
            height,
            rgba,
        }
    }

    /// An RGB or RGBA image (last axis 3 or 4) as matplotlib reads one: floats in [0, 1],
    /// integers in [0, 255], both clipped to their range; NaN is transparent.
    ///
    /// **Errors**: a last axis other than 3 or 4.
    pub(crate) fn from_rgb(values: ArrayView3<'_, f64>, float: bool) -> Result<Raster> {
        let (height, width, channels) = values.dim();
        if channels != 3 && channels != 4 {
            return Err(Error::InvalidArgument {
                op: "imshow",
                reason: format!(
                    "a 3-D image is RGB or RGBA: its last axis has length 3 or 4, not {channels} \
                     (shape ({height}, {width}, {channels})); for a stack of images show one \
                     2-D slice at a time"
                ),
            });
        }
        let scale = if float { 255.0 } else { 1.0 };
        let mut rgba = Vec::with_capacity(width * height * 4);
        for pixel in values.lanes(Axis(2)) {
            if pixel.iter().any(|v| v.is_nan()) {
                rgba.extend_from_slice(&[0, 0, 0, 0]);
                continue;
            }
            for &v in pixel {
                rgba.push((v * scale).round().clamp(0.0, 255.0) as u8);
            }
            if channels == 3 {
                rgba.push(255);
            }
        }
        Ok(Raster {
            width,
            height,
            rgba,
        })
    }

    /// A vertical colour bar: `cmap` from its top entry (row 0) to its bottom one.
    pub(crate) fn colorbar(cmap: Colormap) -> Raster {
        let values = ndarray::Array2::from_shape_fn((256, 1), |(i, _)| (255 - i) as f64 / 255.0);
        Raster::colormapped(values.view(), cmap, 0.0, 1.0)
    }

    /// The rows in the other order (an image shown with `origin = Lower`).
    pub(crate) fn flipped(mut self) -> Raster {
        let row = self.width * 4;
        let rows: Vec<&[u8]> = self.rgba.chunks(row.max(1)).rev().collect();
        self.rgba = rows.concat();
        self
    }

    /// The pixel at column `x`, row `y`.
    pub(crate) fn pixel(&self, x: usize, y: usize) -> [u8; 4] {
        let at = (y * self.width + x) * 4;
        [
            self.rgba[at],
            self.rgba[at + 1],
            self.rgba[at + 2],
            self.rgba[at + 3],
        ]
    }

    /// The image as PNG bytes.
    pub(crate) fn png(&self) -> Vec<u8> {
        encode_png(&self.rgba, self.width, self.height, png::ColorType::Rgba)
    }

    /// The PNG as a `data:` URI, for an SVG `<image>`.
    pub(crate) fn data_uri(&self) -> String {
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(self.png())
        )
    }
}

/// `pixels` (`width` × `height`, rows top to bottom) as PNG bytes.
pub(crate) fn encode_png(
    pixels: &[u8],
    width: usize,
    height: usize,
    colour: png::ColorType,
) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width.max(1) as u32, height.max(1) as u32);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        // Writing into a Vec fails only for a size that does not match, which callers make.
        let written = encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(pixels));
        debug_assert!(written.is_ok(), "{written:?}");
    }
    out
}
