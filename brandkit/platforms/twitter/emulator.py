"""Twitter/X API v1.1: the account/profile endpoints brandkit uses, with OAuth 1.0a checks.

Shapes follow tweepy's recorded v1.1 responses (cassettes/testverifycredentials.json,
testupdateprofile.json, testupdateprofilebannerimage.yaml, testsearchusers.json; excerpts in
tests/fidelity/data/): links in the bio come back as t.co links with the real address in
``entities.description.urls``; a new avatar or banner shows only after ``processing_delay``
seconds (X processes uploads asynchronously); rate-limit headers only where X sends them;
``x-access-level`` on every answer. Divergences are listed in docs/sandbox.md.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import types
import typing as t
import urllib.parse

from oauthlib.common import safe_string_equals
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

from brandkit.platforms.twitter.emulator_v2 import TwitterV2
from brandkit.platforms.twitter.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, placeholder, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["TwitterAPI", "EMULATOR"]

LIMITS = {"name": 50, "description": 160, "location": 30, "url": 100}
AVATAR_MAX_BYTES = 700 * 1024
BANNER_MAX_BYTES = 5 * 1024 * 1024
BANNER_VARIANTS = {
    "1500x500": (1500, 500),
    "600x200": (600, 200),
    "300x100": (300, 100),
    "web": (520, 260),
    "web_retina": (1040, 520),
    "mobile": (320, 160),
    "mobile_retina": (640, 320),
    "ipad": (626, 313),
    "ipad_retina": (1252, 626),
}
# per 15-minute window, per token and endpoint, as the recorded answers carry them; endpoints
# not named answer without rate-limit headers (account/update_profile in the recordings)
RATE_LIMITS = {
    "account/verify_credentials": 75,
    "2/users/me": 75,
    "users/show": 900,
    "users/profile_banner": 180,
    "account/update_profile_banner": 30,
}
WINDOW = 900
PROCESSING_DELAY = 0.3  # seconds before a new avatar or banner shows (X: "at least 5 seconds")
TCO_LENGTH = 23  # every t.co link is 23 characters
_LINK = re.compile(r"(?:https?://|www\.)[^\s]+", re.IGNORECASE)


# what the real API answers for each status an injected fault asks for
FAULT_CODES = {
    429: (88, "Rate limit exceeded"),
    500: (131, "Internal error"),
    502: (130, "Over capacity"),
    503: (130, "Over capacity"),
    401: (32, "Could not authenticate you."),
    403: (
        453,
        "You currently have access to a subset of X API V2 endpoints and limited v1.1 "
        "endpoints only. If you need access to this endpoint, you may need a different "
        "access level.",
    ),
}


def _error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response(status, {"errors": [{"code": code, "message": message}]}, headers=headers)


class TwitterAPI(PlatformAPI):
    platform = "twitter"
    prefixes = ("/1.1/", "/2/", "/tw/")
    empty_state: t.ClassVar[dict[str, t.Any]] = {"apps": {}, "users": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._rate: dict[tuple[str, str], tuple[int, int]] = {}
        self._rate_lock = threading.Lock()
        self._exhausted_until = 0
        self.rate_limits = dict(RATE_LIMITS)
        self.processing_delay = PROCESSING_DELAY
        self.v2 = TwitterV2(self)

    def reset_rate_limits(self) -> None:
        with self._rate_lock:
            self._rate.clear()
            self._exhausted_until = 0

    @property
    def rate_limit(self) -> int:
        return min(self.rate_limits.values())

    @rate_limit.setter
    def rate_limit(self, value: int) -> None:
        """One window for every rate-limited endpoint (tests use a small one)."""
        self.rate_limits = dict.fromkeys(RATE_LIMITS, value)

    # -- accounts -------------------------------------------------------------------
    def add_account(
        self,
        handle: str,
        *,
        name: str | None = None,
        consumer_key: str,
        consumer_secret: str,
        access_token: str,
        access_token_secret: str,
        access_level: str = "read-write",
        **profile: str,
    ) -> dict[str, t.Any]:
        """Create (or reuse) an account; ``access_level`` is the token's ("read",
        "read-write" or "read-write-directmessages", as ``x-access-level`` says it)."""
        with self.state.edit() as data:
            tw: dict[str, t.Any] = data["twitter"]
            tw["apps"][consumer_key] = consumer_secret
            existing: dict[str, t.Any] | None = next(
                (u for u in tw["users"].values() if u["screen_name"].lower() == handle.lower()),
                None,
            )
            if existing is None:
                uid = str(int(hashlib.sha256(handle.lower().encode()).hexdigest()[:12], 16))
                existing = tw["users"][uid] = t.cast(
                    dict[str, t.Any],
                    {
                        "id": uid,
                        "screen_name": handle,
                        "name": name or handle,
                        "description": "",
                        "location": "",
                        "url": None,
                        "avatar": None,
                        "banner": None,
                        "tokens": {},
                        "created_at": time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime()),
                    },
                )
            assert existing is not None
            existing["tokens"][access_token] = access_token_secret
            existing.setdefault("access", {})[access_token] = access_level
            existing.update(
                {k: v for k, v in profile.items() if k in ("description", "location", "url")}
            )
            return dict(existing)

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        return self.add_account(**fields)

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        # a new account starts with the brand's display name and nothing else, like one someone
        # just created by hand
        handle = Settings.of(account.options).handle
        name = account.text.get("name")
        self.add_account(handle, name=name.value if name else handle, **credentials)

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_TWITTER_URL": base_url}

    def describe(self, base_url: str) -> str:
        host = base_url.split("://", 1)[-1]
        return f'Twitter/X v1.1   {base_url}/1.1/      tweepy.API(..., host="{host}")'

    def add_demo_account(self) -> str:
        creds = {
            "consumer_key": "sandbox-consumer-key",
            "consumer_secret": "sandbox-consumer-secret",
            "access_token": "1-sandbox-access-token",
            "access_token_secret": "sandbox-access-token-secret",
        }
        self.add_account("brandkit_demo", name="brandkit demo", **creds)
        consumer = f"{creds['consumer_key']} / {creds['consumer_secret']}"
        token = f"{creds['access_token']} / {creds['access_token_secret']}"
        return f"twitter   @brandkit_demo: consumer {consumer}, token {token}"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        if path.startswith("/2/"):
            response = self.v2.fault_response(status)
            if status == 429:
                response.headers.update(self.rate_limit_headers_for_fault(fault.retry_after))
            response.headers.update(headers)
            return response
        code, message = FAULT_CODES.get(status, (0, "Fault injected by the sandbox"))
        if fault.code is not None:
            code = fault.code
        if status == 429:
            headers.update(self.rate_limit_headers_for_fault(fault.retry_after))
        return _error(status, code, message, headers)

    def _user_by_token(self, token: str) -> dict[str, t.Any] | None:
        for user in self.state.data["twitter"]["users"].values():
            if token in user["tokens"]:
                return t.cast(dict[str, t.Any], user)
        return None

    # -- OAuth 1.0a -----------------------------------------------------------------
    def _authenticate(self, req: Request) -> tuple[dict[str, t.Any], str] | Response:
        header = req.headers.get("authorization", "")
        if not header.startswith("OAuth "):
            return _error(400, 215, "Bad Authentication data.")
        params = dict(oauth_utils.parse_authorization_header(header))
        consumer_key, token = params.get("oauth_consumer_key", ""), params.get("oauth_token", "")
        data = self.state.data["twitter"]
        consumer_secret = data["apps"].get(consumer_key)
        user = self._user_by_token(token)
        if consumer_secret is None or user is None:
            return _error(
                401,
                89 if consumer_secret is not None else 32,
                "Invalid or expired token."
                if consumer_secret is not None
                else "Could not authenticate you.",
            )
        body = (
            req.body.decode("utf-8", "replace")
            if req.content_type.startswith("application/x-www-form-urlencoded")
            else None
        )
        collected = oauth_signature.collect_parameters(
            uri_query=req.query_string,
            body=body,
            headers={"Authorization": header},
            exclude_oauth_signature=True,
            with_realm=False,
        )
        base = oauth_signature.signature_base_string(
            req.method,
            oauth_signature.base_string_uri(req.base_url + req.path),
            oauth_signature.normalize_parameters(collected),
        )
        secrets_ = types.SimpleNamespace(
            client_secret=consumer_secret, resource_owner_secret=user["tokens"][token]
        )
        expected = oauth_signature.sign_hmac_sha1_with_client(base, secrets_)
        if not safe_string_equals(
            expected, oauth_utils.unescape(params.get("oauth_signature", ""))
        ):
            return _error(401, 32, "Could not authenticate you.")
        return user, token

    def _rate_headers(self, token: str, endpoint: str) -> tuple[dict[str, str], bool]:
        if endpoint not in RATE_LIMITS:
            return {}, False
        now = int(time.time())
        with self._rate_lock:
            limit = self.rate_limits[endpoint]
            remaining, reset = self._rate.get((token, endpoint), (limit, now + WINDOW))
            if now >= reset:
                remaining, reset = limit, now + WINDOW
            if now < self._exhausted_until:
                remaining, reset = 0, self._exhausted_until
            exhausted = remaining <= 0
            if not exhausted:
                remaining -= 1
            self._rate[(token, endpoint)] = (remaining, reset)
        return (
            {
                "x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(remaining),
                "x-rate-limit-reset": str(reset),
            },
            exhausted,
        )

    def exhaust(self, seconds: int = WINDOW) -> None:
        """Use up every rate-limit window for ``seconds``: every call answers 429 code 88."""
        with self._rate_lock:
            self._exhausted_until = int(time.time()) + seconds

    def rate_limit_headers_for_fault(self, retry_after: int | None = None) -> dict[str, str]:
        reset = int(time.time()) + (WINDOW if retry_after is None else retry_after)
        return {
            "x-rate-limit-limit": str(self.rate_limit),
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        }

    # -- representation -----------------------------------------------------------------
    def user_json(self, user: dict[str, t.Any], base: str) -> dict[str, t.Any]:
        """The v1.1 user object, with every top-level key of the recorded one."""
        url = user.get("url")
        tco = _tco(url) if url else None
        avatar = user.get("avatar")
        if avatar:
            image = f"{base}/tw/profile_images/{avatar}/avatar_normal.jpg"
        else:
            image = f"{base}/tw/sticky/default_profile_images/default_profile_normal.png"
        description, description_urls = wrap_links(user.get("description") or "")
        entities: dict[str, t.Any] = {"description": {"urls": description_urls}}
        if url:  # as recorded: no "url" entity at all when the profile has no website
            entities = {
                "url": {
                    "urls": [
                        {
                            "url": tco,
                            "expanded_url": url,
                            "display_url": _display(url),
                            "indices": [0, TCO_LENGTH],
                        }
                    ]
                },
                **entities,
            }
        # the audience grows on the sandbox's clock (sandbox/audience.py)
        figures, day = Audience("twitter", user["screen_name"]), day_of(clock(self.state.data))
        out: dict[str, t.Any] = {
            "id": int(user["id"]),
            "id_str": user["id"],
            "name": user["name"],
            "screen_name": user["screen_name"],
            "location": user.get("location") or "",
            "profile_location": None,
            "description": description,
            "url": tco,
            "entities": entities,
            "protected": False,
            "followers_count": figures.total("followers", day),
            "friends_count": figures.total("following", day) // 12,
            "listed_count": figures.total("listed", day) // 60,
            "created_at": user["created_at"],
            "favourites_count": 0,
            "utc_offset": None,
            "time_zone": None,
            "geo_enabled": False,
            "verified": False,
            "statuses_count": figures.total("tweets", day) // 4,
            "lang": None,
            "contributors_enabled": False,
            "is_translator": False,
            "is_translation_enabled": False,
            "profile_background_color": "F5F8FA",
            "profile_background_image_url": None,
            "profile_background_image_url_https": None,
            "profile_background_tile": False,
            "profile_image_url": image.replace("https://", "http://", 1),
            "profile_image_url_https": image,
            "profile_link_color": "1DA1F2",
            "profile_sidebar_border_color": "C0DEED",
            "profile_sidebar_fill_color": "DDEEF6",
            "profile_text_color": "333333",
            "profile_use_background_image": True,
            "has_extended_profile": False,
            "default_profile": True,
            "default_profile_image": avatar is None,
            "following": False,
            "follow_request_sent": False,
            "notifications": False,
            "translator_type": "none",
            "suspended": False,
            "needs_phone_verification": False,
        }
        if user.get("banner"):
            out["profile_banner_url"] = f"{base}/tw/profile_banners/{user['id']}/{user['banner']}"
        return out

    def settle(self, user_id: str) -> None:
        """Show the avatar or banner uploaded ``processing_delay`` seconds ago or more."""
        now = time.time()
        self.state.refresh()  # what other processes sharing the state folder wrote
        user = self.state.data["twitter"]["users"].get(user_id) or {}
        due = [user.get(f"{f}_pending") for f in ("avatar", "banner")]
        if not any(p and p["ready_at"] <= now for p in due):
            return  # nothing to show yet: no write (a write saves the whole state)
        with self.state.edit() as data:
            user = data["twitter"]["users"][user_id]
            for field in ("avatar", "banner"):
                pending = user.get(f"{field}_pending")
                if pending and pending["ready_at"] <= now:
                    user[field] = pending["key"]
                    del user[f"{field}_pending"]

    def _pending(self, user_id: str, field: str, key: str) -> None:
        with self.state.edit() as state:
            ready_at = time.time() + self.processing_delay
            state["twitter"]["users"][user_id][f"{field}_pending"] = {
                "key": key,
                "ready_at": ready_at,
            }
        if self.processing_delay <= 0:
            self.settle(user_id)

    # -- routing ----------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        if req.path.startswith("/tw/"):
            return self._serve_image(req)
        if req.path.startswith("/2/"):
            return self.v2.handle(req)
        endpoint = req.path[len("/1.1/") :].removesuffix(".json")
        routes: dict[tuple[str, str], t.Callable[[Request, dict[str, t.Any]], Response]] = {
            ("GET", "account/verify_credentials"): self._verify_credentials,
            ("POST", "account/update_profile"): self._update_profile,
            ("POST", "account/update_profile_image"): self._update_image,
            ("POST", "account/update_profile_banner"): self._update_banner,
            ("POST", "account/remove_profile_banner"): self._remove_banner,
            ("GET", "users/profile_banner"): self._profile_banner,
            ("GET", "users/show"): self._users_show,
        }
        route = routes.get((req.method, endpoint))
        if route is None:
            return _error(404, 34, "Sorry, that page does not exist.")
        auth = self._authenticate(req)
        if isinstance(auth, Response):
            return auth
        user, token = auth
        level = user.get("access", {}).get(token, "read-write")
        headers, exhausted = self._rate_headers(token, endpoint)
        headers["x-access-level"] = level
        if exhausted:
            return _error(429, 88, "Rate limit exceeded", headers)
        if req.method == "POST" and level == "read":
            # as recorded by many clients: 401, and a body with "request" and "error", no code
            body = {"request": req.path, "error": "Read-only application cannot POST."}
            return json_response(401, body, headers=headers)
        self.settle(user["id"])
        response = route(req, dict(self.state.data["twitter"]["users"][user["id"]]))
        response.headers.update(headers)
        return response

    def _verify_credentials(self, req: Request, user: dict[str, t.Any]) -> Response:
        return json_response(
            200, self.user_json(user, req.base_url), "application/json;charset=utf-8"
        )

    def update_profile(self, user_id: str, params: t.Mapping[str, t.Any]) -> str | None:
        """Store the profile fields given (v1.1 and v2 alike); the field over its limit, if any."""
        changes: dict[str, str | None] = {}
        for field, limit in LIMITS.items():
            if field not in params:
                continue
            value = str(params[field] or "")
            if len(value) > limit:
                return field
            if field == "url" and value and "://" not in value:
                value = "http://" + value
            changes[field] = value or (None if field == "url" else "")
        with self.state.edit() as data:
            data["twitter"]["users"][user_id].update(changes)
        return None

    def store_avatar(self, user_id: str, upload: bytes) -> bool:
        """Re-encode an avatar as X does (400 px, and the 48 px _normal) and show it once it is
        processed; False when it is not an image."""
        try:
            data, _ = reencode(upload, max_size=(400, 400))
            small, _ = reencode(data, exact=(48, 48))
        except NotAnImage:
            return False
        key = self.state.put_image(data, "image/jpeg")
        self.state.put_image(small, "image/jpeg", key=f"{key}_normal")
        # processed asynchronously: the answer (and reads for a while) still show the old one
        self._pending(user_id, "avatar", key)
        return True

    def _update_profile(self, req: Request, user: dict[str, t.Any]) -> Response:
        params = {**req.form(), **req.query}  # tweepy sends them in the query string, even on POST
        too_long = self.update_profile(user["id"], params)
        if too_long:
            # the live API answers 403 code 120 for an over-long profile field
            return _error(
                403,
                120,
                f"Account update failed: {too_long.capitalize()} is too long "
                f"(maximum is {LIMITS[too_long]} characters).",
            )
        user = dict(self.state.data["twitter"]["users"][user["id"]])
        return json_response(
            200, self.user_json(user, req.base_url), "application/json;charset=utf-8"
        )

    @staticmethod
    def _upload(req: Request, field: str, max_bytes: int, too_large: Response) -> bytes | Response:
        part = req.multipart().get(field)
        if part is None:
            return _error(400, 38, f"{field} parameter is missing.")
        return too_large if len(part[0]) > max_bytes else part[0]

    def _update_image(self, req: Request, user: dict[str, t.Any]) -> Response:
        upload = self._upload(
            req,
            "image",
            AVATAR_MAX_BYTES,
            _error(400, 3, "Invalid parameter (image is larger than 700 KB)."),
        )
        if isinstance(upload, Response):
            return upload
        if not self.store_avatar(user["id"], upload):
            return _error(400, 3, "Invalid parameter (not a GIF, JPEG or PNG image).")
        user = dict(self.state.data["twitter"]["users"][user["id"]])
        return json_response(
            200, self.user_json(user, req.base_url), "application/json;charset=utf-8"
        )

    def _update_banner(self, req: Request, user: dict[str, t.Any]) -> Response:
        upload = self._upload(
            req,
            "banner",
            BANNER_MAX_BYTES,
            _error(422, 3, "Image cannot be resized or is too large."),
        )
        if isinstance(upload, Response):
            return upload
        try:
            # the 1500x500 master now; the other variants are cut from it when first asked for
            master, _ = reencode(upload, exact=BANNER_VARIANTS["1500x500"])
        except NotAnImage:
            return _error(400, 3, "Invalid parameter (the image could not be processed).")
        # the URL carries the upload time in seconds, as recorded; one a second at most here
        stamp = str(
            max(
                int(time.time()),
                int(user.get("banner") or 0) + 1,
                int((user.get("banner_pending") or {}).get("key") or 0) + 1,
            )
        )
        self.state.put_image(master, "image/jpeg", key=f"banner-{user['id']}-{stamp}-1500x500")
        self._pending(user["id"], "banner", stamp)
        # the live API answers 201 Created with an empty text/html body
        return Response(201, b"", {"Content-Type": "text/html;charset=utf-8"})

    def _remove_banner(self, req: Request, user: dict[str, t.Any]) -> Response:
        with self.state.edit() as state:
            stored = state["twitter"]["users"][user["id"]]
            stored["banner"] = None
            stored.pop("banner_pending", None)
        return Response(200, b"", {"Content-Type": "text/html;charset=utf-8"})

    def _find(self, req: Request) -> dict[str, t.Any] | None:
        q = req.query
        for candidate in self.state.data["twitter"]["users"].values():
            if ("user_id" in q and candidate["id"] == q["user_id"]) or (
                "screen_name" in q and candidate["screen_name"].lower() == q["screen_name"].lower()
            ):
                return t.cast(dict[str, t.Any], candidate)
        return None

    def _profile_banner(self, req: Request, user: dict[str, t.Any]) -> Response:
        target = self._find(req)
        if target is None or not target.get("banner"):
            return _error(404, 34, "Sorry, that page does not exist.")
        base = f"{req.base_url}/tw/profile_banners/{target['id']}/{target['banner']}"
        sizes = {
            name: {"h": h, "w": w, "url": f"{base}/{name}"}
            for name, (w, h) in BANNER_VARIANTS.items()
        }
        return json_response(200, {"sizes": sizes}, "application/json;charset=utf-8")

    def _users_show(self, req: Request, user: dict[str, t.Any]) -> Response:
        target = self._find(req)
        if target is None:
            return _error(404, 50, "User not found.")
        self.settle(target["id"])
        target = self.state.data["twitter"]["users"][target["id"]]
        return json_response(
            200, self.user_json(target, req.base_url), "application/json;charset=utf-8"
        )

    def _serve_image(self, req: Request) -> Response:
        parts = req.path.split("/")
        key = None
        if req.path.startswith("/tw/sticky/default_profile_images/"):
            size = (48, 48) if "_normal" in req.path else (400, 400)
            return Response(200, placeholder(size, (204, 214, 221)), {"Content-Type": "image/png"})
        if req.path.startswith("/tw/profile_images/") and len(parts) >= 5:
            key = parts[3] + ("_normal" if parts[4].endswith("_normal.jpg") else "")
        elif req.path.startswith("/tw/profile_banners/") and len(parts) >= 5:
            variant = parts[5] if len(parts) > 5 else "1500x500"
            key = f"banner-{parts[3]}-{parts[4]}-{variant}"
            if variant in BANNER_VARIANTS and self.state.get_image(key) is None:
                master = self.state.get_image(f"banner-{parts[3]}-{parts[4]}-1500x500")
                if master is not None:
                    self.state.put_image(
                        reencode(master[0], exact=BANNER_VARIANTS[variant])[0],
                        "image/jpeg",
                        key=key,
                    )
        found = self.state.get_image(key) if key else None
        if found is None:
            return Response(404, b"Not Found", {"Content-Type": "text/plain"})
        return Response(200, found[0], {"Content-Type": found[1]})


def _tco(url: str) -> str:
    return "https://t.co/" + hashlib.sha256(url.encode()).hexdigest()[:10]


def wrap_links(text: str) -> tuple[str, list[dict[str, t.Any]]]:
    """``text`` with every link replaced by a t.co link, and the ``urls`` entities saying where
    each is (indices in code points) and what it stands for, as X returns a bio."""
    out, urls, offset, last = [], [], 0, 0
    for match in _LINK.finditer(text):
        typed = match.group(0).rstrip(".,;:!?)")
        expanded = typed if "://" in typed else "http://" + typed
        tco = _tco(expanded)
        out.append(text[last : match.start()])
        start = match.start() + offset
        urls.append(
            {
                "url": tco,
                "expanded_url": expanded,
                "display_url": _display(expanded),
                "indices": [start, start + len(tco)],
            }
        )
        out.append(tco)
        offset += len(tco) - len(typed)
        last = match.start() + len(typed)
    out.append(text[last:])
    return "".join(out), urls


def _display(url: str | None) -> str:
    if not url:
        return ""
    parsed = urllib.parse.urlparse(url)
    return (parsed.netloc + parsed.path).rstrip("/")


EMULATOR = TwitterAPI
