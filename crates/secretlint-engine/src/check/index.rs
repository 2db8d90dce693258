//! The workspace index: every secret-bearing entry of every file, and one analysis per
//! distinct value. The index keys values by a keyed hash (random per run), so nothing here
//! keeps a value in clear beyond the documents themselves.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use rayon::prelude::*;

use crate::document::Entry;
use crate::policy::Policy;
use crate::value::{self, CharClasses, Encrypted, PatternMatch, PlaceholderKind};
use crate::workspace::SourceFile;

/// Which part of an entry's value the strength rules judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    /// The whole value.
    Whole,
    /// The password inside a connection URL, percent-decoded; the range is into the value.
    UrlPassword { start: usize, end: usize },
    /// Nothing to judge: empty, only references, encrypted in place, or a URL without a
    /// password.
    Nothing,
}

/// One entry whose key is governed by a secret rule or looks like a secret.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub file: usize,
    pub entry: usize,
    pub secret: Option<usize>,
    pub judged: Judged,
    /// Keyed hash of the whole value (for reuse and consistency), `None` when the value is not
    /// a secret of its own (empty, only references, a placeholder, encrypted).
    pub value_hash: Option<u64>,
    /// Keyed hash of the judged text.
    pub judged_hash: u64,
    /// Where the judged text's analysis is in [`SecretIndex`] (`None` when nothing is judged).
    analysis: Option<u32>,
}

/// What can be said about one distinct value.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub chars: usize,
    pub classes: CharClasses,
    pub entropy_bits: f64,
    pub placeholder: Option<PlaceholderKind>,
    pub pattern: Option<PatternMatch>,
    pub encrypted: Option<Encrypted>,
    /// zxcvbn's score, computed only where some profile asks for it and no cheaper check has
    /// already failed the value for every profile that asks (see [`ZxcvbnAsk`]).
    pub zxcvbn: Option<u8>,
}

#[derive(Debug)]
pub struct SecretIndex {
    pub occurrences: Vec<Occurrence>,
    /// For each file, the range of its occurrences.
    pub by_file: Vec<std::ops::Range<usize>>,
    /// One per distinct judged text, found through [`Occurrence`]'s position.
    analyses: Vec<Analysis>,
}

/// Shortest value that counts as reused: shorter ones (`1`, `on`) collide by chance.
const MIN_REUSE_CHARS: usize = 4;

impl SecretIndex {
    pub fn build(policy: &Policy, files: &[SourceFile]) -> SecretIndex {
        Self::build_with(policy, files, None)
    }

    /// [`SecretIndex::build`], taking analyses from `cache` where it has them.
    pub fn build_with(
        policy: &Policy,
        files: &[SourceFile],
        cache: Option<&super::AnalysisCache>,
    ) -> SecretIndex {
        let hasher = RandomState::new();
        let per_file: Vec<Vec<Occurrence>> = files
            .par_iter()
            .enumerate()
            .map_init(Names::default, |names, (i, f)| {
                occurrences(policy, &hasher, names, i, f)
            })
            .collect();
        // Sized once: growing by doubling would leave a trail of half-size copies behind.
        let mut occurrences = Vec::with_capacity(per_file.iter().map(Vec::len).sum());
        let mut by_file = Vec::with_capacity(files.len());
        for list in per_file {
            let start = occurrences.len();
            occurrences.extend(list);
            by_file.push(start..occurrences.len());
        }
        // One representative occurrence per distinct judged value, with the loosest length and
        // entropy floors of the profiles governing it that ask for zxcvbn (the costly estimate
        // runs only where one of them could still pass).
        // Each occurrence learns the position of its value's analysis as the distinct values
        // are numbered, so no map from hash to analysis is needed afterwards.
        let mut distinct: foldhash::HashMap<u64, u32> =
            HashMap::with_capacity_and_hasher(occurrences.len(), Default::default());
        let mut representatives: Vec<(usize, Option<ZxcvbnAsk>)> = Vec::new();
        for (i, occ) in occurrences.iter_mut().enumerate() {
            if occ.judged == Judged::Nothing {
                continue;
            }
            let ask = zxcvbn_ask(policy, files, occ);
            let next = representatives.len() as u32;
            let at = *distinct.entry(occ.judged_hash).or_insert(next);
            if at == next {
                representatives.push((i, None));
            }
            let slot = &mut representatives[at as usize].1;
            *slot = ZxcvbnAsk::loosest(*slot, ask);
            occ.analysis = Some(at);
        }
        drop(distinct);
        let analyses: Vec<Analysis> = representatives
            .into_par_iter()
            .map(|(i, ask)| {
                let occ = &occurrences[i];
                let entry = &files[occ.file].document.entries[occ.entry];
                let text = judged_text(entry, occ.judged);
                match cache {
                    Some(c) => c.get_or(&text, ask, &entry.key, || analyse(&text, ask, &entry.key)),
                    None => analyse(&text, ask, &entry.key),
                }
            })
            .collect();
        // A whole value's placeholder check is its analysis's, made once per distinct value
        // rather than once per occurrence (see `occurrences`).
        for occ in &mut occurrences {
            if occ.judged == Judged::Whole
                && occ.value_hash.is_some()
                && occ
                    .analysis
                    .is_some_and(|a| analyses[a as usize].placeholder.is_some())
            {
                occ.value_hash = None;
            }
        }
        SecretIndex {
            occurrences,
            by_file,
            analyses,
        }
    }

    pub fn analysis(&self, occ: &Occurrence) -> Option<&Analysis> {
        self.analyses.get(occ.analysis? as usize)
    }

    pub fn of_file(&self, file: usize) -> &[Occurrence] {
        &self.occurrences[self.by_file[file].clone()]
    }
}

/// The text the strength rules judge for an entry: the value itself, or a decoded part of it.
pub fn judged_text(entry: &Entry, judged: Judged) -> Cow<'_, str> {
    let value = entry.value.expose();
    match judged {
        Judged::Whole => Cow::Borrowed(value),
        Judged::UrlPassword { start, end } => {
            Cow::Owned(value::percent_decode(value.get(start..end).unwrap_or("")))
        }
        Judged::Nothing => Cow::Borrowed(""),
    }
}

/// What the policy makes of each key name, worked out once per name and thread: a monorepo
/// repeats a few dozen names across hundreds of thousands of entries.
#[derive(Default)]
pub(super) struct Names {
    secret: foldhash::HashMap<String, Option<usize>>,
    indexed: foldhash::HashMap<String, Option<Option<usize>>>,
}

impl Names {
    /// [`Policy::secret_for`].
    pub(super) fn secret_for(&mut self, policy: &Policy, key: &str) -> Option<usize> {
        if let Some(known) = self.secret.get(key) {
            return *known;
        }
        let known = policy.secret_for(key);
        self.secret.insert(key.to_owned(), known);
        known
    }

    /// `None` when entries of this key are not secrets; otherwise the rule governing it, if
    /// any (a secret-looking name no rule covers is still indexed).
    fn indexed(&mut self, policy: &Policy, key: &str) -> Option<Option<usize>> {
        if let Some(known) = self.indexed.get(key) {
            return *known;
        }
        // SOPS metadata and zero-downtime companions (`KEY_PREVIOUS`, the old value kept for a
        // grace period) are not secrets of their own.
        let known = if key.starts_with("sops_") || is_companion(policy, key) {
            None
        } else {
            let secret = self.secret_for(policy, key);
            (secret.is_some() || value::secret_like_name(key)).then_some(secret)
        };
        self.indexed.insert(key.to_owned(), known);
        known
    }
}

fn occurrences(
    policy: &Policy,
    hasher: &RandomState,
    names: &mut Names,
    file_index: usize,
    file: &SourceFile,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (i, entry) in file.document.entries.iter().enumerate() {
        let Some(secret) = names.indexed(policy, &entry.key) else {
            continue;
        };
        let value = entry.value.expose();
        let judged = judge(entry);
        let judged_hash = match judged {
            Judged::Whole => hasher.hash_one(value),
            Judged::UrlPassword { .. } => hasher.hash_one(judged_text(entry, judged)),
            Judged::Nothing => 0,
        };
        // A whole value judged is neither encrypted (see `judge`) nor, once its analysis
        // is made, a placeholder: `build_with` drops the hash of those that are.
        let reusable = !value.is_empty()
            && !entry.only_references
            && value.chars().count() >= MIN_REUSE_CHARS
            && (judged == Judged::Whole
                || (value::encrypted(value).is_none() && value::placeholder(value, &[]).is_none()));
        out.push(Occurrence {
            file: file_index,
            entry: i,
            secret,
            judged,
            // The whole value is the judged text: its hash is already made.
            value_hash: reusable.then(|| match judged {
                Judged::Whole => judged_hash,
                _ => hasher.hash_one(value),
            }),
            judged_hash,
            analysis: None,
        });
    }
    out
}

fn judge(entry: &Entry) -> Judged {
    let value = entry.value.expose();
    if value.is_empty() || entry.only_references || value::encrypted(value).is_some() {
        return Judged::Nothing;
    }
    match value::url_parts(value) {
        Some(parts) => match parts.password {
            Some(p) if !p.is_empty() => Judged::UrlPassword {
                start: p.start,
                end: p.end,
            },
            _ => Judged::Nothing,
        },
        None => Judged::Whole,
    }
}

/// A profile's request for a zxcvbn score, with the cheaper floors that decide before it: a
/// value shorter than `min_chars` or with fewer than `min_bits` of entropy already fails that
/// profile (`too-short`, `low-entropy`), and zxcvbn could only add a note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZxcvbnAsk {
    pub min_chars: usize,
    pub min_bits: f64,
}

impl ZxcvbnAsk {
    /// The floors below which every one of the asking profiles fails the value anyway.
    fn loosest(a: Option<ZxcvbnAsk>, b: Option<ZxcvbnAsk>) -> Option<ZxcvbnAsk> {
        match (a, b) {
            (Some(a), Some(b)) => Some(ZxcvbnAsk {
                min_chars: a.min_chars.min(b.min_chars),
                min_bits: a.min_bits.min(b.min_bits),
            }),
            (a, b) => a.or(b),
        }
    }
}

fn zxcvbn_ask(policy: &Policy, files: &[SourceFile], occ: &Occurrence) -> Option<ZxcvbnAsk> {
    let secret = occ.secret?;
    let env = files[occ.file].environment;
    if env.is_some_and(|e| policy.environments[e].template) {
        return None;
    }
    let req = policy.requirements(secret, env);
    req.min_zxcvbn_score?;
    Some(ZxcvbnAsk {
        min_chars: req.min_length.unwrap_or(0),
        min_bits: req.min_entropy_bits.unwrap_or(0.0),
    })
}

fn analyse(text: &str, ask: Option<ZxcvbnAsk>, key: &str) -> Analysis {
    let placeholder = value::placeholder(text, &[]);
    let chars = text.chars().count();
    let classes = value::char_classes(text);
    let entropy_bits = value::entropy_bits(text);
    let pattern = value::predictable_pattern(text);
    // zxcvbn is the costliest check by three orders of magnitude: skip it when a cheaper one
    // has already decided, either way. A placeholder, a predictable pattern, or a value below
    // the length or entropy floor of every profile that asks already fails; a long, varied
    // value with no pattern is one zxcvbn rates 4.
    let zxcvbn = ask
        .filter(|ask| {
            placeholder.is_none()
                && pattern.is_none()
                && chars >= ask.min_chars
                && entropy_bits >= ask.min_bits
        })
        .map(|_| {
            if value::beyond_guessing(chars, classes.count(), entropy_bits, false) {
                4
            } else {
                value::zxcvbn_score(text, &[key])
            }
        });
    Analysis {
        chars,
        classes,
        entropy_bits,
        placeholder,
        pattern,
        encrypted: value::encrypted(text),
        zxcvbn,
    }
}

/// `SECRET_KEY_PREVIOUS` when `SECRET_KEY` is governed by a rule that keeps previous values.
fn is_companion(policy: &Policy, key: &str) -> bool {
    key.strip_suffix(super::PREVIOUS_SUFFIX)
        .and_then(|base| policy.secret_for(base))
        .is_some_and(|s| policy.secrets[s].keep_previous_days.is_some())
}
