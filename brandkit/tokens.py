"""The brand as design tokens, for the web team: DTCG 2025.10 (``.tokens.json``), CSS custom
properties, SCSS variables, a Tailwind v4 ``@theme`` block, and a Posit ``_brand.yml``.

Colour roles (primary, background...) are aliases of the palette entry with the same colour,
so a change to the palette flows through. Names follow brand.yml's where it has them
(``--brand-<palette name>``, ``--brand-primary``, typography ``base`` and ``headings``).
"""

from __future__ import annotations

import json
import re
import typing as t
from pathlib import Path

import yaml
from PIL import ImageFont

from brandkit._resources import assets_dir
from brandkit.colors import RGB, hex_of
from brandkit.spec.brandyml import COLOUR_ROLES
from brandkit.spec.model import Brand, Font
from brandkit.textsafe import comment_text, css_families

__all__ = ["FORMATS", "export"]

FORMATS = ("dtcg", "css", "scss", "tailwind", "brand-yml")
ROLES = ("primary", "secondary", "accent", "background", "foreground", "on_primary")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "colour"


def _roles(brand: Brand) -> dict[str, RGB]:
    colors = brand.colors
    found = {role: getattr(colors, role) for role in ROLES}
    return {role: value for role, value in found.items() if value is not None}


def _palette_name(brand: Brand, value: RGB) -> str | None:
    return next((name for name, colour in brand.colors.palette if colour == value), None)


def _weight(font: Font) -> int:
    try:
        style = ImageFont.truetype(str(font.path), 12).getname()[1] or ""
    except OSError:
        return 400
    names = {"thin": 100, "light": 300, "medium": 500, "semibold": 600, "bold": 700}
    return next((w for word, w in names.items() if word in style.lower().replace(" ", "")), 400)


def _families(font: Font) -> list[str]:
    fallback = [f.strip().strip("'\"") for f in (font.fallback or "").split(",") if f.strip()]
    return [font.family, *fallback]


def _relative(path: Path, base: Path) -> str:
    """Where an export names a file: relative to the output's folder. A file outside that
    folder is named where ``copies`` puts it (its own folder's name, then its name), so the
    export reads back as the same brand: a spec may only name files inside its folder."""
    path, base = path.resolve(), base.resolve()
    if path.is_relative_to(base):
        return path.relative_to(base).as_posix()
    return f"{path.parent.name}/{path.name}"


def copies(brand: Brand, fmt: str, base: Path) -> list[tuple[Path, Path]]:
    """(file, where to copy it) for each file an export in ``fmt`` names that lies outside
    ``base``: written beside the export, it reads back."""
    if fmt not in ("brand-yml", "dtcg"):
        return []
    logos = [brand.logos.mark, *([brand.logos.wordmark] if brand.logos.wordmark else [])]
    files = [p for logo in logos for p in (logo.path, logo.dark) if p is not None]
    bundled = assets_dir() / "fonts"
    if fmt == "brand-yml":
        fonts = (brand.typography.body, brand.typography.heading)
        files += [f.path for f in fonts if f.path.parent != bundled]
    base = base.resolve()
    out = []
    for path in dict.fromkeys(p.resolve() for p in files):
        if not path.is_relative_to(base):
            out.append((path, base / _relative(path, base)))
    return out


# -- DTCG ------------------------------------------------------------------------------------
def _colour_value(value: RGB) -> dict[str, t.Any]:
    return {
        "colorSpace": "srgb",
        "components": [round(c / 255, 4) for c in value],
        "alpha": 1,
        "hex": hex_of(value),
    }


def dtcg(brand: Brand, base: Path) -> dict[str, t.Any]:
    """The DTCG Format Module 2025.10 document (validated against the official schema in
    tests/fidelity)."""
    palette = {
        _slug(name): {"$value": _colour_value(value)} for name, value in brand.colors.palette
    }
    roles: dict[str, t.Any] = {}
    for role, value in _roles(brand).items():
        name = _palette_name(brand, value)
        roles[role.replace("_", "-")] = {
            "$value": f"{{color.palette.{_slug(name)}}}" if name else _colour_value(value)
        }
    fonts: dict[str, t.Any] = {}
    type_styles: dict[str, t.Any] = {}
    for role, font, size, height in (
        ("headings", brand.typography.heading, 2.0, 1.2),
        ("base", brand.typography.body, 1.0, 1.5),
    ):
        fonts[role] = {"$type": "fontFamily", "$value": _families(font)}
        type_styles[role] = {
            "$type": "typography",
            "$value": {
                "fontFamily": f"{{font.{role}}}",
                "fontSize": {"value": size, "unit": "rem"},
                "fontWeight": _weight(font),
                "letterSpacing": {"value": 0, "unit": "px"},
                "lineHeight": height,
            },
        }
    logos: dict[str, t.Any] = {}
    for which in ("mark", "wordmark"):
        logo = getattr(brand.logos, which)
        if logo is not None:
            entry = {"path": _relative(logo.path, base)}
            if logo.dark is not None:
                entry["dark"] = _relative(logo.dark, base)
            if logo.alt:
                entry["alt"] = logo.alt
            logos[which] = entry
    return {
        "$description": f"{brand.identity.name}: design tokens exported by brandkit",
        "color": {
            "$type": "color",
            "palette": palette,
            **roles,
        },
        "font": fonts,
        "typography": type_styles,
        # DTCG has no type for files: the logos travel as an extension
        "$extensions": {"org.brandkit": {"logos": logos, "name": brand.identity.name}},
    }


# -- CSS, SCSS, Tailwind ---------------------------------------------------------------------
def _variables(brand: Brand) -> list[tuple[str, str]]:
    out = [(f"brand-{_slug(name)}", hex_of(value)) for name, value in brand.colors.palette]
    for role, value in _roles(brand).items():
        name = _palette_name(brand, value)
        out.append(
            (
                f"brand-{role.replace('_', '-')}",
                f"var(--brand-{_slug(name)})" if name else hex_of(value),
            )
        )
    for role, font in (("headings", brand.typography.heading), ("base", brand.typography.body)):
        out.append((f"brand-font-{role}", css_families(_families(font))))
    return out


def css(brand: Brand) -> str:
    body = "\n".join(f"  --{name}: {value};" for name, value in _variables(brand))
    name = comment_text(brand.identity.name)
    return f"/* {name}: exported by brandkit */\n:root {{\n{body}\n}}\n"


def scss(brand: Brand) -> str:
    lines = [f"// {comment_text(brand.identity.name)}: exported by brandkit"]
    for name, value in _variables(brand):
        if value.startswith("var(--"):
            value = "$" + value[len("var(--") : -1]  # the SCSS variable it names
        lines.append(f"${name}: {value};")
    return "\n".join(lines) + "\n"


def tailwind(brand: Brand) -> str:
    """A Tailwind CSS v4 ``@theme`` block: ``bg-brand-primary``, ``font-headings``..."""
    lines = [f"/* {comment_text(brand.identity.name)}: exported by brandkit */", "@theme {"]
    for name, value in _variables(brand):
        if name.startswith("brand-font-"):
            lines.append(f"  --font-{name[len('brand-font-') :]}: {value};")
        else:
            value = value.replace("var(--brand-", "var(--color-brand-")
            lines.append(f"  --color-{name}: {value};")
    return "\n".join(lines + ["}"]) + "\n"


# -- Posit _brand.yml ------------------------------------------------------------------------
def brand_yml(brand: Brand, base: Path) -> str:
    """A ``_brand.yml`` that brandkit (and Quarto, Shiny) read back as the same brand: what
    brand.yml has no place for goes under ``defaults.brandkit``."""
    identity = brand.identity
    meta: dict[str, t.Any] = {"name": {"full": identity.name}}
    if identity.short_name:
        meta["name"]["short"] = identity.short_name
    links = dict(identity.links)
    if identity.website:
        links = {"home": identity.website, **links}
    if links:
        meta["link"] = links
    images: dict[str, t.Any] = {}
    logo: dict[str, t.Any] = {"images": images}
    for which, size in (("mark", "small"), ("wordmark", "large")):
        entry = getattr(brand.logos, which)
        if entry is None:
            continue
        images[which] = {
            "path": _relative(entry.path, base),
            **({"alt": entry.alt} if entry.alt else {}),
        }
        logo[size] = {"light": which}
        if entry.dark is not None:
            images[f"{which}-dark"] = {"path": _relative(entry.dark, base)}
            logo[size]["dark"] = f"{which}-dark"
    palette = {_slug(name): hex_of(value) for name, value in brand.colors.palette}
    color: dict[str, t.Any] = {"palette": palette}
    for role, native in COLOUR_ROLES:
        value = getattr(brand.colors, native)
        if value is not None:
            name = _palette_name(brand, value)
            color[role] = _slug(name) if name else hex_of(value)
    fonts: list[dict[str, t.Any]] = []
    typography: dict[str, t.Any] = {"fonts": fonts}
    bundled = assets_dir() / "fonts"
    for role, font in (("base", brand.typography.body), ("headings", brand.typography.heading)):
        typography[role] = {"family": font.family, "weight": _weight(font)}
        if font.path.parent == bundled:
            continue  # a bundled font: brandkit reads the family name back as that font
        fonts.append(
            {
                "family": font.family,
                "source": "file",
                "files": [{"path": _relative(font.path, base), "weight": _weight(font)}],
            }
        )
    extra: dict[str, t.Any] = {}
    own = {
        "tagline": identity.tagline,
        "location": identity.location,
    }
    extra_identity: dict[str, t.Any] = {k: v for k, v in own.items() if v}
    bio = {k: v for k, v in (("short", identity.bio.short), ("long", identity.bio.long)) if v}
    if bio:
        extra_identity["bio"] = bio
    if extra_identity:
        extra["identity"] = extra_identity
    on_primary = _palette_name(brand, brand.colors.on_primary)
    extra["colors"] = {
        "on_primary": _slug(on_primary) if on_primary else hex_of(brand.colors.on_primary)
    }
    doc: dict[str, t.Any] = {"meta": meta, "logo": logo, "color": color}
    doc["typography"] = typography
    doc["defaults"] = {"brandkit": extra}
    # two fonts of one family: brand.yml lists it once with both files
    by_family: dict[str, dict[str, t.Any]] = {}
    for listed in fonts:
        seen = by_family.setdefault(listed["family"], {**listed, "files": []})
        for f in listed["files"]:
            if f not in seen["files"]:
                seen["files"].append(f)
    typography["fonts"] = list(by_family.values())
    if not typography["fonts"]:
        del typography["fonts"]
    header = f"# {comment_text(identity.name)}: a Posit brand.yml exported by brandkit\n"
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def export(brand: Brand, fmt: str, base: Path) -> str:
    """The brand in ``fmt`` (one of FORMATS); paths are written relative to ``base``, the
    folder the output goes to."""
    if fmt == "dtcg":
        return json.dumps(dtcg(brand, base), indent=2, ensure_ascii=False) + "\n"
    if fmt == "brand-yml":
        return brand_yml(brand, base)
    return {"css": css, "scss": scss, "tailwind": tailwind}[fmt](brand)
