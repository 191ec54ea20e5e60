"""Perceptual image comparison: is the live image the one we would upload?

Platforms re-encode uploads, so bytes never match. A grayscale perceptual hash (pHash, computed
as imagehash does: sync/phash.py) ignores re-encoding and rescaling but is colour-blind (a
banner whose red and blue are swapped is at pHash distance ~4, dHash 0). So we also compare
24x24 box-averaged RGB thumbnails and take the *worst cell*: a recoloured logo on a large plain
banner moves one cell by ~30 while the whole-image mean barely moves (1.4); JPEG re-encoding
moves no cell by more than ~1.5.
"""

from __future__ import annotations

import dataclasses
import io

from PIL import Image

from brandkit.i18n import N_, msg
from brandkit.sync.phash import distance, phash

__all__ = ["ImageDiff", "compare_images"]

HASH_LIMIT = 8  # of 64 bits
COLOUR_LIMIT = 12.0  # worst cell's mean absolute channel difference, 0-255
# Every one of the 576 cells within this of the other: the same picture, whatever pHash says.
# pHash thresholds DCT coefficients at their median; in a symmetric image (a centred round
# logo) half of them are ~0, so JPEG noise flips bits at random: a re-encoded avatar measured
# 16/64 with no cell off by more than 1.
SAME_CELLS = 3.0
_GRID = 24


@dataclasses.dataclass(frozen=True)
class ImageDiff:
    hash_distance: int
    colour_distance: float
    where: str | None = None  # the area whose colours changed most ("top-left", "centre"...)

    @property
    def same(self) -> bool:
        if self.colour_distance <= SAME_CELLS:
            return True
        return self.hash_distance <= HASH_LIMIT and self.colour_distance <= COLOUR_LIMIT

    def describe(self) -> str:
        """What a person would say, then the measures."""
        numbers = msg(
            "pHash {hash}/64, colour {colour}/255",
            hash=self.hash_distance,
            colour=f"{self.colour_distance:.0f}",
        )
        if self.hash_distance > 3 * HASH_LIMIT:
            return msg("a different picture ({numbers})", numbers=numbers)
        area = msg(_AREA_WORDS[self.where]) if self.where in _AREA_WORDS else msg("one area")
        if self.hash_distance > HASH_LIMIT:
            return msg(
                "part of the picture changed, mostly {area} ({numbers})", area=area, numbers=numbers
            )
        return msg("the colours of {area} changed ({numbers})", area=area, numbers=numbers)


_AREA_WORDS = {  # "the colours of <this> changed"
    "top-left": N_("the top-left area"),
    "top": N_("the top area"),
    "top-right": N_("the top-right area"),
    "left": N_("the left area"),
    "centre": N_("the centre area"),
    "right": N_("the right area"),
    "bottom-left": N_("the bottom-left area"),
    "bottom": N_("the bottom area"),
    "bottom-right": N_("the bottom-right area"),
}


_AREAS = (
    ("top-left", "top", "top-right"),
    ("left", "centre", "right"),
    ("bottom-left", "bottom", "bottom-right"),
)


def _area(cell: int) -> str:
    row, col = divmod(cell, _GRID)
    return _AREAS[min(2, row * 3 // _GRID)][min(2, col * 3 // _GRID)]


def _load(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        rgba = img.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))  # transparency compared as on a white page
    flat.paste(rgba, (0, 0), rgba)
    return flat


def compare_images(
    live: bytes, expected: bytes, box: tuple[int, int, int, int] | None = None
) -> ImageDiff:
    """Compare two encoded images, optionally only inside ``box`` (expected image pixels)."""
    a, b = _load(live), _load(expected)
    if a.size != b.size:
        a = a.resize(b.size, Image.Resampling.LANCZOS)
    if box is not None:
        a, b = a.crop(box), b.crop(box)
    hash_distance = distance(phash(a), phash(b))
    ta = a.resize((_GRID, _GRID), Image.Resampling.BOX).tobytes()
    tb = b.resize((_GRID, _GRID), Image.Resampling.BOX).tobytes()
    cells = [sum(abs(ta[i + k] - tb[i + k]) for k in range(3)) / 3 for i in range(0, len(ta), 3)]
    worst = max(range(len(cells)), key=cells.__getitem__)
    # where the change is: the middle of every cell that changed visibly, else the worst one
    moved = [i for i, c in enumerate(cells) if c > COLOUR_LIMIT] or [worst]
    row = round(sum(i // _GRID for i in moved) / len(moved))
    col = round(sum(i % _GRID for i in moved) / len(moved))
    return ImageDiff(hash_distance, cells[worst], _area(row * _GRID + col))
