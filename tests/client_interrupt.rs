//! The kernel's interrupt stops the cell's own computation, not a future's: work sent to the
//! background keeps running. (Its own test binary: an interrupt reaches every computation of
//! the process, so it must not run beside other tests.)

use tessera::client::{Client, Status};
use tessera::prelude::*;

#[test]
fn an_interrupt_leaves_futures_running() {
    let client = Client::new();
    let long = client.compute(
        &random::uniform([1_500_000, 100_000], [10_000, 10_000])
            .mean()
            .unwrap(),
    );
    while long.status() == Status::Pending {
        std::thread::yield_now();
    }
    let foreground = std::thread::spawn(|| {
        random::uniform([1_500_000, 100_000], [10_000, 10_000])
            .mean()
            .unwrap()
            .compute()
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    tessera::runtime::interrupt();
    assert!(
        matches!(foreground.join().unwrap(), Err(Error::Cancelled)),
        "the cell's computation stops"
    );
    assert_eq!(long.status(), Status::Running, "the future goes on");
    long.cancel();
    assert_eq!(long.status(), Status::Cancelled);
}
