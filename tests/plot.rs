//! tessera::plot: outputs parsed (SVG elements, PNG pixels and sizes), histograms against
//! numpy's, colours against matplotlib's (pinned by scripts/plot-expected.py), overviews
//! against the selections they stand for, and bad input.

mod pinned;

use serde_json::Value;
use tessera::plot::{
    histogram, overview, Colormap, Figure, HistOptions, ImageOptions, Origin, OverviewKind, Scale,
};
use tessera::prelude::*;

fn expected() -> Value {
    serde_json::from_str(include_str!("data/plot_expected.json")).unwrap()
}

fn f64s(v: &Value) -> Vec<f64> {
    let p = pinned::pinned(v);
    p.values
        .iter()
        .map(|b| f64::from_bits(u64::from_str_radix(b.as_str().unwrap(), 16).unwrap()))
        .collect()
}

/// The decoded PNG: width, height, RGB bytes.
fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Where the SVG puts the figure's image: x, y, width, height.
fn image_rect(svg: &str) -> [f64; 4] {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let node = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("tessera-image"))
        .expect("an image");
    ["x", "y", "width", "height"].map(|a| node.attribute(a).unwrap().parse::<f64>().unwrap())
}

fn count(svg: &str, tag: &str, class: Option<&str>) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .filter(|n| class.is_none_or(|c| n.attribute("class") == Some(c)))
        .count()
}

#[test]
fn histograms_match_numpy_on_every_dtype_and_chunking() {
    for case in expected()["hist"].as_array().unwrap() {
        let input = pinned::pinned(&case["input"]);
        let range = case["range"]
            .as_array()
            .map(|r| (r[0].as_f64().unwrap(), r[1].as_f64().unwrap()));
        let bins = case["bins"].as_u64().unwrap() as usize;
        let want: Vec<u64> = case["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        for chunks in [3, 7, 200] {
            let x = pinned::array(&input, chunks);
            let what = format!(
                "{:?} {:?} bins {bins} range {range:?} chunks {chunks}",
                input.dtype, input.shape
            );
            // A source is streamed in blocks of its own; a concatenation keeps the chunks
            // (3 and 7 here), so both block paths are checked.
            let n = input.shape[0];
            let joined = concatenate(
                &[x.slice(s![..n / 2]).unwrap(), x.slice(s![n / 2..]).unwrap()],
                0,
            )
            .unwrap();
            for x in [&x, &joined] {
                let h = histogram(x, bins, range).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(h.counts, want, "{what}: counts");
                assert_eq!(h.edges, f64s(&case["edges"]), "{what}: edges");
                let density = f64s(&case["density"]);
                for (got, want) in h.density().iter().zip(&density) {
                    assert!(
                        (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                        "{what}: density {got} vs {want}"
                    );
                }
            }
        }
    }
}

#[test]
fn image_pixels_have_matplotlibs_colours() {
    for case in expected()["image"].as_array().unwrap() {
        let cmap = Colormap::from_name(case["cmap"].as_str().unwrap()).unwrap();
        let x = pinned::array(&pinned::pinned(&case["input"]), 2);
        let want: Vec<u8> = case["rgba"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u8)
            .collect();
        let options = ImageOptions::new().cmap(cmap).vmin(0.5).vmax(4.5);
        let mut fig = Figure::new().size(6.0, 4.0);
        fig.ax().imshow_with(&x, &options).unwrap();
        // On white, opaque pixels keep their colour; the NaN pixel shows the white below.
        let (w, h, rgb) = decode(&fig.png().unwrap());
        assert_eq!((w, h), (600, 400));
        let [left, top, width, height] = image_rect(&fig.svg().unwrap());
        assert!(
            (width / height - 1.5).abs() < 0.02,
            "equal aspect: {width} x {height}"
        );
        for (k, want) in want.chunks(4).enumerate() {
            let (row, col) = (k / 3, k % 3);
            let px = (left + (col as f64 + 0.5) * width / 3.0) as usize;
            let py = (top + (row as f64 + 0.5) * height / 2.0) as usize;
            let at = (py * w as usize + px) * 3;
            let got = &rgb[at..at + 3];
            let expect = if want[3] == 0 {
                &[255, 255, 255][..]
            } else {
                &want[..3]
            };
            assert_eq!(got, expect, "{cmap:?} pixel ({row}, {col})");
        }
    }
}

#[test]
fn line_figures_are_svg_with_one_polyline_a_series_and_a_legend() {
    let mut fig = Figure::new();
    let ax = fig.ax();
    ax.plot(linspace(0.0, 1.0, 30, 7)).unwrap().label("ramp");
    ax.plot_xy(vec![0.0, 10.0, 20.0], vec![1.0, f64::NAN, 0.5])
        .unwrap()
        .label("xy");
    ax.plot(from_array(ndarray::Array2::<f64>::eye(3).into_dyn(), 3))
        .unwrap();
    ax.title("lines").xlabel("index").ylabel("value");
    let svg = fig.svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(
        (root.attribute("width"), root.attribute("height")),
        (Some("640"), Some("480"))
    );
    // The series' lines are in the palette's colours (axes and ticks are grey).
    let palette = ["#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD"];
    let series = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "polyline")
        .filter(|n| palette.contains(&n.attribute("stroke").unwrap_or_default()))
        .count();
    assert_eq!(series, 5, "2 series + 3 columns of a 2-D array");
    for text in ["lines", "index", "value", "ramp", "xy"] {
        assert!(
            doc.descendants()
                .any(|n| n.text().map(str::trim) == Some(text)),
            "{text} shown"
        );
    }
    assert!(!fig.has_image() && fig.bundle().get("image/svg+xml").is_some());
    assert!(fig.bundle().get("image/png").is_none());
}

#[test]
fn histograms_draw_one_bar_a_nonempty_bin_and_log_axes() {
    let x = random::Rng::new(5).normal(0.0, 1.0, [20000], [3000]);
    let mut fig = Figure::grid(1, 2).dpi(50.0);
    let bars = fig.at(0, 0).unwrap().hist(&x, 25).unwrap();
    let nonempty = bars.y().iter().filter(|&&c| c > 0.0).count();
    assert_eq!(bars.y().iter().sum::<f64>(), 20000.0);
    bars.color([10, 20, 30]);
    let options = HistOptions::new(8).range(-2.0, 2.0).density(true).log(true);
    let dense = fig.at(0, 1).unwrap().hist_with(&x, &options).unwrap();
    let width = 0.5;
    let area: f64 = dense.y().iter().map(|d| d * width).sum();
    assert!(
        (area - 1.0).abs() < 1e-12,
        "density integrates to 1: {area}"
    );
    assert_eq!(fig.pixels(), (480, 240));
    let svg = fig.svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let ours = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "rect" && n.attribute("fill") == Some("#0A141E"))
        .count();
    assert_eq!(ours, nonempty, "one rectangle a nonempty bin");
    assert_eq!(fig.at(0, 1).unwrap().series()[0].y().len(), 8);
}

#[test]
fn a_tick_at_zero_reads_0_not_a_rounding_residue() {
    // The y ticks of sin over 0..10 in this cell step by 0.2 from -1: the fifth is 2.2e-16.
    let t: Vec<f64> = (0..400).map(|i| i as f64 / 40.0).collect();
    let mut fig = Figure::grid(2, 2).size(7.6, 5.6);
    let sin: Vec<f64> = t.iter().map(|x| x.sin()).collect();
    fig.at(0, 0).unwrap().plot_xy(&t, sin).unwrap();
    let svg = fig.svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "text")
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        labels.contains(&"0") && labels.contains(&"-1"),
        "{labels:?}"
    );
    assert!(!labels.iter().any(|l| l.contains("e-")), "{labels:?}");
}

#[test]
fn images_are_one_png_with_a_colorbar_and_the_figure_shows_as_png() {
    let y = random::normal([300, 200], [100, 70]);
    let options = ImageOptions::new()
        .cmap(Colormap::RdBu)
        .percentiles(2.0, 98.0)
        .colorbar(true);
    let mut fig = Figure::new().dpi(80.0);
    fig.ax().imshow_with(&y, &options).unwrap().title("noise");
    let svg = fig.svg().unwrap();
    assert_eq!(count(&svg, "image", Some("tessera-image")), 1);
    assert_eq!(count(&svg, "image", Some("tessera-colorbar")), 1);
    assert!(count(&svg, "rect", None) < 50, "no rectangle a pixel");
    let bundle = fig.bundle();
    let png = bundle.get("image/png").expect("a PNG for images");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png)
        .unwrap();
    assert_eq!(decode(&bytes).0, 512);
    let dir = std::env::temp_dir().join(format!("tessera-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    fig.save(dir.join("f.png")).unwrap();
    fig.save(dir.join("f.svg")).unwrap();
    assert_eq!(decode(&std::fs::read(dir.join("f.png")).unwrap()).1, 384);
    assert!(std::fs::read_to_string(dir.join("f.svg"))
        .unwrap()
        .contains("tessera-colorbar"));
    let err = fig.save(dir.join("f.jpg")).unwrap_err().to_string();
    assert!(err.contains("should end in .png or .svg"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn rgb_images_origin_and_extent() {
    // A 2×2 RGB image: red, green / blue, white; floats in [0, 1] and integers in [0, 255].
    let float = ndarray::arr3(&[
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
        [[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]],
    ]);
    let int = float.mapv(|v| (v * 255.0) as i64);
    for data in [
        from_array(float.into_dyn(), 1),
        from_array(int.into_dyn(), 2),
    ] {
        for origin in [Origin::Upper, Origin::Lower] {
            let mut fig = Figure::new().size(4.0, 4.0);
            let options = ImageOptions::new()
                .origin(origin)
                .extent([0.0, 2.0, 0.0, 2.0]);
            fig.ax().imshow_with(&data, &options).unwrap();
            let (w, _, rgb) = decode(&fig.png().unwrap());
            let [left, top, width, height] = image_rect(&fig.svg().unwrap());
            let at = |fx: f64, fy: f64| {
                let (x, y) = ((left + fx * width) as usize, (top + fy * height) as usize);
                rgb[(y * w as usize + x) * 3..][..3].to_vec()
            };
            let top_left = if origin == Origin::Upper {
                vec![255, 0, 0]
            } else {
                vec![0, 0, 255]
            };
            assert_eq!(at(0.25, 0.25), top_left, "{origin:?}");
            assert_eq!(
                at(0.75, 0.75),
                if origin == Origin::Upper {
                    vec![255, 255, 255]
                } else {
                    vec![0, 255, 0]
                }
            );
        }
    }
}

#[test]
fn pcolormesh_heatmap_scatter_and_log_axes_draw() {
    let c = arange(0, 6, 1, 4).reshape([2, 3]).unwrap();
    let mut fig = Figure::grid(2, 2);
    fig.at(0, 0)
        .unwrap()
        .pcolormesh(
            vec![0.0, 1.0, 10.0, 100.0],
            vec![-1.0, 0.0],
            &c,
            &ImageOptions::new(),
        )
        .unwrap();
    fig.at(0, 1)
        .unwrap()
        .heatmap(&c, &ImageOptions::new().colorbar(true))
        .unwrap();
    fig.at(1, 0)
        .unwrap()
        .scatter(vec![1.0, 2.0, 3.0], vec![3.0, 1.0, 2.0])
        .unwrap();
    let ax = fig.at(1, 1).unwrap();
    ax.plot_xy(vec![1.0, 10.0, 100.0], vec![1.0, 100.0, 1e4])
        .unwrap();
    ax.xscale(Scale::Log).yscale(Scale::Log);
    let svg = fig.svg().unwrap();
    assert_eq!(count(&svg, "image", Some("tessera-image")), 2);
    assert_eq!(count(&svg, "image", Some("tessera-colorbar")), 1);
    assert_eq!(count(&svg, "circle", None), 3);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(
        texts.contains(&"10000") && texts.contains(&"100"),
        "log ticks: {texts:?}"
    );
    let err = Figure::new()
        .ax()
        .pcolormesh(
            vec![0.0, 2.0, 1.0, 3.0],
            vec![0.0, 1.0],
            &c,
            &ImageOptions::new(),
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x values must be finite and increasing"),
        "{err}"
    );
    let err = Figure::new()
        .ax()
        .pcolormesh(vec![0.0, 1.0], vec![0.0, 1.0], &c, &ImageOptions::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x needs 4 edges or 3 centres for 3 cells, got 2 values"),
        "{err}"
    );
}

#[test]
fn strided_overviews_equal_the_strided_slice() {
    let x = random::Rng::new(9).normal(0.0, 1.0, [1003, 2001], [300, 700]);
    let o = overview(&x, [100, 100]).unwrap();
    assert_eq!(o.kind, OverviewKind::Strided { step: [11, 21] });
    let want = x
        .slice(s![..;11, ..;21])
        .unwrap()
        .compute()
        .unwrap()
        .to_ndarray::<f64>();
    assert_eq!(o.values, want);
    // Elementwise functions of sources stay strided; the whole array when it fits.
    let y = (&x * 2.0).exp();
    assert_eq!(
        overview(&y, [100, 100]).unwrap().kind,
        OverviewKind::Strided { step: [11, 21] }
    );
    assert_eq!(
        overview(&x, [2000, 3000]).unwrap().kind,
        OverviewKind::Whole
    );
}

#[test]
fn block_mean_overviews_equal_numpys_block_means() {
    // A reduction is not a source: block means, over blocks that do not align with pixels.
    let x = random::Rng::new(3)
        .uniform(0.0, 1.0, [2, 50, 70], [2, 7, 3])
        .sum_axis(0)
        .unwrap();
    let eager = x.compute().unwrap().to_ndarray::<f64>();
    for chunked in [x.clone(), x.rechunk([3, 7]).unwrap()] {
        let o = overview(&chunked, [10, 10]).unwrap();
        assert_eq!(o.kind, OverviewKind::BlockMean { size: [5, 7] });
        assert_eq!(o.values.shape(), &[10, 10]);
        for i in 0..10 {
            for j in 0..10 {
                let block = eager.slice(s![i * 5..(i + 1) * 5, j * 7..(j + 1) * 7]);
                let mean = block.sum() / block.len() as f64;
                assert!((o.values[[i, j]] - mean).abs() < 1e-12, "pixel ({i}, {j})");
            }
        }
    }
    let mut fig = Figure::new();
    fig.ax()
        .imshow(
            x.rechunk([3, 7])
                .unwrap()
                .mean_axis(1)
                .unwrap()
                .reshape([10, 5])
                .unwrap(),
        )
        .unwrap();
    assert_eq!(fig.ax().note(), None, "small enough: the whole array");
}

#[test]
fn bad_input_gives_clear_errors() {
    let mut fig = Figure::new();
    let ax = fig.ax();
    let cube = ones([4, 5, 6], 2);
    let err = ax.imshow(&cube).unwrap_err().to_string();
    assert!(
        err.contains("a 3-D image is RGB or RGBA") && err.contains("(4, 5, 6)"),
        "{err}"
    );
    let err = ax.imshow(ones([2, 2, 2, 2], 2)).unwrap_err().to_string();
    assert!(
        err.contains("takes a 2-D array, or a 3-D RGB(A) one"),
        "{err}"
    );
    let err = ax.imshow(zeros([0, 3], 2)).unwrap_err().to_string();
    assert!(
        err.contains("nothing to draw: the data is empty (shape (0, 3))"),
        "{err}"
    );
    let nan = full([3, 3], f64::NAN, 2);
    let err = ax.imshow(&nan).unwrap_err().to_string();
    assert!(
        err.contains("no finite values to colour: all 9 values are NaN or ±inf"),
        "{err}"
    );
    let err = ax.hist(&nan, 10).unwrap_err().to_string();
    assert!(
        err.contains("no finite values to bin: all 9 values are NaN or ±inf"),
        "{err}"
    );
    let err = ax.hist(zeros([0], 2), 10).unwrap_err().to_string();
    assert!(err.contains("the data is empty"), "{err}");
    let err = ax.hist(ones([3], 2), 0).unwrap_err().to_string();
    assert!(err.contains("bins must be at least 1, got 0"), "{err}");
    let err = ax
        .hist_with(ones([3], 2), &HistOptions::new(3).range(2.0, 1.0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("range (2, 1)"), "{err}");
    let err = ax
        .plot(nan.slice(s![0, ..]).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("nothing to draw: all 3 values are NaN"),
        "{err}"
    );
    let err = ax
        .scatter(vec![1.0, 2.0], vec![1.0])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x and y must have the same length, got 2 and 1"),
        "{err}"
    );
    let err = ax
        .plot(&(ones([2], 2) + ones([3], 3)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("could not be broadcast"), "{err}");
    assert!(Colormap::from_name("jet")
        .unwrap_err()
        .to_string()
        .contains("viridis, magma, gray, RdBu"));
    // numpy: empty data bins over (0, 1).
    assert_eq!(
        histogram(zeros([0], 2), 2, None).unwrap().edges,
        vec![0.0, 0.5, 1.0]
    );
}

#[test]
fn zarr_overviews_decode_each_store_chunk_once() {
    use tessera::diagnostics::Profiler;
    let dir = std::env::temp_dir().join(format!("tessera-plot-zarr-{}", std::process::id()));
    let x = random::Rng::new(1).normal(0.0, 1.0, [600, 400], [100, 100]);
    x.to_zarr(&dir).unwrap();
    let stored = tessera::io::from_zarr(&dir).unwrap();
    assert_eq!(stored.chunksize(), vec![100, 100]);
    let profiler = std::sync::Arc::new(Profiler::new());
    let o = {
        let _guard = tessera::diagnostics::register(profiler.clone());
        overview(&stored, [50, 50]).unwrap()
    };
    assert_eq!(o.kind, OverviewKind::BlockMean { size: [12, 8] });
    let reads = profiler
        .results()
        .iter()
        .filter(|t| t.operation == "from-zarr")
        .count();
    assert_eq!(reads, 24, "each of the 6 × 4 store chunks read once");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn streamed_random_histograms_equal_the_computed_values_histogram() {
    // Generated in small blocks of the source, not its 2 chunks: the same values, counted.
    let x = random::Rng::new(11).normal(0.0, 1.0, [300000, 2], [150000, 2]);
    let eager = x.compute().unwrap();
    for range in [None, Some((-3.0, 3.0))] {
        assert_eq!(
            histogram(&x, 33, range).unwrap(),
            histogram(&eager, 33, range).unwrap()
        );
    }
}

#[test]
fn the_summary_says_which_overview_a_figure_shows() {
    // The recipe notebook's `y`: 10000² in a 640 × 480 figure.
    let fig = tessera::plot::imshow(random::normal([10000, 10000], [1000, 1000])).unwrap();
    assert_eq!(
        fig.summary(),
        "<Figure size 640x480 with 1 axes: image (overview: 1 in 26 rows, 1 in 19 columns)>"
    );
    assert_eq!(
        Figure::new().summary(),
        "<Figure size 640x480 with 1 axes: empty>"
    );
}
