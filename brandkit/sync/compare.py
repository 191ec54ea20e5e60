"""Perceptual image comparison: is the live image the one we would upload?

Platforms re-encode uploads, so bytes never match. A grayscale perceptual hash (pHash, computed
as imagehash does: sync/phash.py) ignores re-encoding and rescaling but is colour-blind (a
banner whose red and blue are swapped is at pHash distance ~4, dHash 0). So we also compare
24x24 box-averaged RGB thumbnails and take the *worst cell*: a recoloured logo on a large plain
banner moves one cell by ~30 while the whole-image mean barely moves (1.4); JPEG re-encoding
moves no cell by more than ~1.5.

Neither sees a changed line of small text (a new tagline on a banner: pHash 0, worst 24x24 cell
12 of a limit of 12). So the two images are also compared at the smaller one's full resolution
in 8x8-pixel cells, on every channel: a changed word moves such a cell by 48-140; JPEG down to
quality 50, with the image at half its size or more, by at most 26 (measured on the banners of
every example).
"""

from __future__ import annotations

import dataclasses
import io
import typing as t

from PIL import Image, ImageChops

from brandkit.i18n import N_, msg
from brandkit.sync.phash import distance, phash

__all__ = ["ImageDiff", "changed_areas", "compare_images"]

HASH_LIMIT = 8  # of 64 bits
COLOUR_LIMIT = 12.0  # worst cell's mean absolute channel difference, 0-255
# Every one of the 576 cells within this of the other: the same picture, whatever pHash says.
# pHash thresholds DCT coefficients at their median; in a symmetric image (a centred round
# logo) half of them are ~0, so JPEG noise flips bits at random: a re-encoded avatar measured
# 16/64 with no cell off by more than 1.
SAME_CELLS = 3.0
_GRID = 24
DETAIL_CELL = 8  # px, at the smaller image's resolution
DETAIL_LIMIT = 40.0  # worst 8x8 cell's largest channel difference, 0-255


@dataclasses.dataclass(frozen=True)
class ImageDiff:
    hash_distance: int
    colour_distance: float
    where: str | None = None  # the area whose colours changed most ("top-left", "centre"...)
    detail_distance: float = 0.0  # the worst 8x8-pixel cell: text and fine lines
    detail_where: str | None = None

    @property
    def same(self) -> bool:
        if self.detail_distance > DETAIL_LIMIT:
            return False
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
        if self.hash_distance <= HASH_LIMIT and self.colour_distance <= COLOUR_LIMIT:
            where = self.detail_where
            area = msg(_AREA_WORDS[where]) if where in _AREA_WORDS else msg("one area")
            return msg(
                "text or fine detail changed, mostly {area} ({numbers}, detail {detail}/255)",
                area=area,
                numbers=numbers,
                detail=f"{self.detail_distance:.0f}",
            )
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


def _area(cell: int, columns: int = _GRID, rows: int = _GRID) -> str:
    row, col = divmod(cell, columns)
    return _AREAS[min(2, row * 3 // rows)][min(2, col * 3 // columns)]


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
    live_img, expected_img = _load(live), _load(expected)
    detail, detail_where = _detail(live_img, expected_img, box)
    a, b = live_img, expected_img
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
    return ImageDiff(hash_distance, cells[worst], _area(row * _GRID + col), detail, detail_where)


def _cells(live: Image.Image, expected: Image.Image) -> Image.Image:
    """Each 8x8-pixel cell's largest channel difference (one pixel a cell), at the smaller
    image's resolution: a platform that serves a banner smaller must not have its resampling
    counted."""
    if live.width * live.height < expected.width * expected.height:
        expected = expected.resize(live.size, Image.Resampling.LANCZOS)
    elif live.size != expected.size:
        live = live.resize(expected.size, Image.Resampling.LANCZOS)
    red, green, blue = ImageChops.difference(live, expected).reduce(DETAIL_CELL).split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue)


def _detail(
    live: Image.Image, expected: Image.Image, box: tuple[int, int, int, int] | None
) -> tuple[float, str]:
    """The worst 8x8-pixel cell's difference, and where it is."""
    if box is not None:
        sx, sy = live.width / expected.width, live.height / expected.height
        live = live.crop(
            (round(box[0] * sx), round(box[1] * sy), round(box[2] * sx), round(box[3] * sy))
        )
        expected = expected.crop(box)
    worst = _cells(live, expected)
    peak = int(t.cast(tuple[int, int], worst.getextrema())[1])  # one band: (low, high)
    index = worst.tobytes().index(peak)
    return float(peak), _area(index, worst.width, worst.height)


def changed_areas(live: bytes, expected: bytes) -> Image.Image:
    """A mask the size of the expected image: white where a cell differs by more than a
    platform's re-encoding would move it (what the report paints red)."""
    expected_img = _load(expected)
    cells = _cells(_load(live), expected_img)
    mask = cells.point(lambda v: 255 if v > DETAIL_LIMIT else 0)
    return mask.resize(expected_img.size, Image.Resampling.NEAREST)
