//! [`ResourceProfiler`]: dask's `ResourceProfiler` — the process's CPU use (all threads) and
//! resident memory sampled every `dt` while computations run.

use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::plots::resource_plot;
use super::Callback;
use crate::display::Picture;
use crate::error::Error;
use crate::graph::TaskGraph;

/// One sample: seconds since the profiler first started, resident memory and CPU use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResourceSample {
    /// Seconds since the first computation this profiler watched began.
    pub time: f64,
    /// Resident memory of the process, in MiB (2^20 bytes).
    pub memory_mib: f64,
    /// CPU time of all the process's threads over the last interval, per wall second, in %
    /// (200% = two cores busy).
    pub cpu_percent: f64,
}

/// Samples CPU and memory while computations run; [`plot`](ResourceProfiler::plot) draws them.
///
/// # Examples
///
/// ```
/// use tessera::prelude::*;
/// let profiler = ResourceProfiler::new(0.01);
/// random::normal([4000, 4000], [1000, 1000]).sum()?.compute_with(&profiler)?;
/// let samples = profiler.results();
/// assert!(samples.len() >= 2);                       // one at the start, one at the end at least
/// assert!(samples.iter().all(|s| s.memory_mib > 0.0));
/// assert!(profiler.plot().svg().contains("Profile Results"));
/// # Ok::<(), tessera::Error>(())
/// ```
pub struct ResourceProfiler {
    dt: Duration,
    shared: Arc<Shared>,
    sampler: Mutex<Option<(Sender<()>, JoinHandle<()>)>>,
}

struct Shared {
    origin: Mutex<Option<Instant>>,
    samples: Mutex<Vec<ResourceSample>>,
}

impl Default for ResourceProfiler {
    fn default() -> ResourceProfiler {
        ResourceProfiler::new(0.1)
    }
}

impl ResourceProfiler {
    /// A profiler sampling every `dt` seconds (dask's default is 1 s; 0.1 s suits short runs).
    pub fn new(dt: f64) -> ResourceProfiler {
        ResourceProfiler {
            dt: Duration::from_secs_f64(dt.max(0.001)),
            shared: Arc::new(Shared {
                origin: Mutex::new(None),
                samples: Mutex::new(Vec::new()),
            }),
            sampler: Mutex::new(None),
        }
    }

    /// The samples so far, oldest first (dask's `results`).
    pub fn results(&self) -> Vec<ResourceSample> {
        self.shared.samples.lock().expect("samples").clone()
    }

    /// The samples as columns: times (s), memory (MiB), CPU (%) — ready to plot elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// use tessera::prelude::*;
    /// let profiler = ResourceProfiler::new(0.01);
    /// ones([1000, 1000], [100, 1000]).sum()?.compute_with(&profiler)?;
    /// let (time, memory, cpu) = profiler.data();
    /// assert!(time.len() >= 2 && time.len() == memory.len() && memory.len() == cpu.len());
    /// # Ok::<(), tessera::Error>(())
    /// ```
    pub fn data(&self) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let samples = self.results();
        (
            samples.iter().map(|s| s.time).collect(),
            samples.iter().map(|s| s.memory_mib).collect(),
            samples.iter().map(|s| s.cpu_percent).collect(),
        )
    }

    /// Forgets the samples; the next computation starts the clock again.
    pub fn clear(&self) {
        self.shared.samples.lock().expect("samples").clear();
        *self.shared.origin.lock().expect("origin") = None;
    }

    /// CPU % and memory against time, titled "Profile Results" as dask's plot.
    pub fn plot(&self) -> Picture {
        resource_plot(&self.results())
    }
}

impl Callback for ResourceProfiler {
    fn start(&self, _graph: &TaskGraph) {
        let origin = *self
            .shared
            .origin
            .lock()
            .expect("origin")
            .get_or_insert_with(Instant::now);
        let (stop, stopped) = channel::<()>();
        let (shared, dt) = (self.shared.clone(), self.dt);
        let sampler = std::thread::Builder::new()
            .name("tessera-resources".into())
            .spawn(move || {
                let mut meter = CpuMeter::new();
                loop {
                    shared
                        .samples
                        .lock()
                        .expect("samples")
                        .push(meter.sample(origin));
                    match stopped.recv_timeout(dt) {
                        Err(RecvTimeoutError::Timeout) => {}
                        _ => {
                            shared
                                .samples
                                .lock()
                                .expect("samples")
                                .push(meter.sample(origin));
                            return;
                        }
                    }
                }
            })
            .expect("a thread for the resource profiler");
        *self.sampler.lock().expect("sampler") = Some((stop, sampler));
    }

    fn finish(&self, _error: Option<&Error>) {
        if let Some((stop, sampler)) = self.sampler.lock().expect("sampler").take() {
            let _ = stop.send(());
            let _ = sampler.join();
        }
    }
}

/// CPU use between successive samples, from `getrusage` (every thread, ended ones too).
struct CpuMeter {
    last: Option<(Instant, Duration)>,
}

impl CpuMeter {
    fn new() -> CpuMeter {
        CpuMeter { last: None }
    }

    fn sample(&mut self, origin: Instant) -> ResourceSample {
        let now = Instant::now();
        let (user, sys) = crate::profile::cpu_times();
        let cpu = user + sys;
        let cpu_percent = match self.last {
            Some((then, cpu_then)) if now > then => {
                100.0 * (cpu.saturating_sub(cpu_then)).as_secs_f64() / (now - then).as_secs_f64()
            }
            _ => 0.0,
        };
        self.last = Some((now, cpu));
        ResourceSample {
            time: (now - origin).as_secs_f64(),
            memory_mib: crate::profile::resident_bytes() as f64 / (1u64 << 20) as f64,
            cpu_percent,
        }
    }
}
