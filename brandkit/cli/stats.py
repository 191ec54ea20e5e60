"""``brandkit stats SPEC...``: every account's audience figures now, kept in the history."""

from __future__ import annotations

import argparse
import json
import sys
import typing as t

from brandkit.cli._options import add_specs_argument, add_sync_options, add_workspace_options
from brandkit.cli._week import add_history_option, history_path

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("stats", help="read each account's audience figures and keep a snapshot")
    add_specs_argument(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_history_option(p)
    add_workspace_options(p)
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit.audience.collect import collect
    from brandkit.cli._common import specs_or_here
    from brandkit.cli._sync import sync_context
    from brandkit.workspace import roots_of

    args.roots = roots_of(args.specs)
    args.specs = specs_or_here(args.specs, "stats")

    with sync_context(args, args.specs) as (brands, options):
        result = collect(brands, options, history=history_path(args))
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return result.exit_code()
    from babel.numbers import format_decimal

    from brandkit.audience.history import history_label
    from brandkit.i18n import _, cldr_locale, current_language, localize
    from brandkit.platforms.registry import ADAPTERS
    from brandkit.reports import status_word
    from brandkit.textsafe import plain

    locale = cldr_locale(current_language())

    def number(value: int | float) -> str:
        pattern = "#,##0.##" if isinstance(value, float) else "#,##0"
        return str(format_decimal(value, format=pattern, locale=locale))

    for a in result.accounts:
        where = plain(f"{a.platform}:{a.account}")
        if a.error:
            print(f"{status_word('failed')}  {where}  {plain(localize(a.error))}")
            continue
        shown = ", ".join(
            f"{_(label)} {number(a.metrics[key])}"
            for key, label in ADAPTERS[a.platform].FIGURES
            if isinstance(a.metrics.get(key), (int, float))
        )
        audience = number(a.audience) if a.audience is not None else "—"
        print(f"{audience:>10}  {where}  ({shown})")
        for metric, why in a.refused.items():
            said = _("{account}: {metric} refused: {why}")
            print(
                "           " + said.format(account=where, metric=metric, why=plain(localize(why)))
            )
    if result.history_problem:
        print(_("history: {problem}").format(problem=result.history_problem), file=sys.stderr)
    said = _("collected {when}; history {path}")
    print(said.format(when=result.collected_at, path=history_label(history_path(args))))
    return result.exit_code()
