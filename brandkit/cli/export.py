"""``brandkit export SPEC --format dtcg|css|scss|tailwind|brand-yml``: design tokens."""

from __future__ import annotations

import argparse
import typing as t
from pathlib import Path

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser(
        "export",
        help="the brand's colours, fonts and logos as design tokens (DTCG, CSS, SCSS, Tailwind, "
        "_brand.yml)",
        epilog="example: brandkit export brand.yaml --format css -o brand.css",
    )
    p.add_argument(
        "spec", nargs="?", metavar="SPEC", help="the brand spec (default: the one in this folder)"
    )
    p.add_argument(
        "--format",
        required=True,
        choices=("dtcg", "css", "scss", "tailwind", "brand-yml"),
        help="dtcg: a .tokens.json (Design Tokens Community Group 2025.10); tailwind: a v4 "
        "@theme block",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: print)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit._files import atomic_write
    from brandkit.cli._common import load_specs, specs_or_here
    from brandkit.errors import ConfigError
    from brandkit.i18n import msg
    from brandkit.tokens import copies, export

    (brand,) = load_specs(specs_or_here([args.spec] if args.spec else [], "export"))
    out = Path(args.output) if args.output else None
    if out is not None and out.is_dir():
        raise ConfigError(
            msg("{path} is a folder: name the file to write (e.g. {path}/_brand.yml)", path=out)
        )
    base = (out.parent if out else Path.cwd()).resolve()
    text = export(brand, args.format, base)
    if out is None:
        print(text, end="")
        return 0
    # the files it names that lie outside its folder go beside it: the export reads back
    for source, target in copies(brand, args.format, base):
        if not target.exists() or target.read_bytes() != source.read_bytes():
            if target.exists():
                raise ConfigError(
                    msg(
                        "{path} exists and is not {source}; move it, or export to another folder",
                        path=target,
                        source=source,
                    )
                )
            atomic_write(target, source.read_bytes())
            print(f"{args.format}: {target}")
    atomic_write(out, text.encode("utf-8"))
    print(f"{args.format}: {out}")
    return 0
