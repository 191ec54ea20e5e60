"""Bluesky (AT Protocol XRPC over requests): the account's profile record.

The profile is the record ``app.bsky.actor.profile``/``self`` in the account's repository on its
PDS. Sign in with ``com.atproto.server.createSession`` (the handle and an app password); read with
``com.atproto.repo.getRecord`` (the record and its CID); upload images with
``com.atproto.repo.uploadBlob``; write with ``com.atproto.repo.putRecord``: the *whole* record,
read–modify–write, with ``swapRecord`` set to the CID read, so an edit made in the app between
brandkit's read and its write is refused by the PDS (``InvalidSwap``) instead of overwritten.
Fields brandkit does not own (``pinnedPost``, ``labels``, ``joinedViaStarterPack``, ``createdAt``…)
go back as they were read. Live images are the stored blobs (``com.atproto.sync.getBlob``): what
was uploaded, byte for byte, from the PDS that keeps the account's repository.

Where the account lives: Bluesky is many PDS hosts. ``createSession`` answers the account's DID
document, whose ``#atproto_pds`` service names the host that keeps the repository; every later
call goes there (as the official SDK's agent does). An account without a ``pds:`` setting whose
handle is not under bsky.social is first resolved: handle → DID (``resolveHandle``, which does the
DNS TXT ``_atproto`` and ``/.well-known/atproto-did`` lookups) → DID document (the PLC directory,
or ``/.well-known/did.json`` for did:web) → its PDS, where it signs in. One session per adapter:
an expired access token is refreshed (``refreshSession``), never signed in again from scratch,
since createSession is limited (30 per 5 minutes, 300 a day). docs/platforms.md has the sources.

Why requests and not the ``atproto`` SDK: the SDK (pydantic models of every lexicon) adds 72 MB
to an install and 1.2 s to each command's start (measured here, 1 December 2026), for five calls.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
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
    is_loopback,
    text_of,
)
from brandkit.adapters.jsonapi import Answer, Hints, JsonApi, send_json
from brandkit.errors import AdapterError, AuthError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.platforms.bluesky.settings import Settings
from brandkit.spec.model import Account

__all__ = ["BlueskyAdapter", "ConcurrentEditError", "ADAPTER"]

PROFILE = "app.bsky.actor.profile"
DEFAULT_PDS = "https://bsky.social"  # the entryway of Bluesky's own PDS hosts
PLC_DIRECTORY = "https://plc.directory"
MAX_BLOB = 1_000_000  # the profile lexicon's maxSize for avatar and banner
# methods called before there is a session (or to renew one): they never sign in first
SESSIONLESS = frozenset(
    {
        "com.atproto.server.createSession",
        "com.atproto.server.refreshSession",
        "com.atproto.identity.resolveHandle",
    }
)
AUTH_ERRORS = frozenset({"AuthenticationRequired", "InvalidToken", "ExpiredToken"})


class ConcurrentEditError(RemoteError):
    """The profile changed between brandkit's read and its write: nothing was overwritten."""


def _reset(headers: t.Mapping[str, str]) -> float | None:
    """Seconds until ``RateLimit-Reset`` (epoch seconds), as the PDS sends it."""
    value = headers.get("RateLimit-Reset", "")
    return max(0.0, float(value) - time.time()) if value.strip().isdigit() else None


def _said(answer: Answer) -> str:
    """XRPC errors are ``{"error": "Name", "message": "..."}``."""
    parts = [answer.document.get("error"), answer.document.get("message")]
    return ": ".join(p for p in parts if isinstance(p, str) and p)


def _swapped(answer: Answer, where: dict[str, t.Any]) -> AdapterError | None:
    if answer.document.get("error") != "InvalidSwap":
        return None
    return ConcurrentEditError(
        msg(
            "the profile was changed elsewhere (in the app?) after brandkit read it; "
            "nothing was overwritten: run again to compare with the new profile"
        ),
        status=answer.status,
        **where,
    )


# ``name`` becomes the host asked
HINTS = Hints(
    name="Bluesky",
    refused=N_(
        "{name} refused the sign-in ({said}): make an app password (Settings > Privacy and "
        "security > App passwords) and put it in {env_name}"
    ),
    failed=N_("{name} answered {status}"),
    rejected=N_("{name} answered {status}: {said}"),
    said=_said,
    wait=lambda answer: _reset(answer.headers),
    special=_swapped,
)


class BlueskyAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("followersCount", N_("Followers")),
        ("followsCount", N_("Following")),
        ("postsCount", N_("Posts")),
    )
    platform = "bluesky"
    SUPPORTS = frozenset({"displayName", "description", "avatar", "banner"})

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        self._password = credentials(account, env, ("app_password",))["app_password"]
        self.settings = Settings.of(account.options)
        self.handle = self.settings.handle.lower()
        self._named_pds = self.settings.pds
        # where to sign in; ``base`` becomes the PDS the DID document names
        self.entry = endpoints.url("bluesky", self._named_pds or DEFAULT_PDS)
        self.base = self.entry
        self.plc = endpoints.url("bluesky-plc", PLC_DIRECTORY)
        self.http = http_session(endpoints, session)
        self.reads = endpoints.reads
        self.api = JsonApi(
            self.http,
            self.entry,
            HINTS,
            {"platform": "bluesky", "account": account.id},
            timeout=endpoints.timeout,
            env_name=account.credential_env("app_password"),
        )
        self.did: str | None = None
        self._refresh_token: str | None = None
        # the record and CID as last read or written: the next write starts from them
        self._record: dict[str, t.Any] | None = None
        self._cid: str | None = None

    def close(self) -> None:
        super().close()
        self.http.close()

    # -- every XRPC call -------------------------------------------------------------------------
    def _call(
        self,
        http_method: str,
        method: str,
        *,
        field: str | None = None,
        base: str | None = None,
        renewed: bool = False,
        **kwargs: t.Any,
    ) -> t.Any:
        if self.did is None and method not in SESSIONLESS:
            self._sign_in()
        host = base or self.base
        found = self.api.answer(http_method, f"/xrpc/{method}", field=field, base=host, **kwargs)
        name = found.document.get("error")
        if name == "ExpiredToken" and method not in SESSIONLESS and not renewed:
            # access tokens last about two hours: renew the session and ask once more
            self._renew()
            return self._call(http_method, method, field=field, base=base, renewed=True, **kwargs)
        if found.status < 300 and isinstance(found.body, dict):
            return found.body
        if name in AUTH_ERRORS:
            found = dataclasses.replace(found, status=401)  # XRPC says these in a 400
        raise self.api.fail(found, field, name=host)

    def _sign_in(self) -> None:
        # one look signs in once per account (createSession is limited: 30 per 5 minutes)
        key = (
            "bluesky-session:"
            + hashlib.sha256(f"{self.handle}\0{self._password}".encode()).hexdigest()
        )
        kept = self.reads.recall(key) if self.reads is not None else None
        if kept is not None:
            self.base = kept[0]
            self._take_session(kept[1])
            return
        if not self._named_pds and not self.handle.endswith(".bsky.social"):
            self.base = self._resolve_pds()  # a self-hosted PDS: sign in where the account lives
        answer = self._call(
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": self.handle, "password": self._password},
            field="session",
        )
        self._take_session(answer)
        if self.reads is not None:
            self.reads.keep(key, (self.base, answer))

    def _renew(self) -> None:
        """A new access token from the refresh token (which is then spent); a fresh sign-in
        only when the refresh token is refused too."""
        if self._refresh_token:
            try:
                answer = self._call(
                    "POST",
                    "com.atproto.server.refreshSession",
                    headers={"Authorization": f"Bearer {self._refresh_token}"},
                    field="session",
                )
            except AuthError:
                pass  # revoked or expired as well: sign in again below
            else:
                self._take_session(answer)
                return
        self.did = None
        self._sign_in()

    def _take_session(self, answer: t.Any) -> None:
        token, did = answer.get("accessJwt"), answer.get("did")
        if not isinstance(token, str) or not isinstance(did, str) or not token or not did:
            raise RemoteError(
                msg(
                    "{base} answered the sign-in without a session (no accessJwt or did)",
                    base=self.base,
                ),
                platform="bluesky",
                account=self.account.id,
                field="session",
            )
        # the tokens live in this adapter only: never in a URL, a log or a message
        self.http.headers["Authorization"] = f"Bearer {token}"
        refresh = answer.get("refreshJwt")
        self._refresh_token = refresh if isinstance(refresh, str) and refresh else None
        self.did = did
        pds = _pds_of(answer.get("didDoc"), did)
        if pds:
            self.base = pds  # the host that keeps the repository (and serves its blobs)

    def _resolve_pds(self) -> str:
        """handle → DID → DID document → the PDS it names, the handle confirmed both ways."""
        where: dict[str, t.Any] = {"platform": "bluesky", "account": self.account.id}
        where["field"] = "handle"
        try:
            found = self._call(
                "GET",
                "com.atproto.identity.resolveHandle",
                params={"handle": self.handle},
                field="handle",
                base=self.entry,
            )
            did = expect(found.get("did"), str, "the handle's DID")
        except (RemoteError, ValueError) as exc:
            if getattr(exc, "retryable", False):
                raise
            raise RemoteError(
                msg(
                    "the handle {handle} does not resolve to an account ({said}): check the "
                    "handle, or name the account's server with pds:",
                    handle=self.handle,
                    said=getattr(exc, "message", str(exc)),
                ),
                **where,
            ) from None
        document = self._did_document(did)
        if f"at://{self.handle}" not in (document.get("alsoKnownAs") or []):
            raise RemoteError(
                msg(
                    "the DID document of {did} does not name the handle {handle}: the handle "
                    "is not confirmed, so brandkit does not sign in there",
                    did=did,
                    handle=self.handle,
                ),
                **where,
            )
        pds = _pds_of(document, did)
        if pds is None:
            raise RemoteError(
                msg("the DID document of {did} names no PDS (#atproto_pds)", did=did), **where
            )
        return pds

    def _did_document(self, did: str) -> dict[str, t.Any]:
        where: dict[str, t.Any] = {"platform": "bluesky", "account": self.account.id}
        where["field"] = "handle"
        if did.startswith("did:plc:"):
            url = f"{self.plc}/{urllib.parse.quote(did)}"
        elif did.startswith("did:web:"):
            host = urllib.parse.unquote(did.removeprefix("did:web:"))
            url = f"https://{host}/.well-known/did.json"
        else:
            raise RemoteError(msg("{did} is neither did:plc nor did:web", did=did), **where)
        response, body = send_json(
            self.http,
            "GET",
            url,
            where,
            self.endpoints.timeout,
            headers={"Authorization": None},  # no token to a directory
        )
        if response.status_code != 200 or not isinstance(body, dict) or body.get("id") != did:
            raise RemoteError(
                msg("no DID document for {did} ({status})", did=did, status=response.status_code),
                status=response.status_code,
                retryable=response.status_code >= 500,
                **where,
            )
        return body

    # -- the contract ----------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        try:
            found = self._call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": self.did or self.handle, "collection": PROFILE, "rkey": "self"},
                field="profile",
            )
            value = found.get("value")
            if not isinstance(value, dict) or value.get("$type", PROFILE) != PROFILE:
                raise ValueError("the answer holds no profile record")
            record, cid = dict(value), expect(found.get("cid"), str, "the record's cid")
        except RemoteError as exc:
            if "RecordNotFound" not in str(exc):
                raise
            record, cid = {}, None  # a new account: no profile saved yet
        self._record, self._cid = record, cid
        text = {
            "displayName": text_of(record.get("displayName"), "displayName"),
            "description": text_of(record.get("description"), "description"),
        }
        images = {kind: self._blob_url(record.get(kind)) for kind in ("avatar", "banner")}
        return LiveState(text, images, handles={"cid": cid or ""})

    def _blob_url(self, blob: t.Any) -> str | None:
        link = (blob.get("ref") or {}).get("$link") if isinstance(blob, dict) else None
        if not link or self.did is None:
            return None
        query = urllib.parse.urlencode({"did": self.did, "cid": link})
        return f"{self.base}/xrpc/com.atproto.sync.getBlob?{query}"

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        changes = {name: value for name, value in fields.items() if name in self.SUPPORTS}
        self._put(changes, field=",".join(changes))

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        # the PDS sniffs the bytes, and the profile takes PNG or JPEG up to 1,000,000 bytes:
        # anything else would be refused after the upload, so it is refused before
        kind = _image_type(data)
        if kind is None or len(data) > MAX_BLOB:
            raise RemoteError(
                msg(
                    "{filename} is not a PNG or JPEG of at most 1,000,000 bytes ({size} bytes), "
                    "which is all a Bluesky profile takes: render it again (brandkit render)",
                    filename=filename,
                    size=len(data),
                ),
                platform="bluesky",
                account=self.account.id,
                field=field,
            )
        uploaded = self._call(
            "POST",
            "com.atproto.repo.uploadBlob",
            data=data,
            headers={"Content-Type": kind},
            field=field,
        )
        self._put({field: uploaded["blob"]}, field=field)

    def _put(self, changes: t.Mapping[str, t.Any], field: str) -> None:
        """The whole record as read, with ``changes``: a value None or "" removes the field."""
        if self._record is None:
            self.read(Desired({}, {}))
        record = {**(self._record or {}), "$type": PROFILE}
        for name, value in changes.items():
            if value in (None, ""):
                record.pop(name, None)
            else:
                record[name] = value
        body = {
            "repo": self.did,
            "collection": PROFILE,
            "rkey": "self",
            "record": record,
            "swapRecord": self._cid,  # null: only if there is still no profile record
        }
        try:
            answer = self._call("POST", "com.atproto.repo.putRecord", json=body, field=field)
        except ConcurrentEditError:
            # a retry after a lost answer: the first put may have been saved, and the old
            # swapRecord is refused. The record as it is now says which: ours, or someone's
            self.read(Desired({}, {}))
            if self._record != record:
                raise
            return  # it was saved: read() took its CID
        self._record, self._cid = record, answer.get("cid")

    def figures(self, days: int = 7) -> Figures:
        if self.did is None:
            self._sign_in()
        found = self._call(
            "GET", "app.bsky.actor.getProfile", params={"actor": self.did}, field="figures"
        )
        metrics = {k: found.get(k) for k in ("followersCount", "followsCount", "postsCount")}
        return Figures(int(metrics["followersCount"] or 0), metrics)


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _pds_of(document: t.Any, did: str) -> str | None:
    """The ``#atproto_pds`` endpoint of a DID document that is ``did``'s, when it is https (or
    http to this machine): the access token goes there."""
    if not isinstance(document, dict) or document.get("id") != did:
        return None
    for service in document.get("service") or []:
        if not isinstance(service, dict):
            continue
        if service.get("id") in ("#atproto_pds", f"{did}#atproto_pds") and (
            service.get("type") == "AtprotoPersonalDataServer"
        ):
            endpoint = service.get("serviceEndpoint")
            if not isinstance(endpoint, str):
                return None
            parts = urllib.parse.urlsplit(endpoint)
            if parts.scheme == "https" or (
                parts.scheme == "http" and is_loopback(parts.hostname or "")
            ):
                return endpoint.rstrip("/")
    return None


ADAPTER = BlueskyAdapter
