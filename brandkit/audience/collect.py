"""``stats``: every account's audience figures now, kept as the day's snapshot in the history."""

from __future__ import annotations

import dataclasses
import functools
import typing as t
from pathlib import Path

from brandkit.audience.history import History, HistoryError, is_url, keep_for_later, now_iso
from brandkit.errors import AuthError
from brandkit.retry import call_with_retries
from brandkit.spec.model import Account, Brand
from brandkit.sync.options import SyncOptions
from brandkit.sync.runner import describe_failure, every_account, open_adapter, run_jobs

__all__ = ["AccountFigures", "StatsResult", "collect"]


@dataclasses.dataclass(frozen=True)
class AccountFigures:
    brand: str
    platform: str
    account: str
    audience: int | None
    metrics: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict)
    daily: t.Mapping[str, t.Mapping[str, int]] = dataclasses.field(default_factory=dict)
    refused: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    error: str | None = None
    auth_failed: bool = False

    def to_dict(self) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {
            "account": self.account,
            "platform": self.platform,
            "audience": self.audience,
            "metrics": dict(self.metrics),
        }
        if self.refused:
            out["refused"] = dict(self.refused)
        if self.error:
            out["error"] = self.error
        return out


@dataclasses.dataclass(frozen=True)
class StatsResult:
    collected_at: str
    accounts: tuple[AccountFigures, ...]
    # why the history could not be written (the figures were kept beside it for the next run)
    history_problem: str = ""

    def to_dict(self) -> dict[str, t.Any]:
        out = {"collected_at": self.collected_at, "accounts": [a.to_dict() for a in self.accounts]}
        if self.history_problem:
            out["history_problem"] = self.history_problem
        return out

    def exit_code(self) -> int:
        return 1 if self.history_problem or any(a.error for a in self.accounts) else 0


def _one(brand: Brand, account: Account, options: SyncOptions, days: int) -> AccountFigures:
    name = brand.identity.name
    try:
        adapter = open_adapter(account, options)
        try:
            found = call_with_retries(lambda: adapter.audience(days), options.retry)
        finally:
            adapter.close()
    except NotImplementedError as exc:
        return AccountFigures(name, account.platform, account.id, None, error=str(exc))
    except Exception as exc:  # one account's failure never stops the others
        return AccountFigures(
            name,
            account.platform,
            account.id,
            None,
            error=describe_failure(exc),
            auth_failed=isinstance(exc, AuthError),
        )
    return AccountFigures(
        name,
        account.platform,
        account.id,
        found.audience,
        found.metrics,
        found.daily,
        found.refused,
    )


def _gated(brand: Brand, account: Account, options: SyncOptions, days: int) -> AccountFigures:
    with options.gates.account(account, options.env):
        return _one(brand, account, options, days)


def collect(
    brands: t.Sequence[Brand],
    options: SyncOptions | None = None,
    history: str | Path | None = None,
    days: int = 7,
) -> StatsResult:
    """Read every account's figures (``days`` of per-day values where the platform keeps them)
    and, with a ``history`` path, store them as today's snapshot (one per account per day)."""
    options = options or SyncOptions()
    pairs = every_account(brands)
    jobs: list[t.Callable[[], AccountFigures]] = [
        functools.partial(_gated, b, a, options, days) for b, a in pairs
    ]
    results = tuple(run_jobs(jobs, options.workers))
    at = now_iso()
    problem = ""
    if history is not None:
        records = [
            (
                "snapshot",
                (r.brand, r.platform, r.account, r.audience, dict(r.metrics), dict(r.daily), at),
            )
            for r in results
            if r.audience is not None
        ]
        problem = record_or_keep(history, records, options.state_dir, brands)
    return StatsResult(at, results, problem)


def record_or_keep(
    history: str | Path,
    records: t.Sequence[tuple[str, t.Sequence[t.Any]]],
    state_dir: Path | None = None,
    brands: t.Sequence[Brand] = (),
) -> str:
    """Write (kind, args) records into the history in one transaction, after what earlier runs
    kept; when it cannot be written, keep them for the next run (beside a history file, in the
    state folder for a database server) and say why (else "")."""
    try:
        with History(history) as store:
            _adopt(store, brands)
            store.add_kept(state_dir)
            store.record(records)
    except HistoryError as exc:
        kept = keep_for_later(history, records, state_dir)
        return f"{exc} — kept in {kept}"
    return ""


def _adopt(store: History, brands: t.Sequence[Brand]) -> None:
    """Rows written before histories held brands belong to the brand whose spec the history
    file lies beside (.brandkit/history.sqlite)."""
    if is_url(store.target):
        return
    folder = Path(store.target).resolve().parent.parent
    owner = next((b for b in brands if b.source.resolve().parent == folder), None)
    if owner is not None:
        store.adopt(owner.identity.name)
