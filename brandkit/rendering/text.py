"""Setting text in the brand's fonts: measure, shrink to fit, wrap, never overflow."""

from __future__ import annotations

import functools
import typing as t
from pathlib import Path

from PIL import ImageDraw, ImageFont

from brandkit.errors import RenderError
from brandkit.rendering.fonts import runs

__all__ = ["TextBlock", "draw_text", "fit_text", "load_font"]

MIN_SIZE = 9


@functools.lru_cache(maxsize=512)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        # BASIC layout: identical glyph placement with or without libraqm on the machine
        return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        raise RenderError(
            "cannot load the font (not a TrueType/OpenType file?)", file=path
        ) from None


class TextBlock(t.NamedTuple):
    lines: tuple[str, ...]
    size: int
    line_height: int
    width: int
    height: int
    font_path: str

    def draw(
        self, draw: ImageDraw.ImageDraw, x: int, y: int, fill: t.Any, align: str = "left"
    ) -> None:
        font = load_font(self.font_path, self.size)
        for i, line in enumerate(self.lines):
            lw = _width(font, line)
            lx = (
                x
                if align == "left"
                else x + (self.width - lw) // 2
                if align == "center"
                else x + self.width - lw
            )
            draw_text(draw, (lx, y + i * self.line_height), line, font=font, fill=fill)


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    *,
    font: ImageFont.FreeTypeFont,
    fill: t.Any,
) -> None:
    """One line at ``xy`` (its top-left, as ``draw.text`` places it), every character drawn by
    the first font that has it (see render/fonts.py)."""
    x, y = xy
    baseline = y + font.getmetrics()[0]
    colour = draw.im.mode in ("RGB", "RGBA")
    for run, path in runs(text, str(font.path)):
        face = font if path == str(font.path) else load_font(path, int(font.size))
        draw.text((x, baseline), run, font=face, fill=fill, anchor="ls", embedded_color=colour)
        x += face.getlength(run)


def _width(font: ImageFont.FreeTypeFont, text: str) -> int:
    return _measure(str(font.path), int(font.size), text)


@functools.lru_cache(maxsize=8192)
def _measure(path: str, size: int, text: str) -> int:
    # cached: fitting a name and a tagline to a dozen banners measures the same words at the same
    # sizes again and again (756 FreeType calls, 73 ms, for the 21 targets of one brand)
    pieces = runs(text, path)
    if len(pieces) == 1:
        return int(load_font(path, size).getlength(text) + 0.5)
    return int(sum(load_font(p, size).getlength(r) for r, p in pieces) + 0.5)


def _wrap(font: ImageFont.FreeTypeFont, text: str, max_width: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and _width(font, candidate) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _ellipsize(font: ImageFont.FreeTypeFont, text: str, max_width: int) -> str:
    if _width(font, text) <= max_width:
        return text
    while text and _width(font, text + "…") > max_width:
        text = text[:-1].rstrip()
    return text + "…"


def _block(
    font_path: str, size: int, text: str, max_width: int, max_lines: int
) -> TextBlock | None:
    font = load_font(font_path, size)
    ascent, descent = font.getmetrics()
    line_height = int((ascent + descent) * 1.08)
    lines = _wrap(font, text, max_width)
    if len(lines) > max_lines or any(_width(font, ln) > max_width for ln in lines):
        return None
    width = max((_width(font, ln) for ln in lines), default=0)
    return TextBlock(tuple(lines), size, line_height, width, line_height * len(lines), font_path)


def _largest(
    path: str, text: str, max_width: int, max_height: int, max_size: int, max_lines: int
) -> TextBlock | None:
    lo, hi, best = MIN_SIZE, max(MIN_SIZE, max_size), None
    while lo <= hi:  # fitting is monotonic in the size: binary search
        mid = (lo + hi) // 2
        block = _block(path, mid, text, max_width, max_lines)
        if block is not None and block.height <= max_height:
            best, lo = block, mid + 1
        else:
            hi = mid - 1
    return best


def fit_text(
    text: str,
    font_path: Path,
    *,
    max_width: int,
    max_height: int,
    max_size: int,
    max_lines: int = 1,
) -> TextBlock:
    """The largest size (<= max_size) at which ``text`` fits in ``max_lines`` lines and the box.

    Below the minimum size the last line is cut with an ellipsis: text never overflows.
    """
    path = str(font_path)
    best = _largest(path, text, max_width, max_height, max_size, max_lines)
    if best is not None and len(best.lines) > 1:
        # one line reads better than two, unless it would be much smaller
        single = _largest(path, text, max_width, max_height, max_size, 1)
        if single is not None and single.size >= 0.72 * best.size:
            best = single
    if best is not None:
        return best
    font = load_font(path, MIN_SIZE)
    lines = _wrap(font, text, max_width)[:max_lines] or [""]
    lines[-1] = _ellipsize(
        font, lines[-1] + (" …" if len(_wrap(font, text, max_width)) > max_lines else ""), max_width
    )
    ascent, descent = font.getmetrics()
    lh = int((ascent + descent) * 1.08)
    width = max(_width(font, ln) for ln in lines)
    return TextBlock(tuple(lines), MIN_SIZE, lh, width, lh * len(lines), path)
