# ruff: noqa: E501  (the SVG files are written out as they would be saved by an editor)
"""Write the gallery of hard cases: brands whose logo files are made the way real ones often are
(clear space inside the file, a logo in the brand's own colour, text in an SVG, a photo of a
wide logo as the mark, emoji in the tagline, every raster flavour). All drawn here, no
third-party marks. Run from anywhere: ``python examples/gallery/make_gallery.py``."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent

SPEC = """\
# Gallery case: {title}
version: 1
identity:
  name: {name}
  tagline: {tagline}
logos:
  mark:
    path: {mark}
{wordmark}colors:
  palette:
    brand: "{primary}"
    paper: "#ffffff"
    ink: "#1b1b1f"
  primary: brand
  background: paper
  foreground: ink
  on_primary: "#ffffff"
typography:
  heading: inter-bold
  body: inter
"""


def blob(size: int, colour: str, *, mode: str = "RGBA", canvas: str | None = None) -> Image.Image:
    """A round badge with a notch: a mark with a shape worth recognising."""
    img = Image.new(mode, (size, size), canvas or (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    m = size // 8
    draw.ellipse((m, m, size - m, size - m), fill=colour)
    draw.rectangle(
        (size // 2 - m // 2, m, size // 2 + m // 2, size // 2), fill=canvas or (0, 0, 0, 0)
    )
    return img


def case(
    folder: str,
    title: str,
    files: dict[str, bytes | Image.Image | str],
    *,
    mark: str,
    primary: str = "#2a4d8f",
    name: str = "Gallery Co",
    tagline: str = "Hard cases, handled",
    wordmark: str | None = None,
    save: dict[str, dict[str, object]] | None = None,
) -> None:
    root = HERE / folder
    (root / "logos").mkdir(parents=True, exist_ok=True)
    for file, content in files.items():
        target = root / "logos" / file
        if isinstance(content, Image.Image):
            content.save(target, **(save or {}).get(file, {}))
        elif isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
    wm = f"  wordmark:\n    path: {wordmark}\n" if wordmark else ""
    (root / "brand.yaml").write_text(
        SPEC.format(
            title=title,
            name=name,
            tagline=tagline,
            mark=f"logos/{mark}",
            wordmark=wm,
            primary=primary,
        ),
        encoding="utf-8",
    )


PADDED = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 270 270">
  <g transform="translate(90 90)">
    <rect width="40" height="40" rx="8" fill="#36c5f0"/><rect x="50" width="40" height="40" rx="8" fill="#2eb67d"/>
    <rect y="50" width="40" height="40" rx="8" fill="#ecb22e"/><rect x="50" y="50" width="40" height="40" rx="8" fill="#e01e5a"/>
  </g>
</svg>
"""

SAME_BLUE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <circle cx="50" cy="50" r="44" fill="none" stroke="#0b5cad" stroke-width="9"/>
  <path d="M30 30h18a20 20 0 0 1 0 40H30z" fill="#0b5cad"/>
</svg>
"""

SAME_BLUE_WORDMARK = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 100">
  <circle cx="50" cy="50" r="40" fill="none" stroke="#0b5cad" stroke-width="9"/>
  <path d="M32 30h16a20 20 0 0 1 0 40H32z" fill="#0b5cad"/>
  <path d="M120 25h12v50h-12zM150 25h50v12h-38v8h30v10h-30v8h38v12h-50zM220 25h12v38h34v12h-46zM290 25h12v38h34v12h-46z" fill="#0b5cad"/>
</svg>
"""

TEXT_MARK = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect x="4" y="4" width="92" height="92" rx="20" fill="#f25c05"/>
  <text x="50" y="70" text-anchor="middle" font-family="Inter, sans-serif" font-weight="700" font-size="58" fill="#ffffff">Tx</text>
</svg>
"""

TEXT_WORDMARK = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 460 100">
  <rect x="4" y="4" width="92" height="92" rx="20" fill="#f25c05"/>
  <text x="115" y="72" font-family="Brandon Grotesque, Futura" font-weight="700" font-size="64" fill="#f25c05">textco</text>
</svg>
"""

USE_GRADIENT_MASK = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 200">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#ffd166"/><stop offset="1" stop-color="#ef476f"/>
    </linearGradient>
    <mask id="m"><rect width="200" height="200" fill="#fff"/><circle cx="100" cy="100" r="28" fill="#000"/></mask>
    <path id="petal" d="M100 100 C 80 60, 80 30, 100 14 C 120 30, 120 60, 100 100z"/>
  </defs>
  <g mask="url(#m)" fill="url(#g)">
    <use xlink:href="#petal"/><use xlink:href="#petal" transform="rotate(72 100 100)"/>
    <use xlink:href="#petal" transform="rotate(144 100 100)"/><use xlink:href="#petal" transform="rotate(216 100 100)"/>
    <use xlink:href="#petal" transform="rotate(288 100 100)"/>
  </g>
</svg>
"""


def disc_letters(size: int, colour: str, canvas: str | None = None) -> Image.Image:
    """A disc in the brand's colour with light letters in it: a very common badge logo, which
    a one-colour knockout turns into a blank disc."""
    img = Image.new("RGBA" if canvas is None else "RGB", (size, size), canvas or (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    m = size // 16
    draw.ellipse((m, m, size - m, size - m), fill=colour)
    font = ImageFont.truetype(
        str(HERE.parent.parent / "assets" / "fonts" / "Inter-Bold.otf"), size // 3
    )
    draw.text((size / 2, size / 2), "NB", font=font, fill="#fdf6e3", anchor="mm")
    return img


def wide_photo() -> Image.Image:
    """A photo of a wide logo on white: the mark a new user often has first."""
    img = Image.new("RGB", (2400, 600), "#ffffff")
    draw = ImageDraw.Draw(img)
    draw.ellipse((120, 120, 480, 480), fill="#6a1b9a")
    for i, x in enumerate(range(600, 2200, 260)):
        draw.rectangle((x, 180, x + 180 - (i % 2) * 60, 420), fill="#6a1b9a")
    return img


def main() -> None:
    case(
        "padded-svg",
        "a mark in the middle third of its viewBox",
        {"mark.svg": PADDED},
        mark="mark.svg",
        primary="#4a154b",
    )
    case(
        "same-colour",
        "a blue logo on the same blue",
        {"mark.svg": SAME_BLUE, "wordmark.svg": SAME_BLUE_WORDMARK},
        mark="mark.svg",
        primary="#0b5cad",
        wordmark="logos/wordmark.svg",
    )
    case(
        "svg-text",
        "text inside SVG logos (one font bundled, one not)",
        {"mark.svg": TEXT_MARK, "wordmark.svg": TEXT_WORDMARK},
        mark="mark.svg",
        primary="#1d1d1f",
        wordmark="logos/wordmark.svg",
    )
    case(
        "wide-photo",
        "a photo of a wide logo as the mark",
        {"mark.jpg": wide_photo()},
        mark="mark.jpg",
        primary="#311b92",
        save={"mark.jpg": {"quality": 90}},
    )
    case(
        "emoji-tagline",
        "emoji and symbols in the name and tagline",
        {"mark.png": blob(1000, "#2e7d32")},
        mark="mark.png",
        primary="#1b5e20",
        name="Pousse & Co ☘",
        tagline="Grow with us 🌱 — fresh every day ★ ☕",
    )
    cmyk = blob(1000, "#00897b", mode="RGB", canvas="#ffffff").convert("CMYK")
    case(
        "cmyk-jpeg",
        "a CMYK JPEG",
        {"mark.jpg": cmyk},
        mark="mark.jpg",
        primary="#004d40",
        save={"mark.jpg": {"quality": 92}},
    )
    case(
        "palette-png",
        "a palette (P mode) PNG with transparency",
        {"mark.png": blob(1000, "#c62828").convert("P")},
        mark="mark.png",
        primary="#37474f",
    )
    deep = blob(1000, "#283593", mode="RGB", canvas="#ffffff").convert("I;16")
    case(
        "png-16bit",
        "a 16-bit greyscale PNG",
        {"mark.png": deep},
        mark="mark.png",
        primary="#546e7a",
    )
    frames = [blob(1000, c) for c in ("#ff6f00", "#ffa000", "#ffca28")]
    gif = HERE / "animated-gif" / "logos"
    gif.mkdir(parents=True, exist_ok=True)
    frames[0].save(
        gif / "mark.gif", save_all=True, append_images=frames[1:], duration=200, loop=0, disposal=2
    )
    case(
        "animated-gif",
        "an animated GIF (the first frame is the logo)",
        {},
        mark="mark.gif",
        primary="#3e2723",
    )
    case(
        "disc-letters",
        "light letters on a disc in the brand's colour, on banners of that colour",
        {"mark.png": disc_letters(1000, "#1e5631")},
        mark="mark.png",
        primary="#1e5631",
        name="Northbank Growers",
    )
    case(
        "disc-letters-jpeg",
        "the same badge as a JPEG on white",
        {"mark.jpg": disc_letters(1000, "#1e5631", canvas="#ffffff")},
        mark="mark.jpg",
        primary="#1e5631",
        name="Northbank Growers",
        save={"mark.jpg": {"quality": 92}},
    )
    case(
        "use-gradient-mask",
        "SVG with <use>, a gradient and a mask",
        {"mark.svg": USE_GRADIENT_MASK},
        mark="mark.svg",
        primary="#073b4c",
    )


if __name__ == "__main__":
    main()
