"""``brandkit init [DIR]``: write a complete, valid starter spec with a sample logo."""

from __future__ import annotations

import argparse
import shutil
import typing as t
from pathlib import Path

from brandkit._resources import assets_dir, schemas_dir
from brandkit.errors import BrandkitError

__all__ = ["add_parser", "run"]

SCHEMA_COPY = "brand.schema.json"


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("init", help="write a starter brand.yaml with a sample logo")
    p.add_argument("directory", nargs="?", default=".", metavar="DIR")
    p.add_argument("--force", action="store_true", help="overwrite existing starter files")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    starter = assets_dir() / "starter"
    target = Path(args.directory)
    files = sorted(p.relative_to(starter) for p in starter.rglob("*") if p.is_file())
    existing = [f for f in [*files, Path(SCHEMA_COPY)] if (target / f).exists()]
    if existing and not args.force:
        raise BrandkitError(
            f"{target / existing[0]} already exists; nothing was written (use --force to overwrite)"
        )
    try:
        for rel in files:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel.name == "brand.yaml":
                # a relative $schema to a copy beside the spec: it survives a commit and a move
                # to another machine (a path into this virtual environment would not)
                text = (starter / rel).read_text(encoding="utf-8")
                dest.write_text(text.replace("__SCHEMA__", SCHEMA_COPY), encoding="utf-8")
                shutil.copyfile(schemas_dir() / "brand.schema.json", target / SCHEMA_COPY)
            else:
                shutil.copyfile(starter / rel, dest)
    except OSError as exc:
        raise BrandkitError(
            f"cannot write the starter files into {target}: {exc.strerror}"
        ) from None
    print(
        f"wrote {target / 'brand.yaml'}, {len(files) - 1} logo file(s) and {target / SCHEMA_COPY} "
        "(editors check the spec against it as you type)"
    )
    print(f"next: edit it, then run `brandkit validate {target / 'brand.yaml'}`")
    return 0
