"""brandkit's PNG writer: any decoder reads back the exact pixels; the file holds nothing else."""

from __future__ import annotations

import dataclasses
import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from brandkit import platforms
from brandkit.rendering.encode import encode
from brandkit.rendering.png import _BAND_BYTES, png_bytes


def _noise(mode: str, width: int, height: int, seed: int = 0) -> Image.Image:
    bands = [
        Image.effect_noise((width, height), 30 + 20 * i + seed).convert("L")
        for i in range(len(mode))
    ]
    return Image.merge(mode, bands)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC on {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@settings(max_examples=40, deadline=None)
@given(
    mode=st.sampled_from(["RGB", "RGBA"]),
    width=st.integers(1, 300),
    height=st.integers(1, 300),
    seed=st.integers(0, 50),
)
def test_pillow_reads_back_the_exact_pixels(mode: str, width: int, height: int, seed: int) -> None:
    img = _noise(mode, width, height, seed)
    back = Image.open(io.BytesIO(png_bytes(img)))
    back.load()
    assert (back.mode, back.size) == (mode, (width, height))
    assert back.tobytes() == img.tobytes()


def test_rows_wider_than_a_band_and_many_bands() -> None:
    wide = _noise("RGBA", _BAND_BYTES // 4 + 7, 3)  # one row is more than a band
    tall = _noise("RGB", 333, 2 * _BAND_BYTES // 999 + 5)  # several bands and a partial last one
    for img in (wide, tall):
        assert Image.open(io.BytesIO(png_bytes(img))).tobytes() == img.tobytes()


def test_only_critical_chunks_and_unfiltered_rows() -> None:
    img = _noise("RGBA", 97, 41)
    data = png_bytes(img)
    chunks = _chunks(data)
    assert [kind for kind, _ in chunks] == [
        b"IHDR",
        b"IDAT",
        b"IEND",
    ]  # no time, text, gamma or EXIF
    assert chunks[0][1] == struct.pack(">IIBBBBB", 97, 41, 8, 6, 0, 0, 0)
    raw = zlib.decompress(chunks[1][1])
    stride = 97 * 4 + 1
    assert len(raw) == 41 * stride and all(raw[y * stride] == 0 for y in range(41))
    assert png_bytes(img) == data  # same pixels, same bytes


def test_other_modes_are_refused_and_encode_gives_them_to_pillow() -> None:
    grey = Image.linear_gradient("L").resize((64, 64))
    with pytest.raises(ValueError, match="RGB or RGBA"):
        png_bytes(grey)
    encoded = encode(grey, platforms.all_targets()["twitter.avatar"])
    assert (
        encoded.encoding == "png"
        and Image.open(io.BytesIO(encoded.data)).tobytes() == grey.tobytes()
    )


def test_over_the_limit_the_optimised_pillow_png_is_tried_next() -> None:
    # A smooth gradient: unfiltered rows deflate poorly, Pillow's per-row filters (Sub) do well.
    img = Image.merge("RGB", [Image.linear_gradient("L").rotate(90).resize((1500, 500))] * 3)
    fast = png_bytes(img)
    target = dataclasses.replace(platforms.all_targets()["twitter.banner"], max_bytes=len(fast) - 1)
    encoded = encode(img, target)
    assert encoded.encoding == "png-optimized" and len(encoded.data) < len(fast)
    assert Image.open(io.BytesIO(encoded.data)).tobytes() == img.tobytes()
