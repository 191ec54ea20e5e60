"""Shell completion generated from the real parser (sourced by bash here), and ``validate`` with no
argument finding the spec in the current folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest

from brandkit.cli import main
from tests.conftest import EXAMPLES, REPO


def _script(shell: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "brandkit", "completion", shell],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_bash_completes_commands_and_options(tmp_path: Path) -> None:
    script = tmp_path / "brandkit.bash"
    script.write_text(_script("bash"))
    probe = f"""
    source {script}
    complete -p brandkit >/dev/null || exit 3
    fn=$(complete -p brandkit | sed -E 's/.*-F ([^ ]+).*/\\1/')
    COMP_WORDS=(brandkit wa); COMP_CWORD=1; COMP_LINE="brandkit wa"; COMP_POINT=11
    $fn brandkit wa brandkit; echo "commands: ${{COMPREPLY[*]}}"
    COMP_WORDS=(brandkit watch --no); COMP_CWORD=2; COMP_LINE="brandkit watch --no"; COMP_POINT=19
    $fn brandkit --no watch; echo "options: ${{COMPREPLY[*]}}"
    """
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "commands: watch" in done.stdout
    assert "--notify" in done.stdout


def test_fish_completes_commands(tmp_path: Path) -> None:
    fish = shutil.which("fish")
    assert fish, "this test needs fish from the OS packages: apt-get install fish"
    script = tmp_path / "brandkit.fish"
    script.write_text(_script("fish"))
    done = subprocess.run(
        [fish, "--no-config", "-c", f"source {script}; complete -C 'brandkit wa'"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "watch" in done.stdout.split()


def test_zsh_loads_the_completion(tmp_path: Path) -> None:
    zsh = shutil.which("zsh")
    assert zsh, "this test needs zsh from the OS packages: apt-get install zsh"
    (tmp_path / "_brandkit").write_text(_script("zsh"))
    probe = (
        f"fpath=({tmp_path} $fpath); autoload -Uz compinit; compinit -u -d {tmp_path}/dump; "
        "print -r -- ${_comps[brandkit]}"
    )
    done = subprocess.run(
        [zsh, "-f", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "_brandkit"  # the function zsh calls to complete brandkit
    assert "watch" in _script("zsh") and "--notify" in _script("zsh")


def test_validate_with_no_argument_uses_the_spec_here(
    monkeypatch: pytest.MonkeyPatch, capsys: t.Any, tmp_path: Path
) -> None:
    monkeypatch.chdir(EXAMPLES / "northwind")
    assert main(["validate"]) == 0
    assert "brand.yaml: ok" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 1
    assert "no brand.yaml" in capsys.readouterr().err


def test_every_command_help_ends_with_an_example(capsys: t.Any) -> None:
    from brandkit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.epilog and "example: brandkit" in command.epilog, name
