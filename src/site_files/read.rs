//! Reading one file of the site: takes a path, gives the file's bytes or an `InputError`
//! the caller turns into a diagnostic at its own place (the file, or the key of
//! `opsbook.toml` that named it).
//!
//! Two rules hold for every input:
//! - **Only regular files are read.** A FIFO, socket or device is reported and never
//!   opened: reading a FIFO waits for a writer, so a build or `check` would hang. The file
//!   is checked before it is opened, then opened non-blocking and checked again, so one
//!   swapped in between the two cannot hang the build either.
//! - **Nothing outside the site root is read.** A path the site names (a configured path,
//!   a default such as `.beads/issues.jsonl`, a symlink) must lead to a file inside the
//!   root once every link is resolved; otherwise the file is not opened, so a site can
//!   neither publish nor echo in a diagnostic a file from elsewhere on the machine.

use std::fs::{self, File, FileType, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostics::{codes, display_path, Diagnostic, Severity};

/// Why an input file was not read.
#[derive(Debug)]
pub enum InputError {
    /// Nothing is at the path, not even a dangling link.
    Missing,
    /// The path leads, once its links are resolved, to `resolved`, outside the site root.
    Outside { resolved: PathBuf },
    /// The path names something other than a regular file.
    NotRegular { kind: FileKind },
    /// The system refused: permissions, a dangling link, an I/O error.
    Io(io::Error),
}

/// What a path names when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Folder,
    Fifo,
    Socket,
    BlockDevice,
    CharacterDevice,
    /// Anything else the system has (e.g. a Windows reparse point).
    Other,
}

impl FileKind {
    /// The kind of a file that is not a regular file.
    pub fn of(file_type: FileType) -> FileKind {
        if file_type.is_dir() {
            return FileKind::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return FileKind::Fifo;
            }
            if file_type.is_socket() {
                return FileKind::Socket;
            }
            if file_type.is_block_device() {
                return FileKind::BlockDevice;
            }
            if file_type.is_char_device() {
                return FileKind::CharacterDevice;
            }
        }
        FileKind::Other
    }

    /// `a FIFO (named pipe)`, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Folder => "a folder",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Socket => "a socket",
            FileKind::BlockDevice => "a block device",
            FileKind::CharacterDevice => "a character device",
            FileKind::Other => "not a regular file",
        }
    }
}

impl InputError {
    /// The diagnostic for this problem with the input `what` (e.g. "the issue tracker"),
    /// without a place: the caller knows whether it is the file or a key naming it. Read
    /// failures and a missing file get `io_code`; the other problems have codes of their
    /// own (`OPS004`, `OPS020`).
    pub fn diagnostic(&self, severity: Severity, io_code: &'static str, what: &str) -> Diagnostic {
        match self {
            InputError::Missing => Diagnostic::new(io_code, severity, format!("cannot read {what}: there is no such file"))
                .with_help("check the path; paths are relative to the site root (the folder of opsbook.toml)"),
            InputError::Outside { resolved } => Diagnostic::new(
                codes::SYMLINK_OUTSIDE,
                severity,
                format!(
                    "{what} leads outside the site root (to `{}`) and is not read",
                    display_path(resolved)
                ),
            )
            .with_help("copy the file into the site and name it by a path inside the site root; links and `..` must not lead out of it"),
            InputError::NotRegular { kind } => Diagnostic::new(
                codes::NOT_REGULAR_FILE,
                severity,
                format!("{what} is {}, not a regular file, and is not read", kind.describe()),
            )
            .with_help("replace it with a regular file; opsbook never opens FIFOs, sockets or devices"),
            InputError::Io(error) => {
                Diagnostic::new(io_code, severity, format!("cannot read {what}: {error}"))
                    .with_help("check the file's permissions, and that a symlink's target exists")
            }
        }
    }
}

/// Reads the file `path` names, relative to `root` (an absolute path or one with `..`
/// is allowed while it stays inside), after resolving every link: an input the site
/// names by path.
pub fn read_site_file(root: &Path, path: &Path) -> Result<Vec<u8>, InputError> {
    let resolved = resolve_inside(root, path)?;
    read_regular_file(&resolved)
}

/// Where `path` (relative to `root`) leads once every link is resolved, if that is
/// inside the root.
fn resolve_inside(root: &Path, path: &Path) -> Result<PathBuf, InputError> {
    let full = root.join(path);
    let resolved = full
        .canonicalize()
        .map_err(|error| missing_or_io(&full, error))?;
    let root = root.canonicalize().map_err(InputError::Io)?;
    if resolved.starts_with(&root) {
        Ok(resolved)
    } else {
        Err(InputError::Outside { resolved })
    }
}

/// Reads `path` if it is a regular file: for files already known to be inside the site
/// (the walk of `content/` placed them).
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>, InputError> {
    let metadata = fs::metadata(path).map_err(|error| missing_or_io(path, error))?;
    require_regular(&metadata)?;
    let mut file = open_without_blocking(path).map_err(InputError::Io)?;
    // Checked again on what was opened: the path may have been replaced meanwhile.
    let metadata = file.metadata().map_err(InputError::Io)?;
    require_regular(&metadata)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(InputError::Io)?;
    Ok(bytes)
}

fn require_regular(metadata: &Metadata) -> Result<(), InputError> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(InputError::NotRegular {
            kind: FileKind::of(metadata.file_type()),
        })
    }
}

/// `NotFound` for a path where nothing is is `Missing`; for a dangling link (the link is
/// there, its target is not) it stays an I/O error, because the site named something.
fn missing_or_io(path: &Path, error: io::Error) -> InputError {
    if error.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(path).is_err() {
        InputError::Missing
    } else {
        InputError::Io(error)
    }
}

/// Opens for reading without waiting: a FIFO opened this way returns at once (and is then
/// rejected) instead of blocking until some other process writes to it.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("fonts")).unwrap();
        fs::write(dir.path().join("fonts/a.ttf"), b"font").unwrap();
        dir
    }

    #[test]
    fn a_file_inside_the_root_is_read_by_relative_or_absolute_path() {
        let dir = site();
        let read = read_site_file(dir.path(), Path::new("fonts/a.ttf")).unwrap();
        assert_eq!(read, b"font");
        let absolute = dir.path().join("fonts/../fonts/a.ttf");
        assert_eq!(read_site_file(dir.path(), &absolute).unwrap(), b"font");
    }

    #[test]
    fn a_path_out_of_the_root_is_not_read() {
        let outside = site();
        let dir = site();
        let relative = Path::new("..")
            .join(outside.path().file_name().unwrap())
            .join("fonts/a.ttf");
        for path in [relative, outside.path().join("fonts/a.ttf")] {
            match read_site_file(dir.path(), &path) {
                Err(InputError::Outside { resolved }) => {
                    assert!(resolved.ends_with("fonts/a.ttf"), "{resolved:?}");
                }
                other => panic!("{path:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn nothing_there_is_missing_and_a_folder_is_not_regular() {
        let dir = site();
        assert!(matches!(
            read_site_file(dir.path(), Path::new("nothing.toml")),
            Err(InputError::Missing)
        ));
        assert!(matches!(
            read_site_file(dir.path(), Path::new("fonts")),
            Err(InputError::NotRegular {
                kind: FileKind::Folder
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_root_is_not_read_and_a_dangling_one_is_an_io_error() {
        let outside = site();
        let dir = site();
        std::os::unix::fs::symlink(outside.path().join("fonts/a.ttf"), dir.path().join("x"))
            .unwrap();
        assert!(matches!(
            read_site_file(dir.path(), Path::new("x")),
            Err(InputError::Outside { .. })
        ));
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
        assert!(matches!(
            read_site_file(dir.path(), Path::new("dangling")),
            Err(InputError::Io(_))
        ));
        std::os::unix::fs::symlink(dir.path().join("fonts/a.ttf"), dir.path().join("in")).unwrap();
        assert_eq!(
            read_site_file(dir.path(), Path::new("in")).unwrap(),
            b"font"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_reported_without_waiting_for_a_writer() {
        let dir = site();
        let fifo = dir.path().join("issues.jsonl");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        // Were the FIFO opened for a blocking read, this test would never finish.
        for read in [
            read_site_file(dir.path(), Path::new("issues.jsonl")),
            read_regular_file(&fifo),
        ] {
            assert!(
                matches!(
                    read,
                    Err(InputError::NotRegular {
                        kind: FileKind::Fifo
                    })
                ),
                "{read:?}"
            );
        }
        // Opened without blocking, a FIFO is caught by the second check as well.
        let opened = open_without_blocking(&fifo).unwrap();
        let kind = FileKind::of(opened.metadata().unwrap().file_type());
        assert_eq!(kind, FileKind::Fifo);
    }

    #[test]
    fn every_problem_names_the_input_and_gets_its_code() {
        let outside = InputError::Outside {
            resolved: PathBuf::from("/etc/passwd"),
        };
        let diagnostic = outside.diagnostic(Severity::Error, codes::IO, "`opsbook.toml`");
        assert_eq!(diagnostic.code, codes::SYMLINK_OUTSIDE);
        assert_eq!(
            diagnostic.message,
            "`opsbook.toml` leads outside the site root (to `/etc/passwd`) and is not read"
        );
        let fifo = InputError::NotRegular {
            kind: FileKind::Fifo,
        };
        let diagnostic = fifo.diagnostic(Severity::Warning, codes::IO, "the issue tracker");
        assert_eq!(diagnostic.code, codes::NOT_REGULAR_FILE);
        assert!(!diagnostic.is_error());
        assert_eq!(
            InputError::Missing
                .diagnostic(Severity::Error, codes::CONFIG_VALUE, "x")
                .code,
            codes::CONFIG_VALUE
        );
    }
}
