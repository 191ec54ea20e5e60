"""Credentials from a .env file beside the spec: used when the environment lacks them, never
over a variable the environment sets, named (never shown) in the output."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from brandkit.cli import main
from tests.sync.conftest import World, make_world


@pytest.fixture
def x_only(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, {"northwind-x"})


def _split(world: World) -> tuple[dict[str, str], dict[str, str]]:
    """(credentials the spec names, everything else: endpoints, CA bundle)."""
    names = {var for _, var in world.brand.account("northwind-x").credentials}
    secrets = {k: v for k, v in world.env.items() if k in names}
    return secrets, {k: v for k, v in world.env.items() if k not in names}


def test_credentials_come_from_the_dotenv_beside_the_spec(
    x_only: World, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    secrets, rest = _split(x_only)
    for name, value in rest.items():
        monkeypatch.setenv(name, value)
    for name in secrets:
        monkeypatch.delenv(name, raising=False)
    spec = str(x_only.spec)
    assert main(["check", spec, "-q"]) == 1
    assert "looked in the environment and in a .env file beside the spec" in capsys.readouterr().out
    (x_only.spec.parent / ".env").write_text(
        "# the X account\n" + "".join(f'{k}="{v}"\n' for k, v in secrets.items())
    )
    assert main(["check", spec]) == 2  # read, and off-brand (nothing applied yet)
    captured = capsys.readouterr()
    assert ".env sets NORTHWIND_X_ACCESS_TOKEN" in captured.err
    for value in secrets.values():
        assert value not in captured.out + captured.err


def test_the_real_environment_wins_over_the_dotenv(
    x_only: World, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    secrets, rest = _split(x_only)
    for name, value in {**rest, **secrets}.items():
        monkeypatch.setenv(name, value)
    first = sorted(secrets)[0]
    (x_only.spec.parent / ".env").write_text(f"{first}=wrong-value-from-a-file\n")
    assert main(["check", str(x_only.spec), "-q"]) == 2  # the environment's value was used
    monkeypatch.delenv(first)
    assert main(["check", str(x_only.spec), "-q"]) == 1  # now the file's (wrong) one is
    assert "wrong-value-from-a-file" not in capsys.readouterr().out
