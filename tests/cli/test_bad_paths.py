"""Bad paths and hand-edited files (#27): a folder where a file is expected, a state folder that
is a file, a sandbox state or a manifest in another shape, a backup holding a link or a file
without its hash: each a clear message naming it, exit 1, nothing half-written."""

from __future__ import annotations

import json
import os
import typing as t
from pathlib import Path

import pytest

from brandkit.cli import main
from tests.conftest import EXAMPLES, copy_example


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_example("northwind", tmp_path / "northwind")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "northwind" / "brand.yaml"


@pytest.mark.parametrize(
    "extra",
    [
        ["plan", "--out", "DIR"],
        ["check", "--report", "DIR"],
        ["check", "--junit", "DIR"],
        ["report", "-o", "DIR"],
    ],
    ids=lambda e: " ".join(e[:2]),
)
def test_a_folder_where_a_file_is_expected(
    spec: Path, extra: list[str], capsys: t.Any, tmp_path: Path
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    command, *options = extra
    args = [
        command,
        str(spec),
        "--sandbox",
        "-q",
        *[str(folder) if o == "DIR" else o for o in options],
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{folder} is a folder: name the file to write in it" in err
    assert "internal error" not in err
    assert list(folder.iterdir()) == []


def test_a_state_folder_that_is_a_file(spec: Path, capsys: t.Any, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_text("not a folder")
    assert main(["check", str(spec), "--sandbox", "-q", "--state", str(state)]) == 1
    assert f"the state folder {state} is a file" in capsys.readouterr().err
    assert state.read_text() == "not a folder"


def test_a_sandbox_state_in_another_shape(spec: Path, capsys: t.Any) -> None:
    assert main(["check", str(spec), "--sandbox", "-q"]) == 2
    state = spec.parent / ".brandkit" / "sandbox" / "state.json"
    data = json.loads(state.read_text())
    data["twitter"] = ["not", "a", "mapping"]
    state.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["check", str(spec), "--sandbox", "-q"]) == 1
    err = capsys.readouterr().err
    assert "state.json is damaged (twitter not as the sandbox wrote it)" in err
    assert "internal error" not in err


def test_a_manifest_entry_in_another_shape_renders_again(spec: Path, capsys: t.Any) -> None:
    assert main(["render", str(spec), "-o", "out", "-t", "twitter.avatar"]) == 0
    manifest = Path("out") / "manifest.json"
    data = json.loads(manifest.read_text())
    del data["targets"]["twitter.avatar"]["width"]
    data.pop("run", None)
    manifest.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["render", str(spec), "-o", "out", "-t", "twitter.avatar"]) == 0
    assert "1 rendered, 0 unchanged" in capsys.readouterr().out


def _backup(spec: Path) -> Path:
    assert main(["apply", str(spec), "--sandbox", "--yes", "-q"]) == 0
    return next((spec.parent / ".brandkit" / "backups").iterdir())


def _image_of(backup: Path) -> tuple[Path, dict[str, t.Any], Path]:
    profile = backup / "twitter" / "northwind-x" / "profile.json"
    record = json.loads(profile.read_text())
    # the fresh account had no images: give the backup one, as a later apply would
    record["images"] = {"banner": "banner.png"}
    image = profile.parent / "banner.png"
    image.write_bytes((EXAMPLES / "lumen" / "logos" / "mark.png").read_bytes())
    return profile, record, image


def test_restore_refuses_a_link_in_a_backup(spec: Path, capsys: t.Any, tmp_path: Path) -> None:
    """#27: a hand-made backup uploaded a file through a link pointing outside it."""
    import hashlib

    backup = _backup(spec)
    profile, record, image = _image_of(backup)
    outside = tmp_path / "private.png"
    outside.write_bytes(image.read_bytes())
    image.unlink()
    os.symlink(outside, image)
    record["sha256"] = {"banner.png": hashlib.sha256(outside.read_bytes()).hexdigest()}
    profile.write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["restore", str(backup), "--sandbox", "--yes", "-q"]) == 1
    assert "which is not a file of this backup" in capsys.readouterr().err


def test_restore_refuses_a_file_without_its_hash(spec: Path, capsys: t.Any) -> None:
    backup = _backup(spec)
    profile, record, _ = _image_of(backup)
    record["sha256"] = {}
    profile.write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["restore", str(backup), "--sandbox", "--yes", "-q"]) == 1
    assert "its sha256 is not recorded; refusing to upload it" in capsys.readouterr().err
