"""Perceptual comparison: re-encoding and rescaling are the same image; a recolour is not."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from brandkit.sync.compare import COLOUR_LIMIT, HASH_LIMIT, compare_images


def _banner(logo: tuple[int, int, int], size: tuple[int, int] = (1500, 500)) -> Image.Image:
    img = Image.new("RGB", size, (245, 240, 230))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.ellipse((w * 0.45, h * 0.3, w * 0.55, h * 0.6), fill=logo)
    draw.rectangle((w * 0.1, h * 0.75, w * 0.9, h * 0.8), fill=(40, 40, 40))
    return img


def _encode(img: Image.Image, fmt: str = "PNG", **kw: int) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def test_a_reencoded_and_rescaled_copy_is_the_same() -> None:
    expected = _encode(_banner((200, 40, 40)))
    live = _encode(
        _banner((200, 40, 40)).resize((600, 200), Image.Resampling.LANCZOS), "JPEG", quality=80
    )
    diff = compare_images(live, expected)
    assert diff.same and diff.hash_distance <= HASH_LIMIT and diff.colour_distance <= COLOUR_LIMIT


def test_a_recoloured_logo_differs_though_the_grey_hash_barely_moves() -> None:
    diff = compare_images(_encode(_banner((40, 40, 200))), _encode(_banner((200, 40, 40))))
    assert not diff.same
    assert diff.colour_distance > COLOUR_LIMIT
    assert diff.describe().startswith("the colours of the ")  # in words, then the measures
    assert f"pHash {diff.hash_distance}/64" in diff.describe()


def test_only_the_box_is_compared() -> None:
    base = _banner((200, 40, 40))
    edited = base.copy()
    ImageDraw.Draw(edited).rectangle((0, 0, 200, 500), fill=(0, 0, 0))  # a change outside the box
    box = (300, 0, 1200, 500)
    assert compare_images(_encode(edited), _encode(base), box).same
    assert not compare_images(_encode(edited), _encode(base)).same


def test_transparency_is_compared_as_on_a_white_page() -> None:
    clear = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    white = Image.new("RGB", (200, 200), (255, 255, 255))
    assert compare_images(_encode(clear), _encode(white)).same


def test_a_symmetric_logo_reencoded_is_the_same_though_its_phash_is_unstable() -> None:
    """A centred round mark (the Lumière example's avatar, as the sandbox's JPEG re-encoding
    returns it) moved pHash 16/64 with no cell off by more than 1: the cells decide."""
    img = Image.new("RGB", (400, 400), (255, 244, 220))
    draw = ImageDraw.Draw(img)
    draw.ellipse((72, 72, 328, 328), fill=(122, 31, 43))
    draw.polygon([(200, 115), (150, 215), (250, 215)], fill=(246, 195, 67))
    draw.ellipse((150, 165, 250, 265), fill=(246, 195, 67))
    expected = io.BytesIO()
    img.save(expected, "PNG")
    for quality in (70, 85, 95):
        live = io.BytesIO()
        img.save(live, "JPEG", quality=quality)
        diff = compare_images(live.getvalue(), expected.getvalue())
        assert diff.same, (quality, diff)
    moved = Image.new("RGB", (400, 400), (255, 244, 220))
    moved.paste(img.crop((0, 0, 380, 400)), (20, 0))  # the same logo, 20 px to the right
    shifted = io.BytesIO()
    moved.save(shifted, "PNG")
    assert not compare_images(shifted.getvalue(), expected.getvalue()).same


def _with_text(words: str, size: tuple[int, int] = (1500, 500)) -> Image.Image:
    from PIL import ImageFont

    from brandkit._resources import assets_dir

    img = _banner((200, 40, 40), size)
    font = ImageFont.truetype(str(assets_dir() / "fonts" / "Inter-Regular.otf"), 20)
    ImageDraw.Draw(img).text((500, 420), words, font=font, fill=(40, 40, 40))
    return img


def test_a_changed_line_of_small_text_differs_though_the_coarse_measures_do_not_move() -> None:
    """#25: a new tagline moved pHash by 0 and the worst 24x24 cell by less than the limit."""
    before = _encode(_with_text("Small-batch coffee, roasted on the coast"))
    after = _encode(_with_text("Small-batch coffee, roasted on the cost"))
    diff = compare_images(after, before)
    assert diff.hash_distance <= HASH_LIMIT and diff.colour_distance <= COLOUR_LIMIT
    assert not diff.same
    assert diff.describe().startswith("text or fine detail changed, mostly the bottom")


def test_the_same_text_recompressed_or_served_at_half_size_is_the_same() -> None:
    image = _with_text("Small-batch coffee, roasted on the coast")
    expected = _encode(image)
    for live in (
        _encode(image, "JPEG", quality=50),
        _encode(image.resize((750, 250), Image.Resampling.LANCZOS), "JPEG", quality=70),
    ):
        assert compare_images(live, expected).same
