from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from brandkit.cli import main
from tests.conftest import EXAMPLES

INVALID = Path(__file__).parent.parent / "spec" / "invalid"


def test_validate_many_specs(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "validate",
            str(EXAMPLES / "northwind" / "brand.yaml"),
            str(EXAMPLES / "lumen" / "brand.yaml"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.count(": ok") == 2


def test_validate_fails_if_any_spec_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["validate", str(EXAMPLES / "lumen" / "brand.yaml"), str(INVALID / "bad-colour.yaml")]
    )
    assert code == 1
    assert "'blu' is not a colour" in capsys.readouterr().out


def test_json_format(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    code = main(["validate", "--format", "json", "many-problems.yaml"])
    issues = json.loads(capsys.readouterr().out)
    assert code == 1
    assert issues[0] == {
        "file": "many-problems.yaml",
        "line": 4,
        "column": 12,
        "path": "identity.website",
        "pointer": "/identity/website",
        "message": "'ftp://example.com' is not a web address (use https://example.com/...)",
        "severity": "error",
    }
    assert [i["pointer"] for i in issues] == [
        "/identity/website",
        "/colors/foreground",
        "/colors/primary",
        "/render/targets/0",
    ]


def test_warnings_pass_unless_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    assert main(["validate", "low-contrast.yaml"]) == 0
    assert main(["validate", "--strict", "low-contrast.yaml"]) == 1


def test_absolute_paths_need_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logo = (EXAMPLES / "northwind" / "logos" / "mark.svg").resolve()
    spec = tmp_path / "brand.yaml"
    spec.write_text(
        f"version: 1\nidentity: {{name: A}}\nlogos: {{mark: '{logo}'}}\n"
        "colors: {primary: '#123456', background: '#ffffff', foreground: '#000000'}\n"
    )
    assert main(["validate", str(spec)]) == 1
    assert main(["validate", "--allow-absolute-paths", str(spec)]) == 0


def test_usage_error_exits_1_not_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml"])  # not a format: a usage error
    assert info.value.code == 1


def test_python_dash_m_and_no_traceback_for_bad_spec() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "brandkit", "validate", str(INVALID / "truncated-png.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "damaged or truncated image" in proc.stdout


def test_init_writes_a_valid_spec_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "new")]) == 0
    assert main(["validate", str(tmp_path / "new" / "brand.yaml")]) == 0
    before = (tmp_path / "new" / "brand.yaml").read_bytes()
    assert main(["init", str(tmp_path / "new")]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "new" / "brand.yaml").read_bytes() == before


def test_init_points_editors_at_a_schema_copy_that_travels_with_the_spec(tmp_path: Path) -> None:
    import json

    assert main(["init", str(tmp_path / "new")]) == 0
    first = (tmp_path / "new" / "brand.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=brand.schema.json"
    copy = json.loads((tmp_path / "new" / "brand.schema.json").read_text())
    assert copy["$id"].endswith("brand.schema.json") and "identity" in copy["properties"]
    moved = tmp_path / "elsewhere"
    (tmp_path / "new").rename(moved)  # a commit, a clone on another machine
    assert (moved / "brand.schema.json").is_file() and main(
        ["validate", str(moved / "brand.yaml")]
    ) == 0
