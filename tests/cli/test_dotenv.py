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


def test_a_dotenv_cannot_point_brandkit_at_another_server(
    x_only: World, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    """#27: a pull request adding a .env with BRANDKIT_*_URL could send every token to its own
    listener. A .env may only set the credentials the spec names; the rest is ignored, by name."""
    secrets, rest = _split(x_only)
    for name, value in {**rest, **secrets}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("BRANDKIT_TWITTER_URL")
    (x_only.spec.parent / ".env").write_text(
        "BRANDKIT_TWITTER_URL=https://127.0.0.1:9/\nBRANDKIT_CA_BUNDLE=/tmp/evil.pem\n"
    )
    code = main(["check", str(x_only.spec)])
    captured = capsys.readouterr()
    assert "ignored BRANDKIT_CA_BUNDLE, BRANDKIT_TWITTER_URL" in captured.err
    # the real X API was the one asked for (the test's no-internet guard refused it)
    assert code == 1 and "127.0.0.1:9" not in captured.out + captured.err


def test_plain_http_endpoints_are_refused_except_on_this_machine(
    x_only: World, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    for name, value in x_only.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BRANDKIT_TWITTER_URL", "http://brandkit.example:8080")
    assert main(["check", str(x_only.spec), "-q"]) == 1
    err = capsys.readouterr().err
    assert "BRANDKIT_TWITTER_URL must be an https:// URL" in err


def test_credentials_from_a_json_of_secrets(
    x_only: World, monkeypatch: pytest.MonkeyPatch, capsys: t.Any
) -> None:
    """A CI matrix hands toJSON(secrets) over as BRANDKIT_SECRETS: brandkit takes only what the
    spec names, and never shows a value."""
    import json

    secrets, rest = _split(x_only)
    for name, value in rest.items():
        monkeypatch.setenv(name, value)
    for name in secrets:
        monkeypatch.delenv(name, raising=False)
    everything = {**secrets, "OTHER_BRAND_TOKEN": "not-for-this-spec", "GITHUB_TOKEN": "ghs_x"}
    monkeypatch.setenv("BRANDKIT_SECRETS", json.dumps(everything))
    assert main(["check", str(x_only.spec)]) == 2  # read, off-brand
    captured = capsys.readouterr()
    assert "BRANDKIT_SECRETS sets NORTHWIND_X_ACCESS_TOKEN" in captured.err
    assert "OTHER_BRAND_TOKEN" not in captured.err and "GITHUB_TOKEN" not in captured.err
    for value in everything.values():
        assert value not in captured.out + captured.err
    monkeypatch.setenv("BRANDKIT_SECRETS", "[not an object")
    assert main(["check", str(x_only.spec), "-q"]) == 1
    assert "BRANDKIT_SECRETS is not a JSON object" in capsys.readouterr().err
