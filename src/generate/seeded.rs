//! proptest runners that draw values from a fixed seed, configured by the code alone.
//!
//! proptest's `Config::default()` applies the `PROPTEST_*` environment variables
//! (`PROPTEST_MAX_LOCAL_REJECTS`, `PROPTEST_MAX_FLAT_MAP_REGENS`, `PROPTEST_MAX_SHRINK_ITERS`,
//! ...). A runner built on it let the environment of whoever runs the harness change which
//! values a seed gives (a filter giving up after one rejection skips the case), so every runner
//! the library draws with is built here, with each setting spelled out. The number of cases is
//! the harness's own option (`cases`, which reads `PROPTEST_CASES` on purpose), never the
//! runner's.
//!
//! The runners draw from proptest's XorShift generator, not its default ChaCha20: a fuzzer
//! needs no cryptographic stream, and every case starts a runner of its own, so seeding one
//! and drawing from it is a cost paid on every value (ChaCha20 computes 256 bytes of stream
//! before its first draw: about 140 ns a case, `benches/compare` "fixed cost", and a tenth to
//! a fifth of the generator's time besides; XorShift seeds from 16 bytes and draws in a few
//! instructions). The 32 bytes of a seed are hashed down to XorShift's 16, so every byte counts.

use proptest::test_runner::{
    Config, RngAlgorithm, RngSeed, TestRng, TestRunner, noop_result_cache,
};

/// proptest's own default number of local rejections (filters) per value.
pub(crate) const DEFAULT_MAX_LOCAL_REJECTS: u32 = 65_536;

/// A runner configuration that no environment variable changes, with `max_local_rejects`.
pub(crate) fn config(max_local_rejects: u32) -> Config {
    Config {
        cases: 256,
        max_local_rejects,
        max_global_rejects: 1024,
        max_flat_map_regens: 1_000_000,
        failure_persistence: None,
        source_file: None,
        test_name: None,
        max_shrink_time: 0,
        max_shrink_iters: u32::MAX,
        max_default_size_range: 100,
        result_cache: noop_result_cache,
        verbose: 0,
        rng_algorithm: RngAlgorithm::XorShift,
        rng_seed: RngSeed::Random,
        // Only the fields of optional proptest features (`fork`, `timeout`) are left: a runner
        // that only draws values never forks or times out.
        ..Config::default()
    }
}

/// A runner drawing from the XorShift stream of `seed`, with `max_local_rejects` (see
/// [`config`]).
pub(crate) fn runner(seed: &[u8; 32], max_local_rejects: u32) -> TestRunner {
    // Every case starts a runner: the configuration is built once (building one clones
    // proptest's default, file persistence included, and drops what it replaces).
    static BUILT: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
    let mut config = BUILT
        .get_or_init(|| config(DEFAULT_MAX_LOCAL_REJECTS))
        .clone();
    config.max_local_rejects = max_local_rejects;
    TestRunner::new_with_rng(config, rng(seed))
}

/// The XorShift generator of `seed`, hashed down to the 16 bytes XorShift takes (SplitMix64
/// over its four words: seeds alike in most bytes still start far apart).
pub(crate) fn rng(seed: &[u8; 32]) -> TestRng {
    let mut state = 0u64;
    for word in seed.chunks_exact(8) {
        let word: [u8; 8] = word.try_into().expect("8 bytes");
        state = mix(state ^ u64::from_le_bytes(word));
    }
    let mut bytes = [0u8; 16];
    for half in bytes.chunks_exact_mut(8) {
        state = mix(state);
        half.copy_from_slice(&state.to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::XorShift, &bytes)
}

/// One step of SplitMix64 (Steele, Lea and Flood 2014): its increment, then its finaliser.
pub(crate) fn mix(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_is_the_codes_own() {
        let config = config(7);
        assert_eq!(config.max_local_rejects, 7);
        assert_eq!(config.cases, 256);
        assert_eq!(config.max_global_rejects, 1024);
        assert_eq!(config.max_flat_map_regens, 1_000_000);
        assert_eq!(config.max_shrink_iters, u32::MAX);
        assert_eq!(config.max_shrink_time, 0);
        assert_eq!(config.max_default_size_range, 100);
        assert_eq!(config.rng_algorithm, RngAlgorithm::XorShift);
        assert!(config.failure_persistence.is_none());
    }
}
