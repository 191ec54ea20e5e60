"""Bluesky is many PDS hosts, and the sandbox behaves as the network does (issue #26). Sources,
github.com/bluesky-social/atproto:

- packages/pds/src/api/com/atproto/sync/getBlob.ts and sync/util.ts (``assertRepoAvailability``):
  a PDS serves the blobs of the repositories it keeps, else 400 ``RepoNotFound`` "Could not find
  repo for DID".
- lexicons/com/atproto/server/createSession.json (output ``didDoc``) and packages/api
  (``AtpAgent`` moves to the ``#atproto_pds`` endpoint of the session's DID document).
- packages/pds/src/api/com/atproto/identity/resolveHandle.ts (a handle the PDS does not keep is
  resolved by DNS TXT ``_atproto`` and ``/.well-known/atproto-did``), packages/identity (did:plc
  from the PLC directory, did:web from ``/.well-known/did.json``; the document's
  ``alsoKnownAs`` confirms the handle).
- lexicons/com/atproto/server/refreshSession.json; packages/pds auth verifier: an expired access
  token is 400 ``ExpiredToken`` "Token has expired"; the refresh token is spent when used.
- packages/pds/src/actor-store/blob (the type is sniffed from the bytes) and the profile lexicon
  (``accept: image/png, image/jpeg``, ``maxSize`` 1,000,000).
"""

from __future__ import annotations

import io
import typing as t
from pathlib import Path

import pytest
import requests
import yaml
from PIL import Image

import brandkit
from brandkit.adapters.base import Desired, Endpoints
from brandkit.errors import AdapterError
from brandkit.platforms.bluesky.adapter import BlueskyAdapter
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.sync import SyncOptions, apply, plan
from tests.conftest import copy_example

PASSWORD = "abcd-efgh-ijkl-mnop"


def _brand(tmp_path: Path, handle: str) -> brandkit.Brand:
    copy_example("northwind", tmp_path / "northwind", dirs_exist_ok=True)
    spec = tmp_path / "northwind" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [a for a in data["accounts"] if a["platform"] == "bluesky"]
    data["accounts"][0]["handle"] = handle
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return brandkit.load(spec)


def _options(tmp_path: Path, sandbox: Sandbox) -> SyncOptions:
    env = {**sandbox.env(), "NORTHWIND_BLUESKY_APP_PASSWORD": PASSWORD}
    return SyncOptions(
        env=env, state_dir=tmp_path / ".brandkit", retry=RetryPolicy(base=0.01, cap=0.05)
    )


def _client(sandbox: Sandbox) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = sandbox.env()["BRANDKIT_CA_BUNDLE"]
    return session


@pytest.fixture
def sandbox(tmp_path: Path) -> t.Iterator[Sandbox]:
    with Sandbox(state_dir=tmp_path / "sandbox") as running:
        yield running


def _signed_in_paths(sandbox: Sandbox) -> list[str]:
    return [r.path for r in sandbox.requests if r.platform == "bluesky"]


def test_an_account_on_another_host_is_read_from_its_own_pds(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    handle = "northwind.bsky.social"
    did = sandbox.bluesky.add_account(handle, app_password=PASSWORD, pds="shiitake")
    brand, options = _brand(tmp_path, handle), _options(tmp_path, sandbox)
    assert apply([brand], options).exit_code() == 0
    assert plan([brand], options).exit_code() == 0  # the images read back from shiitake
    paths = _signed_in_paths(sandbox)
    assert "/xrpc/com.atproto.server.createSession" in paths  # signed in at the entryway
    assert any(p == "/pds/shiitake/xrpc/com.atproto.sync.getBlob" for p in paths)
    assert not any(p == "/xrpc/com.atproto.sync.getBlob" for p in paths)
    # the entryway keeps no repository: a blob asked of it is refused, as bsky.social does
    record = sandbox.bluesky.state.data["bluesky"]["accounts"][did]["profile"]
    cid = record["avatar"]["ref"]["$link"]
    client = _client(sandbox)
    wrong = client.get(
        f"{sandbox.url}/xrpc/com.atproto.sync.getBlob", params={"did": did, "cid": cid}
    )
    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": "RepoNotFound",
        "message": f"Could not find repo for DID: {did}",
    }
    right = client.get(
        f"{sandbox.url}/pds/shiitake/xrpc/com.atproto.sync.getBlob", params={"did": did, "cid": cid}
    )
    assert right.status_code == 200 and right.content.startswith((b"\x89PNG", b"\xff\xd8"))


def test_a_self_hosted_account_is_found_from_its_handle_through_did_plc(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    handle = "brand.northwind.example"
    did = sandbox.bluesky.add_account(handle, app_password=PASSWORD, pds="northwind-pds")
    client = _client(sandbox)
    refused = client.post(
        f"{sandbox.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": handle, "password": PASSWORD},
    )
    assert refused.status_code == 401  # the entryway does not keep self-hosted accounts
    sandbox.clear_requests()
    brand, options = _brand(tmp_path, handle), _options(tmp_path, sandbox)
    assert apply([brand], options).exit_code() == 0
    assert plan([brand], options).exit_code() == 0
    paths = _signed_in_paths(sandbox)
    assert paths[:3] == [
        "/xrpc/com.atproto.identity.resolveHandle",
        "/plc/" + did.replace(":", "%3A"),
        "/pds/northwind-pds/xrpc/com.atproto.server.createSession",
    ]
    assert "/xrpc/com.atproto.server.createSession" not in paths


def test_a_did_web_account_is_found_from_its_own_host(tmp_path: Path, sandbox: Sandbox) -> None:
    handle = "web.northwind.example"
    did = f"did:web:127.0.0.1%3A{sandbox.port}"
    sandbox.bluesky.add_account(handle, app_password=PASSWORD, pds="web-pds", did=did)
    brand, options = _brand(tmp_path, handle), _options(tmp_path, sandbox)
    assert apply([brand], options).exit_code() == 0
    paths = _signed_in_paths(sandbox)
    assert "/.well-known/did.json" in paths
    assert "/pds/web-pds/xrpc/com.atproto.repo.putRecord" in paths


def test_a_handle_that_resolves_nowhere_says_so_instead_of_blaming_the_password(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    brand, options = _brand(tmp_path, "nobody.example"), _options(tmp_path, sandbox)
    (account,) = plan([brand], options).accounts
    assert account.status == "error"
    assert account.error and "does not resolve to an account" in account.error
    assert "app password" not in account.error


def _adapter(tmp_path: Path, sandbox: Sandbox, handle: str) -> BlueskyAdapter:
    brand = _brand(tmp_path, handle)
    env = {**sandbox.env(), "NORTHWIND_BLUESKY_APP_PASSWORD": PASSWORD}
    return BlueskyAdapter(brand.accounts[0], env, Endpoints.from_env(env))


def test_an_expired_token_is_refreshed_not_blamed_on_the_app_password(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    handle = "northwindcoffee.bsky.social"
    sandbox.bluesky.add_account(handle, app_password=PASSWORD, display_name="Northwind")
    adapter = _adapter(tmp_path, sandbox, handle)
    assert adapter.read(Desired({}, {})).text["displayName"] == "Northwind"
    sandbox.bluesky.expire_sessions(handle)
    client = _client(sandbox)
    stale = client.get(
        f"{sandbox.url}/pds/morel/xrpc/com.atproto.repo.getRecord",
        params={"repo": adapter.did, "collection": "app.bsky.actor.profile", "rkey": "self"},
        headers={"Authorization": adapter.http.headers["Authorization"]},
    )
    assert stale.status_code == 400 and stale.json()["error"] == "ExpiredToken"
    assert adapter.read(Desired({}, {})).text["displayName"] == "Northwind"
    paths = _signed_in_paths(sandbox)
    assert paths.count("/xrpc/com.atproto.server.createSession") == 1  # one session, renewed
    assert paths.count("/pds/morel/xrpc/com.atproto.server.refreshSession") == 1
    adapter.close()


def test_one_sign_in_per_account_for_a_whole_apply(tmp_path: Path, sandbox: Sandbox) -> None:
    handle = "northwindcoffee.bsky.social"
    sandbox.bluesky.add_account(handle, app_password=PASSWORD)
    brand, options = _brand(tmp_path, handle), _options(tmp_path, sandbox)
    assert apply([brand], options).exit_code() == 0  # read, back up, upload, write, verify
    assert _signed_in_paths(sandbox).count("/xrpc/com.atproto.server.createSession") == 1


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#6d1a36").save(out, "WEBP")
    return out.getvalue()


def test_the_pds_sniffs_the_type_and_the_profile_refuses_webp(sandbox: Sandbox) -> None:
    handle = "northwindcoffee.bsky.social"
    sandbox.bluesky.add_account(handle, app_password=PASSWORD)
    client = _client(sandbox)
    session = client.post(
        f"{sandbox.url}/xrpc/com.atproto.server.createSession",
        json={"identifier": handle, "password": PASSWORD},
    ).json()
    client.headers["Authorization"] = f"Bearer {session['accessJwt']}"
    pds = session["didDoc"]["service"][0]["serviceEndpoint"]
    blob = client.post(
        f"{pds}/xrpc/com.atproto.repo.uploadBlob",
        data=_webp(),
        headers={"Content-Type": "image/jpeg"},  # the label lies; the bytes are WebP
    ).json()["blob"]
    assert blob["mimeType"] == "image/webp"
    put = client.post(
        f"{pds}/xrpc/com.atproto.repo.putRecord",
        json={
            "repo": session["did"],
            "collection": "app.bsky.actor.profile",
            "rkey": "self",
            "record": {"$type": "app.bsky.actor.profile", "avatar": blob},
        },
    )
    assert put.status_code == 400 and put.json()["error"] == "InvalidRecord"


def test_brandkit_refuses_what_the_profile_would_refuse_before_uploading(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    handle = "northwindcoffee.bsky.social"
    sandbox.bluesky.add_account(handle, app_password=PASSWORD)
    adapter = _adapter(tmp_path, sandbox, handle)
    live = adapter.read(Desired({}, {}))
    big_png = b"\x89PNG\r\n\x1a\n" + bytes(1_000_001)
    for data in (_webp(), big_png):
        with pytest.raises(AdapterError, match="PNG or JPEG of at most 1,000,000 bytes"):
            adapter.write_image("avatar", data, "avatar.img", live)
    assert "/pds/morel/xrpc/com.atproto.repo.uploadBlob" not in _signed_in_paths(sandbox)
    adapter.close()
