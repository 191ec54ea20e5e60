"""What ``render`` would warn about, known before anything is drawn (``validate`` runs these).

Each check works on small probes, never a full render: whether each target's logo reads on its
background (after the choices render makes: other variant, palette background, knockout),
characters no font can draw, ``<text>`` in SVG logos set in fonts brandkit does not have, and
marks that cannot fill a square.
"""

from __future__ import annotations

import re
import typing as t
import xml.parsers.expat
from pathlib import Path

from PIL import Image

from brandkit.colors import hex_of
from brandkit.i18n import N_, msg
from brandkit.platforms import Target, all_targets
from brandkit.rendering.fonts import describe, family_name, missing_glyphs, svg_fonts
from brandkit.rendering.layout import Composer

if t.TYPE_CHECKING:
    from brandkit.spec.model import Brand, Logo

__all__ = ["Finding", "Problem", "preflight", "visible_size_problems"]

Finding = tuple[tuple[t.Any, ...], str]  # (spec path, message): a warning
Problem = tuple[tuple[t.Any, ...], str]  # (spec path, message): an error (render would fail)

GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
WIDE = 2.0  # a mark this many times wider (or taller) than the other way cannot fill a square
FAVICON_MIN_PX = 6  # the mark's short side at 16 px below which nobody recognises it


def preflight(brand: Brand, composer: Composer | None = None) -> list[Finding]:
    """What render would warn about, judged on small probes. ``composer``: one already holding
    the brand's decoded logos (visible_size_problems'), so each file is decoded once."""
    known = all_targets()
    targets = [known[name] for name in brand.render.targets if name in known]
    composer = composer or Composer(brand)
    composer.prepare(targets)  # the full-size source is let go once its levels exist
    findings: list[Finding] = []
    findings += _unreadable_logos(composer, targets)
    findings += _missing_glyphs(brand, targets)
    findings += _svg_text_fonts(brand)
    findings += _mark_shape(composer, targets)
    return findings


def _logo_path(brand: Brand, which: str, file: Path) -> tuple[str, ...]:
    logo = t.cast("Logo", getattr(brand.logos, which))
    return ("logos", which, "dark" if file == logo.dark else "path")


# -- the logo on each background -------------------------------------------------------------
def _unreadable_logos(composer: Composer, targets: list[Target]) -> list[Finding]:
    """What render will say of each target's logo (the palette background, the other variant,
    a plate, a knockout, or that nothing reads), decided by the very calls render makes, on a
    probe: one finding per choice, naming every target it applies to."""
    brand = composer.brand
    said: dict[tuple[str, str], list[str]] = {}  # (logo, note) -> targets
    notes_of: dict[tuple[str, str], str] = {}
    for target in targets:
        style = brand.render.style_for(target.name)
        notes: list[str] = []
        bg = composer.chosen_background(target, style, notes)
        which, _ = composer.pick_logo(target, style)
        composer.treatment(target, style, bg, notes)
        for note in notes:
            said.setdefault((which, str(note)), []).append(target.name)
            notes_of[(which, str(note))] = note
    return [
        (("logos", which), msg("{target}: {note}", target=", ".join(names), note=notes_of[key]))
        for key, names in said.items()
        for which in (key[0],)
    ]


# -- characters the fonts cannot draw --------------------------------------------------------
def _missing_glyphs(brand: Brand, targets: list[Target]) -> list[Finding]:
    with_text = [
        t.name
        for t in targets
        if t.layout == "banner" and brand.render.style_for(t.name).text is not False
    ]
    if not with_text:
        return []
    identity, fonts = brand.identity, brand.typography
    texts = [
        ("name", identity.name, fonts.heading.path),
        ("short_name", identity.short_name, fonts.heading.path),
        ("tagline", identity.tagline, fonts.body.path),
    ]
    findings: list[Finding] = []
    for field, text, font in texts:
        lost = missing_glyphs(text, str(font)) if text else []
        if lost:
            chars = ", ".join(describe(ch) for ch in lost)
            findings.append(
                (
                    ("identity", field),
                    msg(
                        "{chars}: in no font brandkit has ({font} and the bundled Inter and Noto "
                        "Emoji), so it would print as a box on {targets}; remove it or set a "
                        "typography font that has it",
                        chars=chars,
                        font=family_name(font) or font.name,
                        targets=", ".join(with_text),
                    ),
                )
            )
    return findings


# -- <text> in SVG logos -----------------------------------------------------------------------
def _svg_text_fonts(brand: Brand) -> list[Finding]:
    fonts = svg_fonts(brand)
    have = {(family_name(f) or "").casefold() for f in fonts.files} | GENERIC_FAMILIES
    findings: list[Finding] = []
    for which in ("mark", "wordmark"):
        logo = getattr(brand.logos, which)
        for file in (logo.path, logo.dark) if logo is not None else ():
            if file is None or file.suffix.lower() != ".svg":
                continue
            for line, families in svg_text_families(file):
                wanted = next((f for f in families if f.casefold() in have), None)
                missing = [f for f in families if f.casefold() not in have]
                if wanted is not None and families.index(wanted) == 0:
                    continue
                if not missing:
                    continue
                drawn = fonts.family if wanted is None or wanted in GENERIC_FAMILIES else wanted
                findings.append(
                    (
                        _logo_path(brand, which, file),
                        msg(
                            "{file} line {line}: <text> asks for the font {fonts}, which brandkit "
                            "does not have, so it is drawn in {drawn}; add that font's file under "
                            "typography, or convert the text to paths in the SVG (Inkscape: Path "
                            "> Object to Path)",
                            file=file.name,
                            line=line,
                            fonts=", ".join(repr(f) for f in missing),
                            drawn=drawn,
                        ),
                    )
                )
    return findings


_CSS_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.IGNORECASE)
_TEXT_ELEMENTS = {"text", "tspan", "textPath"}


def _families(value: str) -> list[str]:
    return [f.strip().strip("'\"") for f in value.split(",") if f.strip().strip("'\"")]


def svg_text_families(path: Path) -> list[tuple[int, list[str]]]:
    """Each ``<text>`` (and ``<tspan>``) with the font families it asks for, inherited from its
    parents or set in CSS, with its line. Unparseable files give nothing (render says why)."""
    found: list[tuple[int, list[str]]] = []
    stack: list[list[str] | None] = [None]
    css: list[str] = []
    in_style = [False]
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        own = attrs.get("font-family")
        style = _CSS_FAMILY.search(attrs.get("style", ""))
        value = style.group(1) if style else own
        families = _families(value) if value else stack[-1]
        stack.append(families)
        in_style[0] = local == "style"
        if local in _TEXT_ELEMENTS and families:
            found.append((parser.CurrentLineNumber, families))

    def end(name: str) -> None:
        stack.pop()
        in_style[0] = False

    def data(text: str) -> None:
        if in_style[0]:
            css.append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    # entities are never expanded from outside the file (no external DTDs are fetched)
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except (OSError, xml.parsers.expat.ExpatError):
        return []
    for rule in _CSS_FAMILY.finditer("".join(css)):
        found.append((1, _families(rule.group(1))))
    return found


def visible_size_problems(brand: Brand, composer: Composer | None = None) -> list[Problem]:
    """A raster mark whose visible part (its file's empty margins left out) is smaller than a
    square target draws it: render would refuse it, so validate says so first."""
    if brand.render.allow_upscale or brand.logos.mark.path.suffix.lower() in (".svg", ".svgz"):
        return []
    known = all_targets()
    composer = composer or Composer(brand)
    source = composer.source(brand.logos.mark.path)
    x0, y0, x1, y1 = source.visible
    vis_w, vis_h = source.info.width * (x1 - x0), source.info.height * (y1 - y0)
    need, where = 0, ""
    for name in brand.render.targets:
        target = known.get(name)
        if target is None or target.layout != "icon":
            continue
        bx0, by0, bx1, by1 = target.content_box(brand.render.style_for(name).padding)
        side = min(bx1 - bx0, by1 - by0)  # the longer visible side is drawn this long
        if side > need:
            need, where = side, name
    have = round(max(vis_w, vis_h))
    if need <= have:
        return []
    return [
        (
            ("logos", "mark", "path"),
            msg(
                "the visible part of {file} is {width}x{height} px (the rest of the file is empty "
                "margin) but {target} draws it {need} px across: supply a file whose logo is at "
                "least {need} px across, use an SVG, or set render.allow_upscale: true",
                file=brand.logos.mark.path.name,
                width=round(vis_w),
                height=round(vis_h),
                target=where,
                need=need,
            ),
        )
    ]


# -- marks that cannot fill a square ---------------------------------------------------------
def _mark_shape(composer: Composer, targets: list[Target]) -> list[Finding]:
    brand = composer.brand
    squares = [t.name for t in targets if t.layout == "icon"]
    if not squares:
        return []
    path = brand.logos.mark.path
    source = composer.source(path)
    findings: list[Finding] = []
    spec_path = ("logos", "mark", "path")
    aspect = source.aspect
    stretch = max(aspect, 1 / aspect)
    if stretch >= WIDE:
        said = (
            N_(
                "{file} is {times} times wider than tall: square images ({targets}) show it as a "
                "thin strip; give a square symbol or monogram as logos.mark and the wide logo as "
                "logos.wordmark"
            )
            if aspect > 1
            else N_(
                "{file} is {times} times taller than wide: square images ({targets}) show it as "
                "a thin strip; give a square symbol or monogram as logos.mark and the wide logo as "
                "logos.wordmark"
            )
        )
        listed = ", ".join(squares[:4]) + (", …" if len(squares) > 4 else "")
        findings.append(
            (spec_path, msg(said, file=path.name, times=f"{stretch:.1f}", targets=listed))
        )
    if "favicon.ico" in squares:
        style = brand.render.style_for("favicon.ico")
        padding = style.padding if style.padding is not None else 0.1
        short = 16 * (1 - 2 * padding) / stretch
        if short < FAVICON_MIN_PX:
            findings.append(
                (
                    spec_path,
                    msg(
                        "at 16 px (favicon.ico) {file} is {short} px on its short side, too small "
                        "to recognise; a square mark keeps the favicon legible",
                        file=path.name,
                        short=f"{short:.0f}",
                    ),
                )
            )
    if source.info.format == "GIF":
        with Image.open(path) as gif:
            frames = getattr(gif, "n_frames", 1)
        if frames > 1:
            findings.append(
                (
                    spec_path,
                    msg(
                        "{file} is animated ({frames} frames): its first frame is used",
                        file=path.name,
                        frames=frames,
                    ),
                )
            )
    flat = source.flat_background  # known once decoded: the render's own decode says it
    if flat is not None:  # opaque on a flat colour: cleared at render
        findings.append(
            (
                spec_path,
                msg(
                    "{file} is opaque on a flat {colour} background; brandkit clears that "
                    "colour from the edges inwards, which can leave a pale fringe: a PNG or "
                    "SVG with a transparent background is better",
                    file=path.name,
                    colour=hex_of(flat),
                ),
            )
        )
    return findings
