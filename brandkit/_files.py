"""Files on disk: written so that an interruption never leaves a truncated one; hashed once per
version."""

from __future__ import annotations

import _thread
import contextlib
import hashlib
import os
import typing as t
from pathlib import Path

from brandkit.errors import ConfigError
from brandkit.i18n import msg

__all__ = ["atomic_write", "file_sha256", "open_lock"]

# temporary files are created 0600; ordinary outputs get what any new file would (0666 less the
# umask)
_UMASK = os.umask(0)
os.umask(_UMASK)
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _temporary(path: Path) -> tuple[int, str]:
    """A new file beside ``path`` that no other writer can have opened (what tempfile.mkstemp
    does, without importing tempfile: 6 ms of a render's start)."""
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _EXCLUSIVE, 0o600), tmp
        except FileExistsError:
            continue


def atomic_write(path: Path, data: bytes, *, private: bool = False, durable: bool = False) -> None:
    """Write via a temporary file in the same folder, then rename. ``private`` keeps it 0600;
    ``durable`` flushes the file and the folder to disk (a backup must survive a power cut).
    A path that is a folder, or a folder that is a file, is a ConfigError naming it."""
    if path.is_dir():
        raise ConfigError(msg("{path} is a folder: name the file to write in it", path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(
            msg("cannot write {path}: a part of its folder is a file", path=path)
        ) from None
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if not private:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def open_lock(path: Path) -> t.BinaryIO:
    """A lock file for ``flock``, private (0600, only its owner can open it to hold the lock)
    and never through a symbolic link (where the system's link protection is off, a planted
    link could make brandkit create or truncate another file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise ConfigError(
            msg("cannot open the lock file {path} ({why})", path=path, why=exc.strerror)
        ) from None
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "r+b")


_hash_cache: dict[tuple[str, int, int], str] = {}
_hash_lock = _thread.allocate_lock()  # threading's Lock, without importing threading


def file_sha256(path: Path) -> str:
    """sha256 of a file, remembered by (path, size, mtime) for the life of the process."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _hash_lock:
        known = _hash_cache.get(key)
    if known is None:
        known = hashlib.sha256(path.read_bytes()).hexdigest()
        with _hash_lock:
            _hash_cache[key] = known
    return known
