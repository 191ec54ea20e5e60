"""Logo sources rasterised at exactly the size a target needs.

SVG: rasterised by resvg at each requested size (vector, never upscaled pixels); the same size
is rasterised once and shared between targets. Raster: decoded once, converted to sRGB, kept
premultiplied (RGBa) in a pyramid of halvings; each request reduces from the nearest level at
least twice its size, then finishes with Lanczos. Premultiplied alpha means no dark fringes.
"""

from __future__ import annotations

import io
import threading
import typing as t
from pathlib import Path

from PIL import Image, ImageCms

from brandkit.errors import RenderError
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
        try:
            src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            base = img if img.mode in ("RGB", "CMYK", "L") else img.convert("RGB")
            converted = ImageCms.profileToProfile(base, src_profile, ImageCms.createProfile("sRGB"), outputMode="RGB")
            img = t.cast(Image.Image, converted)
        except (ImageCms.PyCMSError, OSError, ValueError):
            img = img.convert("RGB")  # an unreadable profile: fall back to the numbers as they are
    rgba = img.convert("RGBA")
    if alpha is not None and icc:
        rgba.putalpha(alpha)
    return rgba


class LogoSource:
    """One logo file, rasterised on demand. Thread-safe; each size is produced once."""

    def __init__(self, path: Path, *, allow_upscale: bool = False) -> None:
        self.path = path
        self.allow_upscale = allow_upscale
        try:
            self.info: SourceInfo = inspect_image(path)
        except UnreadableSource as exc:
            raise RenderError(str(exc), file=str(path)) from None
        self._lock = threading.Lock()
        self._sized: dict[tuple[int, int], Image.Image] = {}
        self._key_locks: dict[tuple[int, int], threading.Lock] = {}
        self._pyramid: list[Image.Image] = []

    @property
    def aspect(self) -> float:
        return self.info.width / self.info.height

    def fitted(self, box_w: int, box_h: int, *, target: str) -> Image.Image:
        """The logo as RGBA at the largest size that fits ``box_w`` x ``box_h``."""
        w, h = fit_size(self.info.width, self.info.height, box_w, box_h)
        return self.at(w, h, target=target)

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
                done = self._svg(w, h, target) if self.info.kind == "svg" else self._raster(w, h, target)
                with self._lock:
                    self._sized[(w, h)] = done
        return done

    def _svg(self, w: int, h: int, target: str) -> Image.Image:
        import resvg_py  # imported here: only SVG brands pay for it

        try:
            png = resvg_py.svg_to_bytes(svg_path=str(self.path), width=w, height=h, skip_system_fonts=True)
        except BaseException as exc:  # resvg raises PanicException (a BaseException) on bad input
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise RenderError(f"resvg could not rasterise the SVG ({exc})", target=target, file=str(self.path)) from None
        img = Image.open(io.BytesIO(bytes(png)))
        img.load()
        if img.size != (w, h):  # resvg keeps the aspect ratio; pad to the exact box asked for
            canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
            canvas.alpha_composite(img.convert("RGBA"), ((w - img.width) // 2, (h - img.height) // 2))
            return canvas
        return img.convert("RGBA")

    def _base(self) -> list[Image.Image]:
        with self._lock:
            if not self._pyramid:
                try:
                    img = open_raster(self.path)
                except UnreadableSource as exc:
                    raise RenderError(str(exc), file=str(self.path)) from None
                with img:
                    self._pyramid.append(_to_srgb_rgba(img).convert("RGBa"))
            return self._pyramid

    def _level(self, index: int) -> Image.Image:
        pyramid = self._base()
        with self._lock:
            while len(pyramid) <= index:
                pyramid.append(pyramid[-1].reduce(2))
            return pyramid[index]

    def _raster(self, w: int, h: int, target: str) -> Image.Image:
        src_w, src_h = self.info.width, self.info.height
        if (w > src_w or h > src_h) and not self.allow_upscale:
            raise RenderError(
                f"the logo is {src_w}x{src_h} px but this target needs {w}x{h}: supply a larger file "
                "(or an SVG), or set render.allow_upscale: true",
                target=target, file=str(self.path),
            )
        level = 0
        while src_w >> (level + 1) >= 2 * w and src_h >> (level + 1) >= 2 * h:
            level += 1
        reduced = self._level(level)
        return reduced.resize((w, h), Image.Resampling.LANCZOS).convert("RGBA")
