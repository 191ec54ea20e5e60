"""``brandkit render SPEC... -o OUT``: every image each target needs, cached and atomic."""

from __future__ import annotations

import argparse
import typing as t
from pathlib import Path

from brandkit import platforms
from brandkit.cli._common import load_specs
from brandkit.errors import BrandkitError

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("render", help="render every image the brand's targets need")
    p.add_argument("specs", nargs="*", metavar="SPEC")
    p.add_argument("-o", "--out", default="out", help="output folder (default: out; one sub-folder per spec when several)")
    p.add_argument("-t", "--target", action="append", dest="targets", metavar="NAME",
                   help="render only this target (repeatable)")
    p.add_argument("--force", action="store_true", help="ignore the cache and render everything again")
    p.add_argument("--preview", action="store_true", help="also write preview.png and preview.html")
    p.add_argument("--list-targets", action="store_true", help="list the known targets and exit")
    p.set_defaults(run=run)


def list_targets() -> int:
    for name, target in platforms.all_targets().items():
        w, h = target.size
        limit = f"< {target.max_bytes // 1000} KB" if target.max_bytes else ""
        print(f"{name:18} {w:>5}x{h:<5} {target.shape:10} {'/'.join(target.formats):9} {limit}")
    return 0


def out_dirs(specs: list[str], out: str) -> list[Path]:
    if len(specs) == 1:
        return [Path(out)]
    return [Path(out) / Path(s).resolve().parent.name for s in specs]


def run(args: argparse.Namespace) -> int:
    if args.list_targets:
        return list_targets()
    if not args.specs:
        raise BrandkitError("name at least one SPEC (or --list-targets)")
    from brandkit.render import render  # Pillow, resvg: only for this command

    brands = load_specs(args.specs)
    for brand, out in zip(brands, out_dirs(args.specs, args.out)):
        result = render(brand, out, targets=args.targets, force=args.force)
        for asset in result.assets:
            state = "cached " if asset.cached else "wrote  "
            print(f"{state}{asset.path}  {asset.width}x{asset.height}  {asset.bytes:>8} B  {asset.encoding}")
        for warning in result.warnings:
            print(f"warning: {warning}")
        print(f"{brand.identity.name}: {len(result.rendered)} rendered, "
              f"{len(result.assets) - len(result.rendered)} unchanged -> {out / 'manifest.json'}")
        if args.preview:
            from brandkit.render.preview import write_preview

            png, html = write_preview(brand, result)
            print(f"preview: {png}  {html}")
    return 0
