"""X API v2: ``GET/PUT /2/users/me``, ``PUT /2/users/me/profile_image``, ``POST /2/media/upload``.

The same accounts, tokens (OAuth 1.0a user context), limits and asynchronous image processing as
the v1.1 module, with v2's shapes: every answer is ``{"data": ...}``; a user has only ``id``,
``name`` and ``username`` unless ``user.fields`` asks for more; entities carry ``start``/``end``;
there is no ``default_profile_image`` (a default avatar is a ``default_profile_images`` URL);
errors are problem objects (``title``, ``detail``, ``type``, ``status``). Sources: X's OpenAPI
(xdevplatform/xdk specs/openapi.json, v2.167: User, MediaUploadRequest/Response, Problem),
docs.x.com for the two PUT endpoints, tweepy's recorded ``GET /2/users/me`` (headers included).
"""

from __future__ import annotations

import hashlib
import time
import typing as t

from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, reencode
from brandkit.sandbox.state import SandboxState

__all__ = ["TwitterV2", "Users", "problem"]

MEDIA_MAX_BYTES = 5 * 1024 * 1024  # images through the v2 upload (X's media limit for images)
DEFAULT_FIELDS = ("id", "name", "username")


def problem(
    status: int, title: str, detail: str, kind: str = "about:blank", **extra: t.Any
) -> Response:
    body = {"title": title, "detail": detail, "type": kind, "status": status, **extra}
    return json_response(status, body, "application/problem+json")


def _invalid(parameter: str, message: str) -> Response:
    body = {
        "errors": [{"parameters": {parameter: []}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.x.com/2/problems/invalid-request",
    }
    return json_response(400, body)


# How the two profile PUTs answer: their answers are undocumented (not in the OpenAPI file), so
# tests try each shape a client must accept: "data" (what X has been seen to send), "empty"
# (200 {}), "no-content" (204) and "absent" (404, as for an app the endpoints are not open to).
WRITE_ANSWERS = ("data", "empty", "no-content", "absent")


class Users(t.Protocol):
    """What v2 shares with the v1.1 module (emulator.py): the same accounts, tokens, limits and
    image processing. A protocol, so neither module imports the other."""

    state: SandboxState

    def _authenticate(self, req: Request) -> tuple[dict[str, t.Any], str] | Response: ...
    def _rate_headers(self, token: str, endpoint: str) -> tuple[dict[str, str], bool]: ...
    def user_json(self, user: dict[str, t.Any], base: str) -> dict[str, t.Any]: ...
    def settle(self, user_id: str) -> None: ...
    def update_profile(self, user_id: str, params: t.Mapping[str, t.Any]) -> str | None: ...
    def store_avatar(self, user_id: str, upload: bytes) -> bool: ...


class TwitterV2:
    def __init__(self, api: Users) -> None:
        self.api = api
        self.state = api.state
        self.write_answers = "data"

    def handle(self, req: Request) -> Response:
        routes: dict[tuple[str, str], t.Callable[[Request, dict[str, t.Any]], Response]] = {
            ("GET", "/2/users/me"): self._me,
            ("PUT", "/2/users/me"): self._update_me,
            ("PUT", "/2/users/me/profile_image"): self._profile_image,
            ("POST", "/2/media/upload"): self._media_upload,
        }
        route = routes.get((req.method, req.path.rstrip("/")))
        if req.method == "PUT" and self.write_answers == "absent":
            route = None
        if route is None:
            return problem(
                404,
                "Not Found Error",
                f"Could not find {req.path}",
                "https://api.x.com/2/problems/resource-not-found",
            )
        auth = self.api._authenticate(req)
        if isinstance(auth, Response):
            return problem(401, "Unauthorized", "Unauthorized")
        user, token = auth
        level = user.get("access", {}).get(token, "read-write")
        endpoint = req.path.strip("/")
        headers, exhausted = self.api._rate_headers(token, endpoint)
        headers["x-access-level"] = level
        if exhausted:
            response = problem(429, "Too Many Requests", "Too Many Requests")
            response.headers.update(headers)
            return response
        if req.method != "GET" and level == "read":
            response = problem(
                403,
                "Forbidden",
                "Your client app is not configured with the appropriate oauth1 app permissions "
                "for this endpoint.",
                "https://api.x.com/2/problems/oauth1-permissions",
            )
            response.headers.update(headers)
            return response
        self.api.settle(user["id"])
        response = route(req, dict(self.state.data["twitter"]["users"][user["id"]]))
        if req.method == "PUT" and response.status == 200 and self.write_answers != "data":
            response = (
                Response(204) if self.write_answers == "no-content" else json_response(200, {})
            )
        response.headers.update(headers)
        return response

    def fault_response(self, status: int) -> Response:
        """An injected fault, worded as v2 words that status."""
        if status == 403:  # what an app without v2 access (no Project) is told
            return problem(
                403,
                "Client Forbidden",
                "When authenticating requests to the Twitter API v2 endpoints, you must use keys "
                "and tokens from a Twitter developer App that is attached to a Project.",
                "https://api.x.com/2/problems/client-forbidden",
                reason="client-not-enrolled",
                required_enrollment="Appropriate Level of API Access",
            )
        titles = {
            401: "Unauthorized",
            429: "Too Many Requests",
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
        }
        title = titles.get(status, "Error")
        return problem(status, title, title)

    # -- representation ------------------------------------------------------------------------
    def user(self, user: dict[str, t.Any], base: str, fields: t.Iterable[str]) -> dict[str, t.Any]:
        """The v2 user object with the fields asked for (id, name and username always)."""
        v1 = self.api.user_json(user, base)
        entities: dict[str, t.Any] = {}
        for key, found in v1["entities"].items():
            urls = [
                {
                    "start": u["indices"][0],
                    "end": u["indices"][1],
                    "url": u["url"],
                    "expanded_url": u["expanded_url"],
                    "display_url": u["display_url"],
                }
                for u in found["urls"]
            ]
            if urls:
                entities[key] = {"urls": urls}
        full: dict[str, t.Any] = {
            "id": user["id"],
            "name": user["name"],
            "username": user["screen_name"],
            "description": v1["description"],
            "location": v1["location"],
            "url": v1["url"] or "",
            "entities": entities,
            "profile_image_url": v1["profile_image_url_https"],
            "protected": False,
            "verified": False,
            "created_at": time.strftime(
                "%Y-%m-%dT%H:%M:%S.000Z",
                time.strptime(user["created_at"], "%a %b %d %H:%M:%S +0000 %Y"),
            ),
            "public_metrics": {
                "followers_count": v1["followers_count"],
                "following_count": v1["friends_count"],
                # UserPublicMetrics names it post_count (tweet_count until August 2026)
                "post_count": v1["statuses_count"],
                "listed_count": v1["listed_count"],
                "like_count": 0,
                "media_count": 0,
            },
        }
        if "profile_banner_url" in v1:
            full["profile_banner_url"] = v1["profile_banner_url"]
        wanted = set(DEFAULT_FIELDS) | set(fields)
        return {k: v for k, v in full.items() if k in wanted and (v or k in DEFAULT_FIELDS)}

    # -- routes -----------------------------------------------------------------------------------
    def _me(self, req: Request, user: dict[str, t.Any]) -> Response:
        fields = [f for f in req.query.get("user.fields", "").split(",") if f]
        return json_response(200, {"data": self.user(user, req.base_url, fields)})

    def _update_me(self, req: Request, user: dict[str, t.Any]) -> Response:
        body = req.json()
        if not isinstance(body, dict) or not body:
            return _invalid(
                "body",
                "The request body must hold at least one of name, description, url, location.",
            )
        unknown = sorted(set(body) - {"name", "description", "url", "location"})
        if unknown:
            return _invalid(unknown[0], f"The `{unknown[0]}` field is not a profile field.")
        too_long = self.api.update_profile(user["id"], body)
        if too_long:
            return _invalid(too_long, f"The `{too_long}` field is too long.")
        updated = self.state.data["twitter"]["users"][user["id"]]
        fields = ("description", "location", "url", "entities")
        return json_response(200, {"data": self.user(updated, req.base_url, fields)})

    def _media_upload(self, req: Request, user: dict[str, t.Any]) -> Response:
        parts = req.multipart()
        media = parts.get("media")
        category = parts.get("media_category")
        if media is None:
            return _invalid("media", "The `media` field is required.")
        if category is None or category[0].decode() not in ("tweet_image", "dm_image"):
            return _invalid(
                "media_category", "The `media_category` field must be an image category."
            )
        if len(media[0]) > MEDIA_MAX_BYTES:
            return _invalid("media", "The media is larger than 5 MB.")
        try:
            _, (w, h) = reencode(media[0])
        except NotAnImage:
            return _invalid("media", "The media could not be read as an image.")
        media_id = str(int(hashlib.sha256(media[0]).hexdigest()[:15], 16))
        self.state.put_image(media[0], "application/octet-stream", key=f"media-{media_id}")
        data = {
            "id": media_id,
            "media_key": f"3_{media_id}",
            "size": len(media[0]),
            "expires_after_secs": 86400,
            "image": {"image_type": "image/jpeg", "w": w, "h": h},
        }
        return json_response(200, {"data": data})

    def _profile_image(self, req: Request, user: dict[str, t.Any]) -> Response:
        body = req.json()
        media_id = str(body.get("media_id", "")) if isinstance(body, dict) else ""
        stored = self.state.get_image(f"media-{media_id}") if media_id else None
        if stored is None:
            return _invalid("media_id", "The `media_id` is not an uploaded media of this user.")
        if not self.api.store_avatar(user["id"], stored[0]):
            return _invalid("media_id", "The media could not be used as a profile image.")
        current = self.state.data["twitter"]["users"][user["id"]]
        return json_response(
            200, {"data": self.user(current, req.base_url, ("profile_image_url",))}
        )
