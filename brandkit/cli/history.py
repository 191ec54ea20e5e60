"""``brandkit history migrate --from SOURCE --to TARGET``: move a history (a brand's SQLite
file) into another (the team's PostgreSQL), every row, in one transaction."""

from __future__ import annotations

import argparse
import typing as t

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("history", help="the audience history: move it to a shared database")
    steps = p.add_subparsers(dest="step", metavar="STEP", required=True)
    move = steps.add_parser("migrate", help="copy every row of a history into another")
    move.add_argument("--from", dest="source", required=True, metavar="PATH_OR_URL")
    move.add_argument("--to", dest="target", required=True, metavar="PATH_OR_URL")
    move.add_argument(
        "--brand",
        default=None,
        help="the brand of rows written before histories held brands (default: the spec the "
        "source file lies beside)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit.audience.history import history_label
    from brandkit.audience.migrate import migrate_history

    copied = migrate_history(args.source, args.target, owner=args.brand)
    rows = ", ".join(f"{count} {table}" for table, count in copied.items())
    print(f"{history_label(args.source)} -> {history_label(args.target)}: {rows}")
    return 0
