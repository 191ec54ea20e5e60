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


def add_workspace_options(p: argparse.ArgumentParser, shard: bool = False) -> None:
    """A folder of brands: which clients and platforms to take (and, for watch, which share)."""
    p.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="NAME",
        help="only this client's brands (identity.client, else the folder above the brand's; "
        "repeatable)",
    )
    p.add_argument(
        "--platform",
        action="append",
        default=[],
        metavar="NAME",
        help="only accounts on this platform (twitter, facebook, mailchimp...; repeatable)",
    )
    if shard:
        p.add_argument(
            "--shard",
            metavar="K/N",
            help="take only shard K of N of the accounts (a stable hash of brand and account): "
            "N jobs of a CI matrix or a Kubernetes Indexed Job share one watch",
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
