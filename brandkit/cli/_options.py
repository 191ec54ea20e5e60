"""Command-line options shared by plan, apply, check and restore (cheap to import)."""

from __future__ import annotations

import argparse

__all__ = ["add_specs_argument", "add_sync_options"]


def add_specs_argument(p: argparse.ArgumentParser, what: str = "") -> None:
    p.add_argument(
        "specs",
        nargs="*",
        metavar="SPEC",
        help=what or "brand.yaml, brand.json or _brand.yml files (default: the one in this folder)",
    )


def add_sync_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sandbox",
        action="store_true",
        help="run against the embedded sandbox (no accounts needed); state under --state/sandbox",
    )
    p.add_argument(
        "--state",
        metavar="DIR",
        help="working folder: rendered assets, caches, backups, sandbox state (default: .brandkit "
        "beside the first spec)",
    )
    p.add_argument("--workers", type=int, default=8, help="accounts handled at once (default 8)")
    p.add_argument(
        "--retry-budget",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="longest total wait for retries of one call (default 60)",
    )
    p.add_argument(
        "--settle-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long apply waits for a platform to show newly uploaded images (default 60)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
