"""Which font draws which character: the brand's font first, then bundled fallbacks.

Pillow draws a character the font lacks as its "missing glyph" box. Text is split into runs,
each drawn with the first font of the chain that has the character: the brand's font, Inter
(Latin, Greek, Cyrillic, symbols), then Noto Emoji. A character none of them has is returned by
:func:`missing_glyphs`, so ``validate`` can name it before anything is drawn.
"""

from __future__ import annotations

import functools
import struct
import typing as t
import unicodedata
from pathlib import Path

from brandkit._resources import assets_dir
from brandkit.rendering.cmap import code_points
from brandkit.rendering.svg import SvgFonts

if t.TYPE_CHECKING:
    from brandkit.spec.model import Brand

__all__ = [
    "FALLBACKS",
    "chain",
    "coverage",
    "family_name",
    "missing_glyphs",
    "runs",
    "svg_fonts",
]

FALLBACKS = ("Inter-Regular.otf", "NotoEmoji-Regular.ttf")

# joiners and selectors belong to the character before them, never to a run of their own
_ATTACHED = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}


def chain(font_path: str) -> tuple[str, ...]:
    """The brand's font, then the bundled fallbacks (each once)."""
    bundled = [str(assets_dir() / "fonts" / name) for name in FALLBACKS]
    return tuple(dict.fromkeys([font_path, *bundled]))


@functools.lru_cache(maxsize=64)
def coverage(font_path: str) -> frozenset[int]:
    """The code points the font maps to a glyph (its best Unicode cmap)."""
    try:
        return code_points(font_path)
    except (OSError, ValueError, struct.error):
        return frozenset()  # unreadable cmap: the font is still tried, nothing falls back to it


def _needs_glyph(ch: str) -> bool:
    return not (ch.isspace() or ord(ch) in _ATTACHED or unicodedata.category(ch) in ("Mn", "Cc"))


def _font_for(ch: str, fonts: tuple[str, ...]) -> str | None:
    # ASCII is the brand font's own job (every text font has it; checking would cost a cmap
    # read per render); anything else goes to the first font of the chain that has it
    if ch.isascii():
        return fonts[0] if ord(ch) in coverage(fonts[0]) or not _needs_glyph(ch) else None
    return next((f for f in fonts if ord(ch) in coverage(f)), None)


def runs(text: str, font_path: str) -> list[tuple[str, str]]:
    """``text`` as (run, font path) pieces, each drawn with the first font that has it. Spaces
    stay in the brand font; an emoji variation selector (U+FE0F) asks for the emoji face; the
    selectors and joiners themselves are not drawn (the basic layout would draw them as boxes)."""
    if text.isascii():
        return [(text, font_path)]
    fonts = chain(font_path)
    pieces: list[tuple[str, str]] = []
    for i, ch in enumerate(text):
        if ord(ch) in _ATTACHED - {0x20E3}:
            continue
        font = font_path
        if _needs_glyph(ch):
            emoji_style = text[i + 1 : i + 2] == "\ufe0f" and ord(ch) in coverage(fonts[-1])
            font = fonts[-1] if emoji_style else (_font_for(ch, fonts) or font_path)
        if pieces and pieces[-1][1] == font:
            pieces[-1] = (pieces[-1][0] + ch, font)
        else:
            pieces.append((ch, font))
    return pieces


def missing_glyphs(text: str, font_path: str) -> list[str]:
    """The characters of ``text`` that would print as a box: ASCII the brand font lacks, and
    anything else that neither it nor a fallback has; in order, each once."""
    fonts = chain(font_path)
    found: dict[str, None] = {}
    for ch in text:
        if _needs_glyph(ch) and _font_for(ch, fonts) is None:
            found[ch] = None
    return list(found)


def describe(ch: str) -> str:
    """``U+2605 BLACK STAR (★)``: how a message names a character."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}{f' {name}' if name else ''} ({ch})"


@functools.lru_cache(maxsize=64)
def family_name(font_path: str | Path) -> str | None:
    """The family a font file declares (what an SVG's ``font-family`` must name)."""
    from PIL import ImageFont

    try:
        return t.cast(str, ImageFont.truetype(str(font_path), 12).getname()[0])
    except OSError:
        return None


def svg_fonts(brand: Brand) -> SvgFonts:
    """What an SVG logo's ``<text>`` may be set in: the brand's fonts, then the bundled ones;
    generic families (sans-serif...) become the brand's body font."""
    typography = brand.typography
    own = [str(typography.heading.path), str(typography.body.path)]
    files = tuple(dict.fromkeys([*own, *SvgFonts.bundled().files]))
    return SvgFonts(files, family_name(typography.body.path) or "Inter")
