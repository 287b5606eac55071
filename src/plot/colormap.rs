//! Colormaps: matplotlib's lookup tables (`colormap_tables.rs`) and its rule for mapping a
//! normalised value to an entry.

use crate::error::{Error, Result};

use super::colormap_tables::{GRAY, MAGMA, RDBU, VIRIDIS};

/// A colormap for [`imshow`](super::Axes::imshow) and [`pcolormesh`](super::Axes::pcolormesh),
/// with matplotlib's colours (256 entries each).
///
/// # Examples
///
/// ```
/// use tessera::plot::Colormap;
/// assert_eq!(Colormap::Viridis.rgb(0.0), [68, 1, 84]);        // matplotlib's viridis(0.0)
/// assert_eq!(Colormap::Gray.rgb(1.0), [255, 255, 255]);
/// assert_eq!(Colormap::from_name("RdBu")?, Colormap::RdBu);
/// assert!(Colormap::from_name("jet").is_err());
/// # Ok::<(), tessera::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colormap {
    /// matplotlib's default: perceptually uniform, readable in grey and by colour-blind readers.
    #[default]
    Viridis,
    /// Black through purple to light yellow.
    Magma,
    /// Black to white.
    Gray,
    /// Diverging red to blue, for values around a centre (set `vmin = -vmax`).
    RdBu,
}

impl Colormap {
    /// Every colormap, in the order of [`names`](Colormap::name).
    pub const ALL: [Colormap; 4] = [
        Colormap::Viridis,
        Colormap::Magma,
        Colormap::Gray,
        Colormap::RdBu,
    ];

    /// matplotlib's name of the colormap.
    pub fn name(self) -> &'static str {
        match self {
            Colormap::Viridis => "viridis",
            Colormap::Magma => "magma",
            Colormap::Gray => "gray",
            Colormap::RdBu => "RdBu",
        }
    }

    /// The colormap of matplotlib's `name` (`"viridis"`, `"magma"`, `"gray"`, `"RdBu"`).
    ///
    /// **Errors**: another name ([`Error::InvalidArgument`]), listing the ones there are.
    pub fn from_name(name: &str) -> Result<Colormap> {
        Colormap::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| Error::InvalidArgument {
                op: "plot",
                reason: format!(
                    "no colormap {name:?}; there are {}",
                    Colormap::ALL.map(|c| c.name()).join(", ")
                ),
            })
    }

    fn table(self) -> &'static [[u8; 3]; 256] {
        match self {
            Colormap::Viridis => &VIRIDIS,
            Colormap::Magma => &MAGMA,
            Colormap::Gray => &GRAY,
            Colormap::RdBu => &RDBU,
        }
    }

    /// The colour of `t` in [0, 1] as matplotlib picks it: entry `floor(256 t)`, the last for
    /// `t = 1`, the ends for values below 0 or above 1. NaN has no colour: callers make it
    /// transparent (this gives the first entry).
    pub fn rgb(self, t: f64) -> [u8; 3] {
        let table = self.table();
        let index = (t * 256.0).floor();
        let index = if index.is_nan() || index < 0.0 {
            0
        } else {
            (index as usize).min(255)
        };
        table[index]
    }
}
