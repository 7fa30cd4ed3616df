//! The project commands that use the generated client, run by `cargo xtask`: `drift` (drift
//! reports to spec changes) and `contract` (a UAT flow with drift recording on).
//!
//! They live apart from `xtask` so that `xtask`, and with it `cargo xtask codegen`, never
//! depends on `enkash-generated`: a runtime change that needs regenerated code can always be
//! regenerated.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod contract;
pub mod drift;

pub use xtask::workspace_root;
