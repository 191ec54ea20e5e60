from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from brandkit.cli import main
from tests.conftest import EXAMPLES


def test_render_then_cached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = str(EXAMPLES / "lumen" / "brand.yaml")
    assert main(["render", spec, "-o", str(tmp_path), "--preview"]) == 0
    out = capsys.readouterr().out
    assert "12 rendered, 0 unchanged" in out and "preview:" in out
    assert main(["render", spec, "-o", str(tmp_path)]) == 0
    assert "0 rendered, 12 unchanged" in capsys.readouterr().out


def test_render_several_specs_into_subfolders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = [str(EXAMPLES / "lumen" / "brand.yaml"), str(EXAMPLES / "northwind" / "brand.yaml")]
    assert main(["render", *specs, "-o", str(tmp_path), "-t", "twitter.avatar"]) == 0
    assert (tmp_path / "lumen" / "twitter" / "avatar.png").is_file()
    assert (tmp_path / "northwind" / "twitter" / "avatar.png").is_file()


def test_render_errors_exit_1_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = str(EXAMPLES / "lumen" / "brand.yaml")
    assert main(["render", spec, "-o", str(tmp_path), "-t", "nope"]) == 1
    err = capsys.readouterr().err
    assert "unknown target 'nope'" in err and "Traceback" not in err
    assert not (tmp_path / "manifest.json").exists()


def test_list_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--list-targets"]) == 0
    assert "youtube.banner      2560x1440" in capsys.readouterr().out


def test_the_cached_column_is_followed_by_a_space_in_every_language(
    tmp_path: Path, capsys: t.Any
) -> None:
    """#25: French printed ``en cacheout/twitter/avatar.png``."""
    spec = str(EXAMPLES / "lumen" / "brand.yaml")
    out = str(tmp_path / "out")
    assert main(["render", spec, "-o", out, "-t", "favicon.ico"]) == 0
    capsys.readouterr()
    assert main(["--lang", "fr", "render", spec, "-o", out, "-t", "favicon.ico", "--force"]) == 0
    main(["--lang", "fr", "render", spec, "-o", out, "-t", "favicon.ico"])
    lines = capsys.readouterr().out.splitlines()
    cached = [line for line in lines if line.startswith("en cache")]
    assert cached and all(line.startswith("en cache ") for line in cached), lines
