"""Which characters a TrueType/OpenType font has: its ``cmap`` table, read directly.

fontTools would do it, at 30 MB installed; brandkit needs only the set of code points, which
the two cmap formats every modern font carries give directly (format 4 for the Basic
Multilingual Plane, format 12 for all of Unicode). tests/fidelity compares the result with
fontTools' ``getBestCmap`` on the bundled fonts.
"""

from __future__ import annotations

import struct
from pathlib import Path

__all__ = ["code_points"]

_UNICODE = {(3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)}


class CmapError(ValueError):
    """Not a font brandkit can read the character map of."""


def _table(data: bytes, tag: bytes) -> bytes:
    offset = 0
    if data[:4] == b"ttcf":  # a collection: its first font
        offset = struct.unpack_from(">I", data, 12)[0]
    if data[offset : offset + 4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise CmapError("not a TrueType or OpenType font")
    (count,) = struct.unpack_from(">H", data, offset + 4)
    for i in range(count):
        name, _, start, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        if name == tag:
            return data[start : start + length]
    raise CmapError(f"no {tag.decode()} table")


def _format4(sub: bytes) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", sub, 6)
    n = seg_x2 // 2
    ends = struct.unpack_from(f">{n}H", sub, 14)
    starts = struct.unpack_from(f">{n}H", sub, 16 + seg_x2)
    deltas = struct.unpack_from(f">{n}h", sub, 16 + 2 * seg_x2)
    range_at = 16 + 3 * seg_x2
    ranges = struct.unpack_from(f">{n}H", sub, range_at)
    found: set[int] = set()
    for i in range(n):
        start, end, delta, offset = starts[i], ends[i], deltas[i], ranges[i]
        if start == 0xFFFF:
            continue
        for code in range(start, end + 1):
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = range_at + 2 * i + offset + 2 * (code - start)
                (glyph,) = struct.unpack_from(">H", sub, at)
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                found.add(code)
    return found


def _format12(sub: bytes) -> set[int]:
    (groups,) = struct.unpack_from(">I", sub, 12)
    found: set[int] = set()
    for i in range(groups):
        start, end, first_glyph = struct.unpack_from(">III", sub, 16 + 12 * i)
        if first_glyph == 0:  # the first code maps to .notdef; the rest do not
            start += 1
        found.update(range(start, end + 1))
    return found


def code_points(path: str | Path) -> frozenset[int]:
    """The code points the font maps to a glyph, from its best Unicode subtable."""
    data = Path(path).read_bytes()
    cmap = _table(data, b"cmap")
    (count,) = struct.unpack_from(">H", cmap, 2)
    best: tuple[int, int] | None = None  # (format-12 first, then format 4), offset
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        if (platform, encoding) not in _UNICODE:
            continue
        (fmt,) = struct.unpack_from(">H", cmap, offset)
        rank = {12: 2, 4: 1}.get(fmt, 0)
        if rank and (best is None or rank > best[0]):
            best = (rank, offset)
    if best is None:
        raise CmapError("no Unicode character map in format 4 or 12")
    sub = cmap[best[1] :]
    return frozenset(_format12(sub) if best[0] == 2 else _format4(sub))
