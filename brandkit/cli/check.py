"""``brandkit check SPEC...``: exit 0 when every account matches, 2 on drift, 1 on error."""

from __future__ import annotations

import argparse
import sys
import typing as t
from pathlib import Path

from brandkit.cli._options import add_specs_argument, add_sync_options, add_workspace_options

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("check", help="CI check: exit 0 in sync, 2 drift, 1 error")
    add_specs_argument(p)
    p.add_argument("--format", choices=("text", "json", "junit"), default="text")
    p.add_argument(
        "--report", metavar="REPORT.html", help="also write a self-contained HTML report"
    )
    p.add_argument("--junit", metavar="FILE.xml", help="also write JUnit XML (CI test reports)")
    p.add_argument(
        "--summary",
        metavar="FILE.md",
        help="also append a Markdown table of the accounts (e.g. $GITHUB_STEP_SUMMARY)",
    )
    add_workspace_options(p)
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here: the platform clients are only needed when a command talks to platforms
    from brandkit._files import atomic_write
    from brandkit.cli._common import colour_wanted, specs_or_here
    from brandkit.cli._sync import sync_context
    from brandkit.i18n import _
    from brandkit.reports import html_report, junit_xml, plan_json, plan_markdown, plan_text
    from brandkit.sync import plan
    from brandkit.workspace import roots_of

    args.roots = roots_of(args.specs)
    args.specs = specs_or_here(args.specs, "check")

    with sync_context(args, args.specs) as (brands, options):
        result = plan(brands, options)
    if args.format == "text":
        print(plan_text(result, colour=colour_wanted()))
    else:
        print({"json": plan_json, "junit": junit_xml}[args.format](result))
    if args.report:
        atomic_write(Path(args.report), html_report(result).encode("utf-8"))
        print(_("report: {path}").format(path=args.report), file=sys.stderr)  # stdout: JSON?
    if args.junit:
        atomic_write(Path(args.junit), junit_xml(result).encode("utf-8"))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:  # GitHub appends steps' parts
            summary.write(plan_markdown(result))
    return result.exit_code()
