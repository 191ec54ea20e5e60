"""brandkit.retry: what is retried, how long it waits, and what it says when it gives up."""

from __future__ import annotations

import pytest

from brandkit.errors import AuthError, RateLimitedError, RemoteError
from brandkit.retry import RetryPolicy, call_with_retries


def _policy(**kw: float) -> tuple[RetryPolicy, list[float]]:
    slept: list[float] = []
    return RetryPolicy(sleep=slept.append, **kw), slept  # type: ignore[arg-type]


def _failing(errors: list[Exception], result: str = "done") -> tuple[list[int], object]:
    calls = [0]

    def fn() -> str:
        calls[0] += 1
        if errors:
            raise errors.pop(0)
        return result

    return calls, fn


def test_retryable_errors_are_retried_until_success() -> None:
    policy, slept = _policy(base=0.1, cap=1.0)
    calls, fn = _failing(
        [
            RemoteError("503", platform="p", account="a", retryable=True),
            RateLimitedError("429", platform="p", account="a"),
        ]
    )
    assert call_with_retries(fn, policy) == "done"  # type: ignore[arg-type]
    assert calls == [3] and len(slept) == 2
    assert 0.05 <= slept[0] <= 0.1 and 0.1 <= slept[1] <= 0.2  # backoff doubles, with jitter
    assert policy.waited == pytest.approx(sum(slept))


def test_final_errors_propagate_at_once() -> None:
    policy, slept = _policy()
    calls, fn = _failing(
        [
            AuthError("bad token", platform="p", account="a"),
            RemoteError("400", platform="p", account="a"),
        ]
    )
    with pytest.raises(AuthError):
        call_with_retries(fn, policy)  # type: ignore[arg-type]
    assert calls == [1] and slept == []


def test_the_platforms_wait_is_honoured() -> None:
    policy, slept = _policy(base=0.01)
    _, fn = _failing([RateLimitedError("429", platform="p", account="a", retry_after=7.0)])
    call_with_retries(fn, policy)  # type: ignore[arg-type]
    assert slept == [7.0]


def test_over_budget_raises_the_same_error_saying_how_long_it_waited() -> None:
    policy, slept = _policy(base=0.5, budget=10.0)
    first = RemoteError("503", platform="twitter", account="x", retryable=True)
    throttled = RateLimitedError("429", platform="twitter", account="x", retry_after=60.0)
    _, fn = _failing([first, throttled])
    with pytest.raises(RateLimitedError) as caught:
        call_with_retries(fn, policy)  # type: ignore[arg-type]
    assert caught.value is throttled and throttled.args == ("429",)  # the message is not rewritten
    assert len(slept) == 1
    assert str(throttled) == (
        f"twitter:x: 429 (waited {slept[0]:.1f} s; the next retry would wait 60 s, "
        "over the 10 s budget)"
    )


def test_attempts_are_bounded() -> None:
    policy, slept = _policy(attempts=3, base=0.0)
    calls, fn = _failing(
        [RemoteError(str(i), platform="p", account="a", retryable=True) for i in range(5)]
    )
    with pytest.raises(RemoteError, match="p:a: 2"):
        call_with_retries(fn, policy)  # type: ignore[arg-type]
    assert calls == [3] and len(slept) == 2
