//! Deterministic sharding: which of N CI runners reports on a file, decided by a stable hash
//! of its root-relative path so every runner agrees without talking to the others.
//!
//! Cross-file rules (reuse across environments and keys, shared secrets that disagree) need
//! every file in the index, so a shard still reads and indexes every file; it only *reports*
//! the findings whose primary location is in one of its own files. The shards' reports are
//! then disjoint and their union is exactly the unsharded report.

/// One part of a split of the files into `count` disjoint parts; `index` is 1-based, as
/// written on the command line (`--shard 2/4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    index: u32,
    count: u32,
}

/// A `--shard` value that is not `I/N` with `1 <= I <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid shard `{given}`: {reason}")]
pub struct ShardError {
    pub given: String,
    pub reason: &'static str,
}

impl Shard {
    /// Shard `index` of `count`, 1-based.
    pub fn new(index: u32, count: u32) -> Result<Shard, ShardError> {
        let err = |reason| ShardError {
            given: format!("{index}/{count}"),
            reason,
        };
        if count == 0 {
            return Err(err("the number of shards must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(err(
                "the shard number must be between 1 and the number of shards",
            ));
        }
        Ok(Shard { index, count })
    }

    /// Parses `I/N`, such as `2/4`.
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let err = |reason| ShardError {
            given: text.to_owned(),
            reason,
        };
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| err("expected `I/N`, such as `1/4`"))?;
        let i: u32 = i
            .trim()
            .parse()
            .map_err(|_| err("`I` must be a positive whole number"))?;
        let n: u32 = n
            .trim()
            .parse()
            .map_err(|_| err("`N` must be a positive whole number"))?;
        Shard::new(i, n).map_err(|e| ShardError {
            given: text.to_owned(),
            reason: e.reason,
        })
    }

    /// The 1-based shard number.
    pub fn index(self) -> u32 {
        self.index
    }

    /// The number of shards.
    pub fn count(self) -> u32 {
        self.count
    }

    /// Whether the file at `path` (root-relative, slash-separated, as in findings) belongs to
    /// this shard.
    pub fn contains(self, path: &str) -> bool {
        bucket(path, self.count) == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        Shard::parse(s)
    }
}

/// The 0-based bucket of `path` among `count`.
pub fn bucket(path: &str, count: u32) -> u32 {
    // `count` is at least 1 for every `Shard`; guard anyway so a direct caller cannot divide
    // by zero.
    (stable_hash(path.as_bytes()) % u64::from(count.max(1))) as u32
}

/// A hash that is the same on every machine, platform and release: FNV-1a over the bytes,
/// then a SplitMix64 finalizer so that the low bits (which `% count` keeps) are well mixed.
///
/// Not `std::hash`: its `DefaultHasher` may change between Rust releases, and runners built
/// by different toolchains must agree on the split. Not for secrets: this is not keyed.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n_and_rejects_the_rest() {
        assert_eq!(Shard::parse("2/4"), Shard::new(2, 4));
        assert_eq!(
            Shard::parse("1/1").map(|s| s.to_string()),
            Ok("1/1".to_owned())
        );
        for bad in ["0/4", "5/4", "1/0", "x/4", "2", "2/4/6", "-1/4", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Shard::parse("5/4").map_err(|e| e.to_string()),
            Err(
                "invalid shard `5/4`: the shard number must be between 1 and the number of shards"
                    .into()
            )
        );
    }

    #[test]
    fn every_path_is_in_exactly_one_shard() {
        let paths: Vec<String> = (0..2000)
            .map(|i| format!("services/team-{}/svc-{i}/.env.production", i % 7))
            .collect();
        for count in [1, 2, 3, 4, 7, 16] {
            let shards: Vec<Shard> = (1..=count).map(|i| Shard::new(i, count).unwrap()).collect();
            let mut sizes = vec![0usize; count as usize];
            for p in &paths {
                let owners: Vec<usize> = (0..shards.len())
                    .filter(|&i| shards[i].contains(p))
                    .collect();
                assert_eq!(owners.len(), 1, "{p} in {count} shards: {owners:?}");
                sizes[owners[0]] += 1;
            }
            // Balanced within a loose margin: no shard gets less than half its fair share.
            let fair = paths.len() / count as usize;
            assert!(sizes.iter().all(|&s| s * 2 >= fair), "{count}: {sizes:?}");
        }
    }

    #[test]
    fn the_hash_is_stable_across_releases() {
        // Pinned: runners built from different commits must keep agreeing on the split.
        assert_eq!(stable_hash(b""), PINNED_EMPTY);
        let pinned: Vec<u32> = ["a/.env", "b/.env", "c/.env.production", "d/.env.staging"]
            .iter()
            .map(|p| bucket(p, 8))
            .collect();
        assert_eq!(pinned, PINNED_BUCKETS);
    }

    const PINNED_EMPTY: u64 = 0xf52a_15e9_a9b5_e89b;
    const PINNED_BUCKETS: [u32; 4] = [5, 6, 6, 2];
}
