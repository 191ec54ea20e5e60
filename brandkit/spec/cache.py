"""Remember specs that passed every check, so the next run with the same inputs skips the checks.

A ``brandkit render`` spends more on proving the spec good than on anything but the pixels:
PyYAML, jsonschema, the semantic checks and the render probes are ~0.1 s before the first image.
When a spec's bytes, every file it refers to (logos, fonts, templates: by sha256), brandkit's
checking code and data, the imaging libraries and the options are all those of a run where it
passed, the checks would say the same again: the result is read back instead.

Only results without errors are kept (a refused spec is always checked, so its messages are
always current). Entries are pickles in the user's cache folder (``BRANDKIT_CACHE``, else
``$XDG_CACHE_HOME/brandkit`` or ``~/.cache/brandkit``; ``BRANDKIT_CACHE=off``: none), read only
when the file belongs to this user and nobody else may write to it or its folder. Any doubt
(missing, unreadable, changed) is a miss: the full checks run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import typing as t
from pathlib import Path

from brandkit._files import atomic_write, file_sha256

if t.TYPE_CHECKING:
    from brandkit.spec import ValidationResult

__all__ = ["cache_root", "recall", "remember"]

_FORMAT = b"validated-1"  # bumped when what an entry holds changes


def cache_root() -> Path | None:
    """``BRANDKIT_CACHE``, else ``$XDG_CACHE_HOME/brandkit`` or ``~/.cache/brandkit``; None when
    ``BRANDKIT_CACHE=off``: every spec is checked in full."""
    configured = os.environ.get("BRANDKIT_CACHE", "")
    if configured.lower() == "off":
        return None
    root = configured or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "brandkit"
    )
    return Path(root)


@functools.cache  # once a process: a check that misses asks twice (recall, then remember)
def _code_fingerprint() -> bytes:
    """What decides a verdict besides the inputs: brandkit's version, its checking code (an
    edited checkout changes it without a new version), its schema and platform data, and the
    imaging libraries the render probes use."""
    from brandkit._resources import schemas_dir
    from brandkit.rerun import renderer_versions

    package = Path(__file__).resolve().parent.parent
    parts = [repr(sorted(renderer_versions().items())).encode()]
    for folder in (package, package / "spec", package / "rendering"):
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.path}:{st.st_mtime_ns}:{st.st_size}".encode())
    for name in ("brand.schema.json", "platforms.json"):
        parts.append((schemas_dir() / name).read_bytes())
    return hashlib.sha256(b"\0".join(parts)).digest()


def _entry(spec: str | Path, options: tuple[bool, ...]) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    source = Path(spec)
    try:
        key = hashlib.sha256(
            b"\0".join(
                (
                    _FORMAT,
                    _code_fingerprint(),
                    os.fsencode(str(spec)),  # as given: issues name the file this way
                    os.fsencode(str(source.resolve())),
                    repr(options).encode(),
                    source.read_bytes(),
                )
            )
        ).hexdigest()
    except (OSError, ValueError):
        return None
    return root / "validated" / key[:40]


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


def _files(result: ValidationResult) -> dict[str, str]:
    from brandkit.rendering.output import referenced_files

    return {str(p): file_sha256(p) for p in sorted(referenced_files(result.brand))}


def recall(spec: str | Path, options: tuple[bool, ...]) -> ValidationResult | None:
    """The result of checking ``spec`` with ``options`` before, if nothing it depends on moved."""
    entry = _entry(spec, options)
    if entry is None or not _private(entry):
        return None
    try:
        files, result = pickle.loads(entry.read_bytes())
        for name, digest in files.items():
            if file_sha256(Path(name)) != digest:
                return None
    except Exception:  # noqa: BLE001 - any damaged or foreign entry is a miss, never an error
        return None
    return t.cast("ValidationResult", result)


def remember(spec: str | Path, options: tuple[bool, ...], result: ValidationResult) -> None:
    """Keep a result that has no errors; a cache that cannot be written is no cache."""
    if result.brand is None:
        return
    entry = _entry(spec, options)
    if entry is None:
        return
    try:
        data = pickle.dumps((_files(result), result), protocol=pickle.HIGHEST_PROTOCOL)
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(entry, data, private=True)
        _prune(entry.parent)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only or missing home: no cache, the next run checks again


KEEP = 256  # entries (a few KB each): every edit of a spec makes a new one


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond KEEP."""
    with os.scandir(folder) as found:
        entries = [(e.stat().st_mtime_ns, e.path) for e in found if e.is_file()]
    for _, path in sorted(entries)[: max(0, len(entries) - KEEP)]:
        try:
            os.unlink(path)
        except OSError:
            pass  # removed by another brandkit at the same moment
