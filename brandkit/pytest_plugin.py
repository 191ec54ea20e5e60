"""pytest plugin (entry point ``pytest11``): the ``brandkit_sandbox`` fixture.

def test_my_script(brandkit_sandbox, monkeypatch):
    for key, value in brandkit_sandbox.env().items():
        monkeypatch.setenv(key, value)
    creds = brandkit_sandbox.add_twitter_account("acme")
    ...

pytest loads this module in every run of everyone who installs brandkit, so it imports the
sandbox (TLS, five emulated platforms: ~0.25 s) only when a test asks for the fixture.
"""

from __future__ import annotations

import typing as t

import pytest

if t.TYPE_CHECKING:
    from brandkit.sandbox import Sandbox


@pytest.fixture
def brandkit_sandbox() -> t.Iterator[Sandbox]:
    """A fresh, running sandbox (in-memory state) for one test."""
    from brandkit.sandbox import Sandbox  # only for the tests that use it (see above)

    with Sandbox() as sandbox:
        yield sandbox
