"""The gallery of hard cases (examples/gallery, made by make_gallery.py): logo files as real brands
publish them. Every output is judged by what can be measured in its pixels: how much of a banner
the logo covers and how much of it reads on the background, how far a mark spans its avatar, and
that no character is drawn as a box."""

from __future__ import annotations

import collections
import json
import shutil
import typing as t
from pathlib import Path

import pytest
from PIL import Image

import brandkit
from brandkit.cli import main
from brandkit.colors import contrast_ratio
from brandkit.platforms import all_targets
from brandkit.rendering import render
from brandkit.rendering.fonts import missing_glyphs, runs
from tests.conftest import EXAMPLES

GALLERY = EXAMPLES / "gallery"
CASES = sorted(p.name for p in GALLERY.iterdir() if (p / "brand.yaml").is_file())
SQUARE_MARKS = [c for c in CASES if c != "wide-photo"]


def test_the_gallery_has_every_hard_case() -> None:
    assert set(CASES) >= {
        "padded-svg",
        "same-colour",
        "svg-text",
        "wide-photo",
        "emoji-tagline",
        "cmyk-jpeg",
        "palette-png",
        "png-16bit",
        "animated-gif",
        "use-gradient-mask",
        "disc-letters",
        "disc-letters-jpeg",
    }
    formats = set()
    for path in GALLERY.glob("*/logos/*.[pjg]*"):
        with Image.open(path) as img:
            formats.add(f"{img.format}/{img.mode}")
    assert {"JPEG/CMYK", "PNG/P", "PNG/I;16", "GIF/P"} <= formats, formats


@pytest.fixture(scope="module")
def logo_only(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every gallery brand rendered with no text on its banners, so what differs from the
    background is the logo."""
    outs = {}
    for case in CASES:
        folder = tmp_path_factory.mktemp(case)
        shutil.copytree(GALLERY / case, folder / "spec")
        spec = folder / "spec" / "brand.yaml"
        spec.write_text(
            spec.read_text(encoding="utf-8") + "render:\n  defaults: {text: false}\n",
            encoding="utf-8",
        )
        render(brandkit.load(spec), folder / "out")
        outs[case] = folder / "out"
    return outs


def _background(img: Image.Image) -> tuple[int, int, int]:
    small = img.convert("RGB").resize((img.width // 4, img.height // 4), Image.Resampling.NEAREST)
    return t.cast(tuple[int, int, int], collections.Counter(_pixels(small)).most_common(1)[0][0])


def _logo_pixels(img: Image.Image, bg: tuple[int, int, int]) -> list[tuple[int, int, int]]:
    return [p for p in _pixels(img) if sum(abs(a - b) for a, b in zip(p, bg, strict=True)) > 24]


def _pixels(img: Image.Image) -> list[tuple[int, int, int]]:
    data = img.convert("RGB").tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def _open(path: Path) -> Image.Image:
    with Image.open(path) as img:
        return img.convert("RGB")


def _files(out: Path) -> dict[str, Path]:
    entries = json.loads((out / "manifest.json").read_text())["targets"]
    return {name: out / entry["file"] for name, entry in entries.items()}


def _banner_files(out: Path) -> list[tuple[str, Path]]:
    banners = {n for n, tg in all_targets().items() if tg.layout == "banner"}
    return [(name, file) for name, file in _files(out).items() if name in banners]


@pytest.mark.parametrize("case", CASES)
def test_every_banner_shows_a_logo_that_reads(case: str, logo_only: dict[str, Path]) -> None:
    for target, file in _banner_files(logo_only[case]):
        img = _open(file)
        img.thumbnail((640, 640))  # the share is the same at any size; counting is faster
        bg = _background(img)
        logo = _logo_pixels(img, bg)
        covered = len(logo) / (img.width * img.height)
        reads = sum(contrast_ratio(p, bg) >= 3.0 for p in logo) / max(1, len(logo))
        assert covered >= 0.005, f"{case} {target}: the logo covers {covered:.2%}"
        assert reads >= 0.6, f"{case} {target}: {reads:.0%} of the logo reads on {bg}"


@pytest.mark.parametrize("case", SQUARE_MARKS)
def test_square_marks_span_half_of_every_avatar(case: str, logo_only: dict[str, Path]) -> None:
    files = _files(logo_only[case])
    for name in ("twitter.avatar", "facebook.profile", "youtube.avatar", "instagram.avatar"):
        img = _open(files[name])
        bg = _background(img)
        diff = Image.new("L", img.size)
        differs = [sum(abs(a - b) for a, b in zip(p, bg, strict=True)) > 24 for p in _pixels(img)]
        diff.putdata([255 if d else 0 for d in differs])
        box = diff.getbbox()
        assert box is not None, f"{case} {name}: nothing drawn"
        span = max(box[2] - box[0], box[3] - box[1]) / img.width
        assert span >= 0.5, f"{case} {name}: the mark spans {span:.0%}"


def test_svg_text_is_drawn_in_the_brand_font(logo_only: dict[str, Path]) -> None:
    # the mark is an orange square with white "Tx" set as <text>: without fonts it is blank
    img = _open(_files(logo_only["svg-text"])["twitter.avatar"])
    white = sum(1 for p in _pixels(img) if min(p) > 235)
    orange = sum(1 for p in _pixels(img) if p[0] > 200 and 60 < p[1] < 120 and p[2] < 40)
    assert orange > 0 and white > 0.08 * orange, (white, orange)


def test_no_character_of_the_emoji_brand_prints_as_a_box() -> None:
    brand = brandkit.load(GALLERY / "emoji-tagline" / "brand.yaml")
    body, heading = str(brand.typography.body.path), str(brand.typography.heading.path)
    assert brand.identity.tagline and "🌱" in brand.identity.tagline
    assert missing_glyphs(brand.identity.tagline, body) == []
    assert missing_glyphs(brand.identity.name, heading) == []
    fonts = {Path(p).name for _, p in runs(brand.identity.tagline, body)}
    assert "NotoEmoji-Regular.ttf" in fonts  # the seedling comes from the fallback


def test_a_character_no_font_has_is_named_by_validate(tmp_path: Path, capsys: t.Any) -> None:
    shutil.copytree(GALLERY / "emoji-tagline", tmp_path / "b")
    spec = tmp_path / "b" / "brand.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("fresh every day", "fresh every day 漢"),
        encoding="utf-8",
    )
    assert main(["validate", str(spec)]) == 0
    assert main(["validate", "--strict", str(spec)]) == 1
    out = capsys.readouterr().out
    assert "identity.tagline: U+6F22 CJK UNIFIED IDEOGRAPH-6F22 (漢)" in out
    assert "twitter.banner" in out and "box" in out


def _validate(spec: Path, capsys: t.Any, *extra: str) -> tuple[int, str]:
    code = main(["validate", *extra, str(spec)])
    return code, capsys.readouterr().out


def test_validate_says_what_render_would_before_drawing(capsys: t.Any) -> None:
    code, out = _validate(GALLERY / "svg-text" / "brand.yaml", capsys, "--strict")
    assert code == 1
    assert "logos.wordmark.path: wordmark.svg line 3: <text> asks for the font " in out
    assert "'Brandon Grotesque', 'Futura'" in out and "convert the text to paths" in out
    code, out = _validate(GALLERY / "wide-photo" / "brand.yaml", capsys)
    assert code == 0
    assert "5.8 times wider than tall" in out
    assert "at 16 px (favicon.ico)" in out
    assert "opaque on a flat #ffffff background" in out
    code, out = _validate(GALLERY / "animated-gif" / "brand.yaml", capsys)
    assert "animated (3 frames): its first frame is used" in out
    # resolved by a knockout, and said as render says it: --strict fails where render warns
    code, out = _validate(GALLERY / "same-colour" / "brand.yaml", capsys, "--strict")
    assert code == 1 and "drawn as a one-colour knockout in #ffffff" in out


def test_a_pinned_treatment_is_not_a_warning(tmp_path: Path, capsys: t.Any) -> None:
    shutil.copytree(GALLERY / "same-colour", tmp_path / "b")
    spec = tmp_path / "b" / "brand.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8") + "render:\n  defaults: {logo_treatment: knockout}\n",
        encoding="utf-8",
    )
    assert _validate(spec, capsys, "--strict")[0] == 0


def test_a_logo_pinned_as_drawn_that_cannot_read_fails_strict(
    tmp_path: Path, capsys: t.Any
) -> None:
    shutil.copytree(GALLERY / "same-colour", tmp_path / "b")
    spec = tmp_path / "b" / "brand.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8") + "render:\n  defaults: {logo_treatment: original}\n",
        encoding="utf-8",
    )
    code, out = _validate(spec, capsys, "--strict")
    assert code == 1
    assert "logos.wordmark: " in out and "twitter.banner" in out
    assert "does not read on #0b5cad" in out and "logo_treatment: original keeps it" in out


def test_a_mark_whose_visible_part_is_too_small_is_an_error_in_validate(
    tmp_path: Path, capsys: t.Any
) -> None:
    shutil.copytree(GALLERY / "palette-png", tmp_path / "b")
    mark = tmp_path / "b" / "logos" / "mark.png"
    with Image.open(mark) as img:
        img.resize((600, 600)).save(mark)  # the badge fills 3/4 of it: 450 px
    code, out = _validate(tmp_path / "b" / "brand.yaml", capsys)
    assert code == 1
    assert "the visible part of mark.png is" in out and "px across" in out


ALL_SPECS = sorted(
    [*EXAMPLES.glob("*/brand.yaml"), *EXAMPLES.glob("*/_brand.yml"), *GALLERY.glob("*/brand.yaml")]
)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda p: p.parent.name)
def test_validate_and_render_say_the_same_of_every_logo(spec: Path, tmp_path: Path) -> None:
    """#25: one decision for both. Every target render warns about, validate names, in the
    same words (validate groups the targets that share a verdict)."""
    brand = brandkit.load(spec)
    drawn = {
        tuple(str(w).split(": ", 1))
        for w in render(brand, tmp_path / "out").warnings
        if ": " in str(w)
    }
    judged = set()
    for issue in brandkit.validate(spec).warnings:
        if issue.path[:1] != ("logos",) or len(issue.path) != 2:
            continue
        targets, note = str(issue.message).split(": ", 1)
        judged |= {(name, note) for name in targets.split(", ")}
    # what layout.py says of a logo: "only 20% of the mark reads on…", "does not read on…",
    # "12% of the wordmark has almost no contrast with the background…"
    logo_warnings = {
        (target, note)
        for target, note in drawn
        if note.startswith(("only ", "does not read on ")) or "has almost no contrast" in note
    }
    assert logo_warnings == judged


@pytest.mark.parametrize("case", ["disc-letters", "disc-letters-jpeg"])
def test_letters_on_a_disc_still_read_on_a_banner_of_the_disc_colour(
    case: str, logo_only: dict[str, Path]
) -> None:
    """#25: a one-colour knockout turned such a badge into a blank disc on every banner. The
    letters must still be there, inside the mark, at 3:1 against the disc around them."""
    disc = (0x1E, 0x56, 0x31)
    for target, file in _banner_files(logo_only[case]):
        img = _open(file)
        bg = _background(img)
        assert bg == disc or contrast_ratio(bg, disc) < 1.1, (target, bg)
        mask = Image.new("L", img.size)
        mask.putdata(
            [
                255 if sum(abs(a - b) for a, b in zip(p, bg, strict=True)) > 24 else 0
                for p in _pixels(img)
            ]
        )
        box = mask.getbbox()
        assert box is not None, f"{case} {target}: no logo"
        x0, y0, x1, y1 = box
        w, h = x1 - x0, y1 - y0
        middle = img.crop((x0 + w // 4, y0 + h // 3, x1 - w // 4, y1 - h // 3))
        colours = _pixels(middle)
        letters = [p for p in colours if contrast_ratio(p, disc) >= 3.0]
        around = [p for p in colours if contrast_ratio(p, disc) < 1.2]
        assert len(letters) > 0.08 * len(colours), f"{case} {target}: no letters inside the mark"
        assert len(around) > 0.2 * len(colours), f"{case} {target}: the disc is gone"
