"""The GitHub Action and the workflows in docs/ci.md are valid against SchemaStore's schemas, and
the Action's command line works: job summary, JUnit and HTML, exit code kept."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import typing as t
from pathlib import Path

import jsonschema
import yaml

from brandkit.cli import main
from tests.conftest import REPO, copy_example

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
    assert {name for name, _ in blocks} == {"scheduled", "matrix", "review"}
    for name, body in blocks:
        # GitHub reads YAML 1.2, where `on` is a key, not PyYAML's (1.1) boolean True
        workflow = {("on" if k is True else k): v for k, v in yaml.safe_load(body).items()}
        jsonschema.validate(workflow, _schema("github-workflow"))
        assert name != "matrix" or "matrix" in json.dumps(workflow)


def test_the_actions_command_line(tmp_path: Path, monkeypatch: t.Any, capsys: t.Any) -> None:
    monkeypatch.chdir(tmp_path)
    # a copy: the state goes beside the spec, never into the checkout
    spec = copy_example("northwind", tmp_path / "northwind") / "brand.yaml"
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


def _step(name: str) -> dict[str, t.Any]:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    return t.cast(
        dict[str, t.Any],
        next(s for s in action["runs"]["steps"] if name in (s.get("name"), s.get("id"))),
    )


def _run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """One of the action's bash steps, as the runner runs it: its script, its env."""
    step = _step(name)
    bin_dir = str(Path(sys.executable).parent)  # brandkit, as the action installs it
    full = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], **env}
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=cwd, env=full, capture_output=True, text=True
    )


def test_the_actions_scripts_on_the_sandbox(tmp_path: Path) -> None:
    """#25: `sandbox: "true"` was called a dry run, but a fresh runner always showed drift and
    the step failed. The check step and the result step, run with a fake GITHUB_OUTPUT and
    GITHUB_STEP_SUMMARY: the sandbox run is in sync and the step passes."""
    copy_example("northwind", tmp_path / "northwind")
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    github = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    env = {
        "COMMAND": "check",
        "SPECS": "northwind/brand.yaml",
        "SANDBOX": "true",
        "BRANDKIT_SECRETS": "",
        **github,
    }
    ran = _run_step("brandkit", env, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert output.read_text() == "exit-code=0\n"
    assert (
        "| Northwind Coffee Roasters · bluesky:northwind-bsky | ✅ in sync |" in summary.read_text()
    )
    assert (tmp_path / "brandkit-report.html").is_file()
    assert (tmp_path / "brandkit-junit.xml").is_file()
    for code, fail_on_drift, passes in (
        ("0", "true", True),
        ("2", "true", False),
        ("2", "false", True),
        ("1", "false", False),
    ):
        result = _run_step(
            "Result", {"CODE": code, "COMMAND": "check", "FAIL_ON_DRIFT": fail_on_drift}, tmp_path
        )
        assert (result.returncode == 0) is passes, (code, fail_on_drift, result.stdout)


def test_the_scheduled_workflow_maps_every_secret_the_example_names() -> None:
    text = (REPO / "docs" / "ci.md").read_text()
    body = re.search(r"<!-- workflow: scheduled -->\n```yaml\n(.*?)```", text, re.S)
    assert body is not None
    steps = yaml.safe_load(body.group(1))["jobs"]["check"]["steps"]
    mapped = set(steps[-1]["env"])
    named = {
        var
        for account in yaml.safe_load((REPO / "examples/northwind/brand.yaml").read_text())[
            "accounts"
        ]
        for var in account["credentials"].values()
    }
    assert mapped == named


def test_the_matrix_workflow_hands_the_secrets_to_the_action() -> None:
    text = (REPO / "docs" / "ci.md").read_text()
    body = re.search(r"<!-- workflow: matrix -->\n```yaml\n(.*?)```", text, re.S)
    assert body is not None
    step = yaml.safe_load(body.group(1))["jobs"]["check"]["steps"][-1]
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert set(step["with"]) <= set(action["inputs"])  # every input it passes is one we read
    assert step["with"]["secrets"] == "${{ toJSON(secrets) }}"
    assert "inputs.secrets" in json.dumps(_step("brandkit")["env"])
