"""Retries: exponential backoff with jitter, honouring the platform's reset time, bounded in total.

Adapters raise ``Retryable`` for 429, 5xx and transport failures (with the wait the platform
asked for, if any); anything else propagates at once. When the next wait would exceed the
budget the last error is raised, with the time already waited.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
import typing as t

__all__ = ["RetryPolicy", "Retryable", "call_with_retries"]

T = t.TypeVar("T")


class Retryable(Exception):
    """Wraps a brandkit error that may succeed if tried again."""

    def __init__(self, error: Exception, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


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


def call_with_retries(fn: t.Callable[[], T], policy: RetryPolicy) -> T:
    spent = 0.0
    for attempt in range(policy.attempts):
        try:
            return fn()
        except Retryable as exc:
            if attempt == policy.attempts - 1:
                raise exc.error from None
            backoff = min(policy.cap, policy.base * 2 ** attempt) * (0.5 + random.random() / 2)
            wait = max(backoff, exc.wait or 0.0)
            if spent + wait > policy.budget:
                note = f" (waited {spent:.1f} s; the next retry would wait {wait:.0f} s, over the {policy.budget:.0f} s budget)"
                err = exc.error
                err.args = (str(err) + note,)
                raise err from None
            policy.sleep(wait)
            spent += wait
            policy.record(wait)
    raise AssertionError("unreachable")
