//! The disk layer shared by the CLI and the language server: finding the policy file, walking
//! directories for the files a policy's environments name, and reading them into [`Input`]s.
//!
//! What is walked: hidden files and gitignored files are included (a gitignored `.env` is
//! exactly where secrets live); directories that hold dependencies, build output or VCS data
//! are not descended ([`SKIPPED_DIRS`]); symlinks are not followed while walking, so loops
//! cannot trap the walk. A path named explicitly is always checked, whatever its name. When
//! the policy places manifests by Kubernetes namespace, a YAML file no glob names is read too,
//! and kept when it holds a Secret in a namespace some environment lists.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::{WalkBuilder, WalkState};

use crate::document::{Document, DocumentKind, yaml};
use crate::policy::Policy;
use crate::workspace::{Content, Input, SourceFile};

/// The policy file name looked for upward from the working directory.
pub const POLICY_FILE: &str = "secretlint.toml";

/// Directory names never descended while walking.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "target",
    "vendor",
    "dist",
    "build",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".terraform",
    ".next",
    ".nuxt",
    ".cache",
    ".secretlint",
    "bower_components",
    ".gradle",
    ".idea",
];

/// Files larger than this are reported as unreadable rather than read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The nearest `secretlint.toml` in `start` or one of its ancestors.
pub fn find_policy(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(POLICY_FILE))
        .find(|p| p.is_file())
}

/// What to walk and how.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// The directory policy globs are relative to (the policy file's directory).
    pub root: PathBuf,
    /// Files and directories to check.
    pub paths: Vec<PathBuf>,
    /// Globs of paths to leave out (matched against the root-relative path).
    pub exclude: Vec<String>,
    /// Worker threads; 0 picks one per core.
    pub threads: usize,
}

/// An `--exclude` glob that could not be compiled.
#[derive(Debug, thiserror::Error)]
#[error("invalid --exclude glob `{glob}`: {reason}")]
pub struct ExcludeError {
    pub glob: String,
    pub reason: String,
}

/// Walks `options.paths` and reads every file that belongs to an environment of `policy`
/// (and every file named explicitly). Files that cannot be read come back as
/// [`Content::Unreadable`] so the check reports them and goes on.
pub fn collect(policy: &Policy, options: &WalkOptions) -> Result<Vec<Input>, ExcludeError> {
    collect_counting(policy, options, &AtomicUsize::new(0))
}

/// [`collect`], adding to `walked` as each directory entry is seen, so a front end can show
/// progress on a long walk without the engine printing anything.
pub fn collect_counting(
    policy: &Policy,
    options: &WalkOptions,
    walked: &AtomicUsize,
) -> Result<Vec<Input>, ExcludeError> {
    collect_with(policy, options, walked, |input, _| input)
}

/// [`collect_counting`], reading each file into a [`SourceFile`] (parsed and placed in its
/// environment) on the walker's own threads, so parsing overlaps the walk. For
/// [`crate::check_sources`].
pub fn collect_sources(
    policy: &Policy,
    options: &WalkOptions,
    walked: &AtomicUsize,
) -> Result<Vec<SourceFile>, ExcludeError> {
    collect_with(policy, options, walked, |input, env| {
        SourceFile::placed(policy, input, env)
    })
}

/// The walk, handing each file found to `make` on the thread that read it, with the
/// environment its path places it in.
fn collect_with<T: Send>(
    policy: &Policy,
    options: &WalkOptions,
    walked: &AtomicUsize,
    make: impl Fn(Input, Option<usize>) -> T + Sync,
) -> Result<Vec<T>, ExcludeError> {
    let exclude = exclude_set(&options.exclude)?;
    let by_namespace = policy.places_by_namespace();
    let found = Mutex::new(Vec::new());
    for path in &options.paths {
        let meta = fs::symlink_metadata(path);
        let is_dir = meta.as_ref().is_ok_and(|m| m.is_dir());
        if !is_dir {
            // Named explicitly: always checked, even if no environment claims it.
            let rel = display_path(&options.root, path);
            let env = policy.environment_for(&rel);
            push(&found, make(read_input(path, rel), env));
            continue;
        }
        let mut builder = WalkBuilder::new(path);
        builder
            .standard_filters(false)
            .hidden(false)
            .follow_links(false)
            .threads(options.threads)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.depth() > 0
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
            });
        builder.build_parallel().run(|| {
            let found = &found;
            let exclude = &exclude;
            let make = &make;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        // A directory that cannot be listed hides whatever env files it
                        // holds: say so, rather than report a clean run over part of the tree.
                        if let Some(input) = walk_error(&options.root, &e) {
                            let env = policy.environment_for(&input.path);
                            push(found, make(input, env));
                        }
                        return WalkState::Continue;
                    }
                };
                walked.fetch_add(1, Ordering::Relaxed);
                if entry.file_type().is_some_and(|t| t.is_dir()) {
                    if entry.depth() > 0
                        && !exclude.is_empty()
                        && exclude.is_match(display_path(&options.root, entry.path()))
                    {
                        return WalkState::Skip;
                    }
                    return WalkState::Continue;
                }
                // Borrowed from the entry's path: most walked files belong to no environment,
                // and only the kept ones need a path of their own.
                let rel = display_path_of(&options.root, entry.path());
                if !exclude.is_empty() && exclude.is_match(rel.as_ref()) {
                    return WalkState::Continue;
                }
                // The directory listing already says a plain file is one: no stat before open.
                let listed_as_file = entry.file_type().is_some_and(|t| t.is_file());
                let read = |rel: std::borrow::Cow<str>| {
                    let rel = rel.into_owned();
                    if listed_as_file {
                        read_listed_file(entry.path(), rel)
                    } else {
                        read_input(entry.path(), rel)
                    }
                };
                if let Some(env) = policy.environment_for(&rel) {
                    push(found, make(read(rel), Some(env)));
                } else if by_namespace && yaml::is_yaml_path(&rel) {
                    let input = read(rel);
                    if placed_by_namespace(policy, &input) {
                        push(found, make(input, None));
                    }
                }
                WalkState::Continue
            })
        });
    }
    Ok(found.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// The unreadable input a walk error stands for: the path it names, with its reason.
fn walk_error(root: &Path, error: &ignore::Error) -> Option<Input> {
    fn path_of(error: &ignore::Error) -> Option<&Path> {
        match error {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errors) => errors.iter().find_map(path_of),
            _ => None,
        }
    }
    let path = path_of(error)?;
    let reason = match error.io_error() {
        Some(e) => io_reason(e),
        None => "could not be walked".into(),
    };
    Some(Input {
        path: display_path(root, path),
        content: Content::Unreadable {
            reason: format!("could not list directory: {reason}"),
        },
    })
}

/// Whether a YAML file that no glob names is a manifest whose namespace an environment lists.
/// Other YAML files (CI configurations, Helm templates that are not YAML yet) are left out
/// unread by the check, so they cannot raise findings where the policy did not look.
fn placed_by_namespace(policy: &Policy, input: &Input) -> bool {
    let Content::Text { text, .. } = &input.content else {
        return false;
    };
    Document::parse(DocumentKind::Yaml, text)
        .namespace
        .is_some_and(|ns| policy.environment_for_namespace(&ns).is_some())
}

fn push<T>(found: &Mutex<Vec<T>>, input: T) {
    match found.lock() {
        Ok(mut v) => v.push(input),
        Err(e) => e.into_inner().push(input),
    }
}

fn exclude_set(globs: &[String]) -> Result<globset::GlobSet, ExcludeError> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let glob = globset::GlobBuilder::new(g)
            .literal_separator(false)
            .build()
            .map_err(|e| ExcludeError {
                glob: g.clone(),
                reason: e.kind().to_string(),
            })?;
        b.add(glob);
        // `--exclude vendor` should also leave out everything below `vendor/`.
        if let Ok(below) = globset::Glob::new(&format!("{}/**", g.trim_end_matches('/'))) {
            b.add(below);
        }
    }
    b.build().map_err(|e| ExcludeError {
        glob: globs.join(", "),
        reason: e.kind().to_string(),
    })
}

/// The slash-separated path of `path` relative to `root`: `a/.env` below it, `../x/.env`
/// beside it (when both are absolute), `path` itself otherwise.
pub fn display_path(root: &Path, path: &Path) -> String {
    display_path_of(root, path).into_owned()
}

/// [`display_path`], borrowed from `path` in the walk's case, once per file of the tree: a
/// plain path below the root.
fn display_path_of<'p>(root: &Path, path: &'p Path) -> std::borrow::Cow<'p, str> {
    if let Some(rel) = path
        .strip_prefix(root)
        .ok()
        .and_then(|rest| rest.to_str())
        .filter(|rel| is_plain_relative(rel))
    {
        return std::borrow::Cow::Borrowed(rel);
    }
    std::borrow::Cow::Owned(general_display_path(root, path))
}

/// [`display_path`] for paths outside the root, or written with `.`, `..` or backslashes.
fn general_display_path(root: &Path, path: &Path) -> String {
    let path = clean(path);
    let root = clean(root);
    let (pc, rc): (Vec<Component>, Vec<Component>) =
        (path.components().collect(), root.components().collect());
    let common = pc.iter().zip(&rc).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    if common == 0 && path.is_absolute() {
        return path.to_string_lossy().replace('\\', "/");
    }
    if common < rc.len() {
        if !(path.is_absolute() && root.is_absolute()) {
            return path.to_string_lossy().replace('\\', "/");
        }
        parts.extend(std::iter::repeat_n("..".to_owned(), rc.len() - common));
    }
    parts.extend(
        pc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// Whether `rel` is already in display form: non-empty, `/`-separated, with no `.`, `..` or
/// empty component, so that the general path below would return it unchanged.
fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Removes `.` components and a leading `./`, without touching the file system.
fn clean(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Reads one file, turning every way it can fail into a reason the user can act on.
pub fn read_input(path: &Path, display: String) -> Input {
    input(display, read_text(path))
}

fn input(display: String, read: Result<(String, Option<u32>), String>) -> Input {
    let content = match read {
        Ok((text, mode)) => Content::Text { text, mode },
        Err(reason) => Content::Unreadable { reason },
    };
    Input {
        path: display,
        content,
    }
}

/// [`read_input`] for a file the directory listing says is a regular file, in two system
/// calls fewer: opened without following a link and without blocking, then checked on the
/// open handle. Anything else (the entry was replaced by a link, a FIFO or a device since it
/// was listed) takes [`read_input`]'s careful path, so its reasons are the same.
pub fn read_listed_file(path: &Path, display: String) -> Input {
    match read_open_file(path) {
        Some(read) => input(display, read),
        None => read_input(path, display),
    }
}

/// `None` when the path is not (or no longer) a regular file that can be opened directly.
#[cfg(unix)]
fn read_open_file(path: &Path) -> Option<Result<(String, Option<u32>), String>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(read_opened(file, &meta))
}

#[cfg(not(unix))]
fn read_open_file(_: &Path) -> Option<Result<(String, Option<u32>), String>> {
    None
}

/// Reads a file the run depends on but does not check (the rotation metadata) with the same
/// guards as a checked file: never a FIFO or device, never more than [`MAX_FILE_BYTES`],
/// only UTF-8. `Ok(None)` when there is no such file.
///
/// A symbolic link is refused: the rotation metadata holds no values, so its errors are shown
/// unmasked, and a link committed to the repository (`rotations.toml -> ../.env.production`)
/// would print an env file's values in a CI log.
pub fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Ok(m) if m.file_type().is_symlink() => {
            Err("it is a symbolic link, which is never followed for this file".into())
        }
        _ => read_text(path).map(|(text, _)| Some(text)),
    }
}

fn read_text(path: &Path) -> Result<(String, Option<u32>), String> {
    let link = fs::symlink_metadata(path).map_err(|e| io_reason(&e))?;
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if link.file_type().is_symlink() => {
            return Err(format!("broken symlink ({})", io_reason(&e)));
        }
        Err(e) => return Err(io_reason(&e)),
    };
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        // A FIFO or device would block or never end: never open one.
        return Err("not a regular file".into());
    }
    let file = fs::File::open(path).map_err(|e| io_reason(&e))?;
    read_opened(file, &meta)
}

/// Reads an open regular file with the size, NUL and UTF-8 guards.
fn read_opened(file: fs::File, meta: &fs::Metadata) -> Result<(String, Option<u32>), String> {
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "larger than {} MiB ({} bytes)",
            MAX_FILE_BYTES >> 20,
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Bounded even if the file grows while being read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {} MiB", MAX_FILE_BYTES >> 20));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary file (NUL byte at offset {at})"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("not valid UTF-8 (byte {at}, line {line})")
    })?;
    Ok((text, mode(meta)))
}

#[cfg(unix)]
fn mode(meta: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode(_: &fs::Metadata) -> Option<u32> {
    None
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        _ => {
            let s = e.to_string();
            // The OS error number means nothing to a reader and differs between systems.
            let s = match s.rfind(" (os error ") {
                Some(at) if s.ends_with(')') => s[..at].to_owned(),
                _ => s,
            };
            // "Too many levels of symbolic links" -> lowercase first word.
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_root_relative_and_slash_separated() {
        assert_eq!(
            display_path(Path::new("/r"), Path::new("/r/a/.env")),
            "a/.env"
        );
        assert_eq!(
            display_path(Path::new("."), Path::new("./a/.env")),
            "a/.env"
        );
        assert_eq!(
            display_path(Path::new("/r/a"), Path::new("/r/secretlint.toml")),
            "../secretlint.toml"
        );
        assert_eq!(display_path(Path::new("/r"), Path::new("/r")), ".");
        assert_eq!(
            display_path(Path::new("rel"), Path::new("/abs/.env")),
            "/abs/.env"
        );
    }
}
