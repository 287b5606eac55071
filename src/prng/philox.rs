//! Philox4x32-10, the counter-based pseudo-random function of Random123
//! (Salmon, Moraes, Dror & Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11).
//!
//! Unlike a stateful generator, a counter-based generator has no sequence to advance:
//! each 128-bit output is a pure function of a 128-bit counter and a 64-bit key. That
//! lets any element of a random array be computed directly from its index, so chunks
//! can be generated independently, in any order, on any thread, with identical values.
//! Philox4x32 with 10 rounds passes TestU01's BigCrush and is the default in Random123,
//! numpy (`Philox`), JAX and cuRAND.
//!
//! tessera uses it once per fill, as a keyed hash: it turns `(seed, stream)` into the start
//! and increment of the SplitMix64 stream that generates the array's elements
//! ([`super::counter`]).

/// Round multiplier for words 0/1 (`PHILOX_M4x32_0`).
const M0: u32 = 0xD251_1F53;
/// Round multiplier for words 2/3 (`PHILOX_M4x32_1`).
const M1: u32 = 0xCD9E_8D57;
/// Weyl-sequence key increment for key word 0 (golden ratio, `PHILOX_W32_0`).
const W0: u32 = 0x9E37_79B9;
/// Weyl-sequence key increment for key word 1 (sqrt(3) - 1, `PHILOX_W32_1`).
const W1: u32 = 0xBB67_AE85;

/// High and low 32-bit halves of the 64-bit product `a * b`.
#[inline(always)]
fn mulhilo(a: u32, b: u32) -> (u32, u32) {
    let p = a as u64 * b as u64;
    ((p >> 32) as u32, p as u32)
}

/// One Philox4x32 round (Random123's `_philox4x32round`).
#[inline(always)]
fn round(ctr: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let (hi0, lo0) = mulhilo(M0, ctr[0]);
    let (hi1, lo1) = mulhilo(M1, ctr[2]);
    [hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0]
}

/// Philox4x32 with 10 rounds, bit-for-bit as Random123's `philox4x32(ctr, key)`:
/// the key is bumped by the Weyl constants between rounds (nine bumps in total).
/// Output words are in the same order as Random123's `ctr.v[0..4]`.
///
/// `#[inline(always)]` rather than `#[inline]`: sampling loops call this once per pair of
/// elements, and LLVM declined to inline it there, which halved uniform fill throughput.
#[inline(always)]
pub fn philox4x32_10(ctr: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = ctr;
    let mut k = key;
    c = round(c, k);
    for _ in 1..10 {
        k = [k[0].wrapping_add(W0), k[1].wrapping_add(W1)];
        c = round(c, k);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known-answer vectors copied from Random123's `tests/kat_vectors`, lines 27-29
    // (github.com/DEShawResearch/random123, commit 9545ff6413f258be2f04c1d319d99aaef7521150):
    //   philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000
    //       6627e8d5 e169c58d bc57ac4c 9b00dbd8
    //   philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff
    //       408f276d 41c83b0e a20bc7c6 6d5451fd
    //   philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0
    //       d16cfe09 94fdcceb 5001e420 24126ea1
    // Columns: CTR (4 words), KEY (2 words), EXPECTED (4 words, on the next line here).

    #[test]
    fn kat_zeros() {
        assert_eq!(
            philox4x32_10([0; 4], [0; 2]),
            [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
        );
    }

    #[test]
    fn kat_all_ones() {
        assert_eq!(
            philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
            [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]
        );
    }

    #[test]
    fn kat_pi_digits() {
        assert_eq!(
            philox4x32_10(
                [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
                [0xa4093822, 0x299f31d0]
            ),
            [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]
        );
    }

    #[test]
    fn pure_function_of_counter_and_key() {
        let a = philox4x32_10([1, 2, 3, 4], [5, 6]);
        assert_eq!(a, philox4x32_10([1, 2, 3, 4], [5, 6]));
        assert_ne!(a, philox4x32_10([2, 2, 3, 4], [5, 6]));
        assert_ne!(a, philox4x32_10([1, 2, 3, 4], [5, 7]));
    }
}
