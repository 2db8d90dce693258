//! Value analyses kept from one check to the next, for callers that check the same workspace
//! over and over: the language server re-checks on every edit, and without this it would
//! re-run zxcvbn (1.5 ms for a 40-character value) on every password of the workspace each
//! time. With it, an edit re-analyses only the values it changed.
//!
//! Entries are keyed by two independent keyed hashes of the judged text (random keys per
//! cache, as the index's own hashes are random per run), so nothing here holds a value or an
//! unkeyed digest of one, and a wrong analysis would need a 128-bit collision. Entries not used
//! by the last two checks are dropped, so the cache stays the size of the workspace however
//! long one types.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

use super::index::{Analysis, ZxcvbnAsk};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CacheKey {
    a: u64,
    b: u64,
    /// When zxcvbn may run: the key's hash (it judges the value against the key's name) and
    /// the floors that decide whether it runs.
    zxcvbn: Option<(u64, usize, u64)>,
}

#[derive(Debug, Default)]
struct Entries {
    generation: u64,
    map: HashMap<CacheKey, (Analysis, u64)>,
}

/// Analyses of distinct values, shared across checks; see [`super::check_with_cache`].
#[derive(Debug, Default)]
pub struct AnalysisCache {
    first: RandomState,
    second: RandomState,
    entries: Mutex<Entries>,
}

impl AnalysisCache {
    pub fn new() -> AnalysisCache {
        AnalysisCache::default()
    }

    /// Number of analyses held.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // Every update is a single insert, so a panic elsewhere leaves the map usable.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The analysis of `text` for `key`, computed by `analyse` only when not cached.
    pub(super) fn get_or(
        &self,
        text: &str,
        ask: Option<ZxcvbnAsk>,
        key: &str,
        analyse: impl FnOnce() -> Analysis,
    ) -> Analysis {
        let k = CacheKey {
            a: self.first.hash_one(text),
            b: self.second.hash_one(text),
            zxcvbn: ask.map(|a| (self.first.hash_one(key), a.min_chars, a.min_bits.to_bits())),
        };
        {
            let mut entries = self.lock();
            let generation = entries.generation;
            if let Some((analysis, used)) = entries.map.get_mut(&k) {
                *used = generation;
                return analysis.clone();
            }
        }
        // Analysed outside the lock: this is the slow part, and checks analyse in parallel.
        let analysis = analyse();
        let mut entries = self.lock();
        let generation = entries.generation;
        entries.map.insert(k, (analysis.clone(), generation));
        analysis
    }

    /// Ends one check: entries unused by it and by the one before are dropped.
    pub(super) fn finish_check(&self) {
        let mut entries = self.lock();
        let keep_from = entries.generation.saturating_sub(1);
        entries.map.retain(|_, (_, used)| *used >= keep_from);
        entries.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::AnalysisCache;
    use crate::{CheckOptions, Input, Policy, check, check_with_cache};

    fn inputs(password: &str) -> Vec<Input> {
        let text = format!(
            "DB_PASSWORD={password}\nAPI_KEY=abc\nSECRET_KEY=Vq3xT9mLr2Zp8KwB7nHc4YdJf6GsA1Ee\n"
        );
        vec![
            Input::text(".env.production", text),
            Input::text("api/.env.production", "DB_PASSWORD=hunter2\n"),
        ]
    }

    #[test]
    fn cached_checks_report_what_uncached_checks_report() {
        let policy = Policy::recommended();
        let options = CheckOptions::default();
        let cache = AnalysisCache::new();
        for password in [
            "hunter2",
            "hunter2",
            "correct-horse-battery-staple",
            "hunter2",
            "",
        ] {
            let plain = check(&policy, inputs(password), &options);
            let cached = check_with_cache(&policy, inputs(password), &options, &cache);
            assert!(!plain.findings.is_empty());
            assert_eq!(plain.findings, cached.findings, "{password:?}");
        }
        assert!(!cache.is_empty());
    }

    #[test]
    fn values_unused_for_two_checks_are_dropped() {
        let policy = Policy::recommended();
        let options = CheckOptions::default();
        let cache = AnalysisCache::new();
        check_with_cache(&policy, inputs("hunter2"), &options, &cache);
        let held = cache.len();
        assert!(held > 0);
        check_with_cache(
            &policy,
            vec![Input::text(".env", "A=1\n")],
            &options,
            &cache,
        );
        assert_eq!(
            cache.len(),
            held,
            "kept across one check, for an edit that is undone"
        );
        check_with_cache(
            &policy,
            vec![Input::text(".env", "A=1\n")],
            &options,
            &cache,
        );
        assert!(cache.is_empty());
    }
}
