"""GitHub organization (REST API over requests): the organization's public profile.

``GET /orgs/{org}`` reads it; ``PATCH /orgs/{org}`` writes ``name``, ``description``, ``blog``,
``email`` and ``location`` (only the fields sent change), with a token of an owner of the
organization (a classic token with ``admin:org``, or a fine-grained one with the organization's
"Administration" write permission). The avatar has no API: it is compared like any image and
left for a person (``BY_HAND``, ``brandkit handoff``). Rate limits: 5,000 requests an hour per
token; an exhausted limit is 403 or 429 with ``x-ratelimit-remaining: 0`` and
``x-ratelimit-reset`` (epoch seconds), a secondary limit says ``retry-after``.
docs/platforms.md has the sources.
"""

from __future__ import annotations

import time
import typing as t

import requests

from brandkit.adapters.base import (
    Adapter,
    Desired,
    Endpoints,
    Figures,
    LiveState,
    credentials,
    expect,
    http_session,
    text_of,
    url_of,
)
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi, retry_after
from brandkit.errors import AdapterError, AuthError, RateLimitedError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.platforms.github.settings import Settings
from brandkit.spec.model import Account

__all__ = ["ADAPTER", "GitHubAdapter"]

API = "https://api.github.com"
VERSION = "2022-11-28"  # X-GitHub-Api-Version


def _wait(answer: Answer) -> float | None:
    reset = answer.headers.get("x-ratelimit-reset", "")
    return retry_after(answer.headers) or (
        max(0.0, float(reset) - time.time()) if reset.isdigit() else None
    )


def _github_says(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    """A spent rate limit comes as a 403 too; a token without the scope is told by a 404."""
    said = str(answer.document.get("message") or "")
    if answer.status in (403, 429) and (
        answer.headers.get("x-ratelimit-remaining") == "0" or "rate limit" in said.lower()
    ):
        return RateLimitedError(
            msg("rate limited by GitHub ({said})", said=said),
            status=answer.status,
            retry_after=_wait(answer),
            **where,
        )
    wanted = answer.headers.get("x-accepted-oauth-scopes", "")
    if answer.status in (403, 404) and wanted:
        return AuthError(
            msg(
                "GitHub answered {status} ({said}): check the organization's login, and that the "
                "token is an owner's, with the scope this call takes ({scopes})",
                status=answer.status,
                said=said or "Not Found",
                scopes=wanted,
            ),
            status=answer.status,
            **where,
        )
    errors = answer.document.get("errors")
    if answer.status == 422 and isinstance(errors, list):
        fields = [e.get("field") for e in errors if isinstance(e, dict) and e.get("field")]
        return RemoteError(
            msg("GitHub refused {fields} ({said})", fields=", ".join(map(str, fields)), said=said),
            status=422,
            **{**where, "field": str(fields[0]) if fields else where.get("field")},
        )
    return None


HINTS = Hints(
    name="GitHub",
    refused=N_(
        "the token was refused ({said}): make a new one (Settings > Developer settings) with "
        "admin:org and put it in {env_name}"
    ),
    said=lambda answer: str(answer.document.get("message") or ""),
    wait=_wait,
    special=_github_says,
)


class GitHubAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("followers", N_("Followers")),
        ("public_repos", N_("Public repositories")),
    )
    platform = "github"
    SUPPORTS = frozenset({"name", "description", "blog", "email", "location", "avatar"})
    BY_HAND = {
        "avatar": N_(
            "https://github.com/organizations/{org}/settings/profile: Profile picture, "
            "Upload new picture"
        )
    }

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        token = credentials(account, env, ("token",))["token"]
        self.settings = Settings.of(account.options)
        self.http = http_session(endpoints, session)
        self.http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": VERSION,
            }
        )
        self.api = JsonApi(
            self.http,
            endpoints.url("github", API),
            HINTS,
            {"platform": "github", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("token"),
        )
        self.path = f"/orgs/{self.settings.org}"

    def close(self) -> None:
        super().close()
        self.http.close()

    def _organization(self, field: str) -> dict[str, t.Any]:
        org = self.api.call("GET", self.path, field=field)
        # the organization itself, or nothing is believed
        login = expect(org.get("login"), str, "the organization's login")
        if login.lower() != self.settings.org.lower() or org.get("type") != "Organization":
            raise ValueError(f"GitHub answered {login!r}, not the organization {self.settings.org}")
        return org

    # -- the contract ----------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        org = self._organization("profile")
        text = {
            name: text_of(org.get(name) or "", name)
            for name in ("name", "description", "blog", "email", "location")
        }
        return LiveState(text, {"avatar": url_of(org.get("avatar_url"), "avatar_url")})

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        self.api.call("PATCH", self.path, json=dict(fields), field=",".join(fields))

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        raise self.no_api(field)

    def figures(self, days: int = 7) -> Figures:
        org = self._organization("figures")
        followers = expect(org.get("followers"), int, "followers")
        repos = expect(org.get("public_repos"), int, "public_repos")
        return Figures(followers, {"followers": followers, "public_repos": repos})


ADAPTER = GitHubAdapter
