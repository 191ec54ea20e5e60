"""A YouTube channel end to end against the sandbox's Data API and OAuth token endpoint: the
description, keywords, country, language and banner written (the banner in two steps, upload
then bannerExternalUrl) and then in sync; brandingSettings sent back whole; an expired access
token renewed once; a spent quota said, not retried; the name and picture left for a person."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import pytest
import yaml

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.sync import SyncOptions, apply, plan
from brandkit.sync.sandboxing import provision
from tests.conftest import copy_example

CHANNEL = "UCnorthwindCoffeeRoast1"[:24].ljust(24, "x")


@dataclasses.dataclass
class Channel:
    brand: brandkit.Brand
    sandbox: Sandbox
    options: SyncOptions


@pytest.fixture
def channel(tmp_path: Path) -> t.Iterator[Channel]:
    copy_example("northwind", tmp_path / "northwind")
    spec = tmp_path / "northwind" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [
        {
            "id": "northwind-youtube",
            "platform": "youtube",
            "channel_id": CHANNEL,
            "keywords": 'coffee "Oregon coast" roastery',
            "credentials": {
                "client_id": "NORTHWIND_YT_CLIENT_ID",
                "client_secret": "NORTHWIND_YT_CLIENT_SECRET",
                "refresh_token": "NORTHWIND_YT_REFRESH_TOKEN",
            },
        }
    ]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    brand = brandkit.load(spec)
    with Sandbox(state_dir=tmp_path / ".brandkit" / "sandbox") as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env,
            state_dir=tmp_path / ".brandkit",
            retry=RetryPolicy(base=0.01, cap=0.05, budget=5.0),
        )
        yield Channel(brand, sandbox, options)


def test_apply_then_check_then_nothing_to_write(channel: Channel) -> None:
    first = plan([channel.brand], channel.options)
    # the name and the picture were set by hand when the channel was opened (no API)
    assert {c.field for c in first.changes} == {
        "description",
        "keywords",
        "country",
        "banner",
    }
    assert apply([channel.brand], channel.options).exit_code() == 0
    assert plan([channel.brand], channel.options).exit_code() == 0
    channel.sandbox.clear_requests()
    assert apply([channel.brand], channel.options).exit_code() == 0
    assert channel.sandbox.count(writes=True) == 1  # the token; nothing written to the channel
    kept = channel.sandbox.state.data["youtube"]["channels"][CHANNEL]["branding"]
    assert kept["channel"]["keywords"] == 'coffee "Oregon coast" roastery'
    assert kept["image"]["bannerExternalUrl"].startswith("https://")


def test_branding_is_sent_back_whole_and_the_name_is_by_hand(channel: Channel) -> None:
    apply([channel.brand], channel.options)
    # set in Studio, unknown to brandkit: must survive brandkit's update
    channel.sandbox.youtube.edit_channel(CHANNEL, unsubscribedTrailer="abc123", description="x")
    channel.sandbox.youtube.by_hand(channel.brand.accounts[0], "title", "Cheap Coffee")
    drift = plan([channel.brand], channel.options)
    fields = {c.field: c for c in drift.changes}
    assert set(fields) == {"description", "title"} and fields["title"].by_hand
    assert "studio.youtube.com/channel/" in (fields["title"].by_hand or "")
    result = apply([channel.brand], channel.options)
    assert result.accounts[0].status == "changed" and "title" in result.accounts[0].message
    kept = channel.sandbox.state.data["youtube"]["channels"][CHANNEL]["branding"]["channel"]
    assert kept["unsubscribedTrailer"] == "abc123"


def test_an_expired_token_is_renewed_and_a_spent_quota_is_said(channel: Channel) -> None:
    apply([channel.brand], channel.options)
    channel.sandbox.youtube.expire_tokens()
    channel.sandbox.youtube.edit_channel(CHANNEL, keywords="")
    assert apply([channel.brand], channel.options).exit_code() == 0  # renewed once, written
    channel.sandbox.youtube.quota = 0
    waits: list[float] = []
    patient = dataclasses.replace(
        channel.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
    )
    error = plan([channel.brand], patient).accounts[0].error or ""
    assert "quota" in error and "midnight Pacific" in error and waits == []
    channel.sandbox.youtube.quota = 10_000
    figures = brandkit.stats(channel.brand, channel.options).accounts[0]
    assert figures.audience == figures.metrics["subscriberCount"] > 0
    assert str(figures.audience)[3:] == "0" * (len(str(figures.audience)) - 3)  # 3 figures
