"""Write rendered targets into an output folder: atomic files, a manifest, and a cache.

A target is skipped when its *input hash* (brandkit and library versions, the target's data,
its style, the colours and text it uses, and the bytes of every file it reads) matches the
manifest and the file on disk still has the recorded sha256. Only files brandkit owns are
replaced; nothing else in the folder is touched.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import threading
import typing as t
from pathlib import Path

import PIL

from brandkit._version import __version__
from brandkit._files import atomic_write
from brandkit.errors import RenderError
from brandkit.platforms import Target

__all__ = ["Manifest", "file_sha256", "input_hash"]

MANIFEST = "manifest.json"
_hash_cache: dict[tuple[str, int, int], str] = {}
_hash_lock = threading.Lock()


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


# Bumped whenever the pixels or bytes brandkit writes change (2: raster levels from 1.5x; 3: own PNG
# writer), so outputs cached by an older algorithm render again even when the package version did not move.
RENDERER_REVISION = 3


@functools.cache
def _library_version(distribution: str) -> str:
    try:
        from importlib.metadata import version

        return version(distribution)
    except Exception:  # pragma: no cover - both are dependencies
        return "?"


def input_hash(recipe: dict[str, t.Any], files: t.Iterable[Path]) -> str:
    payload = {
        "brandkit": __version__,
        "renderer": RENDERER_REVISION,
        "pillow": PIL.__version__,
        "resvg": _library_version("resvg_py"),
        "zlib-ng": _library_version("zlib-ng"),
        "recipe": recipe,
        "files": sorted((str(p.name), file_sha256(p)) for p in set(files)),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclasses.dataclass
class Manifest:
    folder: Path
    entries: dict[str, dict[str, t.Any]]

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            entries = data.get("targets", {}) if isinstance(data, dict) else {}
            return cls(folder, entries if isinstance(entries, dict) else {})
        except (OSError, ValueError):
            return cls(folder, {})  # no manifest or a damaged one: everything renders again

    def fresh(self, name: str, inputs: str) -> dict[str, t.Any] | None:
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or entry.get("inputs") != inputs:
            return None
        path = self.folder / str(entry.get("file", ""))
        try:
            if path.stat().st_size != entry.get("bytes") or file_sha256(path) != entry.get("sha256"):
                return None
        except OSError:
            return None
        return entry

    def write(self) -> None:
        body = {"brandkit": __version__, "targets": dict(sorted(self.entries.items()))}
        try:
            atomic_write(self.folder / MANIFEST, (json.dumps(body, indent=2) + "\n").encode())
        except OSError as exc:
            raise RenderError(f"cannot write the manifest: {exc.strerror}", file=str(self.folder / MANIFEST)) from None


def target_recipe(target: Target) -> dict[str, t.Any]:
    return dataclasses.asdict(target)
