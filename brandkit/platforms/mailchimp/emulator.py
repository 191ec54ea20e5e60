"""Mailchimp Marketing API v3 (/3.0/...): ping, templates, File Manager files, audiences.

Errors are problem documents (type, title, status, detail, instance, errors[]), served as
``application/problem+json`` like the live API, which mailchimp-marketing 3.0.80 hands back as
a *string*. More than 10 simultaneous connections for one key are refused with 429.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import hashlib
import json
import re
import secrets
import threading
import time
import typing as t

from brandkit.platforms.mailchimp.settings import Settings
from brandkit.sandbox.audience import DAY, Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.images import NotAnImage, reencode
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["MailchimpAPI", "problem", "EMULATOR"]

MAX_CONNECTIONS = 10
TEMPLATE_NAME_BYTES = 50
_DOC = "https://mailchimp.com/developer/marketing/docs/errors/"


def problem(
    status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, t.Any] = {
        "type": _DOC,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": secrets.token_hex(16),
    }
    if errors:
        body["errors"] = errors
    return json_response(status, body, "application/problem+json; charset=utf-8")


def _now(at: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(at))


_MC_EDIT = re.compile(r'<(\w+)\b[^>]*\bmc:edit="([^"]+)"[^>]*>(.*?)</\1>', re.DOTALL)


_TITLES = {
    400: "Bad Request",
    401: "API Key Invalid",
    403: "Forbidden",
    404: "Resource Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class MailchimpAPI(PlatformAPI):
    platform = "mailchimp"
    prefixes = ("/3.0/", "/mc/")
    empty_state: t.ClassVar[dict[str, t.Any]] = {
        "keys": {},
        "lists": {},
        "templates": {},
        "files": {},
        "next_id": 1000,
    }

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._active: dict[str, int] = {}
        self._lock = threading.Lock()
        self.max_connections = MAX_CONNECTIONS

    def add_account(
        self,
        api_key: str,
        *,
        audience_id: str,
        audience_name: str = "Newsletter",
        access_token: str | None = None,
        **list_fields: t.Any,
    ) -> dict[str, t.Any]:
        with self.state.edit() as data:
            mc = data["mailchimp"]
            mc["keys"][api_key] = {"audiences": [audience_id]}
            if access_token:
                mc["keys"][access_token] = {"audiences": [audience_id]}
            audience = mc["lists"].setdefault(
                audience_id,
                {
                    "id": audience_id,
                    "web_id": 1000 + len(mc["lists"]),
                    "name": audience_name,
                    # a real audience cannot be created without these (Mailchimp asks for
                    # them when the audience is made): never blank here either
                    "contact": {
                        "company": audience_name,
                        "address1": "1 Sandbox Street",
                        "address2": "",
                        "city": "Springfield",
                        "state": "",
                        "zip": "00000",
                        "country": "US",
                        "phone": "",
                    },
                    "permission_reminder": "You signed up for updates on our website.",
                    "use_archive_bar": True,
                    "campaign_defaults": {
                        "from_name": audience_name,
                        "from_email": f"newsletter@{audience_id.lower()}.sandbox.example",
                        "subject": "",
                        "language": "en",
                    },
                    "notify_on_subscribe": "",
                    "notify_on_unsubscribe": "",
                    "date_created": _now(),
                    "list_rating": 0,
                    "email_type_option": False,
                    "visibility": "prv",
                    "double_optin": False,
                    "owner": api_key,
                },
            )
            for key, value in list_fields.items():
                if isinstance(value, dict) and isinstance(audience.get(key), dict):
                    audience[key].update(value)
                else:
                    audience[key] = value
            return copy.deepcopy(audience)

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        return self.add_account(**fields)

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        key = credentials.get("api_key") or credentials.get("access_token") or ""
        self.add_account(
            key,
            audience_id=Settings.of(account.options).audience_id,
            audience_name=brand.identity.name,
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_MAILCHIMP_URL": f"{base_url}/3.0"}

    def describe(self, base_url: str) -> str:
        return f'Mailchimp        {base_url}/3.0/      client.api_client.host = "{base_url}/3.0"'

    def add_demo_account(self) -> str:
        key = "sandbox0000000000000000000000000000-us1"
        self.add_account(key, audience_id="demo0001")
        return f"mailchimp audience demo0001: api key {key}"

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        response = problem(status, _TITLES.get(status, "Error"), "Fault injected by the sandbox.")
        if fault.retry_after is not None:
            response.headers["Retry-After"] = str(fault.retry_after)
        return response

    def enter(self, req: Request) -> Response | t.Callable[[], None] | None:
        if req.path.startswith("/mc/files/"):  # hosted files are not API calls
            return None
        taken = self.acquire(req)
        if isinstance(taken, Response):
            return taken
        return lambda: self.release(taken)

    # -- auth and concurrency --------------------------------------------------------------
    def _key(self, req: Request) -> str | None:
        auth = req.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                user_pass = base64.b64decode(auth[6:]).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
            return user_pass.split(":", 1)[1] if ":" in user_pass else None
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        return None

    def acquire(self, req: Request) -> str | Response:
        """Check the key and take one of its connection slots (held for the whole request)."""
        key = self._key(req)
        if key is None or key not in self.state.data["mailchimp"]["keys"]:
            return problem(
                401,
                "API Key Invalid",
                "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            )
        with self._lock:
            active = self._active.get(key, 0)
            if active >= self.max_connections:
                return problem(
                    429,
                    "Too Many Requests",
                    "You have exceeded the limit of 10 simultaneous connections.",
                )
            self._active[key] = active + 1
        return key

    def release(self, key: str) -> None:
        with self._lock:
            self._active[key] -= 1

    def handle(self, req: Request) -> Response:
        if req.path.startswith("/mc/files/"):
            return self._serve_file(req)
        key = self._key(req) or ""
        return self._route(req, key)

    def _route(self, req: Request, key: str) -> Response:
        path = req.path[len("/3.0") :].rstrip("/")
        m = req.method
        if path == "/ping" and m == "GET":
            return json_response(200, {"health_status": "Everything's Chimpy!"})
        if path == "/templates":
            return (
                self._list_templates(req)
                if m == "GET"
                else self._create_template(req)
                if m == "POST"
                else self._405()
            )
        if match := re.fullmatch(r"/templates/(\d+)/default-content", path):
            return self._default_content(req, match.group(1)) if m == "GET" else self._405()
        if match := re.fullmatch(r"/templates/(\d+)", path):
            tid = match.group(1)
            if m == "GET":
                return self._get_template(req, tid)
            if m == "PATCH":
                return self._update_template(req, tid)
            if m == "DELETE":
                return self._delete_template(tid)
        if match := re.fullmatch(r"/file-manager/files/(\d+)", path):
            return self._delete_file(match.group(1)) if m == "DELETE" else self._405()
        if path == "/file-manager/files":
            return (
                self._list_files(req)
                if m == "GET"
                else self._upload(req)
                if m == "POST"
                else self._405()
            )
        if match := re.fullmatch(r"/lists/([A-Za-z0-9]+)", path):
            lid = match.group(1)
            if lid not in self.state.data["mailchimp"]["keys"][key]["audiences"]:
                return problem(
                    404, "Resource Not Found", "The requested resource could not be found."
                )
            if m == "GET":
                return self._get_list(req, lid)
            if m == "PATCH":
                return self._patch_list(req, lid)
        if match := re.fullmatch(r"/lists/([A-Za-z0-9]+)/growth-history", path):
            lid = match.group(1)
            if lid in self.state.data["mailchimp"]["keys"][key]["audiences"] and m == "GET":
                return self._growth_history(req, lid)
        if path == "/campaigns" and m == "GET":
            return self._campaigns(req, key)
        if match := re.fullmatch(r"/reports/([A-Za-z0-9]+)", path):
            if m == "GET":
                return self._report(req, key, match.group(1))
        return problem(404, "Resource Not Found", "The requested resource could not be found.")

    def _405(self) -> Response:
        return problem(
            405, "Method Not Allowed", "The requested method and resource are not compatible."
        )

    # -- templates ----------------------------------------------------------------------------
    def _template_json(self, tpl: dict[str, t.Any]) -> dict[str, t.Any]:
        # as in Mailchimp's OpenAPI (TemplateInstance): the HTML is never given back
        return {k: v for k, v in tpl.items() if k != "html"}

    def add_template(
        self, name: str, html: str, *, content_type: str = "template", drag_and_drop: bool = False
    ) -> dict[str, t.Any]:
        """A template made in Mailchimp's own editor (``multichannel``: the new builder)."""
        with self.state.edit() as data:
            tpl = self._new_template(data["mailchimp"], name, html)
            tpl.update(content_type=content_type, drag_and_drop=drag_and_drop)
            return dict(tpl)

    def edit_by_hand(
        self, template_id: int | str, html: str, *, edited_at: float | None = None
    ) -> None:
        """Someone edits a template's code in Mailchimp (``edited_at``: when, default now)."""
        with self.state.edit() as data:
            tpl = data["mailchimp"]["templates"][str(template_id)]
            tpl["html"] = html
            tpl["date_edited"] = _now(edited_at)
            tpl["edited_by"] = "someone@example.com"

    def _default_content(self, req: Request, tid: str) -> Response:
        tpl = self.state.data["mailchimp"]["templates"].get(tid)
        if tpl is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        # the editable regions (mc:edit) of a classic template, each with its content
        sections = {m.group(2): m.group(3) for m in _MC_EDIT.finditer(tpl["html"])}
        links = [
            {
                "rel": "self",
                "href": f"{req.base_url}/3.0/templates/{tid}/default-content",
                "method": "GET",
            }
        ]
        return json_response(200, {"sections": sections, "_links": links})

    def _check_template(self, body: t.Any, creating: bool) -> Response | None:
        if not isinstance(body, dict):
            return problem(
                400, "Invalid Resource", "The resource submitted could not be validated."
            )
        errors = []
        for field in ("name", "html"):
            if creating and not body.get(field):
                errors.append({"field": field, "message": "This value should not be blank."})
        name = body.get("name")
        if isinstance(name, str) and len(name.encode("utf-8")) > TEMPLATE_NAME_BYTES:
            errors.append(
                {
                    "field": "name",
                    "message": f"This value is too long. It should have {TEMPLATE_NAME_BYTES} "
                    "characters or less.",
                }
            )
        if errors:
            return problem(
                400,
                "Invalid Resource",
                "The resource submitted could not be validated. "
                "For field-specific details, see the 'errors' array.",
                errors,
            )
        return None

    def _list_templates(self, req: Request) -> Response:
        q = req.query
        templates = sorted(
            self.state.data["mailchimp"]["templates"].values(), key=lambda x: int(x["id"])
        )
        if q.get("type"):
            templates = [x for x in templates if x["type"] == q["type"]]
        offset, count = int(q.get("offset", 0)), min(int(q.get("count", 10)), 1000)
        page = [self._template_json(x) for x in templates[offset : offset + count]]
        return json_response(200, {"templates": page, "total_items": len(templates)})

    def _create_template(self, req: Request) -> Response:
        body = req.json()
        bad = self._check_template(body, True)
        if bad:
            return bad
        with self.state.edit() as data:
            tpl = self._new_template(data["mailchimp"], body["name"], body["html"])
            tpl["folder_id"] = str(body.get("folder_id", ""))
            return json_response(200, self._template_json(tpl))

    @staticmethod
    def _new_template(mc: dict[str, t.Any], name: str, html: str) -> dict[str, t.Any]:
        tid = str(mc["next_id"])
        mc["next_id"] += 1
        tpl = mc["templates"][tid] = {
            "id": int(tid),
            "type": "user",
            "name": name,
            "drag_and_drop": False,
            "responsive": True,
            "category": "",
            "date_created": _now(),
            "date_edited": _now(),
            "created_by": "brandkit sandbox",
            "edited_by": "brandkit sandbox",
            "active": True,
            "folder_id": "",
            "thumbnail": "",
            "share_url": "",
            "content_type": "template",
            "html": html,
        }
        return tpl

    def _get_template(self, req: Request, tid: str) -> Response:
        tpl = self.state.data["mailchimp"]["templates"].get(tid)
        if tpl is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        return json_response(200, self._template_json(tpl))

    def _update_template(self, req: Request, tid: str) -> Response:
        body = req.json()
        bad = self._check_template(body, False)
        if bad:
            return bad
        with self.state.edit() as data:
            tpl = data["mailchimp"]["templates"].get(tid)
            if tpl is None:
                return problem(
                    404, "Resource Not Found", "The requested resource could not be found."
                )
            for field in ("name", "html", "folder_id"):
                if field in body:
                    tpl[field] = body[field]
            tpl["date_edited"] = _now()
            tpl["edited_by"] = "brandkit sandbox"
            return json_response(200, self._template_json(tpl))

    def _delete_template(self, tid: str) -> Response:
        # Mailchimp keeps a deleted user template, marked inactive (it still lists it)
        with self.state.edit() as data:
            tpl = data["mailchimp"]["templates"].get(tid)
            if tpl is None or tpl.get("active") is False:
                return problem(
                    404, "Resource Not Found", "The requested resource could not be found."
                )
            tpl["active"] = False
        return Response(204, b"", {})

    # -- file manager ---------------------------------------------------------------------------
    def _list_files(self, req: Request) -> Response:
        q = req.query
        files = sorted(self.state.data["mailchimp"]["files"].values(), key=lambda f: f["id"])
        offset, count = int(q.get("offset", 0)), min(int(q.get("count", 10)), 1000)
        total = sum(f["size"] for f in files)
        page = [
            dict(f, full_size_url=f"{req.base_url}/mc/files/{f['id']}/{f['name']}")
            for f in files[offset : offset + count]
        ]
        return json_response(
            200, {"files": page, "total_file_size": total, "total_items": len(files)}
        )

    def _delete_file(self, fid: str) -> Response:
        with self.state.edit() as data:
            files = data["mailchimp"]["files"]
            key = next((k for k, f in files.items() if str(f["id"]) == fid), None)
            if key is None:
                return problem(
                    404, "Resource Not Found", "The requested resource could not be found."
                )
            del files[key]
        return Response(204, b"", {})

    def _upload(self, req: Request) -> Response:
        body = req.json()
        if not isinstance(body, dict) or not body.get("name") or not body.get("file_data"):
            errors = [
                {"field": f, "message": "This value should not be blank."}
                for f in ("name", "file_data")
                if not (isinstance(body, dict) and body.get(f))
            ]
            return problem(
                400, "Invalid Resource", "The resource submitted could not be validated.", errors
            )
        try:
            raw = base64.b64decode(body["file_data"], validate=True)
        except (binascii.Error, ValueError):
            return problem(
                400,
                "Invalid Resource",
                "file_data must be base64.",
                [{"field": "file_data", "message": "This value is not valid base64."}],
            )
        if len(raw) > 10 * 1024 * 1024:
            return problem(
                400,
                "Invalid Resource",
                "The file is larger than 10 MB.",
                [{"field": "file_data", "message": "File size exceeds 10 MB."}],
            )
        try:
            _, (w, h) = reencode(raw)  # validates it is an image; the original bytes are kept
        except NotAnImage:
            return problem(
                400,
                "Invalid Resource",
                "The file could not be read as an image.",
                [{"field": "file_data", "message": "Unsupported file type."}],
            )
        with self.state.edit() as data:
            mc = data["mailchimp"]
            fid = mc["next_id"]
            mc["next_id"] += 1
        self.state.put_image(
            raw, "image/png" if raw[:4] == b"\x89PNG" else "image/jpeg", key=f"mcfile-{fid}"
        )
        entry = {
            "id": fid,
            "folder_id": int(body.get("folder_id") or 0),
            "type": "image",
            "name": body["name"],
            "size": len(raw),
            "width": w,
            "height": h,
            "created_at": _now(),
            "created_by": "brandkit sandbox",
        }
        with self.state.edit() as data:
            data["mailchimp"]["files"][str(fid)] = entry
        full = f"{req.base_url}/mc/files/{fid}/{body['name']}"
        return json_response(200, dict(entry, full_size_url=full, thumbnail_url=full))

    def _serve_file(self, req: Request) -> Response:
        m = re.match(r"^/mc/files/(\d+)/", req.path)
        found = self.state.get_image(f"mcfile-{m.group(1)}") if m else None
        if found is None:
            return Response(404, b"", {"Content-Type": "text/plain"})
        return Response(200, found[0], {"Content-Type": found[1]})

    # -- audiences -----------------------------------------------------------------------------
    def _get_list(self, req: Request, lid: str) -> Response:
        audience = {
            k: v for k, v in self.state.data["mailchimp"]["lists"][lid].items() if k != "owner"
        }
        audience["stats"] = self._list_stats(lid)
        return json_response(200, audience)

    # -- audience figures (GET /lists/{id} stats, /lists/{id}/growth-history, /reports/{id}) --
    def _list_stats(self, lid: str) -> dict[str, t.Any]:
        now = clock(self.state.data)
        day = day_of(now)
        figures = Audience("mailchimp", lid)
        sent = (day - day % 7 - 2) * DAY + 9 * 3600  # a campaign every week, sent at 09:00
        return {
            "member_count": figures.total("members", day),
            "unsubscribe_count": figures.total("unsubscribed", day) // 20,
            "cleaned_count": figures.total("cleaned", day) // 40,
            "member_count_since_send": figures.total("members", day)
            - figures.total("members", day_of(sent)),
            "unsubscribe_count_since_send": 0,
            "cleaned_count_since_send": 0,
            "campaign_count": max(1, (day - 20_000) // 7),
            "campaign_last_sent": _now(sent),
            "merge_field_count": 2,
            "avg_sub_rate": float(figures.daily("subs", day) // 10),
            "avg_unsub_rate": 1.0,
            "target_sub_rate": 3.0,
            "open_rate": figures.rate("open_rate"),
            "click_rate": figures.rate("click_rate"),
            "last_sub_date": _now(now - 3600),
            "last_unsub_date": _now(now - 86_400),
        }

    def last_campaign_id(self, lid: str) -> str:
        sent_day = day_of(clock(self.state.data))
        sent_day -= sent_day % 7
        return hashlib.sha256(f"{lid}/{sent_day}".encode()).hexdigest()[:10]

    def _report(self, req: Request, key: str, cid: str) -> Response:
        for lid in self.state.data["mailchimp"]["keys"][key]["audiences"]:
            if cid == self.last_campaign_id(lid):
                stats = self._list_stats(lid)
                sent = stats["member_count"] - stats["member_count_since_send"]
                opens = round(sent * stats["open_rate"] / 100)
                clicks = round(sent * stats["click_rate"] / 100)
                return json_response(
                    200,
                    {
                        "id": cid,
                        "campaign_title": "Weekly newsletter",
                        "type": "regular",
                        "list_id": lid,
                        "list_name": self.state.data["mailchimp"]["lists"][lid]["name"],
                        "subject_line": "This week",
                        "emails_sent": sent,
                        "abuse_reports": 0,
                        "unsubscribed": sent // 400,
                        "send_time": stats["campaign_last_sent"],
                        "opens": {
                            "opens_total": opens * 2,
                            "unique_opens": opens,
                            "open_rate": round(opens / sent, 4) if sent else 0,
                            "last_open": _now(clock(self.state.data) - 600),
                        },
                        "clicks": {
                            "clicks_total": clicks * 2,
                            "unique_clicks": clicks,
                            "unique_subscriber_clicks": clicks,
                            "click_rate": round(clicks / sent, 4) if sent else 0,
                            "last_click": _now(clock(self.state.data) - 900),
                        },
                    },
                )
        return problem(404, "Resource Not Found", "The requested resource could not be found.")

    def _campaigns(self, req: Request, key: str) -> Response:
        """``GET /campaigns?list_id=&status=sent&sort_field=send_time&sort_dir=DESC&count=1``: the
        last sent campaign with its ``report_summary`` (one a week per audience here)."""
        lid = req.query.get("list_id", "")
        if lid not in self.state.data["mailchimp"]["keys"][key]["audiences"]:
            return json_response(200, {"campaigns": [], "total_items": 0})
        report = json.loads(self._report(req, key, self.last_campaign_id(lid)).body)
        campaign = {
            "id": report["id"],
            "type": "regular",
            "status": "sent",
            "send_time": report["send_time"],
            "emails_sent": report["emails_sent"],
            "recipients": {"list_id": lid, "list_name": report["list_name"]},
            "settings": {"subject_line": report["subject_line"], "title": report["campaign_title"]},
            "report_summary": {
                "opens": report["opens"]["opens_total"],
                "unique_opens": report["opens"]["unique_opens"],
                "open_rate": report["opens"]["open_rate"],
                "clicks": report["clicks"]["clicks_total"],
                "subscriber_clicks": report["clicks"]["unique_subscriber_clicks"],
                "click_rate": report["clicks"]["click_rate"],
            },
        }
        return json_response(200, {"campaigns": [campaign], "total_items": 1})

    def _growth_history(self, req: Request, lid: str) -> Response:
        """Monthly rows, newest first, as ``GET /lists/{id}/growth-history`` gives them."""
        day = day_of(clock(self.state.data))
        figures = Audience("mailchimp", lid)
        months = []
        first = dt.date.fromtimestamp(day * DAY).replace(day=1)
        for back in range(int(req.query.get("count", "10") or 10)):
            month = (first - dt.timedelta(days=31 * back)).replace(day=1)
            end = min(
                day,
                (dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC).timestamp() // DAY) + 30,
            )
            months.append(
                {
                    "list_id": lid,
                    "month": month.strftime("%Y-%m"),
                    "existing": figures.total("members", int(end)),
                    "imports": 0,
                    "optins": figures.daily("subs", int(end)) // 5,
                    "subscribed": figures.total("members", int(end)),
                    "unsubscribed": figures.total("unsubscribed", int(end)) // 20,
                    "cleaned": figures.total("cleaned", int(end)) // 40,
                }
            )
        return json_response(200, {"history": months, "list_id": lid, "total_items": len(months)})

    def _patch_list(self, req: Request, lid: str) -> Response:
        body = req.json()
        if not isinstance(body, dict):
            return problem(
                400, "Invalid Resource", "The resource submitted could not be validated."
            )
        errors = []
        defaults = body.get("campaign_defaults")
        if (
            isinstance(defaults, dict)
            and "from_email" in defaults
            and "@" not in str(defaults["from_email"])
        ):
            errors.append(
                {
                    "field": "campaign_defaults.from_email",
                    "message": "This value is not a valid email address.",
                }
            )
        if errors:
            return problem(
                400,
                "Invalid Resource",
                "The resource submitted could not be validated. "
                "For field-specific details, see the 'errors' array.",
                errors,
            )
        with self.state.edit() as data:
            audience = data["mailchimp"]["lists"][lid]
            for key, value in body.items():
                if key in ("id", "web_id", "date_created", "owner"):
                    continue
                if isinstance(value, dict) and isinstance(audience.get(key), dict):
                    audience[key].update(value)
                else:
                    audience[key] = value
            out = {k: v for k, v in audience.items() if k != "owner"}
        return json_response(200, out)


EMULATOR = MailchimpAPI
