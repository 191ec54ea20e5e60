from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import typing as t
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

# Property tests run the same examples on every CI run (a landing never hangs on luck);
# BRANDKIT_FUZZ_RANDOM=1 with BRANDKIT_FUZZ_EXAMPLES=3000 explores new ones on a developer machine
# (the profiles hold every property test's settings: examples, no deadline, fixtures allowed).
_FUZZ = {
    "max_examples": int(os.environ.get("BRANDKIT_FUZZ_EXAMPLES", "150")),
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}
settings.register_profile("fixed", derandomize=True, **_FUZZ)
settings.register_profile("explore", derandomize=False, **_FUZZ)
settings.load_profile("explore" if os.environ.get("BRANDKIT_FUZZ_RANDOM") == "1" else "fixed")

# brandkit's own cache (specs that passed the schema) starts empty for every test run, and the
# developer's is left alone; subprocesses inherit it
os.environ["BRANDKIT_CACHE"] = tempfile.mkdtemp(prefix="brandkit-test-cache-")
# brandkit speaks the locale's language: the suite expects English unless a test asks otherwise
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
# how many accounts the Northwind example covers (every platform brandkit writes)
NORTHWIND_ACCOUNTS = len(
    yaml.safe_load((EXAMPLES / "northwind" / "brand.yaml").read_text(encoding="utf-8"))["accounts"]
)
# of which brandkit writes to all but Instagram and LinkedIn (checked only: a new sandbox
# account is as its owner set it up by hand, so in sync from the start)
NORTHWIND_WRITTEN = NORTHWIND_ACCOUNTS - 2


def copy_example(name: str | Path, to: Path, **options: t.Any) -> Path:
    """A copy of an example (or a file below it) without the state a run of the README's main
    command leaves beside it (.brandkit/), so tests start fresh whatever ran before."""
    return Path(
        shutil.copytree(EXAMPLES / name, to, ignore=shutil.ignore_patterns(".brandkit"), **options)
    )


def _is_loopback(address: t.Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths and the like
    host = address[0]
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _english_after_each_test() -> t.Iterator[None]:
    """A test that runs ``brandkit --lang fr`` in this process leaves English behind it."""
    yield
    from brandkit.i18n import use_language

    use_language("en")


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to the sandbox on loopback, never to the internet."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: t.Any) -> t.Any:
        if not _is_loopback(address):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


def run_python(code: str, *args: str, **env: str) -> str:
    """``code`` in a fresh interpreter from the repository, with ``env`` added to the
    environment; its stdout (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def postgres() -> t.Iterator[t.Any]:
    """A real PostgreSQL server on loopback for the whole run (tests/postgres.py)."""
    from tests.postgres import running

    with running() as server:
        yield server
