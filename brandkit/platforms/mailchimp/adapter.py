"""Mailchimp newsletter template and audience defaults through mailchimp-marketing 3.0.80.

- The template is upserted by name: created, or updated when its HTML differs after whitespace
  is normalised. Its header image is uploaded once to the File Manager under a name carrying
  the image's hash (``brandkit-header-<sha>.png``) and re-used while that file exists. The
  desired template points at ``brandkit-pending-upload:<name>`` until that file is hosted;
  ``expected`` and ``write_text`` put the hosted URL in its place.
- Audience defaults (``campaign_defaults``: from_name, from_email, subject; ``contact``: company
  and address) are read, merged and written back whole, so fields brandkit does not own stay.
- Every call is wrapped: the client *returns* a ``requests.Response`` for empty-body errors and
  204s, and ``ApiClientError.text`` may be a dict, a JSON string or an exception.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import email.utils
import hashlib
import json
import threading
import typing as t
from pathlib import Path

import mailchimp_marketing as MailchimpMarketing
import requests
from mailchimp_marketing.api_client import ApiClientError

from brandkit.adapters.base import (
    Adapter,
    Desired,
    Endpoints,
    Figures,
    LiveState,
    credentials,
    expect,
    http_session,
)
from brandkit.adapters.jsonapi import Answer, Hints, error_for
from brandkit.errors import AdapterError, RemoteError, UnansweredError
from brandkit.i18n import N_, msg
from brandkit.newsletter import lint, newsletter_html
from brandkit.platforms.mailchimp import template as mailchimp_template
from brandkit.platforms.mailchimp.settings import Settings
from brandkit.retry import look_again
from brandkit.spec.model import Account, Brand

__all__ = ["MailchimpAdapter", "ADAPTER"]

# Mailchimp allows 10 simultaneous connections per key; stay below it across all accounts
_MAX_PER_KEY = 8
_key_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()
PENDING = "brandkit-pending-upload:"
CONTACT_FIELDS = frozenset({"company", "address1", "address2", "city", "state", "zip", "country"})


def _slot(key: str) -> threading.BoundedSemaphore:
    digest = hashlib.sha256(key.encode()).hexdigest()  # never keep the key itself around
    with _slots_lock:
        return _key_slots.setdefault(digest, threading.BoundedSemaphore(_MAX_PER_KEY))


def _field_errors(answer: Answer) -> list[dict[str, t.Any]]:
    found = answer.document.get("errors")
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _detail(answer: Answer) -> str:
    """Mailchimp's problem documents: ``detail`` (or ``title``), and each field's error."""
    detail = str(answer.document.get("detail") or answer.document.get("title") or "")
    fields = [e for e in _field_errors(answer) if e.get("field")]
    if fields:
        detail += " (" + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in fields) + ")"
    return detail or f"HTTP {answer.status}"


class MailchimpAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("member_count", N_("Subscribed")),
        ("open_rate", N_("Open rate (%)")),
        ("click_rate", N_("Click rate (%)")),
        ("unsubscribe_count", N_("Unsubscribed (all time)")),
    )
    platform: t.ClassVar[str] = "mailchimp"
    SUPPORTS: t.ClassVar[frozenset[str]] = frozenset(
        {"template", "header", "from_name", "from_email", "subject", "language", *CONTACT_FIELDS}
    )
    UNREADABLE: t.ClassVar[dict[str, str]] = {
        "template": "Mailchimp never gives a template's HTML back, so no backup holds it"
    }
    UNBLANKABLE: t.ClassVar[frozenset[str]] = frozenset(
        {"template", "from_name", "from_email", *CONTACT_FIELDS}
    )

    def __init__(
        self, account: Account, env: t.Mapping[str, str], endpoints: Endpoints, client: t.Any = None
    ) -> None:
        super().__init__(account, env, endpoints)
        self.settings = Settings.of(account.options)
        self.audience_id: str = self.settings.audience_id
        self.template_name: str = self.settings.template_name
        creds = credentials(account, env, ("api_key", "access_token"))
        secret = creds.get("api_key") or creds.get("access_token") or ""
        self.slot = _slot(secret)
        self.http = http_session(endpoints)
        self._last_date: str | None = None
        self._last_headers: t.Mapping[str, str] = {}
        self._env_name = account.credential_env("api_key") or account.credential_env("access_token")
        self.hints = Hints(
            name="Mailchimp",
            refused=N_("Mailchimp refused the credentials ({status}: {said}); check {env_name}"),
            forbidden=N_("Mailchimp refused the credentials ({status}: {said}); check {env_name}"),
            throttled=N_("Mailchimp throttled us: {said}"),
            failed=N_("Mailchimp server error: {said}"),
            rejected=N_("refused ({status}): {said}"),
            said=_detail,
            special=self._not_found,
        )
        self.http.hooks["response"].append(self._remember_date)
        if client is None:
            client = MailchimpMarketing.Client()
            if "api_key" in creds:
                client.set_config({"api_key": creds["api_key"], "timeout": endpoints.timeout})
            else:
                client.set_config(
                    {
                        "access_token": creds["access_token"],
                        "server": self.settings.server,
                        "timeout": endpoints.timeout,
                    }
                )
            if "mailchimp" in endpoints.urls:
                client.api_client.host = endpoints.url("mailchimp", "")
                client.api_client.server = ""  # else every "server" in the URL would be replaced
            api = client.api_client
            session = self.http

            # The client calls module-level requests.get/post/... (no session, no verify=): the
            # same call through our session, so the configured CA applies to this client only.
            def request(
                method: str,
                url: str,
                query_params: t.Any = None,
                headers: t.Any = None,
                body: t.Any = None,
            ) -> requests.Response:
                headers = dict(headers or {})
                auth = ("user", api.api_key) if api.is_basic_auth else None
                if api.is_oauth:
                    headers["Authorization"] = "Bearer " + api.access_token
                data = json.dumps(body) if method in ("POST", "PUT", "PATCH") else None
                return session.request(
                    method,
                    url,
                    params=query_params,
                    headers=headers,
                    auth=auth,
                    data=data,
                    timeout=api.timeout,
                )

            api.request = request
        self.client = client

    def close(self) -> None:
        super().close()
        self.http.close()

    def _remember_date(self, response: requests.Response, *args: t.Any, **kwargs: t.Any) -> None:
        self._last_date = response.headers.get("Date") or self._last_date
        self._last_headers = response.headers

    def _server_time(self) -> dt.datetime:
        """Mailchimp's clock (the last answer's Date header), else ours: the written time is
        compared with Mailchimp's date_edited."""
        if self._last_date:
            try:
                return email.utils.parsedate_to_datetime(self._last_date)
            except (TypeError, ValueError):
                pass
        return dt.datetime.now(dt.UTC)

    # -- the one place client errors become brandkit errors ---------------------------------------
    def _call(self, fn: t.Callable[..., t.Any], *args: t.Any, field: str | None = None) -> t.Any:
        where: dict[str, t.Any] = {
            "platform": "mailchimp",
            "account": self.account.id,
            "field": field,
        }
        with self.slot:
            try:
                result = fn(*args)
            except ApiClientError as exc:
                raise self._translate(exc.status_code, exc.text, where) from None
        if isinstance(result, requests.Response):  # returned, not raised: empty-body errors and 204
            if result.status_code >= 400:
                raise self._translate(result.status_code, result.text, where)
            return None
        return result

    def _translate(self, status: int | None, text: t.Any, where: dict[str, t.Any]) -> AdapterError:
        if isinstance(text, BaseException) or status is None:
            return UnansweredError(
                msg("could not reach Mailchimp ({error})", error=type(text).__name__),
                timed_out=isinstance(text, requests.Timeout),
                **where,
            )
        doc = text
        if isinstance(text, str):
            try:
                doc = json.loads(text)
            except ValueError:
                doc = {"detail": text[:200]}
        # the client drops headers: the session's hook kept the last answer's
        answer = Answer(status, doc, self._last_headers)
        fields = [e.get("field") for e in _field_errors(answer) if e.get("field")]
        if fields:
            where = {**where, "field": fields[0]}
        return error_for(answer, self.hints, where, self._env_name)

    def _not_found(self, answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
        if answer.status != 404:
            return None
        return RemoteError(
            msg(
                "not found: {detail} (audience_id {audience_id}?)",
                detail=_detail(answer),
                audience_id=self.audience_id,
            ),
            status=404,
            **where,
        )

    # -- reading ----------------------------------------------------------------------------------
    def _templates(self) -> list[dict[str, t.Any]]:
        """The user templates of this account's name, oldest first. A deleted user template is
        kept by Mailchimp, marked inactive: it is not ours any more."""
        listing = self._call(
            lambda: self.client.templates.list(count=1000, type="user"), field="template"
        )
        # a listing without its list is not an empty account: nothing is believed
        found = [
            tpl
            for tpl in expect((listing or {}).get("templates"), list, "the template list")
            if tpl.get("name") == self.template_name and tpl.get("active", True) is not False
        ]
        return sorted(found, key=lambda tpl: int(tpl["id"]))

    def _find_template(self) -> dict[str, t.Any] | None:
        found = self._templates()
        return found[0] if found else None

    def _header_files(self, name: str) -> list[dict[str, t.Any]]:
        listing = self._call(
            lambda: self.client.fileManager.files(count=1000, type="image"), field="header"
        )
        found = [
            f
            for f in expect((listing or {}).get("files"), list, "the File Manager's list")
            if f.get("name") == name
        ]
        return sorted(found, key=lambda f: int(f["id"]))

    def _header_file(self, name: str) -> dict[str, t.Any] | None:
        found = self._header_files(name)
        return found[0] if found else None

    def _create_once(
        self, create: t.Callable[[], t.Any], find: t.Callable[[], t.Any], field: str
    ) -> None:
        """Create something a later lookup finds by name. When the answer is lost (a timeout,
        a cut connection, a 5xx), Mailchimp may still make it after brandkit gave up: look for
        it for a while before the retry creates it again (``_one`` removes a second copy that
        landed later still)."""
        try:
            self._call(create, field=field)
        except UnansweredError as exc:
            # after a timeout Mailchimp may still be making it; a cut answer came after the work
            wait = max(2.0, self.endpoints.timeout) if exc.timed_out else 0
            if look_again(find, wait) is None:
                raise

    def _one(self, found: t.Sequence[dict[str, t.Any]], delete: t.Callable[[str], t.Any]) -> None:
        """Keep the oldest of several copies (made by creates whose answers were lost) and
        remove the others: never leave two."""
        for extra in found[1:]:
            self._call(lambda extra=extra: delete(str(extra["id"])), field="template")

    def figures(self, days: int = 7) -> Figures:
        """The audience's ``stats`` (``GET /lists/{id}``) and the last sent campaign with its
        ``report_summary`` (``GET /campaigns``, newest first)."""
        audience = self._call(lambda: self.client.lists.get_list(self.audience_id), field="figures")
        stats = dict(audience.get("stats") or {})
        metrics: dict[str, t.Any] = {
            k: stats.get(k)
            for k in (
                "member_count",
                "unsubscribe_count",
                "cleaned_count",
                "open_rate",
                "click_rate",
                "campaign_last_sent",
                "last_sub_date",
            )
        }
        sent = self._call(
            lambda: self.client.campaigns.list(
                list_id=self.audience_id,
                status="sent",
                sort_field="send_time",
                sort_dir="DESC",
                count=1,
            ),
            field="figures",
        )
        last = ((sent or {}).get("campaigns") or [None])[0]
        if last:
            summary = last.get("report_summary") or {}
            metrics["last_campaign"] = {
                "id": last.get("id"),
                "title": (last.get("settings") or {}).get("title"),
                "send_time": last.get("send_time"),
                "emails_sent": last.get("emails_sent"),
                "open_rate": summary.get("open_rate"),
                "click_rate": summary.get("click_rate"),
            }
        return Figures(int(stats.get("member_count") or 0), metrics)

    def read(self, desired: Desired) -> LiveState:
        audience = self._call(
            lambda: self.client.lists.get_list(self.audience_id), field="audience"
        )
        if expect((audience or {}).get("id"), str, "the audience's id") != self.audience_id:
            raise ValueError("the answer is another audience's")
        templates = self._templates()
        tpl = templates[0] if templates else None
        template = ""
        handles: dict[str, str] = {}
        if tpl is not None:
            template_id = handles["template_id"] = str(tpl["id"])
            handles["template_kind"] = str(tpl.get("content_type") or "")
            if tpl.get("drag_and_drop"):
                handles["template_kind"] = "drag-and-drop"
            content = self._call(
                lambda: self.client.templates.get_default_content_for_template(template_id),
                field="template",
            )
            template = mailchimp_template.live_value(tpl, (content or {}).get("sections") or {})
            if len(templates) > 1:  # left by creates whose answers were lost: apply keeps one
                template += f" (+{len(templates) - 1} more of the same name)"
        defaults = audience.get("campaign_defaults") or {}
        contact = audience.get("contact") or {}
        text: dict[str, t.Any] = {
            "template": template,
            "from_name": defaults.get("from_name") or "",
            "from_email": defaults.get("from_email") or "",
            "subject": defaults.get("subject") or "",
            "language": defaults.get("language") or "",
        }
        text.update({field: contact.get(field) or "" for field in sorted(CONTACT_FIELDS)})
        header_path = desired.images.get("header")
        header = (
            self._header_file(header_name(header_path.read_bytes(), header_path.suffix))
            if header_path
            else None
        )
        if header is not None:
            handles["header_url"] = header["full_size_url"]
        return LiveState(
            text=text,
            images={"header": header.get("full_size_url") if header else None},
            handles=handles,
        )

    # -- desired -----------------------------------------------------------------------------------
    def desired(self, brand: Brand, assets: t.Mapping[str, Path]) -> Desired:
        base = super().desired(brand, assets)
        text = dict(base.text)
        if isinstance(text.get("language"), str):
            text["language"] = mailchimp_language(text["language"])
        header_path = base.images.get("header")
        if header_path is not None:
            # the header's hosted URL is known only once it is in the File Manager: ``expected``
            # and ``write_text`` put it in place of this
            pending = PENDING + header_name(header_path.read_bytes(), header_path.suffix)
            compiled = newsletter_html(brand, pending, self.settings.template)
            errors = [p.message for p in lint(compiled) if p.severity == "error"]
            if errors:
                raise RemoteError(
                    "the newsletter template is refused: " + "; ".join(errors),
                    platform="mailchimp",
                    account=self.account.id,
                    field="template",
                )
            text["template"] = compiled
        return dataclasses.replace(base, text=text)

    def expected(self, desired: Desired, live: LiveState) -> Desired:
        template = desired.text.get("template")
        hosted = live.handles.get("header_url")
        if not isinstance(template, str) or PENDING not in template or hosted is None:
            return desired
        return dataclasses.replace(
            desired, text={**desired.text, "template": _point_at(template, hosted)}
        )

    def normalise(self, field: str, value: t.Any) -> t.Any:
        # the live template is read as a fingerprint (its HTML cannot be read back): compare ours so
        if field == "template" and isinstance(value, str) and value.lstrip().startswith("<"):
            return mailchimp_template.fingerprint(value)
        return value

    # -- writing -----------------------------------------------------------------------------------
    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        name = header_name(data, Path(filename).suffix)
        if self._header_file(name) is None:
            body = {"name": name, "file_data": base64.b64encode(data).decode()}
            self._create_once(
                lambda: self.client.fileManager.upload(body), lambda: self._header_file(name), field
            )
        self._one(self._header_files(name), self.client.fileManager.delete_file)

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        if "template" in fields:
            html = str(fields["template"])
            if PENDING in html:  # the header was uploaded just before: point at its hosted URL
                name = html.split(PENDING, 1)[1].split('"', 1)[0]
                hosted = self._header_file(name)
                if hosted is None:
                    raise RemoteError(
                        msg("the header image is not in the File Manager yet"),
                        platform="mailchimp",
                        account=self.account.id,
                        field="header",
                    )
                html = _point_at(html, hosted["full_size_url"])
            kind = live.handles.get("template_kind", "")
            if kind in ("multichannel", "drag-and-drop"):
                editor = "new builder" if kind == "multichannel" else "drag-and-drop editor"
                raise RemoteError(
                    msg(
                        "a template named {template_name} exists, made with Mailchimp's {editor}; "
                        "the API writes classic HTML templates only and brandkit will not "
                        "overwrite it: rename it in Mailchimp, or give this account another "
                        "template_name",
                        template_name=f"{self.template_name!r}",
                        editor=editor,
                    ),
                    platform="mailchimp",
                    account=self.account.id,
                    field="template",
                )
            html = mailchimp_template.stamp(html, self._server_time())
            template_id = live.handles.get("template_id")
            if template_id is None:
                # a create whose answer was lost (and is now retried) may have made it: look first,
                # or two templates of the same name are left behind
                found = self._find_template()
                template_id = str(found["id"]) if found is not None else None
            if template_id is None:
                self._create_once(
                    lambda: self.client.templates.create(
                        {"name": self.template_name, "html": html}
                    ),
                    self._find_template,
                    "template",
                )
                found = self._find_template()
                template_id = str(found["id"]) if found is not None else None
            if template_id is not None:
                self._call(
                    lambda: self.client.templates.update_template(template_id, {"html": html}),
                    field="template",
                )
                self._one(self._templates(), self.client.templates.delete_template)
        audience_fields = {k: v for k, v in fields.items() if k != "template"}
        if audience_fields:
            current = self._call(
                lambda: self.client.lists.get_list(self.audience_id), field="audience"
            )
            defaults = dict(current.get("campaign_defaults") or {})
            contact = dict(current.get("contact") or {})
            for key, value in audience_fields.items():
                (contact if key in CONTACT_FIELDS else defaults)[key] = value
            body = {"campaign_defaults": defaults, "contact": contact}
            self._call(
                lambda: self.client.lists.update_list(self.audience_id, body),
                field=",".join(audience_fields),
            )


# Mailchimp's list language codes: the ISO 639-1 language, and three regional variants (its
# "Language codes" list; docs/platforms.md)
_MAILCHIMP_REGIONAL = {"fr_CA", "pt_PT", "es_ES"}


def mailchimp_language(tag: str) -> str:
    """A BCP 47 tag as Mailchimp's ``campaign_defaults.language``: ``fr-FR`` -> ``fr``,
    ``fr-CA`` -> ``fr_CA``."""
    parts = tag.replace("_", "-").split("-")
    regional = f"{parts[0].lower()}_{parts[1].upper()}" if len(parts) > 1 else ""
    return regional if regional in _MAILCHIMP_REGIONAL else parts[0].lower()


def header_name(data: bytes, suffix: str) -> str:
    """The File Manager name of a header image: its content hash, so an upload is found again."""
    return f"brandkit-header-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


def _point_at(html: str, hosted_url: str) -> str:
    name = html.split(PENDING, 1)[1].split('"', 1)[0]
    return html.replace(PENDING + name, hosted_url)


ADAPTER = MailchimpAdapter
