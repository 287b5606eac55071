//! Random generation throughput, single thread: ns per sample for uniform, normal and
//! integers on every code path this CPU supports, and which path tessera selected.
//!
//! ```text
//! cargo run --release --example rng_throughput [samples]
//! ```
//!
//! Each measurement generates `samples` values (default 1e8) in chunks of 1e6 with
//! `fill_f64` / `fill_i64` and sums them, so nothing is optimized away; the best of three
//! runs is printed (the machine may be shared).

use std::hint::black_box;
use std::time::Instant;

use tessera::random::sample::{fill_f64_with, fill_i64_with, Distribution, StreamKey};
use tessera::random::simd::{self, Path};

const CHUNK: usize = 1_000_000;

/// The sum of `x` in 8 interleaved partial sums, so summing does not bound the measurement
/// by the latency of one chain of additions.
fn sum_f64(x: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let mut blocks = x.chunks_exact(8);
    for b in &mut blocks {
        for (a, v) in acc.iter_mut().zip(b) {
            *a += v;
        }
    }
    acc.iter().sum::<f64>() + blocks.remainder().iter().sum::<f64>()
}

/// Best-of-three ns per sample of generating and summing `n` values on `path`.
fn measure(path: Path, dist: Distribution, n: usize) -> (f64, f64) {
    let key = StreamKey {
        seed: 42,
        stream: 0,
    };
    let mut floats = vec![0.0f64; CHUNK];
    let mut ints = vec![0i64; CHUNK];
    let mut best = f64::INFINITY;
    let mut total = 0.0;
    for _ in 0..3 {
        let start = Instant::now();
        let mut sum = 0.0;
        let mut first = 0u64;
        while (first as usize) < n {
            let len = CHUNK.min(n - first as usize);
            if let Distribution::Integers { .. } = dist {
                fill_i64_with(path, key, dist, first, &mut ints[..len]);
                sum += black_box(&ints[..len]).iter().sum::<i64>() as f64;
            } else {
                fill_f64_with(path, key, dist, first, &mut floats[..len]);
                sum += sum_f64(black_box(&floats[..len]));
            }
            first += len as u64;
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e9 / n as f64);
        total = sum;
    }
    (best, total / n as f64)
}

fn main() {
    let n: usize = std::env::args().nth(1).map_or(100_000_000, |a| {
        a.parse().expect("samples: a positive integer")
    });
    println!(
        "selected path: {} (available: {})",
        simd::selected().name(),
        simd::available()
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "{n} samples per measurement, chunks of {CHUNK}, single thread, best of 3 (generate + sum)"
    );
    let dists = [
        (
            "uniform [0, 1)",
            Distribution::Uniform {
                low: 0.0,
                high: 1.0,
            },
        ),
        (
            "normal (0, 1)",
            Distribution::Normal {
                loc: 0.0,
                scale: 1.0,
            },
        ),
        (
            "integers [0, 1000)",
            Distribution::Integers { low: 0, high: 1000 },
        ),
    ];
    for path in simd::available() {
        for (name, dist) in dists {
            let (ns, mean) = measure(path, dist, n);
            println!(
                "{:>9} {name:<20} {ns:6.3} ns/sample   (mean {mean:.5})",
                path.name()
            );
        }
    }
}
