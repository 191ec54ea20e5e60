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

__all__ = ["add_sync_options", "sync_context"]


def add_sync_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", action="store_true",
                   help="run against the embedded sandbox (no accounts needed); state under --state/sandbox")
    p.add_argument("--state", default=".brandkit", metavar="DIR",
                   help="working folder: rendered assets, caches, backups, sandbox state (default: .brandkit)")
    p.add_argument("--workers", type=int, default=8, help="accounts handled at once (default 8)")
    p.add_argument("--retry-budget", type=float, default=60.0, metavar="SECONDS",
                   help="longest total wait for retries of one call (default 60)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")


@contextlib.contextmanager
def sync_context(args: argparse.Namespace, specs: t.Sequence[str]) -> t.Iterator[tuple[list[Brand], SyncOptions]]:
    brands = load_specs(specs)
    state = Path(args.state)
    env: dict[str, str] = dict(os.environ)
    sandbox = None
    if args.sandbox:
        from brandkit.sync.sandboxing import provision, start_sandbox

        sandbox = start_sandbox(state / "sandbox")
        env.update(provision(sandbox, brands))
    skipped = [f"{a.platform}:{a.id}" for b in brands for a in b.accounts if a.platform not in ADAPTERS]
    if skipped and not args.quiet:
        print(f"skipped (no adapter for this platform yet): {', '.join(skipped)}", file=sys.stderr)
    from brandkit.retry import RetryPolicy

    progress = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    options = SyncOptions(env=env, state_dir=state, workers=args.workers,
                          retry=RetryPolicy(budget=args.retry_budget), force=getattr(args, "force", False),
                          progress=progress)
    try:
        yield brands, options
    finally:
        if sandbox is not None:
            sandbox.stop()
