"""Bluesky (AT Protocol XRPC, ``/xrpc/…``): a PDS holding each account's repository, as the
reference PDS answers (bluesky-social/atproto: lexicons and packages/pds; docs/platforms.md).

- ``com.atproto.server.createSession`` with the handle and an app password gives ``accessJwt``
  (sent as ``Authorization: Bearer``) and the account's ``did``; 30 per 5 minutes per account.
- The profile is the record ``app.bsky.actor.profile``/``self``: ``getRecord`` gives
  ``{uri, cid, value}`` (400 ``RecordNotFound`` for an account that never saved one);
  ``putRecord`` replaces the whole record and, given ``swapRecord``, refuses with 400
  ``InvalidSwap`` when the record's CID is no longer that one (a concurrent edit); ``swapRecord:
  null`` means "only if there is none yet". Records are checked against the lexicon:
  ``displayName`` ≤ 64 graphemes (640 bytes), ``description`` ≤ 256 (2,560 bytes), ``avatar`` and
  ``banner`` blobs PNG or JPEG of at most 1,000,000 bytes.
- ``uploadBlob`` stores the bytes as they are (the PDS never re-encodes; the app's CDN does, for
  display) and answers a blob ref; ``com.atproto.sync.getBlob`` gives them back.
- ``app.bsky.actor.getProfile`` (answered by the AppView through the PDS) gives the counts.
- Errors are ``{"error": Name, "message": text}``; rate-limit headers ``RateLimit-Limit``,
  ``-Remaining``, ``-Reset`` (epoch seconds) and ``-Policy`` ("3000;w=300").

- The network (bluesky-social/atproto, docs/platforms.md): accounts live on many PDS hosts. The
  entryway (``/xrpc/``, as bsky.social) signs in the accounts of Bluesky's own hosts and answers
  ``createSession`` with the account's ``didDoc``, whose ``#atproto_pds`` service names the host
  that keeps the repository (here ``/pds/<host>/xrpc/``); a self-hosted account's handle resolves
  (``com.atproto.identity.resolveHandle``) to a DID whose document (``/plc/<did>``, the PLC
  directory, or ``/.well-known/did.json`` for ``did:web``) names its own PDS. ``sync.getBlob``
  serves only the blobs of repositories the host keeps (``assertRepoAvailability``: 400
  ``RepoNotFound`` "Could not find repo for DID"); the entryway keeps none.
- Access tokens expire (400 ``ExpiredToken``, "Token has expired"); ``refreshSession`` with the
  refresh token gives a new pair and revokes the old refresh token. createSession is limited to
  30 per 5 minutes and 300 a day per account.
- ``uploadBlob`` sniffs the type from the bytes (the label counts only when the bytes say
  nothing), so a WebP labelled image/jpeg is stored as image/webp and the profile refuses it.

Divergences (docs/sandbox.md): CIDs are shaped like real ones (CIDv1, base32, sha-256) but hash
the record's JSON rather than its DAG-CBOR; access tokens are opaque, not JWTs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import threading
import time
import typing as t
import urllib.parse

from brandkit.platforms.bluesky.settings import Settings
from brandkit.sandbox.audience import Audience, clock, day_of
from brandkit.sandbox.base import PlatformAPI
from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response, json_response
from brandkit.sandbox.state import SandboxState
from brandkit.spec.graphemes import count_graphemes

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["BlueskyAPI", "EMULATOR"]

PROFILE = "app.bsky.actor.profile"
MAX_BLOB = 1_000_000
TEXT_LIMITS = {"displayName": (64, 640), "description": (256, 2560)}  # graphemes, bytes
WINDOW = 300
PER_WINDOW = {"createSession": 30, "default": 3000}
SESSIONS_PER_DAY = 300
# the hosts of Bluesky's own network, whose accounts sign in at the entryway (bsky.social)
NETWORK_HOSTS = ("morel", "shiitake")
DEFAULT_HOST = "morel"


def _error(status: int, name: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return json_response(status, {"error": name, "message": message}, headers=headers)


def _cid(data: bytes, codec: int) -> str:
    """A CIDv1 (base32, sha2-256) for ``data``: codec 0x55 raw (blobs), 0x71 dag-cbor."""
    digest = hashlib.sha256(data).digest()
    raw = bytes([0x01, codec, 0x12, 0x20]) + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def _record_cid(record: dict[str, t.Any]) -> str:
    return _cid(json.dumps(record, sort_keys=True, separators=(",", ":")).encode(), 0x71)


def _mime(data: bytes) -> str | None:
    """The type the bytes say they are, as the PDS sniffs it (file-type)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return None


class BlueskyAPI(PlatformAPI):
    platform = "bluesky"
    prefixes = ("/xrpc/", "/pds/", "/plc/", "/.well-known/did.json")
    empty_state: t.ClassVar[dict[str, t.Any]] = {
        "accounts": {},
        "sessions": {},
        "refresh": {},
        "expired": [],
    }

    def __init__(self, state: SandboxState) -> None:
        super().__init__(state)
        self._calls: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()
        # the app's edits to make just before the next putRecord of an account: a concurrent
        # edit between brandkit's read and its write, on purpose (tests)
        self._between: dict[str, dict[str, t.Any]] = {}

    # -- accounts -----------------------------------------------------------------------------
    def add_account(
        self,
        handle: str,
        *,
        app_password: str,
        display_name: str = "",
        pds: str = DEFAULT_HOST,
        did: str | None = None,
    ) -> str:
        """An account kept by the PDS host ``pds`` (one of NETWORK_HOSTS: Bluesky's own, signed
        in at the entryway; any other name: a self-hosted PDS). ``did`` may be a did:web."""
        did = did or "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
        with self.state.edit() as data:
            accounts = data["bluesky"]["accounts"]
            if did not in accounts:
                accounts[did] = {
                    "handle": handle,
                    "pds": pds,
                    "passwords": [],
                    "profile": None,  # a new account has no profile record until it saves one
                    "cid": None,
                    "blobs": {},
                    "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                }
                if display_name:
                    record = {"$type": PROFILE, "displayName": display_name}
                    accounts[did]["profile"], accounts[did]["cid"] = record, _record_cid(record)
            if app_password not in accounts[did]["passwords"]:
                accounts[did]["passwords"].append(app_password)
        return did

    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        password = fields.pop("app_password", None) or "-".join(
            secrets.token_hex(2) for _ in range(4)
        )
        did = self.add_account(app_password=password, **fields)
        return {"did": did, "app_password": password}

    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        # as the app leaves a new account: the name typed at sign-up, no bio, no pictures
        self.add_account(
            Settings.of(account.options).handle,
            app_password=credentials["app_password"],
            display_name=brand.identity.name[:64],
        )

    def env(self, base_url: str) -> dict[str, str]:
        return {"BRANDKIT_BLUESKY_URL": base_url, "BRANDKIT_BLUESKY_PLC_URL": f"{base_url}/plc"}

    def describe(self, base_url: str) -> str:
        return f"Bluesky          {base_url}/xrpc/      Authorization: Bearer <accessJwt>"

    def add_demo_account(self) -> str:
        password = "sand-box0-demo-pass"
        self.add_account("brandkit-demo.bsky.social", app_password=password)
        return f"bluesky   brandkit-demo.bsky.social: app password {password}"

    def expire_sessions(self, handle: str) -> None:
        """Let the account's access tokens run out (as after two hours)."""
        with self.state.edit() as data:
            sky = data["bluesky"]
            expired = sky.setdefault("expired", [])
            for token, did in list(sky["sessions"].items()):
                if sky["accounts"][did]["handle"] == handle:
                    expired.append(token)
                    del sky["sessions"][token]

    def edit_between_read_and_write(self, handle: str, changes: dict[str, t.Any]) -> None:
        """Make the app change the profile just before brandkit's next ``putRecord``."""
        self._between[handle] = changes

    def edit_profile(self, handle: str, changes: dict[str, t.Any]) -> None:
        """An edit made in the app: the record changes, and so does its CID."""
        with self.state.edit() as data:
            account = next(a for a in data["bluesky"]["accounts"].values() if a["handle"] == handle)
            record = dict(account["profile"] or {"$type": PROFILE})
            record.update(changes)
            account["profile"], account["cid"] = record, _record_cid(record)

    def fault_response(self, fault: Fault, path: str) -> Response:
        status = fault.status or 500
        headers = {}
        if fault.retry_after is not None:
            headers["RateLimit-Reset"] = str(int(time.time() + fault.retry_after))
            headers["RateLimit-Remaining"] = "0"
        names = {429: "RateLimitExceeded", 503: "UpstreamFailure"}
        words = {429: "Rate Limit Exceeded", 503: "Service Unavailable"}
        name = names.get(status, "InternalServerError")
        return _error(status, name, words.get(status, "Internal Server Error"), headers)

    # -- requests -------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        if req.path.startswith("/plc/"):
            return self._did_document(req, urllib.parse.unquote(req.path.removeprefix("/plc/")))
        if req.path == "/.well-known/did.json":  # did:web: the document of this host's account
            site = req.base_url.split("://", 1)[1].replace(":", "%3A")
            return self._did_document(req, f"did:web:{site}")
        host: str | None = None  # None: the entryway
        method = req.path.removeprefix("/xrpc/")
        if req.path.startswith("/pds/"):
            host, _, rest = req.path.removeprefix("/pds/").partition("/")
            if not rest.startswith("xrpc/"):
                return _error(404, "NotFound", "Not Found")
            method = rest.removeprefix("xrpc/")
        if method == "com.atproto.sync.getBlob" and req.method == "GET":
            return self._get_blob(req, host)
        if method == "com.atproto.identity.resolveHandle" and req.method == "GET":
            return self._resolve_handle(req)
        if method == "com.atproto.server.createSession" and req.method == "POST":
            return self._create_session(req, host)
        if method == "com.atproto.server.refreshSession" and req.method == "POST":
            return self._refresh_session(req, host)
        token = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        sky = self.state.data["bluesky"]
        if token in sky.get("expired", ()):
            return _error(400, "ExpiredToken", "Token has expired")
        did = sky["sessions"].get(token)
        if did is None or host not in (None, sky["accounts"][did].get("pds", DEFAULT_HOST)):
            return _error(401, "InvalidToken", "Token could not be verified")
        limited = self._rate(did, "default")
        if isinstance(limited, Response):
            return limited
        routes: dict[tuple[str, str], t.Callable[[Request, str], Response]] = {
            ("GET", "com.atproto.repo.getRecord"): self._get_record,
            ("POST", "com.atproto.repo.putRecord"): self._put_record,
            ("POST", "com.atproto.repo.uploadBlob"): self._upload_blob,
            ("GET", "app.bsky.actor.getProfile"): self._get_profile,
        }
        route = routes.get((req.method, method))
        if route is None:
            response = _error(501, "MethodNotImplemented", f"Method Not Implemented: {method}")
        else:
            response = route(req, did)
        response.headers.update(limited)
        return response

    def _host_of(self, did: str) -> str:
        return str(self._account(did).get("pds", DEFAULT_HOST))

    def _did_document(self, req: Request, did: str) -> Response:
        """The account's DID document, as the PLC directory (or a did:web host) serves it."""
        accounts = self.state.data["bluesky"]["accounts"]
        if did not in accounts:
            return json_response(404, {"message": f"DID not registered: {did}"})
        account = accounts[did]
        document = {
            "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1",
            ],
            "id": did,
            "alsoKnownAs": [f"at://{account['handle']}"],
            "verificationMethod": [
                {
                    "id": f"{did}#atproto",
                    "type": "Multikey",
                    "controller": did,
                    "publicKeyMultibase": "zQ3sh" + hashlib.sha256(did.encode()).hexdigest()[:40],
                }
            ],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": f"{req.base_url}/pds/{self._host_of(did)}",
                }
            ],
        }
        return json_response(200, document)

    def _resolve_handle(self, req: Request) -> Response:
        handle = req.query.get("handle", "").lower()
        accounts = self.state.data["bluesky"]["accounts"]
        did = next((d for d, a in accounts.items() if a["handle"] == handle), None)
        if did is None:
            return _error(400, "InvalidRequest", "Unable to resolve handle")
        return json_response(200, {"did": did})

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._calls.clear()

    def _rate(self, key: str, kind: str) -> dict[str, str] | Response:
        now = time.time()
        limit, window = (
            (SESSIONS_PER_DAY, 86_400) if kind == "createSessionDay" else (PER_WINDOW[kind], WINDOW)
        )
        with self._lock:
            calls = [c for c in self._calls.get((key, kind), []) if c > now - window]
            headers = {
                "RateLimit-Limit": str(limit),
                "RateLimit-Remaining": str(max(0, limit - len(calls) - 1)),
                "RateLimit-Reset": str(int((calls[0] if calls else now) + window)),
                "RateLimit-Policy": f"{limit};w={window}",
            }
            if len(calls) >= limit:
                return _error(429, "RateLimitExceeded", "Rate Limit Exceeded", headers)
            calls.append(now)
            self._calls[(key, kind)] = calls
        return headers

    def _account(self, did: str) -> dict[str, t.Any]:
        return t.cast(dict[str, t.Any], self.state.data["bluesky"]["accounts"][did])

    def _create_session(self, req: Request, host: str | None) -> Response:
        try:
            body = json.loads(req.body or b"{}")
            identifier, password = str(body["identifier"]), str(body["password"])
        except (ValueError, KeyError, TypeError):
            return _error(400, "InvalidRequest", 'Input must have the property "identifier"')
        accounts = self.state.data["bluesky"]["accounts"]
        did = (
            identifier
            if identifier in accounts
            else next((d for d, a in accounts.items() if a["handle"] == identifier.lower()), None)
        )
        # the entryway signs in the accounts of Bluesky's hosts; a PDS, the accounts it keeps
        if did is not None and self._host_of(did) not in (
            NETWORK_HOSTS if host is None else (host,)
        ):
            did = None
        limited = self._rate(did or identifier, "createSession")
        if isinstance(limited, Response):
            return limited
        daily = self._rate(did or identifier, "createSessionDay")
        if isinstance(daily, Response):
            return daily
        if did is None or password not in accounts[did]["passwords"]:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password", limited)
        return json_response(200, self._new_session(req, did), headers=limited)

    def _new_session(self, req: Request, did: str) -> dict[str, t.Any]:
        token, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.state.edit() as data:
            data["bluesky"]["sessions"][token] = did
            data["bluesky"].setdefault("refresh", {})[refresh] = did
        document = json.loads(self._did_document(req, did).body)
        return {
            "accessJwt": token,
            "refreshJwt": refresh,
            "handle": self._account(did)["handle"],
            "did": did,
            "didDoc": document,
            "active": True,
        }

    def _refresh_session(self, req: Request, host: str | None) -> Response:
        refresh = req.headers.get("authorization", "").removeprefix("Bearer ").strip()
        with self.state.edit() as data:
            did = data["bluesky"].setdefault("refresh", {}).pop(refresh, None)
        if did is None:
            return _error(400, "ExpiredToken", "Token has been revoked")
        return json_response(200, self._new_session(req, did))

    def _get_record(self, req: Request, did: str) -> Response:
        q = req.query
        repo = q.get("repo", "")
        target = (
            repo
            if repo.startswith("did:")
            else next(
                (
                    d
                    for d, a in self.state.data["bluesky"]["accounts"].items()
                    if a["handle"] == repo
                ),
                None,
            )
        )
        if target is None:
            return _error(400, "InvalidRequest", f"Could not find repo: {repo}")
        account = self._account(target)
        if q.get("collection") != PROFILE or q.get("rkey") != "self" or account["profile"] is None:
            uri = f"at://{target}/{q.get('collection')}/{q.get('rkey')}"
            return _error(400, "RecordNotFound", f"Could not locate record: {uri}")
        return json_response(
            200,
            {
                "uri": f"at://{target}/{PROFILE}/self",
                "cid": account["cid"],
                "value": account["profile"],
            },
        )

    def _upload_blob(self, req: Request, did: str) -> Response:
        data = req.body
        # the PDS sniffs the bytes; the label counts only when they say nothing. The record's
        # lexicon then limits what a profile accepts
        mime = _mime(data) or req.content_type or "application/octet-stream"
        if len(data) > 50 * 1024 * 1024:
            return _error(400, "BlobTooLarge", "This file is too large")
        cid = _cid(data, 0x55)
        self.state.put_image(data, mime, key=f"bluesky-{cid}")
        with self.state.edit() as state:
            state["bluesky"]["accounts"][did]["blobs"][cid] = {"mimeType": mime, "size": len(data)}
        blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(data)}
        return json_response(200, {"blob": blob})

    def _invalid(self, record: t.Any, blobs: dict[str, t.Any]) -> str | None:
        """What the lexicon refuses in a profile record, worded as the PDS words it."""
        if not isinstance(record, dict) or record.get("$type") != PROFILE:
            return "Invalid app.bsky.actor.profile record: Record/$type must be " + PROFILE
        for field, (graphemes, size) in TEXT_LIMITS.items():
            value = record.get(field)
            if value is None:
                continue
            if not isinstance(value, str):
                return f"Invalid app.bsky.actor.profile record: Record/{field} must be a string"
            if len(value.encode()) > size:
                return (
                    f"Invalid app.bsky.actor.profile record: Record/{field} must not be longer "
                    f"than {size} characters"
                )
            if count_graphemes(value) > graphemes:
                return (
                    f"Invalid app.bsky.actor.profile record: Record/{field} must not be longer "
                    f"than {graphemes} graphemes"
                )
        for field in ("avatar", "banner"):
            blob = record.get(field)
            if blob is None:
                continue
            cid = (blob.get("ref") or {}).get("$link") if isinstance(blob, dict) else None
            stored = blobs.get(cid) if cid else None
            if stored is None:
                return f"Could not find blob: {cid}"
            if stored["mimeType"] not in ("image/png", "image/jpeg"):
                return (
                    f"Invalid app.bsky.actor.profile record: Record/{field} mimeType is not "
                    "accepted"
                )
            if stored["size"] > MAX_BLOB:
                return (
                    f"Invalid app.bsky.actor.profile record: Record/{field} file too large "
                    f"({stored['size']} bytes; max {MAX_BLOB})"
                )
        return None

    def _put_record(self, req: Request, did: str) -> Response:
        try:
            body = json.loads(req.body or b"{}")
        except ValueError:
            return _error(400, "InvalidRequest", "Request body is not JSON")
        if body.get("repo") not in (did, self._account(did)["handle"]):
            return _error(403, "InvalidRequest", "Can only update the repo of the session")
        if body.get("collection") != PROFILE or body.get("rkey") != "self":
            return _error(400, "InvalidRequest", "brandkit's sandbox keeps profiles only")
        handle = self._account(did)["handle"]
        if handle in self._between:  # the app saves first, as if at the same moment
            self.edit_profile(handle, self._between.pop(handle))
        account = self._account(did)
        problem = self._invalid(body.get("record"), account["blobs"])
        if problem:
            return _error(400, "InvalidRecord", problem)
        if "swapRecord" in body and body["swapRecord"] != account["cid"]:
            return _error(400, "InvalidSwap", f"Record was at {account['cid'] or 'null'}")
        record = body["record"]
        cid = _record_cid(record)
        with self.state.edit() as data:
            stored = data["bluesky"]["accounts"][did]
            stored["profile"], stored["cid"] = record, cid
        answer = {"uri": f"at://{did}/{PROFILE}/self", "cid": cid, "validationStatus": "valid"}
        return json_response(200, answer)

    def _get_blob(self, req: Request, host: str | None) -> Response:
        q = req.query
        did = q.get("did", "")
        # a host serves only the repositories it keeps; the entryway keeps none
        if did not in self.state.data["bluesky"]["accounts"] or self._host_of(did) != host:
            return _error(400, "RepoNotFound", f"Could not find repo for DID: {did}")
        found = self.state.get_image(f"bluesky-{q.get('cid', '')}")
        if found is None or q.get("cid") not in self._account(did)["blobs"]:
            return _error(400, "BlobNotFound", "Blob not found")
        return Response(200, found[0], {"Content-Type": found[1]})

    def _get_profile(self, req: Request, did: str) -> Response:
        actor = req.query.get("actor", "")
        accounts = self.state.data["bluesky"]["accounts"]
        target = (
            actor
            if actor in accounts
            else next((d for d, a in accounts.items() if a["handle"] == actor), None)
        )
        if target is None:
            return _error(400, "InvalidRequest", "Profile not found")
        account = accounts[target]
        record = account["profile"] or {}
        figures, day = Audience("bluesky", account["handle"]), day_of(clock(self.state.data))
        cdn = "https://cdn.bsky.app/img"

        def image(kind: str) -> str | None:
            blob = record.get(kind)
            if not isinstance(blob, dict):
                return None
            return f"{cdn}/{kind}/plain/{target}/{blob['ref']['$link']}@jpeg"

        view = {
            "did": target,
            "handle": account["handle"],
            "displayName": record.get("displayName", ""),
            "description": record.get("description", ""),
            "avatar": image("avatar"),
            "banner": image("banner"),
            "followersCount": figures.total("followers", day),
            "followsCount": figures.total("follows", day) // 12,
            "postsCount": figures.total("posts", day) // 4,
            "createdAt": account["created_at"],
            "indexedAt": account["created_at"],
            "labels": [],
        }
        return json_response(200, {k: v for k, v in view.items() if v is not None})


EMULATOR = BlueskyAPI
