//! Problems found while loading, before they are turned into rendered [`crate::Diagnostic`]s.
//!
//! The decoder knows the exact node of most problems and gives its span directly. Checks that
//! run later, on the merged model, only know a YAML path; for them the decoder records where
//! every path it visited was (`Sites`), and a problem is located by its path, or failing that by
//! its nearest located ancestor.

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::source::Span;

/// One step of a [`YamlPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Segment {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Where a node is in its file's tree: `operations.create_order.response`.
///
/// The decoder builds a path for every entry it reads and nearly all of them are never shown, so
/// a path shares its parent's steps: extending one adds a step instead of copying the path.
#[derive(Clone, Default)]
pub(crate) struct YamlPath(Option<Arc<Step>>);

/// The last step of a non-root [`YamlPath`].
struct Step {
    /// The path before this step.
    parent: YamlPath,
    /// The step.
    segment: Segment,
    /// Number of steps of the path, this one included.
    depth: usize,
}

impl YamlPath {
    /// The path of a file's root mapping.
    pub(crate) fn root() -> YamlPath {
        YamlPath::default()
    }

    /// This path followed by the mapping key `key`.
    pub(crate) fn key(&self, key: &str) -> YamlPath {
        self.then(Segment::Key(key.to_string()))
    }

    /// This path followed by the sequence index `index`.
    pub(crate) fn index(&self, index: usize) -> YamlPath {
        self.then(Segment::Index(index))
    }

    /// The path without its last step (`None` for the root).
    pub(crate) fn parent(&self) -> Option<YamlPath> {
        self.0.as_ref().map(|step| step.parent.clone())
    }

    fn then(&self, segment: Segment) -> YamlPath {
        YamlPath(Some(Arc::new(Step {
            parent: self.clone(),
            segment,
            depth: self.depth() + 1,
        })))
    }

    fn depth(&self) -> usize {
        self.0.as_ref().map_or(0, |step| step.depth)
    }

    /// The steps, last first.
    fn steps(&self) -> impl Iterator<Item = &Step> {
        std::iter::successors(self.0.as_deref(), |step| step.parent.0.as_deref())
    }

    /// The segments, first first.
    fn segments(&self) -> Vec<&Segment> {
        let mut segments: Vec<&Segment> = self.steps().map(|step| &step.segment).collect();
        segments.reverse();
        segments
    }
}

impl PartialEq for YamlPath {
    fn eq(&self, other: &YamlPath) -> bool {
        if self.depth() != other.depth() {
            return false;
        }
        let (mut a, mut b) = (self.0.as_ref(), other.0.as_ref());
        while let (Some(step_a), Some(step_b)) = (a, b) {
            if Arc::ptr_eq(step_a, step_b) {
                return true;
            }
            if step_a.segment != step_b.segment {
                return false;
            }
            (a, b) = (step_a.parent.0.as_ref(), step_b.parent.0.as_ref());
        }
        // Same depth: both reached the root together.
        true
    }
}

impl Eq for YamlPath {}

impl Hash for YamlPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.depth());
        for step in self.steps() {
            step.segment.hash(state);
        }
    }
}

impl fmt::Debug for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.segments()).finish()
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let segments = self.segments();
        if segments.is_empty() {
            return f.write_str("(root)");
        }
        for (i, segment) in segments.into_iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Whether a problem is about a mapping key or about the value under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The key (`response:` in `response: Orderr`): missing keys, duplicates, bad names.
    Key,
    /// The value (`Orderr`).
    Value,
}

/// One problem, located directly (`file` and `span`) or by `path` and `target`.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// Index of the file in the load's file list, when known.
    pub file: Option<usize>,
    /// Exact position, when known.
    pub span: Option<Span>,
    /// YAML path of the node the problem is about.
    pub path: YamlPath,
    /// Key or value of that path.
    pub target: Target,
    /// What is wrong.
    pub message: String,
    /// A suggestion.
    pub help: Option<String>,
}

impl Problem {
    /// Adds a suggestion.
    pub(crate) fn help(&mut self, help: impl Into<String>) -> &mut Problem {
        self.help = Some(help.into());
        self
    }

    /// Adds a suggestion if there is one.
    pub(crate) fn maybe_help(&mut self, help: Option<String>) -> &mut Problem {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// Where one path was found: its file, key and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Site {
    /// Index of the file.
    pub file: usize,
    /// The key's span.
    pub key: Option<Span>,
    /// The value's span (for a collection, its first entry's).
    pub value: Option<Span>,
}

/// Every problem of one load, and the sites used to locate those known only by path.
#[derive(Debug, Default)]
pub(crate) struct Report {
    problems: Vec<Problem>,
    sites: HashMap<YamlPath, Site>,
    /// Set when the load runs without positions: the sites would all be empty, and a load
    /// that finds a problem is run again with positions anyway.
    skip_sites: bool,
}

impl Report {
    /// A report that records no sites, for a load without positions.
    pub(crate) fn without_sites() -> Report {
        Report {
            skip_sites: true,
            ..Report::default()
        }
    }

    /// False when sites are not recorded (so the caller need not build their paths).
    pub(crate) fn records_sites(&self) -> bool {
        !self.skip_sites
    }

    /// Appends the problems and sites of `later`, a report of files decoded after those of
    /// `self`: the same as if they had been recorded here, in that order.
    pub(crate) fn append(&mut self, later: Report) {
        self.problems.extend(later.problems);
        if self.sites.is_empty() {
            self.sites = later.sites;
            return;
        }
        for (path, site) in later.sites {
            self.record_site(path, site);
        }
    }

    /// Records a problem at a known place.
    pub(crate) fn error(
        &mut self,
        file: usize,
        span: Option<Span>,
        path: &YamlPath,
        message: impl Into<String>,
    ) -> &mut Problem {
        self.push(Problem {
            file: Some(file),
            span,
            path: path.clone(),
            target: Target::Value,
            message: message.into(),
            help: None,
        })
    }

    /// Records a problem about the key or value at `path`, located through the recorded sites.
    pub(crate) fn error_at(
        &mut self,
        path: &YamlPath,
        target: Target,
        message: impl Into<String>,
    ) -> &mut Problem {
        self.push(Problem {
            file: None,
            span: None,
            path: path.clone(),
            target,
            message: message.into(),
            help: None,
        })
    }

    fn push(&mut self, problem: Problem) -> &mut Problem {
        self.problems.push(problem);
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    /// Remembers where `path` is. The first record of a path wins: files are decoded in load
    /// order and the merge keeps the first definition of a name, so the site matches the
    /// definition the later checks look at.
    pub(crate) fn record_site(&mut self, path: YamlPath, site: Site) {
        if !self.skip_sites {
            self.sites.entry(path).or_insert(site);
        }
    }

    /// The recorded site of `path`, if any.
    pub(crate) fn site(&self, path: &YamlPath) -> Option<Site> {
        self.sites.get(path).copied()
    }

    /// True when nothing is wrong so far.
    pub(crate) fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems, with every path-only problem given the file and span of its path (or of
    /// the nearest ancestor that has one).
    pub(crate) fn into_located(self) -> Vec<Problem> {
        let sites = self.sites;
        self.problems
            .into_iter()
            .map(|mut problem| {
                if problem.span.is_none() {
                    locate(&sites, &mut problem);
                }
                problem
            })
            .collect()
    }
}

/// Fills `problem.file` and `problem.span` from the sites of its path or its ancestors.
fn locate(sites: &HashMap<YamlPath, Site>, problem: &mut Problem) {
    let mut path = Some(problem.path.clone());
    let mut target = problem.target;
    while let Some(current) = path {
        if let Some(site) = sites.get(&current)
            && problem.file.is_none_or(|file| file == site.file)
        {
            let span = match target {
                Target::Value => site.value.or(site.key),
                Target::Key => site.key,
            };
            if span.is_some() {
                problem.file = Some(site.file);
                problem.span = span;
                return;
            }
        }
        // An ancestor is pointed at by its key: that is what names the thing that is wrong.
        target = Target::Key;
        path = current.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_paths() {
        let path = YamlPath::root().key("auth").key("codes").index(1);
        assert_eq!(path.to_string(), "auth.codes[1]");
        assert_eq!(YamlPath::root().to_string(), "(root)");
        assert_eq!(
            path.parent().map(|p| p.to_string()).as_deref(),
            Some("auth.codes")
        );
    }

    #[test]
    fn compares_paths_by_their_steps() {
        let shared = YamlPath::root().key("operations");
        let a = shared.key("x").index(0);
        let b = YamlPath::root().key("operations").key("x").index(0);
        assert_eq!(a, b);
        assert_eq!(a.parent(), Some(shared.key("x")));
        assert_ne!(a, shared.key("x").index(1));
        assert_ne!(a, shared.key("y").index(0));
        assert_ne!(a.parent(), Some(shared.clone()));
        assert_ne!(shared, YamlPath::root());
        assert_eq!(YamlPath::root().parent(), None);
        let mut sites = HashMap::new();
        sites.insert(a, 1);
        assert_eq!(sites.get(&b), Some(&1));
        assert_eq!(
            format!("{b:?}"),
            r#"[Key("operations"), Key("x"), Index(0)]"#
        );
    }

    #[test]
    fn locates_by_nearest_ancestor() {
        let mut report = Report::default();
        let ops = YamlPath::root().key("operations").key("x");
        report.record_site(
            ops.clone(),
            Site {
                file: 2,
                key: Some(Span::point(4, 3)),
                value: Some(Span::point(5, 5)),
            },
        );
        report.error_at(&ops.key("dedup_key"), Target::Value, "missing");
        let located = report.into_located();
        assert_eq!(located[0].file, Some(2));
        assert_eq!(located[0].span, Some(Span::point(4, 3)));
    }
}
