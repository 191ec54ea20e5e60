"""The ``brandkit`` command. Each command is a module with ``add_parser`` and
``run(args) -> int``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import typing as t

from brandkit._version import __version__
from brandkit.cli import (
    apply,
    check,
    completion,
    export,
    init,
    plan,
    render,
    report,
    restore,
    sandbox,
    stats,
    validate,
    watch,
)
from brandkit.errors import BrandkitError, SpecError

__all__ = ["build_parser", "main"]

_COMMANDS: tuple[t.Any, ...] = (
    init,
    validate,
    render,
    export,
    plan,
    apply,
    check,
    restore,
    stats,
    report,
    watch,
    sandbox,
    completion,
)


class _Parser(argparse.ArgumentParser):
    # Exit code 2 means "drift" for `brandkit check`, so usage errors exit 1 like any error.
    def error(self, message: str) -> t.NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="brandkit", description="Keep a brand identical everywhere it appears online."
    )
    parser.add_argument("--version", action="version", version=f"brandkit {__version__}")
    parser.add_argument(
        "--traceback", action="store_true", help="show a full traceback on unexpected errors"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command in _COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except SpecError as exc:
        for issue in exc.issues:
            print(issue.format(), file=sys.stderr)
        return 1
    except BrandkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place an unexpected error becomes a message
        if args.traceback or os.environ.get("BRANDKIT_TRACEBACK"):
            traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "this is a bug in brandkit; re-run with --traceback and report it",
            file=sys.stderr,
        )
        return 1
