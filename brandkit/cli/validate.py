"""``brandkit validate SPEC...``: report every problem in one or many specs."""

from __future__ import annotations

import argparse
import json
import typing as t

if t.TYPE_CHECKING:
    from brandkit.spec import ValidationResult

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("validate", help="check brand specs and report every problem at once")
    p.add_argument(
        "specs",
        nargs="*",
        metavar="SPEC",
        help="brand.yaml, brand.json or _brand.yml files (default: the one in this folder)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument(
        "--allow-absolute-paths",
        action="store_true",
        help="allow file paths outside the spec's folder",
    )
    p.set_defaults(run=run)


def _failed(result: ValidationResult, strict: bool) -> bool:
    return bool(result.errors or (strict and result.warnings))


def run(args: argparse.Namespace) -> int:
    from brandkit.cli._common import specs_or_here
    from brandkit.i18n import _, ngettext
    from brandkit.spec import validate

    specs = specs_or_here(args.specs, "validate")
    results = [validate(s, allow_absolute_paths=args.allow_absolute_paths) for s in specs]
    if args.format == "json":
        print(
            json.dumps(
                [i.to_dict() for r in results for i in r.issues], indent=2, ensure_ascii=False
            )
        )
    else:
        for result in results:
            for issue in result.issues:
                print(issue.format())
            e, w = len(result.errors), len(result.warnings)
            if e or w:
                errors = ngettext("{count} error", "{count} errors", e).format(count=e)
                warnings = ngettext("{count} warning", "{count} warnings", w).format(count=w)
                print(f"{result.file}: {errors}, {warnings}")
            else:
                print(result.file + ": " + _("ok"))
    return 1 if any(_failed(r, args.strict) for r in results) else 0
