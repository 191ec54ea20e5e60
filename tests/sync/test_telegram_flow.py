"""Telegram end to end against the sandbox's Bot API, with requests as a bot would use it: a new
channel is applied, check exits 0, a second apply writes nothing, an edit made in the app is
drift, the bot's missing right and a flood wait say what to do, the token never shows, the
subscribers are the audience."""

from __future__ import annotations

import dataclasses
import json
import typing as t
from pathlib import Path

import pytest
import requests

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sync import apply, plan
from tests.sync.one_account import OneAccount, one_account

CHAT = "@northwindcoffee"


def bot(channel: OneAccount, method: str, **params: t.Any) -> t.Any:
    """What any client of the Bot API sees."""
    session = requests.Session()
    session.trust_env = False
    session.verify = channel.env["BRANDKIT_CA_BUNDLE"]
    url = f"{channel.env['BRANDKIT_TELEGRAM_URL']}/bot{channel.env['NORTHWIND_TELEGRAM_BOT']}"
    return session.post(f"{url}/{method}", json=params).json()


@pytest.fixture
def channel(tmp_path: Path) -> t.Iterator[OneAccount]:
    account = {
        "id": "northwind-telegram",
        "platform": "telegram",
        "chat": CHAT,
        "credentials": {"bot_token": "NORTHWIND_TELEGRAM_BOT"},
    }
    with one_account(tmp_path, account) as world:
        yield world


def test_apply_then_check_then_nothing_to_write(channel: OneAccount) -> None:
    first = plan([channel.brand], channel.options)
    # a new channel already has the name it was created with
    assert {c.field for c in first.changes} == {"description", "photo"}
    assert apply([channel.brand], channel.options).exit_code() == 0
    assert plan([channel.brand], channel.options).exit_code() == 0
    channel.sandbox.clear_requests()
    again = apply([channel.brand], channel.options)
    assert again.exit_code() == 0 and channel.sandbox.count(writes=True) == 0
    chat = bot(channel, "getChat", chat_id=CHAT)["result"]
    assert chat["description"].startswith("Small-batch coffee")
    assert chat["photo"]["big_file_id"]


def test_an_edit_in_the_app_is_drift_and_is_put_back(channel: OneAccount) -> None:
    apply([channel.brand], channel.options)
    channel.sandbox.telegram.edit_channel(CHAT, title="Cheap Coffee", description="Whatever.")
    drift = plan([channel.brand], channel.options)
    assert drift.exit_code() == 2
    assert {c.field for c in drift.changes} == {"title", "description"}
    # the photo changed in the app: found by looking at it, not by its id
    other = bot(channel, "setChatPhoto", chat_id=CHAT)
    assert other["ok"] is False  # no photo sent: the Bot API's own refusal
    assert apply([channel.brand], channel.options).exit_code() == 0
    assert plan([channel.brand], channel.options).exit_code() == 0


def test_the_token_never_shows_in_a_plan(channel: OneAccount, tmp_path: Path) -> None:
    saved = plan([channel.brand], channel.options).to_dict()
    token = channel.env["NORTHWIND_TELEGRAM_BOT"]
    assert token not in json.dumps(saved)
    apply([channel.brand], channel.options)
    channel.sandbox.telegram.edit_channel(CHAT, description="Whatever.")
    again = json.dumps(plan([channel.brand], channel.options).to_dict())
    assert token not in again and "telegram-file:" in again
    kept = [
        p
        for p in (tmp_path / ".brandkit").rglob("*")
        if p.is_file() and "sandbox" not in p.relative_to(tmp_path).parts  # the platform's own
    ]
    assert any(p.name == "written.json" for p in kept)
    assert not [p for p in kept if token.encode() in p.read_bytes()]


def test_a_bot_without_the_right_and_a_flood_wait_say_what_to_do(channel: OneAccount) -> None:
    token = channel.env["NORTHWIND_TELEGRAM_BOT"]
    channel.sandbox.telegram.add_channel(CHAT, bot_token=token, can_change_info=False)
    result = apply([channel.brand], channel.options)
    error = result.accounts[0].message or ""
    assert result.exit_code() == 1
    assert "administrator" in error and "change channel info" in error and token not in error
    channel.sandbox.telegram.add_channel(CHAT, bot_token=token, member=False)
    error = plan([channel.brand], channel.options).accounts[0].error or ""
    assert "bot is not a member of the channel chat" in error
    channel.sandbox.telegram.add_channel(CHAT, bot_token=token)
    waits: list[float] = []
    patient = dataclasses.replace(
        channel.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
    )
    channel.sandbox.add_fault(platform="telegram", status=429, retry_after=3)
    assert plan([channel.brand], patient).exit_code() == 2
    assert 3.0 in waits  # from parameters.retry_after, in the body


def test_a_refused_token_names_its_variable_and_the_figures(channel: OneAccount) -> None:
    bad = dataclasses.replace(
        channel.options, env={**channel.env, "NORTHWIND_TELEGRAM_BOT": "1:wrong"}
    )
    error = plan([channel.brand], bad).accounts[0].error or ""
    assert "BotFather" in error and "NORTHWIND_TELEGRAM_BOT" in error and "1:wrong" not in error
    figures = brandkit.stats(channel.brand, channel.options).accounts[0]
    assert figures.audience and figures.audience > 0
    assert set(figures.metrics) == {"member_count"}
