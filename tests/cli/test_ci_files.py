"""The GitHub Action and the workflows in docs/ci.md are valid against SchemaStore's schemas, and
the Action's command line works: job summary, JUnit and HTML, exit code kept."""

from __future__ import annotations

import json
import re
import typing as t
from pathlib import Path

import jsonschema
import yaml

from brandkit.cli import main
from tests.conftest import REPO

SCHEMAS = Path(__file__).parents[1] / "fidelity" / "data" / "schemastore"


def _schema(name: str) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], json.loads((SCHEMAS / f"{name}.json").read_text()))


def test_the_action_is_valid_metadata() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    jsonschema.validate(action, _schema("github-action"))
    assert action["runs"]["using"] == "composite"
    steps = " ".join(s.get("run", "") for s in action["runs"]["steps"])
    assert "--junit" in steps and "--summary" in steps and "--report" in steps


def test_the_documented_workflows_are_valid() -> None:
    text = (REPO / "docs" / "ci.md").read_text()
    blocks = re.findall(r"<!-- workflow: (\w+) -->\n```yaml\n(.*?)```", text, re.S)
    assert {name for name, _ in blocks} == {"scheduled", "matrix"}
    for name, body in blocks:
        # GitHub reads YAML 1.2, where `on` is a key, not PyYAML's (1.1) boolean True
        workflow = {("on" if k is True else k): v for k, v in yaml.safe_load(body).items()}
        jsonschema.validate(workflow, _schema("github-workflow"))
        assert name != "matrix" or "matrix" in json.dumps(workflow)


def test_the_actions_command_line(tmp_path: Path, monkeypatch: t.Any, capsys: t.Any) -> None:
    monkeypatch.chdir(tmp_path)
    spec = REPO / "examples" / "northwind" / "brand.yaml"
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    code = main(
        [
            "check",
            str(spec),
            "--sandbox",
            "-q",
            "--report",
            "r.html",
            "--junit",
            "j.xml",
            "--summary",
            str(summary),
        ]
    )
    assert code == 2  # a fresh sandbox: every account differs from the spec
    table = summary.read_text()
    assert table.startswith("earlier step\n### brandkit check:")
    assert "| Northwind Coffee Roasters · twitter:northwind-x | ⚠️ drift |" in table
    assert "<testsuite" in (tmp_path / "j.xml").read_text()
    assert "<html" in (tmp_path / "r.html").read_text()
