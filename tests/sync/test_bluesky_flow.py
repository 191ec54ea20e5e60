"""Bluesky end to end against the sandbox's PDS, with requests as a client would use XRPC: a fresh
account is applied, check exits 0, a second apply writes nothing, an edit made in the app is drift
(and the fields brandkit does not own survive its writes), a concurrent edit between read and write
is refused by swapRecord rather than overwritten, a refused app password says what to do, limits
count graphemes, and the figures come from getProfile."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import pytest
import requests
import yaml

import brandkit
from brandkit.errors import SpecError
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.sync import SyncOptions, apply, plan, restore
from brandkit.sync.sandboxing import provision
from tests.conftest import copy_example

HANDLE = "northwindcoffee.bsky.social"
PROFILE = "app.bsky.actor.profile"


@dataclasses.dataclass
class Sky:
    brand: brandkit.Brand
    sandbox: Sandbox
    options: SyncOptions
    env: dict[str, str]

    def app(self) -> tuple[requests.Session, str]:
        """What the Bluesky app does with the same account: sign in, then call XRPC."""
        session = requests.Session()
        session.trust_env = False
        session.verify = self.env["BRANDKIT_CA_BUNDLE"]
        signed = session.post(
            f"{self.url}/xrpc/com.atproto.server.createSession",
            json={"identifier": HANDLE, "password": self.env["NORTHWIND_BLUESKY_APP_PASSWORD"]},
        ).json()
        session.headers["Authorization"] = f"Bearer {signed['accessJwt']}"
        return session, signed["did"]

    def record(self) -> dict[str, t.Any]:
        session, did = self.app()
        params = {"repo": did, "collection": PROFILE, "rkey": "self"}
        return t.cast(
            dict[str, t.Any],
            session.get(f"{self.url}/xrpc/com.atproto.repo.getRecord", params=params).json(),
        )

    @property
    def url(self) -> str:
        return self.env["BRANDKIT_BLUESKY_URL"]


def _spec(tmp_path: Path, **changes: t.Any) -> Path:
    copy_example("northwind", tmp_path / "northwind", dirs_exist_ok=True)
    spec = tmp_path / "northwind" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [a for a in data["accounts"] if a["platform"] == "bluesky"]
    data["identity"].update(changes)
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return spec


@pytest.fixture
def sky(tmp_path: Path) -> t.Iterator[Sky]:
    brand = brandkit.load(_spec(tmp_path))
    with Sandbox(state_dir=tmp_path / ".brandkit" / "sandbox") as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env,
            state_dir=tmp_path / ".brandkit",
            retry=RetryPolicy(base=0.01, cap=0.05, budget=5.0),
        )
        yield Sky(brand, sandbox, options, env)


def test_apply_then_check_then_nothing_to_write(sky: Sky) -> None:
    first = plan([sky.brand], sky.options)
    # a new account already shows the name typed at sign-up
    assert {c.field for c in first.changes} == {"description", "avatar", "banner"}
    assert apply([sky.brand], sky.options).exit_code() == 0
    assert plan([sky.brand], sky.options).exit_code() == 0
    sky.sandbox.clear_requests()
    again = apply([sky.brand], sky.options)
    assert again.exit_code() == 0 and sky.sandbox.count(writes=True) == 0  # signing in is no write
    found = sky.record()
    value = found["value"]
    assert value["$type"] == PROFILE and value["displayName"] == "Northwind Coffee Roasters"
    assert value["description"].startswith("Small-batch coffee")
    for kind in ("avatar", "banner"):
        blob = value[kind]
        assert blob["$type"] == "blob" and blob["mimeType"] in ("image/png", "image/jpeg")
        assert blob["ref"]["$link"].startswith("bafkrei") and blob["size"] <= 1_000_000


def test_an_app_edit_is_drift_and_fields_brandkit_does_not_own_survive(sky: Sky) -> None:
    result = apply([sky.brand], sky.options)
    session, did = sky.app()
    current = sky.record()
    pinned = {"uri": f"at://{did}/app.bsky.feed.post/3kabc", "cid": "bafyreib" + "a" * 52}
    edited = session.post(
        f"{sky.url}/xrpc/com.atproto.repo.putRecord",
        json={
            "repo": did,
            "collection": PROFILE,
            "rkey": "self",
            "record": {**current["value"], "description": "Cheap coffee.", "pinnedPost": pinned},
            "swapRecord": current["cid"],
        },
    )
    assert edited.status_code == 200, edited.text
    drift = plan([sky.brand], sky.options)
    assert drift.exit_code() == 2 and {c.field for c in drift.changes} == {"description"}
    assert apply([sky.brand], sky.options).exit_code() == 0
    after = sky.record()["value"]
    assert after["description"].startswith("Small-batch") and after["pinnedPost"] == pinned
    assert result.backup is not None
    assert restore(result.backup, [sky.brand], sky.options).exit_code() == 0
    assert "description" not in sky.record()["value"]  # as the new account had it: no bio


def test_a_concurrent_edit_between_read_and_write_is_refused_not_overwritten(sky: Sky) -> None:
    sky.sandbox.bluesky.edit_between_read_and_write(HANDLE, {"description": "Typed in the app."})
    result = apply([sky.brand], sky.options)
    (account,) = result.accounts
    assert account.status == "failed" and "changed elsewhere" in account.message
    assert "nothing was overwritten" in account.message
    assert sky.record()["value"]["description"] == "Typed in the app."  # the app's edit stands
    # a new run reads the new profile, backs it up, and writes
    again = apply([sky.brand], sky.options)
    assert again.exit_code() == 0
    assert sky.record()["value"]["description"].startswith("Small-batch")


def test_refused_password_limits_in_graphemes_and_figures(sky: Sky, tmp_path: Path) -> None:
    bad = dataclasses.replace(
        sky.options, env={**sky.env, "NORTHWIND_BLUESKY_APP_PASSWORD": "wrong-pass"}
    )
    error = plan([sky.brand], bad).accounts[0].error or ""
    assert "refused the sign-in" in error and "NORTHWIND_BLUESKY_APP_PASSWORD" in error
    assert "wrong-pass" not in error
    family = "👨‍👩‍👧‍👦"
    ok = brandkit.load(_spec(tmp_path / "ok", name=family * 64, short_name="Northwind"))
    assert ok.accounts[0].text["displayName"].value == family * 64  # 64 graphemes: fits
    with pytest.raises(SpecError) as refused:
        brandkit.load(_spec(tmp_path / "long", name=family * 65, short_name=family * 65))
    said = "\n".join(i.format() for i in refused.value.issues)
    assert "too long for bluesky displayName" in said and "65 characters" in said, said
    stats = brandkit.stats(sky.brand, sky.options)
    figures = stats.accounts[0]
    assert figures.audience and figures.audience > 0
    assert set(figures.metrics) == {"followersCount", "followsCount", "postsCount"}


def test_the_pds_holds_records_to_the_lexicon(sky: Sky) -> None:
    session, did = sky.app()
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * 1_000_001
    blob = session.post(
        f"{sky.url}/xrpc/com.atproto.repo.uploadBlob",
        data=big,
        headers={"Content-Type": "image/png"},
    ).json()["blob"]
    refused = session.post(
        f"{sky.url}/xrpc/com.atproto.repo.putRecord",
        json={
            "repo": did,
            "collection": PROFILE,
            "rkey": "self",
            "record": {"$type": PROFILE, "avatar": blob},
        },
    )
    assert refused.status_code == 400 and refused.json()["error"] == "InvalidRecord"
    missing = session.get(
        f"{sky.url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": "app.bsky.feed.post", "rkey": "nope"},
    )
    assert missing.status_code == 400 and missing.json()["error"] == "RecordNotFound"
    assert "RateLimit-Remaining" in missing.headers and "RateLimit-Policy" in missing.headers


def test_a_self_hosted_pds_is_used_when_named() -> None:
    from brandkit.adapters.base import Endpoints
    from brandkit.platforms.bluesky.adapter import BlueskyAdapter
    from brandkit.platforms.bluesky.settings import Settings
    from brandkit.spec.model import Account

    def account(**settings: str) -> Account:
        return Account(
            id="x",
            platform="bluesky",
            options=Settings(handle="brand.example", **settings),
            credentials=(("app_password", "APP_PASSWORD"),),
        )

    env = {"APP_PASSWORD": "p"}
    assert BlueskyAdapter(account(), env, Endpoints()).base == "https://bsky.social"
    own = BlueskyAdapter(account(pds="https://pds.brand.example/"), env, Endpoints())
    assert own.base == "https://pds.brand.example"


def test_a_redirected_sign_in_is_not_followed_with_the_app_password(sky: Sky) -> None:
    """#27: createSession followed a 307 to another origin and sent the app password again."""
    from brandkit.sync import plan

    sky.sandbox.add_fault(
        platform="bluesky",
        path="createSession",
        status=307,
        body="{}",
        location="https://collector.example/xrpc/com.atproto.server.createSession",
    )
    result = plan([sky.brand], sky.options)
    (account,) = result.accounts
    assert "a redirect to https://collector.example" in str(account.error)
    assert "does not follow with credentials" in str(account.error)


def test_a_put_whose_answer_was_cut_off_counts_as_written(sky: Sky) -> None:
    """#32: the PDS saved the record and the answer was truncated; the retry's old swapRecord
    was refused and apply said "changed elsewhere". brandkit now reads the record first."""
    from brandkit.sync import apply, plan

    sky.sandbox.add_fault(platform="bluesky", path="putRecord", truncate=True)
    result = apply([sky.brand], sky.options)
    (account,) = result.accounts
    assert account.status == "changed", account.message
    assert "changed elsewhere" not in account.message
    assert plan([sky.brand], sky.options).exit_code() == 0
    # one record, written once per change: the profile holds the spec's text
    assert sky.record()["value"]["displayName"] == sky.brand.identity.name
