"""A YouTube channel end to end against the sandbox's Data API and OAuth token endpoint: the
description, keywords, country, language and banner written (the banner in two steps, upload
then bannerExternalUrl) and then in sync; brandingSettings sent back whole; an expired access
token renewed once; a spent quota said, not retried; the name and picture left for a person."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import pytest

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sync import apply, plan
from tests.sync.one_account import OneAccount, one_account

CHANNEL = "UCnorthwindCoffeeRoast1"[:24].ljust(24, "x")


@pytest.fixture
def channel(tmp_path: Path) -> t.Iterator[OneAccount]:
    with one_account(
        tmp_path,
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
        },
    ) as world:
        yield world


def test_apply_then_check_then_nothing_to_write(channel: OneAccount) -> None:
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


def test_branding_is_sent_back_whole_and_the_name_is_by_hand(channel: OneAccount) -> None:
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


def test_an_expired_token_is_renewed_and_a_spent_quota_is_said(channel: OneAccount) -> None:
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
