//! Durations and sizes in the words IPython and memory_profiler use, so `%time`, `%timeit` and
//! `%memit` read exactly as a Python user expects.

use std::time::Duration;

/// A duration as IPython's `_format_time`: `precision` significant digits in s, ms, µs or ns
/// (`4.52 s`, `664 ms`, `1.2 µs`), and `1min 5s` from a minute up.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use tessera::profile::format_time;
/// assert_eq!(format_time(Duration::from_millis(664), 3), "664 ms");
/// assert_eq!(format_time(Duration::from_secs_f64(4.5212), 3), "4.52 s");
/// assert_eq!(format_time(Duration::from_secs(65), 3), "1min 5s");
/// ```
pub fn format_time(duration: Duration, precision: usize) -> String {
    format_seconds(duration.as_secs_f64(), precision)
}

/// [`format_time`] of a number of seconds (which may come from a mean or a deviation).
pub fn format_seconds(seconds: f64, precision: usize) -> String {
    if seconds >= 60.0 {
        return format_long(seconds);
    }
    const UNITS: [(&str, f64); 4] = [("s", 1.0), ("ms", 1e3), ("µs", 1e6), ("ns", 1e9)];
    let order = if seconds > 0.0 {
        ((-(seconds.log10().floor() as i64).div_euclid(3)).max(0) as usize).min(3)
    } else {
        3
    };
    let (unit, scale) = UNITS[order];
    format!("{} {unit}", format_g(seconds * scale, precision))
}

/// `1d 2h 3min 4s`, IPython's form for long times (whole units, stopping below a second).
fn format_long(seconds: f64) -> String {
    const PARTS: [(&str, f64); 4] = [("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0)];
    let mut parts = Vec::new();
    let mut left = seconds;
    for (suffix, length) in PARTS {
        let value = (left / length).floor();
        if value > 0.0 {
            left %= length;
            parts.push(format!("{value}{suffix}"));
        }
        if left < 1.0 {
            break;
        }
    }
    parts.join(" ")
}

/// C's `%.*g`: `precision` significant digits, trailing zeros dropped, exponent form when the
/// exponent is below -4 or at least `precision`.
///
/// # Examples
///
/// ```
/// use tessera::profile::format_g;
/// assert_eq!(format_g(1.20, 3), "1.2");
/// assert_eq!(format_g(999.7, 3), "1e+03");
/// assert_eq!(format_g(0.0, 3), "0");
/// ```
pub fn format_g(value: f64, precision: usize) -> String {
    let precision = precision.max(1);
    if value == 0.0 || !value.is_finite() {
        return if value == 0.0 {
            "0".into()
        } else {
            value.to_string()
        };
    }
    // The exponent after rounding to `precision` digits decides the form, as in C.
    let scientific = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = scientific.split_once('e').expect("{:e} has an exponent");
    let exponent: i32 = exponent.parse().expect("integer exponent");
    if exponent < -4 || exponent >= precision as i32 {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exponent.abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

/// Bytes in MiB (2^20) with two decimals, as memory_profiler prints them: `763.00 MiB`.
///
/// # Examples
///
/// ```
/// assert_eq!(tessera::profile::format_mib(800 << 20), "800.00 MiB");
/// ```
pub fn format_mib(bytes: i64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1u64 << 20) as f64)
}

/// An integer with thousands separators: `1,000`.
pub(crate) fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipython_time_units() {
        // Values checked against IPython.core.magics.execution._format_time.
        let cases = [
            (4.5212, "4.52 s"),
            (0.664, "664 ms"),
            (0.0123, "12.3 ms"),
            (0.0012, "1.2 ms"),
            (1.5e-6, "1.5 µs"),
            (5e-9, "5 ns"),
            (59.0, "59 s"),
            (0.0, "0 ns"),
            (1e-12, "0.001 ns"),
            (0.9996, "1e+03 ms"),
        ];
        for (seconds, text) in cases {
            assert_eq!(format_seconds(seconds, 3), text, "{seconds}");
        }
    }

    #[test]
    fn long_times() {
        assert_eq!(format_seconds(65.3, 3), "1min 5s");
        assert_eq!(format_seconds(3600.0 + 120.5, 3), "1h 2min");
        assert_eq!(format_seconds(90061.0, 3), "1d 1h 1min 1s");
        assert_eq!(format_seconds(60.0, 3), "1min");
    }

    #[test]
    fn general_format() {
        assert_eq!(format_g(123.456, 3), "123");
        assert_eq!(format_g(12.0, 3), "12");
        assert_eq!(format_g(0.000123, 3), "0.000123");
        assert_eq!(format_g(0.0000123, 3), "1.23e-05");
        assert_eq!(format_g(1234.0, 3), "1.23e+03");
        assert_eq!(format_g(2.5, 1), "2");
    }

    #[test]
    fn sizes_and_counts() {
        assert_eq!(format_mib(0), "0.00 MiB");
        assert_eq!(format_mib(-(1 << 19)), "-0.50 MiB");
        assert_eq!(with_commas(1000), "1,000");
        assert_eq!(with_commas(1000000), "1,000,000");
        assert_eq!(with_commas(100), "100");
    }
}
