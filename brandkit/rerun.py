"""Replay a ``brandkit render`` that has nothing to do, without loading the spec or the imaging
stack.

``render()`` records in the manifest what the run depended on -- brandkit's and the imaging
libraries' versions, the spec file (path and sha256), the targets asked for, every file the brand
refers to (logos, fonts, templates) by sha256 -- and what it produced: every file it wrote, by
sha256, and the report it printed. When all of that still holds, running it again would render
nothing and print the same report, so the command prints it from the record, without importing
jsonschema, PyYAML or Pillow (benchmarks/render.py measures it). Anything that differs, or a
record that cannot be read, falls through to the full run, which validates and renders as usual.

This module must stay cheap to import: json, hashlib, pathlib, brandkit's version and _files only
(the imaging libraries are identified by their files, never imported).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import typing as t
from pathlib import Path

from brandkit._files import file_sha256
from brandkit._version import __version__

__all__ = ["RENDERER_REVISION", "Replay", "RunRecord", "renderer_versions", "replay", "run_key"]

# Bumped whenever the pixels or bytes brandkit writes change (2: raster levels from 1.5x; 3: own PNG
# writer; 6: own ICO container; 7: logo treatments decided on probes, plates), so outputs cached
# by an older algorithm render again even when the package version did not move.
RENDERER_REVISION = 7


def renderer_versions() -> dict[str, t.Any]:
    """Everything besides the inputs that decides the output bytes: brandkit, and the imaging
    libraries identified by their installed files (names, sizes, times) rather than imported to
    ask their version (Pillow, both resvg bindings and zlib-ng: 3 ms of a no-op run)."""
    return {
        "brandkit": __version__,
        "renderer": RENDERER_REVISION,
        **{name: _installed(name) for name in ("PIL", "resvg_py", "resvg", "zlib_ng")},
    }


@functools.cache
def _installed(package: str) -> str:
    """A short digest of a package's top-level files, found without importing it."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        return "absent" if spec is None else str(spec.origin)
    marks = []
    with os.scandir(folders[0]) as entries:
        for entry in entries:
            if entry.is_file():
                st = entry.stat()
                marks.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(marks)).encode()).hexdigest()[:16]


def run_key(spec: Path, targets: t.Sequence[str] | None) -> str:
    """What a run is asked to do: this spec file's bytes, these targets, with this renderer."""
    payload = {
        "versions": renderer_versions(),
        "spec": str(spec.resolve()),
        "spec_sha256": file_sha256(spec),
        "targets": list(targets) if targets is not None else None,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class RunRecord(t.NamedTuple):
    """What one complete run read and wrote."""

    key: str
    reads: dict[str, str]  # absolute path -> sha256 of every file the brand refers to
    writes: dict[str, str]  # path relative to the output folder -> sha256 of every file
    name: str  # the brand's name, for the report line
    targets: tuple[str, ...]  # in report order
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "key": self.key,
            "reads": self.reads,
            "writes": self.writes,
            "name": self.name,
            "targets": list(self.targets),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: t.Any) -> RunRecord | None:
        try:
            return cls(
                str(data["key"]),
                dict(data["reads"]),
                dict(data["writes"]),
                str(data["name"]),
                tuple(data["targets"]),
                tuple(data["warnings"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _unchanged(files: dict[str, str], root: Path | None = None) -> bool:
    try:
        return all(
            file_sha256(root / name if root else Path(name)) == digest
            for name, digest in files.items()
        )
    except OSError:
        return False


class Replay:
    """The report of a run to print again."""

    __slots__ = ("assets", "name", "warnings")

    def __init__(
        self,
        name: str,
        assets: tuple[tuple[str, int, int, int, str], ...],  # file, width, height, bytes, encoding
        warnings: tuple[str, ...],
    ) -> None:
        self.name, self.assets, self.warnings = name, assets, warnings


def _replayed_asset(
    out: Path, entry: t.Any, writes: dict[str, str]
) -> tuple[str, int, int, int, str] | None:
    """A manifest entry as the report shows it, if it agrees with the record and the file."""
    if not isinstance(entry, dict):
        return None
    file, size = entry.get("file"), entry.get("bytes")
    if (
        not isinstance(file, str)
        or writes.get(file) != entry.get("sha256")
        or not isinstance(size, int)
    ):
        return None
    try:
        if (out / file).stat().st_size != size:
            return None
    except OSError:
        return None
    width, height, encoding = entry.get("width"), entry.get("height"), entry.get("encoding")
    if not (isinstance(width, int) and isinstance(height, int) and isinstance(encoding, str)):
        return None
    return file, width, height, size, encoding


def replay(out: Path, spec: Path, targets: t.Sequence[str] | None) -> Replay | None:
    """The report of the last run into ``out``, if running it again would change nothing."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        record = RunRecord.from_dict(manifest.get("run"))
        entries = manifest["targets"]
        if record is None or not isinstance(entries, dict) or record.key != run_key(spec, targets):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not (_unchanged(record.reads) and _unchanged(record.writes, out)):
        return None
    assets = [_replayed_asset(out, entries.get(name), record.writes) for name in record.targets]
    if any(a is None for a in assets):
        return None
    return Replay(record.name, tuple(a for a in assets if a is not None), record.warnings)
