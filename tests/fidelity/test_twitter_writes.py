"""X's two v2 profile writes, whose answers nobody has published (issue #26).

``PUT /2/users/me`` and ``PUT /2/users/me/profile_image`` are documented on docs.x.com
(https://docs.x.com/x-api/users/update-user-profile, .../update-profile-image) but are absent from
X's OpenAPI file (xdevplatform/xdk specs/openapi.json, v2.167: no ``/2/users/me`` PUT operation),
so their response bodies are undocumented. A client must take any 2xx as written and verify by
reading back; where the app cannot use them (404, or a 403 that is not about the token) it falls
back once to v1.1 ``account/update_profile`` and ``account/update_profile_image``
(developer.x.com v1.1 reference), saying so.
"""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from brandkit.sync import apply, plan
from tests.sync.conftest import World, make_world


@pytest.fixture
def x(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, {"northwind-x"}, twitter_api="v2")


def _paths(world: World) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in world.sandbox.requests if r.platform == "twitter"]


@pytest.mark.parametrize("answer", ["empty", "no-content"])
def test_a_2xx_without_data_counts_as_written_and_is_read_back(x: World, answer: str) -> None:
    x.sandbox.twitter.v2.write_answers = answer
    result = apply([x.brand], x.options)
    (account,) = result.accounts
    assert account.status == "changed", account.message
    assert "refused" not in account.message
    assert plan([x.brand], x.options).exit_code() == 0  # what was written reads back
    puts = [p for p in _paths(x) if p[0] == "PUT"]
    assert {p[1] for p in puts} == {"/2/users/me", "/2/users/me/profile_image"}
    assert {p[2] for p in puts} == ({200} if answer == "empty" else {204})


def test_no_v2_write_endpoint_falls_back_to_v1_once_and_says_so(x: World) -> None:
    x.sandbox.twitter.v2.write_answers = "absent"
    result = apply([x.brand], x.options)
    (account,) = result.accounts
    assert account.status == "changed", account.message
    # the avatar goes first: its endpoint is the one found missing, and v1.1 then does the rest
    assert "X answered 404 to PUT /2/users/me/profile_image: written with v1.1" in account.message
    assert plan([x.brand], x.options).exit_code() == 0
    paths = _paths(x)
    v2_puts = [p for p in paths if p[0] == "PUT"]
    assert [p[2] for p in v2_puts] == [404]  # asked once; the text went straight to v1.1
    assert any(p[1].endswith("account/update_profile.json") for p in paths)
    assert any(p[1].endswith("account/update_profile_image.json") for p in paths)
