"""Discord HTTP API v10 (``/discord/api/v10/guilds/{id}``) and its CDN (``/discord/cdn/``), for
servers and the bots in them, answering as Discord documents (discord/discord-api-docs:
resources/Guild "Get Guild", "Modify Guild", topics/Rate_Limits, reference "Image Data",
topics/Opcodes_and_Status_Codes "JSON Error Codes"):

- ``Authorization: Bot <token>``; a wrong token is 401 ``{"message": "401: Unauthorized",
  "code": 0}``; a server the bot is not in is 404 ``{"message": "Unknown Guild", "code": 10004}``
  (403 ``Missing Access`` 50001 is what Discord answers when it exists; the sandbox keeps 10004);
  a bot without Manage Server gets 403 ``{"message": "Missing Permissions", "code": 50013}``;
- ``with_counts=true`` adds ``approximate_member_count`` and ``approximate_presence_count``;
- ``PATCH`` takes ``name`` (2-100), ``description``, ``icon`` and ``banner`` as data URIs
  (``data:image/png;base64,…``); an invalid form is 400 ``{"code": 50035, "errors": {field:
  {"_errors": [{"code", "message"}]}}, "message": "Invalid Form Body"}``; a banner needs the
  ``BANNER`` feature and a description ``COMMUNITY`` (400 50035 otherwise, in the sandbox);
- images are stored under a new hash and served by the CDN at ``icons|banners/{id}/{hash}.png``
  (the icon cropped to a square, the banner kept at 16:9, re-encoded);
- every answer has ``X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket``; past 5 changes per
  guild in 5 seconds (ours), 429 ``{"message": "You are being rate limited.", "retry_after":
  N.NNN, "global": false}`` with ``Retry-After``.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import threading
import time
import typing as t

from brandkit.platforms.discord.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["EMULATOR", "DiscordAPI"]

WINDOW, PER_WINDOW = 5.0, 5
DATA_URI = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,(.+)", re.S)


def _error(status: int, message: str, code: int, **extra: t.Any) -> Response:
    return json_response(status, {"message": message, "code": code, **extra})


def _invalid(field: str, code: str, message: str) -> Response:
    errors = {field: {"_errors": [{"code": code, "message": message}]}}
    return _error(400, "Invalid Form Body", 50035, errors=errors)


class DiscordAPI(PlatformAPI):
    platform = "discord"
    prefixes = ("/discord/",)
    empty_state: t.ClassVar[dict[str, t.Any]] = {"guilds": {}, "bots": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._changes: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    # -- servers and bots ------------------------------------------------------------------------
    def add_guild(
        self,
        guild_id: str,
        *,
        bot_token: str,
        name: str = "",
        features: t.Sequence[str] = ("BANNER", "COMMUNITY"),
        manage_guild: bool = True,
    ) -> str:
        """A server ``guild_id`` with the bot of ``bot_token`` in it."""
        with self.state.edit() as data:
            dc = data["discord"]
            guild = dc["guilds"].setdefault(
                guild_id,
                {"name": name or "server", "description": None, "icon": None, "banner": None},
            )
            guild["features"] = list(features)
            dc["bots"].setdefault(bot_token, {})[guild_id] = {"manage_guild": manage_guild}
        return guild_id

    def edit_guild(self, guild_id: str, **fields: t.Any) -> None:
        """A change made in the Discord app, behind brandkit's back."""
        with self.state.edit() as data:
            data["discord"]["guilds"][guild_id].update(fields)

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        token = fields.pop("bot_token", None) or secrets.token_urlsafe(52)
        guild_id = str(fields.pop("guild_id", None) or 10**17 + secrets.randbelow(10**17))
        return {"id": self.add_guild(guild_id, bot_token=token, **fields), "bot_token": token}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        # as a server someone just made: its name, no icon, no banner, no description
        self.add_guild(
            Settings.of(account.options).guild_id,
            bot_token=credentials["bot_token"],
            name=brand.identity.name[:100],
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {
            "BRANDKIT_DISCORD_URL": f"{base_url}/discord/api/v10",
            "BRANDKIT_DISCORD_CDN_URL": f"{base_url}/discord/cdn",
        }

    def describe(self, base_url: str) -> str:
        return f"Discord          {base_url}/discord/api/v10/   Authorization: Bot <token>"

    def add_demo_account(self) -> str:
        token = "sandbox-discord-demo-bot-token"
        self.add_guild("100000000000000001", bot_token=token, name="brandkit demo")
        return f"discord   guild 100000000000000001: bot token {token}"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        if status == 429:
            wait = float(fault.retry_after or 1)
            response = _error(
                429, "You are being rate limited.", 0, retry_after=wait, **{"global": False}
            )
            response.headers["Retry-After"] = str(int(wait) or 1)
            return response
        return _error(status, "Internal Server Error", 0)

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._changes.clear()

    # -- requests --------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        cdn = re.fullmatch(r"/discord/cdn/(icons|banners)/(\d+)/([0-9a-f]+)\.png", req.path)
        if cdn:
            found = self.state.get_image(f"discord-{cdn.group(1)}-{cdn.group(2)}-{cdn.group(3)}")
            if found is None:
                return Response(404, b"404: Not Found", {"Content-Type": "text/plain"})
            return Response(200, found[0], {"Content-Type": "image/png"})
        auth = req.headers.get("authorization", "")
        dc = self.state.data["discord"]
        bot = dc["bots"].get(auth.removeprefix("Bot ").strip()) if auth.startswith("Bot ") else None
        if bot is None:
            return _error(401, "401: Unauthorized", 0)
        m = re.fullmatch(r"/discord/api/v10/guilds/(\d+)", req.path)
        if m is None:
            return _error(404, "404: Not Found", 0)
        guild_id = m.group(1)
        guild = dc["guilds"].get(guild_id)
        if guild is None or guild_id not in bot:
            return _error(404, "Unknown Guild", 10004)
        headers = self._rate(guild_id, counts=req.method == "PATCH")
        if isinstance(headers, Response):
            return headers
        if req.method == "GET":
            response = json_response(
                200, self._guild(guild_id, guild, req.query.get("with_counts") == "true")
            )
        elif req.method == "PATCH":
            if not bot[guild_id]["manage_guild"]:
                response = _error(403, "Missing Permissions", 50013)
            else:
                response = self._modify(guild_id, guild, req.json())
        else:
            response = _error(405, "405: Method Not Allowed", 0)
        response.headers.update(headers)
        return response

    def _rate(self, guild_id: str, counts: bool) -> dict[str, str] | Response:
        now = time.time()
        with self._lock:
            recent = [c for c in self._changes.get(guild_id, []) if c > now - WINDOW]
            after = (recent[0] + WINDOW - now) if recent else WINDOW
            headers = {
                "X-RateLimit-Limit": str(PER_WINDOW),
                "X-RateLimit-Remaining": str(
                    max(0, PER_WINDOW - len(recent) - (1 if counts else 0))
                ),
                "X-RateLimit-Reset": f"{now + after:.3f}",
                "X-RateLimit-Reset-After": f"{after:.3f}",
                "X-RateLimit-Bucket": f"guild-{guild_id}",
            }
            if counts and len(recent) >= PER_WINDOW:
                response = _error(
                    429,
                    "You are being rate limited.",
                    0,
                    retry_after=round(after, 3),
                    **{"global": False},
                )
                response.headers.update({**headers, "Retry-After": str(int(after) + 1)})
                return response
            if counts:
                self._changes[guild_id] = [*recent, now]
        return headers

    def _guild(self, guild_id: str, guild: dict[str, t.Any], counts: bool) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {
            "id": guild_id,
            "name": guild["name"],
            "icon": guild["icon"],
            "splash": None,
            "discovery_splash": None,
            "banner": guild["banner"],
            "description": guild["description"],
            "features": list(guild["features"]),
            "owner_id": "80351110224678912",
            "verification_level": 1,
            "premium_tier": 2 if "BANNER" in guild["features"] else 0,
            "preferred_locale": "en-US",
            "roles": [],
            "emojis": [],
        }
        if counts:
            figures, day = Audience("discord", guild_id), day_of(clock(self.state.data))
            members = figures.total("members", day)
            out["approximate_member_count"] = members
            out["approximate_presence_count"] = members // 7
        return out

    def _modify(self, guild_id: str, guild: dict[str, t.Any], body: t.Any) -> Response:
        if not isinstance(body, dict):
            return _error(400, "400: Bad Request", 0)
        changes: dict[str, t.Any] = {}
        if "name" in body:
            name = str(body["name"] or "")
            if not 2 <= len(name) <= 100:
                return _invalid(
                    "name", "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."
                )
            changes["name"] = name
        if "description" in body:
            if "COMMUNITY" not in guild["features"]:
                return _invalid(
                    "description",
                    "GUILD_DESCRIPTION_NOT_COMMUNITY",
                    "Only community servers can have a description.",
                )
            changes["description"] = str(body["description"] or "") or None
        for field, kind, size in (("icon", "icons", None), ("banner", "banners", (960, 540))):
            if field not in body:
                continue
            if field == "banner" and "BANNER" not in guild["features"]:
                return _invalid(
                    "banner", "GUILD_BANNER_NOT_AVAILABLE", "This server cannot have a banner."
                )
            stored = self._store(guild_id, kind, body[field], size)
            if stored is None:
                return _invalid(field, "IMAGE_INVALID", "Invalid image data")
            changes[field] = stored
        with self.state.edit() as data:
            data["discord"]["guilds"][guild_id].update(changes)
            kept = dict(data["discord"]["guilds"][guild_id])
        return json_response(200, self._guild(guild_id, kept, counts=False))

    def _store(
        self, guild_id: str, kind: str, uri: t.Any, size: tuple[int, int] | None
    ) -> str | None:
        m = DATA_URI.fullmatch(str(uri or ""))
        if m is None:
            return None
        try:
            raw = base64.b64decode(m.group(2), validate=True)
            image, _ = reencode(raw, exact=size or (512, 512))
        except (binascii.Error, NotAnImage):
            return None
        digest = secrets.token_hex(16)
        self.state.put_image(image, "image/jpeg", key=f"discord-{kind}-{guild_id}-{digest}")
        return digest


EMULATOR = DiscordAPI
