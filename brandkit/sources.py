"""Logo and font source files: what they are, and whether they are safe to read.

Used by spec validation (to report problems early) and by the renderer (to open them).
Every problem is an ``UnreadableSource`` with a message a user can act on; no PIL or XML
exception escapes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import stat
import typing as t
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageFont, UnidentifiedImageError

from brandkit.i18n import msg

if t.TYPE_CHECKING:
    import xml.etree.ElementTree as ET

__all__ = ["SourceInfo", "UnreadableSource", "inspect_font", "inspect_image", "open_raster"]

RASTER_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF"}  # a GIF: its first frame
MAX_PIXELS = 64_000_000  # 8000x8000; anything larger is refused before decoding
MAX_SVG_BYTES = 5 * 1024 * 1024
MAX_FILE_BYTES = 100 * 1024 * 1024  # any logo or font file; checked before it is read
_SVG_NS = "{http://www.w3.org/2000/svg}"
_HREF_ATTRS = ("href", "{http://www.w3.org/1999/xlink}href")
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)([^)'\"]*)", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


class UnreadableSource(Exception):
    """A source file cannot be used; ``str()`` says why and what to do."""

    @property
    def reason(self) -> str:
        """Why, as a translatable message (English through ``str()``)."""
        return t.cast(str, self.args[0]) if self.args else ""


@dataclasses.dataclass(frozen=True, slots=True)
class SourceInfo:
    path: Path
    kind: t.Literal["svg", "raster"]
    width: int  # intrinsic size; for SVG the viewBox/width in user units (scalable)
    height: int
    format: str


def _plain_file(path: Path, limit: int) -> None:
    """Refuse, before opening it, what is not a regular file (a FIFO would block the read
    forever) or is larger than ``limit`` (a sparse 4 GB file would be read whole)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UnreadableSource(msg("file not found")) from None
    except (OSError, ValueError) as exc:
        raise UnreadableSource(
            msg("cannot read the file: {why}", why=getattr(exc, "strerror", None) or exc)
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableSource(msg("is a folder, not a file"))
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableSource(
            msg("is not a regular file (a pipe, socket or device); name the file itself")
        )
    if st.st_size > limit:
        raise UnreadableSource(
            msg("is {size} bytes; the limit is {limit}", size=f"{st.st_size:,}", limit=f"{limit:,}")
        )


def inspect_image(path: Path) -> SourceInfo:
    _plain_file(path, MAX_FILE_BYTES)
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except FileNotFoundError:
        raise UnreadableSource(msg("file not found")) from None
    except IsADirectoryError:
        raise UnreadableSource(msg("is a folder, not an image file")) from None
    except OSError as exc:
        raise UnreadableSource(msg("cannot read the file: {why}", why=exc.strerror)) from None
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if path.suffix.lower() == ".svg" or text_head.startswith((b"<?xml", b"<svg", b"<!--")):
        return _inspect_svg(path)
    return _inspect_raster(path)


@contextlib.contextmanager
def _pil_errors() -> t.Iterator[None]:
    """PIL's exceptions, and its decompression-bomb warning, as UnreadableSource messages."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UnreadableSource(
                msg("image is too large to open safely (decompression bomb?)")
            ) from None
        except UnidentifiedImageError:
            raise UnreadableSource(msg("not an image, or not a PNG/JPEG file")) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise UnreadableSource(
                msg("damaged or truncated image ({why})", why=_short(exc))
            ) from None


def open_raster(path: Path) -> Image.Image:
    """Open and fully decode a raster source with the same safety limits as inspection."""
    img: Image.Image | None = None
    try:
        with _pil_errors():
            img = Image.open(path)
            _check_pixels(img.size)
            img.load()
    except UnreadableSource:
        _close(img)
        raise
    return img


def _close(img: Image.Image | None) -> None:
    if img is not None:
        img.close()


def _check_pixels(size: tuple[int, int]) -> None:
    w, h = size
    if w * h > MAX_PIXELS:
        raise UnreadableSource(
            msg(
                "image is {width}x{height} pixels, over the {limit} million pixel limit "
                "(a decompression bomb, or far larger than any target needs)",
                width=w,
                height=h,
                limit=MAX_PIXELS // 1_000_000,
            )
        )


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]


def _inspect_raster(path: Path) -> SourceInfo:
    # Check integrity without a full decode (validation must stay fast): PNG chunk CRCs
    # catch truncation; JPEG decodes at 1/8 scale. Rendering decodes fully, via open_raster.
    img: Image.Image | None = None
    try:
        with _pil_errors():
            img = Image.open(path)
            _check_pixels(img.size)
            fmt, size = img.format or "?", img.size
            if fmt not in RASTER_FORMATS:
                raise UnreadableSource(
                    msg("is a {format} image; use SVG, PNG, JPEG or GIF", format=fmt)
                )
            if fmt == "PNG":
                img.verify()
            else:
                img.draft("RGB", (max(1, size[0] // 8), max(1, size[1] // 8)))
                img.load()
            return SourceInfo(path, "raster", size[0], size[1], fmt)
    finally:
        _close(img)


def _inspect_svg(path: Path) -> SourceInfo:
    _plain_file(path, MAX_SVG_BYTES)
    raw = path.read_bytes()
    if len(raw) > MAX_SVG_BYTES:
        raise UnreadableSource(
            msg("SVG is {size} bytes; the limit is {limit}", size=len(raw), limit=MAX_SVG_BYTES)
        )
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        # entities can expand without bound or pull in local files: never needed for a logo
        raise UnreadableSource(
            msg("SVG declares a DOCTYPE or entities; remove them (export as plain SVG)")
        )
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise UnreadableSource(msg("not valid SVG/XML ({why})", why=_short(exc))) from None
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise UnreadableSource(msg("not an SVG file (the root element is not <svg>)"))
    for element in root.iter():
        _no_active_content(element)
        for attr in _HREF_ATTRS:
            ref = element.get(attr)
            if ref is not None and not ref.startswith(("#", "data:")):
                raise UnreadableSource(
                    msg(
                        "SVG references an external file or URL ({ref}); embed it or remove it",
                        ref=_clip(ref),
                    )
                )
        styles = [element.get("style") or ""]
        if element.tag in (f"{_SVG_NS}style", "style"):
            styles.append(element.text or "")
        for style in styles:
            m = _CSS_URL.search(style)
            if m and not m.group(1).startswith("data:"):
                raise UnreadableSource(
                    msg(
                        "SVG references an external file or URL ({ref}); embed it or remove it",
                        ref=_clip(m.group(1)),
                    )
                )
            if "@import" in style:
                raise UnreadableSource(
                    msg("SVG style imports an external stylesheet; remove the @import")
                )
    width, height = _svg_size(root)
    return SourceInfo(path, "svg", width, height, "SVG")


# what runs in a browser that opens the SVG (favicon.svg is the logo file, served as it is)
_ACTIVE_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "handler"}


def _no_active_content(element: ET.Element) -> None:
    """A logo never needs scripts, event handlers or embedded HTML: refused, named."""
    local = element.tag.rsplit("}", 1)[-1]
    if local in _ACTIVE_ELEMENTS:
        raise UnreadableSource(
            msg(
                "SVG contains <{element}>, which a browser would run or embed; a logo never needs "
                "one: remove it (or export the logo again as plain SVG)",
                element=local,
            )
        )
    handlers = sorted(a for a in element.attrib if a.rsplit("}", 1)[-1].lower().startswith("on"))
    if handlers:
        raise UnreadableSource(
            msg(
                "SVG has an event handler ({attribute} on <{element}>), which a browser would run; "
                "remove it",
                attribute=handlers[0].rsplit("}", 1)[-1],
                element=local,
            )
        )


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _svg_size(root: ET.Element) -> tuple[int, int]:
    box = root.get("viewBox")
    if box:
        parts = box.replace(",", " ").split()
        try:
            w, h = float(parts[2]), float(parts[3])
        except (IndexError, ValueError):
            raise UnreadableSource(
                msg("SVG has an unreadable viewBox ({box})", box=_clip(box))
            ) from None
        if w > 0 and h > 0:
            return max(1, round(w)), max(1, round(h))
    mw, mh = _LENGTH.match(root.get("width", "")), _LENGTH.match(root.get("height", ""))
    if mw and mh and float(mw.group(1)) > 0 and float(mh.group(1)) > 0:
        return max(1, round(float(mw.group(1)))), max(1, round(float(mh.group(1))))
    raise UnreadableSource(
        msg("SVG has neither a viewBox nor a width and height in px; add a viewBox")
    )


def inspect_font(path: Path) -> None:
    """Raise UnreadableSource unless ``path`` is a TrueType/OpenType font FreeType can load."""
    _plain_file(path, MAX_FILE_BYTES)
    try:
        ImageFont.truetype(str(path), 12)
    except FileNotFoundError:
        raise UnreadableSource(msg("file not found")) from None
    except OSError:
        raise UnreadableSource(msg("not a TrueType/OpenType font file (.ttf or .otf)")) from None
