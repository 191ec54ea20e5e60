"""``brandkit handoff SPEC... [-o DIR]``: the page a person follows where no API can write
(with the files to upload), in the brand's language. Reads the accounts; writes nothing to
them."""

from __future__ import annotations

import argparse
import typing as t
from pathlib import Path

from brandkit.cli._options import add_specs_argument, add_sync_options

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("handoff", help="write the page of what to change by hand where no API can")
    add_specs_argument(p)
    p.add_argument(
        "-o", "--out", metavar="DIR", default="handoff", help="folder for index.html and its files"
    )
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit.cli._common import specs_or_here
    from brandkit.cli._sync import sync_context
    from brandkit.reports.handoff import write_handoff
    from brandkit.sync import plan

    args.specs = specs_or_here(args.specs, "handoff")
    with sync_context(args, args.specs) as (brands, options):
        result = plan(brands, options)
        language = brands[0].identity.language if brands else "en"
        page, count = write_handoff(result, Path(args.out), language)
        sandbox = getattr(args, "running_sandbox", None)
        if sandbox is not None:
            _play_the_person(sandbox, brands, result)
    for account in result.errors:
        print(f"error  {account.platform}:{account.account}: {account.error}")
    print(f"{count} field(s) to change by hand: {page}")
    return 1 if result.errors else 0


def _play_the_person(sandbox: t.Any, brands: t.Sequence[t.Any], result: t.Any) -> None:
    """In the sandbox, do what the page says, as the person would on each platform's site, so
    that the next check shows the whole loop (never against a real platform)."""
    accounts = {(a.platform, a.id): a for b in brands for a in b.accounts}
    for planned in result.accounts:
        account = accounts.get((planned.platform, planned.account))
        for change in planned.changes:
            if account is None or not change.by_hand:
                continue
            value = Path(change.new_image).read_bytes() if change.kind == "image" else change.after
            if sandbox.server.apis[planned.platform].by_hand(account, change.field, value):
                print(
                    f"sandbox: changed {planned.platform}:{planned.account} {change.field} by hand"
                )
