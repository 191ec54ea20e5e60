from __future__ import annotations

import dataclasses
import time
import typing as t
from pathlib import Path

import pytest
import tweepy
import yaml

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.sync import SyncOptions
from brandkit.sync.sandboxing import provision
from tests.conftest import copy_example
from tests.sandbox.helpers import tweepy_api


@dataclasses.dataclass
class World:
    spec: Path
    brand: brandkit.Brand
    sandbox: Sandbox
    options: SyncOptions
    env: dict[str, str]

    def reload(self) -> brandkit.Brand:
        self.brand = brandkit.load(self.spec)
        return self.brand

    def processed(self) -> None:
        """Wait until images uploaded by hand show (the sandbox, like X, processes them first)."""
        time.sleep(self.sandbox.twitter.processing_delay + 0.05)

    def api(self, account_id: str = "northwind-x") -> tweepy.API:
        account = self.brand.account(account_id)
        creds = {role: self.env[var] for role, var in account.credentials}
        return tweepy_api(self.sandbox, creds)


def make_world(
    tmp_path: Path, keep: set[str], *, twitter_api: str | None = None
) -> t.Iterator[World]:
    """The Northwind example with only the ``keep`` accounts, its sandbox, and sync options."""
    copy_example("northwind", tmp_path / "northwind")
    spec = tmp_path / "northwind" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [a for a in data["accounts"] if a["id"] in keep]
    for account in data["accounts"]:
        if account["platform"] == "twitter" and twitter_api:
            account["api"] = twitter_api
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    brand = brandkit.load(spec)
    state = tmp_path / ".brandkit"
    with Sandbox(state_dir=state / "sandbox") as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env, state_dir=state, workers=4, retry=RetryPolicy(base=0.01, cap=0.05, budget=5.0)
        )
        yield World(spec, brand, sandbox, options, env)


@pytest.fixture(params=["v2", "v1.1"])
def world(tmp_path: Path, request: pytest.FixtureRequest) -> t.Iterator[World]:
    """The Northwind X account, through X API v2 (the default) and through v1.1."""
    yield from make_world(tmp_path, {"northwind-x"}, twitter_api=request.param)
