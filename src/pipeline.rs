//! The one place that sequences the stages: ingest, render, write.
