"""Logo sources rasterised at exactly the size a target needs.

SVG: rasterised by resvg at each requested size (vector, never upscaled pixels); the same size
is rasterised once and shared between targets. Raster: decoded once, converted to sRGB, then
halved into a pyramid of premultiplied (RGBa) levels; each request starts from the smallest
level at least 1.5x its size and finishes with Lanczos. Premultiplied alpha means no dark
fringes. (From 1.5x rather than 2x: 3x less work for the largest sizes, and the result stays
within 50 dB PSNR of a Lanczos from the full-size source, i.e. no visible difference.)
"""

from __future__ import annotations

import io
import sys
import threading
import typing as t
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, PngImagePlugin

from brandkit.errors import RenderError
from brandkit.rendering.svg import RasteriseFailed, SvgRasteriser
from brandkit.sources import SourceInfo, UnreadableSource, inspect_image, open_raster

__all__ = ["LogoSource", "fit_size"]


def fit_size(src_w: int, src_h: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The largest size with the source's aspect ratio inside the box."""
    scale = min(box_w / src_w, box_h / src_h)
    return max(1, round(src_w * scale)), max(1, round(src_h * scale))


def _to_srgb_rgba(img: Image.Image) -> Image.Image:
    icc = img.info.get("icc_profile")
    alpha = img.getchannel("A") if "A" in img.getbands() else None
    if icc:
        from PIL import ImageCms  # imported here: only a logo with a colour profile needs it

        try:
            src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            base = img if img.mode in ("RGB", "CMYK", "L") else img.convert("RGB")
            converted = ImageCms.profileToProfile(
                base, src_profile, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
            img = t.cast(Image.Image, converted)
        except (ImageCms.PyCMSError, OSError, ValueError):
            img = img.convert("RGB")  # an unreadable profile: fall back to the numbers as they are
    rgba = img.convert("RGBA")
    if alpha is not None and icc:
        rgba.putalpha(alpha)
    return rgba


FLAT_TOLERANCE = 24  # how far (luminance of the per-channel difference) a pixel may be from a
# flat background colour and still count as background (JPEG noise, gentle gradients)
MASK_SIDE = 320  # the background region is traced on a reduction this size


def clear_flat_background(rgba: Image.Image) -> Image.Image:
    """An opaque logo on a flat colour (a JPEG on white, a screenshot) with that colour made
    transparent where it touches the edges: what a designer does with a magic wand from the
    corners. Inner areas of the same colour (a white letter inside a badge) stay. Returns the
    image unchanged when it has transparency or its corners differ."""
    w, h = rgba.size
    corners = [rgba.getpixel(xy) for xy in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))]
    first = t.cast(tuple[int, ...], corners[0])

    def far(c: t.Any) -> bool:
        return max(abs(a - b) for a, b in zip(first, c, strict=False)) > 12

    # the corners first (four pixels): a logo with transparent or unlike corners is left alone
    # without reading its 16 million pixels; only then is the whole alpha channel checked
    if first[3] < 250 or any(far(c) for c in corners):
        return rgba
    if t.cast(tuple[tuple[int, int], ...], rgba.getextrema())[3][0] < 250:
        return rgba
    diff = ImageChops.difference(rgba, Image.new("RGBA", rgba.size, first)).convert("L")
    near = diff.point(lambda d: 255 if d <= FLAT_TOLERANCE else 0)
    # which near-background pixels connect to an edge: a flood fill from every border pixel of
    # a reduction (Pillow's fill is pure Python: fast only on a small image)
    sw, sh = fit_size(w, h, MASK_SIDE, MASK_SIDE)
    small = near.resize((sw, sh), Image.Resampling.BOX).point(lambda v: 255 if v >= 128 else 0)
    for x, y in (
        [(x, 0) for x in range(sw)]
        + [(x, sh - 1) for x in range(sw)]
        + [(0, y) for y in range(sh)]
        + [(sw - 1, y) for y in range(sh)]
    ):
        if small.getpixel((x, y)) == 255:
            ImageDraw.floodfill(small, (x, y), 128)
    outside = small.point(lambda v: 255 if v == 128 else 0).resize(
        (w, h), Image.Resampling.BILINEAR
    )
    # transparent where the pixel is the background colour and lies in the edge-connected region
    cleared = ImageChops.multiply(near, outside.point(lambda v: 255 if v >= 64 else 0))
    if cleared.histogram()[255] > 0.95 * w * h:
        return rgba  # (nearly) all one colour: that is the logo, not a background around it
    out = rgba.copy()
    out.putalpha(ImageChops.invert(cleared))
    return out


class LogoSource:
    """One logo file, rasterised on demand. Thread-safe; each size is produced once."""

    def __init__(
        self, path: Path, *, allow_upscale: bool = False, rasteriser: SvgRasteriser | None = None
    ) -> None:
        self.path = path
        self.allow_upscale = allow_upscale
        self.rasteriser = rasteriser or SvgRasteriser()
        try:
            self.info: SourceInfo = inspect_image(path)
        except UnreadableSource as exc:
            raise RenderError(str(exc), file=str(path)) from None
        self._lock = threading.Lock()
        self._sized: dict[tuple[int, int], Image.Image] = {}
        self._key_locks: dict[tuple[int, int], threading.Lock] = {}
        self._pyramid: list[Image.Image | None] = []
        self._visible: tuple[float, float, float, float] | None = None
        self._flat_background: tuple[int, int, int] | None = None

    @property
    def aspect(self) -> float:
        x0, y0, x1, y1 = self.visible
        return (self.info.width * (x1 - x0)) / (self.info.height * (y1 - y0))

    @property
    def visible(self) -> tuple[float, float, float, float]:
        """Where the logo's visible content is in its canvas, as fractions (x0, y0, x1, y1).

        Logo files often carry their clear space inside them (a mark in the middle third of its
        viewBox): laid out by the canvas, the mark would come out small. Measured once, on a
        small rasterisation: the alpha channel, or, for an opaque file, the distance from the
        colour of its corners.
        """
        with self._lock:
            known = self._visible
        if known is None:  # measured outside the lock: the probe takes it to decode the source
            known = _visible_fraction(self._probe())
            with self._lock:
                self._visible = known
        return known

    def _probe(self) -> Image.Image:
        w, h = fit_size(self.info.width, self.info.height, PROBE, PROBE)
        if self.info.kind == "svg":
            return self._svg(w, h, "probe")
        # a pyramid level the render builds anyway: the smallest at least PROBE on its long side
        level = 0
        while max(self.info.width, self.info.height) >> (level + 1) >= PROBE:
            level += 1
        return self._level(level)

    def fitted(self, box_w: int, box_h: int, *, target: str) -> Image.Image:
        """The logo's visible content as RGBA at the largest size that fits ``box_w`` x ``box_h``
        (the file's own empty margins left out; the target's padding is the clear space)."""
        x0, y0, x1, y1 = self.visible
        vis_w = self.info.width * (x1 - x0)
        vis_h = self.info.height * (y1 - y0)
        w, h = fit_size(max(1, round(vis_w)), max(1, round(vis_h)), box_w, box_h)
        if (x0, y0, x1, y1) == (0.0, 0.0, 1.0, 1.0):
            return self.at(w, h, target=target)
        # rasterise the whole canvas at the size that makes its visible part w x h, then cut it
        full_w = max(w, round(w / (x1 - x0)))
        full_h = max(h, round(h / (y1 - y0)))
        left = min(round(x0 * full_w), full_w - w)
        top = min(round(y0 * full_h), full_h - h)
        return self.at(full_w, full_h, target=target).crop((left, top, left + w, top + h))

    def at(self, w: int, h: int, *, target: str) -> Image.Image:
        with self._lock:
            done = self._sized.get((w, h))
            if done is not None:
                return done
            key_lock = self._key_locks.setdefault((w, h), threading.Lock())
        with key_lock:
            with self._lock:
                done = self._sized.get((w, h))
            if done is None:
                done = (
                    self._svg(w, h, target)
                    if self.info.kind == "svg"
                    else self._raster(w, h, target)
                )
                with self._lock:
                    self._sized[(w, h)] = done
        return done

    def _svg(self, w: int, h: int, target: str) -> Image.Image:
        try:
            png = self.rasteriser.png(self.path, w, h)
        except RasteriseFailed as exc:
            raise RenderError(
                f"resvg could not rasterise the SVG ({exc})", target=target, file=str(self.path)
            ) from None
        # resvg's answer is always a PNG: opened as one, so Pillow does not first import its
        # five common format plugins (JPEG's pulls in subprocess: ~10 ms of the first render)
        img = PngImagePlugin.PngImageFile(io.BytesIO(png))
        img.load()
        if img.size != (w, h):  # resvg keeps the aspect ratio; pad to the exact box asked for
            canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
            canvas.alpha_composite(
                img.convert("RGBA"), ((w - img.width) // 2, (h - img.height) // 2)
            )
            return canvas
        return img.convert("RGBA")

    def _decoded(self) -> Image.Image:
        """The straight sRGB RGBA source, flat background cleared: pyramid level 0."""
        try:
            img = open_raster(self.path)
        except UnreadableSource as exc:
            raise RenderError(str(exc), file=str(self.path)) from None
        if (
            img.mode == "RGBA"
            and "icc_profile" not in img.info
            and getattr(img, "fp", None) is None
        ):
            rgba = img  # already straight sRGB RGBA, file closed: no copy
        else:
            with img:
                rgba = _to_srgb_rgba(img)
        cleared = clear_flat_background(rgba)
        if cleared is not rgba:
            corner = t.cast(tuple[int, int, int, int], rgba.getpixel((0, 0)))
            self._flat_background = (corner[0], corner[1], corner[2])
        return cleared

    @property
    def flat_background(self) -> tuple[int, int, int] | None:
        """The colour cleared from around an opaque raster logo (see clear_flat_background), or
        None; an SVG has none."""
        if self.info.kind == "raster":
            self._base()
        return self._flat_background

    def _base(self) -> list[Image.Image | None]:
        with self._lock:
            if not self._pyramid:
                self._pyramid.append(self._decoded())
            return self._pyramid

    def _level(self, index: int) -> Image.Image:
        """Level 0 is the straight RGBA source; level n >= 1 is premultiplied, 2**n smaller."""
        pyramid = self._base()
        with self._lock:
            while len(pyramid) <= index:
                last = pyramid[-1]
                if last is None:  # level 0 was let go (prepare): decode it again to go on
                    last = pyramid[0] = self._decoded()
                pyramid.append(_halve_premultiplied(last) if len(pyramid) == 1 else last.reduce(2))
            level = pyramid[index]
            if level is None:  # a size after all needs the full source: decoded again, kept
                level = pyramid[index] = self._decoded()
            return level

    def prepare(self) -> None:
        """Decode a raster source and build its first levels now, before the render's threads
        allocate their canvases; then let the full-size source go when it is large (64 MB for
        4000x4000): each size starts from a level 1.5x its own, so only a size over a third of
        the source needs level 0, and that size decodes it again. Peak memory at 4000x4000: the
        source, one level and the interpreter, instead of those and every thread's canvas."""
        if self.info.kind != "raster":
            return
        self.visible  # noqa: B018 - measured on a level of its own, built now
        self._level(1)
        with self._lock:
            full = self._pyramid[0]
            if full is not None and full.width * full.height >= _BANDED_PIXELS:
                self._pyramid[0] = full = None
                _return_freed_memory()

    def _raster(self, w: int, h: int, target: str) -> Image.Image:
        src_w, src_h = self.info.width, self.info.height
        if (w > src_w or h > src_h) and not self.allow_upscale:
            raise RenderError(
                f"the logo is {src_w}x{src_h} px but this target needs {w}x{h}: supply a larger "
                "file "
                "(or an SVG), or set render.allow_upscale: true",
                target=target,
                file=str(self.path),
            )
        level = 0
        while src_w >> (level + 1) >= 1.5 * w and src_h >> (level + 1) >= 1.5 * h:
            level += 1
        # level 0 is straight RGBA: Pillow premultiplies internally when it resizes RGBA
        return self._level(level).resize((w, h), Image.Resampling.LANCZOS).convert("RGBA")


PROBE = 256  # the longest side of the rasterisation the visible bounds are measured on
FULL = (0.0, 0.0, 1.0, 1.0)


def _visible_fraction(img: Image.Image) -> tuple[float, float, float, float]:
    """The bounding box of what can be seen in ``img``, as fractions of its size; the whole canvas
    when the content fills at least 92 % of both sides (nothing worth trimming)."""
    rgba = img.convert("RGBA")
    alpha = rgba.getchannel("A")
    if (
        t.cast(tuple[int, int], alpha.getextrema())[0] < 250
    ):  # transparency: what is not (nearly) transparent
        box = alpha.point(lambda a: 255 if a > 12 else 0).getbbox()
    else:  # opaque: what differs from the corners' colour
        corner = rgba.getpixel((0, 0))
        flat = Image.new("RGBA", rgba.size, corner)
        diff = ImageChops.difference(rgba, flat).convert("L")
        box = diff.point(lambda d: 255 if d > 24 else 0).getbbox()
    if box is None:
        return FULL
    w, h = rgba.size
    x0, y0, x1, y1 = max(0, box[0] - 1), max(0, box[1] - 1), min(w, box[2] + 1), min(h, box[3] + 1)
    if (x1 - x0) >= 0.92 * w and (y1 - y0) >= 0.92 * h:
        return FULL
    return x0 / w, y0 / h, x1 / w, y1 / h


def _halve_premultiplied(img: Image.Image) -> Image.Image:
    """Premultiply a straight RGBA image and halve it. Big images go in bands of rows shared by
    two threads (Pillow releases the GIL while converting and reducing; small bands also reuse
    freed memory instead of faulting in a full-size copy). Bands start on even rows, so every
    2x2 box lies within one band and the result equals the one-piece conversion."""
    w, h = img.size
    if w * h < _BANDED_PIXELS:
        return img.convert("RGBa").reduce(2)
    level = Image.new("RGBa", ((w + 1) // 2, (h + 1) // 2))
    starts = range(0, h, _BAND_ROWS)
    failures: list[BaseException] = []

    def bands(first: int) -> None:
        try:
            for y in starts[first::2]:
                level.paste(
                    img.crop((0, y, w, min(h, y + _BAND_ROWS))).convert("RGBa").reduce(2),
                    (0, y // 2),
                )
        except BaseException as exc:  # re-raised in the calling thread below
            failures.append(exc)

    helper = threading.Thread(target=bands, args=(1,), daemon=True)
    helper.start()
    bands(0)
    helper.join()
    if failures:
        raise failures[0]
    return level


def _return_freed_memory() -> None:
    """Hand the memory just freed back to the system (glibc). Its malloc keeps large freed
    blocks for reuse by the thread that freed them, and once a process has freed one it stops
    mapping large blocks separately: the 64 MB of a 4000x4000 source would stay resident while
    the render's threads allocate their own canvases beside it (measured: a 167 MB peak when
    validation ran first in the same process, 121 MB with this)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (musl, ...): nothing to ask


_BAND_ROWS = 64  # even
_BANDED_PIXELS = 4_000_000  # below this a second thread costs more than it saves
