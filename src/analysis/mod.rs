//! Analysis stage: functions of the immutable `Project` that find facts and problems the
//! readers cannot see on their own (they need the whole project). Nothing here changes
//! the model.

pub mod audits;
