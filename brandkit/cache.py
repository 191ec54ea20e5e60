"""brandkit's cache in the user's folder: JSON entries named by one content key.

``key(*parts)`` names an entry by everything its value depends on; ``read``/``write`` keep JSON
under ``<root>/<kind>/<key>``. JSON, never pickles: a cache folder restored from elsewhere (a CI
cache from another branch) can at worst hold a wrong verdict, never code to run. An entry is
read only when it belongs to this user and nobody else may write it or its folder; anything
missing, unreadable or foreign is a miss. Where the cache is: ``BRANDKIT_CACHE``, else
``$XDG_CACHE_HOME/brandkit`` or ``~/.cache/brandkit``; ``BRANDKIT_CACHE=off``: none.

The state beside a spec (``.brandkit/``: rendered images and their manifest, live images seen
by check, the record of uploads) is the project's own, kept with the spec, and is not this.
"""

from __future__ import annotations

import hashlib
import json
import os
import typing as t
from pathlib import Path

from brandkit._files import atomic_write

__all__ = ["KEEP", "cache_root", "key", "read", "write"]

KEEP = 256  # entries per kind (a few KB each): every edit of a spec makes a new one


def cache_root() -> Path | None:
    configured = os.environ.get("BRANDKIT_CACHE", "")
    if configured.lower() == "off":
        return None
    root = configured or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "brandkit"
    )
    return Path(root)


def key(*parts: bytes | str) -> str:
    """The name of an entry: a digest of every part it depends on, in order."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths: no two splits collide
    return digest.hexdigest()[:40]


def _path(kind: str, name: str) -> Path | None:
    root = cache_root()
    return None if root is None else root / kind / name


def _private(path: Path) -> bool:
    """Nobody but this user wrote the entry (POSIX; elsewhere the folder's own ACLs decide)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        for p in (path, path.parent):
            st = p.stat()
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def read(kind: str, name: str) -> t.Any | None:
    """The JSON value kept under ``kind``/``name``, or None."""
    path = _path(kind, name)
    if path is None or not _private(path):
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def write(kind: str, name: str, value: t.Any) -> None:
    """Keep ``value`` (JSON); a cache that cannot be written is no cache."""
    path = _path(kind, name)
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, json.dumps(value, ensure_ascii=False).encode(), private=True)
        _prune(path.parent)
    except (OSError, TypeError, ValueError):
        pass  # a read-only or missing home: the next run does the work again


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond KEEP."""
    with os.scandir(folder) as found:
        entries = [(e.stat().st_mtime_ns, e.path) for e in found if e.is_file()]
    for _, path in sorted(entries)[: max(0, len(entries) - KEEP)]:
        try:
            os.unlink(path)
        except OSError:
            pass  # removed by another brandkit at the same moment
