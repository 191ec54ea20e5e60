"""X API v2 for the Twitter/X adapter: the profile endpoints, over requests with OAuth 1.0a.

``GET /2/users/me`` (with ``user.fields``), ``PUT /2/users/me`` (name, description, location,
url; only the fields sent change), ``POST /2/media/upload`` then ``PUT /2/users/me/profile_image``
with the media id. tweepy's v2 ``Client`` cannot be used: it hard-codes its host, so it could
reach neither the sandbox nor a proxy (docs/platforms.md). Errors are v2 problem objects; this
module turns them into brandkit's errors, retryable where a retry can succeed.

The two PUT endpoints are documented on docs.x.com but absent from X's OpenAPI file, and their
answers are not documented: a 2xx without ``data`` (or a 204) counts as written (the engine reads
the profile back to verify); a 404, or a 403 that is not about the token, means this app cannot
use them: :class:`NoV2Write`, on which the adapter falls back to v1.1 once.
"""

from __future__ import annotations

import time
import typing as t

import requests
from requests_oauthlib import OAuth1

from brandkit.adapters.base import retry_after
from brandkit.errors import AdapterError, AuthError, RateLimitedError, RemoteError
from brandkit.i18n import msg

__all__ = ["USER_FIELDS", "NoV2Write", "XApiV2"]

USER_FIELDS = ",".join(
    (
        "description",
        "entities",
        "location",
        "name",
        "profile_banner_url",
        "profile_image_url",
        "public_metrics",
        "url",
        "username",
    )
)


class NoV2Write(RemoteError):
    """X answered a v2 profile write with 404 or 403: the endpoint is not there for this app."""


class XApiV2:
    def __init__(
        self, session: requests.Session, base_url: str, auth: OAuth1, where: dict[str, t.Any]
    ) -> None:
        self.session = session
        self.base = base_url.rstrip("/")
        self.session.auth = auth
        self.where = where
        self.last_headers: t.Mapping[str, str] = {}

    def me(self) -> dict[str, t.Any]:
        body = self._call("GET", "/2/users/me", params={"user.fields": USER_FIELDS})
        user = body["data"]
        if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"]:
            raise ValueError("the answer holds no user")
        return user

    def update_profile(self, fields: t.Mapping[str, t.Any]) -> None:
        self._call("PUT", "/2/users/me", field=",".join(fields), json=dict(fields))

    def upload(self, data: bytes, filename: str) -> str:
        """The media id of ``data`` uploaded through ``POST /2/media/upload``."""
        uploaded = self._call(
            "POST",
            "/2/media/upload",
            field="avatar",
            files={"media": (filename, data)},
            data={"media_category": "tweet_image"},
        )
        return str(uploaded["data"]["id"])

    def set_profile_image(self, data: bytes, filename: str) -> None:
        media_id = self.upload(data, filename)
        self._call("PUT", "/2/users/me/profile_image", field="avatar", json={"media_id": media_id})

    # -- the one place v2 answers become brandkit errors ------------------------------------------
    def _call(self, method: str, path: str, *, field: str | None = None, **kwargs: t.Any) -> t.Any:
        where = {**self.where, "field": field}
        try:
            response = self.session.request(method, self.base + path, timeout=30, **kwargs)
        except requests.RequestException as exc:
            raise RemoteError(
                msg("could not reach Twitter/X ({error})", error=type(exc).__name__),
                retryable=True,
                **where,
            ) from None
        self.last_headers = response.headers
        try:
            body = response.json()
        except ValueError:
            body = None
        status = response.status_code
        if status < 300 and isinstance(body, dict) and "data" in body:
            return body
        if method == "PUT" and (status == 204 or status < 300 and isinstance(body, dict)):
            return {}  # written; what it says is read back by the engine's verification
        error = _translate(response, body if isinstance(body, dict) else {}, where)
        if method == "PUT" and type(error) is RemoteError and status in (403, 404):
            raise NoV2Write(error.message, status=status, **where)
        raise error


def _errors(body: t.Mapping[str, t.Any]) -> list[t.Any]:
    found = body.get("errors")
    return found if isinstance(found, list) else []


def _detail(body: t.Mapping[str, t.Any]) -> str:
    errors = _errors(body)
    parts = [str(body.get("detail") or body.get("title") or "")]
    parts += [str(e.get("message") or e.get("detail") or "") for e in errors if isinstance(e, dict)]
    return "; ".join(p for p in parts if p)


def _translate(
    response: requests.Response, body: t.Mapping[str, t.Any], where: dict[str, t.Any]
) -> AdapterError:
    status = response.status_code
    detail = _detail(body) or f"HTTP {status}"
    kind = str(body.get("type") or "")
    if status == 429:
        reset = response.headers.get("x-rate-limit-reset", "")
        wait = retry_after(response.headers) or (
            max(0.0, float(reset) - time.time()) if reset.isdigit() else None
        )
        return RateLimitedError(
            msg("rate limited by Twitter/X ({detail})", detail=detail),
            status=429,
            retry_after=wait,
            **where,
        )
    if status >= 500:
        return RemoteError(
            msg("Twitter/X server error ({detail})", detail=detail),
            status=status,
            retryable=True,
            retry_after=retry_after(response.headers),
            **where,
        )
    if status == 401:
        return AuthError(
            msg(
                "credentials rejected ({detail}): check the four environment variables named in "
                "the spec (consumer key/secret, access token/secret)",
                detail=detail,
            ),
            status=401,
            **where,
        )
    if kind.endswith("/oauth1-permissions"):
        return AuthError(
            msg(
                "the access token is read-only (x-access-level: read): give the app Read and write "
                "permission in the developer portal, then generate a new access token and secret"
            ),
            status=status,
            **where,
        )
    if kind.endswith("/client-forbidden") or body.get("reason") == "client-not-enrolled":
        return AuthError(
            msg(
                "this app cannot use X API v2 ({detail}); attach it to a Project in the developer "
                "portal, or set `api: v1.1` on this account",
                detail=detail,
            ),
            status=status,
            **where,
        )
    errors = _errors(body)
    parameters = [p for e in errors if isinstance(e, dict) for p in (e.get("parameters") or {})]
    if parameters:
        where = {**where, "field": parameters[0]}
    return RemoteError(
        msg("refused ({status}: {detail})", status=status, detail=detail), status=status, **where
    )
