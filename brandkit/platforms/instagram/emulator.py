"""Instagram's IG User node on the Graph API (``/ig/{version}/{ig-user-id}``), read only, as
developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user
describes it: the ``fields`` asked for and nothing else (``id`` always); ``followers_count``,
``media_count``; ``profile_picture_url`` on Instagram's CDN (``/ig/cdn/…`` here). Errors are
Graph's: an unknown token is 400 ``OAuthException`` code 190 ("Invalid OAuth access token -
Cannot parse access token"); an id the token may not read, 400 code 100 subcode 33. No write
exists; ``by_hand`` stands in for the app's Edit profile.
"""

from __future__ import annotations

import re
import secrets
import typing as t

from brandkit.platforms.instagram.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import placeholder, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["EMULATOR", "InstagramAPI"]

READABLE = (
    "id",
    "username",
    "name",
    "biography",
    "website",
    "profile_picture_url",
    "followers_count",
    "media_count",
)


def _error(status: int, message: str, code: int, subcode: int | None = None) -> Response:
    error: dict[str, t.Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": secrets.token_urlsafe(8),
    }
    if subcode:
        error["error_subcode"] = subcode
        error["type"] = "GraphMethodException"
    return json_response(status, {"error": error})


class InstagramAPI(PlatformAPI):
    platform = "instagram"
    prefixes = ("/ig/",)
    empty_state: t.ClassVar[dict[str, t.Any]] = {"users": {}, "tokens": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)

    def add_user(self, ig_user_id: str, *, access_token: str, username: str = "") -> str:
        with self.state.edit() as data:
            ig = data["instagram"]
            ig["users"].setdefault(
                ig_user_id,
                {
                    "username": username or f"user{ig_user_id[-4:]}",
                    "name": "",
                    "biography": "",
                    "website": "",
                    "picture": None,
                },
            )
            ig["tokens"].setdefault(access_token, [])
            if ig_user_id not in ig["tokens"][access_token]:
                ig["tokens"][access_token].append(ig_user_id)
        return ig_user_id

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        token = fields.pop("access_token", None) or f"EAAG{secrets.token_urlsafe(40)}"
        user = str(
            fields.pop("ig_user_id", None) or 17_841_400_000_000_000 + secrets.randbelow(10**9)
        )
        return {"id": self.add_user(user, access_token=token, **fields), "access_token": token}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        settings = Settings.of(account.options)
        self.add_user(
            settings.ig_user_id,
            access_token=credentials["access_token"],
            username=settings.username,
        )

    def by_hand(self, account: Account, field: str, value: bytes | str) -> bool:
        """The app's Edit profile: name, bio, link, photo (what no API can set)."""
        user_id = Settings.of(account.options).ig_user_id
        with self.state.edit() as data:
            user = data["instagram"]["users"][user_id]
            if field in ("name", "biography", "website") and isinstance(value, str):
                user[field] = value
                return True
            if field == "avatar" and isinstance(value, bytes):
                image, _ = reencode(value, exact=(320, 320))
                key = secrets.token_hex(8)
                self.state.put_image(image, "image/jpeg", key=f"instagram-{key}")
                user["picture"] = key
                return True
        return False

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_INSTAGRAM_URL": f"{base_url}/ig"}

    def describe(self, base_url: str) -> str:
        return f"Instagram        {base_url}/ig/v23.0/<ig-user-id>   (read only)"

    def add_demo_account(self) -> str:
        self.add_user(
            "17841400000000001", access_token="sandbox-instagram-token", username="brandkit.demo"
        )
        return "instagram 17841400000000001: token sandbox-instagram-token (read only)"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        if status == 429:
            return _error(429, "Application request limit reached", 4)
        return _error(
            status, "An unexpected error has occurred. Please retry your request later.", 2
        )

    def handle(self, req: Request) -> Response:
        cdn = re.fullmatch(r"/ig/cdn/([0-9a-f]+|default)\.jpg", req.path)
        if cdn:
            if cdn.group(1) == "default":
                return Response(
                    200, placeholder((320, 320), (219, 219, 219)), {"Content-Type": "image/jpeg"}
                )
            found = self.state.get_image(f"instagram-{cdn.group(1)}")
            if found is None:
                return Response(404, b"", {"Content-Type": "text/plain"})
            return Response(200, found[0], {"Content-Type": found[1]})
        ig = self.state.data["instagram"]
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in ig["tokens"]:
            return _error(400, "Invalid OAuth access token - Cannot parse access token", 190)
        m = re.fullmatch(r"/ig/v\d+\.\d+/(\d+)", req.path)
        if m is None or req.method != "GET":
            return _error(400, "Unsupported request - method type: " + req.method.lower(), 100)
        user_id = m.group(1)
        if user_id not in ig["tokens"][token] or user_id not in ig["users"]:
            return _error(
                400,
                f"Unsupported get request. Object with ID '{user_id}' does not exist, cannot be "
                "loaded due to missing permissions, or does not support this operation.",
                100,
                33,
            )
        user = ig["users"][user_id]
        figures, day = Audience("instagram", user_id), day_of(clock(self.state.data))
        picture = user["picture"] or "default"
        every = {
            "id": user_id,
            "username": user["username"],
            "name": user["name"],
            "biography": user["biography"],
            "website": user["website"],
            "profile_picture_url": f"{req.base_url}/ig/cdn/{picture}.jpg",
            "followers_count": figures.total("followers", day),
            "media_count": figures.total("media", day) // 40,
        }
        asked = [f for f in req.query.get("fields", "id").split(",") if f]
        unknown = [f for f in asked if f not in READABLE]
        if unknown:
            return _error(
                400,
                f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (User)",
                100,
            )
        return json_response(
            200,
            {k: every[k] for k in ["id", *asked] if k in every and (k == "id" or every[k] != "")},
        )


EMULATOR = InstagramAPI
