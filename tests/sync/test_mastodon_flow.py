"""Mastodon end to end against the sandbox, with requests as a client would use it: a fresh
account is applied, check exits 0, a second apply writes nothing, an edit made in the app is
drift, a refused token and the rate limit say what to do, the figures come from the account."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import pytest
import requests
import yaml

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.sync import SyncOptions, apply, plan, restore
from brandkit.sync.sandboxing import provision
from tests.conftest import copy_example


@dataclasses.dataclass
class Masto:
    brand: brandkit.Brand
    sandbox: Sandbox
    options: SyncOptions
    env: dict[str, str]

    def app(self) -> requests.Session:
        """What the Mastodon web app does with the same account."""
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would win over verify
        session.verify = self.env["BRANDKIT_CA_BUNDLE"]
        session.headers["Authorization"] = f"Bearer {self.env['NORTHWIND_MASTODON_TOKEN']}"
        return session

    @property
    def url(self) -> str:
        return self.env["BRANDKIT_MASTODON_URL"]


@pytest.fixture
def masto(tmp_path: Path) -> t.Iterator[Masto]:
    copy_example("northwind", tmp_path / "northwind")
    spec = tmp_path / "northwind" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [
        {
            "id": "northwind-masto",
            "platform": "mastodon",
            "instance": "https://mastodon.social",
            "credentials": {"access_token": "NORTHWIND_MASTODON_TOKEN"},
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
        yield Masto(brand, sandbox, options, env)


def test_apply_then_check_then_nothing_to_write(masto: Masto) -> None:
    first = plan([masto.brand], masto.options)
    fields = {c.field for c in first.changes}
    # a new account already shows the brand's name (as Mastodon asks for one at sign-up)
    assert fields == {"note", "fields", "avatar", "header"}, fields
    assert apply([masto.brand], masto.options).exit_code() == 0
    assert plan([masto.brand], masto.options).exit_code() == 0
    masto.sandbox.clear_requests()
    again = apply([masto.brand], masto.options)
    assert again.exit_code() == 0 and masto.sandbox.count(writes=True) == 0
    me = masto.app().get(f"{masto.url}/api/v1/accounts/verify_credentials").json()
    assert me["display_name"] == "Northwind Coffee Roasters"
    assert me["note"].startswith("<p>Small-batch coffee")  # the server's HTML
    assert [f["name"] for f in me["source"]["fields"]] == ["Website", "Instagram", "YouTube"]
    assert "/system/avatars/" in me["avatar"] and "/system/headers/" in me["header"]


def test_an_edit_in_the_app_is_drift_and_restore_puts_it_back(masto: Masto) -> None:
    result = apply([masto.brand], masto.options)
    app = masto.app()
    edited = app.patch(
        f"{masto.url}/api/v1/accounts/update_credentials",
        data={
            "note": "Cheap coffee.\nWhatever.",
            "fields_attributes[0][name]": "Shop",
            "fields_attributes[0][value]": "https://shop.example",
        },
    )
    assert edited.status_code == 200
    drift = plan([masto.brand], masto.options)
    assert drift.exit_code() == 2
    assert {c.field for c in drift.changes} == {"note", "fields"}
    assert apply([masto.brand], masto.options).exit_code() == 0
    assert plan([masto.brand], masto.options).exit_code() == 0
    assert result.backup is not None
    restored = restore(result.backup, [masto.brand], masto.options)
    assert restored.exit_code() == 0
    me = app.get(f"{masto.url}/api/v1/accounts/verify_credentials").json()
    # the texts as they were; pictures the account did not have are left (as on every platform)
    assert me["source"]["fields"] == [] and me["source"]["note"] == ""


def test_a_line_break_in_the_bio_is_not_drift(masto: Masto, tmp_path: Path) -> None:
    # Mastodon hands back the bio with \r\n line ends; brandkit must not see that as a change
    spec = masto.brand.source
    data = yaml.safe_load(spec.read_text())
    data["identity"]["bio"]["platforms"] = {
        "mastodon": "Small-batch coffee.\n\nFresh every Tuesday."
    }
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    brand = brandkit.load(spec)
    apply([brand], masto.options)
    me = masto.app().get(f"{masto.url}/api/v1/accounts/verify_credentials").json()
    assert "\r\n" in me["source"]["note"]
    assert plan([brand], masto.options).exit_code() == 0


def test_refused_token_rate_limit_and_figures(masto: Masto) -> None:
    bad = dataclasses.replace(masto.options, env={**masto.env, "NORTHWIND_MASTODON_TOKEN": "nope"})
    error = plan([masto.brand], bad).accounts[0].error or ""
    assert "access token was refused" in error and "NORTHWIND_MASTODON_TOKEN" in error
    assert "nope" not in error
    waits: list[float] = []
    limited = dataclasses.replace(
        masto.options, retry=RetryPolicy(base=0.01, budget=30, sleep=waits.append)
    )
    masto.sandbox.add_fault(platform="mastodon", method="GET", status=429, retry_after=2)
    assert plan([masto.brand], limited).exit_code() == 2
    assert 2.0 in waits
    stats = brandkit.stats(masto.brand, masto.options)
    figures = stats.accounts[0]
    assert figures.audience and figures.audience > 0
    assert set(figures.metrics) == {"followers_count", "following_count", "statuses_count"}
