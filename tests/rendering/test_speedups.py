"""The render's speed-ups must not change a single byte: banded halving, SVG helper processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from PIL import Image

from brandkit.rendering.logos import _BANDED_PIXELS, _halve_premultiplied
from brandkit.rendering.svg import SvgRasteriser, rasterise_here
from tests.conftest import EXAMPLES, REPO

MARK = EXAMPLES / "northwind" / "logos" / "mark.svg"


def _straight_rgba_with_soft_edges(width: int, height: int) -> Image.Image:
    """Noise in the colours, a gradient in alpha with fully transparent and opaque parts."""
    colours = [Image.effect_noise((width, height), 64 + 40 * i).convert("L") for i in range(3)]
    alpha = (
        Image.linear_gradient("L")
        .resize((width, height))
        .point(lambda v: 0 if v < 40 else min(255, v * 2))
    )
    return Image.merge("RGBA", (*colours, alpha))


def test_banded_halving_equals_the_one_piece_reduction() -> None:
    img = _straight_rgba_with_soft_edges(2001, 2003)  # odd sizes: partial boxes at the edges
    assert img.width * img.height >= _BANDED_PIXELS  # so the two-band path is the one tested
    banded = _halve_premultiplied(img)
    whole = img.convert("RGBa").reduce(2)
    assert banded.mode == "RGBa" and banded.size == whole.size == (1001, 1002)
    assert banded.tobytes() == whole.tobytes()


def _run(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_svg_helpers_rasterise_exactly_like_this_process(tmp_path: Path) -> None:
    # a fresh interpreter: pytest's own process may run threads, and then nothing is forked
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg xmlns='http://www.w3.org/2000/svg'><rect")  # never closed
    out = _run(f"""
        import os, threading
        from pathlib import Path
        from brandkit.rendering.svg import RasteriseFailed, SvgRasteriser, rasterise_here
        mark, bad = Path({str(MARK)!r}), Path({str(bad)!r})
        sizes = [544, 400, 272, 48, 16, 137]
        with SvgRasteriser(helpers=2) as r:
            assert r.helpers == 2
            got = {{}}
            def ask(size):
                got[size] = r.png(mark, size, size)
            threads = [threading.Thread(target=ask, args=(s,)) for s in sizes]
            [t.start() for t in threads]; [t.join() for t in threads]
            assert all(got[s] == rasterise_here(mark, s, s) for s in sizes)
            try:
                r.png(bad, 10, 10)
            except RasteriseFailed as exc:
                print("refused:", exc)
            else:
                print("accepted a broken SVG")
            # still serving after an error
            assert r.png(mark, 64, 64) == rasterise_here(mark, 64, 64)
        try:
            os.waitpid(-1, os.WNOHANG)
            print("a helper was left behind")
        except ChildProcessError:
            print("helpers gone")
    """)
    assert "refused:" in out and "helpers gone" in out


def test_a_dead_helper_is_replaced_by_rasterising_here() -> None:
    out = _run(f"""
        import os, signal
        from pathlib import Path
        from brandkit.rendering.svg import SvgRasteriser, rasterise_here
        mark = Path({str(MARK)!r})
        with SvgRasteriser(helpers=1) as r:
            os.kill(r._helpers[0].pid, signal.SIGKILL)
            assert r.png(mark, 100, 100) == rasterise_here(mark, 100, 100)
            assert r.png(mark, 90, 90) == rasterise_here(mark, 90, 90)
        print("ok")
    """)
    assert out.strip() == "ok"


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with SvgRasteriser(helpers=2) as rasteriser:
            assert rasteriser.helpers == 0
            assert rasteriser.png(MARK, 32, 32) == rasterise_here(MARK, 32, 32)
    finally:
        stop.set()
        other.join()


def test_svg_brand_renders_the_same_bytes_with_helpers_and_without(tmp_path: Path) -> None:
    out = _run(f"""
        import sys
        import brandkit
        from brandkit.rendering import render
        from brandkit.rendering.svg import SvgRasteriser
        forked = []
        class Counting(SvgRasteriser):
            def __init__(self, helpers=0, **kwargs):
                super().__init__(helpers, **kwargs)
                forked.append(self.helpers)
        sys.modules["brandkit.rendering"].SvgRasteriser = Counting
        # SVGs with <text> go through resvg-py, parsed again for every size: helpers pay off
        brand = brandkit.load({str(EXAMPLES / "gallery" / "svg-text" / "brand.yaml")!r})
        one = render(brand, {str(tmp_path / "one")!r}, workers=1)      # no helper: one thread
        two = render(brand, {str(tmp_path / "two")!r}, workers=2)      # two threads, two helpers
        assert [a.sha256 for a in one.assets] == [a.sha256 for a in two.assets]
        # text-free SVGs are drawn from one parsed tree: no helper is worth its fork
        plain = brandkit.load({str(EXAMPLES / "northwind" / "brand.yaml")!r})
        three = render(plain, {str(tmp_path / "three")!r}, workers=2)
        print(len(one.assets), len(three.assets), forked)
    """)
    count, plain_count, forked = out.split(" ", 2)
    assert int(count) >= 5 and int(plain_count) >= 17 and forked.strip() == "[0, 2, 0]"


def test_an_svg_brand_imports_only_pillows_png_plugin(tmp_path: Path) -> None:
    """The ICO is brandkit's own container of PNGs and resvg's PNGs are opened as PNGs: Pillow
    neither runs Image.init() (every plugin) nor preinit() (five, JPEG's pulling in subprocess)."""
    out = _run(f"""
        import sys
        import brandkit
        from brandkit.rendering import render
        render(brandkit.load({str(EXAMPLES / "northwind" / "brand.yaml")!r}), {str(tmp_path)!r},
               targets=["favicon.ico"])
        print(sorted(m for m in sys.modules if m.startswith("PIL.") and m.endswith("ImagePlugin")))
    """)
    assert out.strip() == "['PIL.PngImagePlugin']"


def test_a_large_source_let_go_after_preparing_comes_back_identical(tmp_path: Path) -> None:
    """prepare() drops the full-size level of a large raster (memory); a size that needs it
    after all decodes the file again, and every size is the same as from a source that kept it."""
    from brandkit.rendering.logos import LogoSource

    path = tmp_path / "big.png"
    _straight_rgba_with_soft_edges(2048, 2048).save(path)
    kept, prepared = LogoSource(path), LogoSource(path)
    prepared.prepare()
    assert prepared._pyramid[0] is None and prepared._pyramid[1] is not None
    for size in (96, 600, 1300, 2048):  # 1300 and 2048 need the full-size level again
        assert (
            prepared.at(size, size, target="t").tobytes()
            == kept.at(size, size, target="t").tobytes()
        )
    assert prepared._pyramid[0] is not None  # decoded again, and kept from then on


def test_render_after_validate_takes_over_the_decoded_logos_and_writes_the_same_bytes(
    tmp_path: Path,
) -> None:
    """`brandkit render` validates first: the render checks' decoded raster logos are passed to
    the render (``logos=``, no global) instead of decoded again, and nothing in the output
    changes; a logo file changed in between is decoded afresh."""
    spec = EXAMPLES / "lumen" / "brand.yaml"

    def run(out: Path, take_over: bool) -> list[str]:
        return _run(f"""
            import os
            os.environ["BRANDKIT_CACHE"] = "off"  # the checks run, so they decode the logos
            import brandkit
            from brandkit.rendering import layout, render
            from brandkit.rendering.logos import LogoSource
            checked = brandkit.validate({str(spec)!r})
            decodes = []
            original = LogoSource.__init__
            def counted(self, *args, **kwargs):
                decodes.append(1)
                original(self, *args, **kwargs)
            LogoSource.__init__ = counted
            logos = checked.logos if {take_over!r} else None
            result = render(checked.brand, {str(out)!r}, force=True, logos=logos)
            print(len(checked.logos), len(decodes), *sorted(a.sha256 for a in result.assets))
        """).split()

    handed, fresh = run(tmp_path / "a", True), run(tmp_path / "b", False)
    offered, opened_with, opened_without = int(handed[0]), int(handed[1]), int(fresh[1])
    assert offered >= 1 and opened_with == opened_without - offered  # taken, not opened again
    assert handed[2:] == fresh[2:] and len(handed) > 10
