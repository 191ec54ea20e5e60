"""Discord server (HTTP API v10 over requests): the server's name, icon, banner and
description, written by a bot with the Manage Server permission.

``GET /guilds/{id}?with_counts=true`` reads them (``name``, ``icon`` and ``banner`` hashes,
``description``, ``features``, ``approximate_member_count``); ``PATCH /guilds/{id}`` writes them,
images as data URIs. The banner needs the server's ``BANNER`` feature and the description its
``COMMUNITY`` feature: without them they are left out of the plan, and the run says why. Images
are read from the CDN (``cdn.discordapp.com/icons|banners/{id}/{hash}.png``), which needs no
token. Rate limits come in ``X-RateLimit-*`` headers; a 429 carries ``retry_after`` (seconds,
fractional) in its body and ``Retry-After``. docs/platforms.md has the sources.
"""

from __future__ import annotations

import base64
import dataclasses
import typing as t
from pathlib import Path

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
)
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi, retry_after
from brandkit.errors import AdapterError, AuthError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.platforms.discord.settings import Settings
from brandkit.spec.model import Account, Brand

__all__ = ["ADAPTER", "DiscordAdapter"]

API = "https://discord.com/api/v10"
CDN = "https://cdn.discordapp.com"
MISSING_PERMISSIONS = 50013
UNKNOWN_GUILD = 10004
NEEDS = {"banner": "BANNER", "description": "COMMUNITY"}  # field -> the feature it needs


def _said(answer: Answer) -> str:
    doc = answer.document
    said = str(doc.get("message") or "")
    errors = doc.get("errors")
    if isinstance(errors, dict):  # {"name": {"_errors": [{"code", "message"}]}}
        for field, found in errors.items():
            for error in (found or {}).get("_errors", []) if isinstance(found, dict) else []:
                said += f"; {field}: {error.get('message', '')}"
    return said


def _wait(answer: Answer) -> float | None:
    found = answer.document.get("retry_after")
    if isinstance(found, (int, float)) and not isinstance(found, bool):
        return float(found)
    reset = answer.headers.get("X-RateLimit-Reset-After", "")
    try:
        return float(reset)
    except ValueError:
        return retry_after(answer.headers)


def _codes(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    code = answer.document.get("code")
    if code == MISSING_PERMISSIONS:
        return AuthError(
            msg(
                "the bot may not change the server ({said}): give its role the Manage Server "
                "permission",
                said=_said(answer),
            ),
            status=answer.status,
            **where,
        )
    if code == UNKNOWN_GUILD:
        return RemoteError(
            msg(
                "Discord knows no server with this id, or the bot is not in it ({said}): check "
                "guild_id and invite the bot",
                said=_said(answer),
            ),
            status=answer.status,
            **where,
        )
    return None


HINTS = Hints(
    name="Discord",
    refused=N_(
        "the bot token was refused ({said}): copy it from the Developer Portal (your "
        "application > Bot > Reset Token) and put it in {env_name}"
    ),
    rejected=N_("Discord refused the request ({status}: {said})"),
    said=_said,
    wait=_wait,
    special=_codes,
)


class DiscordAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("approximate_member_count", N_("Members")),
        ("approximate_presence_count", N_("Online")),
    )
    platform = "discord"
    SUPPORTS = frozenset({"name", "description", "icon", "banner"})
    UNBLANKABLE = frozenset({"name"})

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        token = credentials(account, env, ("bot_token",))["bot_token"]
        self.settings = Settings.of(account.options)
        self.http = http_session(endpoints, session)
        self.http.headers["Authorization"] = f"Bot {token}"
        self.http.headers["User-Agent"] = "DiscordBot (https://github.com/brandkit, 1)"
        self.cdn = endpoints.url("discord-cdn", CDN).rstrip("/")
        self.api = JsonApi(
            self.http,
            endpoints.url("discord", API),
            HINTS,
            {"platform": "discord", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("bot_token"),
        )
        self.path = f"/guilds/{self.settings.guild_id}"
        self._features: frozenset[str] | None = None

    def close(self) -> None:
        super().close()
        self.http.close()

    def _guild(self, field: str) -> dict[str, t.Any]:
        guild = self.api.call("GET", self.path, params={"with_counts": "true"}, field=field)
        # the server itself, or nothing is believed
        if expect(guild.get("id"), str, "the server's id") != self.settings.guild_id:
            raise ValueError("Discord answered another server")
        features = guild.get("features")
        self._features = (
            frozenset(f for f in features if isinstance(f, str))
            if isinstance(features, list)
            else frozenset()
        )
        return guild

    # -- the contract ----------------------------------------------------------------------------
    def desired(self, brand: Brand, assets: t.Mapping[str, Path]) -> Desired:
        base = super().desired(brand, assets)
        if self._features is None:
            self._guild("profile")
        have = self._features or frozenset()
        lacking = {field for field, feature in NEEDS.items() if feature not in have}
        for field in sorted(lacking & (set(base.text) | set(base.images))):
            self.notes.append(
                msg(
                    "{field} left as it is: the server lacks the {feature} feature Discord "
                    "requires for it",
                    field=field,
                    feature=NEEDS[field],
                )
            )
        return dataclasses.replace(
            base,
            text={k: v for k, v in base.text.items() if k not in lacking},
            images={k: v for k, v in base.images.items() if k not in lacking},
        )

    def read(self, desired: Desired) -> LiveState:
        guild = self._guild("profile")
        gid = self.settings.guild_id
        icon, banner = guild.get("icon"), guild.get("banner")
        return LiveState(
            {
                "name": text_of(guild.get("name"), "name"),
                "description": text_of(guild.get("description") or "", "description"),
            },
            {
                "icon": f"{self.cdn}/icons/{gid}/{icon}.png" if isinstance(icon, str) else None,
                "banner": f"{self.cdn}/banners/{gid}/{banner}.png"
                if isinstance(banner, str)
                else None,
            },
        )

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        self._patch(dict(fields), ",".join(fields))

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        kind = "png" if data[:4] == b"\x89PNG" else "jpeg"
        uri = f"data:image/{kind};base64,{base64.b64encode(data).decode()}"
        self._patch({field: uri}, field)

    def _patch(self, body: dict[str, t.Any], field: str) -> None:
        self.api.call(
            "PATCH",
            self.path,
            json=body,
            headers={"X-Audit-Log-Reason": "brandkit apply"},
            field=field,
        )

    def figures(self, days: int = 7) -> Figures:
        guild = self._guild("figures")
        members = expect(guild.get("approximate_member_count"), int, "the member count")
        online = expect(guild.get("approximate_presence_count"), int, "the online count")
        return Figures(
            members, {"approximate_member_count": members, "approximate_presence_count": online}
        )


ADAPTER = DiscordAdapter
