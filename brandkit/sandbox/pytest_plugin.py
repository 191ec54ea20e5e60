"""pytest plugin (entry point ``pytest11``): the ``brandkit_sandbox`` fixture.

def test_my_script(brandkit_sandbox, monkeypatch):
    for key, value in brandkit_sandbox.env().items():
        monkeypatch.setenv(key, value)
    creds = brandkit_sandbox.add_twitter_account("acme")
    ...
"""

from __future__ import annotations

import typing as t

import pytest

from brandkit.sandbox import Sandbox


@pytest.fixture
def brandkit_sandbox() -> t.Iterator[Sandbox]:
    """A fresh, running sandbox (in-memory state) for one test."""
    with Sandbox() as sandbox:
        yield sandbox
