"""The perceptual hash (pHash) of an image, as imagehash computes it, with Pillow alone.

imagehash's ``phash``: the image in grayscale, resized to 32x32 (Lanczos), a type-II DCT of the
rows then of the columns (``scipy.fftpack.dct``), the top-left 8x8 coefficients, and one bit per
coefficient: above their median or not. Only those 64 coefficients are needed, so the DCT is
computed directly (8 of 32 frequencies each way: ~10 000 multiplications), which spares the
install numpy and scipy. tests/fidelity checks the bits against hashes imagehash computed.
"""

from __future__ import annotations

import functools
import math

from PIL import Image

__all__ = ["distance", "phash"]

SIZE = 32
LOW = 8


@functools.cache
def _cosines() -> tuple[tuple[float, ...], ...]:
    # scipy's unnormalised DCT-II: y[k] = 2 * sum_n x[n] * cos(pi * k * (2n + 1) / (2N))
    return tuple(
        tuple(2 * math.cos(math.pi * k * (2 * n + 1) / (2 * SIZE)) for n in range(SIZE))
        for k in range(LOW)
    )


def phash_of_pixels(pixels: bytes) -> int:
    """The 64-bit hash of 32x32 grayscale pixels (row-major), bit 63 first as imagehash orders."""
    cos = _cosines()
    rows = [pixels[r * SIZE : (r + 1) * SIZE] for r in range(SIZE)]
    # imagehash transforms along axis 0 (down the columns) first, then along axis 1
    down = [
        [sum(c * rows[n][col] for n, c in enumerate(cos[k])) for col in range(SIZE)]
        for k in range(LOW)
    ]
    coeffs = [
        sum(c * down[k][n] for n, c in enumerate(cos[j])) for k in range(LOW) for j in range(LOW)
    ]
    # float noise (1e-13) must not decide a tie: a pure gradient's coefficients are exactly 0
    # but for the first, and imagehash calls them "not above the median"
    coeffs = [round(c, 6) for c in coeffs]
    ordered = sorted(coeffs)
    median = (ordered[31] + ordered[32]) / 2
    bits = 0
    for value in coeffs:
        bits = (bits << 1) | (value > median)
    return bits


def phash(image: Image.Image) -> int:
    small = image.convert("L").resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    return phash_of_pixels(small.tobytes())


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()
