"""Options shared by stats, report and watch (cheap to import)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_history_option", "add_targets_option", "history_path"]


def add_history_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--history",
        metavar="PATH",
        help="the history database (default: .brandkit/history.sqlite beside the first spec)",
    )


def add_targets_option(p: argparse.ArgumentParser, flag: str, what: str) -> None:
    p.add_argument(
        flag,
        action="append",
        default=[],
        metavar="URL",
        help=f"{what}: an apprise URL, or env:VAR naming a variable that holds one (repeatable)",
    )


def history_path(args: argparse.Namespace) -> Path:
    if args.history:
        return Path(args.history)
    return Path(args.specs[0]).resolve().parent / ".brandkit" / "history.sqlite"
