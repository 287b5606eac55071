//! Array displays: the SVG chunk grid and the HTML table are well-formed XML with the expected
//! lines, labels and values, for 0-D to 5-D arrays.

use roxmltree::Document;
use tessera::display::{array_html, chunk_grid_svg, MAX_LINES};
use tessera::prelude::*;

fn svg_of(shape: &[usize], chunks: &[usize]) -> String {
    chunk_grid_svg(zeros(shape.to_vec(), chunks.to_vec()).chunks())
}

fn count(doc: &Document, tag: &str) -> usize {
    doc.descendants().filter(|n| n.has_tag_name(tag)).count()
}

fn labels(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn one_dimension_is_a_bar_with_a_line_per_boundary() {
    let svg = svg_of(&[100], &[10]);
    let doc = Document::parse(&svg).expect("well-formed SVG");
    // 2 horizontal lines (top, bottom) + 11 vertical boundaries.
    assert_eq!(count(&doc, "line"), 13);
    assert_eq!(labels(&doc), ["100"]);
}

#[test]
fn two_dimensions_are_a_grid_labelled_on_two_sides() {
    let svg = svg_of(&[10000, 10000], &[1000, 1000]);
    let doc = Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(count(&doc, "line"), 22);
    assert_eq!(count(&doc, "polygon"), 1);
    assert_eq!(labels(&doc), ["10000", "10000"]);
    let uneven = svg_of(&[10, 7], &[4, 7]);
    let doc = Document::parse(&uneven).unwrap();
    assert_eq!(count(&doc, "line"), 4 + 2, "rows 0,4,8,10 and columns 0,7");
}

#[test]
fn three_dimensions_are_a_cube_with_three_faces() {
    let svg = svg_of(&[4, 6, 8], &[2, 3, 4]);
    let doc = Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(count(&doc, "polygon"), 3);
    // Each boundary of an axis is drawn on the two faces that show that axis.
    assert_eq!(count(&doc, "line"), 2 * (3 + 3 + 3));
    assert_eq!(labels(&doc), ["8", "6", "4"]);
}

#[test]
fn more_dimensions_are_a_row_of_groups() {
    let four = Document::parse(&svg_of(&[2, 4, 6, 8], &[1, 2, 3, 4]))
        .map(|d| (count(&d, "g"), labels(&d)))
        .unwrap();
    // A bar for axis 0, a cube for axes 1-3; each group has its label group.
    assert_eq!(four.0, 4);
    assert_eq!(four.1, ["2", "8", "6", "4"]);
    let five_svg = svg_of(&[2, 3, 4, 5, 6], &[1, 1, 2, 5, 3]);
    let five = Document::parse(&five_svg).unwrap();
    assert_eq!(
        labels(&five),
        ["3", "2", "6", "5", "4"],
        "a grid for axes 0-1, a cube for 2-4"
    );
    assert_eq!(count(&five, "polygon"), 1 + 3);
}

#[test]
fn huge_grids_do_not_draw_every_line() {
    let svg = svg_of(&[1_000_000, 1000], &[100, 1000]);
    let doc = Document::parse(&svg).unwrap();
    // The grid has more lines on its first axis than a drawing takes.
    const _: () = assert!(10_000 > MAX_LINES);
    assert_eq!(
        count(&doc, "line"),
        4,
        "only the outline of the dense axis and the other's two ends"
    );
    assert!(
        svg.contains("#8B4903"),
        "a denser fill says the chunks are too many to draw"
    );
}

#[test]
fn scalars_draw_a_square() {
    let svg = chunk_grid_svg(ones([4], 2).sum().unwrap().chunks());
    let doc = Document::parse(&svg).unwrap();
    assert_eq!(count(&doc, "polygon"), 1);
}

#[test]
fn html_table_has_array_and_chunk_columns() {
    let y = random::normal([10000, 10000], [1000, 1000])
        .mean_axis(0)
        .unwrap();
    let html = array_html(&y);
    let doc = Document::parse(&html).expect("well-formed HTML (XHTML-compatible)");
    let cells: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("td") || n.has_tag_name("th"))
        .filter(|n| n.children().all(|c| c.is_text()))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect();
    assert_eq!(
        cells,
        [
            "",
            "Array",
            "Chunk",
            "Bytes",
            "78.12 kiB",
            "7.81 kiB",
            "Shape",
            "(10000,)",
            "(1000,)",
            "Graph",
            "10 chunks in 2 graph layers",
            "Data type",
            "float64 ndarray"
        ]
    );
    assert_eq!(count(&doc, "svg"), 1);
}
