"""One look at every account: is it on-brand (a check), what are its figures (stats), and what
changed since the last look (events). ``report`` and ``watch`` are built on it."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from brandkit.audience.collect import StatsResult, collect
from brandkit.audience.history import History
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
    from brandkit.sync import plan

    result = plan(brands, options)
    stats = collect(brands, options, history=history, days=days)
    found: list[Transition] = []
    with History(history) as store:
        for account in result.accounts:
            fields = sorted({c.field for c in account.changes})
            store.add_check(
                account.platform,
                account.account,
                account.status,
                fields,
                account.error or "",
            )
            if track:
                before = store.alert_state(account.platform, account.account)
                moved = transitions(before, account)
                found += moved
                store.move(
                    account.platform,
                    account.account,
                    state_of(account),
                    [(m.kind, m.detail) for m in moved],
                    targets,
                )
    return Observation(result, stats, tuple(found))
