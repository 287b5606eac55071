//! Random orders from one counter-based stream: a permutation of `0..n` (Fisher–Yates, word
//! `i` of the stream choosing the swap of step `i`), its first `k` elements (a sample without
//! replacement) and `k` indices drawn with replacement. The values depend on the stream key
//! alone, never on how an array using them is chunked.

use super::counter::{SplitMix, StreamKey};

/// A uniform index in `0..bound` from a 64-bit word: the high half of `word × bound` (Lemire's
/// multiply-shift; its bias, below `bound / 2^64`, is far under anything measurable).
#[inline(always)]
fn below(word: u64, bound: u64) -> u64 {
    ((u128::from(word) * u128::from(bound)) >> 64) as u64
}

/// The first `k` elements of a uniformly random permutation of `0..n` (all of it when
/// `k == n`), from the stream of `key`: step `i` of an inside-out Fisher–Yates swaps element
/// `i` with one of `i..n`, chosen by word `i`. `k` is at most `n`.
///
/// # Examples
///
/// ```
/// use tessera::random::shuffle::permutation_prefix;
/// use tessera::random::StreamKey;
/// let key = StreamKey { seed: 7, stream: 0 };
/// let mut p = permutation_prefix(key, 10, 10);
/// assert_eq!(p, permutation_prefix(key, 10, 10)); // a pure function of the key
/// p.sort();
/// assert_eq!(p, (0..10).collect::<Vec<u64>>());
/// assert_eq!(permutation_prefix(key, 10, 3)[..], permutation_prefix(key, 10, 10)[..3]);
/// ```
pub fn permutation_prefix(key: StreamKey, n: u64, k: u64) -> Vec<u64> {
    assert!(k <= n, "a prefix of at most the permutation's length");
    let stream = SplitMix::new(key);
    let mut order: Vec<u64> = (0..n).collect();
    for i in 0..k.min(n.saturating_sub(1)) {
        let j = i + below(stream.word(i), n - i);
        order.swap(i as usize, j as usize);
    }
    order.truncate(k as usize);
    order
}

/// `k` indices drawn uniformly from `0..n` with replacement, from the stream of `key` (word
/// `i` gives index `i`). `n` is positive.
///
/// # Examples
///
/// ```
/// use tessera::random::shuffle::indices_with_replacement;
/// use tessera::random::StreamKey;
/// let picks = indices_with_replacement(StreamKey { seed: 1, stream: 2 }, 5, 1000);
/// assert!(picks.iter().all(|&i| i < 5));
/// assert!((0..5).all(|v| picks.contains(&v)));
/// ```
pub fn indices_with_replacement(key: StreamKey, n: u64, k: u64) -> Vec<u64> {
    let stream = SplitMix::new(key);
    (0..k).map(|i| below(stream.word(i), n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every permutation of 3 elements comes up about equally often over many keys.
    #[test]
    fn permutations_are_uniform() {
        let mut counts = std::collections::HashMap::new();
        for stream in 0..6000 {
            let p = permutation_prefix(StreamKey { seed: 3, stream }, 3, 3);
            *counts.entry(p).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6);
        // expected 1000 each; 5 standard deviations is about 150
        assert!(
            counts.values().all(|&c| (850..1150).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn empty_and_single() {
        let key = StreamKey { seed: 0, stream: 0 };
        assert!(permutation_prefix(key, 0, 0).is_empty());
        assert_eq!(permutation_prefix(key, 1, 1), vec![0]);
        assert!(indices_with_replacement(key, 4, 0).is_empty());
    }
}
