//! Analysis stage: functions of the finished model (`&Project`) that return findings as
//! diagnostics. Nothing here changes the model or renders anything.

pub mod publish_safety;
