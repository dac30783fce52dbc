//! Analysis stage: functions of the immutable project that find facts about it (task
//! status from the tracker, ...) and diagnostics. They read `&Project` and return new
//! values; nothing is written back into the model.

pub mod status_match;
pub mod title_similarity;
