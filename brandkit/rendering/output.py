"""Write rendered targets into an output folder: atomic files, a manifest, and a cache.

A target is skipped when its *input hash* (brandkit and library versions, the target's data,
its style, the colours and text it uses, and the bytes of every file it reads) matches the
manifest and the file on disk still has the recorded sha256. Only files brandkit owns are
replaced; nothing else in the folder is touched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing as t
from pathlib import Path

from brandkit._files import atomic_write, file_sha256
from brandkit._version import __version__
from brandkit.errors import RenderError
from brandkit.platforms import Target
from brandkit.rerun import RunRecord, renderer_versions

__all__ = ["Manifest", "input_hash", "referenced_files"]

MANIFEST = "manifest.json"
ENTRY_TEXT = ("file", "sha256", "format", "encoding")


def input_hash(recipe: dict[str, t.Any], files: t.Iterable[Path]) -> str:
    payload = {
        **renderer_versions(),
        "recipe": recipe,
        "files": sorted((str(p.name), file_sha256(p)) for p in set(files)),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def referenced_files(value: t.Any) -> set[Path]:
    """Every file path anywhere in a Brand: spec, logos, fonts, account images, templates."""
    if isinstance(value, Path):
        return {value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return set().union(
            *(
                referenced_files(getattr(value, name))
                for name in tuple(f.name for f in dataclasses.fields(value))
            )
        )
    if isinstance(value, tuple):
        return set().union(*(referenced_files(v) for v in value))
    return set()


class Manifest:
    """The output folder's manifest.json: an entry per target written, and the last complete
    run's record (for `brandkit render` to replay, rerun.py)."""

    def __init__(
        self, folder: Path, entries: dict[str, dict[str, t.Any]], run: RunRecord | None = None
    ) -> None:
        self.folder, self.entries, self.run = folder, entries, run

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            entries = data.get("targets", {}) if isinstance(data, dict) else {}
            run = RunRecord.from_dict(data.get("run")) if isinstance(data, dict) else None
            return cls(folder, entries if isinstance(entries, dict) else {}, run)
        except (OSError, ValueError):
            return cls(folder, {})  # no manifest or a damaged one: everything renders again

    def fresh(self, name: str, inputs: str) -> dict[str, t.Any] | None:
        """The manifest's entry for a target whose inputs and file are unchanged; an entry in
        any other shape (edited by hand, damaged) is not trusted: the target renders again."""
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or entry.get("inputs") != inputs:
            return None
        if not all(isinstance(entry.get(k), int) for k in ("width", "height", "bytes")):
            return None
        if not all(isinstance(entry.get(k), str) for k in ENTRY_TEXT):
            return None
        if not all(isinstance(w, str) for w in entry.get("warnings", [])):
            return None
        path = self.folder / str(entry.get("file", ""))
        try:
            if path.stat().st_size != entry.get("bytes") or file_sha256(path) != entry.get(
                "sha256"
            ):
                return None
        except OSError:
            return None
        return entry

    def write(self) -> None:
        body: dict[str, t.Any] = {
            "brandkit": __version__,
            "targets": dict(sorted(self.entries.items())),
        }
        if self.run is not None:
            body["run"] = self.run.to_dict()
        try:
            atomic_write(self.folder / MANIFEST, (json.dumps(body, indent=2) + "\n").encode())
        except OSError as exc:
            raise RenderError(
                f"cannot write the manifest: {exc.strerror}", file=str(self.folder / MANIFEST)
            ) from None


def target_recipe(target: Target) -> dict[str, t.Any]:
    return dataclasses.asdict(target)
