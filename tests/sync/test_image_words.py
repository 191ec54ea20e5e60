"""Image drift said in words a person understands, and shown: a third picture marks where the live
image differs; live images are kept with their real extension."""

from __future__ import annotations

import io
import typing as t
from pathlib import Path

from PIL import Image, ImageDraw

from brandkit.reports import html_report
from brandkit.sync.cache import SyncCache
from brandkit.sync.compare import compare_images
from brandkit.sync.model import AccountPlan, ImageChange, Plan


def _png(
    draw: t.Callable[[ImageDraw.ImageDraw], None], sun: tuple[int, int, int] = (240, 200, 40)
) -> bytes:
    img = Image.new("RGB", (600, 200), (20, 60, 120))
    d = ImageDraw.Draw(img)
    d.ellipse((250, 50, 350, 150), fill=sun)
    draw(d)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_drift_in_words() -> None:
    base = _png(lambda d: None)
    recoloured = _png(lambda d: None, sun=(120, 210, 60))  # the logo, recoloured
    moved = Image.open(io.BytesIO(base)).rotate(180)
    buffer = io.BytesIO()
    moved.save(buffer, "PNG")
    other = _png(lambda d: d.rectangle((0, 0, 600, 200), fill=(250, 250, 250)))
    said = compare_images(recoloured, base).describe()
    assert said.startswith("the colours of the centre area changed"), said
    assert compare_images(other, base).describe().startswith("a different picture")
    assert compare_images(base, base).same


def test_the_report_marks_where_and_the_cache_keeps_extensions(tmp_path: Path) -> None:
    live, expected = tmp_path / "live.png", tmp_path / "expected.png"
    live.write_bytes(_png(lambda d: None, sun=(120, 210, 60)))
    expected.write_bytes(_png(lambda d: None))
    change = ImageChange(
        "twitter",
        "x",
        "banner",
        "https://pbs/x",
        str(expected),
        distance="the colours of the centre area changed",
        live_image=str(live),
        new_image=str(expected),
    )
    page = html_report(Plan((AccountPlan("B", "twitter", "x", (change,)),)))
    assert page.count("<img") == 3 and "where they differ (red)" in page
    cache = SyncCache(tmp_path / "cache")
    data, path = cache.image("https://cdn.example/a", lambda: live.read_bytes())
    assert path.suffix == ".png" and path.read_bytes() == data
    _, again = cache.image("https://cdn.example/a", lambda: b"never fetched")
    assert again == path
    cache.forget_image("https://cdn.example/a")
    assert not path.exists()
