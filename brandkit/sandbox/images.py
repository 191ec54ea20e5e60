"""Platforms re-encode what you upload: so does the sandbox (resize, recompress)."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

__all__ = ["NotAnImage", "reencode"]


class NotAnImage(Exception):
    pass


def reencode(
    data: bytes,
    *,
    max_size: tuple[int, int] | None = None,
    exact: tuple[int, int] | None = None,
    max_pixels: int | None = None,
    quality: int = 85,
) -> tuple[bytes, tuple[int, int]]:
    """Decode, resize (fit within max_size, cover-crop to exact, or shrink to at most
    max_pixels keeping the shape), re-encode as JPEG."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            rgb = img.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAnImage from None
    flat = Image.new("RGB", rgb.size, (255, 255, 255))
    flat.paste(rgb, (0, 0), rgb)
    if exact is not None:
        scale = max(exact[0] / flat.width, exact[1] / flat.height)
        resized = flat.resize(
            (max(exact[0], round(flat.width * scale)), max(exact[1], round(flat.height * scale))),
            Image.Resampling.LANCZOS,
        )
        left, top = (resized.width - exact[0]) // 2, (resized.height - exact[1]) // 2
        flat = resized.crop((left, top, left + exact[0], top + exact[1]))
    elif max_pixels is not None and flat.width * flat.height > max_pixels:
        scale = (max_pixels / (flat.width * flat.height)) ** 0.5
        size = (max(1, int(flat.width * scale)), max(1, int(flat.height * scale)))
        flat = flat.resize(size, Image.Resampling.LANCZOS)
    elif max_size is not None and (flat.width > max_size[0] or flat.height > max_size[1]):
        flat.thumbnail(max_size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=quality)
    return out.getvalue(), flat.size


def placeholder(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A plain JPEG (default avatars, silhouettes)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=85)
    return out.getvalue()
