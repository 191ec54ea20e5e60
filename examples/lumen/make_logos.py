"""Draw the Lumen Studio sample logos (PNG) with Pillow. Run once; the PNGs are committed.

Shapes are drawn at 4x and reduced, which gives clean anti-aliased edges.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).parent
FONT = HERE.parent.parent / "assets" / "fonts" / "Inter-Bold.otf"
SUN, CORAL, INK, WHITE = (255, 196, 61), (255, 111, 89), (33, 30, 56), (255, 255, 255)


def mark(size: int = 1024, scale: int = 4) -> Image.Image:
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = s / 2
    for i in range(12):
        a = i * math.pi / 6
        r0, r1, w = s * 0.30, s * 0.47, s * 0.035
        pts = [
            (c + math.cos(a) * r0 - math.sin(a) * w, c + math.sin(a) * r0 + math.cos(a) * w),
            (c + math.cos(a) * r1, c + math.sin(a) * r1),
            (c + math.cos(a) * r0 + math.sin(a) * w, c + math.sin(a) * r0 - math.cos(a) * w),
        ]
        d.polygon(pts, fill=CORAL)
    d.ellipse([c - s * 0.27, c - s * 0.27, c + s * 0.27, c + s * 0.27], fill=SUN)
    d.ellipse([c - s * 0.12, c - s * 0.12, c + s * 0.12, c + s * 0.12], fill=INK)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def wordmark(text_colour: tuple[int, int, int], height: int = 400, scale: int = 2) -> Image.Image:
    h = height * scale
    font = ImageFont.truetype(str(FONT), int(h * 0.62))
    m = mark(h, 2)
    left, top, right, bottom = font.getbbox("lumen")
    w = h + int(h * 0.12) + right
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    img.alpha_composite(m, (0, 0))
    d = ImageDraw.Draw(img)
    d.text((h + int(h * 0.12), (h - (bottom + top)) // 2), "lumen", font=font, fill=text_colour)
    return img.resize((w // scale, height), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    (HERE / "logos").mkdir(exist_ok=True)
    mark().save(HERE / "logos" / "mark.png", optimize=True)
    wordmark(INK).save(HERE / "logos" / "wordmark.png", optimize=True)
    wordmark(WHITE).save(HERE / "logos" / "wordmark-dark.png", optimize=True)
