//! Writing generated files without ever leaving one half-written, and comparing them for `--check`.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use similar::TextDiff;

/// How a file on disk differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file does not exist yet.
    Create {
        /// Path relative to the output folder.
        path: String,
        /// New contents.
        contents: String,
    },
    /// The file exists with other contents.
    Update {
        /// Path relative to the output folder.
        path: String,
        /// Current contents.
        old: String,
        /// New contents.
        new: String,
    },
    /// A generated file the spec no longer produces.
    Delete {
        /// Path relative to the output folder.
        path: String,
        /// Current contents.
        old: String,
    },
}

impl Change {
    /// Path relative to the output folder.
    pub fn path(&self) -> &str {
        match self {
            Change::Create { path, .. }
            | Change::Update { path, .. }
            | Change::Delete { path, .. } => path,
        }
    }

    /// A unified diff of the change, with `a/` and `b/` paths under `prefix`.
    pub fn unified_diff(&self, prefix: &str) -> String {
        let (old, new) = match self {
            Change::Create { contents, .. } => ("", contents.as_str()),
            Change::Update { old, new, .. } => (old.as_str(), new.as_str()),
            Change::Delete { old, .. } => (old.as_str(), ""),
        };
        let path = format!("{prefix}/{}", self.path());
        TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string()
    }
}

/// Line endings normalized, so a checkout with CRLF endings is not "stale".
pub fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Every `.rs` file under `dir`, keyed by `/`-separated relative path. A missing folder is empty.
pub fn read_tree(dir: &Path) -> io::Result<BTreeMap<String, String>> {
    read_files(dir, &|path| path.extension().is_some_and(|ext| ext == "rs"))?
        .into_iter()
        .map(|(key, bytes)| {
            String::from_utf8(bytes)
                .map(|text| (key.clone(), text))
                .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, format!("{key}: {err}")))
        })
        .collect()
}

/// The files under `dir` that `keep` accepts, keyed by `/`-separated relative path, in name
/// order. A missing folder has none.
pub fn read_files(
    dir: &Path,
    keep: &dyn Fn(&Path) -> bool,
) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if dir.is_dir() {
        read_files_into(dir, dir, keep, &mut files)?;
    }
    Ok(files)
}

fn read_files_into(
    root: &Path,
    dir: &Path,
    keep: &dyn Fn(&Path) -> bool,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            read_files_into(root, &path, keep, files)?;
        } else if keep(&path) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(key, fs::read(&path)?);
        }
    }
    Ok(())
}

/// What it takes to turn `current` (the folder's files) into `wanted` (the generator's output).
///
/// Files in `current` that do not start with `header` are not generated and are never deleted.
pub fn plan(
    current: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
    header: &str,
) -> (Vec<Change>, usize) {
    let mut changes = Vec::new();
    let mut unchanged = 0;
    for (path, new) in wanted {
        match current.get(path) {
            Some(old) if normalize_newlines(old) == *new => unchanged += 1,
            Some(old) => changes.push(Change::Update {
                path: path.clone(),
                old: normalize_newlines(old),
                new: new.clone(),
            }),
            None => changes.push(Change::Create {
                path: path.clone(),
                contents: new.clone(),
            }),
        }
    }
    for (path, old) in current {
        if !wanted.contains_key(path) && old.starts_with(header) {
            changes.push(Change::Delete {
                path: path.clone(),
                old: normalize_newlines(old),
            });
        }
    }
    (changes, unchanged)
}

/// Applies the changes under `dir`. Each file is written to a temporary file beside it and renamed
/// into place, so an interrupted run never leaves a half-written file.
pub fn apply(dir: &Path, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        let target = dir.join(change.path());
        match change {
            Change::Create { contents, .. } | Change::Update { new: contents, .. } => {
                write_atomically(&target, contents)?;
            }
            Change::Delete { .. } => {
                fs::remove_file(&target)?;
                remove_empty_parents(dir, &target);
            }
        }
    }
    Ok(())
}

fn write_atomically(target: &Path, contents: &str) -> io::Result<()> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    let temporary = temporary_path(target);
    fs::write(&temporary, contents)?;
    fs::rename(&temporary, target).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.xtask-tmp"))
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == root || fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn plans_creates_updates_and_deletes_only_generated_files() {
        let current = map(&[
            ("same.rs", "// H\nsame\n"),
            ("crlf.rs", "// H\r\nx\r\n"),
            ("old.rs", "// H\nold\n"),
            ("gone.rs", "// H\ngone\n"),
            ("hand.rs", "// hand-written\n"),
        ]);
        let wanted = map(&[
            ("same.rs", "// H\nsame\n"),
            ("crlf.rs", "// H\nx\n"),
            ("old.rs", "// H\nnew\n"),
            ("new.rs", "// H\nnew\n"),
        ]);
        let (changes, unchanged) = plan(&current, &wanted, "// H");
        assert_eq!(unchanged, 2);
        let paths: Vec<_> = changes.iter().map(|c| c.path().to_owned()).collect();
        assert_eq!(paths, ["new.rs", "old.rs", "gone.rs"]);
        assert!(changes[1].unified_diff("src").contains("-old\n+new"));
    }

    #[test]
    fn applies_changes_on_disk() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let changes = vec![
            Change::Create {
                path: "a/b.rs".into(),
                contents: "// H\nb\n".into(),
            },
            Change::Create {
                path: "c.rs".into(),
                contents: "// H\nc\n".into(),
            },
        ];
        apply(&dir, &changes).unwrap();
        let tree = read_tree(&dir).unwrap();
        assert_eq!(tree.keys().collect::<Vec<_>>(), ["a/b.rs", "c.rs"]);
        let delete = vec![Change::Delete {
            path: "a/b.rs".into(),
            old: String::new(),
        }];
        apply(&dir, &delete).unwrap();
        assert!(
            !dir.join("a").exists(),
            "empty folders of deleted files are removed"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
