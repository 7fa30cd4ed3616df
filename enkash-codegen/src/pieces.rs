//! Files are made of pieces: the module head (docs, imports) and one piece per item group (a
//! schema's struct and impls, an operation's method and static, ...). Each piece is turned into
//! tokens, parsed and printed on its own, on all cores, and the texts are joined in order.
//!
//! Working piece by piece keeps memory bounded by the largest piece instead of the largest file,
//! spreads a big file over every core, and never builds one deeply nested syntax tree.

use proc_macro2::TokenStream;

use crate::format::{assemble, format_piece};
use crate::{GeneratedFile, Result};

/// Builds one piece's content. Tokens are not `Send`, so a piece is made and formatted on the
/// thread that runs it.
pub(crate) type Piece<'a> = Box<dyn Fn() -> Result<Content> + Send + Sync + 'a>;

/// Boxes a closure as a [`Piece`]; it returns tokens or [`Content`].
pub(crate) fn piece<'a, T: Into<Content>>(
    make: impl Fn() -> Result<T> + Send + Sync + 'a,
) -> Piece<'a> {
    Box::new(move || make().map(Into::into))
}

/// What a piece is made of, in order.
#[derive(Default)]
pub(crate) struct Content(pub(crate) Vec<Chunk>);

/// Part of a piece.
pub(crate) enum Chunk {
    /// Items, printed by prettyplease.
    Tokens(TokenStream),
    /// Items already laid out as text (a macro invocation whose table prettyplease would run
    /// together on a few long lines); checked to parse, then kept as written.
    Text(String),
}

impl From<TokenStream> for Content {
    fn from(tokens: TokenStream) -> Self {
        Content(vec![Chunk::Tokens(tokens)])
    }
}

impl Content {
    /// Appends tokens.
    pub(crate) fn tokens(mut self, tokens: TokenStream) -> Self {
        self.0.push(Chunk::Tokens(tokens));
        self
    }

    /// Appends laid-out text.
    pub(crate) fn text(mut self, text: String) -> Self {
        self.0.push(Chunk::Text(text));
        self
    }
}

/// One file to generate: its path and its pieces in order.
pub(crate) struct FilePlan<'a> {
    /// Path relative to the generated folder.
    pub(crate) path: String,
    /// The pieces, head first.
    pub(crate) pieces: Vec<Piece<'a>>,
}

impl<'a> FilePlan<'a> {
    /// A file of the given pieces.
    pub(crate) fn new(path: impl Into<String>, pieces: Vec<Piece<'a>>) -> Self {
        FilePlan {
            path: path.into(),
            pieces,
        }
    }
}

/// Formats every piece of every file on all cores ([`enkash_spec::parallel::map`]) and
/// assembles the files. The result depends only on the plans, never on which thread finished
/// first; the error, if any, is that of the first failing piece in plan order.
pub(crate) fn run(plans: Vec<FilePlan<'_>>) -> Result<Vec<GeneratedFile>> {
    let jobs: Vec<(&str, &Piece<'_>)> = plans
        .iter()
        .flat_map(|plan| plan.pieces.iter().map(|piece| (plan.path.as_str(), piece)))
        .collect();
    let mut texts =
        enkash_spec::parallel::map(jobs, |_, (path, piece)| format_piece(path, piece()?))
            .into_iter();
    plans
        .iter()
        .map(|plan| {
            let pieces = texts
                .by_ref()
                .take(plan.pieces.len())
                .collect::<Result<Vec<String>>>()?;
            Ok(GeneratedFile {
                path: plan.path.clone(),
                contents: assemble(&pieces),
            })
        })
        .collect()
}
