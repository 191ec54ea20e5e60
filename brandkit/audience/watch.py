"""``watch``: what a scheduled job runs. Check + stats + history, then an alert only for what
changed since the last run, delivered to every target; a delivery that fails stays queued and is
tried again on the next run (the check's result never depends on it)."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from brandkit.audience.history import History, HistoryError
from brandkit.audience.notify import Target, deliver
from brandkit.audience.observe import Observation, Transition, observe
from brandkit.audience.report import ADVICE
from brandkit.i18n import N_, words_in
from brandkit.spec.model import Brand
from brandkit.sync.options import SyncOptions
from brandkit.textsafe import md, plain
from brandkit.workspace import Shard

__all__ = ["WatchResult", "send_pending", "watch"]

HEADLINES = {
    "drift_appeared": N_("off-brand"),
    "drift_resolved": N_("on-brand again"),
    "failing": N_("cannot be read"),
    "token_refused": N_("credentials refused"),
    "recovered": N_("answers again"),
}


@dataclasses.dataclass(frozen=True)
class WatchResult:
    seen: Observation
    delivered: int
    failures: tuple[str, ...]  # why deliveries failed (no secrets), each is retried next run

    @property
    def transitions(self) -> tuple[Transition, ...]:
        return self.seen.transitions

    def exit_code(self) -> int:
        return self.seen.plan.exit_code()


def send_pending(
    history: str | Path,
    targets: t.Sequence[Target],
    languages: t.Mapping[tuple[str, str, str], str] | None = None,
) -> tuple[int, list[str]]:
    """Deliver every queued alert to its target; failures stay queued. (sent, failures)

    An alert is for the brand's team: its headline and advice are in the brand's language
    (``languages``: (brand, platform, account) -> BCP 47 tag; English when not given)."""
    by_key = {target.key: target for target in targets}
    sent, failures = 0, []
    with History(history) as store:
        for outbox_id, key, event in store.pending(list(by_key)):
            if not store.claim(outbox_id):
                continue  # another job running at the same moment is sending this one
            target = by_key[key]
            language = (languages or {}).get((event.brand, event.platform, event.account))
            words = words_in(language or "en")
            headline = words(HEADLINES[event.kind]) if event.kind in HEADLINES else ""
            title = plain(f"brandkit: {event.platform}:{event.account} {headline}")
            body = md(event.detail)  # sent as Markdown: a bio's markup or links stay text
            if event.kind in ADVICE:
                body += "\n\n" + words(ADVICE[event.kind])
            error = deliver(target, title.strip(), body, html=False)
            store.delivered(outbox_id, error)
            if error is None:
                sent += 1
            else:
                failures.append(error)
                store.add_event(event.brand, event.platform, event.account, "notify_failed", error)
    return sent, failures


def watch(
    brands: t.Sequence[Brand],
    options: SyncOptions,
    history: str | Path,
    targets: t.Sequence[Target] = (),
    shard: Shard | None = None,
) -> WatchResult:
    """One watch of ``brands`` (as shard ``shard`` of a split one: its accounts only, and the
    history refuses a shard that overlaps one running)."""
    if shard is None:
        return _watch(brands, options, history, targets)
    with History(history) as store, store.shard(shard.index, shard.of):
        return _watch(brands, options, history, targets)


def _watch(
    brands: t.Sequence[Brand],
    options: SyncOptions,
    history: str | Path,
    targets: t.Sequence[Target],
) -> WatchResult:
    seen = observe(brands, options, history, track=True, targets=[t.key for t in targets])
    if seen.history_problem:  # no alert state to move nor outbox to send: said, result stands
        return WatchResult(seen, 0, ())
    languages = {
        (b.identity.name, a.platform, a.id): b.identity.language for b in brands for a in b.accounts
    }
    try:
        sent, failures = send_pending(history, targets, languages)
    except HistoryError as exc:
        return WatchResult(dataclasses.replace(seen, history_problem=str(exc)), 0, ())
    return WatchResult(seen, sent, tuple(failures))
