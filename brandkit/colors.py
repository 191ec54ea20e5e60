"""Colour parsing, palette reference resolution and WCAG contrast."""

from __future__ import annotations

import re
import typing as t

from PIL import ImageColor

__all__ = ["RGB", "contrast_ratio", "hex_of", "luminance", "parse_colour", "resolve_palette"]

RGB = tuple[int, int, int]

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB = re.compile(r"^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$")
_NAME = re.compile(r"^[a-zA-Z]+$")


def parse_colour(text: str) -> RGB | None:
    """#RGB, #RRGGBB, rgb(r, g, b) or a CSS colour name -> (r, g, b); None if not a colour."""
    text = text.strip()
    if _HEX.match(text):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    m = _RGB.match(text)
    if m:
        values = tuple(int(v) for v in m.groups())
        if all(0 <= v <= 255 for v in values):
            return t.cast(RGB, values)
        return None
    if _NAME.match(text):
        try:
            r, g, b = ImageColor.getrgb(text.lower())[:3]
        except ValueError:
            return None
        return (r, g, b)
    return None


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


class PaletteProblem(t.NamedTuple):
    name: str
    message: str


def resolve_palette(palette: t.Mapping[str, str]) -> tuple[dict[str, RGB], list[PaletteProblem]]:
    """Resolve palette entries that name other entries. Reports cycles and bad values."""
    resolved: dict[str, RGB] = {}
    problems: list[PaletteProblem] = []
    for name in palette:
        chain = [name]
        value = palette[name]
        while value in palette and value not in chain:
            chain.append(value)
            value = palette[value]
        if value in chain:
            problems.append(
                PaletteProblem(name, "circular colour reference: " + " -> ".join(chain + [value]))
            )
            continue
        rgb = parse_colour(value)
        if rgb is None:
            if chain[-1] == name:
                problems.append(
                    PaletteProblem(
                        name, f"'{value}' is not a colour (use #RRGGBB, rgb(), or a palette name)"
                    )
                )
            # a reference to a broken entry is reported once, at that entry
            continue
        resolved[name] = rgb
    return resolved, problems


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


_LINEAR = tuple(_channel(c) for c in range(256))  # looked up: render checks thousands of colours


def luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance."""
    r, g, b = rgb
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def contrast_ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
