"""Facebook Pages through the Graph API with a plain requests.Session.

Fields: about (<= 100), description, website, emails, phone, profile picture, cover. Read with one
``GET /{page}?fields=...`` (the picture by field expansion, at 720 px); text written with one
``POST /{page}``; images uploaded as *unpublished* photos, then set as cover (with
``no_feed_story``) or picture by id, so no story reaches followers. Graph errors are told apart
by ``error.code``, never by the HTTP status.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import io
import json
import re
import time
import typing as t
from pathlib import Path

import requests
from PIL import Image

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
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi, retry_after
from brandkit.errors import (
    AdapterError,
    AuthError,
    RateLimitedError,
    RemoteError,
    UnansweredError,
)
from brandkit.i18n import N_, msg
from brandkit.platforms import all_targets
from brandkit.platforms.facebook.settings import Settings
from brandkit.retry import look_again
from brandkit.spec.model import Account, Brand

__all__ = ["FacebookAdapter", "ADAPTER"]

GRAPH_VERSION = "v26.0"
THROTTLING = {4, 17, 32, 341, 613, 80001}
# error_subcode -> what happened to the token (Graph API error-handling guide; php-graph-sdk)
AUTH_SUBCODES = {
    458: "no longer authorised (the app was removed)",
    459: "blocked until the user logs in to Facebook (checkpoint)",
    460: "invalid since the password changed",
    463: "expired",
    464: "from a user who has not confirmed their account",
    467: "invalid",
}
TRANSIENT = {1, 2}
# one request: the picture comes through field expansion, at the size we compare
READ_FIELDS = (
    "id,name,about,description,website,emails,phone,cover{id,source,offset_x,offset_y},"
    "picture.width(720).height(720){url,width,height,is_silhouette}"
)


# Page insights brandkit reports (all exist in v26; page_fans and page_impressions were retired)
INSIGHTS = (
    "page_follows",
    "page_daily_follows",
    "page_media_view",
    "page_total_media_view_unique",
    "page_post_engagements",
)


def _image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _cover_box() -> tuple[int, int, int, int]:
    """The part of the cover both crops show: the 640x360-ratio mobile crop of the full height."""
    w, h = all_targets()["facebook.cover"].size
    visible = round(h * 640 / 360)
    left = (w - visible) // 2
    return (left, 0, left + visible, h)


class FacebookAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("followers_count", N_("Followers")),
        # the same count from insights, updated once a day: it can lag the Page's own figure
        ("page_follows", N_("Followers (insights, as of yesterday)")),
        ("page_daily_follows", N_("New follows (last day)")),
        ("page_media_view", N_("Media views (last day)")),
        ("page_post_engagements", N_("Post engagements (last day)")),
    )
    platform: t.ClassVar[str] = "facebook"
    SUPPORTS: t.ClassVar[frozenset[str]] = frozenset(
        {"about", "description", "website", "emails", "phone", "picture", "cover"}
    )

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        creds = credentials(account, env, ("page_token", "app_secret"))
        self.settings = Settings.of(account.options)
        version = self.settings.graph_version or GRAPH_VERSION
        self.root = f"{endpoints.url('facebook', 'https://graph.facebook.com')}/{version}"
        self.page_id = self.settings.page_id
        self.base = f"{self.root}/{self.page_id}"
        self.http = http_session(endpoints, session)
        self.api = JsonApi(
            self.http,
            self.base,
            Hints(
                name="Graph API",
                refused=N_(
                    "the Page access token was refused ({said}); put a new Page token in {env_name}"
                ),
                failed=N_("{name} answered {status}"),
                rejected=N_("{name} answered {status} without a usable body"),
                special=self._graph_error,
            ),
            {"platform": "facebook", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("page_token"),
        )
        self._uploaded: dict[tuple[str, str], str] = {}  # (field, sha256) -> uploaded photo id
        # (field, sha256) -> when the upload started, and whether the client timed out
        self._unanswered: dict[tuple[str, str], tuple[float, bool]] = {}
        # field -> (since, size) of an unanswered upload not found in time: removed at close
        self._late: dict[str, tuple[float, tuple[int, int]]] = {}
        self._used: set[str] = set()
        # the token travels in a header, never in a URL that an exception could print
        self.http.headers["Authorization"] = f"Bearer {creds['page_token']}"
        self.params: dict[str, str] = {}
        if "app_secret" in creds:
            self.params["appsecret_proof"] = hmac.new(
                creds["app_secret"].encode(), creds["page_token"].encode(), hashlib.sha256
            ).hexdigest()
        self._env_name = account.credential_env("page_token")

    def close(self) -> None:
        # an uploaded photo that never became the cover or picture (setting it failed for good)
        # would stay on the Page, unpublished: delete it; and so would a copy that an upload
        # whose answer was lost stored after brandkit had uploaded the image again
        late: set[str] = set()
        for field, (since, size) in self._late.items():
            # the late copy may still be on its way: looked for as long as one call may take
            try:
                found = look_again(
                    lambda: self._uploads_since(since, size, field) or None,  # noqa: B023
                    max(2.0, self.endpoints.timeout),
                )
            except AdapterError:
                found = None  # best effort: the note already says one may be left
            late.update(found or [])
        for photo_id in (set(self._uploaded.values()) | late) - self._used:
            try:
                self.http.delete(f"{self.root}/{photo_id}", params=self.params, timeout=30)
            except requests.RequestException:
                continue  # best effort: the apply already failed and says so
            if photo_id in late:
                self.notes[:] = [n for n in self.notes if "may have left" not in n]
                self.notes.append(
                    "an upload got no answer and Graph stored the photo after brandkit had "
                    "uploaded it again: that copy was deleted"
                )
        super().close()
        self.http.close()

    # -- every Graph call: the Page's token proof in each query --------------------------------
    def _call(
        self, method: str, path: str = "", *, field: str | None = None, **kwargs: t.Any
    ) -> t.Any:
        params = {**self.params, **kwargs.pop("params", {})}
        return self.api.call(method, path, field=field, params=params, **kwargs)

    def _graph_error(self, answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
        """Graph errors by ``error.code`` and ``error_subcode``, the way Facebook's own SDKs
        classify them (php-graph-sdk FacebookResponseException; docs/platforms.md); None for an
        answer without a Graph error object."""
        error = answer.document.get("error")
        if not isinstance(error, dict):
            return None
        code, message = int(error.get("code") or 0), str(error.get("message", ""))
        subcode = int(error.get("error_subcode") or 0)
        if code in THROTTLING:
            wait = _regain_seconds(answer.headers) or retry_after(answer.headers)
            return RateLimitedError(
                msg(
                    "throttled by Facebook (code {code}: {message}){when_back}",
                    code=code,
                    message=message,
                    when_back=_when_back(wait),
                ),
                status=answer.status,
                retry_after=wait,
                **where,
            )
        if code in TRANSIENT or error.get("is_transient"):
            return RemoteError(
                msg("transient Graph error (code {code}: {message})", code=code, message=message),
                status=answer.status,
                retryable=True,
                retry_after=retry_after(answer.headers),
                **where,
            )
        if code in (102, 190) or subcode in AUTH_SUBCODES:
            why = AUTH_SUBCODES.get(subcode, "invalid or expired")
            return AuthError(
                msg(
                    "the Page access token is {why} (code {code}{value}). Get a new Page token "
                    "(GET /me/accounts with a user token that manages the Page) and put it in "
                    "{env_name}",
                    why=why,
                    code=code,
                    value=f", subcode {subcode}" if subcode else "",
                    env_name=self._env_name,
                ),
                status=answer.status,
                **where,
            )
        if code == 10 or 200 <= code < 300:
            return AuthError(
                msg(
                    "permission missing (code {code}): {what_is_missing}",
                    code=code,
                    what_is_missing=_what_is_missing(message),
                ),
                status=answer.status,
                **where,
            )
        if code == 100:
            param = re.search(r"[Pp]aram (\w+)", message)
            if param:
                where = {**where, "field": param.group(1)}
            return RemoteError(
                msg("invalid parameter (code 100: {message})", message=message),
                status=answer.status,
                **where,
            )
        return RemoteError(
            msg("Graph error (code {code}: {message})", code=code, message=message),
            status=answer.status,
            **where,
        )

    # -- the contract ----------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        page = self._call("GET", params={"fields": READ_FIELDS})
        # the Page itself, or nothing is believed: an empty answer is not an empty Page
        if str(expect(page.get("id"), (str, int), "the Page's id")) != self.page_id:
            raise ValueError("the answer is another Page's")
        data = (page.get("picture") or {}).get("data") or {}
        cover = page.get("cover") or {}
        emails = page.get("emails") or []
        if not isinstance(emails, list):
            raise ValueError("emails is not a list")
        return LiveState(
            text={
                "about": text_of(page.get("about"), "about"),
                "description": text_of(page.get("description"), "description"),
                "website": text_of(page.get("website"), "website"),
                "emails": [text_of(e, "an e-mail") for e in emails],
                "phone": text_of(page.get("phone"), "phone"),
            },
            images={
                "picture": None
                if data.get("is_silhouette")
                else url_of(data.get("url"), "picture"),
                "cover": url_of(cover.get("source"), "cover"),
            },
        )

    def figures(self, days: int = 7) -> Figures:
        """``followers_count``/``fan_count`` of the Page, then its insights per day. One metric
        Graph does not know fails the whole insights request (#100): then each is asked alone,
        and the ones refused are named."""
        page = self._call("GET", params={"fields": "followers_count,fan_count"}, field="figures")
        metrics: dict[str, t.Any] = {
            "followers_count": page.get("followers_count"),
            "fan_count": page.get("fan_count"),
        }
        today = dt.datetime.now(dt.UTC).date()
        window = {
            "period": "day",
            "since": str(today - dt.timedelta(days=min(days, 90))),
            "until": str(today),
        }
        daily: dict[str, dict[str, int]] = {}
        refused: dict[str, str] = {}
        try:
            found = self._insights(INSIGHTS, window)
        except AuthError as exc:  # missing read_insights or the ANALYZE task: figures still count
            refused = {m: exc.message for m in INSIGHTS}
            found = []
        except RemoteError as exc:
            if exc.status != 400:
                raise
            found = []
            for metric in INSIGHTS:
                try:
                    found += self._insights((metric,), window)
                except RemoteError as one:
                    refused[metric] = one.message
        for entry in found:
            values = {
                str(v.get("end_time", ""))[:10]: int(v.get("value") or 0)
                for v in entry.get("values", [])
                if isinstance(v.get("value"), (int, float))
            }
            # Graph's end_time is the morning after: the day a value counts is the one before
            daily[entry["name"]] = {
                str(dt.date.fromisoformat(day) - dt.timedelta(days=1)): value
                for day, value in values.items()
                if day
            }
            if values:
                metrics[entry["name"]] = list(values.values())[-1]
        return Figures(int(metrics["followers_count"] or 0), metrics, daily, refused)

    def _insights(self, names: t.Sequence[str], window: dict[str, str]) -> list[t.Any]:
        body = self._call(
            "GET", "/insights", params={"metric": ",".join(names), **window}, field="insights"
        )
        return [e for e in body.get("data", []) if isinstance(e, dict) and "name" in e]

    def desired(self, brand: Brand, assets: t.Mapping[str, Path]) -> Desired:
        base = super().desired(brand, assets)
        return dataclasses.replace(base, compare_boxes={"cover": _cover_box()})

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        form = {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in fields.items()}
        self._call("POST", data=form, field=",".join(fields))

    def _upload(self, data: bytes, filename: str, field: str) -> str:
        photo = self._call(
            "POST",
            "/photos",
            data={"published": "false"},
            files={"source": (filename, data)},
            field=field,
        )
        return str(photo["id"])

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        # a retry (after setting the cover or picture failed) uses the photo already uploaded,
        # instead of leaving one more unpublished photo behind on the Page each time
        key = (field, hashlib.sha256(data).hexdigest())
        photo_id = self._uploaded.get(key)
        if photo_id is None and key in self._unanswered:
            since, timed_out = self._unanswered[key]
            photo_id = self._find_upload(since, timed_out, _image_size(data), field)
        if photo_id is None:
            started = time.time()
            try:
                photo_id = self._upload(data, filename, field)
            except UnansweredError as exc:
                # Graph may have stored the photo before the answer was lost: the retry
                # looks for it first (see _find_upload)
                self._unanswered.setdefault(key, (started, exc.timed_out))
                raise
        self._uploaded[key] = photo_id
        self._set(field, photo_id)
        self._used.add(photo_id)

    def _uploads_since(self, since: float, size: tuple[int, int], field: str) -> list[str]:
        """Photos the Page uploaded since ``since`` with the image's proportions (Graph may
        scale it down) that brandkit does not know yet: what an unanswered upload stored."""
        listing = self._call(
            "GET",
            "/photos",
            params={"type": "uploaded", "fields": "id,width,height,created_time", "limit": "25"},
            field=field,
        )
        known = set(self._uploaded.values())
        found = []
        for photo in listing.get("data") or []:
            try:
                created = dt.datetime.strptime(str(photo["created_time"]), "%Y-%m-%dT%H:%M:%S%z")
                width, height = int(photo["width"]), int(photo["height"])
            except (KeyError, TypeError, ValueError):
                continue
            same_shape = abs(width * size[1] - height * size[0]) <= max(size) * 2
            if created.timestamp() >= since - 2 and same_shape and photo.get("id") not in known:
                found.append(str(photo["id"]))
        return found

    def _find_upload(
        self, since: float, timed_out: bool, size: tuple[int, int], field: str
    ) -> str | None:
        """The photo an unanswered upload stored, if Graph lists it. After a timeout Graph may
        still be storing it: looked for a while (as long as one call may take); then None, and
        the photo is uploaded again (``close`` removes a copy that lands later)."""
        found = look_again(
            lambda: self._uploads_since(since, size, field) or None,
            max(2.0, self.endpoints.timeout) if timed_out else 0,
        )
        if found:
            return found[0]
        if timed_out:
            self._late[field] = (since, size)
        self.notes.append(
            f"an upload of the {field} got no answer and Graph does not list the photo, so it was "
            "uploaded again: that may have left one unpublished photo on the Page (Meta Business "
            "Suite > Content > Photos to check)"
        )
        return None

    def _set(self, field: str, photo_id: str) -> None:
        if field == "cover":
            self._call("POST", data={"cover": photo_id, "no_feed_story": "true"}, field=field)
        else:
            self._call("POST", "/picture", data={"photo": photo_id}, field=field)


def _regain_seconds(headers: t.Mapping[str, str]) -> float | None:
    """The longest ``estimated_time_to_regain_access`` (minutes) in the usage headers, in
    seconds: X-Business-Use-Case-Usage (Page tokens), X-Page-Usage and X-App-Usage."""
    minutes = 0
    for name in ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage"):
        try:
            usage = json.loads(headers.get(name) or "{}")
        except ValueError:
            continue
        entries: list[t.Any] = [usage] if "call_count" in usage else []
        for value in usage.values() if isinstance(usage, dict) else ():
            if isinstance(value, list):
                entries.extend(value)
        for entry in entries:
            if isinstance(entry, dict):
                try:
                    minutes = max(minutes, int(entry.get("estimated_time_to_regain_access") or 0))
                except (TypeError, ValueError):
                    continue
    return minutes * 60.0 if minutes else None


def _when_back(wait: float | None) -> str:
    """When a limit measured in minutes lifts, for the message a person reads if the retry
    budget runs out first."""
    if not wait or wait < 60:
        return ""
    back = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
    return (
        f"; Facebook says access returns in about {wait / 60:.0f} min: "
        f"run again after {back:%H:%M} UTC"
    )


def _what_is_missing(message: str) -> str:
    permissions = sorted(set(re.findall(r"pages_[a-z_]+", message)))
    task = re.search(r"\b(CREATE_CONTENT|MANAGE|MODERATE|ADVERTISE|ANALYZE)\b task", message)
    if permissions:
        return f"the token needs {' and '.join(permissions)} ({message})"
    if task:
        return (
            f"the person whose token this is must be able to perform the {task.group(1)} task "
            f"on the Page (Page settings, Page access)"
        )
    return message


ADAPTER = FacebookAdapter
