"""A GitHub organization end to end against the sandbox's REST API: the profile is written and
then in sync, a second apply writes nothing, an edit on github.com is drift, the avatar (no API)
is planned as "change by hand" and never attempted, and becomes in sync once a person uploads
it; a token without the right and a spent rate limit say what to do."""

from __future__ import annotations

import dataclasses
import io
import typing as t
from pathlib import Path

import pytest
from PIL import Image

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sync import apply, plan
from tests.sync.one_account import OneAccount, one_account

ORG = "northwind-coffee"


@pytest.fixture
def org(tmp_path: Path) -> t.Iterator[OneAccount]:
    with one_account(
        tmp_path,
        {
            "id": "northwind-github",
            "platform": "github",
            "org": ORG,
            "credentials": {"token": "NORTHWIND_GITHUB_TOKEN"},
        },
    ) as world:
        yield world


def test_the_profile_is_written_and_the_avatar_is_left_for_a_person(org: OneAccount) -> None:
    # a new organization: its owner uploaded the logo by hand when opening it (no API can)
    first = plan([org.brand], org.options)
    assert {c.field for c in first.changes} == {"description", "blog", "email", "location"}
    assert apply([org.brand], org.options).exit_code() == 0
    assert plan([org.brand], org.options).exit_code() == 0
    # someone uploads another picture on github.com: drift, to be changed by hand
    other = io.BytesIO()
    Image.new("RGB", (500, 500), (220, 40, 40)).save(other, "PNG")
    org.sandbox.github.upload_avatar(ORG, other.getvalue())
    drift = plan([org.brand], org.options)
    (avatar,) = drift.changes
    assert avatar.field == "avatar" and drift.exit_code() == 2
    assert avatar.by_hand and f"github.com/organizations/{ORG}/settings/profile" in avatar.by_hand
    org.sandbox.github.edit_org(ORG, location="Nowhere")
    org.sandbox.clear_requests()
    result = apply([org.brand], org.options)
    (account,) = result.accounts
    assert result.exit_code() == 0 and account.status == "changed"
    assert [c.field for c in account.by_hand] == ["avatar"] and "by hand" in account.message
    assert "to change by hand" in result.summary()
    # the location was written; no write was tried for the avatar (there is none to try)
    assert [r.method for r in org.sandbox.requests if r.is_write] == ["PATCH"]
    second = apply([org.brand], org.options)
    assert second.accounts[0].status == "by hand" and second.exit_code() == 0
    # the person uploads the rendered avatar on the settings page: in sync
    org.sandbox.github.upload_avatar(ORG, Path(avatar.after).read_bytes())
    assert plan([org.brand], org.options).exit_code() == 0


def test_an_edit_on_github_is_drift(org: OneAccount) -> None:
    apply([org.brand], org.options)
    org.sandbox.github.edit_org(ORG, description="Cheap coffee", location="")
    drift = plan([org.brand], org.options)
    assert {c.field for c in drift.changes} == {"description", "location"}


def test_a_member_token_and_a_spent_limit_say_what_to_do(org: OneAccount) -> None:
    token = org.env["NORTHWIND_GITHUB_TOKEN"]
    org.sandbox.github.add_org(ORG, token=token, owner=False)
    error = apply([org.brand], org.options).accounts[0].message
    assert "owner" in error and "admin:org" in error and token not in error
    org.sandbox.github.add_org(ORG, token=token)
    waits: list[float] = []
    patient = dataclasses.replace(
        org.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
    )
    org.sandbox.add_fault(platform="github", status=429, retry_after=4)
    assert plan([org.brand], patient).exit_code() == 2
    assert 4.0 in waits
    figures = brandkit.stats(org.brand, org.options).accounts[0]
    assert figures.audience and set(figures.metrics) == {"followers", "public_repos"}
