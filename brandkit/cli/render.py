"""``brandkit render SPEC... -o OUT``: every image each target needs, cached and atomic."""

from __future__ import annotations

import argparse
import typing as t
from pathlib import Path

from brandkit.cli._common import specs_or_here
from brandkit.cli._options import add_specs_argument
from brandkit.rerun import Replay, replay

if t.TYPE_CHECKING:
    from brandkit.spec.model import Brand

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("render", help="render every image the brand's targets need")
    add_specs_argument(p)
    p.add_argument(
        "-o",
        "--out",
        default="out",
        help="output folder (default: out; one sub-folder per spec when several)",
    )
    p.add_argument(
        "-t",
        "--target",
        action="append",
        dest="targets",
        metavar="NAME",
        help="render only this target (repeatable)",
    )
    p.add_argument(
        "--force", action="store_true", help="ignore the cache and render everything again"
    )
    p.add_argument("--preview", action="store_true", help="also write preview.png and preview.html")
    p.add_argument("--list-targets", action="store_true", help="list the known targets and exit")
    p.set_defaults(run=run)


def list_targets() -> int:
    from brandkit import platforms

    for name, target in platforms.all_targets().items():
        w, h = target.size
        limit = f"< {target.max_bytes // 1000} KB" if target.max_bytes else ""
        print(f"{name:18} {w:>5}x{h:<5} {target.shape:10} {'/'.join(target.formats):9} {limit}")
    return 0


def out_dirs(specs: list[str], out: str) -> list[Path]:
    if len(specs) == 1:
        return [Path(out)]
    return [Path(out) / Path(s).resolve().parent.name for s in specs]


def _report(
    name: str,
    out: Path,
    rows: list[tuple[bool, Path, int, int, int, str]],
    warnings: t.Sequence[str],
) -> None:
    from brandkit.i18n import _, localize

    words = {True: _("cached"), False: _("wrote")}
    column = max(len(w) for w in words.values()) + 1  # "en cache" is longer than "cached"
    for cached, path, width, height, size, encoding in rows:
        print(f"{words[cached]:{column}}{path}  {width}x{height}  {size:>8} B  {encoding}")
    for warning in warnings:
        print(_("warning: ") + localize(warning))
    rendered = sum(not row[0] for row in rows)
    said = _("{name}: {rendered} rendered, {unchanged} unchanged -> {manifest}")
    manifest = out / "manifest.json"
    print(
        said.format(name=name, rendered=rendered, unchanged=len(rows) - rendered, manifest=manifest)
    )


def _report_replay(found: Replay, out: Path) -> None:
    rows = [
        (True, out / file, width, height, size, encoding)
        for file, width, height, size, encoding in found.assets
    ]
    _report(found.name, out, rows, found.warnings)


def run(args: argparse.Namespace) -> int:
    if args.list_targets:
        return list_targets()
    args.specs = specs_or_here(args.specs, "render")
    outs = out_dirs(args.specs, args.out)
    # an identical run with nothing to do is replayed from the manifest: no spec, Pillow or
    # jsonschema load
    may_replay = not (args.force or args.preview)
    replays = [
        replay(out, Path(spec), args.targets) if may_replay else None
        for spec, out in zip(args.specs, outs, strict=True)
    ]
    stale = [spec for spec, found in zip(args.specs, replays, strict=True) if found is None]
    if stale:
        from brandkit.cli._common import check_specs
        from brandkit.rendering import render  # Pillow, resvg: only for this command

        checked = iter(check_specs(stale))  # every stale spec validated before anything is written
    for out, found in zip(outs, replays, strict=True):
        if found is not None:
            _report_replay(found, out)
            continue
        spec = next(checked)
        brand = t.cast("Brand", spec.brand)
        result = render(brand, out, targets=args.targets, force=args.force, logos=spec.logos)
        rows = [(a.cached, a.path, a.width, a.height, a.bytes, a.encoding) for a in result.assets]
        _report(brand.identity.name, out, rows, result.warnings)
        if args.preview:
            from brandkit.i18n import _
            from brandkit.rendering.preview import write_preview

            png, html = write_preview(brand, result)
            print(_("preview: {png}  {html}").format(png=png, html=html))
    return 0
