"""Mastodon (REST over requests): the profile of the account a user token belongs to.

Read ``GET /api/v1/accounts/verify_credentials``: ``display_name``, the bio as typed in
``source.note`` (``note`` itself is the server's HTML), the profile fields as typed in
``source.fields``, and the ``avatar``/``header`` URLs. Write ``PATCH
/api/v1/accounts/update_credentials`` (form data; images as multipart), scope ``write:accounts``.
The instance's own limits come from ``GET /api/v2/instance``. docs/platforms.md has the sources.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing as t
from pathlib import Path

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
from brandkit.adapters.jsonapi import Hints, JsonApi, retry_after
from brandkit.errors import RemoteError
from brandkit.i18n import N_, msg
from brandkit.newsletter_words import link_label, newsletter_words
from brandkit.platforms.mastodon.settings import Settings
from brandkit.spec.model import Account, Brand
from brandkit.spec.text import measure

__all__ = ["MastodonAdapter", "ADAPTER"]

MISSING = ("/avatars/original/missing.png", "/headers/original/missing.png")  # Mastodon's defaults
# what a server that does not list its limits takes (Mastodon's constants before 4.6 made them
# settings: Account DISPLAY_NAME_LENGTH_LIMIT, NOTE_LENGTH_LIMIT, DEFAULT_FIELDS_SIZE)
DEFAULT_LIMITS = {
    "max_display_name_length": 30,
    "max_note_length": 500,
    "max_profile_fields": 4,
    "profile_field_name_limit": 255,
    "profile_field_value_limit": 255,
}


def _reset(headers: t.Mapping[str, str]) -> float | None:
    """Seconds until ``X-RateLimit-Reset`` (an ISO 8601 time)."""
    value = headers.get("X-RateLimit-Reset", "")
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# Mastodon's errors are {"error": "..."}; ``name`` becomes the instance's address
HINTS = Hints(
    name="Mastodon",
    refused=N_(
        "the access token was refused ({said}); make a new one (Preferences > Development) and "
        "put it in {env_name}"
    ),
    forbidden=N_(
        "not allowed ({said}): the token needs the write:accounts and read:accounts scopes"
    ),
    throttled=N_("rate limited by {name} (300 calls per 5 minutes per account)"),
    failed=N_("{name} answered {status}"),
    rejected=N_("{name} answered {status}: {said}"),
    wait=lambda answer: retry_after(answer.headers) or _reset(answer.headers),
)


class MastodonAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("followers_count", N_("Followers")),
        ("following_count", N_("Following")),
        ("statuses_count", N_("Posts")),
    )
    platform = "mastodon"
    SUPPORTS = frozenset({"display_name", "note", "fields", "avatar", "header"})

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
        instance = self.settings.instance.rstrip("/")
        self.base = endpoints.url("mastodon", instance).rstrip("/")
        self.http = http_session(endpoints, session)
        self.http.headers["Authorization"] = f"Bearer {token}"  # never in a URL
        self.api = JsonApi(
            self.http,
            self.base,
            dataclasses.replace(HINTS, name=self.base),
            {"platform": "mastodon", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("access_token"),
        )
        self._limits: dict[str, int] | None = None

    def close(self) -> None:
        super().close()
        self.http.close()

    # -- the contract ----------------------------------------------------------------------------
    def limits(self) -> dict[str, int]:
        """The instance's own limits (``configuration.accounts`` of ``/api/v2/instance``, served
        since Mastodon 4.6); Mastodon's long-standing defaults where it does not say."""
        if self._limits is None:
            accounts: dict[str, t.Any] = {}
            try:
                found = self.api.call("GET", "/api/v2/instance", field="instance")
                accounts = dict((found.get("configuration") or {}).get("accounts") or {})
            except (RemoteError, AttributeError, TypeError, ValueError):
                pass  # an older server without v2/instance (or a strange answer): the defaults
            self._limits = {
                name: value if isinstance(value, int) and value > 0 else default
                for name, default in DEFAULT_LIMITS.items()
                for value in [accounts.get(name)]
            }
        return self._limits

    def desired(self, brand: Brand, assets: t.Mapping[str, Path]) -> Desired:
        base = super().desired(brand, assets)
        limits = self.limits()
        for name, limit, count in (
            ("display_name", limits["max_display_name_length"], "characters"),
            ("note", limits["max_note_length"], "mastodon"),
        ):
            value = base.text.get(name)
            if isinstance(value, str) and measure(value, count) > limit:
                # validate knows Mastodon's defaults; this instance says otherwise
                raise RemoteError(
                    msg(
                        "{field} is {length} characters as Mastodon counts them; this instance "
                        "({base}) takes at most {limit}: shorten it for this account "
                        "(overrides.bio or overrides.name)",
                        field=name,
                        length=measure(value, count),
                        base=self.base,
                        limit=limit,
                    ),
                    platform="mastodon",
                    account=self.account.id,
                    field=name,
                )
        if not self.settings.fields:
            return base
        identity = brand.identity
        links = ([("home", identity.website)] if identity.website else []) + list(identity.links)
        website = newsletter_words(identity.language)["website_label"]  # in the brand's language
        fields = [
            {"name": website if name == "home" else link_label(name), "value": url}
            for name, url in links
            if len(url) <= limits["profile_field_value_limit"]
        ][: limits["max_profile_fields"]]
        return dataclasses.replace(base, text={**base.text, "fields": fields})

    def read(self, desired: Desired) -> LiveState:
        me = self.api.call("GET", "/api/v1/accounts/verify_credentials", field="profile")
        # the account itself, or nothing is believed: an empty answer is not an empty profile
        expect(me.get("id"), str, "the account's id")
        expect(me.get("username"), str, "the account's username")
        source = me.get("source") or {}
        fields = source.get("fields") or []
        if not isinstance(fields, list):
            raise ValueError("source.fields is not a list")
        text = {
            "display_name": text_of(me.get("display_name"), "display_name"),
            # as typed (``note`` is the server's HTML); the server stores line ends as \r\n
            "note": text_of(source.get("note"), "note").replace("\r\n", "\n"),
            "fields": [
                {
                    "name": text_of(f.get("name"), "a field"),
                    "value": text_of(f.get("value"), "a field"),
                }
                for f in fields
            ],
        }
        images = {
            kind: None if _missing(me.get(kind)) else url_of(me.get(kind), kind)
            for kind in ("avatar", "header")
        }
        return LiveState(text, images)

    def normalise(self, field: str, value: t.Any) -> t.Any:
        if field == "fields" and isinstance(value, list):
            return [{"name": f["name"].strip(), "value": f["value"].strip()} for f in value]
        return value

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        form: list[tuple[str, str]] = []
        for name, value in fields.items():
            if name == "fields":
                # fields_attributes[i][name|value]: the order given is the order shown; an empty
                # list clears them (Mastodon keeps what it is not sent)
                for i, pair in enumerate(value or [{"name": "", "value": ""}]):
                    form += [
                        (f"fields_attributes[{i}][name]", pair["name"]),
                        (f"fields_attributes[{i}][value]", pair["value"]),
                    ]
            else:
                form.append((name, value))
        self.api.call(
            "PATCH", "/api/v1/accounts/update_credentials", data=form, field=",".join(fields)
        )

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        self.api.call(
            "PATCH",
            "/api/v1/accounts/update_credentials",
            files={field: (filename, data)},
            field=field,
        )

    def figures(self, days: int = 7) -> Figures:
        me = self.api.call("GET", "/api/v1/accounts/verify_credentials", field="figures")
        metrics = {k: me.get(k) for k in ("followers_count", "following_count", "statuses_count")}
        return Figures(int(metrics["followers_count"] or 0), metrics)


def _missing(url: t.Any) -> bool:
    return not url or any(str(url).endswith(m) for m in MISSING)


ADAPTER = MastodonAdapter
