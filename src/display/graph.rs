//! Task graph pictures, drawn without graphviz: [`Array::visualize`] (the logical plan, one box
//! per operation), [`Array::visualize_optimized`] (the plan before and after the optimizer) and
//! [`Array::visualize_tasks`] (one box per chunk task; layers with counts for big graphs).
//!
//! The layout is layered, data flowing bottom to top as in dask's pictures: a node's layer is
//! its longest distance from a source, nodes in a layer are ordered by the mean position of
//! their inputs (a few sweeps of the barycentre heuristic), and edges are arrows.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::picture::PALETTE;
use super::{escape, Picture};
use crate::array::Array;

use crate::error::fmt_shape;
use crate::expr::{Node, NodeRef};
use crate::graph::{lower::lower_node, TaskGraph};

/// Task graphs with more tasks than this are drawn one box per layer.
pub const MAX_TASKS_DRAWN: usize = 300;

/// Characters' width and a line's height, in pixels (12 px sans-serif).
const CHAR: f64 = 7.0;
const LINE: f64 = 15.0;
/// Space between boxes in a layer, and between layers.
const H_GAP: f64 = 24.0;
const V_GAP: f64 = 46.0;
const MARGIN: f64 = 12.0;

/// A graph to draw: boxes of text lines, coloured, and edges from input to consumer.
#[derive(Debug, Default)]
struct Diagram {
    boxes: Vec<Box>,
    edges: Vec<(usize, usize)>,
}

#[derive(Debug)]
struct Box {
    lines: Vec<String>,
    colour: usize,
}

impl Box {
    fn size(&self) -> (f64, f64) {
        let widest = self
            .lines
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1);
        (
            widest as f64 * CHAR + 16.0,
            self.lines.len() as f64 * LINE + 10.0,
        )
    }
}

impl Diagram {
    /// Layer of every box: its longest distance from a box without inputs.
    fn layers(&self) -> Vec<usize> {
        let mut layer = vec![0; self.boxes.len()];
        // Edges go from inputs to consumers; repeat until stable (graphs here are small DAGs).
        let mut changed = true;
        while changed {
            changed = false;
            for &(from, to) in &self.edges {
                if layer[to] < layer[from] + 1 {
                    layer[to] = layer[from] + 1;
                    changed = true;
                }
            }
        }
        layer
    }

    /// Box order in each layer, by the barycentre of neighbours, a few sweeps down and up.
    fn order(&self, layer: &[usize]) -> Vec<Vec<usize>> {
        let depth = layer.iter().copied().max().map_or(0, |m| m + 1);
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
        for (b, &l) in layer.iter().enumerate() {
            rows[l].push(b);
        }
        let mut inputs: Vec<Vec<usize>> = vec![Vec::new(); self.boxes.len()];
        let mut consumers: Vec<Vec<usize>> = vec![Vec::new(); self.boxes.len()];
        for &(from, to) in &self.edges {
            inputs[to].push(from);
            consumers[from].push(to);
        }
        for sweep in 0..4 {
            let mut position = vec![0.0; self.boxes.len()];
            for row in &rows {
                for (i, &b) in row.iter().enumerate() {
                    position[b] = i as f64 / row.len().max(1) as f64;
                }
            }
            let (range, neighbours): (Vec<usize>, &Vec<Vec<usize>>) = if sweep % 2 == 0 {
                ((1..depth).collect(), &inputs)
            } else {
                ((0..depth.saturating_sub(1)).rev().collect(), &consumers)
            };
            for l in range {
                let key = |b: &usize| {
                    let n = &neighbours[*b];
                    if n.is_empty() {
                        position[*b]
                    } else {
                        n.iter().map(|x| position[*x]).sum::<f64>() / n.len() as f64
                    }
                };
                rows[l].sort_by(|a, b| key(a).total_cmp(&key(b)));
            }
        }
        rows
    }

    /// The SVG: layers from the bottom up, each row centred.
    fn svg(&self, title: &str) -> String {
        let layer = self.layers();
        let rows = self.order(&layer);
        let sizes: Vec<(f64, f64)> = self.boxes.iter().map(Box::size).collect();
        let row_width = |row: &Vec<usize>| {
            row.iter().map(|&b| sizes[b].0).sum::<f64>()
                + H_GAP * row.len().saturating_sub(1) as f64
        };
        let row_height = |row: &Vec<usize>| row.iter().map(|&b| sizes[b].1).fold(0.0, f64::max);
        let width = rows.iter().map(row_width).fold(0.0, f64::max) + 2.0 * MARGIN;
        let title_height = if title.is_empty() { 0.0 } else { 24.0 };
        let height = rows.iter().map(row_height).sum::<f64>()
            + V_GAP * rows.len().saturating_sub(1) as f64
            + 2.0 * MARGIN
            + title_height;
        // Centre of each box; the last layer (the result) at the top.
        let mut centre = vec![(0.0, 0.0); self.boxes.len()];
        let mut y = MARGIN + title_height;
        for row in rows.iter().rev() {
            let h = row_height(row);
            let mut x = (width - row_width(row)) / 2.0;
            for &b in row {
                centre[b] = (x + sizes[b].0 / 2.0, y + h / 2.0);
                x += sizes[b].0 + H_GAP;
            }
            y += h + V_GAP;
        }
        let mut svg = format!(
            r#"<svg width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg" style="font-family:sans-serif;font-size:12px">"#
        );
        svg.push_str(concat!(
            r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" "##,
            r##"markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666" />"##,
            r##"</marker></defs>"##
        ));
        svg.push('\n');
        if !title.is_empty() {
            let _ = writeln!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" style="font-size:14px;fill:var(--jp-ui-font-color1, #222)">{}</text>"#,
                width / 2.0,
                MARGIN + 12.0,
                escape(title)
            );
        }
        for &(from, to) in &self.edges {
            let (a, b) = (centre[from], centre[to]);
            let (y1, y2) = (a.1 - sizes[from].1 / 2.0, b.1 + sizes[to].1 / 2.0);
            let _ = writeln!(
                svg,
                r##"<line x1="{:.1}" y1="{y1:.1}" x2="{:.1}" y2="{y2:.1}" stroke="#888" stroke-width="1.2" marker-end="url(#arrow)" />"##,
                a.0, b.0
            );
        }
        for (b, node) in self.boxes.iter().enumerate() {
            let ((cx, cy), (w, h)) = (centre[b], sizes[b]);
            let RgbParts(r, g, bl) = RgbParts::of(node.colour);
            let _ = writeln!(
                svg,
                r#"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" rx="5" style="fill:rgba({r},{g},{bl},0.25);stroke:rgb({r},{g},{bl});stroke-width:1.5" />"#,
                cx - w / 2.0,
                cy - h / 2.0
            );
            for (i, text) in node.lines.iter().enumerate() {
                let ty = cy - h / 2.0 + 5.0 + LINE * (i as f64 + 0.75);
                let weight = if i == 0 { "font-weight:bold;" } else { "" };
                let _ = writeln!(
                    svg,
                    r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" style="{weight}fill:var(--jp-ui-font-color1, #222)">{}</text>"#,
                    escape(text)
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

/// The palette's colour `i` as its RGB parts.
struct RgbParts(u8, u8, u8);

impl RgbParts {
    fn of(i: usize) -> RgbParts {
        let c = PALETTE[i % PALETTE.len()];
        RgbParts(c.0, c.1, c.2)
    }
}

/// A colour per kind of operation, so a plan reads at a glance.
fn colour_of(operation: &str) -> usize {
    match operation {
        "normal" | "uniform" | "integers" | "zeros" | "ones" | "full" | "arange" | "linspace"
        | "from_array" => 2,
        "sum" | "prod" | "mean" | "var" | "std" | "min" | "max" | "argmin" | "argmax" | "any"
        | "all" => 1,
        "getitem" | "transpose" | "reshape" | "rechunk" | "concatenate" => 4,
        "dot" => 3,
        _ => 0,
    }
}

/// One box per distinct plan node: operation, shape and dtype, chunk count.
fn plan_diagram(root: &Node) -> Diagram {
    let mut diagram = Diagram::default();
    let mut index: HashMap<u64, usize> = HashMap::new();
    fn visit(node: &Node, diagram: &mut Diagram, index: &mut HashMap<u64, usize>) -> usize {
        if let Some(&i) = index.get(&node.id) {
            return i;
        }
        let inputs: Vec<usize> = node
            .inputs()
            .into_iter()
            .map(|n: &NodeRef| visit(n, diagram, index))
            .collect();
        let name = node.op_name();
        let mut lines = vec![format!("{name}{}", crate::expr::node_detail(node))];
        lines.push(format!("{} {}", fmt_shape(&node.shape), node.dtype));
        lines.push(format!(
            "{} chunk{}",
            node.chunks.npartitions(),
            if node.chunks.npartitions() == 1 {
                ""
            } else {
                "s"
            }
        ));
        diagram.boxes.push(Box {
            lines,
            colour: colour_of(&name),
        });
        let me = diagram.boxes.len() - 1;
        diagram.edges.extend(inputs.into_iter().map(|i| (i, me)));
        index.insert(node.id, me);
        me
    }
    visit(root, &mut diagram, &mut index);
    diagram
}

/// The operation of a task layer: `sum-partial-3` → `sum`.
fn operation_of(layer: &str) -> &str {
    layer.split('-').next().unwrap_or(layer)
}

/// One box per task (`op (i, j)`), or, above [`MAX_TASKS_DRAWN`], one per layer with its count.
fn task_diagram(graph: &TaskGraph) -> Diagram {
    let mut diagram = Diagram::default();
    if graph.tasks.len() <= MAX_TASKS_DRAWN {
        for task in &graph.tasks {
            let index: Vec<String> = task.key.index.iter().map(usize::to_string).collect();
            let layer = task
                .key
                .layer
                .rsplit_once('-')
                .map_or(&*task.key.layer, |(name, _)| name);
            diagram.boxes.push(Box {
                lines: vec![layer.to_string(), format!("({})", index.join(", "))],
                colour: colour_of(operation_of(layer)),
            });
        }
        for (id, task) in graph.tasks.iter().enumerate() {
            diagram.edges.extend(task.deps.iter().map(|&d| (d, id)));
        }
        return diagram;
    }
    let mut layers: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for task in &graph.tasks {
        let next = layers.len();
        layers.entry(&task.key.layer).or_insert((next, 0)).1 += 1;
    }
    let mut by_id: Vec<(&str, usize, usize)> =
        layers.iter().map(|(l, (i, n))| (*l, *i, *n)).collect();
    by_id.sort_by_key(|(_, i, _)| *i);
    for (layer, _, count) in &by_id {
        let name = layer.rsplit_once('-').map_or(*layer, |(name, _)| name);
        diagram.boxes.push(Box {
            lines: vec![
                name.to_string(),
                format!("{count} task{}", if *count == 1 { "" } else { "s" }),
            ],
            colour: colour_of(operation_of(name)),
        });
    }
    let mut edges = std::collections::BTreeSet::new();
    for task in &graph.tasks {
        let to = layers[&*task.key.layer].0;
        for &d in &task.deps {
            edges.insert((layers[&*graph.tasks[d].key.layer].0, to));
        }
    }
    diagram.edges = edges.into_iter().filter(|(a, b)| a != b).collect();
    diagram
}

/// Two diagrams side by side (the plan before and after the optimizer).
fn side_by_side(left: (&str, String), right: (&str, String)) -> String {
    let size = |svg: &str| -> (f64, f64) {
        let number = |attr: &str| {
            svg.split(&format!("{attr}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0.0)
        };
        (number("width"), number("height"))
    };
    let ((lw, lh), (rw, rh)) = (size(&left.1), size(&right.1));
    let (width, height) = (lw + rw + 30.0, lh.max(rh) + 20.0);
    let mut svg = format!(
        r#"<svg width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg" style="font-family:sans-serif">"#
    );
    for (x, (title, inner)) in [(0.0, left), (lw + 30.0, right)] {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="14" text-anchor="middle" style="font-size:14px;font-weight:bold;fill:var(--jp-ui-font-color1, #222)">{title}</text>"#,
            x + size(&inner).0 / 2.0
        );
        let _ = write!(svg, r#"<g transform="translate({x:.1},20)">{inner}</g>"#);
    }
    svg.push_str("</svg>");
    svg
}

impl Array {
    /// The logical plan as a picture: one box per operation (with its shape, dtype and chunk
    /// count), arrows from inputs to consumers, the result at the top (dask's `visualize`).
    /// An invalid array's picture states its error.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let x = random::normal([1000, 1000], [100, 100]);
    /// let picture = (&x + &x.t()).mean_axis(0)?.visualize();
    /// assert_eq!(picture.svg().matches("<rect").count(), 4);    // normal, transpose, add, mean
    /// assert_eq!(picture.svg().matches("<line").count(), 4);
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn visualize(&self) -> Picture {
        match self.node() {
            Ok(node) => {
                let diagram = plan_diagram(node);
                Picture::themed(
                    diagram.svg(""),
                    format!("Logical plan of {self}: {} operations", diagram.boxes.len()),
                )
            }
            Err(e) => invalid_picture(&e),
        }
    }

    /// The plan as built and as the optimizer rewrote it, side by side.
    pub fn visualize_optimized(&self) -> Picture {
        let node = match self.node() {
            Ok(node) => node,
            Err(e) => return invalid_picture(&e),
        };
        match crate::optimize::optimize(node) {
            Ok(optimized) => {
                let svg = side_by_side(
                    ("logical plan", plan_diagram(node).svg("")),
                    ("optimized plan", plan_diagram(&optimized).svg("")),
                );
                Picture::themed(
                    svg,
                    format!("Plan of {self}, before and after optimization"),
                )
            }
            Err(e) => invalid_picture(&e),
        }
    }

    /// The chunk tasks `compute()` runs (after optimization): one box per task with its key,
    /// or, for more than [`MAX_TASKS_DRAWN`] tasks, one box per layer with its task count.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let picture = ones([40], 10).sum()?.visualize_tasks();
    /// assert!(picture.summary().starts_with("Chunk tasks of tessera.Array<sum"));
    /// assert!(picture.svg().contains(">(3)</text>"));            // the fourth block of ones
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn visualize_tasks(&self) -> Picture {
        let optimized = match self.node().and_then(crate::optimize::optimize) {
            Ok(node) => node,
            Err(e) => return invalid_picture(&e),
        };
        let graph = lower_node(&optimized);
        let diagram = task_diagram(&graph);
        let drawn = if graph.tasks.len() > MAX_TASKS_DRAWN {
            format!(", drawn as {} layers", diagram.boxes.len())
        } else {
            String::new()
        };
        Picture::themed(
            diagram.svg(""),
            format!("Chunk tasks of {self}: {} tasks{drawn}", graph.tasks.len()),
        )
    }

    /// Writes [`visualize`](Array::visualize)'s picture to an SVG file.
    ///
    /// **Errors**: the file cannot be written.
    pub fn visualize_to(&self, path: impl AsRef<std::path::Path>) -> crate::error::Result<()> {
        self.visualize().save(path)
    }
}

fn invalid_picture(error: &crate::error::Error) -> Picture {
    let diagram = Diagram {
        boxes: vec![Box {
            lines: vec!["invalid array".into(), error.to_string()],
            colour: 3,
        }],
        edges: vec![],
    };
    Picture::themed(diagram.svg(""), format!("invalid array: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn layers_are_longest_distances_from_sources() {
        let d = Diagram {
            boxes: (0..4)
                .map(|_| Box {
                    lines: vec!["x".into()],
                    colour: 0,
                })
                .collect(),
            edges: vec![(0, 1), (1, 2), (0, 2), (3, 2)],
        };
        assert_eq!(d.layers(), [0, 1, 2, 0]);
    }

    #[test]
    fn shared_inputs_are_drawn_once() {
        let x = ones([4, 4], 2);
        let d = plan_diagram((&x + &x).node().unwrap());
        assert_eq!(d.boxes.len(), 2);
        assert_eq!(d.edges, [(0, 1), (0, 1)]);
    }

    #[test]
    fn big_task_graphs_are_summarised_by_layer() {
        let y = ones([1000, 1000], [5, 1000]).sum().unwrap();
        let graph = lower_node(&crate::optimize::optimize(y.node().unwrap()).unwrap());
        assert!(graph.tasks.len() > MAX_TASKS_DRAWN);
        let d = task_diagram(&graph);
        assert!(d.boxes.len() < 6, "{:?}", d.boxes);
        assert!(d.boxes.iter().any(|b| b.lines[1] == "200 tasks"));
    }
}
