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
