"""``brandkit apply SPEC...``: write only what differs, after a backup; then verify."""

from __future__ import annotations

import argparse
import json
import sys
import typing as t
from pathlib import Path

from brandkit.cli._options import add_sync_options, add_workspace_options
from brandkit.errors import PlanError

if t.TYPE_CHECKING:
    from brandkit.sync import Plan

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("apply", help="apply the spec to every account (asks first on a terminal)")
    p.add_argument(
        "specs", nargs="*", metavar="SPEC", help="specs (taken from the plan file with --plan)"
    )
    p.add_argument(
        "--plan", metavar="PLAN.json", help="apply a saved plan, only if the accounts did not move"
    )
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--force", action="store_true", help="allow blanking fields and renaming far")
    add_workspace_options(p)
    add_sync_options(p)
    p.set_defaults(run=run)


def _saved(path: str) -> Plan:
    from brandkit.sync import Plan

    try:
        return Plan.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PlanError(f"{path}: not a readable brandkit plan ({type(exc).__name__})") from None


def run(args: argparse.Namespace) -> int:
    # imported here: the platform clients are only needed when a command talks to platforms
    from brandkit.cli._common import colour_wanted, specs_or_here
    from brandkit.cli._sync import Progress, confirm, sync_context
    from brandkit.i18n import _, localize
    from brandkit.reports import plan_text, status_word
    from brandkit.sync import apply, plan

    saved = _saved(args.plan) if args.plan else None
    if saved is not None:
        specs = list(args.specs) or sorted({a.spec for a in saved.accounts})
    else:
        from brandkit.workspace import roots_of

        args.roots = roots_of(args.specs)
        specs = specs_or_here(args.specs, "apply")
    with sync_context(args, specs) as (brands, options):
        if saved is None:
            preview = plan(brands, options)
            print(plan_text(preview, colour=colour_wanted()))
            if not preview.changes:
                return 1 if preview.errors else 0
            if not args.yes and not confirm(options, _("apply these changes?")):
                print(_("nothing written"))
                return 0
        if isinstance(options.progress, Progress):
            options.progress.phase(_("writing"))
        result = apply(brands, options, saved=saved)
    _remember(brands, result)
    for account in result.accounts:
        line = (
            f"{status_word(account.status)}  {account.brand} · {account.platform}:{account.account}"
        )
        print(line + (f"  {localize(account.message)}" if account.message else ""))
    waited = _("; retries waited {seconds} s").format(seconds=f"{result.waited:.1f}")
    print(localize(result.summary()) + (waited if result.waited else ""))
    if result.interrupted:
        print(
            _(
                "interrupted: no write was started after Ctrl-C; each account above says what it "
                "wrote"
            )
        )
    if result.backup:
        print(
            _("backup of what was replaced: {path}  (undo: brandkit restore {path})").format(
                path=result.backup
            )
        )
    return result.exit_code()


def _remember(brands: t.Sequence[t.Any], result: t.Any) -> None:
    """What apply did goes into the history the report reads (best effort: an apply is never
    failed by its history)."""
    from brandkit.audience.api import default_history
    from brandkit.audience.history import History
    from brandkit.errors import BrandkitError

    try:
        with History(default_history(brands)) as store:
            for account in result.accounts:
                if account.status == "changed":
                    fields = ", ".join(c.field for c in account.changes)
                    store.add_event(
                        account.brand, account.platform, account.account, "applied", fields
                    )
                elif account.status == "failed":
                    store.add_event(
                        account.brand,
                        account.platform,
                        account.account,
                        "apply_failed",
                        account.message,
                    )
    except BrandkitError as exc:
        print(f"note: the history was not updated ({exc})", file=sys.stderr)
