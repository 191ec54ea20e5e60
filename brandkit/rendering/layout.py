"""Compose one target's image: icons (a mark on a background) and banners (a lockup in the safe
zone)."""

from __future__ import annotations

import dataclasses
import math
import threading
import typing as t
import weakref
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from brandkit.colors import RGB, contrast_ratio, hex_of
from brandkit.errors import RenderError
from brandkit.i18n import msg
from brandkit.platforms import Box, Target
from brandkit.rendering.logos import LogoSource
from brandkit.rendering.svg import SvgRasteriser
from brandkit.rendering.text import TextBlock, fit_text
from brandkit.spec.model import Brand, Logo, TargetStyle

__all__ = ["Composer", "Composed"]

WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)


@dataclasses.dataclass(frozen=True, slots=True)
class Treatment:
    """How a target draws its logo: ``original`` (the file as it is: the one for the
    background, or its other variant), ``knockout`` (one colour), ``plate`` (on a plate)."""

    kind: t.Literal["original", "knockout", "plate"]
    file: Path
    colour: RGB | None = None  # the knockout's or the plate's


@dataclasses.dataclass(frozen=True, slots=True)
class Composed:
    image: Image.Image
    content: Box  # where content was allowed to go
    warnings: list[str]


# a decoded logo as one composer hands it to the next: the file as it was when decoded (path,
# size, time, inode, upscaling allowed), and the source
FileKey = tuple[str, int, int, int, bool]
DecodedLogos = t.Mapping[Path, tuple[FileKey, LogoSource]]


def _file_key(path: Path, allow_upscale: bool) -> FileKey | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino, allow_upscale)


def is_dark(colour: RGB) -> bool:
    return contrast_ratio(colour, WHITE) > contrast_ratio(colour, BLACK)


class Composer:
    """Per-brand rendering state: logo sources are opened once and shared by every target."""

    def __init__(
        self,
        brand: Brand,
        rasteriser: SvgRasteriser | None = None,
        decoded: DecodedLogos | None = None,
    ) -> None:
        """``decoded``: raster logos another composer decoded already (validate's render checks
        decode a 4000x4000 logo in 0.3 s that the render needs again); a file that changed since
        is decoded afresh."""
        self.brand = brand
        self.rasteriser = rasteriser  # None: each source rasterises SVG in the calling thread
        self._sources: dict[Path, LogoSource] = {}
        self._decoded = dict(decoded or {})
        self._lock = threading.Lock()

    def source(self, path: Path) -> LogoSource:
        with self._lock:
            src = self._sources.get(path)
            if src is None:
                upscale = self.brand.render.allow_upscale
                key, offered = self._decoded.pop(path, (None, None))
                if offered is not None and key == _file_key(path, upscale):
                    src = offered
                else:
                    src = LogoSource(path, allow_upscale=upscale, rasteriser=self.rasteriser)
                self._sources[path] = src
            return src

    def decoded_logos(self) -> DecodedLogos:
        """The raster logos this composer decoded, for the next one (``decoded``)."""
        with self._lock:
            return {
                path: (key, src)
                for path, src in self._sources.items()
                if src.info.kind == "raster" and (key := _file_key(path, src.allow_upscale))
            }

    def prepare(self, targets: t.Iterable[Target]) -> None:
        """Decode the raster logos these targets draw before they start (LogoSource.prepare). A
        logo that cannot be read is left for the targets, which each report it. The file is the
        one for the target's configured background: deciding an automatic one means rendering
        probes, which the targets do in parallel anyway (an icon that switches to its other
        variant decodes it then)."""
        paths = []
        for target in targets:
            style = self.brand.render.style_for(target.name)
            _, logo = self.pick_logo(target, style)
            paths.append(self.logo_file(logo, self.background(target, style)))
        try:
            for path in dict.fromkeys(paths):
                if path.suffix.lower() not in (".svg", ".svgz"):
                    self.source(path).prepare()
        except RenderError:
            pass

    # -- choices --------------------------------------------------------------
    def background(self, target: Target, style: TargetStyle) -> RGB | None:
        if style.background is not None:
            return style.background
        if target.layout == "banner":
            return self.brand.colors.primary
        if target.background == "transparent" and not target.opaque:
            return None
        return self.brand.colors.background

    def text_colour(self, bg: RGB) -> RGB:
        colors = self.brand.colors
        preferred = [colors.on_primary] if bg == colors.primary else []
        candidates = preferred + [colors.foreground, colors.background, colors.on_primary]
        for c in candidates:
            if contrast_ratio(c, bg) >= 4.5:
                return c
        return max((WHITE, BLACK), key=lambda c: contrast_ratio(c, bg))

    def logo_file(self, logo: Logo, bg: RGB | None) -> Path:
        if bg is not None and is_dark(bg) and logo.dark is not None:
            return logo.dark
        return logo.path

    def pick_logo(self, target: Target, style: TargetStyle) -> tuple[str, Logo]:
        logos = self.brand.logos
        wanted = style.logo or (
            "wordmark" if target.layout == "banner" and logos.wordmark else "mark"
        )
        if wanted == "wordmark" and logos.wordmark is not None:
            return "wordmark", logos.wordmark
        return "mark", logos.mark

    # -- composition ------------------------------------------------------------
    def compose(
        self, target: Target, style: TargetStyle, size: tuple[int, int] | None = None
    ) -> Composed:
        if size is not None and size != target.size:
            target = dataclasses.replace(target, size=size, safe=None, keep_out=())
        notes: list[str] = []  # the choices made for the logo, said without the target's name
        bg = self.chosen_background(target, style, notes)
        mode = "RGBA" if bg is None else "RGB"
        canvas = Image.new(mode, target.size, (0, 0, 0, 0) if bg is None else bg)
        if target.layout == "icon":
            box = target.content_box(style.padding)
            self._icon(canvas, target, style, bg, box, notes)
        else:
            box = usable_box(target, style)
            self._banner(canvas, target, style, bg or self.brand.colors.primary, box, notes)
        warnings: list[str] = [msg("{target}: {note}", target=target.name, note=n) for n in notes]
        return Composed(canvas, box, warnings)

    def _paste(self, canvas: Image.Image, logo: Image.Image, x: int, y: int) -> None:
        if canvas.mode == "RGBA":
            canvas.alpha_composite(logo, (x, y))
        else:
            canvas.paste(logo, (x, y), logo)

    def _check_logo_contrast(
        self, logo: Image.Image, bg: RGB | None, which: str, warnings: list[str]
    ) -> None:
        if bg is None:
            return
        share = legible_share(logo, bg)
        if share is not None and share < LEGIBLE:
            warnings.append(
                msg(
                    "does not read on {colour}: only {share} of the {which} reaches 3:1 contrast "
                    "and logo_treatment: original keeps it as drawn; add logos.{which}.dark (a "
                    "variant for this background) or set render.overrides.<target>.background",
                    colour=hex_of(bg),
                    share=f"{share:.0%}",
                    which=which,
                )
            )
            return
        # share of the logo that melts into the background (e.g. coral rays on a coral cover)
        lost = _share(logo, bg, "lost")
        if lost is not None and lost > 0.08:
            warnings.append(
                msg(
                    "{share} of the {which} has almost no contrast with the background "
                    "{colour}; add logos.{which}.dark or choose another background",
                    share=f"{lost:.0%}",
                    which=which,
                    colour=hex_of(bg),
                )
            )

    def chosen_background(
        self, target: Target, style: TargetStyle, warnings: list[str] | None = None
    ) -> RGB | None:
        """The background the target is drawn on: ``background``, or for an icon whose mark
        does not read on it, the palette colour it reads best on (said in ``warnings``)."""
        bg = self.background(target, style)
        if target.layout != "icon" or bg is None:
            return bg
        return self._icon_background(target, style, bg, [] if warnings is None else warnings)

    def _icon_background(
        self, target: Target, style: TargetStyle, bg: RGB, warnings: list[str]
    ) -> RGB:
        """An icon keeps its mark's colours (they are what people recognise at 48 px): when the
        mark, and its other variant, do not read on the background, and the spec does not pin
        one, take the palette colour the mark reads best on."""
        if style.background is not None or (style.logo_treatment or "auto") != "auto":
            return bg
        which, logo = self.pick_logo(target, style)

        def share(colour: RGB) -> float:
            source = self.source(self.logo_file(logo, colour))
            probe = source.fitted(PROBE_SIDE, PROBE_SIDE, target=target.name)
            return legible_share(probe, colour) or 0.0

        here = share(bg)
        if here >= LEGIBLE:
            return bg
        colors = self.brand.colors
        candidates = [colors.primary, colors.background, colors.foreground, colors.on_primary]
        candidates += [c for c in (colors.secondary, colors.accent) if c is not None]
        candidates += [c for _, c in colors.palette]
        scored = [(share(c), c) for c in dict.fromkeys(candidates) if c != bg]
        best_share, best = max(scored, default=(0.0, bg))
        if best_share < LEGIBLE:
            return bg  # none reads: the logo itself is changed (variant or knockout)
        warnings.append(
            msg(
                "only {share} of the {which} reads on {colour}; background {best} from the "
                "palette instead ({best_share} reads; set a background for this target to choose "
                "another)",
                share=f"{here:.0%}",
                which=which,
                colour=hex_of(bg),
                best=hex_of(best),
                best_share=f"{best_share:.0%}",
            )
        )
        return best

    def logo_box(self, target: Target, style: TargetStyle) -> tuple[int, int]:
        """The box (width, height) the target fits its logo into."""
        if target.layout == "icon":
            x0, y0, x1, y1 = target.content_box(style.padding)
            return x1 - x0, y1 - y0
        x0, y0, x1, y1 = usable_box(target, style)
        which, _ = self.pick_logo(target, style)
        text_on = style.text is not False
        if which == "wordmark" or not text_on:
            tagline = self.brand.identity.tagline if text_on else None
            return x1 - x0, int((y1 - y0) * (0.58 if tagline else 0.8))
        side = int((y1 - y0) * 0.74)  # the mark beside the name
        return side, side

    def treatment(
        self, target: Target, style: TargetStyle, bg: RGB | None, notes: list[str]
    ) -> Treatment:
        """How the target draws its logo on ``bg``, decided on a probe of the logo at the
        target's box shape, and said in ``notes``: ``render`` and ``validate`` both call this,
        so they always reach the same verdict in the same words.

        As drawn when at least 60 % of the logo reaches 3:1 (WCAG's bar for graphics); else its
        other variant if that reads; else a one-colour knockout in the text colour, unless that
        would erase the logo's own inner detail (a flame or letters on a disc); then the logo
        on a plate of a brand colour it reads on. ``logo_treatment`` pins the choice."""
        which, logo = self.pick_logo(target, style)
        box = self.logo_box(target, style)
        chosen = style.logo_treatment or "auto"
        first = self.logo_file(logo, bg)
        probe = self._probe(first, box, target)
        if bg is None or chosen == "original":
            self._check_logo_contrast(probe, bg, which, notes)
            return Treatment("original", first)
        ink = self.text_colour(bg)
        if chosen == "knockout":
            return Treatment("knockout", first, ink)
        if chosen == "plate":
            return Treatment("plate", first, self._plate_colour(probe, bg) or ink)
        share = legible_share(probe, bg)
        if share is None or share >= LEGIBLE:
            return Treatment("original", first)
        said = msg(
            "only {share} of the {which} reads on {colour}",
            share=f"{share:.0%}",
            which=which,
            colour=hex_of(bg),
        )
        other = logo.dark if first == logo.path else logo.path
        if other is not None and other != first:
            other_share = legible_share(self._probe(other, box, target), bg)
            if other_share is not None and other_share >= LEGIBLE:
                variant = msg("dark") if other == logo.dark else msg("light")
                notes.append(
                    msg(
                        "{said}; used its {variant} variant ({share} reads)",
                        said=said,
                        variant=variant,
                        share=f"{other_share:.0%}",
                    )
                )
                return Treatment("original", other)
        if inner_detail(probe) < INNER_DETAIL and contrast_ratio(ink, bg) >= GRAPHIC_CONTRAST:
            notes.append(
                msg(
                    "{said}; drawn as a one-colour knockout in {colour} ({ratio}:1; set "
                    "logo_treatment: original to keep it)",
                    said=said,
                    colour=hex_of(ink),
                    ratio=f"{contrast_ratio(ink, bg):.1f}",
                )
            )
            return Treatment("knockout", first, ink)
        colour = self._plate_colour(probe, bg)
        if colour is not None:
            notes.append(
                msg(
                    "{said}; drawn on a {colour} plate, which keeps the detail inside it that a "
                    "one-colour knockout would erase (set logo_treatment to original, knockout "
                    "or plate to choose)",
                    said=said,
                    colour=hex_of(colour),
                )
            )
            return Treatment("plate", first, colour)
        notes.append(
            msg(
                "{said}, and neither its other variant, a plate nor a one-colour knockout gets "
                "there; add logos.{which}.dark (a variant for this background) or set "
                "render.overrides.<target>.background",
                said=said,
                which=which,
            )
        )
        return Treatment("original", first)

    def _probe(self, path: Path, box: tuple[int, int], target: Target) -> Image.Image:
        """The logo fitted into ``box`` scaled down to a probe (its long side PROBE_SIDE x 2)."""
        scale = min(1.0, 2 * PROBE_SIDE / max(box))
        w, h = max(1, round(box[0] * scale)), max(1, round(box[1] * scale))
        return self.source(path).fitted(w, h, target=target.name)

    def _plate_colour(self, logo: Image.Image, bg: RGB) -> RGB | None:
        """The brand colour the logo reads best on (else white or black) that stands out from
        ``bg``; None when the logo reads on none of them."""
        colors = self.brand.colors
        brand = [colors.background, colors.on_primary, colors.foreground, colors.primary]
        brand += [c for c in (colors.secondary, colors.accent) if c is not None]
        brand += [c for _, c in colors.palette]
        for candidates in (brand, [WHITE, BLACK]):
            scored = [
                (legible_share(logo, c) or 0.0, c)
                for c in dict.fromkeys(candidates)
                if contrast_ratio(c, bg) >= PLATE_CONTRAST
            ]
            share, best = max(scored, default=(0.0, bg))
            if share >= LEGIBLE:
                return best
        return None

    def _legible(
        self,
        bg: RGB | None,
        box: tuple[int, int],
        target: Target,
        style: TargetStyle,
        notes: list[str],
    ) -> Image.Image:
        """The logo as the target draws it on ``bg``, fitted into ``box`` (width, height)."""
        chosen = self.treatment(target, style, bg, notes)
        source = self.source(chosen.file)
        if chosen.kind == "plate":
            return plate(source, box, t.cast(RGB, chosen.colour), target.name)
        img = source.fitted(*box, target=target.name)
        if chosen.kind == "knockout":
            return knockout(img, t.cast(RGB, chosen.colour))
        return img

    def _icon(
        self,
        canvas: Image.Image,
        target: Target,
        style: TargetStyle,
        bg: RGB | None,
        box: Box,
        warnings: list[str],
    ) -> None:
        x0, y0, x1, y1 = box
        img = self._legible(bg, (x1 - x0, y1 - y0), target, style, warnings)
        self._paste(canvas, img, x0 + (x1 - x0 - img.width) // 2, y0 + (y1 - y0 - img.height) // 2)

    def _banner(
        self,
        canvas: Image.Image,
        target: Target,
        style: TargetStyle,
        bg: RGB,
        box: Box,
        warnings: list[str],
    ) -> None:
        which, logo = self.pick_logo(target, style)
        text_on = style.text is not False
        identity = self.brand.identity
        fonts = self.brand.typography
        fg = self.text_colour(bg)
        draw = ImageDraw.Draw(canvas)
        x0, y0, x1, y1 = box
        bw, bh = x1 - x0, y1 - y0
        align = style.layout or "centered"

        def place(width: int) -> int:
            if align == "left":
                return x0
            if align == "right":
                return x1 - width
            return x0 + (bw - width) // 2

        if which == "wordmark" or not text_on:
            tagline = identity.tagline if text_on else None
            img = self._legible(bg, self.logo_box(target, style), target, style, warnings)
            block = None
            if tagline:
                block = fit_text(
                    tagline,
                    fonts.body.path,
                    max_width=bw,
                    max_height=int(bh * 0.3),
                    max_size=max(12, int(img.height * 0.26)),
                    max_lines=2,
                )
            gap = int(img.height * 0.16) if block else 0
            total = img.height + gap + (block.height if block else 0)
            top = y0 + (bh - total) // 2
            self._paste(canvas, img, place(img.width), top)
            if block:
                tx = place(block.width)
                block.draw(
                    draw,
                    tx,
                    top + img.height + gap,
                    fg,
                    align="center" if align == "centered" else align,
                )
            return
        # the mark beside the name, the tagline under the name
        side = self.logo_box(target, style)[0]
        gap = int(side * 0.2)
        text_w = max(1, bw - side - gap)
        name = fit_text(
            identity.short_name
            if identity.short_name and len(identity.name) > 28
            else identity.name,
            fonts.heading.path,
            max_width=text_w,
            max_height=int(side * 0.62),
            max_size=int(side * 0.4),
            max_lines=2,
        )
        tag: TextBlock | None = None
        if identity.tagline:
            tag = fit_text(
                identity.tagline,
                fonts.body.path,
                max_width=text_w,
                max_height=max(1, side - name.height - int(name.size * 0.3)),
                max_size=max(10, int(name.size * 0.46)),
                max_lines=2,
            )
        inner_gap = int(name.size * 0.3) if tag else 0
        text_h = name.height + inner_gap + (tag.height if tag else 0)
        img = self._legible(bg, (side, side), target, style, warnings)
        width = img.width + gap + max(name.width, tag.width if tag else 0)
        left = place(width)
        self._paste(canvas, img, left, y0 + (bh - img.height) // 2)
        tx = left + img.width + gap
        ty = y0 + (bh - text_h) // 2
        name.draw(draw, tx, ty, fg)
        if tag:
            tag.draw(draw, tx, ty + name.height + inner_gap, _soften(fg, bg))


LEGIBLE = 0.6  # share of a logo's visible pixels that must reach GRAPHIC_CONTRAST
# A knockout keeps only the logo's outline: it erases the logo's inner detail (letters or a
# symbol on a disc). Internal edges as a share of all edges, on a 96-px probe: the gallery's
# single-colour and multi-part logos 0-7 %, Lumen's sun with its dark centre 18 %, Lumiere's
# flame on a disc 37 %, Northwind's bean 54-57 %, letters on a badge 56 %.
INNER_DETAIL = 0.12
PLATE_CONTRAST = 1.5  # a plate must stand out from the background it is drawn on
PROBE_SIDE = 96  # the size choices between variants and backgrounds are judged at
GRAPHIC_CONTRAST = 3.0  # WCAG 2.x, non-text contrast (1.4.11) for graphics


_Judged = tuple[
    "weakref.ref[Image.Image]", list[tuple[int, RGB]], dict[tuple[RGB, str], float | None]
]
_judged: dict[int, _Judged] = {}  # by id() of a live image: a probe is judged on many backgrounds


def _visible_colours(logo: Image.Image) -> _Judged:
    """(count, colour) of each distinct colour of the logo's visible pixels on a 32x32 reduction,
    and the shares already worked out for it: validate judges the same probe on the same few
    backgrounds for every target (130 judgements of 9 probes for the three examples)."""
    known = _judged.get(id(logo))
    if known is not None and known[0]() is logo:
        return known
    small = logo.resize((32, 32), Image.Resampling.BOX)
    # a logo has far fewer colours than its 1024 pixels
    colours = [
        (n, (c[0], c[1], c[2]))
        for n, c in t.cast(list[tuple[int, tuple[int, ...]]], small.getcolors(32 * 32))
        if c[3] > 160
    ]
    judged: _Judged = (weakref.ref(logo), colours, {})
    _judged[id(logo)] = judged
    weakref.finalize(logo, _judged.pop, id(logo), None)
    return judged


def _share(logo: Image.Image, bg: RGB, test: str) -> float | None:
    """The share of the logo's visible pixels (on a 32x32 reduction) that are ``"legible"``
    (3:1 or more against ``bg``) or ``"lost"`` (under 1.3:1); None: nothing visible."""
    _, colours, shares = _visible_colours(logo)
    if (bg, test) in shares:
        return shares[(bg, test)]
    shown = sum(n for n, _ in colours)
    share = None
    if shown:
        if test == "legible":
            passing = sum(n for n, c in colours if contrast_ratio(c, bg) >= GRAPHIC_CONTRAST)
        else:
            passing = sum(n for n, c in colours if contrast_ratio(c, bg) < 1.3)
        share = passing / shown
    shares[(bg, test)] = share
    return share


def legible_share(logo: Image.Image, bg: RGB) -> float | None:
    """The share of the logo's visible pixels at 3:1 or more against ``bg`` (None: no pixels)."""
    return _share(logo, bg, "legible")


def inner_detail(logo: Image.Image) -> float:
    """The share of the logo's edges that lie inside it (between two of its own colours, 3:1
    apart or so) rather than on its outline: what a one-colour knockout would erase."""
    if max(logo.size) > PROBE_SIDE:
        logo = logo.copy()
        logo.thumbnail((PROBE_SIDE, PROBE_SIDE), Image.Resampling.BOX)
    solid = logo.getchannel("A").point(lambda v: 255 if v >= 128 else 0)
    light = logo.convert("RGB").convert("L")
    inside = outline = 0
    for dx, dy in ((1, 0), (0, 1)):
        neighbour = ImageChops.offset(solid, dx, dy)
        both = ImageChops.multiply(solid, neighbour)
        step = ImageChops.difference(light, ImageChops.offset(light, dx, dy))
        edge = step.point(lambda v: 255 if v >= 48 else 0)
        inside += ImageChops.multiply(edge, both).histogram()[255]
        outline += ImageChops.difference(solid, neighbour).histogram()[255]
    return inside / (inside + outline) if inside + outline else 0.0


def plate_inset(box: tuple[int, int]) -> int:
    """How far a plate reaches beyond the logo: 6 % of the box's short side."""
    return max(2, round(min(box) * 0.06))


def reach(logo: Image.Image) -> float:
    """How far the logo's visible pixels reach from its centre, in half its long side: 1.0 for a
    disc, about 1.41 for a square badge (its corners)."""
    small = logo.getchannel("A").copy()
    small.thumbnail((64, 64), Image.Resampling.BOX)
    w, h = small.size
    half = max(w, h) / 2
    alpha = small.tobytes()
    far = max(
        (
            math.hypot(x + 0.5 - w / 2, y + 0.5 - h / 2)
            for y in range(h)
            for x in range(w)
            if alpha[y * w + x] >= 128
        ),
        default=half,
    )
    return max(1.0, far / half)


def plate(source: LogoSource, box: tuple[int, int], colour: RGB, target: str) -> Image.Image:
    """The logo on a plate of ``colour`` inside ``box``: a disc for a roughly square logo (a
    round logo gets a ring), a rounded rectangle for a wide or tall one; ``plate_inset`` of
    the plate shows all round. The way a sticker keeps a logo's own colours on any background."""
    inset = plate_inset(box)
    aspect = source.aspect
    scale = 4  # the plate's edge is drawn large and reduced: smooth at any size
    if 0.8 <= aspect <= 1.25:
        side = min(box)
        inner = max(1, int((side - 2 * inset) / reach(source.fitted(64, 64, target=target))))
        logo = source.fitted(inner, inner, target=target)
        size = (side, side)
        shape = Image.new("L", (side * scale, side * scale), 0)
        ImageDraw.Draw(shape).ellipse((0, 0, side * scale - 1, side * scale - 1), fill=255)
    else:
        logo = source.fitted(box[0] - 2 * inset, box[1] - 2 * inset, target=target)
        size = (logo.width + 2 * inset, logo.height + 2 * inset)
        shape = Image.new("L", (size[0] * scale, size[1] * scale), 0)
        ImageDraw.Draw(shape).rounded_rectangle(
            (0, 0, size[0] * scale - 1, size[1] * scale - 1), radius=2 * inset * scale, fill=255
        )
    out = Image.new("RGBA", size, (*colour, 0))
    out.putalpha(shape.resize(size, Image.Resampling.BOX))
    out.alpha_composite(logo, ((size[0] - logo.width) // 2, (size[1] - logo.height) // 2))
    return out


def knockout(logo: Image.Image, colour: RGB) -> Image.Image:
    """The logo in one colour: its shape (alpha) kept, every pixel ``colour``."""
    out = Image.new("RGBA", logo.size, (*colour, 255))
    out.putalpha(logo.getchannel("A"))
    return out


def _soften(fg: RGB, bg: RGB) -> RGB:
    """The tagline colour: the text colour 22 % towards the background, if it stays readable."""
    mixed = t.cast(RGB, tuple(round(f * 0.78 + b * 0.22) for f, b in zip(fg, bg, strict=True)))
    return mixed if contrast_ratio(mixed, bg) >= 4.5 else fg


def usable_box(target: Target, style: TargetStyle) -> Box:
    """The safe zone less any keep-out region (e.g. the avatar over a Twitter banner)."""
    box = target.content_box(style.padding if target.safe is None else None)
    for kx0, ky0, kx1, ky1 in target.keep_out:
        x0, y0, x1, y1 = box
        if kx1 <= x0 or kx0 >= x1 or ky1 <= y0 or ky0 >= y1:
            continue
        candidates: list[Box] = []
        if ky0 > y0:
            candidates.append((x0, y0, x1, ky0))  # above it
        if kx1 < x1:
            candidates.append((kx1, y0, x1, y1))  # beside it: content centres in what stays visible
        if kx0 > x0:
            candidates.append((x0, y0, kx0, y1))
        if candidates:
            box = max(candidates, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    return box
