//! This process's CPU time and resident memory, as the profilers and the kernel's `%time` and
//! `%memit` read them (Linux: `getrusage` and `/proc/self`).

use std::time::Duration;

/// User and system CPU time of the whole process so far: every thread, ended ones included.
///
/// # Examples
///
/// ```
/// let (user, sys) = tessera::profile::cpu_times();
/// assert!(user + sys > std::time::Duration::ZERO);
/// ```
pub fn cpu_times() -> (Duration, Duration) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return (Duration::ZERO, Duration::ZERO);
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (time(usage.ru_utime), time(usage.ru_stime))
}

/// Resident memory now, in bytes (`/proc/self/statm`; 0 where there is no `/proc`).
pub fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64
}

/// The highest resident memory since the process started or [`reset_peak_resident`] (`VmHWM`).
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Resets the peak to the current resident memory (writing `5` to `/proc/self/clear_refs`), so
/// [`peak_resident_bytes`] then gives the peak of what follows, however short a spike.
pub fn reset_peak_resident() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
