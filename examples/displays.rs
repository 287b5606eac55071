//! Writes the array displays to an HTML page (for looking at them in a browser):
//! `cargo run --release --example displays -- out.html`.

use tessera::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "displays.html".into());
    let arrays = [
        random::normal([10000, 10000], [1000, 1000]),
        random::normal([10000, 10000], [10000, 100]),
        arange(0.0, 1000.0, 1.0, 100),
        zeros([64, 128, 256], [16, 32, 64]),
        zeros([8, 64, 128, 256], [1, 16, 32, 64]),
        zeros([4, 8, 64, 128, 256], [2, 1, 16, 32, 64]),
        random::uniform([150000, 10000], [10000, 10000]).mean_axis(0)?,
        zeros([1_000_000, 1000], [100, 1000]),
    ];
    let mut page = String::from("<html><body style=\"font-family:sans-serif\">\n");
    for a in &arrays {
        page.push_str(&format!(
            "<h4>{}</h4>\n{}\n",
            a.to_string().replace('<', "&lt;"),
            a.to_html()
        ));
    }
    let (resources, tasks) = (ResourceProfiler::new(0.02), Profiler::new());
    random::uniform([20000, 10000], [2000, 2000])
        .mean()?
        .compute_with(&(&resources, &tasks))?;
    page.push_str(&format!(
        "<h4>ResourceProfiler</h4>\n{}\n",
        resources.plot().svg()
    ));
    page.push_str(&format!("<h4>Profiler</h4>\n{}\n", tasks.plot().svg()));
    let y = random::normal([10000, 10000], [1000, 1000]);
    let part = (&y * 2.0 + 1.0).mean_axis(0)?.slice(s![0..100])?;
    page.push_str(&format!("<h4>visualize</h4>\n{}\n", part.visualize().svg()));
    page.push_str(&format!(
        "<h4>visualize_optimized</h4>\n{}\n",
        part.visualize_optimized().svg()
    ));
    page.push_str(&format!(
        "<h4>visualize_tasks</h4>\n{}\n",
        random::normal([40, 40], [10, 20])
            .mean_axis(0)?
            .visualize_tasks()
            .svg()
    ));
    page.push_str(&format!(
        "<h4>visualize_tasks (summarised)</h4>\n{}\n",
        y.sum()?.visualize_tasks().svg()
    ));
    page.push_str("</body></html>\n");
    std::fs::write(&out, page)?;
    println!("wrote {out}");
    Ok(())
}
