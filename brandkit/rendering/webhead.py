"""What a website needs to use the rendered icons: ``site.webmanifest``, ``favicon.svg`` (from an
SVG mark, switching to the dark mark in dark mode) and ``head.html``, the exact ``<link>`` and
``<meta>`` lines, written beside the icons in ``web/``. The same set RealFaviconGenerator and the
``favicons`` package emit: an ICO for old browsers, an SVG for new ones, the Apple touch icon, a
manifest with ``any`` and ``maskable`` icons, the theme colour, and the Open Graph / X card image.
"""

from __future__ import annotations

import json
import re
import typing as t
from html import escape
from pathlib import Path

from brandkit._files import atomic_write
from brandkit.colors import hex_of
from brandkit.platforms.mastodon.settings import Settings as MastodonSettings
from brandkit.spec.model import Brand

if t.TYPE_CHECKING:
    from brandkit.rendering import RenderedAsset

__all__ = ["write_web_head"]

_ICONS = (  # target, purpose
    ("pwa.icon-192", "any"),
    ("pwa.icon-512", "any"),
    ("pwa.maskable-192", "maskable"),
    ("pwa.maskable-512", "maskable"),
)


def _name(asset: RenderedAsset) -> str:
    return asset.path.name


def manifest(brand: Brand, assets: t.Mapping[str, RenderedAsset]) -> dict[str, t.Any]:
    identity = brand.identity
    icons = [
        {
            "src": _name(assets[target]),
            "sizes": f"{assets[target].width}x{assets[target].height}",
            "type": "image/png",
            "purpose": purpose,
        }
        for target, purpose in _ICONS
        if target in assets
    ]
    out: dict[str, t.Any] = {
        "name": identity.name,
        "short_name": identity.short_name or identity.name,
        "icons": icons,
        "theme_color": hex_of(brand.colors.primary),
        "background_color": hex_of(brand.colors.background),
        "display": "standalone",
        "start_url": "/",
    }
    if identity.tagline:
        out["description"] = identity.tagline
    return out


def _inline(svg: str, prefix: str) -> str:
    """An SVG file as an element to nest: no XML declaration, ids made unique with ``prefix``."""
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", svg).strip()
    # the nested root fills the outer viewport: its own width and height would fix its size
    body = re.sub(
        r"<svg\b[^>]*>",
        lambda m: re.sub(r'\s(?:width|height)="[^"]*"', "", m.group(0)),
        body,
        count=1,
    )
    ids = re.findall(r'\bid="([^"]+)"', body)
    for name in ids:
        body = body.replace(f'id="{name}"', f'id="{prefix}{name}"')
        body = body.replace(f"url(#{name})", f"url(#{prefix}{name})")
        body = body.replace(f'href="#{name}"', f'href="#{prefix}{name}"')
    return body


def favicon_svg(brand: Brand) -> str | None:
    """The mark as an SVG favicon; with a dark mark, both, switched by ``prefers-color-scheme``
    (browsers apply the SVG's own media queries to the tab's colour scheme)."""
    mark = brand.logos.mark
    if mark.path.suffix.lower() != ".svg":
        return None
    light = mark.path.read_text(encoding="utf-8")
    if mark.dark is None or mark.dark.suffix.lower() != ".svg":
        return light
    dark = mark.dark.read_text(encoding="utf-8")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        "<style>.dark{display:none}"
        "@media (prefers-color-scheme: dark){.light{display:none}.dark{display:inline}}</style>"
        f'<g class="light">{_inline(light, "l-")}</g><g class="dark">{_inline(dark, "d-")}</g>'
        "</svg>\n"
    )


def head_html(
    brand: Brand, assets: t.Mapping[str, RenderedAsset], has_svg: bool, base: str = "/"
) -> str:
    """The lines for a page's ``<head>``; ``base`` is where the web/ files are served from."""
    lines = []
    if "favicon.ico" in assets:
        lines.append(f'<link rel="icon" href="{base}{_name(assets["favicon.ico"])}" sizes="any">')
    if has_svg:
        lines.append(f'<link rel="icon" href="{base}favicon.svg" type="image/svg+xml">')
    if "apple-touch-icon" in assets:
        touch = assets["apple-touch-icon"]
        lines.append(f'<link rel="apple-touch-icon" href="{base}{_name(touch)}">')
    lines.append(f'<link rel="manifest" href="{base}site.webmanifest">')
    lines.append(f'<meta name="theme-color" content="{hex_of(brand.colors.primary)}">')
    for account in brand.accounts:  # Mastodon shows a profile link as verified when it links back
        if isinstance(account.options, MastodonSettings):
            profile = f"{account.options.instance.rstrip('/')}/@{account.options.handle}"
            lines.append(f'<link rel="me" href="{escape(profile)}">')
    og = assets.get("og.image")
    if og is not None:
        site = (brand.identity.website or "").rstrip("/")
        url = f"{site}{base}{_name(og)}" if site else f"{base}{_name(og)}"
        alt = escape(brand.logos.mark.alt or brand.identity.name)
        kind = "image/png" if og.path.suffix == ".png" else "image/jpeg"
        lines += [
            f'<meta property="og:image" content="{escape(url)}">',
            f'<meta property="og:image:type" content="{kind}">',
            f'<meta property="og:image:width" content="{og.width}">',
            f'<meta property="og:image:height" content="{og.height}">',
            f'<meta property="og:image:alt" content="{alt}">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:image" content="{escape(url)}">',
            f'<meta name="twitter:image:alt" content="{alt}">',
        ]
    return "\n".join(lines) + "\n"


def write_web_head(
    brand: Brand, out_dir: Path, assets: t.Mapping[str, RenderedAsset]
) -> list[Path]:
    """Write the three files into ``out/web/`` when the web icons were rendered; a file is
    rewritten only when its content changes (the render cache sees the same bytes)."""
    if not any(target in assets for target, _ in _ICONS) and "favicon.ico" not in assets:
        return []
    web = out_dir / "web"
    svg = favicon_svg(brand)
    files = {
        "site.webmanifest": json.dumps(manifest(brand, assets), indent=2, ensure_ascii=False),
        "head.html": head_html(brand, assets, svg is not None),
    }
    if svg is not None:
        files["favicon.svg"] = svg
    written = []
    for name, text in files.items():
        path = web / name
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            atomic_write(path, data)
        written.append(path)
    return written
