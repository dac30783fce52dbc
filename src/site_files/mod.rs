//! Site files (a foundation, under every stage): the one way opsbook finds and opens a
//! file of the site it reads — pages and assets under `content/`, `opsbook.toml`, the
//! tracker, PDF fonts, templates and static files.
//!
//! Every input is a regular file inside the site root: FIFOs, sockets and devices are
//! reported and never opened (reading a FIFO waits for a writer: a build would hang),
//! and a path or link that leads out of the root is reported and not followed (nothing
//! from elsewhere on the machine is published or echoed in a diagnostic). A name that is
//! not UTF-8 is reported too. Text is UTF-8 without its byte order mark. The callers turn
//! each problem into a diagnostic at their own place.

mod read;
mod text;
mod walk;

pub use read::{read_regular_file, read_site_file, InputError};
pub use text::{decode_utf8, strip_byte_order_mark};
pub use walk::{list_site_folder, SiteFile};
