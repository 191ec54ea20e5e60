"""Telegram channel (Bot API over requests): the channel's title, description and photo, written
by a bot that is one of the channel's administrators with the right to change its info.

``getChat`` reads them (``title``, ``description``, ``photo.big_file_id``); ``setChatTitle``
(1-128 characters), ``setChatDescription`` (0-255) and ``setChatPhoto`` (a multipart upload)
write them; ``getChatMemberCount`` is the audience. Every answer is ``{"ok": true, "result": …}``
or ``{"ok": false, "error_code", "description", "parameters": {"retry_after"}}`` (the wait is in
the body, not a header). docs/platforms.md has the sources.

The bot token is part of every URL (``/bot<token>/<method>``), a file's download link included,
so no URL with it is ever kept: the live photo is named ``telegram-file:<file_id>`` (what plans,
backups and reports hold) and downloaded here, through ``getFile``.
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
)
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi
from brandkit.errors import AdapterError, AuthError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.platforms.telegram.settings import Settings
from brandkit.spec.model import Account

__all__ = ["ADAPTER", "TelegramAdapter"]

API = "https://api.telegram.org"
FILE = "telegram-file:"  # how a live photo is named: never a URL holding the token


def _said(answer: Answer) -> str:
    return str(answer.document.get("description") or "")


def _wait(answer: Answer) -> float | None:
    found = (answer.document.get("parameters") or {}).get("retry_after")
    return float(found) if isinstance(found, int) and not isinstance(found, bool) else None


def _no_rights(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    """Telegram says a missing administrator right in a 400."""
    said = _said(answer)
    if answer.status == 400 and ("not enough rights" in said or "CHAT_ADMIN_REQUIRED" in said):
        return AuthError(
            msg(
                "the bot may not change the channel ({said}): make it an administrator of the "
                "channel with the right to change channel info",
                said=said,
            ),
            status=answer.status,
            **where,
        )
    return None


HINTS = Hints(
    name="Telegram",
    refused=N_(
        "the bot token was refused ({said}): get it from @BotFather (/token) and put it in "
        "{env_name}"
    ),
    forbidden=N_(
        "the bot cannot reach the channel ({said}): add it to the channel as an administrator "
        "with the right to change channel info"
    ),
    rejected=N_("Telegram refused the request ({said})"),
    said=_said,
    wait=_wait,
    special=_no_rights,
)


class TelegramAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (("member_count", N_("Subscribers")),)
    platform = "telegram"
    SUPPORTS = frozenset({"title", "description", "photo"})
    UNBLANKABLE = frozenset({"title"})  # a channel always has a title (1-128 characters)

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
        self.root = endpoints.url("telegram", API).rstrip("/")
        self.http = http_session(endpoints, session)
        self._files = f"{self.root}/file/bot{token}"
        self.api = JsonApi(
            self.http,
            f"{self.root}/bot{token}",
            HINTS,
            {"platform": "telegram", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("bot_token"),
        )

    def close(self) -> None:
        super().close()
        self.http.close()

    def _call(self, method: str, name: str, field: str, **kwargs: t.Any) -> t.Any:
        """``result`` of one Bot API method; an answer without ``ok: true`` is an error."""
        found = self.api.answer(method, f"/{name}", field=field, **kwargs)
        if found.status == 200 and found.document.get("ok") is True and "result" in found.document:
            return found.document["result"]
        raise self.api.fail(found if found.status >= 300 else Answer(502, found.body, {}), field)

    # -- the contract ----------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        chat = self._call("GET", "getChat", "profile", params={"chat_id": self.settings.chat})
        if not isinstance(chat, dict):
            raise ValueError("getChat answered no chat")
        # the channel itself, or nothing is believed: an empty answer is not an empty channel
        expect(chat.get("id"), int, "the chat's id")
        if chat.get("type") != "channel":
            raise RemoteError(
                msg(
                    "{chat} is a {kind}, not a channel: name the channel in chat:",
                    chat=self.settings.chat,
                    kind=str(chat.get("type")),
                ),
                platform="telegram",
                account=self.account.id,
                field="chat",
            )
        wanted = self.settings.chat
        if wanted.startswith("@") and str(chat.get("username", "")).lower() != wanted[1:].lower():
            raise ValueError(f"getChat answered another chat than {wanted}")
        photo = chat.get("photo")
        big = photo.get("big_file_id") if isinstance(photo, dict) else None
        return LiveState(
            {
                "title": text_of(chat.get("title"), "title"),
                "description": text_of(chat.get("description", ""), "description"),
            },
            {"photo": FILE + big if isinstance(big, str) and big else None},
        )

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        chat = self.settings.chat
        if "title" in fields:
            self._call(
                "POST", "setChatTitle", "title", json={"chat_id": chat, "title": fields["title"]}
            )
        if "description" in fields:
            body = {"chat_id": chat, "description": fields["description"]}
            self._call("POST", "setChatDescription", "description", json=body)

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        self._call(
            "POST",
            "setChatPhoto",
            field,
            data={"chat_id": self.settings.chat},
            files={"photo": (filename, data)},
        )

    def fetch(self, url: str) -> bytes:
        """The live photo: ``getFile`` gives its path, downloaded with the token (never kept)."""
        if not url.startswith(FILE):
            return super().fetch(url)
        found = self._call("GET", "getFile", "photo", params={"file_id": url[len(FILE) :]})
        path = expect(found.get("file_path") if isinstance(found, dict) else None, str, "file_path")
        where: dict[str, t.Any] = {"platform": "telegram", "account": self.account.id}
        try:
            response = self.http.get(f"{self._files}/{path}", timeout=self.endpoints.timeout)
        except requests.RequestException as exc:
            raise RemoteError(
                msg("could not download an image ({error})", error=type(exc).__name__),
                retryable=True,
                field="photo",
                **where,
            ) from None
        if response.status_code != 200:
            raise RemoteError(
                msg("image download answered {status}", status=response.status_code),
                status=response.status_code,
                retryable=response.status_code == 429 or response.status_code >= 500,
                field="photo",
                **where,
            )
        return response.content

    def figures(self, days: int = 7) -> Figures:
        count = self._call(
            "GET", "getChatMemberCount", "figures", params={"chat_id": self.settings.chat}
        )
        members = expect(count, int, "the member count")
        return Figures(members, {"member_count": members})


ADAPTER = TelegramAdapter
