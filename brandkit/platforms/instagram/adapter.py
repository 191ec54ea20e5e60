"""Instagram professional account (Graph API, read only): the profile is checked, never
written — the IG User node has no field a client may change. ``GET /{ig-user-id}`` with
``fields=username,name,biography,website,profile_picture_url,followers_count,media_count``
reads it; every field that differs is planned "change by hand" (``BY_HAND``: the app's Edit
profile) and goes on ``brandkit handoff``'s page. Errors are Graph's ``{"error": {"message",
"type", "code", "error_subcode"}}``. docs/platforms.md has the sources.
"""

from __future__ import annotations

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
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi
from brandkit.i18n import N_
from brandkit.platforms.instagram.settings import Settings
from brandkit.spec.model import Account

__all__ = ["ADAPTER", "InstagramAdapter"]

GRAPH = "https://graph.facebook.com"
VERSION = "v23.0"
FIELDS = "id,username,name,biography,website,profile_picture_url,followers_count,media_count"


def _said(answer: Answer) -> str:
    error = answer.document.get("error")
    return str(error.get("message") or "") if isinstance(error, dict) else ""


HINTS = Hints(
    name="Instagram",
    refused=N_(
        "the access token was refused ({said}): a Page or user token with instagram_basic for "
        "the account's Page, in {env_name}"
    ),
    rejected=N_("the Graph API refused the request ({status}: {said})"),
    said=_said,
)


class InstagramAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("followers_count", N_("Followers")),
        ("media_count", N_("Posts")),
    )
    platform = "instagram"
    SUPPORTS = frozenset({"name", "biography", "website", "avatar"})
    # the IG User node is read-only: everything is changed by hand
    BY_HAND = {
        "name": N_("the Instagram app, or instagram.com/accounts/edit: Edit profile, Name"),
        "biography": N_("the Instagram app, or instagram.com/accounts/edit: Edit profile, Bio"),
        "website": N_("the Instagram app, or instagram.com/accounts/edit: Edit profile, Links"),
        "avatar": N_(
            "the Instagram app, or instagram.com/accounts/edit: Edit profile, Change profile photo"
        ),
    }

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        token = credentials(account, env, ("access_token",))["access_token"]
        self.settings = Settings.of(account.options)
        self.http = http_session(endpoints, session)
        self.http.headers["Authorization"] = f"Bearer {token}"
        version = self.settings.graph_version or VERSION
        self.api = JsonApi(
            self.http,
            f"{endpoints.url('instagram', GRAPH)}/{version}",
            HINTS,
            {"platform": "instagram", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("access_token"),
        )

    def close(self) -> None:
        super().close()
        self.http.close()

    def _user(self, field: str) -> dict[str, t.Any]:
        user = self.api.call(
            "GET", f"/{self.settings.ig_user_id}", params={"fields": FIELDS}, field=field
        )
        if expect(user.get("id"), str, "the account's id") != self.settings.ig_user_id:
            raise ValueError("the Graph API answered another Instagram account")
        return user

    def read(self, desired: Desired) -> LiveState:
        user = self._user("profile")
        picture = user.get("profile_picture_url")
        return LiveState(
            {
                "name": text_of(user.get("name") or "", "name"),
                "biography": text_of(user.get("biography") or "", "biography"),
                "website": text_of(user.get("website") or "", "website"),
            },
            {"avatar": url_of(picture, "profile_picture_url") if picture else None},
        )

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        raise self.no_api(",".join(fields))

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        raise self.no_api(field)

    def figures(self, days: int = 7) -> Figures:
        user = self._user("figures")
        followers = expect(user.get("followers_count"), int, "followers_count")
        media = expect(user.get("media_count"), int, "media_count")
        return Figures(followers, {"followers_count": followers, "media_count": media})


ADAPTER = InstagramAdapter
