"""plan / apply / check / restore end to end: the real tweepy client against the sandbox."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from PIL import Image

import brandkit
from brandkit.sync import Plan, apply, plan, restore
from tests.sync.conftest import World, make_world


def _api(world: World) -> str:
    return str(world.brand.account("northwind-x").options.api)


def _banner(colour: tuple[int, int, int]) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (1500, 500), colour).save(out, "PNG")
    out.seek(0)
    return out


def test_fresh_account_is_fully_applied_then_in_sync_and_idempotent(world: World) -> None:
    first = plan([world.brand], world.options)
    assert first.exit_code() == 2
    assert sorted(c.field for c in first.changes) == [
        "avatar",
        "banner",
        "description",
        "location",
        "url",
    ]
    assert first.summary() == "1 to change (5 fields), 0 ok"
    result = apply([world.brand], world.options)
    assert [a.status for a in result.accounts] == ["changed"] and result.backup is not None
    assert plan([world.brand], world.options).exit_code() == 0
    writes = world.sandbox.count(writes=True)
    again = apply([world.brand], world.options)
    assert [a.status for a in again.accounts] == ["ok"]
    assert world.sandbox.count(writes=True) == writes  # a second apply makes zero write calls
    user = world.api().verify_credentials()
    assert user.entities["url"]["urls"][0]["expanded_url"] == "https://northwind.example"


def test_drift_behind_our_back_is_named_fixed_and_restorable(world: World) -> None:
    apply([world.brand], world.options)
    api = world.api()
    api.update_profile_banner("seasonal.png", file=_banner((200, 30, 30)))
    api.update_profile(description="Pumpkin spice season! 🎃")
    world.processed()
    drift = plan([world.brand], world.options)
    assert drift.exit_code() == 2
    assert sorted(c.field for c in drift.changes) == ["banner", "description"]
    banner = next(c for c in drift.changes if c.field == "banner")
    assert banner.distance and banner.live_image and banner.new_image
    fixed = apply([world.brand], world.options)
    assert fixed.accounts[0].status == "changed" and fixed.backup is not None
    assert plan([world.brand], world.options).exit_code() == 0
    # the backup holds what was replaced: the seasonal bio and banner
    saved = json.loads((fixed.backup / "twitter" / "northwind-x" / "profile.json").read_text())
    assert saved["text"]["description"] == "Pumpkin spice season! 🎃"
    assert (fixed.backup / "twitter" / "northwind-x" / saved["images"]["banner"]).is_file()
    undone = restore(fixed.backup, [world.brand], world.options)
    assert undone.accounts[0].status == "changed"
    assert api.verify_credentials().description == "Pumpkin spice season! 🎃"
    assert sorted(c.field for c in plan([world.brand], world.options).changes) == [
        "banner",
        "description",
    ]


def test_recoloured_banner_is_drift_and_reencoded_is_not(world: World) -> None:
    apply([world.brand], world.options)
    rendered = next(world.options.state_dir.glob("assets/*/twitter/banner.png"))
    img = Image.open(rendered).convert("RGB")
    r, g, b = img.split()
    swapped = io.BytesIO()
    Image.merge("RGB", (b, g, r)).save(swapped, "PNG")
    swapped.seek(0)
    world.api().update_profile_banner("b.png", file=swapped)
    world.processed()
    assert [c.field for c in plan([world.brand], world.options).changes] == ["banner"]
    jpeg = io.BytesIO()
    img.save(jpeg, "JPEG", quality=70)
    jpeg.seek(0)
    world.api().update_profile_banner("b.jpg", file=jpeg)  # the same banner, re-encoded
    world.processed()
    assert plan([world.brand], world.options).exit_code() == 0


WRITES = [  # every kind of write each API makes: (api, method, path)
    ("v2", "PUT", "/2/users/me$"),
    ("v2", "POST", "/2/media/upload"),
    ("v2", "PUT", "profile_image"),
    ("v2", "POST", "update_profile_banner"),
    ("v1.1", "POST", "update_profile\\.json"),
    ("v1.1", "POST", "update_profile_image"),
    ("v1.1", "POST", "update_profile_banner"),
]


@pytest.mark.parametrize(("api", "method", "path"), WRITES)
@pytest.mark.parametrize(
    "fault",
    [
        {"status": 429, "retry_after": 0},
        {"status": 500},
        {"status": 503, "times": 2},
        {"drop": True},
    ],
)
def test_faults_at_every_write_step_are_retried(
    tmp_path: Path, api: str, method: str, path: str, fault: dict[str, object]
) -> None:
    for world in make_world(tmp_path, {"northwind-x"}, twitter_api=api):
        injected = world.sandbox.add_fault(platform="twitter", method=method, path=path, **fault)
        result = apply([world.brand], world.options)
        assert injected.hits >= 1  # the fault really happened, and was retried through
        assert result.accounts[0].status == "changed", result.accounts[0].message
        assert plan([world.brand], world.options).exit_code() == 0


def test_persistent_failure_is_clear_and_a_rerun_converges(world: World) -> None:
    world.sandbox.add_fault(
        platform="twitter", path="update_profile_banner", status=500, times=None
    )
    failed = apply([world.brand], world.options)
    account = failed.accounts[0]
    assert account.status == "failed" and failed.exit_code() == 1
    assert (
        "twitter:northwind-x banner: Twitter/X server error (131: Internal error)"
        in account.message
    )
    world.sandbox.clear_faults()
    assert apply([world.brand], world.options).accounts[0].status == "changed"
    assert plan([world.brand], world.options).exit_code() == 0


def test_rate_limit_beyond_the_budget_is_reported_not_waited_for(world: World) -> None:
    world.sandbox.twitter.exhaust()
    result = plan([world.brand], world.options)
    assert result.exit_code() == 1
    said = {"v2": "(Too Many Requests)", "v1.1": "(88: Rate limit exceeded)"}[_api(world)]
    assert f"rate limited by Twitter/X {said}" in (result.accounts[0].error or "")
    assert "over the 5 s budget" in (result.accounts[0].error or "")


def test_auth_failures_are_clear(world: World) -> None:
    env = dict(world.env)
    env["NORTHWIND_X_ACCESS_TOKEN_SECRET"] = "wrong"
    bad = plan([world.brand], dataclasses.replace(world.options, env=env))
    said = {"v2": "(Unauthorized)", "v1.1": "(32: Could not authenticate you.)"}[_api(world)]
    assert f"credentials rejected {said}" in (bad.accounts[0].error or "")
    del env["NORTHWIND_X_ACCESS_TOKEN_SECRET"]
    missing = plan([world.brand], dataclasses.replace(world.options, env=env))
    assert "environment variable NORTHWIND_X_ACCESS_TOKEN_SECRET not set" in (
        missing.accounts[0].error or ""
    )
    world.sandbox.add_fault(platform="twitter", status=403, code=453)
    tier = plan([world.brand], world.options)
    said = {
        "v2": "this app cannot use X API v2 (When authenticating requests",
        "v1.1": "does not include the v1.1 account endpoints (code 453)",
    }[_api(world)]
    assert said in (tier.accounts[0].error or "")


def test_credentials_of_another_account_are_refused(world: World) -> None:
    other = world.sandbox.add_twitter_account("somebody_else")
    env = dict(world.env)
    for role, var in world.brand.account("northwind-x").credentials:
        env[var] = other[role]
    result = plan([world.brand], dataclasses.replace(world.options, env=env))
    assert "belong to @somebody_else, not @northwindcoffee" in (result.accounts[0].error or "")


def test_guards_refuse_far_renames_and_blanking_without_force(world: World) -> None:
    world.api().update_profile(name="Totally Different Bakery")
    refused = apply([world.brand], world.options)
    assert refused.accounts[0].status == "failed"
    assert (
        "refused without --force" in refused.accounts[0].message
        and "wrong account" in refused.accounts[0].message
    )
    assert world.api().verify_credentials().name == "Totally Different Bakery"  # nothing written
    forced = apply([world.brand], dataclasses.replace(world.options, force=True))
    assert forced.accounts[0].status == "changed"


def test_saved_plan_applies_only_if_nothing_moved(world: World) -> None:
    saved = Plan.from_dict(json.loads(json.dumps(plan([world.brand], world.options).to_dict())))
    world.api().update_profile(location="Somewhere else")
    moved = apply([world.brand], world.options, saved=saved)
    assert moved.accounts[0].status == "failed"
    assert "changed since the plan was made (location)" in moved.accounts[0].message
    fresh = plan([world.brand], world.options)
    assert apply([world.brand], world.options, saved=fresh).accounts[0].status == "changed"


def test_many_accounts_run_concurrently_and_one_failure_stops_nothing(world: World) -> None:
    import yaml

    data = yaml.safe_load(world.spec.read_text())
    data["accounts"] += [
        {
            "id": f"extra-{i}",
            "platform": "twitter",
            "handle": f"extra{i}",
            "credentials": {
                "consumer_key": f"EXTRA_{i}_CK",
                "consumer_secret": f"EXTRA_{i}_CS",
                "access_token": f"EXTRA_{i}_AT",
                "access_token_secret": f"EXTRA_{i}_ATS",
            },
        }
        for i in range(6)
    ]
    world.spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    brand = world.reload()
    from brandkit.sync.sandboxing import provision

    env = provision(world.sandbox, [brand])
    env.pop("EXTRA_3_ATS")
    world.sandbox.set_latency(0.05)  # every request takes a while, so parallel ones overlap
    result = apply([brand], dataclasses.replace(world.options, env=env))
    assert (
        world.sandbox.server.max_in_flight >= 2
    )  # options.workers is 4: accounts ran side by side
    statuses = {a.account: a.status for a in result.accounts}
    assert statuses.pop("extra-3") == "failed"
    assert set(statuses.values()) == {"changed"} and len(statuses) == 6
    assert result.exit_code() == 1


def test_python_api_takes_paths(world: World) -> None:
    result = brandkit.check(world.spec, world.options)
    assert isinstance(result, brandkit.Plan) and result.exit_code() == 2


def test_links_in_the_bio_converge(world: World) -> None:
    """X returns each link in a bio as a t.co link: compared as written, a bio with a link would
    be drift forever and every apply would fail verification."""
    import yaml

    data = yaml.safe_load(world.spec.read_text())
    bio = "Small-batch roasters. Shop https://northwind.example/shop or www.northwind.example ☕"
    data["accounts"][0]["overrides"] = {"bio": bio}
    world.spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    brand = world.reload()
    assert apply([brand], world.options).accounts[0].status == "changed"
    live = world.api().verify_credentials()
    assert (
        "northwind.example" not in live.description and live.description.count("https://t.co/") == 2
    )
    assert plan([brand], world.options).exit_code() == 0
    writes = world.sandbox.count(writes=True)
    assert apply([brand], world.options).accounts[0].status == "ok"
    assert world.sandbox.count(writes=True) == writes
    world.api().update_profile(description=bio.replace("/shop", "/sale"))  # a real change
    assert [c.field for c in plan([brand], world.options).changes] == ["description"]


def test_apply_waits_for_images_the_platform_processes_later(world: World) -> None:
    world.sandbox.twitter.processing_delay = 0.8
    said: list[str] = []
    options = dataclasses.replace(world.options, progress=said.append)
    result = apply([world.brand], options)
    assert [a.status for a in result.accounts] == ["changed"], result.accounts[0].message
    (waiting,) = [line for line in said if line.startswith("waiting")]
    assert "twitter:northwind-x  the platform is still processing avatar, banner" in waiting
    assert plan([world.brand], world.options).exit_code() == 0
    writes = world.sandbox.count(writes=True)
    assert apply([world.brand], world.options).accounts[0].status == "ok"
    assert world.sandbox.count(writes=True) == writes  # not uploaded again


def test_images_still_processing_past_the_timeout_fail_verification(world: World) -> None:
    world.sandbox.twitter.processing_delay = 30
    options = dataclasses.replace(world.options, settle_timeout=0.5)
    result = apply([world.brand], options)
    assert result.accounts[0].status == "failed"
    assert result.accounts[0].message == "written, but verification still sees: avatar, banner"


def test_a_read_only_token_is_reported_by_plan_and_nothing_is_written(world: World) -> None:
    handle = world.brand.account("northwind-x").options.handle
    creds = {role: world.env[var] for role, var in world.brand.account("northwind-x").credentials}
    world.sandbox.server.twitter.add_account(handle, access_level="read", **creds)
    result = plan([world.brand], world.options)
    assert result.exit_code() == 2  # a check still works with a read-only token
    assert "read-only (x-access-level: read)" in (result.accounts[0].cannot_write or "")
    writes = world.sandbox.count(writes=True)
    applied = apply([world.brand], world.options)
    assert applied.accounts[0].status == "failed" and "read-only" in applied.accounts[0].message
    assert world.sandbox.count(writes=True) == writes and applied.backup is None
