"""The Northwind example with one account of one platform, in a fresh sandbox: what each
platform's flow test starts from."""

from __future__ import annotations

import contextlib
import dataclasses
import typing as t
from pathlib import Path

import yaml

import brandkit
from brandkit.retry import RetryPolicy
from brandkit.sandbox import Sandbox
from brandkit.sync import SyncOptions
from brandkit.sync.sandboxing import provision
from tests.conftest import copy_example


@dataclasses.dataclass
class OneAccount:
    brand: brandkit.Brand
    sandbox: Sandbox
    options: SyncOptions
    env: dict[str, str]


@contextlib.contextmanager
def one_account(tmp_path: Path, account: dict[str, t.Any]) -> t.Iterator[OneAccount]:
    copy_example("northwind", tmp_path / "northwind")
    spec = tmp_path / "northwind" / "brand.yaml"
    data = yaml.safe_load(spec.read_text())
    data["accounts"] = [account]
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    brand = brandkit.load(spec)
    with Sandbox(state_dir=tmp_path / ".brandkit" / "sandbox") as sandbox:
        env = provision(sandbox, [brand])
        options = SyncOptions(
            env=env,
            state_dir=tmp_path / ".brandkit",
            retry=RetryPolicy(base=0.01, cap=0.05, budget=5.0),
        )
        yield OneAccount(brand, sandbox, options, env)
