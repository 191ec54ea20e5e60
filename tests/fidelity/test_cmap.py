"""brandkit's own cmap reader gives the characters fontTools' getBestCmap gives."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from brandkit._resources import assets_dir
from brandkit.rendering.cmap import code_points


def test_the_bundled_fonts_read_as_fonttools_reads_them() -> None:
    fonts = sorted((assets_dir() / "fonts").glob("*.[ot]tf"))
    assert len(fonts) >= 3
    for font in fonts:
        with TTFont(font, lazy=True) as reference:
            assert code_points(font) == frozenset(reference.getBestCmap()), font.name


def test_a_file_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    import pytest

    bogus = tmp_path / "x.ttf"
    bogus.write_bytes(b"not a font at all" * 10)
    with pytest.raises(ValueError, match="not a TrueType or OpenType font"):
        code_points(bogus)
