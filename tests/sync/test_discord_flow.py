"""A Discord server end to end against the sandbox's HTTP API v10: name, icon, banner and
description written and then in sync, a second apply writes nothing, an edit in the app is
drift, a server without the BANNER and COMMUNITY features keeps those fields out of the plan
and says why, a bot without Manage Server and a 429 say what to do, the members are the
audience."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import pytest

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sync import apply, plan
from tests.sync.one_account import OneAccount, one_account

GUILD = "613425648685547541"


@pytest.fixture
def server(tmp_path: Path) -> t.Iterator[OneAccount]:
    with one_account(
        tmp_path,
        {
            "id": "northwind-discord",
            "platform": "discord",
            "guild_id": GUILD,
            "credentials": {"bot_token": "NORTHWIND_DISCORD_BOT_TOKEN"},
        },
    ) as world:
        yield world


def test_apply_then_check_then_nothing_to_write(server: OneAccount) -> None:
    first = plan([server.brand], server.options)
    assert {c.field for c in first.changes} == {"description", "icon", "banner"}
    assert apply([server.brand], server.options).exit_code() == 0
    assert plan([server.brand], server.options).exit_code() == 0
    server.sandbox.clear_requests()
    assert apply([server.brand], server.options).exit_code() == 0
    assert server.sandbox.count(writes=True) == 0
    server.sandbox.discord.edit_guild(GUILD, name="Cheap Coffee", description="Whatever.")
    drift = plan([server.brand], server.options)
    assert {c.field for c in drift.changes} == {"name", "description"}


def test_a_server_without_the_features_keeps_banner_and_description_out(server: OneAccount) -> None:
    token = server.env["NORTHWIND_DISCORD_BOT_TOKEN"]
    server.sandbox.discord.add_guild(GUILD, bot_token=token, features=())
    result = apply([server.brand], server.options)
    assert result.exit_code() == 0
    assert {c.field for c in result.accounts[0].changes} == {"icon"}
    assert plan([server.brand], server.options).exit_code() == 0


def test_a_bot_without_the_permission_and_a_429_say_what_to_do(server: OneAccount) -> None:
    token = server.env["NORTHWIND_DISCORD_BOT_TOKEN"]
    server.sandbox.discord.add_guild(GUILD, bot_token=token, manage_guild=False)
    error = apply([server.brand], server.options).accounts[0].message
    assert "Manage Server" in error and token not in error
    server.sandbox.discord.add_guild(GUILD, bot_token=token)
    waits: list[float] = []
    patient = dataclasses.replace(
        server.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
    )
    server.sandbox.add_fault(platform="discord", status=429, retry_after=2.5)
    assert plan([server.brand], patient).exit_code() == 2
    assert 2.5 in waits  # retry_after from the body, fractional
    bad = dataclasses.replace(
        server.options, env={**server.env, "NORTHWIND_DISCORD_BOT_TOKEN": "wrong"}
    )
    said = plan([server.brand], bad).accounts[0].error or ""
    assert "Developer Portal" in said and "NORTHWIND_DISCORD_BOT_TOKEN" in said
    figures = brandkit.stats(server.brand, server.options).accounts[0]
    assert figures.audience and set(figures.metrics) == {
        "approximate_member_count",
        "approximate_presence_count",
    }
