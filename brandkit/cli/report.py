"""``brandkit report SPEC...``: the audience report for the other departments."""

from __future__ import annotations

import argparse
import json
import sys
import typing as t
from pathlib import Path

from brandkit.cli._options import add_specs_argument, add_sync_options, add_workspace_options
from brandkit.cli._week import add_history_option, add_targets_option, history_path

__all__ = ["add_parser", "run"]


def add_parser(sub: t.Any) -> None:
    p = sub.add_parser("report", help="the audience report: figures, trends, on-brand, problems")
    add_specs_argument(p)
    p.add_argument("--period", default="week", help="week, month or a number of days")
    p.add_argument("--format", choices=("html", "md", "json"), default="html")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here (default: report.html; md and json print)",
    )
    p.add_argument(
        "--agency",
        action="store_true",
        help="one page over every brand: per client and across clients, audience and its change, "
        "on-brand or not, problems (for a folder of brands)",
    )
    add_targets_option(p, "--send", "also send it")
    add_history_option(p)
    add_workspace_options(p)
    add_sync_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from brandkit._files import atomic_write
    from brandkit.audience.notify import deliver, resolve_targets
    from brandkit.audience.observe import observe
    from brandkit.audience.render_report import report_html, report_markdown
    from brandkit.audience.report import build_report, parse_period
    from brandkit.cli._common import specs_or_here
    from brandkit.cli._sync import sync_context
    from brandkit.errors import PlanError
    from brandkit.workspace import roots_of

    args.roots = roots_of(args.specs)
    args.specs = specs_or_here(args.specs, "report")

    try:
        days = parse_period(args.period)
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    where = history_path(args)
    with sync_context(args, args.specs) as (brands, options):
        targets = resolve_targets(args.send, options.env)
        seen = observe(brands, options, where, days=max(days, 7))
    reports = [build_report(brand, seen, where, days) for brand in brands]
    language = getattr(args, "lang", None)  # --lang: this language; else each brand's own
    if args.agency:
        sent = _agency(args, brands, reports, language or "en", targets)
        return max(sent, seen.stats.exit_code())
    texts = {
        "html": [report_html(r, language) for r in reports],
        "md": [report_markdown(r, language) for r in reports],
        "json": [json.dumps(r.to_dict(), indent=2, ensure_ascii=False) for r in reports],
    }[args.format]
    output = args.output or ("report.html" if args.format == "html" else None)
    if output is None:
        print("\n\n".join(texts))
    else:
        out = Path(output)
        for i, text in enumerate(texts):
            path = out if len(texts) == 1 else out.with_stem(f"{out.stem}-{i + 1}")
            atomic_write(path, text.encode("utf-8"))
            print(f"report: {path}")
    failed = 0
    for report in reports:
        for target in targets:
            body = (
                report_html(report, language)
                if target.is_email
                else report_markdown(report, language)
            )
            error = deliver(target, f"{report.brand}: audience report", body, html=target.is_email)
            if error:
                failed += 1
                print(f"send failed: {error}", file=sys.stderr)
            else:
                print(f"sent to {target.shown}")
    return 1 if failed or seen.stats.exit_code() else 0


def _agency(
    args: argparse.Namespace,
    brands: t.Sequence[t.Any],
    reports: t.Sequence[t.Any],
    language: str,
    targets: t.Sequence[t.Any],
) -> int:
    """``--agency``: one page over every brand, per client and across clients."""
    from brandkit._files import atomic_write
    from brandkit.audience.agency import agency_html, agency_markdown, agency_report
    from brandkit.audience.notify import deliver

    overview = agency_report(brands, reports)
    text = {
        "html": lambda: agency_html(overview, language),
        "md": lambda: agency_markdown(overview, language),
        "json": lambda: json.dumps(overview.to_dict(), indent=2, ensure_ascii=False),
    }[args.format]()
    output = args.output or ("agency.html" if args.format == "html" else None)
    if output is None:
        print(text)
    else:
        atomic_write(Path(output), text.encode("utf-8"))
        print(f"report: {output}")
    failed = 0
    for target in targets:
        body = (
            agency_html(overview, language)
            if target.is_email
            else agency_markdown(overview, language)
        )
        error = deliver(target, "brandkit: every client", body, html=target.is_email)
        if error:
            failed += 1
            print(f"send failed: {error}", file=sys.stderr)
    return 1 if failed else 0
