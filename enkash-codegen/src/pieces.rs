//! Files are made of pieces: the module head (docs, imports) and one piece per item group (a
//! schema's struct and impls, an operation's method and static, ...). Each piece is turned into
//! tokens, parsed and printed on its own, on all cores, and the texts are joined in order.
//!
//! Working piece by piece keeps memory bounded by the largest piece instead of the largest file,
//! spreads a big file over every core, and never builds one deeply nested syntax tree.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use crate::format::{assemble, format_piece};
use crate::{Error, GeneratedFile, Result};

/// Builds one piece's tokens. Tokens are not `Send`, so a piece is made and formatted on the
/// thread that runs it.
pub type Piece<'a> = Box<dyn Fn() -> Result<TokenStream> + Send + Sync + 'a>;

/// Boxes a closure as a [`Piece`].
pub fn piece<'a>(make: impl Fn() -> Result<TokenStream> + Send + Sync + 'a) -> Piece<'a> {
    Box::new(make)
}

/// One file to generate: its path and its pieces in order.
pub struct FilePlan<'a> {
    /// Path relative to the generated folder.
    pub path: String,
    /// The pieces, head first.
    pub pieces: Vec<Piece<'a>>,
}

impl<'a> FilePlan<'a> {
    /// A file of the given pieces.
    pub fn new(path: impl Into<String>, pieces: Vec<Piece<'a>>) -> Self {
        FilePlan {
            path: path.into(),
            pieces,
        }
    }
}

/// Formats every piece of every file on up to one thread per core and assembles the files.
/// The result depends only on the plans, never on which thread finished first.
pub fn run(plans: Vec<FilePlan<'_>>) -> Result<Vec<GeneratedFile>> {
    let jobs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(file, plan)| (0..plan.pieces.len()).map(move |piece| (file, piece)))
        .collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len())
        .max(1);
    let done: Vec<Result<Vec<(usize, String)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut texts = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(file, piece)) = jobs.get(index) else {
                            break;
                        };
                        let plan = &plans[file];
                        let text = format_piece(&plan.path, (plan.pieces[piece])()?)?;
                        texts.push((index, text));
                    }
                    Ok(texts)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err(Error::new("a generator thread panicked")))
            })
            .collect()
    });
    let mut texts: Vec<Option<String>> = vec![None; jobs.len()];
    for result in done {
        for (index, text) in result? {
            texts[index] = Some(text);
        }
    }
    let mut texts = texts.into_iter();
    plans
        .iter()
        .map(|plan| {
            let pieces: Vec<String> = texts.by_ref().take(plan.pieces.len()).flatten().collect();
            if pieces.len() != plan.pieces.len() {
                return Err(Error::new(format!(
                    "{}: a piece was not generated",
                    plan.path
                )));
            }
            Ok(GeneratedFile {
                path: plan.path.clone(),
                contents: assemble(&pieces),
            })
        })
        .collect()
}
