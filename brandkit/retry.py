"""Retries: exponential backoff with jitter, honouring the platform's wait, bounded in total.

Adapters raise :class:`~brandkit.errors.AdapterError` with ``retryable=True`` for 429, 5xx and
transport failures (with the wait the platform asked for in ``retry_after``, if any); anything
else propagates at once. When the next wait would exceed the budget the error is raised as it
is, its message saying how long was waited.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
import typing as t

from brandkit.errors import AdapterError, RateLimitedError
from brandkit.gates import current_token

__all__ = ["RetryPolicy", "call_with_retries", "look_again"]

T = t.TypeVar("T")


@dataclasses.dataclass
class RetryPolicy:
    attempts: int = 5
    base: float = 0.5
    cap: float = 20.0
    budget: float = 60.0  # total seconds one call may spend waiting
    sleep: t.Callable[[float], None] = time.sleep
    waited: float = 0.0  # reported: the total wait across every call made with this policy
    _lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False)

    def record(self, seconds: float) -> None:
        with self._lock:
            self.waited += seconds

    def backoff(self, attempt: int) -> float:
        return min(self.cap, self.base * 2**attempt) * (0.5 + random.random() / 2)


def call_with_retries(fn: t.Callable[[], T], policy: RetryPolicy) -> T:
    spent = 0.0
    shared = current_token()  # the account's credential: a wait asked of one is for all
    for attempt in range(policy.attempts):
        try:
            if shared is not None:
                shared.wait(policy.sleep)
            return fn()
        except AdapterError as exc:
            if shared is not None and exc.retry_after and isinstance(exc, RateLimitedError):
                shared.blocked(exc.retry_after)
            if not exc.retryable or attempt == policy.attempts - 1:
                raise
            wait = max(policy.backoff(attempt), exc.retry_after or 0.0)
            if spent + wait > policy.budget:
                exc.gave_up = (
                    f"waited {spent:.1f} s; the next retry would wait {wait:.0f} s, "
                    f"over the {policy.budget:.0f} s budget"
                )
                raise
            policy.sleep(wait)
            spent += wait
            policy.record(wait)
    raise AssertionError("unreachable")


def look_again(find: t.Callable[[], T | None], seconds: float) -> T | None:
    """``find()`` until it finds something or ``seconds`` have passed, at growing intervals:
    for what a platform may still be making after brandkit gave up waiting for its answer."""
    deadline, pause = time.monotonic() + seconds, 0.25
    while (found := find()) is None:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        time.sleep(min(pause, left))
        pause *= 2
    return found
