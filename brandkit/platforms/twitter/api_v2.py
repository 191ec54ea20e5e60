"""X API v2 for the Twitter/X adapter: the profile endpoints, over requests with OAuth 1.0a.

``GET /2/users/me`` (with ``user.fields``), ``PUT /2/users/me`` (name, description, location,
url; only the fields sent change), ``POST /2/media/upload`` then ``PUT /2/users/me/profile_image``
with the media id. tweepy's v2 ``Client`` cannot be used: it hard-codes its host, so it could
reach neither the sandbox nor a proxy (docs/platforms.md). Errors are v2 problem objects; this
module gives :class:`~brandkit.adapters.jsonapi.JsonApi` the words for them.

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

from brandkit.adapters.jsonapi import Answer, Hints, JsonApi, error_for, retry_after
from brandkit.errors import AdapterError, AuthError, RemoteError
from brandkit.i18n import N_, msg

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
        self.session.auth = auth
        self.api = JsonApi(session, base_url, HINTS, where, timeout=30)

    @property
    def last_headers(self) -> t.Mapping[str, str]:
        return self.api.last_headers

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

    # -- v2's answers: a PUT may answer 2xx without data ------------------------------------------
    def _call(self, method: str, path: str, *, field: str | None = None, **kwargs: t.Any) -> t.Any:
        found = self.api.answer(method, path, field=field, **kwargs)
        if found.status < 300 and "data" in found.document:
            return found.body
        if method == "PUT" and (
            found.status == 204 or found.status < 300 and isinstance(found.body, dict)
        ):
            return {}  # written; what it says is read back by the engine's verification
        error = self.api.fail(found, field)
        if method == "PUT" and type(error) is RemoteError and found.status in (403, 404):
            raise NoV2Write(error.message, status=found.status, **self.api.where, field=field)
        raise error


def _errors(body: t.Mapping[str, t.Any]) -> list[t.Any]:
    found = body.get("errors")
    return found if isinstance(found, list) else []


def _detail(answer: Answer) -> str:
    body = answer.document
    parts = [str(body.get("detail") or body.get("title") or "")]
    parts += [
        str(e.get("message") or e.get("detail") or "") for e in _errors(body) if isinstance(e, dict)
    ]
    return "; ".join(p for p in parts if p)


def _wait(answer: Answer) -> float | None:
    headers = answer.headers
    reset = headers.get("x-rate-limit-reset", "")
    return retry_after(headers) or (
        max(0.0, float(reset) - time.time()) if reset.isdigit() else None
    )


def _special(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    """v2 problem types that mean more than their status."""
    body = answer.document
    kind = str(body.get("type") or "")
    if kind.endswith("/oauth1-permissions"):
        return AuthError(
            msg(
                "the access token is read-only (x-access-level: read): give the app Read and write "
                "permission in the developer portal, then generate a new access token and secret"
            ),
            status=answer.status,
            **where,
        )
    if kind.endswith("/client-forbidden") or body.get("reason") == "client-not-enrolled":
        return AuthError(
            msg(
                "this app cannot use X API v2 ({detail}); attach it to a Project in the developer "
                "portal, or set `api: v1.1` on this account",
                detail=_detail(answer),
            ),
            status=answer.status,
            **where,
        )
    errors = _errors(body)
    parameters = [p for e in errors if isinstance(e, dict) for p in (e.get("parameters") or {})]
    if parameters and 400 <= answer.status < 500 and answer.status != 429:
        return error_for(answer, HINTS, {**where, "field": parameters[0]})
    return None


HINTS = Hints(
    name="Twitter/X",
    refused=N_(
        "credentials rejected ({said}): check the four environment variables named in the spec "
        "(consumer key/secret, access token/secret)"
    ),
    failed=N_("{name} server error ({said})"),
    rejected=N_("refused ({status}: {said})"),
    said=_detail,
    wait=_wait,
    special=_special,
)
