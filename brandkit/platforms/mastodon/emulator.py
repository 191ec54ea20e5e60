"""Mastodon (``/api/v1/…``, ``/api/v2/instance``): the token's own account, as Mastodon 4.x
answers for it (docs.joinmastodon.org, methods/accounts and entities/Account, Instance).

- ``verify_credentials`` gives ``note`` as the server's HTML (paragraphs, links) and the bio as
  typed in ``source.note``, with line ends stored as ``\\r\\n``; fields likewise (``fields`` HTML,
  ``source.fields`` plain); an account without pictures shows ``…/missing.png``.
- ``update_credentials`` takes form data (multipart with ``avatar``/``header``), checks the
  instance's limits (display name 30 characters; note 500 as NoteLengthValidator counts: graphemes,
  each link 23, a remote mention by its local part; 4 fields of 255; a field with a value needs
  a name) and answers 422 ``{"error": "Validation failed: …"}``; images over 2 MB are refused;
  avatars are cropped to 400x400 (``400x400#``), headers shrunk to at most 750,000 pixels keeping
  their shape (``pixels: HEADER_MAX_PIXELS``, app/models/concerns/account/header.rb), re-encoded.
- ``/api/v2/instance`` names its version; only from 4.6 does ``configuration.accounts`` carry
  the account limits (``version`` and ``limits`` are settable, to be an older or newer server).
- 300 calls per 5 minutes per token, with ``X-RateLimit-Limit/Remaining/Reset`` on every answer.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
import threading
import time
import typing as t

from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, reencode
from brandkit.sandbox.state import SandboxState
from brandkit.spec.text import measure

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["MastodonAPI", "EMULATOR"]

LIMITS = {  # Mastodon's defaults
    "max_display_name_length": 30,
    "max_note_length": 500,
    "max_profile_fields": 4,
    "profile_field_name_limit": 255,
    "profile_field_value_limit": 255,
}
MAX_IMAGE = 2 * 1024 * 1024
WINDOW, PER_WINDOW = 300, 300  # 300 calls per 5 minutes per account
AVATAR = (400, 400)
HEADER_MAX_PIXELS = 1500 * 500


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response(status, {"error": message}, headers=headers)


def _html(text: str) -> str:
    """The note as Mastodon renders it: paragraphs, line breaks, links."""

    def link(m: re.Match[str]) -> str:
        url = m.group(0)
        shown = re.sub(r"^https?://", "", url)
        return (
            f'<a href="{url}" rel="nofollow noopener noreferrer" target="_blank">'
            f'<span class="invisible">{url[: len(url) - len(shown)]}</span>'
            f'<span class="">{shown}</span><span class="invisible"></span></a>'
        )

    paragraphs = re.split(r"\n{2,}", text.strip())
    out = []
    for p in paragraphs:
        escaped = html.escape(p, quote=False)
        out.append("<p>" + re.sub(r"https?://\S+", link, escaped).replace("\n", "<br />") + "</p>")
    return "".join(out)


class MastodonAPI(PlatformAPI):
    platform = "mastodon"
    prefixes = ("/api/v1/", "/api/v2/instance", "/system/")
    empty_state: t.ClassVar[dict[str, t.Any]] = {"accounts": {}, "tokens": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._calls: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self.version = "4.3.0"  # 4.6 and later list their account limits in v2/instance
        self.limits = dict(LIMITS)

    # -- accounts -----------------------------------------------------------------------------
    def add_account(self, username: str, *, access_token: str, display_name: str = "") -> str:
        with self.state.edit() as data:
            mastodon = data["mastodon"]
            account_id = next(
                (i for i, a in mastodon["accounts"].items() if a["username"] == username), None
            )
            if account_id is None:
                account_id = str(100_000 + len(mastodon["accounts"]))
                mastodon["accounts"][account_id] = {
                    "username": username,
                    "display_name": display_name or username,
                    "note": "",
                    "fields": [],
                    "avatar": None,
                    "header": None,
                    "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT00:00:00.000Z"),
                }
            mastodon["tokens"][access_token] = account_id
        return account_id

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        token = fields.pop("access_token", None) or secrets.token_urlsafe(32)
        account_id = self.add_account(access_token=token, **fields)
        return {"id": account_id, "access_token": token}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        self.add_account(
            account.id.replace("-", "_"),
            access_token=credentials["access_token"],
            display_name=brand.identity.name[:30],
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_MASTODON_URL": base_url}

    def describe(self, base_url: str) -> str:
        return f"Mastodon         {base_url}/api/v1/    Authorization: Bearer <token>"

    def add_demo_account(self) -> str:
        token = "sandbox-mastodon-token"
        self.add_account("brandkit_demo", access_token=token, display_name="brandkit demo")
        return f"mastodon  @brandkit_demo: token {token}"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        if status == 429 and fault.retry_after is not None:  # Mastodon says when, as a time
            reset = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=fault.retry_after)
            headers["X-RateLimit-Reset"] = reset.isoformat().replace("+00:00", "Z")
            headers["X-RateLimit-Remaining"] = "0"
        words = {429: "Too many requests", 503: "Service Unavailable"}.get(status, "Internal error")
        return _error(status, words, headers)

    # -- requests -------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        if req.path.startswith("/system/"):
            return self._serve_image(req)
        if req.path == "/api/v2/instance" and req.method == "GET":
            return json_response(200, self._instance(req))
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        account_id = self.state.data["mastodon"]["tokens"].get(token)
        if account_id is None:
            return _error(401, "The access token is invalid")
        limited = self._rate(token)
        if isinstance(limited, Response):
            return limited
        if req.path == "/api/v1/accounts/verify_credentials" and req.method == "GET":
            response = json_response(200, self._credential_account(req, account_id))
        elif req.path == "/api/v1/accounts/update_credentials" and req.method == "PATCH":
            response = self._update(req, account_id)
        else:
            response = _error(404, "Record not found")
        response.headers.update(limited)
        return response

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._calls.clear()

    def _rate(self, token: str) -> dict[str, str] | Response:
        now = time.time()
        with self._lock:
            calls = [c for c in self._calls.get(token, []) if c > now - WINDOW]
            reset = dt.datetime.fromtimestamp((calls[0] if calls else now) + WINDOW, dt.UTC)
            headers = {
                "X-RateLimit-Limit": str(PER_WINDOW),
                "X-RateLimit-Remaining": str(max(0, PER_WINDOW - len(calls) - 1)),
                "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z"),
            }
            if len(calls) >= PER_WINDOW:
                return _error(429, "Too many requests", headers)
            calls.append(now)
            self._calls[token] = calls
        return headers

    def _instance(self, req: Request) -> dict[str, t.Any]:
        accounts: dict[str, t.Any] = {"max_featured_tags": 10, "max_pinned_statuses": 5}
        major, minor = (int(p) for p in self.version.split(".")[:2])
        if (major, minor) >= (4, 6):  # the account limits are listed from 4.6 on
            accounts.update(self.limits)
        return {
            "domain": req.base_url.split("://", 1)[-1],
            "title": "brandkit sandbox",
            "version": self.version,
            "configuration": {"accounts": accounts},
        }

    def _credential_account(self, req: Request, account_id: str) -> dict[str, t.Any]:
        a = self.state.data["mastodon"]["accounts"][account_id]
        base = req.base_url
        figures, day = Audience("mastodon", a["username"]), day_of(clock(self.state.data))
        avatar = f"{base}/system/avatars/{a['avatar']}" if a["avatar"] else None
        header = f"{base}/system/headers/{a['header']}" if a["header"] else None
        note = a["note"]
        return {
            "id": account_id,
            "username": a["username"],
            "acct": a["username"],
            "display_name": a["display_name"],
            "locked": False,
            "bot": False,
            "created_at": a["created_at"],
            "note": _html(note) if note else "",
            "url": f"{base}/@{a['username']}",
            "avatar": avatar or f"{base}/avatars/original/missing.png",
            "avatar_static": avatar or f"{base}/avatars/original/missing.png",
            "header": header or f"{base}/headers/original/missing.png",
            "header_static": header or f"{base}/headers/original/missing.png",
            "followers_count": figures.total("followers", day),
            "following_count": figures.total("following", day) // 15,
            "statuses_count": figures.total("statuses", day) // 5,
            "emojis": [],
            "fields": [
                {
                    "name": html.escape(f["name"]),
                    "value": _html(f["value"])[3:-4],
                    "verified_at": None,
                }
                for f in a["fields"]
            ],
            "source": {
                "privacy": "public",
                "sensitive": False,
                "language": "",
                # stored as typed, with the line ends a browser form sends
                "note": note.replace("\n", "\r\n"),
                "fields": [dict(f, verified_at=None) for f in a["fields"]],
                "follow_requests_count": 0,
            },
        }

    def _update(self, req: Request, account_id: str) -> Response:
        form = req.form()
        files = {k: v for k, (v, name) in req.multipart().items() if name is not None}
        errors = []
        limits = self.limits
        name_limit, note_limit = limits["max_display_name_length"], limits["max_note_length"]
        if "display_name" in form and len(form["display_name"]) > name_limit:
            errors.append(f"Display name is too long (maximum is {name_limit} characters)")
        if "note" in form and measure(form["note"], "mastodon") > note_limit:
            errors.append(f"Note is too long (maximum is {note_limit} characters)")
        fields = _fields(form)
        if fields is not None and len(fields) > limits["max_profile_fields"]:
            errors.append(f"Fields is too long (maximum is {limits['max_profile_fields']} items)")
        if fields is not None and any(not f["name"].strip() for f in fields):
            errors.append("Fields name can't be blank")
        stored: dict[str, str] = {}
        for kind in ("avatar", "header"):
            if kind not in files:
                continue
            if len(files[kind]) > MAX_IMAGE:
                errors.append(f"{kind.capitalize()} file size must be less than 2 MB")
                continue
            try:
                if kind == "avatar":
                    image, _ = reencode(files[kind], exact=AVATAR)
                else:
                    image, _ = reencode(files[kind], max_pixels=HEADER_MAX_PIXELS)
            except NotAnImage:
                errors.append(f"{kind.capitalize()} is invalid")
                continue
            name = f"{secrets.token_hex(8)}.jpg"
            self.state.put_image(image, "image/jpeg", key=f"mastodon-{kind}-{name}")
            stored[kind] = name
        if errors:
            return _error(422, "Validation failed: " + ", ".join(errors))
        with self.state.edit() as state:
            a = state["mastodon"]["accounts"][account_id]
            for key in ("display_name", "note"):
                if key in form:
                    a[key] = form[key].replace("\r\n", "\n")
            if fields is not None:
                a["fields"] = fields
            a.update(stored)
        return json_response(200, self._credential_account(req, account_id))

    def _serve_image(self, req: Request) -> Response:
        m = re.match(r"^/system/(avatars|headers)/([0-9a-f]+\.jpg)$", req.path)
        kind = {"avatars": "avatar", "headers": "header"}.get(m.group(1)) if m else None
        found = self.state.get_image(f"mastodon-{kind}-{m.group(2)}") if m and kind else None
        if found is None:
            return Response(404, b"", {"Content-Type": "text/plain"})
        return Response(200, found[0], {"Content-Type": found[1]})


def _fields(form: dict[str, str]) -> list[dict[str, str]] | None:
    """``fields_attributes[i][name|value]`` in the order given; blank pairs dropped. None when
    the request does not touch the fields."""
    found: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        m = re.fullmatch(r"fields_attributes\[(-?\d+)\]\[(name|value)\]", key)
        if m:
            found.setdefault(int(m.group(1)), {})[m.group(2)] = value
    if not found:
        return None
    # "the integer index does not actually matter - fields will be populated by the order in
    # which they are provided" (methods/accounts)
    pairs = list(found.values())
    return [
        {"name": p.get("name", "")[:255], "value": p.get("value", "")[:255]}
        for p in pairs
        if p.get("name") or p.get("value")
    ]


EMULATOR = MastodonAPI
