//! proptest runners that draw values from a fixed seed, configured by the code alone.
//!
//! proptest's `Config::default()` applies the `PROPTEST_*` environment variables
//! (`PROPTEST_MAX_LOCAL_REJECTS`, `PROPTEST_MAX_FLAT_MAP_REGENS`, `PROPTEST_MAX_SHRINK_ITERS`,
//! ...). A runner built on it let the environment of whoever runs the harness change which
//! values a seed gives (a filter giving up after one rejection skips the case), so every runner
//! the library draws with is built here, with each setting spelled out. The number of cases is
//! the harness's own option (`cases`, which reads `PROPTEST_CASES` on purpose), never the
//! runner's.

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
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Random,
        // Only the fields of optional proptest features (`fork`, `timeout`) are left: a runner
        // that only draws values never forks or times out.
        ..Config::default()
    }
}

/// A runner drawing from the ChaCha stream of `seed`, with `max_local_rejects` (see [`config`]).
pub(crate) fn runner(seed: &[u8; 32], max_local_rejects: u32) -> TestRunner {
    TestRunner::new_with_rng(
        config(max_local_rejects),
        TestRng::from_seed(RngAlgorithm::ChaCha, seed),
    )
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
        assert_eq!(config.rng_algorithm, RngAlgorithm::ChaCha);
        assert!(config.failure_persistence.is_none());
    }
}
