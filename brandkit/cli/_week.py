"""Options shared by stats, report and watch (cheap to import)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

__all__ = ["add_history_option", "add_targets_option", "history_path"]


def add_history_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--history",
        metavar="PATH_OR_URL",
        help="the history: a SQLite file, or postgresql://user@host/db for one a team shares "
        "(default: $BRANDKIT_HISTORY, else .brandkit/history.sqlite beside the first spec)",
    )


def add_targets_option(p: argparse.ArgumentParser, flag: str, what: str) -> None:
    p.add_argument(
        flag,
        action="append",
        default=[],
        metavar="URL",
        help=f"{what}: an apprise URL, or env:VAR naming a variable that holds one (repeatable)",
    )


def history_path(args: argparse.Namespace) -> str | Path:
    """``--history``, else ``BRANDKIT_HISTORY``, else the file beside the first spec (a
    database URL stays a string; a password in it is never printed)."""
    given = args.history or os.environ.get("BRANDKIT_HISTORY", "")
    if given:
        return given if "://" in given else Path(given)
    roots = getattr(args, "roots", [])  # a workspace keeps one history for all its brands
    folder = roots[0] if roots else Path(args.specs[0]).resolve().parent
    return folder / ".brandkit" / "history.sqlite"
