"""How many accounts talk to one platform, and through one credential, at once.

An agency's workspace holds thousands of accounts, often behind one app or token (an X app, a
Mailchimp key for several audiences): the pool's ``workers`` alone would send them all at the
same platform at once. ``Gates`` lets at most ``per_platform`` accounts of a platform and
``per_token`` accounts of a credential work at the same time, and when the platform tells one
account to wait (a 429 with its wait), every account of that credential waits as long before
its next call, instead of each finding the limit again.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
import typing as t

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account

__all__ = ["Gates", "TokenGate", "current_token"]

_local = threading.local()


class TokenGate:
    """One credential's shared wait."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    def wait(self, sleep: t.Callable[[float], None] = time.sleep) -> None:
        """Before a call: wait out what the platform asked of this credential."""
        left = self._until - time.monotonic()
        if left > 0:
            sleep(left)

    def blocked(self, seconds: float) -> None:
        """The platform asked this credential to wait ``seconds``."""
        with self._lock:
            self._until = max(self._until, time.monotonic() + seconds)


def current_token() -> TokenGate | None:
    """The credential gate of the account this thread works for (``brandkit.retry`` asks)."""
    return t.cast(TokenGate | None, getattr(_local, "token", None))


class Gates:
    def __init__(self, per_platform: int = 16, per_token: int = 2) -> None:
        self.per_platform, self.per_token = per_platform, per_token
        self._lock = threading.Lock()
        self._platforms: dict[str, threading.BoundedSemaphore] = {}
        self._tokens: dict[str, tuple[threading.BoundedSemaphore, TokenGate]] = {}

    @staticmethod
    def token_key(account: Account, env: t.Mapping[str, str]) -> str:
        """Which credential an account uses: its values, hashed (never kept in the clear).
        Accounts without credentials each count as their own."""
        values = [env.get(var, "") for _role, var in sorted(account.credentials)]
        if not any(values):
            return f"{account.platform}:{account.id}"
        return hashlib.sha256("\0".join([account.platform, *values]).encode()).hexdigest()

    @contextlib.contextmanager
    def account(self, account: Account, env: t.Mapping[str, str]) -> t.Iterator[TokenGate]:
        """While one account's work runs: its platform's and its credential's places held."""
        key = self.token_key(account, env)
        with self._lock:
            platform = self._platforms.setdefault(
                account.platform, threading.BoundedSemaphore(self.per_platform)
            )
            token, gate = self._tokens.setdefault(
                key, (threading.BoundedSemaphore(self.per_token), TokenGate())
            )
        with platform, token:
            _local.token = gate
            try:
                yield gate
            finally:
                _local.token = None
