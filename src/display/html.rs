//! An [`Array`]'s rich display, as dask's: a table of the array's and one chunk's bytes and
//! shape, the task graph's size and the dtype, beside the SVG chunk grid. Shown when an array
//! is the last expression of a notebook cell (`evcxr_display`), or by [`display_array`].

use super::{chunk_grid_svg, escape, MimeBundle};
use crate::array::Array;
use crate::error::fmt_shape;
use crate::units::format_bytes;

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The HTML table and chunk grid of `array` (its error, for an invalid one).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let html = tessera::display::array_html(&random::normal([10000, 10000], [1000, 1000]));
/// assert!(html.contains("> 762.94 MiB </td>") && html.contains("> 7.63 MiB </td>"));
/// assert!(html.contains("100 chunks in 1 graph layer"));
/// ```
pub fn array_html(array: &Array) -> String {
    let node = match array.check() {
        Ok(_) => array.node().expect("checked"),
        Err(e) => {
            return format!(
                "<pre>tessera.Array&lt;invalid: {}&gt;</pre>",
                escape(&e.to_string())
            )
        }
    };
    let item = node.dtype.itemsize() as u64;
    let chunk = node.chunks.chunksize();
    let chunk_bytes = chunk.iter().product::<usize>() as u64 * item;
    let rows = [
        (
            "Bytes",
            format!(
                "<td> {} </td><td> {} </td>",
                format_bytes(array.nbytes() as u64),
                format_bytes(chunk_bytes)
            ),
        ),
        (
            "Shape",
            format!(
                "<td> {} </td><td> {} </td>",
                fmt_shape(&node.shape),
                fmt_shape(&chunk)
            ),
        ),
        (
            "Graph",
            format!(
                r#"<td colspan="2"> {} in {} </td>"#,
                plural(node.chunks.npartitions(), "chunk"),
                plural(node.plan_size(), "graph layer")
            ),
        ),
        (
            "Data type",
            format!(r#"<td colspan="2"> {} ndarray </td>"#, node.dtype),
        ),
    ];
    let cell = "padding:0.2em 0.8em;border:1px solid var(--jp-border-color2, #ddd);text-align:left";
    let mut table = format!(
        r#"<table style="border-collapse:collapse;color:var(--jp-ui-font-color1, inherit)"><thead><tr><td style="{cell}"> </td><th style="{cell}"> Array </th><th style="{cell}"> Chunk </th></tr></thead><tbody>"#
    );
    for (name, values) in rows {
        let values = values.replace("<td", &format!(r#"<td style="{cell}""#));
        table.push_str(&format!(
            r#"<tr><th style="{cell}"> {name} </th>{values}</tr>"#
        ));
    }
    table.push_str("</tbody></table>");
    format!(
        r#"<table style="border:none"><tr><td style="vertical-align:top;border:none">{table}</td><td style="border:none">{}</td></tr></table>"#,
        chunk_grid_svg(&node.chunks)
    )
}

/// `array`'s MIME bundle: dask's text repr and the HTML table with its chunk grid.
pub fn array_bundle(array: &Array) -> MimeBundle {
    MimeBundle::new()
        .with("text/plain", array.to_string())
        .with("text/html", array_html(array))
}

/// Shows `array`'s table and chunk grid now (in a notebook; its text repr elsewhere).
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// tessera::display::display_array(&ones([4, 4], 2));   // prints the repr outside a kernel
/// ```
pub fn display_array(array: &Array) {
    super::display(&array_bundle(array), None);
}

impl Array {
    /// The HTML table and SVG chunk grid a notebook shows for this array (see
    /// [`array_html`]).
    pub fn to_html(&self) -> String {
        array_html(self)
    }

    /// What evcxr (the kernel's evaluator) calls to show an array that ends a cell: writes the
    /// text repr and the HTML display in evcxr's content markers on stdout.
    pub fn evcxr_display(&self) {
        super::evcxr_content(&array_bundle(self));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn bytes_like_dask() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(922), "0.90 kiB");
        assert_eq!(format_bytes(921), "921 B");
        assert_eq!(format_bytes(1 << 30), "1.00 GiB");
        assert_eq!(format_bytes(1_200_000_000_000), "1.09 TiB");
    }

    #[test]
    fn layers_count_distinct_operations() {
        let x = ones([4, 4], 2);
        let y = (&x + &x).sum().unwrap();
        assert_eq!(
            y.node().unwrap().plan_size(),
            3,
            "ones, add, sum: x is shared"
        );
        assert!(array_html(&y).contains("1 chunk in 3 graph layers"));
    }

    #[test]
    fn invalid_arrays_show_their_error() {
        let bad = ones([2, 3], 2) + ones([4], 2);
        assert!(array_html(&bad)
            .starts_with("<pre>tessera.Array&lt;invalid: add: operands could not be broadcast"));
    }
}
