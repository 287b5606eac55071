//! Writes a few figures of tessera::plot to files (`cargo run --release --example plot_tour
//! -- DIR`): lines, a histogram, an image with a colorbar, subplots.

use tessera::plot::{Colormap, Figure, HistOptions, ImageOptions, Scale};
use tessera::prelude::*;

fn main() -> tessera::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let dir = std::path::Path::new(&dir);
    let y = random::Rng::new(7).normal(0.0, 1.0, [4000, 3000], [1000, 1000]);
    let mut fig = Figure::grid(2, 2).title("a tour of tessera::plot");
    fig.at(0, 0)?
        .imshow_with(
            &y,
            &ImageOptions::new().cmap(Colormap::Magma).colorbar(true),
        )?
        .title("y");
    fig.at(0, 1)?
        .hist_with(&y, &HistOptions::new(60).log(true))?
        .label("y");
    let ax = fig.at(1, 0)?;
    ax.plot(&y.mean_axis(0)?.slice(s![..300])?)?
        .label("mean of rows");
    ax.plot(&y.std_axis(0, 0.0)?.slice(s![..300])?)?
        .label("std of rows");
    ax.title("lines").xlabel("column").ylabel("value");
    let ax = fig.at(1, 1)?;
    ax.plot_xy(
        vec![1.0, 10.0, 100.0, 1000.0],
        vec![1.0, 30.0, 900.0, 27000.0],
    )?;
    ax.xscale(Scale::Log).yscale(Scale::Log).title("log-log");
    fig.save(dir.join("tour.png"))?;
    fig.save(dir.join("tour.svg"))?;
    Ok(())
}
