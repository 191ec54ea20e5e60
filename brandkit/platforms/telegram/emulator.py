"""Telegram Bot API (``/bot<token>/<method>``, ``/file/bot<token>/<path>``): channels and the
bots that administer them, answering as the Bot API does (core.telegram.org/bots/api).

- Every answer is ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code",
  "description"}``; a flood wait adds ``"parameters": {"retry_after": N}`` (in the body).
- Method names are case-insensitive; parameters come as a query string, a form, JSON or
  multipart, as the Bot API takes them.
- ``getChat`` gives a ChatFullInfo: ``id``, ``type`` ``channel``, ``title``, ``username``,
  ``description`` (absent when empty), ``photo`` (``small/big_file_id`` and their unique ids;
  absent without a photo), ``accent_color_id``, ``max_reaction_count``.
- ``setChatTitle`` 1-128 characters, ``setChatDescription`` 0-255; setting the same value again
  is ``400 Bad Request: chat description is not modified`` (and "chat title"); a bot that is not
  an administrator with ``can_change_info`` gets ``400 Bad Request: not enough rights to change
  chat info``; a bot that is not in the channel ``403 Forbidden: bot is not a member of the
  channel chat``; an unknown chat ``400 Bad Request: chat not found``; a wrong token ``401
  Unauthorized``; an unknown method ``404 Not Found``.
- ``setChatPhoto`` takes an uploaded image (10 MB at most) and keeps it as Telegram does: cropped
  square and re-encoded as a 640x640 JPEG (the "big" size), with a new file id each time.
- 20 requests per minute per chat for changes, then 429 ``Too Many Requests: retry after N``.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
import typing as t

from brandkit.platforms.telegram.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["EMULATOR", "TelegramAPI"]

MAX_PHOTO = 10 * 1024 * 1024
PHOTO = (640, 640)
CHANGES_PER_MINUTE = 20


def _error(status: int, description: str, retry_after: int | None = None) -> Response:
    body: dict[str, t.Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return json_response(status, body)


def _ok(result: t.Any) -> Response:
    return json_response(200, {"ok": True, "result": result})


class TelegramAPI(PlatformAPI):
    platform = "telegram"
    prefixes = ("/bot", "/file/bot")
    empty_state: t.ClassVar[dict[str, t.Any]] = {"bots": {}, "chats": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._changes: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    # -- channels and bots ----------------------------------------------------------------------
    def add_channel(
        self,
        username: str,
        *,
        bot_token: str,
        title: str = "",
        can_change_info: bool = True,
        member: bool = True,
    ) -> int:
        """A public channel ``@username`` whose administrator is the bot of ``bot_token``."""
        username = username.removeprefix("@")
        with self.state.edit() as data:
            tg = data["telegram"]
            bot = tg["bots"].setdefault(
                bot_token, {"id": 7_000_000_000 + len(tg["bots"]), "username": f"{username}_bot"}
            )
            chat = next((c for c in tg["chats"].values() if c["username"] == username), None)
            if chat is None:
                chat_id = -1_001_000_000_000 - len(tg["chats"])
                chat = {
                    "id": chat_id,
                    "username": username,
                    "title": title or username,
                    "description": "",
                    "photo": None,
                    "admins": {},
                }
                tg["chats"][str(chat_id)] = chat
            if member:
                chat["admins"][str(bot["id"])] = {"can_change_info": can_change_info}
            else:
                chat["admins"].pop(str(bot["id"]), None)
            return int(chat["id"])

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        token = (
            fields.pop("bot_token", None)
            or f"{secrets.randbelow(10**9)}:{secrets.token_urlsafe(26)}"
        )
        chat_id = self.add_channel(bot_token=token, **fields)
        return {"id": chat_id, "bot_token": token}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        # as someone who just created the channel: its name, nothing else
        self.add_channel(
            Settings.of(account.options).chat,
            bot_token=credentials["bot_token"],
            title=brand.identity.name[:128],
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_TELEGRAM_URL": base_url}

    def describe(self, base_url: str) -> str:
        return f"Telegram         {base_url}/bot<token>/<method>"

    def add_demo_account(self) -> str:
        token = "123456:sandbox-telegram-demo-token"
        self.add_channel("brandkit_demo", bot_token=token, title="brandkit demo")
        return f"telegram  @brandkit_demo: bot token {token}"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        if status == 429:
            wait = int(fault.retry_after or 5)
            return _error(429, f"Too Many Requests: retry after {wait}", wait)
        return _error(status, {502: "Bad Gateway"}.get(status, "Internal Server Error"))

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._changes.clear()

    def edit_channel(self, username: str, **fields: t.Any) -> None:
        """A change made in the app, behind brandkit's back (title, description)."""
        with self.state.edit() as data:
            for chat in data["telegram"]["chats"].values():
                if chat["username"] == username.removeprefix("@"):
                    chat.update(fields)

    # -- requests --------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        m = re.fullmatch(r"/(file/)?bot([^/]+)/(.+)", req.path)
        if m is None:
            return _error(404, "Not Found")
        tg = self.state.data["telegram"]
        bot = tg["bots"].get(m.group(2))
        if bot is None:
            return _error(401, "Unauthorized")
        if m.group(1):
            return self._download(m.group(3))
        params: dict[str, t.Any] = {**req.query, **req.form()}
        body = req.json() if req.content_type.startswith("application/json") else None
        if isinstance(body, dict):
            params.update(body)
        files = {k: v for k, (v, name) in req.multipart().items() if name is not None}
        method = m.group(3).lower()
        if method == "getme":
            return _ok(
                {"id": bot["id"], "is_bot": True, "first_name": "bot", "username": bot["username"]}
            )
        if method == "getfile":
            return self._file(str(params.get("file_id", "")))
        chat = self._chat(params.get("chat_id"))
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        rights = chat["admins"].get(str(bot["id"]))
        if rights is None:
            return _error(403, "Forbidden: bot is not a member of the channel chat")
        if method == "getchat":
            return _ok(self._full_info(chat))
        if method == "getchatmembercount":
            return _ok(
                Audience("telegram", chat["username"]).total(
                    "members", day_of(clock(self.state.data))
                )
            )
        if method not in ("setchattitle", "setchatdescription", "setchatphoto"):
            return _error(404, "Not Found")
        if not rights["can_change_info"]:
            return _error(400, "Bad Request: not enough rights to change chat info")
        limited = self._limit(str(chat["id"]))
        if limited is not None:
            return limited
        if method == "setchattitle":
            return self._set_text(chat, "title", str(params.get("title", "")), 1, 128)
        if method == "setchatdescription":
            return self._set_text(chat, "description", str(params.get("description", "")), 0, 255)
        return self._set_photo(chat, files.get("photo"))

    def _chat(self, chat_id: t.Any) -> dict[str, t.Any] | None:
        chats = self.state.data["telegram"]["chats"]
        key = str(chat_id or "")
        if key.startswith("@"):
            return next(
                (c for c in chats.values() if c["username"].lower() == key[1:].lower()), None
            )
        found = chats.get(key)
        return found if isinstance(found, dict) else None

    def _full_info(self, chat: dict[str, t.Any]) -> dict[str, t.Any]:
        info: dict[str, t.Any] = {
            "id": chat["id"],
            "type": "channel",
            "title": chat["title"],
            "username": chat["username"],
            "accent_color_id": 0,
            "max_reaction_count": 11,
        }
        if chat["description"]:
            info["description"] = chat["description"]
        if chat["photo"]:
            small, big = chat["photo"]
            info["photo"] = {
                "small_file_id": small,
                "small_file_unique_id": small[-12:],
                "big_file_id": big,
                "big_file_unique_id": big[-12:],
            }
        return info

    def _limit(self, chat_id: str) -> Response | None:
        now = time.time()
        with self._lock:
            recent = [c for c in self._changes.get(chat_id, []) if c > now - 60]
            if len(recent) >= CHANGES_PER_MINUTE:
                wait = int(recent[0] + 60 - now) + 1
                return _error(429, f"Too Many Requests: retry after {wait}", wait)
            self._changes[chat_id] = [*recent, now]
        return None

    def _set_text(
        self, chat: dict[str, t.Any], key: str, value: str, low: int, high: int
    ) -> Response:
        if not low <= len(value) <= high:
            what = "title" if key == "title" else "description"
            return _error(
                400, f"Bad Request: chat {what} is {'empty' if not value else 'too long'}"
            )
        if chat[key] == value:
            return _error(400, f"Bad Request: chat {key} is not modified")
        with self.state.edit() as data:
            data["telegram"]["chats"][str(chat["id"])][key] = value
        return _ok(True)

    def _set_photo(self, chat: dict[str, t.Any], data: bytes | None) -> Response:
        if data is None:
            return _error(400, "Bad Request: there is no photo in the request")
        if len(data) > MAX_PHOTO:
            return _error(400, "Bad Request: file is too big")
        try:
            image, _ = reencode(data, exact=PHOTO)
        except NotAnImage:
            return _error(400, "Bad Request: IMAGE_PROCESS_FAILED")
        small_image, _ = reencode(image, exact=(160, 160))
        ids = (f"AQAD{secrets.token_urlsafe(24)}", f"AQAD{secrets.token_urlsafe(24)}")
        for file_id, content in zip(ids, (small_image, image), strict=True):
            self.state.put_image(content, "image/jpeg", key=f"telegram-{file_id}")
        with self.state.edit() as state:
            state["telegram"]["chats"][str(chat["id"])]["photo"] = list(ids)
        return _ok(True)

    def _file(self, file_id: str) -> Response:
        found = self.state.get_image(f"telegram-{file_id}") if file_id else None
        if found is None:
            return _error(400, "Bad Request: invalid file_id")
        return _ok(
            {
                "file_id": file_id,
                "file_unique_id": file_id[-12:],
                "file_size": len(found[0]),
                "file_path": f"profile_photos/{file_id}.jpg",
            }
        )

    def _download(self, path: str) -> Response:
        m = re.fullmatch(r"profile_photos/([A-Za-z0-9_-]+)\.jpg", path)
        found = self.state.get_image(f"telegram-{m.group(1)}") if m else None
        if found is None:
            return Response(404, b"Not Found", {"Content-Type": "text/plain"})
        return Response(200, found[0], {"Content-Type": found[1]})


EMULATOR = TelegramAPI
