"""``brandkit plan SPEC...``: what would change, field by field. Never writes."""

from __future__ import annotations

import argparse
import json
import sys
import typing as t
from pathlib import Path

from brandkit.cli._options import add_specs_argument, add_sync_options, add_workspace_options

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("plan", help="show what apply would change on every account")
    add_specs_argument(p)
    p.add_argument("--out", metavar="PLAN.json", help="save the plan, for `apply --plan`")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="json: the plan as `--out` saves it, with each change's --force reason; markdown: "
        "a pull request's review comment, with thumbnails written to --thumbnails",
    )
    p.add_argument(
        "--thumbnails",
        metavar="DIR",
        default="plan-thumbnails",
        help="markdown: the folder for the images' thumbnails (upload it with the comment)",
    )
    p.add_argument(
        "--images-url",
        metavar="URL",
        default=None,
        help="markdown: where the thumbnails will be served from (default: the folder's path)",
    )
    p.add_argument(
        "--plan-url",
        metavar="URL",
        default="",
        help="markdown: where the whole plan can be read when the comment cannot hold it all",
    )
    add_workspace_options(p)
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here: the platform clients are only needed when a command talks to platforms
    from brandkit._files import atomic_write
    from brandkit.cli._common import colour_wanted, specs_or_here
    from brandkit.cli._sync import sync_context
    from brandkit.reports import plan_json, plan_text
    from brandkit.sync import plan
    from brandkit.workspace import roots_of

    args.roots = roots_of(args.specs)
    args.specs = specs_or_here(args.specs, "plan")

    with sync_context(args, args.specs) as (brands, options):
        result = plan(brands, options)
    if args.format == "markdown":
        from brandkit.reports.review import plan_review

        base = args.images_url or f"{Path(args.thumbnails).as_posix().rstrip('/')}/"
        print(plan_review(result, Path(args.thumbnails), base, args.plan_url), end="")
    elif args.format == "json":
        print(plan_json(result))
    else:
        print(plan_text(result, colour=colour_wanted()))
    if args.out:
        atomic_write(
            Path(args.out),
            (json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n").encode(),
        )
        print(f"plan saved to {args.out}", file=sys.stderr if args.format != "text" else sys.stdout)
    return 1 if result.errors else 0
