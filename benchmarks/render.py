"""Render the full target set three ways, in one run, and compare.

    pip install pyvips pyvips-binary        # only for this benchmark
    python benchmarks/render.py [--rounds 5]

Sources: a 4000x4000 PNG logo, a 1024x1024 PNG logo and an SVG logo. Contenders:

- brandkit:     ``brandkit.render`` (cache disabled with force=True), both cores;
- naive Pillow: for every target, open the source, LANCZOS-resize it into the target's content
                box, paste it on the background, save (what a hand-written script does);
- pyvips:       the same job with ``pyvips.Image.thumbnail`` (shrink-on-load), composite, save.

Each round of each contender runs in a fresh child process, so peak memory (ru_maxrss) is the
contender's own. The figures are medians of the rounds.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def make_sources(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(REPO / "examples" / "lumen"))
    from make_logos import mark  # type: ignore[import-not-found]

    big = folder / "logo-4000.png"
    if not big.exists():
        mark(4000, scale=1).save(big)
    mid = folder / "logo-1024.png"
    if not mid.exists():
        shutil.copy(REPO / "examples" / "lumen" / "logos" / "mark.png", mid)
    svg = folder / "logo.svg"
    shutil.copy(REPO / "examples" / "northwind" / "logos" / "mark.svg", svg)
    return {"4000² PNG": big, "1024² PNG": mid, "SVG": svg}


def spec_for(folder: Path, logo: Path) -> Path:
    spec = folder / f"brand-{logo.stem}.yaml"
    spec.write_text(
        (REPO / "examples" / "northwind" / "brand.yaml").read_text()
        .replace("path: logos/mark.svg\n    dark: logos/mark-dark.svg", f"path: {logo.name}")
    )
    return spec


def job_brandkit(spec: Path, logo: Path, out: Path) -> None:
    import brandkit
    from brandkit.render import render

    render(brandkit.load(spec), out, force=True)


def _boxes() -> list[tuple[str, tuple[int, int], tuple[int, int, int, int], list[int]]]:
    from brandkit import platforms

    jobs = []
    for name, t in platforms.all_targets().items():
        box = t.content_box()
        x0, y0, x1, y1 = box
        side = min(x1 - x0, y1 - y0) if t.layout == "banner" else x1 - x0
        jobs.append((name, t.size, (x0 + (x1 - x0 - side) // 2, y0 + (y1 - y0 - side) // 2, side, side), list(t.ico_sizes)))
    return jobs


def job_naive_pillow(spec: Path, logo: Path, out: Path) -> None:
    from PIL import Image

    bg = (244, 234, 217)
    for name, size, (x, y, w, h), ico in _boxes():
        if logo.suffix == ".svg":
            import resvg_py

            src = Image.open(__import__("io").BytesIO(resvg_py.svg_to_bytes(svg_path=str(logo), width=2048, height=2048)))
        else:
            src = Image.open(logo)
        src = src.convert("RGBA").resize((w, h), Image.Resampling.LANCZOS)
        canvas = Image.new("RGB", size, bg)
        canvas.paste(src, (x, y), src)
        if ico:
            canvas.save(out / f"{name}.ico", sizes=[(s, s) for s in ico])
        else:
            canvas.save(out / f"{name}.png")


def job_pyvips(spec: Path, logo: Path, out: Path) -> None:
    import pyvips

    bg = [244, 234, 217]
    # careful: decode the source once, shrink it once to twice the largest box any target needs,
    # then shrink from that in-memory intermediate for every target
    source = None
    if logo.suffix != ".svg":
        largest = max(w for _, _, (_, _, w, _), _ in _boxes())
        source = pyvips.Image.thumbnail(str(logo), 2 * largest).copy_memory()
    for name, size, (x, y, w, h), ico in _boxes():
        if source is None:  # SVG: let libvips render at the target size
            thumb = pyvips.Image.thumbnail(str(logo), w, height=h)
        else:
            thumb = source.thumbnail_image(w, height=h)
        if thumb.bands == 3:
            thumb = thumb.bandjoin(255)
        canvas = pyvips.Image.black(size[0], size[1], bands=3).new_from_image(bg).copy(interpretation="srgb")
        canvas = canvas.composite2(thumb, "over", x=x + (w - thumb.width) // 2, y=y + (h - thumb.height) // 2)
        canvas = canvas.flatten(background=bg) if canvas.bands == 4 else canvas
        canvas.pngsave(str(out / f"{name}.png"), compression=6)


JOBS = {"brandkit": job_brandkit, "naive Pillow": job_naive_pillow, "pyvips": job_pyvips}


def _peak_mb() -> float:
    # VmHWM resets on exec; ru_maxrss would report the parent's peak (it survives exec on Linux)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(job: str, spec: str, logo: str) -> None:
    out = Path(tempfile.mkdtemp())
    fn = JOBS[job]
    start = time.perf_counter()
    fn(Path(spec), Path(logo), out)
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    shutil.rmtree(out)
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = Path(tempfile.mkdtemp())
    sources = make_sources(folder)
    print(f"full target set, median of {args.rounds} rounds, each in a fresh process (2-core machine)\n")
    print(f"{'source':10} {'contender':13} {'median s':>9} {'peak MB':>8} {'brandkit is':>12}")
    for label, logo in sources.items():
        spec = spec_for(folder, logo)
        medians: dict[str, tuple[float, float]] = {}
        for job in JOBS:
            runs = []
            for _ in range(args.rounds):
                proc = subprocess.run([sys.executable, __file__, "--child", job, str(spec), str(logo)],
                                      capture_output=True, text=True)
                if proc.returncode != 0:
                    runs = []
                    print(f"{label:10} {job:13} failed: {proc.stderr.strip().splitlines()[-1]}")
                    break
                runs.append(json.loads(proc.stdout))
            if runs:
                medians[job] = (statistics.median(r["seconds"] for r in runs), max(r["peak_mb"] for r in runs))
        ours = medians.get("brandkit", (float("nan"), 0))[0]
        for job, (sec, mb) in medians.items():
            ratio = "" if job == "brandkit" else f"{sec / ours:.1f}x faster" if sec >= ours else f"{ours / sec:.2f}x slower"
            print(f"{label:10} {job:13} {sec:9.3f} {mb:8.0f} {ratio:>12}")
    print()
    noop(sources["4000² PNG"], folder)
    shutil.rmtree(folder)


def noop(logo: Path, folder: Path) -> None:
    """A re-render with nothing changed: in-process (library) and as a CLI command."""
    import brandkit
    from brandkit.render import render

    spec = spec_for(folder, logo)
    out = folder / "noop-out"
    render(brandkit.load(spec), out)
    times = []
    for _ in range(9):
        start = time.perf_counter()
        result = render(brandkit.load(spec), out)
        times.append(time.perf_counter() - start)
        assert result.rendered == ()
    cli = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "brandkit", "render", str(spec), "-o", str(out)],
                       check=True, capture_output=True)
        cli.append(time.perf_counter() - start)
    print(f"no-op re-render of 17 targets (4000² PNG source): load + render {statistics.median(times) * 1000:.0f} ms "
          f"in-process; {statistics.median(cli) * 1000:.0f} ms as a CLI command (Python start-up and imports included)")


if __name__ == "__main__":
    main()
