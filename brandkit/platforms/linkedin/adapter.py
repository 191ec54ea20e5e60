"""LinkedIn Page (Community Management API, read only): the organization's name, description,
website, logo and cover are checked, never written — LinkedIn documents no call that changes
them. ``GET /rest/organizations/{id}`` reads them (``localizedName``, ``localizedDescription``,
``localizedWebsite``, ``logoV2``/``coverPhotoV2`` as image URNs, resolved through
``GET /rest/images/{urn}``'s ``downloadUrl``); ``GET /rest/networkSizes/urn:li:organization:{id}
?edgeType=COMPANY_FOLLOWED_BY_COMPANY`` is the audience. Every call sends ``LinkedIn-Version``
and ``X-Restli-Protocol-Version: 2.0.0``. Every difference is planned "change by hand"
(``BY_HAND``: the Page's admin view) and goes on ``brandkit handoff``'s page.
docs/platforms.md has the sources.
"""

from __future__ import annotations

import typing as t
import urllib.parse

import requests

from brandkit.adapters.base import (
    Adapter,
    Desired,
    Endpoints,
    Figures,
    LiveState,
    credentials,
    expect,
    http_session,
    text_of,
    url_of,
)
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi
from brandkit.i18n import N_
from brandkit.platforms.linkedin.settings import Settings
from brandkit.spec.model import Account

__all__ = ["ADAPTER", "LinkedInAdapter"]

API = "https://api.linkedin.com"
VERSION = "202411"  # LinkedIn-Version: the monthly API version brandkit was written against


def _said(answer: Answer) -> str:
    doc = answer.document
    return ": ".join(str(doc[k]) for k in ("code", "message") if doc.get(k))


HINTS = Hints(
    name="LinkedIn",
    refused=N_(
        "the access token was refused ({said}): make a new one for an administrator of the "
        "Page with the r_organization_admin scope and put it in {env_name}"
    ),
    forbidden=N_(
        "LinkedIn refused ({said}): the token's member must be an administrator of the Page, "
        "with the r_organization_admin scope"
    ),
    rejected=N_("LinkedIn refused the request ({status}: {said})"),
    said=_said,
)


class LinkedInAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (("firstDegreeSize", N_("Followers")),)
    platform = "linkedin"
    SUPPORTS = frozenset({"name", "description", "website", "logo", "cover"})
    # LinkedIn documents no write for a Page's profile: everything is changed by hand
    BY_HAND = {
        "name": N_(
            "https://www.linkedin.com/company/{organization_id}/admin/dashboard/: Edit page, "
            "Page info, Name"
        ),
        "description": N_(
            "https://www.linkedin.com/company/{organization_id}/admin/dashboard/: Edit page, "
            "Details, Overview"
        ),
        "website": N_(
            "https://www.linkedin.com/company/{organization_id}/admin/dashboard/: Edit page, "
            "Page info, Website URL"
        ),
        "logo": N_(
            "https://www.linkedin.com/company/{organization_id}/admin/dashboard/: Edit page, "
            "Header, Logo"
        ),
        "cover": N_(
            "https://www.linkedin.com/company/{organization_id}/admin/dashboard/: Edit page, "
            "Header, Cover image"
        ),
    }

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        token = credentials(account, env, ("access_token",))["access_token"]
        self.settings = Settings.of(account.options)
        self.http = http_session(endpoints, session)
        self.http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "LinkedIn-Version": VERSION,
                "X-Restli-Protocol-Version": "2.0.0",
            }
        )
        self.api = JsonApi(
            self.http,
            endpoints.url("linkedin", API),
            HINTS,
            {"platform": "linkedin", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("access_token"),
        )

    def close(self) -> None:
        super().close()
        self.http.close()

    def _image(self, urn: t.Any) -> str | None:
        """An image URN's download URL (a digitalmediaAsset is the same id as an image)."""
        if not isinstance(urn, str) or not urn:
            return None
        image = urn.replace("urn:li:digitalmediaAsset:", "urn:li:image:")
        found = self.api.call(
            "GET", f"/rest/images/{urllib.parse.quote(image, safe='')}", field="image"
        )
        return url_of(found.get("downloadUrl"), "downloadUrl")

    def read(self, desired: Desired) -> LiveState:
        org = self.api.call(
            "GET", f"/rest/organizations/{self.settings.organization_id}", field="profile"
        )
        if str(expect(org.get("id"), int, "the Page's id")) != self.settings.organization_id:
            raise ValueError("LinkedIn answered another Page")
        return LiveState(
            {
                "name": text_of(org.get("localizedName") or "", "localizedName"),
                "description": text_of(org.get("localizedDescription") or "", "description"),
                "website": text_of(org.get("localizedWebsite") or "", "localizedWebsite"),
            },
            {
                "logo": self._image((org.get("logoV2") or {}).get("original")),
                "cover": self._image((org.get("coverPhotoV2") or {}).get("original")),
            },
        )

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        raise self.no_api(",".join(fields))

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        raise self.no_api(field)

    def figures(self, days: int = 7) -> Figures:
        urn = urllib.parse.quote(f"urn:li:organization:{self.settings.organization_id}", safe="")
        size = self.api.call(
            "GET",
            f"/rest/networkSizes/{urn}",
            params={"edgeType": "COMPANY_FOLLOWED_BY_COMPANY"},
            field="figures",
        )
        followers = expect(size.get("firstDegreeSize"), int, "firstDegreeSize")
        return Figures(followers, {"firstDegreeSize": followers})


ADAPTER = LinkedInAdapter
