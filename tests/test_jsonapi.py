"""The one status-to-error table every HTTP adapter shares (brandkit.adapters.jsonapi)."""

from __future__ import annotations

import typing as t

import pytest

from brandkit.adapters.jsonapi import Answer, Hints, error_for
from brandkit.errors import AdapterError, AuthError, RateLimitedError, RemoteError
from brandkit.i18n import N_

WHERE = {"platform": "example", "account": "acme"}
HINTS = Hints(
    name="Example",
    refused=N_("token refused ({said}); put a new one in {env_name}"),
)


def _error(status: int, body: t.Any = None, headers: dict[str, str] | None = None) -> AdapterError:
    return error_for(Answer(status, body, headers or {}), HINTS, dict(WHERE), "EXAMPLE_TOKEN")


def test_a_refused_token_names_the_variable_to_change() -> None:
    error = _error(401, {"message": "bad token"})
    assert type(error) is AuthError
    assert error.message == "token refused (bad token); put a new one in EXAMPLE_TOKEN"


def test_forbidden_is_an_auth_error_only_where_the_platform_says_what_it_takes() -> None:
    assert type(_error(403, {"message": "no"})) is RemoteError
    hints = Hints(name="Example", refused="x", forbidden=N_("needs the admin scope ({said})"))
    error = error_for(Answer(403, {"message": "no"}, {}), hints, dict(WHERE))
    assert type(error) is AuthError and error.message == "needs the admin scope (no)"


def test_throttling_carries_the_wait_the_platform_asked_for() -> None:
    error = _error(429, {"message": "slow down"}, {"Retry-After": "7"})
    assert type(error) is RateLimitedError and error.retryable and error.retry_after == 7.0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_and_client_errors_are_not(status: int) -> None:
    assert _error(status).retryable and "answered" in _error(status).message
    assert not _error(422, {"error": "bad field"}).retryable
    assert "bad field" in _error(422, {"error": "bad field"}).message


def test_a_body_that_is_not_an_object_is_never_believed() -> None:
    error = _error(200, ["not", "an", "object"])
    assert type(error) is RemoteError and "without a usable body" in error.message


def test_the_platforms_own_codes_come_first() -> None:
    def special(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
        if answer.document.get("code") == 50013:
            return AuthError("missing permission", **where)
        return None

    hints = Hints(name="Example", refused="x", special=special)
    assert type(error_for(Answer(400, {"code": 50013}, {}), hints, dict(WHERE))) is AuthError
    assert type(error_for(Answer(400, {"code": 1}, {}), hints, dict(WHERE))) is RemoteError


def test_platform_words_are_said_but_not_trusted_as_structure() -> None:
    # an error body of the wrong shape is read as nothing, not as a crash
    assert _error(400, {"message": {"nested": 1}}).message.endswith("(400: HTTP 400)")
