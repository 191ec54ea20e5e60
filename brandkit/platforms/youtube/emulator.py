"""YouTube Data API v3 (``/youtube/v3/channels``, ``/upload/youtube/v3/channelBanners/insert``)
and Google's OAuth token endpoint (``/youtube-oauth/token``), as developers.google.com/youtube/v3
documents them and google-api-python-client's discovery document (youtube.v3.json) describes:

- ``POST /token`` ``grant_type=refresh_token`` → ``{"access_token", "expires_in": 3599,
  "scope", "token_type": "Bearer"}``; a revoked refresh token → 400 ``{"error":
  "invalid_grant", "error_description": "Token has been expired or revoked."}``. Access tokens
  expire (``expire_tokens``): 401 with ``authError``.
- ``channels.list`` (``part``, ``mine=true``) → ``youtube#channelListResponse`` with ``items``:
  ``snippet`` (title, description, customUrl, thumbnails default/medium/high, country),
  ``brandingSettings`` (``channel``: title, description, keywords, country, defaultLanguage;
  ``image.bannerExternalUrl``), ``statistics`` (counts as strings; ``subscriberCount`` rounded
  to three significant figures, as YouTube shows it).
- ``channels.update`` (``part=brandingSettings``): replaces ``brandingSettings`` whole (a
  property left out is deleted); description ≤ 1,000 characters, keywords ≤ 500; the title in
  ``brandingSettings.channel`` is ignored (the name is changed in YouTube Studio only).
- ``channelBanners.insert``: media upload, JPEG or PNG, ≤ 6 MB, 16:9 and at least 2048x1152
  (400 ``bannerImageTooSmall`` in the sandbox, ours), → ``{"kind":
  "youtube#channelBannerResource", "url"}``; the url shows on the channel once set with
  ``bannerExternalUrl``.
- Quota: 1 unit per list, 50 per update or upload, 10,000 a day (``quota`` is settable); past
  it 403 ``quotaExceeded``. Errors are ``{"error": {"code", "message", "errors": [{"message",
  "domain", "reason"}], "status"}}``.
- The avatar and the name have no API; ``by_hand`` stands in for YouTube Studio.
"""

from __future__ import annotations

import io
import re
import secrets
import threading
import typing as t
import urllib.parse

from PIL import Image, UnidentifiedImageError

from brandkit.platforms.youtube.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, placeholder, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["EMULATOR", "YouTubeAPI"]

COST = {"list": 1, "update": 50, "banner": 50}
MAX_BANNER = 6 * 1024 * 1024


def _error(status: int, reason: str, message: str, domain: str = "youtube.api") -> Response:
    status_words = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
            "status": status_words.get(status, "UNKNOWN"),
        }
    }
    return json_response(status, body)


def _three_figures(n: int) -> int:
    """Subscriber counts as YouTube gives them: rounded down to three significant figures."""
    if n < 1000:
        return n
    scale = 10 ** (len(str(n)) - 3)
    return n // scale * scale


class YouTubeAPI(PlatformAPI):
    platform = "youtube"
    prefixes = ("/youtube/v3/", "/upload/youtube/v3/", "/youtube-oauth/", "/yt3/")
    empty_state: t.ClassVar[dict[str, t.Any]] = {"channels": {}, "clients": {}, "access": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self.quota = 10_000
        self._used = 0
        self._lock = threading.Lock()

    # -- channels --------------------------------------------------------------------------------
    def add_channel(
        self,
        channel_id: str,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        title: str = "",
    ) -> str:
        with self.state.edit() as data:
            yt = data["youtube"]
            yt["channels"].setdefault(
                channel_id,
                {
                    "title": title or channel_id,
                    "branding": {"channel": {"title": title or channel_id}, "image": {}},
                    "avatar": None,
                },
            )
            yt["clients"][refresh_token] = {
                "client_id": client_id,
                "client_secret": client_secret,
                "channel": channel_id,
            }
        return channel_id

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        creds = {
            "client_id": fields.pop("client_id", None)
            or f"{secrets.randbelow(10**12)}.apps.googleusercontent.com",
            "client_secret": fields.pop("client_secret", None) or secrets.token_urlsafe(18),
            "refresh_token": fields.pop("refresh_token", None) or f"1//{secrets.token_urlsafe(40)}",
        }
        channel_id = fields.pop("channel_id", None) or f"UC{secrets.token_urlsafe(16)[:22]}"
        return {"id": self.add_channel(channel_id, **creds, **fields), **creds}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        # as a channel just made: the brand's name, YouTube's own picture, nothing else
        self.add_channel(
            Settings.of(account.options).channel_id, title=brand.identity.name, **credentials
        )

    def by_hand(self, account: Account, field: str, value: bytes | str) -> bool:
        """What a person does in YouTube Studio: the name, the picture."""
        channel_id = Settings.of(account.options).channel_id
        with self.state.edit() as data:
            channel = data["youtube"]["channels"][channel_id]
            if field == "title" and isinstance(value, str):
                channel["title"] = value
                channel["branding"].setdefault("channel", {})["title"] = value
                return True
            if field == "avatar" and isinstance(value, bytes):
                image, _ = reencode(value, exact=(800, 800))
                key = secrets.token_hex(8)
                self.state.put_image(image, "image/jpeg", key=f"youtube-avatar-{key}")
                channel["avatar"] = key
                return True
        return False

    def edit_channel(self, channel_id: str, **channel: t.Any) -> None:
        """A change made in YouTube Studio, behind brandkit's back (brandingSettings.channel)."""
        with self.state.edit() as data:
            data["youtube"]["channels"][channel_id]["branding"]["channel"].update(channel)

    def expire_tokens(self) -> None:
        with self.state.edit() as data:
            data["youtube"]["access"].clear()

    def env(self, base_url: str) -> dict[str, str]:
        return {
            "BRANDKIT_YOUTUBE_URL": base_url,
            "BRANDKIT_YOUTUBE_OAUTH_URL": f"{base_url}/youtube-oauth/token",
        }

    def describe(self, base_url: str) -> str:
        return f"YouTube          {base_url}/youtube/v3/   OAuth: {base_url}/youtube-oauth/token"

    def add_demo_account(self) -> str:
        self.add_channel(
            "UCbrandkitDemoChannel000",
            client_id="demo.apps.googleusercontent.com",
            client_secret="sandbox-secret",
            refresh_token="1//sandbox-youtube-refresh",
            title="brandkit demo",
        )
        return "youtube   UCbrandkitDemoChannel000: refresh token 1//sandbox-youtube-refresh"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        reason = {403: "quotaExceeded", 429: "rateLimitExceeded", 503: "backendError"}.get(
            status, "backendError"
        )
        response = _error(status, reason, "The request cannot be completed.")
        if fault.retry_after is not None:
            response.headers["Retry-After"] = str(fault.retry_after)
        return response

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._used = 0

    # -- requests --------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        if req.path == "/youtube-oauth/token" and req.method == "POST":
            return self._token(req.form())
        if req.path.startswith("/yt3/"):
            return self._image(req.path)
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        channel_id = self.state.data["youtube"]["access"].get(token)
        if channel_id is None:
            return _error(
                401, "authError", "Request had invalid authentication credentials.", "global"
            )
        if req.path == "/youtube/v3/channels" and req.method == "GET":
            return self._spend("list") or json_response(200, self._list(req, channel_id))
        if req.path == "/youtube/v3/channels" and req.method == "PUT":
            return self._spend("update") or self._update(req, channel_id)
        if req.path == "/upload/youtube/v3/channelBanners/insert" and req.method == "POST":
            return self._spend("banner") or self._banner(req)
        return _error(404, "notFound", "Not Found")

    def _token(self, form: dict[str, str]) -> Response:
        client = self.state.data["youtube"]["clients"].get(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or client is None:
            return json_response(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        if (form.get("client_id"), form.get("client_secret")) != (
            client["client_id"],
            client["client_secret"],
        ):
            return json_response(
                401, {"error": "invalid_client", "error_description": "Unauthorized"}
            )
        token = f"ya29.{secrets.token_urlsafe(40)}"
        with self.state.edit() as data:
            data["youtube"]["access"][token] = client["channel"]
        return json_response(
            200,
            {
                "access_token": token,
                "expires_in": 3599,
                "scope": "https://www.googleapis.com/auth/youtube",
                "token_type": "Bearer",
            },
        )

    def _spend(self, what: str) -> Response | None:
        with self._lock:
            if self._used + COST[what] > self.quota:
                return _error(
                    403,
                    "quotaExceeded",
                    "The request cannot be completed because you have exceeded your quota.",
                    "youtube.quota",
                )
            self._used += COST[what]
        return None

    def _list(self, req: Request, channel_id: str) -> dict[str, t.Any]:
        parts = set(req.query.get("part", "").split(","))
        channel = self.state.data["youtube"]["channels"][channel_id]
        base = req.base_url
        item: dict[str, t.Any] = {
            "kind": "youtube#channel",
            "etag": secrets.token_hex(8),
            "id": channel_id,
        }
        avatar = (
            f"{base}/yt3/avatar/{channel['avatar']}"
            if channel["avatar"]
            else f"{base}/yt3/default-avatar"
        )
        if "snippet" in parts:
            branding = channel["branding"].get("channel", {})
            item["snippet"] = {
                "title": channel["title"],
                "description": branding.get("description", ""),
                "customUrl": "@" + re.sub(r"[^a-z0-9]", "", channel["title"].lower()),
                "publishedAt": "2024-10-04T09:00:00Z",
                "thumbnails": {
                    name: {"url": f"{avatar}?s={size}", "width": size, "height": size}
                    for name, size in (("default", 88), ("medium", 240), ("high", 800))
                },
                "country": branding.get("country"),
            }
        if "brandingSettings" in parts:
            item["brandingSettings"] = {
                "channel": dict(channel["branding"].get("channel", {})),
                "image": dict(channel["branding"].get("image", {})),
            }
        if "statistics" in parts:
            figures, day = Audience("youtube", channel_id), day_of(clock(self.state.data))
            item["statistics"] = {
                "viewCount": str(figures.total("views", day) * 40),
                "subscriberCount": str(_three_figures(figures.total("subscribers", day))),
                "hiddenSubscriberCount": False,
                "videoCount": str(figures.total("videos", day) // 300),
            }
        return {
            "kind": "youtube#channelListResponse",
            "etag": secrets.token_hex(8),
            "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
            "items": [item],
        }

    def _update(self, req: Request, channel_id: str) -> Response:
        body = req.json()
        if req.query.get("part") != "brandingSettings" or not isinstance(body, dict):
            return _error(400, "invalidPart", "The part parameter is not valid for this operation.")
        if body.get("id") != channel_id:
            return _error(
                403, "channelForbidden", "The channel identified in the request cannot be updated."
            )
        branding = body.get("brandingSettings")
        if not isinstance(branding, dict):
            return _error(400, "invalidBrandingSettings", "brandingSettings is required.")
        settings = dict(branding.get("channel") or {})
        if len(str(settings.get("description", ""))) > 1000:
            return _error(400, "invalidDescription", "The channel description is too long.")
        if len(str(settings.get("keywords", ""))) > 500:
            return _error(400, "invalidKeywords", "The channel keywords are too long.")
        with self.state.edit() as data:
            channel = data["youtube"]["channels"][channel_id]
            settings["title"] = channel["title"]  # the name is changed in Studio, not here
            # the whole of brandingSettings is replaced: what was left out is gone
            channel["branding"] = {"channel": settings, "image": dict(branding.get("image") or {})}
            kept = dict(channel["branding"])
        return json_response(
            200, {"kind": "youtube#channel", "id": channel_id, "brandingSettings": kept}
        )

    def _banner(self, req: Request) -> Response:
        data = req.body
        if not data:
            return _error(
                400, "mediaBodyRequired", "The request does not include the image content."
            )
        if len(data) > MAX_BANNER:
            return _error(400, "bannerImageTooLarge", "The banner image is larger than 6 MB.")
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind, size = image.format, image.size
        except (UnidentifiedImageError, OSError):
            return _error(400, "mediaBodyRequired", "The request does not include image content.")
        if kind not in ("PNG", "JPEG"):
            return _error(400, "bannerImageTypeUnsupported", "The banner must be a JPEG or PNG.")
        if size[0] < 2048 or size[1] < 1152 or abs(size[0] / size[1] - 16 / 9) > 0.01:
            return _error(
                400, "bannerImageTooSmall", "The banner must be 16:9, at least 2048x1152."
            )
        try:
            stored, _ = reencode(data, max_size=(2560, 1440))
        except NotAnImage:
            return _error(400, "mediaBodyRequired", "The request does not include image content.")
        key = secrets.token_urlsafe(24)
        self.state.put_image(stored, "image/jpeg", key=f"youtube-banner-{key}")
        return json_response(
            200,
            {
                "kind": "youtube#channelBannerResource",
                "etag": secrets.token_hex(8),
                "url": f"{req.base_url}/yt3/banner/{key}",
            },
        )

    def _image(self, path: str) -> Response:
        path = urllib.parse.unquote(path.split("?", 1)[0])
        m = re.fullmatch(r"/yt3/(avatar|banner)/([A-Za-z0-9_-]+)", path)
        if path == "/yt3/default-avatar":
            return Response(
                200, placeholder((800, 800), (204, 204, 204)), {"Content-Type": "image/jpeg"}
            )
        found = self.state.get_image(f"youtube-{m.group(1)}-{m.group(2)}") if m else None
        if found is None:
            return Response(404, b"Not Found", {"Content-Type": "text/plain"})
        return Response(200, found[0], {"Content-Type": found[1]})


EMULATOR = YouTubeAPI
