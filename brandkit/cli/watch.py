"""``brandkit watch SPEC...``: for a scheduled job. Check + stats + history, and an alert only
when something changed; exit 0 in sync, 2 drift, 1 error (as ``check``)."""

from __future__ import annotations

import argparse
import sys
import typing as t
from pathlib import Path

from brandkit.cli._options import add_specs_argument, add_sync_options, add_workspace_options
from brandkit.cli._week import add_history_option, add_targets_option, history_path

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("watch", help="scheduled check + stats; alerts only when something changes")
    add_specs_argument(p)
    add_targets_option(p, "--notify", "where alerts go")
    add_history_option(p)
    add_workspace_options(p, shard=True)
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit.audience.notify import resolve_targets
    from brandkit.audience.watch import watch
    from brandkit.cli._common import specs_or_here
    from brandkit.cli._sync import sync_context
    from brandkit.i18n import _, localize
    from brandkit.reports import plan_text
    from brandkit.workspace import parse_shard, roots_of, take_shard

    args.roots = roots_of(args.specs)
    args.specs = specs_or_here(args.specs, "watch")
    history = history_path(args)  # every shard's, before each takes its share
    shard = parse_shard(args.shard) if args.shard else None
    if shard is not None:
        if not args.roots:  # every shard's state beside the first spec of all
            args.state = args.state or str(Path(args.specs[0]).resolve().parent / ".brandkit")
        args.specs = take_shard(args.specs, args.roots, shard)
        if not args.specs:
            print(_("shard {shard}: no brand falls to it").format(shard=shard))
            return 0

    with sync_context(args, args.specs) as (brands, options):
        targets = resolve_targets(args.notify, options.env)
        result = watch(brands, options, history, targets, shard)
    print(plan_text(result.seen.plan))
    for change in result.transitions:
        print(_("alert: {detail}").format(detail=localize(change.detail)))
    if not result.transitions:
        print(_("no change since the last watch: no alert"))
    if result.delivered:
        print(_("alerts delivered: {count}").format(count=result.delivered))
    for failure in result.failures:
        said = _("alert not delivered (kept, sent again next run): {why}")
        print(said.format(why=localize(failure)), file=sys.stderr)
    if result.seen.history_problem:
        said = _("history: {problem}").format(problem=localize(result.seen.history_problem))
        print(said, file=sys.stderr)
    return result.exit_code()
