"""One look at every account: is it on-brand (a check), what are its figures (stats), and what
changed since the last look (events). ``report`` and ``watch`` are built on it."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from brandkit.audience.collect import StatsResult, collect, record_or_keep
from brandkit.audience.history import History, HistoryError, now_iso
from brandkit.i18n import joined, msg
from brandkit.spec.model import Brand
from brandkit.sync.model import AccountPlan, Plan
from brandkit.sync.options import SyncOptions

__all__ = ["Observation", "Transition", "observe", "state_of", "transitions"]


@dataclasses.dataclass(frozen=True)
class Transition:
    """Something that changed for an account since the last look: what a person is told."""

    platform: str
    account: str
    kind: str  # drift_appeared, drift_resolved, failing, token_refused, recovered
    detail: str


@dataclasses.dataclass(frozen=True)
class Observation:
    plan: Plan
    stats: StatsResult
    transitions: tuple[Transition, ...] = ()
    # why the history could not be read or written (the check's result stands), else ""
    history_problem: str = ""


def state_of(account: AccountPlan) -> str:
    """``ok``, ``drift:<fields>``, ``auth`` or ``failing``: what alerts compare between runs."""
    if account.error:
        return "auth" if account.auth_failed else "failing"
    if account.changes:
        return "drift:" + ",".join(sorted({c.field for c in account.changes}))
    return "ok"


def _label(account: AccountPlan) -> str:
    return f"{account.platform}:{account.account}"


def transitions(before: str | None, account: AccountPlan) -> list[Transition]:
    """What to tell about an account whose state went from ``before`` to now. The first look
    tells only problems (nothing was known before); the same state twice tells nothing."""
    now = state_of(account)
    if now == before or (before is None and now == "ok"):
        return []
    p, a, who = account.platform, account.account, _label(account)
    out: list[Transition] = []
    was_problem = before is not None and not before.startswith(("ok", "drift"))
    if was_problem and (now == "ok" or now.startswith("drift")):
        out.append(Transition(p, a, "recovered", msg("{who}: answers again", who=who)))
    if now.startswith("drift"):
        fields = now.split(":", 1)[1]
        changes = joined([c.describe() for c in account.changes])
        said = msg(
            "{who}: off-brand: {fields} ({changes})",
            who=who,
            fields=fields.replace(",", ", "),
            changes=changes,
        )
        out.append(Transition(p, a, "drift_appeared", said))
    elif now == "ok" and before is not None and before.startswith("drift"):
        out.append(Transition(p, a, "drift_resolved", msg("{who}: on-brand again", who=who)))
    elif now == "auth":
        out.append(
            Transition(p, a, "token_refused", msg("{who}: {error}", who=who, error=account.error))
        )
    elif now == "failing":
        out.append(Transition(p, a, "failing", msg("{who}: {error}", who=who, error=account.error)))
    return out


def observe(
    brands: t.Sequence[Brand],
    options: SyncOptions,
    history: str | Path,
    *,
    days: int = 7,
    track: bool = False,
    targets: t.Sequence[str] = (),
) -> Observation:
    """Check and read the figures of every account; record both in the history. With ``track``,
    also compare each account's state with the last tracked one and record what changed as
    events, each queued for delivery to ``targets`` (what ``watch`` alerts on)."""
    from brandkit.adapters.reads import ReadCache
    from brandkit.sync import plan

    # one look: what the check read, the figures do not ask again (nothing is written here)
    endpoints = dataclasses.replace(options.resolved_endpoints(), reads=ReadCache())
    options = dataclasses.replace(options, endpoints=endpoints)
    result = plan(brands, options)
    stats = collect(brands, options, history=history, days=days)
    at = now_iso()
    checks = [
        (
            "check",
            (
                a.brand,
                a.platform,
                a.account,
                a.status,
                sorted({c.field for c in a.changes}),
                a.error or "",
                at,
            ),
        )
        for a in result.accounts
    ]
    # the check's result stands whatever happens to the history: a damaged file is said, and
    # this run's records are kept beside it for the next run
    problem = record_or_keep(history, checks, options.state_dir) or stats.history_problem
    found: list[Transition] = []
    if track and not problem:
        try:
            with History(history) as store:
                for account in result.accounts:
                    found += _move(store, account, targets)
        except HistoryError as exc:
            problem = str(exc)
    return Observation(result, stats, tuple(found), problem)


def _move(store: History, account: AccountPlan, targets: t.Sequence[str]) -> list[Transition]:
    """The account's alerts, decided on the state read in the transaction that records them."""
    moved: list[Transition] = []

    def decide(before: str | None) -> tuple[str, list[tuple[str, str]]]:
        moved[:] = transitions(before, account)
        return state_of(account), [(m.kind, m.detail) for m in moved]

    store.move(account.brand, account.platform, account.account, decide, targets)
    return moved
