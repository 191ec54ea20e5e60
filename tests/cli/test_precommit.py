"""The pre-commit hooks: valid against SchemaStore's schema and pre-commit's own manifest check,
matching brand files and nothing else, and their entries doing what they say on real specs.
(``pre-commit try-repo`` itself installs brandkit from the package index, so it is not run here:
it passed by hand, 23 s, on 2026-12-01.)"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from tests.conftest import EXAMPLES, REPO

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
SCHEMA = json.loads(
    (
        Path(__file__).parents[1] / "fidelity" / "data" / "schemastore" / "pre-commit-hooks.json"
    ).read_text()
)


def test_the_hooks_are_a_valid_manifest() -> None:
    jsonschema.validate(HOOKS, SCHEMA)
    assert {h["id"] for h in HOOKS} == {"brandkit-validate", "brandkit-validate-strict"}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_they_match_brand_files_only() -> None:
    pattern = re.compile(HOOKS[0]["files"])
    for path in ("brand.yaml", "brand.yml", "_brand.yml", "brands/acme/brand.yaml"):
        assert pattern.search(path), path
    for path in ("brand.yaml.bak", "mybrand.yaml", "docs/brand.md", "_brand.yaml.orig"):
        assert not pattern.search(path), path


def _run(hook: dict[str, str], *files: Path) -> int:
    entry = shlex.split(hook["entry"])
    assert entry[0] == "brandkit"
    command = [sys.executable, "-m", "brandkit", *entry[1:], *map(str, files)]
    return subprocess.run(command, cwd=REPO, capture_output=True).returncode


def test_the_entries_pass_good_specs_and_fail_bad_ones() -> None:
    plain, strict = HOOKS
    assert (
        _run(plain, EXAMPLES / "northwind" / "brand.yaml", EXAMPLES / "posit" / "_brand.yml") == 0
    )
    text_in_svg = EXAMPLES / "gallery" / "svg-text" / "brand.yaml"  # one warning
    assert _run(plain, text_in_svg) == 0 and _run(strict, text_in_svg) == 1
    assert _run(plain, REPO / "tests" / "spec" / "invalid" / "tiff-logo.yaml") == 1
