"""Render the full target set three ways, in one run, and compare.

    pip install pyvips pyvips-binary        # only for this benchmark
    python benchmarks/render.py [--rounds 5]

Sources: a 4000x4000 PNG logo, a 1024x1024 PNG logo and an SVG logo. Contenders:

- brandkit:     what ``brandkit render --force`` does: ``brandkit.validate`` (with the render
                checks) then ``brandkit.render`` (output cache disabled), both cores; the spec
                was checked in an earlier run, so its verdict is read back (spec/verdicts.py);
- brandkit, spec just edited: the same with an empty validation cache every round (PyYAML,
                jsonschema, the semantic checks and the render probes all run);
- naive Pillow: for every target, open the source, LANCZOS-resize it into the target's content
                box, paste it on the background, save (what a hand-written script does);
- pyvips:       the same job with ``pyvips.Image.thumbnail`` (shrink-on-load), composite, save.

Each round of each contender runs in a fresh child process, so peak memory is the contender's
own; rounds alternate between contenders so a slow moment of the machine hits all of them.
Two times per round:

- render:    the work itself, with the contender's libraries already imported and, for brandkit,
             the spec already loaded (what a script that renders several brands pays per brand);
- whole job: imports + (brandkit) loading and validating the spec + render, from a fresh
             interpreter (what one ``brandkit render`` command pays; the interpreter's own
             start-up is the same for everyone and left out).

The figures are medians of the rounds; "output" is the total size of the files written.
brandkit's modules are byte-compiled first, as ``pip install`` does (a checkout run with
PYTHONDONTWRITEBYTECODE would otherwise compile them in every round).
"""

from __future__ import annotations

import argparse
import compileall
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
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
        (REPO / "examples" / "northwind" / "brand.yaml")
        .read_text()
        .replace("path: logos/mark.svg\n    dark: logos/mark-dark.svg", f"path: {logo.name}")
    )
    return spec


def job_brandkit(spec: Path, logo: Path) -> t.Callable[[Path], None]:
    import brandkit
    from brandkit.rendering import render

    checked = brandkit.validate(spec)  # as `brandkit render` does: render checks included
    brand = checked.brand
    assert brand is not None

    def work(out: Path) -> None:
        # the logos the checks decoded, as the command passes them
        render(brand, out, force=True, logos=checked.logos)

    return work


def _boxes() -> list[tuple[str, tuple[int, int], tuple[int, int, int, int], list[int]]]:
    from brandkit import platforms

    jobs = []
    for name, target in platforms.all_targets().items():
        x0, y0, x1, y1 = target.content_box()
        side = min(x1 - x0, y1 - y0) if target.layout == "banner" else x1 - x0
        box = (x0 + (x1 - x0 - side) // 2, y0 + (y1 - y0 - side) // 2, side, side)
        jobs.append((name, target.size, box, list(target.ico_sizes)))
    return jobs


def job_naive_pillow(spec: Path, logo: Path) -> t.Callable[[Path], None]:
    from PIL import Image

    def work(out: Path) -> None:
        bg = (244, 234, 217)
        for name, size, (x, y, w, h), ico in _boxes():
            if logo.suffix == ".svg":
                import resvg_py

                png = resvg_py.svg_to_bytes(svg_path=str(logo), width=2048, height=2048)
                src = Image.open(io.BytesIO(bytes(png)))
            else:
                src = Image.open(logo)
            src = src.convert("RGBA").resize((w, h), Image.Resampling.LANCZOS)
            canvas = Image.new("RGB", size, bg)
            canvas.paste(src, (x, y), src)
            if ico:
                canvas.save(out / f"{name}.ico", sizes=[(s, s) for s in ico])
            else:
                canvas.save(out / f"{name}.png")

    return work


def job_pyvips(spec: Path, logo: Path) -> t.Callable[[Path], None]:
    import pyvips

    def work(out: Path) -> None:
        bg = [244, 234, 217]
        # careful: decode the source once, shrink it once to twice the largest box any target needs,
        # then shrink from that in-memory intermediate for every target
        source = None
        if logo.suffix != ".svg":
            largest = max(w for _, _, (_, _, w, _), _ in _boxes())
            source = pyvips.Image.thumbnail(str(logo), 2 * largest).copy_memory()
        for name, size, (x, y, w, h), _ico in _boxes():
            if source is None:  # SVG: let libvips render at the target size
                thumb = pyvips.Image.thumbnail(str(logo), w, height=h)
            else:
                thumb = source.thumbnail_image(w, height=h)
            if thumb.bands == 3:
                thumb = thumb.bandjoin(255)
            canvas = (
                pyvips.Image.black(size[0], size[1], bands=3)
                .new_from_image(bg)
                .copy(interpretation="srgb")
            )
            canvas = canvas.composite2(
                thumb, "over", x=x + (w - thumb.width) // 2, y=y + (h - thumb.height) // 2
            )
            canvas = canvas.flatten(background=bg) if canvas.bands == 4 else canvas
            canvas.pngsave(str(out / f"{name}.png"), compression=6)

    return work


JOBS = {
    "brandkit": job_brandkit,
    "brandkit, spec just edited": job_brandkit,  # run with an empty validation cache
    "naive Pillow": job_naive_pillow,
    "pyvips": job_pyvips,
}
COLD = "brandkit, spec just edited"


def _peak_mb() -> float:
    # VmHWM resets on exec; ru_maxrss would report the parent's peak (it survives exec on Linux)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(job: str, spec: str, logo: str) -> None:
    out = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    work = JOBS[job](Path(spec), Path(logo))
    ready = time.perf_counter()
    work(out)
    done = time.perf_counter()
    written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    peak = _peak_mb()
    shutil.rmtree(out)
    print(
        json.dumps(
            {"render": done - ready, "whole": done - start, "peak_mb": peak, "bytes": written}
        )
    )


def _in_child(job: str, spec: Path, logo: Path, cache: Path) -> dict[str, float]:
    """One round of ``job`` in a fresh interpreter, with ``cache`` as brandkit's cache folder."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child", job, str(spec), str(logo)],
        capture_output=True,
        text=True,
        env={**os.environ, "BRANDKIT_CACHE": str(cache)},
    )
    if proc.returncode != 0:
        sys.exit(f"{logo.name} {job} failed: {proc.stderr.strip()}")
    return t.cast(dict[str, float], json.loads(proc.stdout))


def _ratio(theirs: float, ours: float) -> str:
    return f"{theirs / ours:.2f}x faster" if theirs >= ours else f"{ours / theirs:.2f}x slower"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = Path(tempfile.mkdtemp())
    compileall.compile_dir(REPO / "brandkit", quiet=1)
    sources = make_sources(folder)
    warm_cache = folder / "cache"
    print(
        f"full target set, median of {args.rounds} rounds, each in a fresh process, contenders "
        "alternating\n"
    )
    print(
        f"{'source':10} {'contender':27} {'render s':>9} {'whole job s':>12} {'peak MB':>8} "
        f"{'output KB':>10}"
        f"   brandkit is (render / whole job)"
    )
    for label, logo in sources.items():
        spec = spec_for(folder, logo)
        runs: dict[str, list[dict[str, float]]] = {job: [] for job in JOBS}

        # the spec is checked once, as by any earlier command
        _in_child("brandkit", spec, logo, warm_cache)
        for round_ in range(args.rounds):
            for job in JOBS:
                cache = folder / f"cold-{logo.stem}-{round_}" if job == COLD else warm_cache
                runs[job].append(_in_child(job, spec, logo, cache))
        med = {
            job: {
                key: statistics.median(r[key] for r in rs) for key in ("render", "whole", "bytes")
            }
            | {"peak_mb": max(r["peak_mb"] for r in rs)}
            for job, rs in runs.items()
        }
        ours = med["brandkit"]
        for job, m in med.items():
            ratio = (
                ""
                if job.startswith("brandkit")
                else f"{_ratio(m['render'], ours['render'])} / {_ratio(m['whole'], ours['whole'])}"
                + f"  (just edited: {_ratio(m['whole'], med[COLD]['whole'])})"
            )
            print(
                f"{label:10} {job:27} {m['render']:9.3f} {m['whole']:12.3f} {m['peak_mb']:8.0f} "
                f"{m['bytes'] / 1024:10.0f}   {ratio}"
            )
    print()
    noop(sources["4000² PNG"], folder)
    shutil.rmtree(folder)


def noop(logo: Path, folder: Path) -> None:
    """A re-render with nothing changed: in-process (library) and as a CLI command."""
    import brandkit
    from brandkit.rendering import render

    spec = spec_for(folder, logo)
    out = folder / "noop-out"
    render(brandkit.load(spec), out)
    times = []
    for _ in range(9):
        start = time.perf_counter()
        result = render(brandkit.load(spec), out)
        times.append(time.perf_counter() - start)
        assert result.rendered == ()
    cli, bare = [], []
    for _ in range(5):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "brandkit", "render", str(spec), "-o", str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        cli.append(time.perf_counter() - start)
        assert re.search(r"\b0 rendered, \d+ unchanged", proc.stdout), proc.stdout
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    print(
        f"no-op re-render of {len(result.assets)} targets (4000² PNG source): load + render "
        f"{statistics.median(times) * 1000:.0f} ms "
        f"in-process; {statistics.median(cli) * 1000:.0f} ms as a CLI command, of which "
        f"{statistics.median(bare) * 1000:.0f} ms is starting Python"
    )


if __name__ == "__main__":
    main()
