"""Previews: every rendered image inside a mock-up of where it appears, safe zones overlaid.

``preview.png`` (one picture, for a quick look or a report) and ``preview.html`` (the same
mock-ups with CSS, images linked relatively) are written into the render folder.
"""

from __future__ import annotations

import html
import typing as t
from pathlib import Path

from PIL import Image, ImageDraw

from brandkit import platforms
from brandkit._files import atomic_write
from brandkit._resources import assets_dir
from brandkit.platforms.twitter.settings import Settings as XSettings
from brandkit.rendering import RenderResult, png
from brandkit.rendering.text import draw_text, load_font
from brandkit.spec.model import Brand

__all__ = ["write_preview"]

PAGE_W = 1400
GREY = (120, 124, 132)
SAFE = (0, 200, 120)
KEEP_OUT = (230, 40, 60)


def _font(size: int, bold: bool = False) -> t.Any:
    name = "Inter-Bold.otf" if bold else "Inter-Regular.otf"
    return load_font(str(assets_dir() / "fonts" / name), size)


def _open(result: RenderResult, name: str) -> Image.Image | None:
    try:
        asset = result.asset(name)
    except KeyError:
        return None
    with Image.open(asset.path) as img:
        img.load()
        if asset.format == "ico":
            img.size = max(img.info.get("sizes", {img.size}))  # type: ignore[misc]
            img.load()
        return img.convert("RGBA")


def _circle(img: Image.Image, size: int, ring: int = 4) -> Image.Image:
    scale = 4
    mask = Image.new("L", (size * scale, size * scale), 0)
    ImageDraw.Draw(mask).ellipse([0, 0, size * scale - 1, size * scale - 1], fill=255)
    mask = mask.resize((size, size), Image.Resampling.LANCZOS)
    out = Image.new("RGBA", (size + 2 * ring, size + 2 * ring), (0, 0, 0, 0))
    ImageDraw.Draw(out).ellipse(
        [0, 0, size + 2 * ring - 1, size + 2 * ring - 1], fill=(255, 255, 255, 255)
    )
    face = img.resize((size, size), Image.Resampling.LANCZOS)
    out.paste(face, (ring, ring), mask)
    return out


def _overlay(canvas: Image.Image, name: str, x: int, y: int, scale: float) -> None:
    """Draw the target's safe zone (green) and keep-out areas (red) over its placed image."""
    target = platforms.all_targets()[name]
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for kx0, ky0, kx1, ky1 in target.keep_out:
        d.rectangle(
            [x + kx0 * scale, y + ky0 * scale, x + kx1 * scale, y + ky1 * scale],
            fill=KEEP_OUT + (60,),
        )
    if target.safe:
        sx0, sy0, sx1, sy1 = target.safe
        d.rectangle(
            [x + sx0 * scale, y + sy0 * scale, x + sx1 * scale, y + sy1 * scale],
            outline=SAFE + (220,),
            width=2,
        )
    canvas.alpha_composite(layer)


def _label(d: ImageDraw.ImageDraw, x: int, y: int, text: str) -> None:
    draw_text(d, (x, y), text, font=_font(15, bold=True), fill=(40, 40, 48))


def _twitter(canvas: Image.Image, result: RenderResult, brand: Brand, y: int) -> int:
    d = ImageDraw.Draw(canvas)
    _label(d, 40, y, "Twitter/X profile — banner 1500×500 at 600×200, avatar over its bottom-left")
    banner, avatar = _open(result, "twitter.banner"), _open(result, "twitter.avatar")
    y += 28
    if banner:
        canvas.alpha_composite(banner.resize((600, 200), Image.Resampling.LANCZOS), (40, y))
        _overlay(canvas, "twitter.banner", 40, y, 0.4)
    if avatar:
        canvas.alpha_composite(_circle(avatar, 134), (40 + 16 - 4, y + 200 - 67 - 4))
    handle = next(
        (a.options.handle for a in brand.accounts if isinstance(a.options, XSettings)), ""
    )
    draw_text(
        d, (40 + 16, y + 200 + 78), brand.identity.name, font=_font(20, True), fill=(15, 20, 25)
    )
    draw_text(
        d, (40 + 16, y + 200 + 104), f"@{handle}" if handle else "", font=_font(15), fill=GREY
    )
    return y + 200 + 140


def _facebook(canvas: Image.Image, result: RenderResult, brand: Brand, y: int) -> int:
    d = ImageDraw.Draw(canvas)
    _label(d, 700, y - 340 - 28 + 28, "")
    cover, profile = _open(result, "facebook.cover"), _open(result, "facebook.profile")
    x = 700
    draw_text(
        d,
        (x, y),
        "Facebook Page — cover 1640×624 at 656×250; dashed: the 640×360 mobile crop",
        font=_font(15, True),
        fill=(40, 40, 48),
    )
    y += 28
    if cover:
        w, h = 656, 250
        canvas.alpha_composite(cover.resize((w, h), Image.Resampling.LANCZOS), (x, y))
        _overlay(canvas, "facebook.cover", x, y, w / 1640)
        crop_w = int(h * 640 / 360)
        cx = x + (w - crop_w) // 2
        for yy in range(y, y + h, 10):
            d.line([(cx, yy), (cx, yy + 5)], fill=(255, 255, 255), width=2)
            d.line([(cx + crop_w, yy), (cx + crop_w, yy + 5)], fill=(255, 255, 255), width=2)
    if profile:
        canvas.alpha_composite(_circle(profile, 120), (x + 20, y + 250 - 40))
    draw_text(d, (x + 160, y + 262), brand.identity.name, font=_font(20, True), fill=(15, 20, 25))
    return y + 250 + 100


def _email(canvas: Image.Image, result: RenderResult, brand: Brand, y: int) -> int:
    d = ImageDraw.Draw(canvas)
    header = _open(result, "mailchimp.header")
    _label(d, 40, y, "Newsletter — header 1200 px wide at 600 px in an email")
    y += 28
    d.rectangle([40, y, 40 + 640, y + 420], fill=(236, 238, 241))
    d.rectangle([60, y + 20, 60 + 600, y + 400], fill=(255, 255, 255))
    top = y + 20
    if header:
        h = int(header.height * 600 / header.width)
        canvas.alpha_composite(header.resize((600, h), Image.Resampling.LANCZOS), (60, top))
        _overlay(canvas, "mailchimp.header", 60, top, 0.5)
        top += h
    for i, width in enumerate((520, 560, 480, 540, 300)):
        d.rounded_rectangle(
            [90, top + 30 + i * 22, 90 + width - 60, top + 42 + i * 22],
            radius=5,
            fill=(225, 227, 232),
        )
    return y + 440


def _tabs(canvas: Image.Image, result: RenderResult, brand: Brand, y: int) -> int:
    d = ImageDraw.Draw(canvas)
    x = 700
    draw_text(
        d,
        (x, y),
        "Favicon at real size (16 px) on light and dark browser tabs; app icons",
        font=_font(15, True),
        fill=(40, 40, 48),
    )
    y += 28
    ico = result.assets and _open(result, "favicon.ico")
    for i, (bar, tab, fg) in enumerate(
        (
            ((222, 225, 230), (255, 255, 255), (30, 30, 30)),
            ((32, 33, 36), (53, 54, 58), (232, 234, 237)),
        )
    ):
        ty = y + i * 52
        d.rectangle([x, ty, x + 656, ty + 44], fill=bar)
        d.rounded_rectangle([x + 8, ty + 8, x + 248, ty + 44], radius=8, fill=tab)
        if ico:
            canvas.alpha_composite(
                ico.resize((16, 16), Image.Resampling.LANCZOS), (x + 20, ty + 18)
            )
        draw_text(
            d,
            (x + 44, ty + 17),
            brand.identity.short_name or brand.identity.name,
            font=_font(13),
            fill=fg,
        )
    y += 116
    cx = x
    for name, size in (("apple-touch-icon", 90), ("pwa.icon-192", 96), ("pwa.maskable-192", 96)):
        img = _open(result, name)
        if img is None:
            continue
        small = img.resize((size, size), Image.Resampling.LANCZOS)
        if name == "pwa.maskable-192":  # show it as Android would: masked to a circle
            small = _circle(img, size, ring=0)
        elif name == "apple-touch-icon":
            mask = Image.new("L", (size, size), 0)
            ImageDraw.Draw(mask).rounded_rectangle(
                [0, 0, size - 1, size - 1], radius=size // 5, fill=255
            )
            small.putalpha(mask)
        canvas.alpha_composite(small, (cx, y))
        draw_text(d, (cx, y + size + 6), name, font=_font(12), fill=GREY)
        cx += size + 60
    return y + 130


def _avatars(canvas: Image.Image, result: RenderResult, y: int) -> int:
    d = ImageDraw.Draw(canvas)
    _label(d, 40, y, "Avatars as the platforms crop them")
    y += 28
    x = 40
    for asset in result.assets:
        target = platforms.all_targets()[asset.target]
        if target.role != "avatar":
            continue
        img = _open(result, asset.target)
        if img is None:
            continue
        face = (
            _circle(img, 110)
            if target.shape == "circle"
            else img.resize((110, 110), Image.Resampling.LANCZOS)
        )
        canvas.alpha_composite(face, (x, y))
        draw_text(d, (x, y + 124), asset.target, font=_font(12), fill=GREY)
        x += 150
    return y + 150


def render_preview_png(brand: Brand, result: RenderResult) -> Image.Image:
    canvas = Image.new("RGBA", (PAGE_W, 1400), (247, 248, 250, 255))
    d = ImageDraw.Draw(canvas)
    draw_text(
        d,
        (40, 24),
        f"{brand.identity.name} — brandkit preview",
        font=_font(26, True),
        fill=(15, 20, 25),
    )
    draw_text(
        d, (40, 60), "green: safe zone   red: covered by the avatar/logo", font=_font(14), fill=GREY
    )
    top = 100
    y1 = _twitter(canvas, result, brand, top)
    y2 = _facebook(canvas, result, brand, top)
    y = max(y1, y2) + 20
    y3 = _email(canvas, result, brand, y)
    y4 = _tabs(canvas, result, brand, y)
    y = max(y3, y4) + 20
    y = _avatars(canvas, result, y)
    y = _choices(canvas, result, y)
    return canvas.crop((0, 0, PAGE_W, y + 20)).convert("RGB")


def _choices(canvas: Image.Image, result: RenderResult, y: int) -> int:
    """What render decided on its own (a knockout, another variant or background) and what it
    warns about, under the pictures they explain."""
    if not result.warnings:
        return y
    d = ImageDraw.Draw(canvas)
    draw_text(d, (40, y), "Choices made and warnings", font=_font(15, True), fill=(40, 40, 48))
    y += 28
    font = _font(13)
    for warning in result.warnings[:24]:
        line = warning
        while font.getlength(line) > PAGE_W - 100 and len(line) > 20:
            line = line[: int(len(line) * 0.9)].rstrip() + "…"
        draw_text(d, (52, y), f"• {line}", font=font, fill=(60, 60, 70))
        y += 20
    if len(result.warnings) > 24:
        draw_text(d, (52, y), f"… and {len(result.warnings) - 24} more", font=font, fill=GREY)
        y += 20
    return y


def _html(brand: Brand, result: RenderResult) -> str:
    rel = {a.target: a.path.relative_to(result.out).as_posix() for a in result.assets}
    rows = []
    for asset in result.assets:
        target = platforms.all_targets()[asset.target]
        w, h = target.size
        scale = min(1.0, 640 / w)
        radius = "50%" if target.shape in ("circle", "maskable") else "0"
        zones = ""
        if target.safe:
            x0, y0, x1, y1 = target.safe
            zones += (
                f'<div class="safe" style="left:{x0 * scale}px;top:{y0 * scale}px;'
                f'width:{(x1 - x0) * scale}px;height:{(y1 - y0) * scale}px"></div>'
            )
        for x0, y0, x1, y1 in target.keep_out:
            zones += (
                f'<div class="keep" style="left:{x0 * scale}px;top:{y0 * scale}px;'
                f'width:{(x1 - x0) * scale}px;height:{(y1 - y0) * scale}px"></div>'
            )
        rows.append(
            f'<figure><div class="frame" style="width:{w * scale}px;height:{h * scale}px">'
            f'<img src="{html.escape(rel[asset.target])}" '
            f'style="width:100%;height:100%;border-radius:{radius}" '
            f'alt="{html.escape(asset.target)}">{zones}</div>'
            f"<figcaption><b>{html.escape(asset.target)}</b> {w}×{h} · {asset.bytes:,} B · "
            f"{asset.encoding}"
            f"</figcaption></figure>"
        )
    newsletter = ""
    if (result.out / "newsletter" / "preview.html").exists():
        newsletter = (
            "<h2>Newsletter template (merge tags filled with samples)</h2>"
            '<iframe src="newsletter/preview.html" title="newsletter" '
            'style="width:680px;height:900px;border:1px solid #ccc;background:#fff"></iframe>'
        )
    choices = ""
    if result.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
        choices = f"<h2>Choices made and warnings</h2><ul>{items}</ul>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(brand.identity.name)} — brandkit preview</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f7f8fa;color:#111;margin:32px}}
figure{{display:inline-block;vertical-align:top;margin:0 24px 28px 0}}
.frame{{position:relative;background:repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}}
.safe{{position:absolute;border:2px solid rgba(0,200,120,.85);box-sizing:border-box}}
.keep{{position:absolute;background:rgba(230,40,60,.25)}}
figcaption{{font-size:13px;color:#555;margin-top:6px}}
</style></head><body>
<h1>{html.escape(brand.identity.name)}</h1>
<p>Mock-ups: <img src="preview.png" alt="preview" style="max-width:100%"></p>
{newsletter}
{choices}
<h2>Every target (green: safe zone, red: covered)</h2>
{"".join(rows)}
</body></html>
"""


def write_preview(brand: Brand, result: RenderResult) -> tuple[Path, Path]:
    png_path, html_path = result.out / "preview.png", result.out / "preview.html"
    atomic_write(png_path, png.png_bytes(render_preview_png(brand, result)))  # an RGB sheet
    atomic_write(html_path, _html(brand, result).encode("utf-8"))
    return png_path, html_path
