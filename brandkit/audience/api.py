"""The Python API of the community manager's week: ``stats``, ``report`` and ``watch`` take spec
paths or loaded brands, like ``plan`` and ``check``, and return result objects."""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

from brandkit.audience.collect import StatsResult, collect
from brandkit.audience.notify import resolve_targets
from brandkit.audience.observe import observe
from brandkit.audience.report import Report, build_report, parse_period
from brandkit.audience.watch import WatchResult
from brandkit.audience.watch import watch as _watch
from brandkit.spec.model import Brand
from brandkit.sync.api import Specs, _brands
from brandkit.sync.options import SyncOptions

__all__ = ["default_history", "report", "stats", "watch"]


def default_history(brands: t.Sequence[Brand]) -> str | Path:
    """``BRANDKIT_HISTORY`` (a file or a database URL), else ``.brandkit/history.sqlite``
    beside the (first) spec."""
    given = os.environ.get("BRANDKIT_HISTORY", "")
    if given:
        return given if "://" in given else Path(given)
    return brands[0].source.parent / ".brandkit" / "history.sqlite"


def stats(
    specs: Specs, options: SyncOptions | None = None, history: str | Path | None = None
) -> StatsResult:
    """Every account's audience figures now, stored as today's snapshot in the history."""
    brands = _brands(specs)
    return collect(brands, options, history=history or default_history(brands))


def report(
    specs: Specs,
    options: SyncOptions | None = None,
    period: str | int = "week",
    history: str | Path | None = None,
) -> list[Report]:
    """One report per brand over ``period`` (week, month, or a number of days)."""
    brands = _brands(specs)
    days = period if isinstance(period, int) else parse_period(period)
    where = history or default_history(brands)
    seen = observe(brands, options or SyncOptions(), where, days=max(days, 7))
    return [build_report(brand, seen, where, days) for brand in brands]


def watch(
    specs: Specs,
    options: SyncOptions | None = None,
    notify: t.Sequence[str] = (),
    history: str | Path | None = None,
) -> WatchResult:
    """Check + stats + history; alerts for what changed since the last watch, sent to each
    ``notify`` target (an apprise URL or ``env:VAR``)."""
    brands = _brands(specs)
    options = options or SyncOptions()
    targets = resolve_targets(notify, options.env)
    return _watch(brands, options, history or default_history(brands), targets)
