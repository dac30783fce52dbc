//! Output stage: write the rendered site atomically.
