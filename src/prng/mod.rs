//! The counter-based generator core: Philox4x32-10 keys a SplitMix64 stream per `(seed,
//! draw)` ([`counter`]), block kernels map its words to distributions ([`kernels`], with the
//! normal's [`ziggurat`] and exact [`math`]), compiled per SIMD path ([`simd`]); [`sample`]
//! fills runs of consecutive elements. A leaf: it knows nothing of plans or arrays (the
//! user's constructors are `crate::random`, which re-exports these modules).

pub mod counter;
pub mod kernels;
pub mod math;
pub mod philox;
pub mod sample;
pub mod shuffle;
pub mod simd;
#[cfg(test)]
mod tests;
pub mod ziggurat;
mod ziggurat_tables;
