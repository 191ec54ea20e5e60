"""Encode a rendered image deterministically, under the target's byte limit.

Fixed encoder settings and no metadata (no timestamps, no EXIF, no text chunks) make the bytes
identical on every run with the same library versions. The first encoding of an RGB(A) image is
``png.png_bytes`` (unfiltered rows, zlib-ng level 6). When it is over the limit we try, in order:
an optimised PNG (Pillow's per-row filters, zlib level 9), a 256-colour palette PNG, then JPEG at
decreasing quality where the target accepts JPEG. The encoding used is reported.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import struct
import typing as t

from PIL import Image

from brandkit.errors import RenderError
from brandkit.platforms import Target
from brandkit.rendering import png

__all__ = ["Encoded", "encode", "encode_ico"]

_JPEG_QUALITIES = (92, 88, 84, 80, 75, 70, 65, 60, 55, 50)


@dataclasses.dataclass(frozen=True, slots=True)
class Encoded:
    data: bytes
    format: str  # png | jpeg | ico
    encoding: str  # how: png, png-optimized, png-palette, jpeg-q88, ico

    @property
    def extension(self) -> str:
        return {"png": ".png", "jpeg": ".jpg", "ico": ".ico"}[self.format]


def _png(img: Image.Image, *, optimize: bool = False) -> bytes:
    if not optimize and img.mode in png.SUPPORTED_MODES:
        return png.png_bytes(img)
    buf = io.BytesIO()
    # optimize: Pillow's per-row filter choice and zlib level 9, slower and usually smaller
    img.save(buf, "PNG", compress_level=6 if not optimize else 9, optimize=optimize)
    return buf.getvalue()


def _jpeg(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(
        buf, "JPEG", quality=quality, subsampling=0, optimize=True, progressive=False
    )
    return buf.getvalue()


def _palette(img: Image.Image) -> bytes:
    method = Image.Quantize.FASTOCTREE if img.mode == "RGBA" else Image.Quantize.MEDIANCUT
    return _png(img.quantize(colors=256, method=method, dither=Image.Dither.NONE), optimize=True)


def encode(img: Image.Image, target: Target, preferred: str | None = None) -> Encoded:
    formats = [preferred] if preferred else list(target.formats)
    limit = target.max_bytes
    attempts: list[tuple[str, int]] = []

    def fits(data: bytes) -> bool:
        return limit is None or len(data) <= limit

    candidates: list[tuple[str, str, t.Callable[[], bytes]]] = []
    for fmt in formats:
        if fmt == "png":
            candidates += [
                ("png", "png", lambda: _png(img)),
                ("png", "png-optimized", lambda: _png(img, optimize=True)),
                ("png", "png-palette", lambda: _palette(img)),
            ]
        elif fmt == "jpeg":
            alpha = img.getchannel("A").getextrema() if img.mode == "RGBA" else (255, 255)
            if t.cast(tuple[int, int], alpha)[0] < 255:
                continue  # JPEG would lose transparency the target asked for
            candidates += [
                ("jpeg", f"jpeg-q{q}", functools.partial(_jpeg, img, q)) for q in _JPEG_QUALITIES
            ]
    for fmt, how, make in candidates:
        data = make()
        if fits(data):
            return Encoded(data, fmt, how)
        attempts.append((how, len(data)))
    smallest = min(attempts, key=lambda a: a[1]) if attempts else ("none", 0)
    hint = "simplify the design" + (
        "" if "jpeg" in formats else ", or set format: jpeg for this target"
    )
    raise RenderError(
        f"cannot meet the byte limit of {limit} bytes (smallest was {smallest[1]} bytes as "
        f"{smallest[0]}); {hint}",
        target=target.name,
    )


def encode_ico(images: list[Image.Image]) -> Encoded:
    """A multi-size .ico from images rendered at each size (crisper than downscaling one).

    Each size is stored as a PNG, as Pillow's ICO writer does by default (every browser and
    Windows since Vista read them), written by brandkit's own PNG writer: Pillow's ICO and BMP
    plugins are never imported, and its save() does not first import five others (~13 ms of a
    render's start)."""
    frames = sorted({im.size: im for im in images if im.width <= 256 and im.height <= 256}.items())
    if not frames:
        raise ValueError("an ICO holds sizes up to 256x256")
    header = struct.pack("<HHH", 0, 1, len(frames))  # reserved, type 1 = icon, count
    directory, blobs = [], []
    offset = len(header) + 16 * len(frames)
    for (width, height), im in frames:
        data = png.png_bytes(im if im.mode in png.SUPPORTED_MODES else im.convert("RGBA"))
        # width, height (0 = 256), palette size, reserved, planes, bits per pixel, size, offset
        directory.append(
            struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(data), offset)
        )
        blobs.append(data)
        offset += len(data)
    return Encoded(header + b"".join(directory) + b"".join(blobs), "ico", "ico")
