//! Sizes written for people: `762.94 MiB`, as dask shows them (errors, reprs and displays
//! all use it, so it sits at the bottom beside `error`).

/// Bytes in binary units with two decimals, as dask prints them: `762.94 MiB`, `7.63 MiB`,
/// `800 B` (a unit is used from 0.9 of it up).
///
/// # Examples
///
/// ```
/// use tessera::display::format_bytes;
/// assert_eq!(format_bytes(800_000_000), "762.94 MiB");
/// assert_eq!(format_bytes(1000), "0.98 kiB");
/// assert_eq!(format_bytes(800), "800 B");
/// ```
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [(&str, u32); 5] = [
        ("PiB", 50),
        ("TiB", 40),
        ("GiB", 30),
        ("MiB", 20),
        ("kiB", 10),
    ];
    for (unit, power) in UNITS {
        let size = (1u64 << power) as f64;
        if bytes as f64 >= 0.9 * size {
            return format!("{:.2} {unit}", bytes as f64 / size);
        }
    }
    format!("{bytes} B")
}
