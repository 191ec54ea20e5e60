"""Gates (brandkit/gates.py): accounts behind one credential take turns, and a wait the platform
asks of one is kept by every account of that credential; other credentials go on."""

from __future__ import annotations

import threading
import time

from brandkit.errors import RateLimitedError
from brandkit.gates import Gates
from brandkit.platforms.mastodon.settings import Settings
from brandkit.retry import RetryPolicy, call_with_retries
from brandkit.spec.model import Account


def _account(n: int, var: str) -> Account:
    return Account(
        id=f"a{n}",
        platform="mastodon",
        credentials=(("access_token", var),),
        options=Settings(instance="https://mastodon.example"),
    )


def test_accounts_sharing_a_token_take_turns_and_share_its_wait() -> None:
    gates = Gates(per_platform=8, per_token=2)
    env = {"SHARED": "one-app-token", "OWN": "another-token"}
    at_once: list[int] = []
    busy = {"SHARED": 0}
    lock = threading.Lock()
    calls: list[tuple[str, float]] = []
    throttled = threading.Event()

    def work(account: Account, var: str) -> None:
        with gates.account(account, env):
            with lock:
                busy[var] = busy.get(var, 0) + 1
                at_once.append(busy["SHARED"])

            def call() -> None:
                calls.append((account.id, time.monotonic()))
                if account.id == "a0" and not throttled.is_set():
                    throttled.set()
                    raise RateLimitedError(
                        "slow down", retry_after=0.3, platform="mastodon", account="a0"
                    )

            if account.id != "a0":
                time.sleep(0.1)  # a0 meets the limit first
            call_with_retries(call, RetryPolicy(base=0.01, cap=0.01, budget=5.0))
            time.sleep(0.05)
            with lock:
                busy[var] -= 1

    threads = [
        threading.Thread(target=work, args=(_account(n, var), var))
        for n, var in ((0, "SHARED"), (1, "SHARED"), (2, "SHARED"), (3, "OWN"))
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert max(at_once) <= 2  # never more than two accounts of one token at once
    limited = [at for who, at in calls if who == "a0"][0]
    later = [at for who, at in calls if who in ("a1", "a2")]
    assert len(later) == 2
    assert all(at >= limited + 0.29 for at in later)  # the 0.3 s asked of a0 was kept by all
    assert [at for who, at in calls if who == "a3"][0] - started < 0.25  # another token went on
    assert Gates.token_key(_account(0, "SHARED"), env) == Gates.token_key(
        _account(1, "SHARED"), env
    )
    assert "one-app-token" not in Gates.token_key(_account(0, "SHARED"), env)
