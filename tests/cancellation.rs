//! Cancelling a running computation from another thread (what the kernel's interrupt does):
//! it returns `Error::Cancelled` promptly, and later computations run normally. In a file of its
//! own: an interrupt stops every computation of the process, so no other test may run beside it.

use std::time::{Duration, Instant};

use tessera::prelude::*;

#[test]
fn a_terabyte_job_cancelled_from_another_thread_stops_within_a_second() {
    let huge = random::uniform([1_500_000, 100_000], [10_000, 10_000]);
    let canceller = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(300));
        tessera::runtime::interrupt();
        Instant::now()
    });
    let outcome = huge.mean().unwrap().compute();
    let stopped = Instant::now();
    let asked = canceller.join().unwrap();
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
    assert!(
        stopped.duration_since(asked) < Duration::from_secs(1),
        "stopped {:?} after the interrupt",
        stopped.duration_since(asked)
    );
    assert!(tessera::runtime::interrupted());
    assert!(matches!(
        tessera::runtime::check_interrupt(),
        Err(Error::Cancelled)
    ));

    // Computations started after the interrupt are not affected; loops can forget it.
    let total = ones([100, 100], [10, 10]).sum().unwrap().compute().unwrap();
    assert_eq!(total.to_scalar::<f64>().unwrap(), 10_000.0);
    tessera::runtime::clear_interrupt();
    assert!(tessera::runtime::check_interrupt().is_ok());
}
