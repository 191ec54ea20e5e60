"""``brandkit stats SPEC...``: every account's audience figures now, kept in the history."""

from __future__ import annotations

import argparse
import json
import typing as t

from brandkit.cli._options import add_sync_options
from brandkit.cli._week import add_history_option, history_path

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("stats", help="read each account's audience figures and keep a snapshot")
    p.add_argument("specs", nargs="+", metavar="SPEC")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_history_option(p)
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit.audience.collect import collect
    from brandkit.cli._sync import sync_context

    with sync_context(args, args.specs) as (brands, options):
        result = collect(brands, options, history=history_path(args))
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return result.exit_code()
    from brandkit.i18n import _, localize
    from brandkit.reports import status_word

    for a in result.accounts:
        where = f"{a.platform}:{a.account}"
        if a.error:
            print(f"{status_word('failed')}  {where}  {localize(a.error)}")
            continue
        shown = ", ".join(
            f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
            for k, v in a.metrics.items()
            if isinstance(v, (int, float)) and k != "followers_count"
        )
        print(f"{a.audience:>10,}  {where}  ({shown})")
        for metric, why in a.refused.items():
            said = _("{account}: {metric} refused: {why}")
            print("           " + said.format(account=where, metric=metric, why=localize(why)))
    said = _("collected {when}; history {path}")
    print(said.format(when=result.collected_at, path=history_path(args)))
    return result.exit_code()
