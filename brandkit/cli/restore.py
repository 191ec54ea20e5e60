"""``brandkit restore BACKUP``: put back what an apply replaced."""

from __future__ import annotations

import argparse
import typing as t
from pathlib import Path

from brandkit.cli._options import add_sync_options

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("restore", help="put back the values and images a backup holds")
    p.add_argument("backup", metavar="BACKUP", help="a folder under .brandkit/backups/")
    p.add_argument(
        "specs",
        nargs="*",
        metavar="SPEC",
        help="specs naming the accounts (default: from the backup)",
    )
    p.add_argument("--yes", action="store_true", help="do not ask before writing")
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here: the platform clients are only needed when a command talks to platforms
    from brandkit.cli._sync import confirm, sync_context
    from brandkit.i18n import _, localize
    from brandkit.reports import status_word
    from brandkit.sync import restore
    from brandkit.sync.backup import read_backup, read_index

    folder = Path(args.backup)
    specs = list(args.specs) or [str(s) for s in read_index(folder).get("specs", [])]
    with sync_context(args, specs) as (brands, options):
        if not args.yes:
            held = read_backup(folder)
            for backed in held:
                fields = sorted({*backed.text, *backed.images})
                where = f"{backed.platform}:{backed.account}"
                print(
                    _("will put back  {account}  {fields}").format(
                        account=where, fields=", ".join(fields)
                    )
                )
            if not confirm(options, _("write these values to the live accounts?")):
                print(_("nothing written"))
                return 0
        result = restore(folder, brands, options)
    for account in result.accounts:
        print(
            f"{status_word(account.status)}  {account.platform}:{account.account}"
            + (f"  {localize(account.message)}" if account.message else "")
        )
    print(localize(result.summary()))
    if result.backup:
        print(_("the state before this restore is backed up in {path}").format(path=result.backup))
    return result.exit_code()
