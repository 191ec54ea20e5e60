"""GitHub REST API (``/orgs/{org}``) for organizations, as docs.github.com describes "Get an
organization" and "Update an organization" (API version 2022-11-28) and as GitHub answers:

- errors are ``{"message", "documentation_url", "status"}``; 401 "Bad credentials"; 422
  "Validation Failed" with ``errors: [{"resource", "code", "field"}]``;
- a token that may not change the organization (not an owner, or without ``admin:org``) gets
  404 "Not Found" with ``X-Accepted-OAuth-Scopes: admin:org`` (GitHub hides what it may not
  show);
- every answer carries ``x-ratelimit-limit/remaining/used/reset/resource`` (5,000 an hour per
  token); past the limit 403 "API rate limit exceeded…" with ``x-ratelimit-remaining: 0``;
- the organization's avatar has no API: a new organization shows a generated one, and the
  sandbox's ``upload_avatar`` stands in for the settings page where a person uploads it;
- ``/repos/…``: what a pull request's review takes (comments, artifacts), in :mod:`.repos`.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
import typing as t

from brandkit.platforms.github.repos import Repositories
from brandkit.platforms.github.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import placeholder, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["EMULATOR", "GitHubAPI"]

DOCS = "https://docs.github.com/rest"
PER_HOUR = 5000
WRITABLE = ("name", "description", "blog", "email", "location", "company", "twitter_username")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _error(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: t.Any
) -> Response:
    body = {"message": message, "documentation_url": DOCS, "status": str(status), **extra}
    return json_response(status, body, headers=headers)


class GitHubAPI(PlatformAPI):
    platform = "github"
    prefixes = ("/gh/",)
    empty_state: t.ClassVar[dict[str, t.Any]] = {"orgs": {}, "tokens": {}, "repos": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._calls: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self.repos = Repositories(state)

    # -- organizations ---------------------------------------------------------------------------
    def add_org(self, login: str, *, token: str, name: str = "", owner: bool = True) -> int:
        """An organization; ``token`` belongs to an owner of it (or, ``owner=False``, a member)."""
        with self.state.edit() as data:
            gh = data["github"]
            org = gh["orgs"].get(login.lower())
            if org is None:
                org = {
                    "id": 90_000_000 + len(gh["orgs"]),
                    "login": login,
                    "name": name,
                    "description": "",
                    "blog": "",
                    "email": "",
                    "location": "",
                    "company": "",
                    "twitter_username": "",
                    "avatar": 0,
                    "created_at": "2024-10-04T09:00:00Z",
                }
                gh["orgs"][login.lower()] = org
            owners = gh["tokens"].setdefault(token, [])
            if owner and login.lower() not in owners:
                owners.append(login.lower())
            if not owner and login.lower() in owners:
                owners.remove(login.lower())
            return int(org["id"])

    def upload_avatar(self, login: str, data: bytes) -> None:
        """What a person does on the organization's settings page (no API can)."""
        image, _ = reencode(data, exact=(460, 460))
        with self.state.edit() as state:
            org = state["github"]["orgs"][login.lower()]
            org["avatar"] += 1
            self.state.put_image(image, "image/jpeg", key=f"github-{org['id']}-{org['avatar']}")

    def by_hand(self, account: Account, field: str, value: bytes | str) -> bool:
        if field != "avatar" or not isinstance(value, bytes):
            return False
        self.upload_avatar(Settings.of(account.options).org, value)
        return True

    def edit_org(self, login: str, **fields: t.Any) -> None:
        """A change made on github.com, behind brandkit's back."""
        with self.state.edit() as state:
            state["github"]["orgs"][login.lower()].update(fields)

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        token = fields.pop("token", None) or f"ghp_{secrets.token_urlsafe(27)}"
        return {"id": self.add_org(token=token, **fields), "token": token}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        # as an organization someone just created: its name, a generated avatar, nothing else
        self.add_org(
            Settings.of(account.options).org, token=credentials["token"], name=brand.identity.name
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_GITHUB_URL": f"{base_url}/gh"}

    def describe(self, base_url: str) -> str:
        return f"GitHub           {base_url}/gh/orgs/   Authorization: Bearer <token>"

    def add_demo_account(self) -> str:
        token = "ghp_sandboxGitHubDemoToken"
        self.add_org("brandkit-demo", token=token, name="brandkit demo")
        return f"github    brandkit-demo: token {token}"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        words = {429: "You have exceeded a secondary rate limit.", 502: "Server Error"}
        return _error(status, words.get(status, "Server Error"), headers)

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._calls.clear()

    # -- requests --------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        avatar = re.fullmatch(r"/gh/avatars/u/(\d+)", req.path)
        if avatar:
            return self._avatar(int(avatar.group(1)), req.query.get("v", "0"))
        if req.path.startswith("/gh/blobs/"):
            return self.repos.download(req.path.removeprefix("/gh/blobs/"))
        auth = req.headers.get("authorization", "")
        token = (
            auth.split(" ", 1)[-1].strip() if auth.lower().startswith(("bearer ", "token ")) else ""
        )
        gh = self.state.data["github"]
        if token not in gh["tokens"]:
            return _error(401, "Bad credentials")
        limit = self._rate(token)
        if isinstance(limit, Response):
            return limit
        m = re.fullmatch(r"/gh/orgs/([A-Za-z0-9-]+)", req.path)
        org = gh["orgs"].get(m.group(1).lower()) if m else None
        if req.path.startswith("/gh/repos/"):
            response = self.repos.handle(req, token)
        elif org is None:
            response = _error(404, "Not Found")
        elif req.method == "GET":
            response = json_response(200, self._full(req, org))
        elif req.method == "PATCH":
            response = self._update(req, token, org)
        else:
            response = _error(404, "Not Found")
        response.headers.update(limit)
        return response

    def _rate(self, token: str) -> dict[str, str] | Response:
        now = time.time()
        with self._lock:
            calls = [c for c in self._calls.get(token, []) if c > now - 3600]
            reset = int((calls[0] if calls else now) + 3600)
            headers = {
                "x-ratelimit-limit": str(PER_HOUR),
                "x-ratelimit-remaining": str(max(0, PER_HOUR - len(calls) - 1)),
                "x-ratelimit-used": str(len(calls) + 1),
                "x-ratelimit-reset": str(reset),
                "x-ratelimit-resource": "core",
            }
            if len(calls) >= PER_HOUR:
                headers["x-ratelimit-remaining"] = "0"
                return _error(403, "API rate limit exceeded for user ID 1.", headers)
            calls.append(now)
            self._calls[token] = calls
        return headers

    def _full(self, req: Request, org: dict[str, t.Any]) -> dict[str, t.Any]:
        base = req.base_url
        figures, day = Audience("github", org["login"]), day_of(clock(self.state.data))
        return {
            "login": org["login"],
            "id": org["id"],
            "node_id": f"O_kgDO{org['id']}",
            "url": f"{base}/gh/orgs/{org['login']}",
            "avatar_url": f"{base}/gh/avatars/u/{org['id']}?v={org['avatar'] or 4}",
            "description": org["description"] or None,
            "name": org["name"] or None,
            "company": org["company"] or None,
            "blog": org["blog"],
            "location": org["location"] or None,
            "email": org["email"] or None,
            "twitter_username": org["twitter_username"] or None,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": figures.total("repos", day) // 200,
            "public_gists": 0,
            "followers": figures.total("followers", day),
            "following": 0,
            "html_url": f"https://github.com/{org['login']}",
            "created_at": org["created_at"],
            "updated_at": org["created_at"],
            "archived_at": None,
            "type": "Organization",
        }

    def _update(self, req: Request, token: str, org: dict[str, t.Any]) -> Response:
        if org["login"].lower() not in self.state.data["github"]["tokens"][token]:
            return _error(404, "Not Found", {"X-Accepted-OAuth-Scopes": "admin:org"})
        body = req.json()
        if not isinstance(body, dict):
            return _error(400, "Problems parsing JSON")
        email = body.get("email")
        if email and not EMAIL.match(str(email)):
            errors = [{"resource": "Organization", "code": "invalid", "field": "email"}]
            return _error(422, "Validation Failed", errors=errors)
        with self.state.edit() as state:
            kept = state["github"]["orgs"][org["login"].lower()]
            for key in WRITABLE:
                if key in body:
                    kept[key] = str(body[key] or "")
            kept = dict(kept)
        return json_response(200, self._full(req, kept))

    def _avatar(self, org_id: int, version: str) -> Response:
        org = next(
            (o for o in self.state.data["github"]["orgs"].values() if o["id"] == org_id), None
        )
        if org is None:
            return Response(404, b"Not Found", {"Content-Type": "text/plain"})
        if org["avatar"]:
            found = self.state.get_image(f"github-{org_id}-{org['avatar']}")
            if found is not None:
                return Response(200, found[0], {"Content-Type": found[1]})
        # the generated one a new organization shows
        return Response(
            200, placeholder((420, 420), (235, 237, 240)), {"Content-Type": "image/jpeg"}
        )


EMULATOR = GitHubAPI
