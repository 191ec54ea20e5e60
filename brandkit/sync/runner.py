"""Work on every account at once: what plan, apply, check, restore, stats and watch share.

Each account is a job on a bounded pool; one account's failure never stops the others, and is
said in one wording whatever the command.
"""

from __future__ import annotations

import concurrent.futures
import threading
import typing as t

from brandkit.adapters.base import Adapter
from brandkit.errors import BrandkitError
from brandkit.i18n import msg
from brandkit.platforms.registry import ADAPTERS
from brandkit.spec.model import Account, Brand
from brandkit.sync.options import SyncOptions

__all__ = ["describe_failure", "every_account", "open_adapter", "run_jobs"]

T = t.TypeVar("T")


def every_account(brands: t.Sequence[Brand]) -> list[tuple[Brand, Account]]:
    return [(b, a) for b in brands for a in b.accounts]


def open_adapter(account: Account, options: SyncOptions) -> Adapter:
    """The account's platform adapter, pointed where ``options`` say (real or sandbox)."""
    return ADAPTERS[account.platform](account, options.env, options.resolved_endpoints())


def run_jobs(
    jobs: t.Sequence[t.Callable[[], T]], workers: int, cancel: threading.Event | None = None
) -> list[T]:
    """Run the jobs on a bounded pool, results in order. Ctrl-C sets ``cancel`` (jobs stop
    issuing writes) and waits for the jobs to wind down, so each can say what it did and did not
    write."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(job) for job in jobs]
        try:
            return [f.result() for f in futures]
        except KeyboardInterrupt:
            if cancel is None:
                raise
            cancel.set()
            return [f.result() for f in futures]


def describe_failure(exc: Exception) -> str:
    """An account's failure in words: brandkit's own errors as they are; anything else (a bug, an
    undecodable image from a CDN error page...) named, so it can be reported."""
    if isinstance(exc, BrandkitError):
        return str(exc)
    return msg(
        "unexpected error ({kind}: {detail}); other accounts went on",
        kind=type(exc).__name__,
        detail=str(exc)[:200],
    )
