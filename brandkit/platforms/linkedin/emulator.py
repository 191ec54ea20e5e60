"""LinkedIn's Community Management API for a Page (``/li/rest/organizations/{id}``,
``/li/rest/images/{urn}``, ``/li/rest/networkSizes/{urn}``), read only, as
learn.microsoft.com/linkedin/marketing/community-management/organizations describes it
(organization-lookup-api, images-api, organization-followers "networkSizes"): every call
needs ``LinkedIn-Version`` (YYYYMM) and ``X-Restli-Protocol-Version: 2.0.0`` (400
``VERSION_MISSING`` without the first); errors are ``{"status", "serviceErrorCode", "code",
"message"}`` (401 ``INVALID_ACCESS_TOKEN``, 403 ``ACCESS_DENIED``); logos and covers are image
URNs whose ``downloadUrl`` the Images API gives. No write exists; ``by_hand`` stands in for the
Page's admin view.
"""

from __future__ import annotations

import re
import secrets
import typing as t
import urllib.parse

from brandkit.platforms.linkedin.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import placeholder, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["EMULATOR", "LinkedInAPI"]

SIZES = {"logo": (400, 400), "cover": (1128, 191)}


def _error(status: int, code: str, message: str, service: int = 0) -> Response:
    return json_response(
        status, {"status": status, "serviceErrorCode": service, "code": code, "message": message}
    )


class LinkedInAPI(PlatformAPI):
    platform = "linkedin"
    prefixes = ("/li/",)
    empty_state: t.ClassVar[dict[str, t.Any]] = {"pages": {}, "tokens": {}}

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)

    def add_page(self, organization_id: str, *, access_token: str, name: str = "") -> str:
        with self.state.edit() as data:
            li = data["linkedin"]
            li["pages"].setdefault(
                organization_id,
                {
                    "name": name or organization_id,
                    "description": "",
                    "website": "",
                    "logo": None,
                    "cover": None,
                },
            )
            li["tokens"].setdefault(access_token, [])
            if organization_id not in li["tokens"][access_token]:
                li["tokens"][access_token].append(organization_id)
        return organization_id

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        token = fields.pop("access_token", None) or f"AQV{secrets.token_urlsafe(40)}"
        page = str(fields.pop("organization_id", None) or 10_000_000 + secrets.randbelow(10**7))
        return {"id": self.add_page(page, access_token=token, **fields), "access_token": token}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        self.add_page(
            Settings.of(account.options).organization_id,
            access_token=credentials["access_token"],
            name=brand.identity.name,
        )

    def by_hand(self, account: Account, field: str, value: bytes | str) -> bool:
        """The Page's admin view: name, overview, website, logo, cover (what no API can set)."""
        page_id = Settings.of(account.options).organization_id
        with self.state.edit() as data:
            page = data["linkedin"]["pages"][page_id]
            if field in ("name", "description", "website") and isinstance(value, str):
                page[field] = value
                return True
            if field in SIZES and isinstance(value, bytes):
                image, _ = reencode(value, exact=SIZES[field])
                key = secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
                self.state.put_image(image, "image/jpeg", key=f"linkedin-{key}")
                page[field] = key
                return True
        return False

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_LINKEDIN_URL": f"{base_url}/li"}

    def describe(self, base_url: str) -> str:
        return f"LinkedIn         {base_url}/li/rest/organizations/   (read only)"

    def add_demo_account(self) -> str:
        self.add_page("10000001", access_token="sandbox-linkedin-token", name="brandkit demo")
        return "linkedin  page 10000001: token sandbox-linkedin-token (read only)"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        if status == 429:
            response = _error(
                429,
                "TOO_MANY_REQUESTS",
                "Resource level throttle APPLICATION DAY limit for calls to this resource is "
                "reached.",
            )
            if fault.retry_after is not None:
                response.headers["Retry-After"] = str(fault.retry_after)
            return response
        return _error(status, "INTERNAL_SERVER_ERROR", "Internal Server Error")

    def handle(self, req: Request) -> Response:
        media = re.fullmatch(r"/li/media/([A-Za-z0-9]+|default-logo|default-cover)", req.path)
        if media:
            if media.group(1).startswith("default-"):
                shape = SIZES[media.group(1).removeprefix("default-")]
                return Response(
                    200, placeholder(shape, (229, 229, 229)), {"Content-Type": "image/jpeg"}
                )
            found = self.state.get_image(f"linkedin-{media.group(1)}")
            if found is None:
                return Response(404, b"", {"Content-Type": "text/plain"})
            return Response(200, found[0], {"Content-Type": found[1]})
        li = self.state.data["linkedin"]
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if token not in li["tokens"]:
            return _error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)
        if not re.fullmatch(r"\d{6}", req.headers.get("linkedin-version", "")):
            return _error(
                400,
                "VERSION_MISSING",
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header.",
            )
        path = urllib.parse.unquote(req.path)
        org = re.fullmatch(r"/li/rest/organizations/(\d+)", path)
        if org:
            return self._organization(req, li, token, org.group(1))
        image = re.fullmatch(r"/li/rest/images/urn:li:image:([A-Za-z0-9_-]+)", path)
        if image:
            return json_response(
                200,
                {
                    "id": f"urn:li:image:{image.group(1)}",
                    "status": "AVAILABLE",
                    "downloadUrl": f"{req.base_url}/li/media/{image.group(1)}",
                },
            )
        size = re.fullmatch(r"/li/rest/networkSizes/urn:li:organization:(\d+)", path)
        if size and req.query.get("edgeType") == "COMPANY_FOLLOWED_BY_COMPANY":
            if size.group(1) not in li["tokens"][token]:
                return _error(
                    403,
                    "ACCESS_DENIED",
                    "Not enough permissions to access: networkSizes.GET.20241101",
                    100,
                )
            figures, day = Audience("linkedin", size.group(1)), day_of(clock(self.state.data))
            return json_response(200, {"firstDegreeSize": figures.total("followers", day)})
        return _error(404, "NOT_FOUND", "Not Found")

    def _organization(
        self, req: Request, li: dict[str, t.Any], token: str, page_id: str
    ) -> Response:
        if page_id not in li["tokens"][token] or page_id not in li["pages"]:
            return _error(
                403,
                "ACCESS_DENIED",
                "Not enough permissions to access: organizations.GET.20241101 for "
                f"urn:li:organization:{page_id}",
                100,
            )
        page = li["pages"][page_id]
        body: dict[str, t.Any] = {
            "id": int(page_id),
            "vanityName": re.sub(r"[^a-z0-9]+", "-", page["name"].lower()).strip("-"),
            "localizedName": page["name"],
            "name": {
                "localized": {"en_US": page["name"]},
                "preferredLocale": {"country": "US", "language": "en"},
            },
            "primaryOrganizationType": "NONE",
            "locations": [],
        }
        if page["description"]:
            body["localizedDescription"] = page["description"]
        if page["website"]:
            body["localizedWebsite"] = page["website"]
        for field, key in (("logo", "logoV2"), ("cover", "coverPhotoV2")):
            media = page[field] or f"default-{field}"
            body[key] = {
                "original": f"urn:li:digitalmediaAsset:{media}",
                "cropped": f"urn:li:digitalmediaAsset:{media}",
                "cropInfo": {"x": 0, "y": 0, "width": 0, "height": 0},
            }
        return json_response(200, body)


EMULATOR = LinkedInAPI
