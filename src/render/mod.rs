//! Render stage: the immutable project in, finished pages (HTML strings and their output
//! paths) out. Templates see view structs built in `views`, never the model.

pub mod highlight;
pub mod markdown;
pub mod templates;
pub mod views;
