from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
from PIL import Image

import brandkit
from brandkit import platforms
from brandkit._files import atomic_write
from brandkit.errors import RenderError
from brandkit.rendering import render
from brandkit.rendering.layout import Composer, usable_box
from brandkit.rendering.logos import LogoSource
from tests.conftest import EXAMPLES, copy_example


@pytest.fixture(scope="module")
def northwind_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[brandkit.Brand, Path]:
    brand = brandkit.load(EXAMPLES / "northwind" / "brand.yaml")
    out = tmp_path_factory.mktemp("northwind")
    render(brand, out)
    return brand, out


@pytest.fixture(scope="module")
def lumen_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[brandkit.Brand, Path]:
    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    out = tmp_path_factory.mktemp("lumen")
    render(brand, out)
    return brand, out


def _manifest(out: Path) -> dict[str, dict[str, object]]:
    return json.loads((out / "manifest.json").read_text())["targets"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("which", ["northwind_out", "lumen_out"])
def test_every_target_has_its_size_format_and_byte_limit(
    which: str, request: pytest.FixtureRequest
) -> None:
    brand, out = request.getfixturevalue(which)
    entries = _manifest(out)
    assert list(entries) == sorted(brand.render.targets)
    for name, entry in entries.items():
        target = platforms.all_targets()[name]
        path = out / str(entry["file"])
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
        if target.max_bytes:
            assert len(data) <= target.max_bytes
        with Image.open(path) as img:
            assert img.format is not None and img.format.lower() == entry["format"]
            if target.ico_sizes:
                assert img.info["sizes"] == {(s, s) for s in target.ico_sizes}
                continue
            assert img.size == target.size
            expected_mode = (
                "RGBA" if target.background == "transparent" and not target.opaque else "RGB"
            )
            assert img.mode == expected_mode, name
            # no stray metadata: no ICC profile, no EXIF, no text chunks
            assert not {"icc_profile", "exif"} & set(img.info), (name, img.info.keys())


def test_outputs_carry_no_timestamp_and_are_byte_identical_across_processes(
    northwind_out: tuple[brandkit.Brand, Path], tmp_path: Path
) -> None:
    _, first = northwind_out
    code = (
        "import brandkit, sys; from brandkit.rendering import render; "
        f"render(brandkit.load({str(EXAMPLES / 'northwind' / 'brand.yaml')!r}), sys.argv[1], "
        "force=True)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    a, b = _manifest(first), _manifest(tmp_path)
    assert {k: v["sha256"] for k, v in a.items()} == {k: v["sha256"] for k, v in b.items()}
    assert b"tIME" not in (tmp_path / "twitter" / "banner.png").read_bytes()


def test_second_render_is_all_cache_hits_and_edits_rerender_only_what_they_touch(
    tmp_path: Path,
) -> None:
    copy_example("northwind", tmp_path / "nw")
    spec = tmp_path / "nw" / "brand.yaml"
    out = tmp_path / "out"
    first = render(brandkit.load(spec), out)
    assert len(first.rendered) == len(first.assets) == len(platforms.all_targets())
    again = render(brandkit.load(spec), out)
    assert again.rendered == ()
    spec.write_text(spec.read_text().replace("roasted on the coast", "roasted by the sea"))
    edited = render(brandkit.load(spec), out)
    changed = {a.target for a in edited.rendered}
    banners = {n for n, t in platforms.all_targets().items() if t.layout == "banner"}
    assert changed == banners
    # a file someone edited by hand is replaced on the next render
    (out / "twitter" / "avatar.png").write_bytes(b"not the avatar")
    assert {a.target for a in render(brandkit.load(spec), out).rendered} == {"twitter.avatar"}
    # files brandkit does not own are never touched
    (out / "notes.txt").write_text("mine")
    render(brandkit.load(spec), out, force=True)
    assert (out / "notes.txt").read_text() == "mine"
    assert not list(out.rglob("*.tmp"))


def test_a_new_renderer_revision_renders_everything_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandkit import rerun

    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    render(brand, tmp_path, targets=["twitter.avatar", "og.image"])
    assert render(brand, tmp_path, targets=["twitter.avatar", "og.image"]).rendered == ()
    monkeypatch.setattr(rerun, "RENDERER_REVISION", rerun.RENDERER_REVISION + 1)
    assert len(render(brand, tmp_path, targets=["twitter.avatar", "og.image"]).rendered) == 2


@pytest.mark.parametrize("which", ["northwind_out", "lumen_out"])
def test_safe_zones_hold_no_content(which: str, request: pytest.FixtureRequest) -> None:
    brand, out = request.getfixturevalue(which)
    composer = Composer(brand)
    for name in brand.render.targets:
        target = platforms.all_targets()[name]
        if target.ico_sizes:
            continue
        style = brand.render.style_for(name)
        bg = composer.chosen_background(target, style)
        with Image.open(out / f"{target.file}.png") as img:
            rgba = img.convert("RGBA")
        if target.layout == "banner":
            x0, y0, x1, y1 = usable_box(target, style)
        else:  # icons: the padded square, or the square inside a maskable icon's safe circle
            x0, y0, x1, y1 = target.content_box(style.padding)
        empty = (0, 0, 0, 0) if bg is None else bg + (255,)
        w, h = rgba.size
        pixels = rgba.load()
        step = max(1, min(w, h) // 100)
        for y in range(0, h, step):
            for x in range(0, w, step):
                if x0 <= x < x1 and y0 <= y < y1:
                    continue
                assert pixels[x, y] == empty, (name, x, y, pixels[x, y])


def test_maskable_content_sits_in_the_central_80_percent_circle(
    northwind_out: tuple[brandkit.Brand, Path],
) -> None:
    brand, out = northwind_out
    with Image.open(out / "web" / "icon-maskable-512.png") as img:
        rgb = img.convert("RGB")
    bg = brand.colors.background
    for y in range(0, 512, 4):
        for x in range(0, 512, 4):
            if (x - 256) ** 2 + (y - 256) ** 2 > (0.4 * 512) ** 2:
                assert rgb.getpixel((x, y)) == bg


def test_dark_logo_variant_on_dark_backgrounds(northwind_out: tuple[brandkit.Brand, Path]) -> None:
    brand, _ = northwind_out
    composer = Composer(brand)
    assert composer.logo_file(brand.logos.mark, brand.colors.primary) == brand.logos.mark.dark
    assert composer.logo_file(brand.logos.mark, brand.colors.background) == brand.logos.mark.path


def test_a_logo_that_melts_into_its_background_is_made_to_read(tmp_path: Path) -> None:
    """Lumen's wordmark (a coral-and-yellow sun beside the name) on a coral cover: drawn as a
    one-colour knockout (and said: it has next to no detail inside it for a knockout to erase);
    with ``logo_treatment: original`` kept as it is, with a warning."""
    copy_example("lumen", tmp_path / "lumen")
    spec = tmp_path / "lumen" / "brand.yaml"
    text = spec.read_text()
    spec.write_text(
        text.replace("facebook.cover: {layout: left}", "facebook.cover: {background: secondary}")
    )
    brand = brandkit.load(spec)
    result = render(brand, tmp_path / "out", targets=["facebook.cover"])
    (said,) = [w for w in result.warnings if w.startswith("facebook.cover")]
    assert "reads on" in said and "drawn as a one-colour knockout" in said
    assert brand.colors.secondary is not None
    ink = Composer(brand).text_colour(brand.colors.secondary)
    with Image.open(tmp_path / "out" / "facebook" / "cover.png") as cover:
        rgb = cover.convert("RGB")
    inked = sum(n for n, c in t.cast(list[tuple[int, t.Any]], rgb.getcolors(1 << 20)) if c == ink)
    assert inked >= 0.005 * rgb.width * rgb.height  # the logo (and text) in the readable colour
    spec.write_text(
        text.replace(
            "facebook.cover: {layout: left}",
            "facebook.cover: {background: secondary, logo_treatment: original}",
        )
    )
    kept = render(brandkit.load(spec), tmp_path / "kept", targets=["facebook.cover"])
    assert any("facebook.cover" in w and "contrast" in w for w in kept.warnings)


def test_premultiplied_alpha_leaves_no_dark_fringe(tmp_path: Path) -> None:
    # a white disc whose transparent pixels are black: naive resizing bleeds black into the edge
    big = Image.new("RGBA", (2000, 2000), (0, 0, 0, 0))
    from PIL import ImageDraw

    ImageDraw.Draw(big).ellipse([100, 100, 1900, 1900], fill=(255, 255, 255, 255))
    big.save(tmp_path / "disc.png")
    img = LogoSource(tmp_path / "disc.png").at(97, 97, target="test")
    raw = img.tobytes()
    for i in range(0, len(raw), 4):
        if raw[i + 3] > 0:
            assert tuple(raw[i : i + 3]) == (255, 255, 255)


def test_cmyk_source_is_converted_to_srgb(tmp_path: Path) -> None:
    Image.new("CMYK", (900, 900), (0, 255, 255, 0)).save(tmp_path / "red.jpg")  # pure red in CMYK
    img = LogoSource(tmp_path / "red.jpg").at(100, 100, target="test")
    r, g, b, a = img.getpixel((50, 50))
    assert img.mode == "RGBA" and r > 240 and g < 20 and b < 20 and a == 255


def test_small_raster_is_an_error_naming_the_minimum(tmp_path: Path) -> None:
    Image.new("RGBA", (64, 64), (1, 2, 3, 255)).save(tmp_path / "small.png")
    with pytest.raises(
        RenderError, match=r"the logo is 64x64 px but this target needs 300x300"
    ) as info:
        LogoSource(tmp_path / "small.png").at(300, 300, target="youtube.avatar")
    assert info.value.target == "youtube.avatar"
    assert LogoSource(tmp_path / "small.png", allow_upscale=True).at(300, 300, target="x").size == (
        300,
        300,
    )


def test_byte_limits_fall_back_and_report_the_encoding() -> None:
    from brandkit.rendering.encode import encode

    noisy = Image.effect_noise((1500, 500), 80).convert("RGB")
    target = dataclasses.replace(platforms.all_targets()["twitter.banner"], max_bytes=400_000)
    encoded = encode(noisy, target)
    assert len(encoded.data) <= 400_000 and encoded.encoding.startswith("jpeg-q")
    impossible = dataclasses.replace(target, max_bytes=500)
    with pytest.raises(RenderError, match="cannot meet the byte limit of 500 bytes") as info:
        encode(noisy, impossible)
    assert info.value.target == "twitter.banner"


def test_unknown_target_and_unwritable_folder(tmp_path: Path) -> None:
    brand = brandkit.load(EXAMPLES / "northwind" / "brand.yaml")
    with pytest.raises(RenderError, match="unknown target 'twitter.avatr'"):
        render(brand, tmp_path / "a", targets=["twitter.avatr"])
    (tmp_path / "file").write_text("x")
    with pytest.raises(RenderError, match="cannot create the output folder"):
        render(brand, tmp_path / "file" / "out")


def test_outputs_get_ordinary_file_permissions(tmp_path: Path) -> None:
    import os

    atomic_write(tmp_path / "x.png", b"data")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "x.png").stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        atomic_write(tmp_path / "x.png", "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_long_tagline_shrinks_and_wraps_inside_the_safe_zone(tmp_path: Path) -> None:
    copy_example("northwind", tmp_path / "nw")
    spec = tmp_path / "nw" / "brand.yaml"
    long = (
        "Small-batch coffee, roasted on the coast by people who care about every single bean " * 3
    )
    spec.write_text(
        spec.read_text().replace(
            "tagline: Small-batch coffee, roasted on the coast", f"tagline: {long.strip()}"
        )
    )
    brand = brandkit.load(spec)
    render(brand, tmp_path / "out", targets=["linkedin.cover", "twitter.banner"])
    target = platforms.all_targets()["linkedin.cover"]
    x0, y0, x1, y1 = usable_box(target, brand.render.style_for("linkedin.cover"))
    with Image.open(tmp_path / "out" / "linkedin" / "cover.png") as img:
        rgb = img.convert("RGB")
    bg = brand.colors.primary
    for y in range(rgb.height):
        for x in range(0, rgb.width, 3):
            if not (x0 <= x < x1 and y0 <= y < y1):
                assert rgb.getpixel((x, y)) == bg


def test_preview_files(northwind_out: tuple[brandkit.Brand, Path]) -> None:
    from brandkit.rendering.preview import write_preview

    brand, out = northwind_out
    result = render(brand, out)
    assert sorted(a.target for a in result.assets) == sorted(brand.render.targets)
    assert not result.rendered  # the fixture rendered them; nothing changed since
    png, html = write_preview(brand, result)
    with Image.open(png) as img:
        assert img.width == 1400 and img.height > 800
    page = html.read_text()
    assert 'src="twitter/banner.png"' in page and 'class="keep"' in page


def test_targets_may_be_any_iterable(tmp_path: Path) -> None:
    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    wanted = ("twitter.avatar", "mailchimp.header")
    result = render(brand, tmp_path, targets=(name for name in wanted))
    assert [a.target for a in result.assets] == list(wanted)
    assert (tmp_path / "newsletter" / "newsletter.html").is_file()


def test_the_preview_shows_the_x_handle(northwind_out: tuple[brandkit.Brand, Path]) -> None:
    """Twitter's mock-up writes @handle under the name: without a handle the pixels there differ
    (an Account has no ``handle`` attribute; the setting is what the spec names)."""
    from brandkit.rendering.preview import render_preview_png

    brand, out = northwind_out
    result = render(brand, out)
    (x,) = [a for a in brand.accounts if a.platform == "twitter"]
    assert x.options.handle == "northwindcoffee"
    without = dataclasses.replace(
        brand,
        accounts=tuple(
            dataclasses.replace(a, options=dataclasses.replace(a.options, handle=""))
            if a is x
            else a
            for a in brand.accounts
        ),
    )
    shown = render_preview_png(brand, result).tobytes()
    assert render_preview_png(without, result).tobytes() != shown


PADDED_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 270 270"
     width="270" height="270">
  <g transform="translate(90 90)">
    <rect width="40" height="40" rx="8" fill="#e01e5a"/>
    <rect x="50" width="40" height="40" rx="8" fill="#36c5f0"/>
    <rect y="50" width="40" height="40" rx="8" fill="#2eb67d"/>
    <rect x="50" y="50" width="40" height="40" rx="8" fill="#ecb22e"/>
  </g>
</svg>"""


def _extent(img: Image.Image, bg: tuple[int, int, int]) -> float:
    """How much of the image's width the content spans (anything not the background)."""
    from PIL import ImageChops

    rgb = img.convert("RGB")
    diff = ImageChops.difference(rgb, Image.new("RGB", rgb.size, bg)).convert("L")
    box = diff.point(lambda v: 255 if v > 24 else 0).getbbox()
    assert box is not None
    return (box[2] - box[0]) / rgb.width


@pytest.mark.parametrize("kind", ["svg", "transparent png", "opaque jpeg"])
def test_clear_space_inside_the_file_is_not_counted_twice(tmp_path: Path, kind: str) -> None:
    """A mark in the middle third of its file (Slack's official SVG is like this) spans the
    avatar like a tight one, with the target's padding as the clear space."""
    copy_example("northwind", tmp_path / "nw")
    logos = tmp_path / "nw" / "logos"
    if kind == "svg":
        (logos / "padded.svg").write_text(PADDED_SVG)
        name = "padded.svg"
    else:
        from PIL import ImageDraw

        mode, fill = (
            ("RGBA", (0, 0, 0, 0)) if kind == "transparent png" else ("RGB", (255, 255, 255))
        )
        canvas = Image.new(mode, (1800, 1800), fill)
        ImageDraw.Draw(canvas).rounded_rectangle((600, 600, 1200, 1200), 60, fill=(224, 30, 90))
        name = "padded.png" if kind == "transparent png" else "padded.jpg"
        canvas.save(logos / name, quality=95)
    spec = tmp_path / "nw" / "brand.yaml"
    text = spec.read_text().replace(
        "    path: logos/mark.svg\n    dark: logos/mark-dark.svg\n", f"    path: logos/{name}\n"
    )
    spec.write_text(text)
    brand = brandkit.load(spec)
    render(brand, tmp_path / "out", targets=["twitter.avatar"])
    with Image.open(tmp_path / "out" / "twitter" / "avatar.png") as avatar:
        spans = _extent(avatar, brand.colors.background)
    assert spans >= 0.6, f"the mark spans {spans:.0%} of the avatar"


def test_a_blue_logo_on_a_blue_brand_is_made_to_read(tmp_path: Path) -> None:
    """The Dell case: a blue logo on the blue primary. Banners get a one-colour knockout in the
    text colour; an icon on a background it does not read on takes a palette colour it does."""
    copy_example("northwind", tmp_path / "nw")
    logos = tmp_path / "nw" / "logos"
    (logos / "blue.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<circle cx="50" cy="50" r="44" fill="#0b3d3a"/></svg>'  # the primary itself: invisible
    )
    spec = tmp_path / "nw" / "brand.yaml"
    old = "    path: logos/mark.svg\n    dark: logos/mark-dark.svg\n"
    spec.write_text(spec.read_text().replace(old, "    path: logos/blue.svg\n"))
    brand = brandkit.load(spec)
    result = render(brand, tmp_path / "out", targets=["twitter.banner", "pwa.icon-192"])
    banner = next(w for w in result.warnings if w.startswith("twitter.banner"))
    assert "only 0% of the mark reads on #0b3d3a; drawn as a one-colour knockout" in banner
    ink = Composer(brand).text_colour(brand.colors.primary)
    with Image.open(tmp_path / "out" / "twitter" / "banner.png") as img:
        rgb = img.convert("RGB")
    inked = sum(n for n, c in t.cast(list[tuple[int, t.Any]], rgb.getcolors(1 << 20)) if c == ink)
    assert inked >= 0.005 * rgb.width * rgb.height
    # the icon's background is the brand background, where the dark circle reads: kept
    assert not any(w.startswith("pwa.icon-192") for w in result.warnings)


def test_an_icon_takes_the_palette_colour_its_mark_reads_on(tmp_path: Path) -> None:
    """Lumen's yellow-and-coral sun barely reads on its cream background: the Facebook picture
    (background not pinned) is drawn on the brand's navy instead, and says so; the X avatar,
    whose background the spec pins white, keeps white and gets a plate (a knockout would erase
    the sun's dark centre). The example pins these choices; here they are left to brandkit."""
    copy_example("lumen", tmp_path / "lumen")
    spec = tmp_path / "lumen" / "brand.yaml"
    text = spec.read_text()
    start, end = text.index("    twitter.avatar:"), text.index("    facebook.cover:")
    spec.write_text(text[:start] + '    twitter.avatar: {background: "#ffffff"}\n' + text[end:])
    brand, out = brandkit.load(spec), tmp_path / "out"
    result = render(brand, out, targets=["facebook.profile", "twitter.avatar"])
    said = {w.split(":")[0]: w for w in result.warnings}
    assert "background #211e38 from the palette instead" in said["facebook.profile"]
    assert "drawn on a #211e38 plate" in said["twitter.avatar"]
    with Image.open(out / "facebook" / "profile.png") as img:
        assert img.convert("RGB").getpixel((360, 20)) == brand.colors.primary
    with Image.open(out / "twitter" / "avatar.png") as img:
        assert img.convert("RGB").getpixel((200, 5)) == (255, 255, 255)
