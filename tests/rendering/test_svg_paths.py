"""The two SVG paths draw the same pixels: an SVG without text goes through the parsed-once
``resvg`` tree, one with text through resvg-py (for the brand's fonts); on every text-free SVG the
project has, at square and non-square sizes, both give identical RGBA."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from brandkit.rendering.svg import SvgFonts, _plain_tree, _rasterise_with_fonts, rasterise_here
from tests.conftest import EXAMPLES, REPO

SVGS = sorted(
    [*EXAMPLES.rglob("*.svg"), *(REPO / "assets" / "starter").rglob("*.svg")],
    key=lambda p: str(p),
)
PLAIN = [p for p in SVGS if _plain_tree(p) is not None]
WITH_TEXT = [p for p in SVGS if _plain_tree(p) is None]


def _pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    with Image.open(io.BytesIO(png)) as img:
        rgba = img.convert("RGBA")
        return rgba.size, rgba.tobytes()


def test_the_project_has_both_kinds() -> None:
    assert len(PLAIN) >= 8 and {p.name for p in WITH_TEXT} == {"mark.svg", "wordmark.svg"}
    assert all("svg-text" in str(p) for p in WITH_TEXT)


@pytest.mark.parametrize("path", PLAIN, ids=lambda p: str(p.relative_to(REPO)))
def test_the_fast_path_draws_what_resvg_py_draws(path: Path) -> None:
    fonts = SvgFonts.bundled()
    for width, height in ((16, 16), (400, 400), (300, 111), (90, 250)):
        fast = _pixels(rasterise_here(path, width, height, fonts))
        slow = _pixels(_rasterise_with_fonts(path, width, height, fonts))
        assert fast == slow, (path.name, width, height)  # size (fitted, aspect kept) and pixels
