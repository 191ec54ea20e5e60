"""A platform that answers nonsense (#27): every read of every platform replaced by random JSON
shapes, wrong types, control characters and sizes. brandkit must fail the account with a
message (never "unexpected error", which is how a bug is reported), and write nothing: a reply
like ``{}`` read as an empty profile would be "drift", and an apply would blank the account."""

from __future__ import annotations

import json
import typing as t
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandkit.retry import RetryPolicy
from brandkit.sync import SyncOptions, apply, plan
from tests.sync.conftest import World, make_world

PLATFORMS = ("twitter", "facebook", "mailchimp", "mastodon", "bluesky")
ACCOUNTS = {
    "northwind-x",
    "northwind-fb",
    "northwind-news",
    "northwind-masto",
    "northwind-bsky",
}

SHAPES = [
    "{}",
    "[]",
    "null",
    '"a string"',
    "42",
    "not json at all",
    "",
    '{"data": null}',
    '{"data": []}',
    '{"data": {"id": 7, "name": ["x"]}}',
    '{"id": null, "display_name": 5, "source": "x", "fields": {"a": 1}}',
    '{"value": [], "cid": 3, "uri": {}}',
    '{"id": "104729384756102", "name": {"x": 1}, "about": [], "cover": "x", "emails": "e"}',
    json.dumps({"error": {"code": "x", "message": None}}),
    json.dumps({"display_name": "\x1b]0;owned\x07\r\n| evil |", "note": "\x00" * 10}),
    json.dumps({"data": {"id": "1", "name": "n" * 200_000}}),
]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "data", "name", "value", "error", "source", "stats", "x"])
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[World]:
    for world in make_world(tmp_path_factory.mktemp("hostile"), ACCOUNTS):
        world.options = SyncOptions(
            env=world.options.env,
            state_dir=world.options.state_dir,
            workers=5,
            retry=RetryPolicy(base=0.001, cap=0.002, budget=0.01),
            settle_timeout=10,
        )
        result = apply([world.brand], world.options)
        assert {r.status for r in result.accounts} == {"changed"}, result.accounts
        yield world


def _hostile(world: World, platform: str, body: str) -> None:
    sandbox = world.sandbox
    sandbox.reset_rate_limits()
    brand = replace(
        world.brand, accounts=tuple(a for a in world.brand.accounts if a.platform == platform)
    )
    writes = sandbox.count(writes=True)
    sandbox.add_fault(platform=platform, method="GET", body=body, times=None)
    try:
        result = apply([brand], world.options)
        checked = plan([brand], world.options)
    finally:
        sandbox.clear_faults()
    said = [r.message for r in result.accounts] + [a.error or "" for a in checked.accounts]
    assert not any("unexpected error" in m for m in said), (platform, body[:80], said)
    assert sandbox.count(writes=True) == writes, (platform, body[:80], result.accounts)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("body", SHAPES, ids=range(len(SHAPES)))
def test_a_broken_answer_fails_the_account_and_writes_nothing(
    world: World, platform: str, body: str
) -> None:
    _hostile(world, platform, body)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_random_answers(world: World, platform: str) -> None:
    @settings(max_examples=12)  # two applies each: a dozen shapes per platform
    @given(JSON)
    def check(value: t.Any) -> None:
        _hostile(world, platform, json.dumps(value))

    check()


def test_the_accounts_are_still_in_sync_afterwards(world: World, tmp_path: Path) -> None:
    world.sandbox.reset_rate_limits()
    assert plan([world.brand], world.options).exit_code() == 0
