"""Grapheme counting as Bluesky's limits mean it (maxGraphemes)."""

from __future__ import annotations

import pytest

from brandkit.spec.graphemes import count_graphemes
from brandkit.spec.text import measure

CASES = [
    ("", 0),
    ("Lumière", 7),
    ("Lumie\u0300re", 7),  # è typed as e + combining grave
    ("👨‍👩‍👧‍👦", 1),  # a family: four people joined by ZWJ
    ("🇫🇷🇨🇦", 2),  # two flags
    ("🇫🇷🇨", 2),  # a flag and a lone regional indicator
    ("👍🏽", 1),  # a skin tone
    ("1️⃣", 1),  # a keycap
    ("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 1),  # Scotland: a tag sequence
    ("❤️", 1),  # with its emoji variation selector
    ("한국어", 3),  # precomposed Hangul
    ("\u1100\u1161\u11a8", 1),  # the same syllable as conjoining jamo
    ("a\r\nb", 3),
    ("🕯️ candles", 9),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_graphemes(text: str, expected: int) -> None:
    assert count_graphemes(text) == expected


def test_measure_counts_graphemes_when_asked() -> None:
    family = "👨‍👩‍👧‍👦" * 64
    assert measure(family, "graphemes") == 64 and measure(family, "characters") == 448
