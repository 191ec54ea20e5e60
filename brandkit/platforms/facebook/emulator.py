"""Facebook Graph API (/vNN.N/...): read and update a Page, photos, profile picture and cover.

Errors use the real ``{"error": {message, type, code, error_subcode, fbtrace_id}}`` shape;
every answer carries ``X-App-Usage`` and ``X-Business-Use-Case-Usage``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import typing as t

from brandkit.platforms.facebook.emulator_fields import READ_FIELDS, UPDATE_PARAMS
from brandkit.platforms.facebook.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of, iso_day_end
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, placeholder, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["GRAPH_ERRORS", "FacebookAPI", "graph_error", "EMULATOR"]

ABOUT_LIMIT = 100
# text parameters stored as sent (every other parameter of Page.api_update is accepted too)
WRITABLE = tuple(
    name
    for name, kind in UPDATE_PARAMS.items()
    if kind in ("string", "list<string>") and name != "cover"
)
# parameters any Graph call may carry
GENERIC_PARAMS = {
    "access_token",
    "appsecret_proof",
    "appsecret_time",
    "method",
    "format",
    "suppress_http_code",
    "pretty",
}
PERMISSIONS = (
    "pages_manage_metadata",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_show_list",
    "read_insights",
)
TASKS = ("ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE")
# code -> (type, message) of the errors the sandbox can produce, as Graph words them
GRAPH_ERRORS: dict[int, tuple[str, str]] = {
    1: ("OAuthException", "An unknown error has occurred."),
    2: ("OAuthException", "An unexpected error has occurred. Please retry your request later."),
    4: ("OAuthException", "(#4) Application request limit reached"),
    17: ("OAuthException", "(#17) User request limit reached"),
    32: ("OAuthException", "(#32) Page request limit reached"),
    341: ("OAuthException", "(#341) Application limit reached"),
    100: ("OAuthException", "(#100) Invalid parameter"),
    102: ("OAuthException", "Session key invalid or no longer valid"),
    190: ("OAuthException", "Invalid OAuth access token - Cannot parse access token"),
    200: ("OAuthException", "(#200) Permissions error"),
    613: ("OAuthException", "(#613) Calls to this api have exceeded the rate limit."),
    80001: (
        "OAuthException",
        "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
    ),
}
_VERSION = re.compile(r"^/v\d+\.\d+/")


def graph_error(
    status: int,
    code: int,
    message: str | None = None,
    subcode: int | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    kind, default = GRAPH_ERRORS.get(code, ("OAuthException", "An unknown error has occurred."))
    error: dict[str, t.Any] = {
        "message": message or default,
        "type": kind,
        "code": code,
        "fbtrace_id": secrets.token_urlsafe(8),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    if code in (1, 2):
        error["is_transient"] = True
    return json_response(status, {"error": error}, headers=headers)


THROTTLING = {4, 17, 32, 613, 80001}


class FacebookAPI(PlatformAPI):
    platform = "facebook"
    prefixes = ("/fb/",)
    empty_state: t.ClassVar[dict[str, t.Any]] = {"pages": {}, "photos": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._calls: dict[str, int] = {}
        self._lock = threading.Lock()
        # whether GET /{page}/photos?type=uploaded lists unpublished photos: unconfirmed for Graph,
        # so the tests run brandkit both ways
        self.list_unpublished = True

    def add_page(
        self,
        page_id: str,
        *,
        name: str,
        page_token: str,
        app_secret: str | None = None,
        permissions: t.Sequence[str] = PERMISSIONS,
        tasks: t.Sequence[str] = TASKS,
        **fields: t.Any,
    ) -> dict[str, t.Any]:
        """Create (or reuse) a Page; ``page_token`` gets ``permissions`` and the ``tasks`` its user
        can perform on the Page (Graph checks both)."""
        with self.state.edit() as data:
            pages = data["facebook"]["pages"]
            page = pages.setdefault(
                page_id,
                {
                    "id": page_id,
                    "name": name,
                    "about": "",
                    "description": "",
                    "website": None,
                    "emails": [],
                    "phone": None,
                    "picture": None,
                    "cover": None,
                    "has_transitioned_to_new_page_experience": True,
                    "tokens": {},
                },
            )
            page["tokens"][page_token] = {
                "app_secret": app_secret,
                "permissions": list(permissions),
                "tasks": list(tasks),
            }
            page.update({k: v for k, v in fields.items() if k in WRITABLE})
            return dict(page)

    def owns(self, path: str) -> bool:
        return path.startswith(self.prefixes) or _VERSION.match(path) is not None

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        return self.add_page(**fields)

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        self.add_page(
            Settings.of(account.options).page_id,
            name=brand.identity.name,
            page_token=credentials["page_token"],
            app_secret=credentials.get("app_secret"),
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_FACEBOOK_URL": base_url}

    def describe(self, base_url: str) -> str:
        return f"Facebook Graph   {base_url}/v26.0/"

    def add_demo_account(self) -> str:
        self.add_page("100000000000001", name="brandkit demo Page", page_token="sandbox-page-token")
        return "facebook  page 100000000000001: page token sandbox-page-token"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        code = (
            fault.code
            if fault.code is not None
            else (4 if status == 429 else 1 if status >= 500 else 100)
        )
        if code in THROTTLING:
            page_id = path.strip("/").split("/")[1] if path.count("/") >= 2 else "0"
            headers.update(self.throttle_headers(page_id, fault.minutes or 1))
        return graph_error(
            status if fault.status else (400 if code in THROTTLING else 500),
            code,
            subcode=fault.subcode,
            headers=headers,
        )

    def _usage(self, page_id: str) -> dict[str, str]:
        with self._lock:
            calls = self._calls[page_id] = self._calls.get(page_id, 0) + 1
        pct = min(100, calls // 10)
        buc = {
            page_id: [
                {
                    "type": "pages",
                    "call_count": pct,
                    "total_cputime": pct // 2,
                    "total_time": pct // 2,
                    "estimated_time_to_regain_access": 0,
                }
            ]
        }
        return {
            "X-App-Usage": json.dumps(
                {"call_count": pct, "total_cputime": pct // 2, "total_time": pct // 2}
            ),
            "X-Business-Use-Case-Usage": json.dumps(buc),
        }

    def throttle_headers(self, page_id: str, minutes: int = 1) -> dict[str, str]:
        """The usage headers of a throttled answer: Business Use Case usage for Page tokens, and
        the older X-Page-Usage, each with the minutes until access returns."""
        buc = {
            page_id: [
                {
                    "type": "pages",
                    "call_count": 100,
                    "total_cputime": 40,
                    "total_time": 40,
                    "estimated_time_to_regain_access": minutes,
                }
            ]
        }
        page_usage = {
            "call_count": 100,
            "total_cputime": 40,
            "total_time": 40,
            "estimated_time_to_regain_access": minutes,
        }
        return {
            "X-App-Usage": json.dumps({"call_count": 100, "total_cputime": 40, "total_time": 40}),
            "X-Page-Usage": json.dumps(page_usage),
            "X-Business-Use-Case-Usage": json.dumps(buc),
        }

    # -- auth ------------------------------------------------------------------------------
    def _token(self, req: Request) -> str:
        auth = req.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return req.query.get("access_token") or req.form().get("access_token", "")

    def _authorise(
        self, req: Request, page: dict[str, t.Any], permissions: t.Sequence[str], task: str | None
    ) -> Response | None:
        token = self._token(req)
        grant = page["tokens"].get(token)
        if not token or grant is None:
            # an unknown token: 190 with no subcode (460 means "password changed")
            return graph_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        if grant.get("expired"):
            return graph_error(
                400, 190, "Error validating access token: Session has expired.", subcode=463
            )
        if grant.get("app_secret"):
            proof = req.query.get("appsecret_proof") or req.form().get("appsecret_proof", "")
            expected = hmac.new(
                grant["app_secret"].encode(), token.encode(), hashlib.sha256
            ).hexdigest()
            if not hmac.compare_digest(proof, expected):
                return graph_error(400, 100, "Invalid appsecret_proof provided in the API argument")
        missing = [p for p in permissions if p not in grant["permissions"]]
        if missing:
            return graph_error(
                403,
                200,
                "(#200) The user hasn't authorized the application to perform this action. "
                f"Requires {' and '.join(missing)} permission{'s' * (len(missing) > 1)}",
            )
        if task and task not in grant.get("tasks", TASKS):
            return graph_error(
                403,
                200,
                f"(#200) The user must be able to perform the {task} task on this Page",
            )
        return None

    # -- routing -------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        if req.path.startswith("/fb/"):
            return self._serve_image(req)
        path = _VERSION.sub("", req.path).strip("/")
        parts = path.split("/")
        photo = self.state.data["facebook"]["photos"].get(parts[0])
        if photo is not None and req.method == "DELETE" and len(parts) == 1:
            return self._delete_photo(req, parts[0], photo)
        page = self.state.data["facebook"]["pages"].get(parts[0])
        if page is None:
            return graph_error(
                400,
                100,
                f"(#100) Unsupported get request. Object with ID '{parts[0]}' does "
                "not exist, cannot be loaded due to missing permissions, or does not "
                "support this operation",
                subcode=33,
            )
        edge = parts[1] if len(parts) > 1 else ""
        permissions, task = _needs(req.method, edge, {**req.query, **req.form()})
        denied = self._authorise(req, page, permissions, task)
        if denied is not None:
            return denied
        if edge == "" and req.method == "GET":
            response = self._read(req, page)
        elif edge == "" and req.method == "POST":
            response = self._update(req, page)
        elif edge == "picture" and req.method == "GET":
            response = self._picture(req, page)
        elif edge == "picture" and req.method == "POST":
            response = self._set_picture(req, page)
        elif edge == "photos" and req.method == "POST":
            response = self._upload_photo(req, page)
        elif edge == "photos" and req.method == "GET":
            response = self._list_photos(req, page)
        elif edge == "insights" and req.method == "GET":
            response = self._insights(req, page)
        else:
            response = graph_error(400, 100, "(#100) Unknown path components")
        response.headers.update(self._usage(page["id"]))
        return response

    def picture_json(self, page: dict[str, t.Any], base: str, size: int = 200) -> dict[str, t.Any]:
        pid = page.get("picture")
        if pid is None:
            return {
                "url": f"{base}/fb/static/silhouette.jpg",
                "width": size,
                "height": size,
                "is_silhouette": True,
            }
        return {
            "url": f"{base}/fb/photos/{pid}.jpg",
            "width": size,
            "height": size,
            "is_silhouette": False,
        }

    def _read(self, req: Request, page: dict[str, t.Any]) -> Response:
        fields = _top_fields(req.query.get("fields", "id,name"))
        out: dict[str, t.Any] = {}
        for spec in fields:
            # field expansion modifiers: picture.width(720).height(720)
            field, *modifiers = spec.split(".")
            sizes = [
                int(m[m.index("(") + 1 : -1])
                for m in modifiers
                if m.startswith(("width(", "height(")) and m.endswith(")")
            ]
            if field == "picture":
                out["picture"] = {
                    "data": self.picture_json(page, req.base_url, max(sizes, default=50))
                }
            elif field == "cover":
                cover = page.get("cover")
                if cover:
                    out["cover"] = {
                        "cover_id": cover["id"],
                        "id": cover["id"],
                        "offset_x": cover.get("offset_x", 0),
                        "offset_y": cover.get("offset_y", 0),
                        "source": f"{req.base_url}/fb/photos/{cover['id']}.jpg",
                    }
            elif field in ("followers_count", "fan_count"):
                figures = Audience("facebook", page["id"])
                total = figures.total("follows", day_of(clock(self.state.data)))
                out[field] = total if field == "followers_count" else total * 9 // 10
            elif field in READ_FIELDS:
                # a real field: shown when the Page has a value for it (Graph leaves empty ones out)
                if page.get(field) not in (None, "", []):
                    out[field] = page[field]
            else:
                return graph_error(
                    400,
                    100,
                    f"(#100) Tried accessing nonexisting field ({field}) on node type (Page)",
                )
        out["id"] = page["id"]
        return json_response(200, out)

    def _update(self, req: Request, page: dict[str, t.Any]) -> Response:
        form = {**req.query, **req.form()}
        unknown = sorted(set(form) - set(UPDATE_PARAMS) - GENERIC_PARAMS)
        if unknown:  # Graph refuses a parameter the Page node does not take; it never ignores one
            return graph_error(400, 100, f"(#100) Param {unknown[0]} is not a valid parameter")
        changes: dict[str, t.Any] = {}
        for field in WRITABLE:
            if field not in form:
                continue
            value: t.Any = form[field]
            if field == "about" and len(value) > ABOUT_LIMIT:
                return graph_error(
                    400, 100, f"(#100) Param about must be at most {ABOUT_LIMIT} characters long"
                )
            if UPDATE_PARAMS[field] == "list<string>":
                try:
                    listed = json.loads(value) if value.startswith("[") else [value]
                except ValueError:
                    return graph_error(400, 100, f"(#100) Param {field} must be an array.")
                if field != "emails":
                    changes[field] = listed
                    continue
            if field == "emails":
                try:
                    emails = json.loads(value) if value.startswith("[") else [value]
                except ValueError:
                    return graph_error(400, 100, "(#100) Param emails must be an array.")
                if not all(isinstance(e, str) and "@" in e for e in emails):
                    return graph_error(
                        400, 100, "(#100) Param emails[0] must be a valid email address"
                    )
                value = emails
            changes[field] = value
        if "cover" in form:
            photo = self.state.data["facebook"]["photos"].get(form["cover"])
            if photo is None or photo["page"] != page["id"]:
                return graph_error(400, 100, "(#100) Param cover must be a valid photo id")
            changes["cover"] = {
                "id": form["cover"],
                "offset_x": int(form.get("offset_x", 0) or 0),
                "offset_y": int(form.get("offset_y", 0) or 0),
            }
            if form.get("no_feed_story", "false").lower() != "true":
                with self.state.edit() as data:
                    data["stories"] += 1  # a cover change without no_feed_story tells followers
        with self.state.edit() as data:
            data["facebook"]["pages"][page["id"]].update(changes)
        return json_response(200, {"success": True})

    def _picture(self, req: Request, page: dict[str, t.Any]) -> Response:
        size = int(req.query.get("width") or req.query.get("height") or 200)
        data = self.picture_json(page, req.base_url, size)
        if req.query.get("redirect", "1") in ("0", "false"):
            return json_response(200, {"data": data})
        return Response(302, b"", {"Location": data["url"]})

    def _store_photo(self, req: Request, page: dict[str, t.Any]) -> str | Response:
        parts = req.multipart()
        form = {**req.query, **req.form()}
        raw: bytes | None = parts["source"][0] if "source" in parts else None
        if raw is None and form.get("url"):
            raw = self._fetch_local(form["url"])
            if raw is None:
                return graph_error(400, 324, "(#324) Missing or invalid image file")
        if raw is None:
            return graph_error(400, 324, "(#324) Requires upload file")
        try:
            data, size = reencode(raw, max_size=(2048, 2048), quality=88)
        except NotAnImage:
            return graph_error(400, 324, "(#324) Missing or invalid image file")
        photo_id = str(int.from_bytes(secrets.token_bytes(6), "big") + 10**14)
        self.state.put_image(data, "image/jpeg", key=f"fbphoto-{photo_id}")
        published = form.get("published", "true").lower() != "false"
        with self.state.edit() as state:
            state["facebook"]["photos"][photo_id] = {
                "page": page["id"],
                "size": list(size),
                "published": published,
                "created": int(time.time()),
            }
            if published:
                state["stories"] += 1
        return photo_id

    def _delete_photo(self, req: Request, photo_id: str, photo: dict[str, t.Any]) -> Response:
        """``DELETE /{photo-id}`` with a token of the Page the photo belongs to."""
        page = self.state.data["facebook"]["pages"][photo["page"]]
        denied = self._authorise(req, page, ("pages_manage_posts",), "CREATE_CONTENT")
        if denied is not None:
            return denied
        with self.state.edit() as data:
            data["facebook"]["photos"].pop(photo_id, None)
        return json_response(200, {"success": True})

    def _insights(self, req: Request, page: dict[str, t.Any]) -> Response:
        """``GET /{page}/insights?metric=a,b&period=day&since&until``: one entry per metric with a
        value per day (``end_time`` the next day, 08:00 UTC). A metric Graph does not know (or
        retired, like page_fans and page_impressions) fails the whole request with #100; more than
        90 days fails too."""
        metrics = [m for m in req.query.get("metric", "").split(",") if m]
        if not metrics:
            return graph_error(400, 3001, "No metric was specified to be fetched.", subcode=1504028)
        unknown = [m for m in metrics if m not in INSIGHT_METRICS]
        if unknown:
            return graph_error(400, 100, "(#100) The value must be a valid insights metric")
        if req.query.get("period", "day") != "day":
            return graph_error(400, 100, "(#100) Invalid period")
        today = day_of(clock(self.state.data))
        until = _day_param(req.query.get("until"), today)
        since = _day_param(req.query.get("since"), until - 2)
        if until - since > 90:
            return graph_error(
                400, 100, "(#100) The since and until parameters are more than 90 days apart"
            )
        figures = Audience("facebook", page["id"])
        data = []
        for metric in metrics:
            values = []
            for day in range(since, min(until, today)):
                if metric == "page_follows":
                    value = figures.total("follows", day)
                elif metric == "page_daily_follows":
                    value = max(
                        0, figures.total("follows", day) - figures.total("follows", day - 1)
                    )
                else:
                    value = figures.daily(metric, day)
                values.append({"value": value, "end_time": iso_day_end(day)})
            data.append(
                {
                    "name": metric,
                    "period": "day",
                    "values": values,
                    "title": INSIGHT_METRICS[metric],
                    "description": INSIGHT_METRICS[metric],
                    "id": f"{page['id']}/insights/{metric}/day",
                }
            )
        return json_response(200, {"data": data, "paging": {}})

    def _list_photos(self, req: Request, page: dict[str, t.Any]) -> Response:
        """``GET /{page}/photos?type=uploaded``: the Page's uploaded photos, newest first
        (unpublished ones too unless switched off: unconfirmed for Graph, docs/sandbox.md)."""
        if req.query.get("type") != "uploaded":
            return json_response(200, {"data": []})  # the profile-picture album: not emulated
        limit = min(int(req.query.get("limit", "25") or 25), 100)
        photos = [
            (pid, p)
            for pid, p in self.state.data["facebook"]["photos"].items()
            if p["page"] == page["id"] and (p["published"] or self.list_unpublished)
        ]
        photos.sort(key=lambda item: item[1].get("created", 0), reverse=True)
        data = [
            {
                "id": pid,
                "width": p["size"][0],
                "height": p["size"][1],
                "created_time": time.strftime(
                    "%Y-%m-%dT%H:%M:%S+0000", time.gmtime(p.get("created", 0))
                ),
            }
            for pid, p in photos[:limit]
        ]
        return json_response(200, {"data": data})

    def _upload_photo(self, req: Request, page: dict[str, t.Any]) -> Response:
        stored = self._store_photo(req, page)
        if isinstance(stored, Response):
            return stored
        return json_response(200, {"id": stored})

    def _set_picture(self, req: Request, page: dict[str, t.Any]) -> Response:
        form = {**req.query, **req.form()}
        if "photo" in form:
            photo = self.state.data["facebook"]["photos"].get(form["photo"])
            if photo is None or photo["page"] != page["id"]:
                return graph_error(400, 100, "(#100) Param photo must be a valid photo id")
            photo_id = form["photo"]
        elif "picture" in form:
            stored = self._store_photo(req, page)
            if isinstance(stored, Response):
                return stored
            photo_id = stored
        else:
            return graph_error(400, 100, "(#100) Either photo or picture must be provided")
        with self.state.edit() as data:
            data["facebook"]["pages"][page["id"]]["picture"] = photo_id
        return json_response(200, {"success": True})

    def _fetch_local(self, url: str) -> bytes | None:
        # the sandbox can only "download" images it serves itself: no network
        m = re.search(r"/(fb/photos|tw/profile_images|mc/files)/([^/]+)", url)
        if not m:
            return None
        key = m.group(2).removesuffix(".jpg")
        found = self.state.get_image(f"fbphoto-{key}") or self.state.get_image(key)
        return found[0] if found else None

    def _serve_image(self, req: Request) -> Response:
        m = re.match(r"^/fb/photos/(\d+)\.jpg$", req.path)
        if req.path == "/fb/static/silhouette.jpg":
            return Response(
                200, placeholder((200, 200), (201, 204, 209)), {"Content-Type": "image/jpeg"}
            )
        found = self.state.get_image(f"fbphoto-{m.group(1)}") if m else None
        if found is None:
            return Response(404, b"", {"Content-Type": "text/plain"})
        return Response(200, found[0], {"Content-Type": found[1]})


# Page insights that exist in v26 (page_fans and page_impressions were retired in Nov 2025)
INSIGHT_METRICS = {
    "page_follows": "Follows",
    "page_daily_follows": "Daily follows",
    "page_daily_unfollows_unique": "Daily unfollows",
    "page_media_view": "Media views",
    "page_total_media_view_unique": "Total media viewers",
    "page_post_engagements": "Post engagements",
    "page_views_total": "Page views",
}


def _day_param(value: str | None, default: int) -> int:
    """``since``/``until``: a Unix time or a ``YYYY-MM-DD`` date, as Graph takes them."""
    if not value:
        return default
    try:
        return day_of(float(value))
    except ValueError:
        try:
            return day_of(
                dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC).timestamp()
            )
        except ValueError:
            return default


def _needs(method: str, edge: str, form: dict[str, str]) -> tuple[tuple[str, ...], str | None]:
    """The permissions and the Page task each call needs. Reading a Page needs
    pages_read_engagement; editing it pages_manage_metadata; uploading a photo (which setting a
    cover or a picture from an image does) pages_manage_posts and the CREATE_CONTENT task."""
    if edge == "insights":
        return ("read_insights", "pages_read_engagement"), "ANALYZE"
    if method != "POST":
        return ("pages_read_engagement",), None
    if edge == "photos" or (edge == "picture" and "picture" in form):
        return ("pages_manage_posts",), "CREATE_CONTENT"
    return ("pages_manage_metadata",), "MANAGE"


def _top_fields(spec: str) -> list[str]:
    """``id,name,picture{url,width},cover{source}`` -> ``[id, name, picture, cover]``."""
    fields, depth, current = [], 0, ""
    for ch in spec:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            fields.append(current.strip())
            current = ""
            continue
        if depth == 0 and ch not in "{}":
            current += ch
    if current.strip():
        fields.append(current.strip())
    return [f for f in fields if f]


EMULATOR = FacebookAPI
