"""YouTube channel (Data API v3 over requests, OAuth 2.0 with a refresh token): the channel's
description, keywords, country, default language and banner.

``channels.list`` (``part=snippet,brandingSettings,statistics``, ``mine=true``) reads them;
``channels.update`` (``part=brandingSettings``) writes them — the *whole* ``brandingSettings``:
a property left out is deleted, so brandkit sends back everything it read with its changes
applied; the banner is uploaded with ``channelBanners.insert`` (16:9, at least 2048x1152, at most
6 MB, JPEG or PNG), whose answer's ``url`` then goes into
``brandingSettings.image.bannerExternalUrl``. The channel's name and picture have no API:
``BY_HAND`` (YouTube Studio), on the hand-off page.

Access tokens last an hour: one is asked from ``oauth2.googleapis.com/token`` with the refresh
token when the adapter starts, and again once if a call answers 401. Quota: 1 unit per list,
50 per update or banner upload, 10,000 a day by default; ``quotaExceeded`` is final for the day
(it resets at midnight Pacific), not retried. docs/platforms.md has the sources.
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
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi, send_json
from brandkit.errors import AdapterError, AuthError, RateLimitedError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.platforms.youtube.settings import Settings
from brandkit.spec.model import Account

__all__ = ["ADAPTER", "YouTubeAdapter"]

API = "https://www.googleapis.com"
TOKEN = "https://oauth2.googleapis.com/token"
QUOTA = frozenset({"quotaExceeded", "dailyLimitExceeded"})
THROTTLED = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


def _reason(answer: Answer) -> str:
    error = answer.document.get("error")
    errors = error.get("errors") if isinstance(error, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    return str(first.get("reason") or "")


def _said(answer: Answer) -> str:
    error = answer.document.get("error")
    if isinstance(error, dict):
        message = str(error.get("message") or "")
        reason = _reason(answer)
        return f"{reason}: {message}" if reason else message
    return str(error or answer.document.get("error_description") or "")


def _google_says(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    reason = _reason(answer)
    if reason in QUOTA:
        return RemoteError(
            msg(
                "the YouTube API quota of this project is spent for today ({said}); it comes "
                "back at midnight Pacific time, or ask Google for more in the Cloud console",
                said=_said(answer),
            ),
            status=answer.status,
            retryable=False,
            **where,
        )
    if reason in THROTTLED:
        return RateLimitedError(
            msg("rate limited by YouTube ({said})", said=_said(answer)),
            status=answer.status,
            **where,
        )
    if reason in ("insufficientPermissions", "forbidden", "channelForbidden"):
        return AuthError(
            msg(
                "YouTube refused ({said}): the refresh token must be for an account that "
                "manages the channel, granted the youtube scope",
                said=_said(answer),
            ),
            status=answer.status,
            **where,
        )
    return None


HINTS = Hints(
    name="YouTube",
    refused=N_(
        "Google refused the credentials ({said}): make a new refresh token with the youtube "
        "scope (docs/credentials.md) and put it in {env_name}"
    ),
    rejected=N_("YouTube refused the request ({status}: {said})"),
    said=_said,
    special=_google_says,
)


class YouTubeAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("subscriberCount", N_("Subscribers (rounded by YouTube)")),
        ("viewCount", N_("Views")),
        ("videoCount", N_("Videos")),
    )
    platform = "youtube"
    SUPPORTS = frozenset(
        {"title", "description", "keywords", "country", "defaultLanguage", "avatar", "banner"}
    )
    BY_HAND = {
        "title": N_(
            "https://studio.youtube.com/channel/{channel_id}/editing/profile: Name, then Publish"
        ),
        "avatar": N_(
            "https://studio.youtube.com/channel/{channel_id}/editing/profile: Picture, Change, "
            "then Publish"
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
        self._creds = credentials(account, env, ("client_id", "client_secret", "refresh_token"))
        self.settings = Settings.of(account.options)
        self.http = http_session(endpoints, session)
        self.token_url = endpoints.url("youtube-oauth", TOKEN)
        self._env_name = account.credential_env("refresh_token")
        self.where: dict[str, t.Any] = {"platform": "youtube", "account": account.id}
        self.api = JsonApi(
            self.http,
            endpoints.url("youtube", API),
            HINTS,
            self.where,
            timeout=endpoints.timeout,
            env_name=self._env_name,
        )
        self._authorised = False
        self._branding: dict[str, t.Any] = {}

    def close(self) -> None:
        super().close()
        self.http.close()

    def _authorise(self) -> None:
        """An access token from the refresh token (an hour's worth), never kept anywhere."""
        form = {"grant_type": "refresh_token", **self._creds}
        response, body = send_json(
            self.http,
            "POST",
            self.token_url,
            {**self.where, "field": "token"},
            self.endpoints.timeout,
            data=form,
            headers={"Authorization": None},
        )
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(token, str) or not token:
            answer = Answer(response.status_code, body, response.headers)
            status = 401 if response.status_code in (400, 401) else response.status_code
            raise self.api.fail(Answer(status, answer.body, answer.headers), "token")
        self.http.headers["Authorization"] = f"Bearer {token}"
        self._authorised = True

    def _call(self, method: str, path: str, field: str, **kwargs: t.Any) -> dict[str, t.Any]:
        if not self._authorised:
            self._authorise()
        found = self.api.answer(method, path, field=field, **kwargs)
        if found.status == 401:  # the hour ran out: once more with a new access token
            self._authorise()
            found = self.api.answer(method, path, field=field, **kwargs)
        if found.status < 300 and isinstance(found.body, dict):
            return found.body
        raise self.api.fail(found, field)

    def _channel(self, field: str) -> dict[str, t.Any]:
        params = {"part": "snippet,brandingSettings,statistics", "mine": "true"}
        listing = self._call("GET", "/youtube/v3/channels", field, params=params)
        items = expect(listing.get("items"), list, "the channel list")
        found = [
            c for c in items if isinstance(c, dict) and c.get("id") == self.settings.channel_id
        ]
        if not found:
            raise RemoteError(
                msg(
                    "the refresh token's account does not manage the channel {channel} (it "
                    "manages: {mine})",
                    channel=self.settings.channel_id,
                    mine=", ".join(str(c.get("id")) for c in items if isinstance(c, dict))
                    or "none",
                ),
                field="channel_id",
                **self.where,
            )
        return found[0]

    # -- the contract ----------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        channel = self._channel("profile")
        snippet = channel.get("snippet") or {}
        branding = channel.get("brandingSettings") or {}
        self._branding = branding
        settings = branding.get("channel") or {}
        thumbnails = snippet.get("thumbnails") or {}
        largest: dict[str, t.Any] = next(
            (
                thumbnails[k]
                for k in ("high", "medium", "default")
                if isinstance(thumbnails.get(k), dict)
            ),
            {},
        )
        banner = (branding.get("image") or {}).get("bannerExternalUrl")
        return LiveState(
            {
                "title": text_of(snippet.get("title"), "title"),
                "description": text_of(settings.get("description") or "", "description"),
                "keywords": text_of(settings.get("keywords") or "", "keywords"),
                "country": text_of(settings.get("country") or "", "country"),
                "defaultLanguage": text_of(
                    settings.get("defaultLanguage") or "", "defaultLanguage"
                ),
            },
            {
                "avatar": url_of(largest.get("url"), "thumbnail") if largest else None,
                "banner": url_of(banner, "bannerExternalUrl") if banner else None,
            },
        )

    def _update(self, channel: dict[str, t.Any], image: dict[str, t.Any], field: str) -> None:
        # channels.update replaces brandingSettings whole: everything read goes back
        branding = {**self._branding, "channel": channel, "image": image}
        body = {"id": self.settings.channel_id, "brandingSettings": branding}
        self._call(
            "PUT", "/youtube/v3/channels", field, params={"part": "brandingSettings"}, json=body
        )
        self._branding = branding

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        channel = {**(self._branding.get("channel") or {}), **fields}
        self._update(channel, dict(self._branding.get("image") or {}), ",".join(fields))

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        kind = "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"
        uploaded = self._call(
            "POST",
            "/upload/youtube/v3/channelBanners/insert",
            field,
            params={"uploadType": "media"},
            data=data,
            headers={"Content-Type": kind},
        )
        url = url_of(uploaded.get("url"), "the banner's url")
        image = {**(self._branding.get("image") or {}), "bannerExternalUrl": url}
        self._update(dict(self._branding.get("channel") or {}), image, field)

    def figures(self, days: int = 7) -> Figures:
        stats = self._channel("figures").get("statistics") or {}
        values = {
            key: int(expect(stats.get(key), str, key))
            for key in ("subscriberCount", "viewCount", "videoCount")
            if not (key == "subscriberCount" and stats.get("hiddenSubscriberCount"))
        }
        return Figures(values.get("subscriberCount", 0), values)


ADAPTER = YouTubeAdapter
