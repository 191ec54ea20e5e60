"""`brandkit render` with nothing to do replays the last report; any change goes the full way."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import typing as t
from pathlib import Path

import pytest

from brandkit import rerun
from brandkit.cli import main
from tests.conftest import REPO, copy_example


@pytest.fixture
def lumen(tmp_path: Path) -> tuple[Path, Path]:
    copy_example("lumen", tmp_path / "lumen")
    spec, out = tmp_path / "lumen" / "brand.yaml", tmp_path / "out"
    assert main(["render", str(spec), "-o", str(out)]) == 0
    return spec, out


def _render(spec: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["render", str(spec), "-o", str(out), *extra]) == 0
    return capsys.readouterr().out


def _drop_record(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["run"]
    (out / "manifest.json").write_text(json.dumps(manifest))


def test_the_replayed_report_is_the_full_runs_report(
    lumen: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = lumen
    capsys.readouterr()
    replayed = _render(spec, out, capsys)
    _drop_record(out)  # no record: the full run (validate, hash, compare) answers
    full = _render(spec, out, capsys)
    assert replayed == full and "0 rendered, 12 unchanged" in full
    assert "run" in json.loads(
        (out / "manifest.json").read_text()
    )  # the full run wrote the record back


def test_a_replay_loads_neither_the_spec_stack_nor_pillow(lumen: tuple[Path, Path]) -> None:
    spec, out = lumen
    code = f"""
        import sys
        from brandkit.cli import main
        assert main(["render", {str(spec)!r}, "-o", {str(out)!r}]) == 0
        heavy = ("jsonschema", "yaml", "PIL.Image", "brandkit.spec")
        print(sorted(m for m in heavy if m in sys.modules))
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "0 rendered, 12 unchanged" in proc.stdout and proc.stdout.splitlines()[-1] == "[]"


def test_every_kind_of_change_goes_the_full_way(
    lumen: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = lumen
    capsys.readouterr()
    spec.write_text(spec.read_text().replace("tagline:", "tagline: Now", 1))  # the spec's bytes
    assert "0 rendered" not in _render(spec, out, capsys)
    (spec.parent / "logos" / "mark.png").write_bytes(
        (spec.parent / "logos" / "mark.png").read_bytes() + b"\0"
    )
    assert "0 rendered" not in _render(spec, out, capsys)  # a file the spec refers to
    (out / "twitter" / "avatar.png").write_bytes(b"edited by hand")
    assert "1 rendered, 11 unchanged" in _render(spec, out, capsys)  # a file the run wrote
    (out / "twitter" / "avatar.png").unlink()
    assert "1 rendered, 11 unchanged" in _render(spec, out, capsys)
    assert "0 rendered, 1 unchanged" in _render(
        spec, out, capsys, "-t", "og.image"
    )  # other targets
    assert "12 rendered" in _render(spec, out, capsys, "--force")
    assert "preview:" in _render(spec, out, capsys, "--preview")


def test_a_new_renderer_revision_is_not_replayed(
    lumen: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = lumen
    monkeypatch.setattr(rerun, "RENDERER_REVISION", rerun.RENDERER_REVISION + 1)
    capsys.readouterr()
    assert "12 rendered, 0 unchanged" in _render(spec, out, capsys)


def test_an_invalid_edit_is_reported_not_replayed(
    lumen: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = lumen
    spec.write_text(spec.read_text().replace("colors:", "colours:", 1))
    assert main(["render", str(spec), "-o", str(out)]) == 1
    assert "colors" in capsys.readouterr().err


def _set_record(manifest: dict[str, t.Any], value: object) -> None:
    manifest["run"] = value


DAMAGE: dict[str, t.Callable[[dict[str, t.Any]], None]] = {
    "record is text": lambda m: _set_record(m, "not a record"),
    "record lacks fields": lambda m: _set_record(m, {"key": "x"}),
    "record is null": lambda m: _set_record(m, None),
    "entry lost its file": lambda m: m["targets"]["og.image"].pop("file"),
    "entry has other bytes": lambda m: m["targets"]["og.image"].update(bytes=1),
    "entry has another sha256": lambda m: m["targets"]["og.image"].update(sha256="0" * 64),
    "entry is not an object": lambda m: m["targets"].update({"og.image": []}),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_manifest_goes_the_full_way(
    lumen: tuple[Path, Path], capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    spec, out = lumen
    manifest = json.loads((out / "manifest.json").read_text())
    DAMAGE[damage](manifest)
    (out / "manifest.json").write_text(json.dumps(manifest))
    capsys.readouterr()
    report = _render(spec, out, capsys)
    # the full run's judgement: a damaged record is no reason to render; a damaged entry re-renders
    # its target (a replay would have said 0 rendered, or crashed on the missing key)
    assert (
        "0 rendered, 12 unchanged" if damage.startswith("record") else "1 rendered, 11 unchanged"
    ) in report
    assert json.loads((out / "manifest.json").read_text())["run"]["key"] != "x"


def test_several_specs_some_replayed_keep_their_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("lumen", "northwind"):
        copy_example(name, tmp_path / name)
    specs = [str(tmp_path / "lumen" / "brand.yaml"), str(tmp_path / "northwind" / "brand.yaml")]
    command = ["render", *specs, "-o", str(tmp_path / "out"), "-t", "twitter.avatar"]
    assert main(command) == 0
    (
        tmp_path / "out" / "lumen" / "twitter" / "avatar.png"
    ).unlink()  # lumen must render, northwind replays
    capsys.readouterr()
    assert main(command) == 0
    summaries = [line for line in capsys.readouterr().out.splitlines() if " rendered, " in line]
    assert [s.split(":")[0] for s in summaries] == ["Lumen Studio", "Northwind Coffee Roasters"]
    assert "1 rendered, 0 unchanged" in summaries[0] and "0 rendered, 1 unchanged" in summaries[1]
