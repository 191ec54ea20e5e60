"""One JSON API over HTTPS, for every adapter that speaks HTTP itself.

:class:`JsonApi` sends a request (never following a redirect), reads the JSON answer and turns
a failed one into brandkit's errors through one table (:func:`error_for`): 401 is an
:class:`AuthError`, 403 too when the platform says what permission it takes, 429 a
:class:`RateLimitedError` with the wait the platform asked for, 5xx a retryable
:class:`RemoteError`, any other 4xx a final one. A platform adds only its words (:class:`Hints`):
its name, what to do when the token is refused, how its error bodies say what went wrong, how
its rate-limit headers say when to come back, and the codes that mean more than their status
(Bluesky's ``InvalidSwap``, Graph's ``error.code``).
"""

from __future__ import annotations

import dataclasses
import typing as t
import urllib.parse

import requests

from brandkit.errors import AdapterError, AuthError, RateLimitedError, RemoteError, UnansweredError
from brandkit.i18n import N_, msg

__all__ = ["Answer", "Hints", "JsonApi", "error_for", "retry_after", "send_json"]


@dataclasses.dataclass(frozen=True, slots=True)
class Answer:
    """What the platform answered: the status, the JSON body (None if it had none), headers."""

    status: int
    body: t.Any
    headers: t.Mapping[str, str]

    @property
    def document(self) -> dict[str, t.Any]:
        """The body when it is a JSON object, else an empty one (error bodies are untrusted)."""
        return self.body if isinstance(self.body, dict) else {}


def retry_after(headers: t.Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds (RFC 9110 also allows an HTTP date; these APIs send seconds)."""
    value = headers.get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None


def _error_words(answer: Answer) -> str:
    """The usual places a JSON API puts its words: ``message``, ``error``, ``detail``."""
    doc = answer.document
    for key in ("message", "error_description", "error", "detail", "title", "description"):
        value = doc.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _retry_after_header(answer: Answer) -> float | None:
    return retry_after(answer.headers)


def _nothing_special(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Hints:
    """What one platform says differently. The texts are message ids (``N_``) with the fields
    ``{name}``, ``{status}``, ``{said}`` (the platform's words) and ``{env_name}`` (the
    environment variable holding the credential)."""

    name: str
    refused: str  # 401: what to do about the credential
    forbidden: str | None = None  # 403: what permission it takes; None: like any other 4xx
    throttled: str = N_("rate limited by {name} ({said})")
    failed: str = N_("{name} answered {status} ({said})")
    rejected: str = N_("{name} refused the request ({status}: {said})")
    said: t.Callable[[Answer], str] = _error_words
    wait: t.Callable[[Answer], float | None] = _retry_after_header  # seconds to wait, if said
    # the platform's own codes, asked first: an error, or None for the table's verdict
    special: t.Callable[[Answer, dict[str, t.Any]], AdapterError | None] = _nothing_special


def error_for(
    answer: Answer, hints: Hints, where: dict[str, t.Any], env_name: str | None = None
) -> AdapterError:
    """The error a failed answer means (the table in the module's docstring)."""
    found = hints.special(answer, where)
    if found is not None:
        return found
    status = answer.status
    values = {
        "name": hints.name,
        "status": status,
        "said": hints.said(answer) or f"HTTP {status}",
        "env_name": env_name or "",
    }
    if status == 401:
        return AuthError(msg(hints.refused, **values), status=status, **where)
    if status == 403 and hints.forbidden:
        return AuthError(msg(hints.forbidden, **values), status=status, **where)
    if status == 429:
        return RateLimitedError(
            msg(hints.throttled, **values),
            status=status,
            retry_after=hints.wait(answer),
            **where,
        )
    if status >= 500:
        return RemoteError(
            msg(hints.failed, **values),
            status=status,
            retryable=True,
            retry_after=hints.wait(answer),
            **where,
        )
    if status >= 400:
        return RemoteError(msg(hints.rejected, **values), status=status, **where)
    return RemoteError(
        msg("{name} answered {status} without a usable body", **values), status=status, **where
    )


def send_json(
    http: requests.Session,
    method: str,
    url: str,
    where: t.Mapping[str, t.Any],
    timeout: float = 60.0,
    **kwargs: t.Any,
) -> tuple[requests.Response, t.Any]:
    """One request to a JSON API: the response and its JSON body (None when it has none). A
    transport failure is an :class:`UnansweredError` (retryable) that names the host, never the
    URL's query. Redirects are never followed: a request can carry a secret in its body
    (Bluesky's app password), which requests would send again to wherever a 307 points; an API
    that answers with a redirect is an error that names where it pointed."""
    kwargs.setdefault("allow_redirects", False)
    host = "/".join(url.split("/", 3)[:3])
    try:
        response = http.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise UnansweredError(
            msg("could not reach {base} ({error})", base=host, error=type(exc).__name__),
            timed_out=isinstance(exc, requests.Timeout),
            **where,
        ) from None
    if response.is_redirect:
        target = urllib.parse.urlsplit(response.headers.get("Location", ""))
        raise RemoteError(
            msg(
                "{base} answered {status}, a redirect to {target}, which brandkit does not "
                "follow with credentials; set the account's address to where it points",
                base=host,
                status=response.status_code,
                target=f"{target.scheme}://{target.netloc}" if target.netloc else "?",
            ),
            status=response.status_code,
            **where,
        )
    try:
        body = response.json()
    except ValueError:
        body = None
    return response, body


class JsonApi:
    """One platform's JSON API at ``base``, for one account (``where`` names it in errors)."""

    def __init__(
        self,
        http: requests.Session,
        base: str,
        hints: Hints,
        where: t.Mapping[str, t.Any],
        *,
        timeout: float = 60.0,
        env_name: str | None = None,
    ) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.hints = hints
        self.where = dict(where)
        self.timeout = timeout
        self.env_name = env_name
        self.last_headers: t.Mapping[str, str] = {}

    def answer(
        self,
        method: str,
        path: str,
        *,
        field: str | None = None,
        base: str | None = None,
        **kwargs: t.Any,
    ) -> Answer:
        """The answer as it came, whatever its status (for platforms whose success has a
        shape of its own); transport failures and redirects are still errors."""
        where = {**self.where, "field": field}
        url = (base.rstrip("/") if base else self.base) + path
        response, body = send_json(self.http, method, url, where, self.timeout, **kwargs)
        self.last_headers = response.headers
        return Answer(response.status_code, body, response.headers)

    def fail(
        self, answer: Answer, field: str | None = None, *, name: str | None = None
    ) -> AdapterError:
        """The error ``answer`` means for ``field``; ``name``: who answered, if not the hints'."""
        hints = dataclasses.replace(self.hints, name=name) if name else self.hints
        return error_for(answer, hints, {**self.where, "field": field}, self.env_name)

    def call(
        self, method: str, path: str, *, field: str | None = None, **kwargs: t.Any
    ) -> dict[str, t.Any]:
        """The JSON object a successful call answered; any other answer raises its error."""
        found = self.answer(method, path, field=field, **kwargs)
        if found.status < 300 and isinstance(found.body, dict):
            return found.body
        raise self.fail(found, field)
