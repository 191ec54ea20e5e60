"""The Facebook Page adapter: the same scenarios as Twitter/X, with requests against the sandbox."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import pytest
import requests

from brandkit.sync import apply, plan, restore
from tests.sandbox.helpers import png, session
from tests.sync.conftest import World, make_world

PAGE = "104729384756102"


@pytest.fixture
def fb(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, {"northwind-fb"})


def _graph(world: World) -> tuple[requests.Session, str, str]:
    token = world.env["NORTHWIND_FB_PAGE_TOKEN"]
    return session(world.sandbox), f"{world.sandbox.url}/v26.0/{PAGE}", token


def test_fresh_page_is_applied_without_telling_followers(fb: World) -> None:
    first = plan([fb.brand], fb.options)
    assert sorted(c.field for c in first.changes) == [
        "about",
        "cover",
        "description",
        "emails",
        "phone",
        "picture",
        "website",
    ]
    assert apply([fb.brand], fb.options).accounts[0].status == "changed"
    assert plan([fb.brand], fb.options).exit_code() == 0
    assert fb.sandbox.state.data["stories"] == 0  # unpublished photos, cover with no_feed_story
    writes = fb.sandbox.count(writes=True)
    assert apply([fb.brand], fb.options).accounts[0].status == "ok"
    assert fb.sandbox.count(writes=True) == writes
    s, url, token = _graph(fb)
    with s:
        page = s.get(url, params={"fields": "emails,about", "access_token": token}).json()
    assert page["emails"] == ["hello@northwind.example"]


def test_drift_fix_and_restore(fb: World) -> None:
    apply([fb.brand], fb.options)
    s, url, token = _graph(fb)
    with s:
        photo = s.post(
            f"{url}/photos",
            data={"published": "false", "access_token": token},
            files={"source": ("x.png", png((1640, 624), (220, 40, 40)), "image/png")},
        ).json()["id"]
        s.post(
            url,
            data={
                "cover": photo,
                "no_feed_story": "true",
                "about": "Closed for the holidays",
                "access_token": token,
            },
        )
    drift = plan([fb.brand], fb.options)
    assert sorted(c.field for c in drift.changes) == ["about", "cover"]
    fixed = apply([fb.brand], fb.options)
    assert fixed.accounts[0].status == "changed" and plan([fb.brand], fb.options).exit_code() == 0
    assert fixed.backup is not None
    restore(fixed.backup, [fb.brand], fb.options)
    assert sorted(c.field for c in plan([fb.brand], fb.options).changes) == ["about", "cover"]


def test_cover_is_compared_only_where_every_device_shows_it(fb: World) -> None:
    apply([fb.brand], fb.options)
    cover = next(fb.options.state_dir.glob("assets/*/facebook/cover.png"))
    from PIL import Image, ImageDraw

    img = Image.open(cover).convert("RGB")
    ImageDraw.Draw(img).rectangle([0, 0, 200, 623], fill=(255, 0, 0))  # outside the mobile crop
    import io

    out = io.BytesIO()
    img.save(out, "PNG")
    s, url, token = _graph(fb)
    with s:
        photo = s.post(
            f"{url}/photos",
            data={"published": "false", "access_token": token},
            files={"source": ("c.png", out.getvalue(), "image/png")},
        ).json()["id"]
        s.post(url, data={"cover": photo, "no_feed_story": "true", "access_token": token})
    assert plan([fb.brand], fb.options).exit_code() == 0


@pytest.mark.parametrize("path", [r"/photos$", rf"/{PAGE}$", r"/picture$"])
@pytest.mark.parametrize(
    "fault",
    [{"status": 500}, {"code": 80001, "status": 403}, {"code": 2, "status": 500}, {"drop": True}],
)
def test_faults_at_every_write_step(fb: World, path: str, fault: dict[str, object]) -> None:
    injected = fb.sandbox.add_fault(platform="facebook", method="POST", path=path, **fault)
    result = apply([fb.brand], dataclasses.replace(fb.options))
    assert injected.hits >= 1
    if result.accounts[0].status != "changed":
        # throttling asks to wait longer than the test budget: a clear failure, then a re-run
        # converges
        assert "throttled by Facebook (code 80001" in result.accounts[0].message
        fb.sandbox.clear_faults()
        assert apply([fb.brand], fb.options).accounts[0].status == "changed"
    assert plan([fb.brand], fb.options).exit_code() == 0
    assert fb.sandbox.state.data["stories"] == 0


def test_token_and_permission_errors_say_what_to_do(fb: World) -> None:
    env = dict(fb.env, NORTHWIND_FB_PAGE_TOKEN="EAAB-expired")
    bad = plan([fb.brand], dataclasses.replace(fb.options, env=env))
    error = bad.accounts[0].error or ""
    assert "Page access token is invalid or expired (code 190)" in error
    assert "NORTHWIND_FB_PAGE_TOKEN" in error and "EAAB-expired" not in error
    fb.sandbox.server.facebook.add_page(
        PAGE, name="x", page_token="read-only", permissions=["pages_read_engagement"]
    )
    env = dict(fb.env, NORTHWIND_FB_PAGE_TOKEN="read-only")
    assert plan([fb.brand], dataclasses.replace(fb.options, env=env)).exit_code() == 2  # reads work
    denied = apply([fb.brand], dataclasses.replace(fb.options, env=env))
    # images go first, and uploading a photo needs pages_manage_posts (not metadata)
    assert "cover: permission missing (code 200): the token needs pages_manage_posts" in (
        denied.accounts[0].message
    )
    fb.sandbox.server.facebook.add_page(
        PAGE, name="x", page_token="no-task", tasks=["ANALYZE", "MODERATE", "MANAGE"]
    )
    env = dict(fb.env, NORTHWIND_FB_PAGE_TOKEN="no-task")
    denied = apply([fb.brand], dataclasses.replace(fb.options, env=env))
    assert (
        "must be able to perform the CREATE_CONTENT task on the Page" in denied.accounts[0].message
    )
    fb.sandbox.server.facebook.add_page(
        PAGE,
        name="x",
        page_token="no-metadata",
        permissions=["pages_read_engagement", "pages_manage_posts"],
    )
    env = dict(fb.env, NORTHWIND_FB_PAGE_TOKEN="no-metadata")
    denied = apply([fb.brand], dataclasses.replace(fb.options, env=env))
    assert "the token needs pages_manage_metadata" in denied.accounts[0].message


@pytest.mark.parametrize(
    ("code", "subcode", "said"),
    [
        (102, None, "Page access token is invalid or expired (code 102)"),
        (
            190,
            460,
            "Page access token is invalid since the password changed (code 190, subcode 460)",
        ),
        (190, 463, "Page access token is expired (code 190, subcode 463)"),
    ],
)
def test_token_errors_as_the_official_sdks_classify_them(
    fb: World, code: int, subcode: int | None, said: str
) -> None:
    fb.sandbox.add_fault(platform="facebook", method="GET", status=400, code=code, subcode=subcode)
    error = plan([fb.brand], fb.options).accounts[0].error or ""
    assert said in error and "NORTHWIND_FB_PAGE_TOKEN" in error


def test_code_341_is_throttling_and_a_long_wait_says_when_to_come_back(fb: World) -> None:
    fb.sandbox.add_fault(platform="facebook", method="GET", status=400, code=341, times=1)
    assert plan([fb.brand], fb.options).exit_code() == 2  # retried, then read
    fb.sandbox.add_fault(platform="facebook", method="GET", status=400, code=32, minutes=30)
    error = plan([fb.brand], fb.options).accounts[0].error or ""
    assert "throttled by Facebook (code 32" in error
    assert "Facebook says access returns in about 30 min: run again after " in error


def test_the_page_takes_its_real_fields_and_refuses_unknown_ones(fb: World) -> None:
    import requests

    token = fb.env["NORTHWIND_FB_PAGE_TOKEN"]
    with requests.Session() as s:
        s.verify, s.trust_env = str(fb.sandbox.ca_path), False
        s.headers["Authorization"] = f"Bearer {token}"
        base = f"{fb.sandbox.url}/v26.0/{PAGE}"
        ok = s.post(base, data={"bio": "Roasting since 2009", "general_info": "Open daily"})
        assert ok.json() == {"success": True}
        read = s.get(
            base, params={"fields": "bio,general_info,has_transitioned_to_new_page_experience"}
        )
        assert (
            read.json()["bio"] == "Roasting since 2009"
            and read.json()["general_info"] == "Open daily"
        )
        assert read.json()["has_transitioned_to_new_page_experience"] is True
        refused = s.post(base, data={"tagline": "x"}).json()["error"]
        assert refused["code"] == 100 and "tagline" in refused["message"]
        unknown = s.get(base, params={"fields": "tagline"}).json()["error"]
        assert (
            unknown["message"]
            == "(#100) Tried accessing nonexisting field (tagline) on node type (Page)"
        )


def test_bad_parameter_names_the_field(fb: World) -> None:
    from brandkit.spec.model import TextValue

    account = fb.brand.accounts[0]  # validation would catch it; the API too
    account = dataclasses.replace(
        account, text={**account.text, "about": TextValue("x" * 101, ("accounts", 0))}
    )
    brand = dataclasses.replace(fb.brand, accounts=(account,))
    result = apply([brand], fb.options)
    assert "facebook:northwind-fb about: invalid parameter (code 100" in result.accounts[0].message


def test_appsecret_proof_is_sent_when_an_app_secret_is_named(tmp_path: Path) -> None:

    import brandkit
    from brandkit.sandbox import Sandbox
    from brandkit.sync import SyncOptions
    from brandkit.sync.sandboxing import provision
    from tests.conftest import copy_example

    copy_example("lumen", tmp_path / "lumen")
    brand = brandkit.load(tmp_path / "lumen" / "brand.yaml")
    brand = dataclasses.replace(
        brand, accounts=tuple(a for a in brand.accounts if a.id == "lumen-fb")
    )
    with Sandbox() as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(env=env, state_dir=tmp_path / ".brandkit")
        assert plan([brand], options).errors == ()  # the sandbox requires the proof for this page
        env.pop("LUMEN_FB_APP_SECRET")
        failed = plan([brand], dataclasses.replace(options, env=env))
        assert "LUMEN_FB_APP_SECRET not set" in (failed.accounts[0].error or "")
