//! Reading a file that a person named: the config, a campaign, a lead CSV, an address list, a
//! password or CA file, a rule file, a message to explain. Every such read has a size limit
//! and a time limit, and an error names the file, the limit and what the file was for.
//!
//! Why both: a path can name `/dev/zero` (endless: without a size limit the process grows
//! until the kernel kills it), a FIFO nobody writes to or a hung network mount (without a
//! time limit the command never answers). A regular file is read directly, capped at its
//! limit; anything else (a pipe, a device, a socket) is read on a helper thread that the
//! caller stops waiting for at the time limit. That thread may stay blocked until the
//! process exits: an acceptable cost, since the alternative is the caller blocked for ever.
//!
//! **Invariant:** no code outside this module reads a user-named file with `std::fs::read*`.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a file is for, with its size and time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What the file is, for messages: "config file", "lead CSV", ….
    pub what: &'static str,
    /// The most bytes read; a larger file is refused.
    pub max_bytes: u64,
    /// The longest a read may take.
    pub timeout: Duration,
}

const MIB: u64 = 1024 * 1024;

/// `--config` and `/etc/cadenced/config.toml`: a few kilobytes in practice.
pub const CONFIG: Limit = Limit {
    what: "config file",
    max_bytes: MIB,
    timeout: Duration::from_secs(10),
};
/// A campaign file (`campaign apply`): steps are short texts.
pub const CAMPAIGN: Limit = Limit {
    what: "campaign file",
    max_bytes: 4 * MIB,
    timeout: Duration::from_secs(10),
};
/// A lead CSV (`leads import`): a million leads of 200 bytes fit.
pub const LEAD_CSV: Limit = Limit {
    what: "lead CSV",
    max_bytes: 256 * MIB,
    timeout: Duration::from_secs(60),
};
/// An address list (`leads pause|resume|stop --file`).
pub const ADDRESS_LIST: Limit = Limit {
    what: "address list",
    max_bytes: 64 * MIB,
    timeout: Duration::from_secs(30),
};
/// A password file: its first line is the secret.
pub const PASSWORD: Limit = Limit {
    what: "password file",
    max_bytes: 64 * 1024,
    timeout: Duration::from_secs(5),
};
/// An OAuth2 token file (`state_dir/oauth/NAME.json`): a few kilobytes of JSON.
pub const TOKEN_FILE: Limit = Limit {
    what: "OAuth2 token file",
    max_bytes: 64 * 1024,
    timeout: Duration::from_secs(5),
};
/// The key that signs link tokens (`[http] secret_file`): one line.
pub const LINK_KEY: Limit = Limit {
    what: "link key file",
    max_bytes: 4 * 1024,
    timeout: Duration::from_secs(5),
};
/// A PEM file of CA certificates.
pub const CA_FILE: Limit = Limit {
    what: "CA file",
    max_bytes: 4 * MIB,
    timeout: Duration::from_secs(5),
};
/// A rule file (`rules/*.toml` and the operator's).
pub const RULE_FILE: Limit = Limit {
    what: "rule file",
    max_bytes: 8 * MIB,
    timeout: Duration::from_secs(10),
};
/// A message or mbox to explain (`rules explain`); an mbox holds many messages.
pub const MESSAGE_FILE: Limit = Limit {
    what: "message file",
    max_bytes: 128 * MIB,
    timeout: Duration::from_secs(30),
};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing, permissions, a directory, …).
    Io {
        /// The file, named in the message.
        path: PathBuf,
        /// What it was for.
        what: &'static str,
        /// What the operating system said (missing, permissions, …).
        source: std::io::Error,
    },
    /// More bytes than the limit.
    TooLarge {
        /// The file, named in the message.
        path: PathBuf,
        /// The limit it broke.
        limit: Limit,
    },
    /// Not read within the time limit.
    TooSlow {
        /// The file, named in the message.
        path: PathBuf,
        /// The limit it broke.
        limit: Limit,
    },
}

impl ReadError {
    /// The OS error, when the operating system refused.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            ReadError::Io { source, .. } => Some(source.kind()),
            _ => None,
        }
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= MIB {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { path, what, source } => {
                write!(f, "cannot read {what} {}: {source}", path.display())
            }
            ReadError::TooLarge { path, limit } => write!(
                f,
                "{what} {} is larger than {} (the size limit for a {what})",
                path.display(),
                size_text(limit.max_bytes),
                what = limit.what
            ),
            ReadError::TooSlow { path, limit } => write!(
                f,
                "{what} {} could not be read within {} (the time limit for a {what}; a pipe nobody writes to, or a hung mount?)",
                path.display(),
                humantime::format_duration(limit.timeout),
                what = limit.what
            ),
        }
    }
}

/// No `source()`: the message already carries the OS error, and error chains printed with
/// `{:#}` would say it twice.
impl std::error::Error for ReadError {}

/// Reads a whole file within `limit`.
///
/// # Errors
/// [`ReadError`] naming the file, and the limit it broke.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        what: limit.what,
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        )));
    }
    if meta.is_file() && meta.len() > limit.max_bytes {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    // A regular file is read here; a pipe, a device or a socket may never end, or never
    // start, so it is read on a helper thread that we stop waiting for at the time limit.
    let capped = if meta.is_file() {
        read_capped(path, limit.max_bytes)
    } else {
        let (tx, rx) = std::sync::mpsc::channel();
        let owned = path.to_path_buf();
        std::thread::Builder::new()
            .name("bounded-read".to_string())
            .spawn(move || {
                let _ = tx.send(read_capped(&owned, limit.max_bytes));
            })
            .map_err(io)?;
        match rx.recv_timeout(limit.timeout) {
            Ok(capped) => capped,
            Err(_) => {
                return Err(ReadError::TooSlow {
                    path: path.to_path_buf(),
                    limit,
                })
            }
        }
    };
    capped.map_err(io)?.ok_or_else(|| ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
    })
}

/// Reads a whole file within `limit` as UTF-8 text.
///
/// # Errors
/// [`ReadError`]; bytes that are not UTF-8 are an [`ReadError::Io`] of kind `InvalidData`
/// that says where.
pub fn read_text(path: &Path, limit: Limit) -> Result<String, ReadError> {
    let bytes = read(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        ReadError::Io {
            path: path.to_path_buf(),
            what: limit.what,
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not UTF-8 text (line {line}, byte {at})"),
            ),
        }
    })
}

/// Up to `max` bytes of the file; `None` when there are more.
fn read_capped(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(None);
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Limit = Limit {
        what: "test file",
        max_bytes: 16,
        timeout: Duration::from_millis(300),
    };

    #[test]
    fn limits_are_named_in_the_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let small = dir.path().join("small");
        std::fs::write(&small, "hello").expect("write");
        assert_eq!(read(&small, TINY).expect("read"), b"hello");
        let big = dir.path().join("big");
        std::fs::write(&big, [b'x'; 17]).expect("write");
        let err = read(&big, TINY).expect_err("too large").to_string();
        assert!(
            err.contains("larger than 0 KiB") && err.contains("size limit"),
            "{err}"
        );
        let err = read(Path::new("/dev/zero"), TINY)
            .expect_err("endless")
            .to_string();
        assert!(err.contains("/dev/zero") && err.contains("size limit"), "{err}");
        let missing = read(&dir.path().join("nope"), TINY).expect_err("missing");
        assert_eq!(missing.io_kind(), Some(std::io::ErrorKind::NotFound));
        let err = read(dir.path(), TINY).expect_err("directory").to_string();
        assert!(err.contains("is a directory"), "{err}");
    }

    #[test]
    fn a_fifo_nobody_writes_to_times_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read(&fifo, TINY).expect_err("times out").to_string();
        assert!(
            err.contains("within 300ms") && err.contains("time limit"),
            "{err}"
        );
    }

    #[test]
    fn text_that_is_not_utf8_says_where() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("latin1");
        std::fs::write(&f, b"ok\nM\xfcller\n").expect("write");
        let err = read_text(&f, TINY).expect_err("not utf-8").to_string();
        assert!(err.contains("not UTF-8 text (line 2"), "{err}");
    }
}
