//! The Typst `World` of one runbook PDF (render stage). The expensive parts (standard
//! library, font book, fonts, the parsed template) live in `Shared`, built once per
//! build; each document adds only its `/data.json` bytes. Files come from memory only:
//! the template at `/main.typ` and the data at `/data.json`, two fixed virtual paths for
//! every document, because Typst interns file ids globally and caps their number.
//! `today` is `None`: no clock, so the bytes are the same on every build.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template shipped with opsbook.
pub(super) const TEMPLATE: &str = include_str!("../../../templates/runbook.typ");

/// What every document of a build shares.
pub struct Shared {
    pub library: LazyHash<Library>,
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
    main: Source,
}

fn virtual_file(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("fixed virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// `/main.typ`, interned once.
fn main_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    *ID.get_or_init(|| virtual_file("/main.typ"))
}

/// `/data.json`, interned once.
fn data_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    *ID.get_or_init(|| virtual_file("/data.json"))
}

impl Shared {
    pub fn new(fonts: Vec<Font>) -> Self {
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main: Source::new(main_id(), TEMPLATE.to_string()),
        }
    }
}

/// One document: the shared parts plus its data.
pub struct DocWorld<'a> {
    pub shared: &'a Shared,
    pub data: Bytes,
}

impl DocWorld<'_> {
    /// The 1-based template line of a byte offset, for diagnostics.
    pub fn template_line(&self, offset: usize) -> usize {
        let text = self.shared.main.text();
        text[..offset.min(text.len())].matches('\n').count() + 1
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        main_id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == main_id() {
            Ok(self.shared.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == data_id() {
            Ok(self.data.clone())
        } else if id == main_id() {
            Ok(Bytes::from_string(TEMPLATE))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
