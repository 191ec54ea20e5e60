"""Counting user-perceived characters (extended grapheme clusters, Unicode UAX #29), as Bluesky's
lexicon limits do (``maxGraphemes``): a family emoji, a flag, an accented letter typed as two code
points each count once.

A compact reading of the rules that matter for profile text, without a dependency: marks and
joiners extend the cluster before them (combining marks, ZWJ and what it joins, variation
selectors, emoji skin tones, tag characters), regional indicators pair into flags, and Hangul
jamo join into syllables. Tested against the cases in tests/spec/test_graphemes.py.
"""

from __future__ import annotations

import unicodedata

__all__ = ["count_graphemes"]

_ZWJ = 0x200D


def _extends(cp: int) -> bool:
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:  # variation selectors
        return True
    if 0x1F3FB <= cp <= 0x1F3FF:  # emoji skin tones
        return True
    if 0xE0020 <= cp <= 0xE007F:  # tag characters (subdivision flags)
        return True
    if cp in (0x200C, _ZWJ, 0x20E3):  # ZWNJ, ZWJ, combining enclosing keycap
        return True
    return unicodedata.category(chr(cp)) in ("Mn", "Me", "Mc")


def _hangul(cp: int) -> str:
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


def count_graphemes(text: str) -> int:
    count = 0
    previous: int | None = None
    joined = False  # the previous code point was a ZWJ: this one belongs to its cluster
    regional_run = 0
    for ch in text:
        cp = ord(ch)
        regional = 0x1F1E6 <= cp <= 0x1F1FF
        new_cluster = True
        if previous is not None:
            if previous == 0x0D and cp == 0x0A:
                new_cluster = False
            elif _extends(cp) or joined:
                new_cluster = False
            elif regional and regional_run % 2 == 1:
                new_cluster = False
            else:
                before, now = _hangul(previous), _hangul(cp)
                if (
                    (before == "L" and now in ("L", "V", "LV", "LVT"))
                    or (before in ("LV", "V") and now in ("V", "T"))
                    or (before in ("LVT", "T") and now == "T")
                ):
                    new_cluster = False
        if new_cluster:
            count += 1
        regional_run = regional_run + 1 if regional else 0
        joined = cp == _ZWJ
        previous = cp
    return count
