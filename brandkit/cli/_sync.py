"""Options and set-up shared by plan, apply, check and restore (including ``--sandbox``)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import typing as t
from pathlib import Path

from brandkit.adapters import ADAPTERS
from brandkit.cli._common import load_specs
from brandkit.spec.model import Brand
from brandkit.sync import SyncOptions

__all__ = ["environment", "sync_context"]


@contextlib.contextmanager
def sync_context(
    args: argparse.Namespace, specs: t.Sequence[str]
) -> t.Iterator[tuple[list[Brand], SyncOptions]]:
    brands = load_specs(specs)
    state = Path(args.state)
    env = environment(brands, quiet=args.quiet)
    with contextlib.ExitStack() as stack:
        if args.sandbox:
            from brandkit.sync.sandboxing import provision, start_sandbox

            sandbox = start_sandbox(state / "sandbox")
            stack.callback(sandbox.stop)  # stopped however provisioning or the command ends
            env.update(provision(sandbox, brands))
        skipped = [
            f"{a.platform}:{a.id}" for b in brands for a in b.accounts if a.platform not in ADAPTERS
        ]
        if skipped and not args.quiet:
            print(
                f"skipped (no adapter for this platform yet): {', '.join(skipped)}", file=sys.stderr
            )
        from brandkit.retry import RetryPolicy

        total = sum(1 for b in brands for a in b.accounts if a.platform in ADAPTERS)
        progress = stack.enter_context(_progress(args.quiet, total))
        yield (
            brands,
            SyncOptions(
                env=env,
                state_dir=state,
                workers=args.workers,
                retry=RetryPolicy(budget=args.retry_budget),
                force=getattr(args, "force", False),
                settle_timeout=args.settle_timeout,
                progress=progress,
            ),
        )


def environment(brands: t.Sequence[Brand], quiet: bool = False) -> dict[str, str]:
    """The process environment, plus what a ``.env`` file beside each spec sets; the real
    environment always wins (a CI secret is never overridden by a file in the checkout)."""
    from dotenv import dotenv_values

    env: dict[str, str] = dict(os.environ)
    for folder in dict.fromkeys(brand.source.parent for brand in brands):
        path = folder / ".env"
        if not path.is_file():
            continue
        values = dotenv_values(path)
        added = [n for n, v in values.items() if v is not None and n not in os.environ]
        for name in added:
            env[name] = t.cast(str, values[name])
        if added and not quiet:  # names only: values never appear in output
            print(f"credentials: {path} sets {', '.join(sorted(added))}", file=sys.stderr)
    return env


@contextlib.contextmanager
def _progress(quiet: bool, total: int) -> t.Iterator[t.Callable[[str], None] | None]:
    """A progress bar on a terminal; plain lines elsewhere (CI logs); nothing with --quiet."""
    if quiet:
        yield None
        return
    if not sys.stderr.isatty():
        yield lambda line: print(line, file=sys.stderr, flush=True)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("accounts", total=total)

        def advance(line: str) -> None:
            kind = line.split()[0]
            if kind in ("error", "failed", "waiting"):
                bar.console.print(line)  # failures and waits stay on screen; the rest is the bar
            if kind != "waiting":  # a wait is not an account done
                bar.advance(task)

        yield advance
