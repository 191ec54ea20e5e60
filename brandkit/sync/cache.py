"""Caches that make a repeated check cheap: live images by URL, comparison results by inputs.

Platforms give every upload a new URL, so an image cached under its URL never goes stale.
"""

from __future__ import annotations

import hashlib
import json
import typing as t
from pathlib import Path

from brandkit._files import atomic_write
from brandkit.sync.compare import ImageDiff

__all__ = ["SyncCache"]


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]


class SyncCache:
    def __init__(self, folder: Path) -> None:
        self.images = folder / "images"
        self.compares = folder / "compare"

    def image_path(self, url: str) -> Path:
        return self.images / (_key(url) + ".img")

    def image(self, url: str, fetch: t.Callable[[], bytes]) -> tuple[bytes, Path]:
        path = self.image_path(url)
        if path.exists():
            return path.read_bytes(), path
        data = fetch()
        atomic_write(path, data)
        return data, path

    def forget_image(self, url: str) -> None:
        self.image_path(url).unlink(missing_ok=True)

    def comparison(
        self, url: str, expected_sha: str, box: t.Any, compute: t.Callable[[], ImageDiff]
    ) -> ImageDiff:
        path = self.compares / (_key(url, expected_sha, json.dumps(box)) + ".json")
        try:
            raw = json.loads(path.read_text())
            return ImageDiff(int(raw["hash"]), float(raw["colour"]))
        except (OSError, ValueError, KeyError):
            pass
        diff = compute()
        atomic_write(
            path, json.dumps({"hash": diff.hash_distance, "colour": diff.colour_distance}).encode()
        )
        return diff
