"""SVG to PNG with resvg, optionally in a forked helper process so two sizes rasterise at once.

resvg-py holds the GIL for the whole call, so threads cannot rasterise two sizes at the same
time. A helper process can: it is forked before the render's thread pool starts, waits for
requests (path, width, height) on a pipe and sends the PNG back. The calling thread blocks in
``os.read``, which releases the GIL, so the helper and this process rasterise side by side.

We fork only on Linux and only while this process runs a single thread: forking a threaded
process can leave the child holding a lock nobody will release (Python 3.12+ warns about it).
Without a helper, or while it is busy, rasterising happens in the calling thread.

Two resvg bindings: an SVG without text is parsed once per process with ``resvg`` (its
``usvg.Tree``) and drawn at each size from that tree — 2.7-4x faster than resvg-py, which parses
the file again for every size, and pixel-identical (tests/rendering/test_svg_paths.py). ``resvg``
cannot map the generic font families (sans-serif, serif...) to the brand's fonts, so an SVG with
``<text>`` (and a gzipped ``.svgz``) keeps going through resvg-py, which can. The render forks
helpers only for those (``needs_fonts``): drawing from a parsed tree takes ~4 ms a size, less
than a fork of the rendering process costs.
"""

from __future__ import annotations

import dataclasses
import math
import os
import queue
import re
import struct
import sys
import threading
import typing as t
from pathlib import Path
from types import TracebackType

from brandkit._resources import assets_dir

__all__ = ["RasteriseFailed", "SvgFonts", "SvgRasteriser", "needs_fonts", "rasterise_here"]

_REQUEST = struct.Struct("!III")  # width, height, length of the UTF-8 path that follows
_REPLY = struct.Struct("!BI")  # 0 = PNG follows / 1 = error message follows, its length


class RasteriseFailed(Exception):
    """resvg rejected the SVG; ``str()`` is resvg's message."""


@dataclasses.dataclass(frozen=True, slots=True)
class SvgFonts:
    """The fonts ``<text>`` in an SVG may use: the brand's font files and the bundled ones, never
    the machine's (a render must look the same on every machine). ``family`` stands in for
    the generic families (sans-serif, serif...) and for a text that names none."""

    files: tuple[str, ...] = ()
    family: str = "Inter"

    @classmethod
    def bundled(cls) -> SvgFonts:
        return cls(tuple(str(p) for p in sorted((assets_dir() / "fonts").glob("*.[ot]tf"))))


_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:text|tspan|textPath)[\s>/]")
_trees = threading.local()  # each thread (and helper process) its own parsed trees


def _resvg() -> t.Any:
    import resvg  # ~0.1 s (it reads its version through importlib.metadata): only SVG brands pay

    return resvg


def needs_fonts(path: Path) -> bool:
    """Whether ``path`` goes through resvg-py (text set in the brand's fonts, or gzipped) rather
    than the parsed-once tree; an unreadable file says no (its render reports it)."""
    if path.suffix.lower() == ".svgz":
        return True
    try:
        return _TEXT.search(path.read_bytes()) is not None
    except OSError:
        return False


def _plain_tree(path: Path) -> t.Any:
    """The SVG's parsed tree when it has no text (the fast path), else None."""
    if path.suffix.lower() == ".svgz":
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cache: dict[tuple[str, int, int], t.Any] = getattr(_trees, "cache", None) or {}
    _trees.cache = cache
    if key not in cache:
        raw = path.read_bytes()
        if _TEXT.search(raw):
            cache[key] = None
        else:
            usvg = _resvg().usvg  # loaded here: only SVG brands pay for it
            cache[key] = usvg.Tree.from_str(raw.decode("utf-8"), usvg.Options.default())
    return cache[key]


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """The size resvg gives an image asked to fit ``box`` (keeping its aspect: resvg's
    ``IntSize::scale_to``, which rounds the free side up)."""
    (w, h), (bw, bh) = size, box
    by_height = math.ceil(bh * w / h)
    if by_height <= bw:
        return max(1, by_height), bh
    return bw, max(1, math.ceil(bw * h / w))


def rasterise_here(path: Path, width: int, height: int, fonts: SvgFonts | None = None) -> bytes:
    try:
        tree = _plain_tree(path)
        if tree is not None:
            w, h = tree.int_size()
            out_w, out_h = _fit((w, h), (width, height))
            scale = (out_w / w, 0.0, 0.0, 0.0, out_h / h, 0.0)  # row-major affine, no shift
            return bytes(_resvg().render(tree, scale, bg_size=(out_w, out_h)))
    except BaseException as exc:  # resvg panics (a BaseException) on what it cannot draw
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise RasteriseFailed(str(exc)) from None
    return _rasterise_with_fonts(path, width, height, fonts)


def _rasterise_with_fonts(path: Path, width: int, height: int, fonts: SvgFonts | None) -> bytes:
    import resvg_py  # imported here: only SVG brands with text pay for it

    fonts = fonts or SvgFonts.bundled()
    family = fonts.family
    try:
        return bytes(
            resvg_py.svg_to_bytes(
                svg_path=str(path),
                width=width,
                height=height,
                skip_system_fonts=True,
                font_files=list(fonts.files),
                font_family=family,
                sans_serif_family=family,
                serif_family=family,
                monospace_family=family,
                cursive_family=family,
                fantasy_family=family,
            )
        )
    except BaseException as exc:  # resvg raises PanicException (a BaseException) on bad input
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise RasteriseFailed(str(exc)) from None


class _Helper:
    def __init__(self, pid: int, to_child: int, from_child: int) -> None:
        self.pid = pid
        self.to_child = to_child
        self.from_child = from_child

    def ask(self, path: Path, width: int, height: int) -> bytes:
        encoded = os.fsencode(path)
        _write_all(self.to_child, _REQUEST.pack(width, height, len(encoded)) + encoded)
        status, length = _REPLY.unpack(_read_exactly(self.from_child, _REPLY.size))
        payload = _read_exactly(self.from_child, length)
        if status:
            raise RasteriseFailed(payload.decode("utf-8", "replace"))
        return payload

    def close(self) -> None:
        os.close(self.to_child)  # EOF: the helper exits
        os.close(self.from_child)
        os.waitpid(self.pid, 0)


class SvgRasteriser:
    """Rasterise SVGs, using up to ``helpers`` forked processes besides the calling threads.

    Usage::

        with SvgRasteriser(helpers=1) as rasteriser:   # before starting threads
            png = rasteriser.png(path, 256, 256)        # from any thread
    """

    def __init__(self, helpers: int = 0, fonts: SvgFonts | None = None) -> None:
        self.fonts = fonts or SvgFonts.bundled()
        self._idle: queue.SimpleQueue[_Helper] = queue.SimpleQueue()
        self._helpers: list[_Helper] = []
        if helpers > 0 and can_fork():
            _resvg()  # loaded once, before the fork, for the helpers to use

            for _ in range(helpers):
                helper = _fork_helper(inherited=self._helpers, fonts=self.fonts)
                self._helpers.append(helper)
                self._idle.put(helper)

    @property
    def helpers(self) -> int:
        return len(self._helpers)

    def png(self, path: Path, width: int, height: int) -> bytes:
        try:
            helper = self._idle.get_nowait()
        except queue.Empty:
            return rasterise_here(path, width, height, self.fonts)
        try:
            png = helper.ask(path, width, height)
        except (EOFError, OSError):  # the helper died (killed, out of memory): carry on without it
            return rasterise_here(path, width, height, self.fonts)
        except RasteriseFailed:
            self._idle.put(helper)
            raise
        self._idle.put(helper)
        return png

    def close(self) -> None:
        helpers, self._helpers = self._helpers, []
        for helper in helpers:
            helper.close()

    def __enter__(self) -> SvgRasteriser:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def can_fork() -> bool:
    return (
        sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
    )


def _fork_helper(inherited: list[_Helper], fonts: SvgFonts) -> _Helper:
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: serve until the parent closes its end, never return into the caller
        code = 0
        try:
            # close every parent-side pipe end this child inherited, or an earlier helper would
            # never see EOF on its requests (this child would still hold their write end)
            for fd in [requests_write, replies_read] + [
                fd for h in inherited for fd in (h.to_child, h.from_child)
            ]:
                os.close(fd)
            _serve(requests_read, replies_write, fonts)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(requests_read)
    os.close(replies_write)
    return _Helper(pid, requests_write, replies_read)


def _serve(requests: int, replies: int, fonts: SvgFonts) -> None:
    while True:
        try:
            head = _read_exactly(requests, _REQUEST.size)
        except EOFError:
            return
        width, height, length = _REQUEST.unpack(head)
        path = Path(os.fsdecode(_read_exactly(requests, length)))
        try:
            payload, status = rasterise_here(path, width, height, fonts), 0
        except RasteriseFailed as exc:
            payload, status = str(exc).encode("utf-8"), 1
        _write_all(replies, _REPLY.pack(status, len(payload)) + payload)


def _read_exactly(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the SVG helper process closed its pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
