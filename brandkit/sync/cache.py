"""Caches that make a repeated check cheap: live images by URL, comparison results by inputs.

Platforms give every upload a new URL, so an image cached under its URL never goes stale.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

from brandkit._files import atomic_write
from brandkit.cache import key  # the one content key, here for the state folder's files
from brandkit.sync.compare import ImageDiff

__all__ = ["SyncCache"]


class SyncCache:
    def __init__(self, folder: Path) -> None:
        self.images = folder / "images"
        self.compares = folder / "compare"

    def image_path(self, url: str, data: bytes = b"") -> Path:
        """Where a live image is kept: its real extension, so a person can open it."""
        found = sorted(self.images.glob(key(url) + ".*"))
        if found and not data:
            return found[0]
        return self.images / (key(url) + _extension(data))

    def image(self, url: str, fetch: t.Callable[[], bytes]) -> tuple[bytes, Path]:
        path = self.image_path(url)
        if path.exists():
            return path.read_bytes(), path
        data = fetch()
        path = self.image_path(url, data)
        atomic_write(path, data)
        return data, path

    def forget_image(self, url: str) -> None:
        for path in self.images.glob(key(url) + ".*"):
            path.unlink(missing_ok=True)

    def comparison(
        self, url: str, expected_sha: str, box: t.Any, compute: t.Callable[[], ImageDiff]
    ) -> ImageDiff:
        path = self.compares / (key(url, expected_sha, json.dumps(box)) + ".json")
        try:
            raw = json.loads(path.read_text())
            return ImageDiff(
                int(raw["hash"]),
                float(raw["colour"]),
                raw.get("where"),
                float(raw["detail"]),
                raw.get("detail_where"),
            )
        except (OSError, ValueError, KeyError):
            pass
        diff = compute()
        atomic_write(
            path,
            json.dumps(
                {
                    "hash": diff.hash_distance,
                    "colour": diff.colour_distance,
                    "where": diff.where,
                    "detail": diff.detail_distance,
                    "detail_where": diff.detail_where,
                }
            ).encode(),
        )
        return diff


def _extension(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return ".gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return ".img"  # not an image we know: kept as it came
