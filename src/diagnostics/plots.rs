//! Profiles as pictures, drawn with plotters' SVG backend: the resource profile (CPU % and
//! memory against time, dask's "Profile Results") and the task timeline.

use std::collections::BTreeMap;

use plotters::prelude::*;

use super::{ResourceSample, TaskRecord};
use crate::display::{Picture, PALETTE};

const SIZE: (u32, u32) = (720, 320);

type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// Draws into an SVG string with `draw`, turning plotters' errors into a message in the plot.
fn draw_svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> DrawResult,
) -> String {
    // Text is laid out with the shipped font (plotters' ab_glyph feature needs it registered).
    crate::display::font::ensure();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let outcome = root
            .fill(&WHITE)
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error>)
            .and_then(|_| draw(&root));
        if let Err(e) = outcome {
            let _ = root.draw(&Text::new(
                format!("could not draw: {e}"),
                (10, 10),
                ("sans-serif", 14),
            ));
        }
        let _ = root.present();
    }
    svg
}

/// CPU % (left axis) and memory in MiB (right axis) against time, as dask's ResourceProfiler.
pub(super) fn resource_plot(samples: &[ResourceSample]) -> Picture {
    let end = samples.last().map_or(1.0, |s| s.time).max(1e-3);
    // Headroom above each line, different for the two axes, so that a busy CPU and a flat
    // memory line do not lie on top of each other or under the legend.
    let cpu_top = samples.iter().map(|s| s.cpu_percent).fold(100.0, f64::max) * 1.3;
    let mem_top = samples.iter().map(|s| s.memory_mib).fold(1.0, f64::max) * 1.8;
    let svg = draw_svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Profile Results", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .right_y_label_area_size(60)
            .build_cartesian_2d(0.0..end, 0.0..cpu_top)?
            .set_secondary_coord(0.0..end, 0.0..mem_top);
        chart
            .configure_mesh()
            .x_desc("Time (s)")
            .y_desc("CPU (%)")
            .light_line_style(WHITE)
            .draw()?;
        chart
            .configure_secondary_axes()
            .y_desc("Memory (MiB)")
            .draw()?;
        let (cpu, memory) = (PALETTE[0], PALETTE[1]);
        chart
            .draw_series(LineSeries::new(
                samples.iter().map(|s| (s.time, s.cpu_percent)),
                cpu.stroke_width(2),
            ))?
            .label("CPU (%)")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], cpu.stroke_width(2)));
        chart
            .draw_secondary_series(LineSeries::new(
                samples.iter().map(|s| (s.time, s.memory_mib)),
                memory.stroke_width(2),
            ))?
            .label("Memory (MiB)")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], memory.stroke_width(2))
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    });
    let peak = samples.iter().map(|s| s.memory_mib).fold(0.0, f64::max);
    let summary = format!(
        "Profile Results: {} samples over {end:.2} s, peak memory {peak:.1} MiB",
        samples.len()
    );
    Picture::new(svg, summary)
}

/// Tasks as bars, one row per worker, coloured by operation, with a legend.
pub(super) fn task_plot(records: &[TaskRecord]) -> Picture {
    let end = records.iter().map(|r| r.end).fold(1e-3, f64::max);
    let workers = records.iter().map(|r| r.worker).max().map_or(1, |w| w + 1);
    let mut colours: BTreeMap<&str, RGBColor> = BTreeMap::new();
    for r in records {
        let next = PALETTE[colours.len() % PALETTE.len()];
        colours.entry(&r.operation).or_insert(next);
    }
    let svg = draw_svg(|root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Task timeline", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..end, -0.5..workers as f64 - 0.5)?;
        chart
            .configure_mesh()
            .x_desc("Time (s)")
            .y_desc("Worker")
            .y_labels(workers)
            .y_label_formatter(&|y| format!("{}", y.round() as usize))
            .light_line_style(WHITE)
            .draw()?;
        for (operation, colour) in &colours {
            let colour = *colour;
            let bars = records
                .iter()
                .filter(|r| r.operation == *operation)
                .map(|r| {
                    let row = r.worker as f64;
                    Rectangle::new(
                        [
                            (r.start, row - 0.4),
                            (r.end.max(r.start + end * 1e-3), row + 0.4),
                        ],
                        colour.filled(),
                    )
                });
            chart
                .draw_series(bars)?
                .label(*operation)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    });
    let summary = format!(
        "Task timeline: {} tasks on {workers} workers over {end:.2} s",
        records.len()
    );
    Picture::new(svg, summary)
}
