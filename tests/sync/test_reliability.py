"""Nothing lost, nothing duplicated: lost answers to writes that create things, a failure that is
nobody's fault, a saved plan someone edited, a backup someone tampered with."""

from __future__ import annotations

import dataclasses
import json
import typing as t
from pathlib import Path

import pytest

from brandkit.retry import RetryPolicy
from brandkit.sync import Plan, apply, plan, restore
from tests.sync.conftest import World, make_world

ALL = {"northwind-x", "northwind-fb", "northwind-news"}


@pytest.fixture
def everything(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, ALL)


def test_a_lost_answer_to_a_template_create_leaves_one_template(everything: World) -> None:
    # Mailchimp makes the template, and the answer is cut off: the retry must not make another
    everything.sandbox.add_fault(
        platform="mailchimp", method="POST", path="/templates$", truncate=True
    )
    result = apply([everything.brand], everything.options)
    assert all(a.status == "changed" for a in result.accounts), [a.message for a in result.accounts]
    templates = everything.sandbox.mailchimp.state.data["mailchimp"]["templates"].values()
    name = everything.brand.account("northwind-news").setting("template_name")
    assert [tpl["name"] for tpl in templates] == [name]
    assert plan([everything.brand], everything.options).exit_code() == 0


def test_a_retried_cover_reuses_the_photo_it_uploaded(everything: World) -> None:
    # setting the cover fails once after its photo was uploaded: no second, orphan photo
    everything.sandbox.add_fault(
        platform="facebook", method="POST", path=r"/v\d+\.\d+/\d+$", status=500
    )
    result = apply([everything.brand], everything.options)
    assert all(a.status == "changed" for a in result.accounts), [a.message for a in result.accounts]
    photos = everything.sandbox.facebook.state.data["facebook"]["photos"]
    assert len(photos) == 2  # the cover and the profile picture, once each


def test_retry_after_is_honoured_on_every_platform(tmp_path: Path) -> None:
    for world in make_world(tmp_path, ALL):
        waits: list[float] = []
        options = dataclasses.replace(
            world.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
        )
        for platform, method in (("twitter", "GET"), ("facebook", "GET"), ("mailchimp", "GET")):
            world.sandbox.add_fault(platform=platform, method=method, status=503, retry_after=3)
        result = plan([world.brand], options)
        assert result.exit_code() == 2, [a.error for a in result.accounts]
        assert waits.count(3.0) == 3, waits  # each platform's 503 waited exactly as asked


def test_a_damaged_cached_image_stays_with_its_account_and_heals(everything: World) -> None:
    from brandkit.sync.cache import SyncCache

    apply([everything.brand], everything.options)
    live = next(
        a for a in plan([everything.brand], everything.options).accounts if a.platform == "facebook"
    )
    state = everything.options.state_dir
    for comparison in (state / "cache" / "compare").iterdir():
        comparison.unlink()
    # the cover's cached copy is a CDN error page
    SyncCache(state / "cache").image_path(live.live["cover_url"]).write_bytes(b"<html>502</html>")
    result = plan([everything.brand], everything.options)
    status = {a.platform: a.status for a in result.accounts}
    assert status == {
        "twitter": "ok",
        "facebook": "ok",
        "mailchimp": "ok",
    }  # retried: fetched again
    assert plan([everything.brand], everything.options).exit_code() == 0


def test_an_edited_saved_plan_is_refused(everything: World, tmp_path: Path) -> None:
    saved = plan([everything.brand], everything.options).to_dict()
    for account in saved["accounts"]:
        for change in account["changes"]:
            if change["field"] == "description" and account["platform"] == "twitter":
                change["after"] = "Visit my other shop"
    edited = Plan.from_dict(json.loads(json.dumps(saved)))
    result = apply([everything.brand], everything.options, saved=edited)
    x = next(a for a in result.accounts if a.platform == "twitter")
    assert (
        x.status == "failed"
        and "the saved plan writes what the spec does not ask for now" in x.message
    )
    assert "description" in x.message
    assert all(a.status == "changed" for a in result.accounts if a.platform != "twitter")


def test_a_tampered_backup_uploads_nothing_from_outside_it(
    everything: World, tmp_path: Path
) -> None:
    apply([everything.brand], everything.options)
    everything.api().update_profile(location="Elsewhere")
    fixed = apply([everything.brand], everything.options)
    assert fixed.backup is not None
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not for upload")
    profile = fixed.backup / "twitter" / "northwind-x" / "profile.json"
    record = json.loads(profile.read_text())
    record["images"] = {"avatar": "../../../../secret.png"}
    profile.write_text(json.dumps(record))
    from brandkit.errors import PlanError

    with pytest.raises(PlanError, match="is not a file of this backup"):
        restore(fixed.backup, [everything.brand], everything.options)
