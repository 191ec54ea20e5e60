"""The pre-commit hooks: valid against SchemaStore's schema and pre-commit's own manifest check,
matching brand files and nothing else, their entries doing what they say on real specs, and
``pre-commit try-repo`` run on this repository as a user's pre-commit would, offline: its pip
finds brandkit's dependencies in a wheelhouse packed from this test environment."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import virtualenv.seed.wheels.embed as virtualenv_wheels
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import EXAMPLES, REPO, copy_example

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


def _installed_closure(root: str) -> list[metadata.Distribution]:
    """The installed distributions ``root`` needs to run (extras left out), itself excluded."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [Requirement(r) for r in metadata.requires(root) or []]
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen[name] = dist = metadata.distribution(requirement.name)
        todo += [Requirement(r) for r in dist.requires or []]
    return list(seen.values())


def _pack(dist: metadata.Distribution, folder: Path) -> None:
    """An installed distribution back into a wheel: its files as RECORD lists them (scripts
    outside site-packages are left out; pip writes its own), tagged for any platform."""
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    base = Path(str(dist.locate_file("")))
    inside = [f for f in dist.files or [] if not str(f).startswith("..")]
    records = []
    with zipfile.ZipFile(folder / f"{name}-{dist.version}-py3-none-any.whl", "w") as wheel:
        for file in inside:
            if file.name == "RECORD" or "__pycache__" in file.parts:
                continue
            data = (base / file).read_bytes()
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{file},sha256={digest.decode()},{len(data)}")
            wheel.writestr(str(file), data)
        record = next(str(f) for f in inside if f.name == "RECORD")
        wheel.writestr(record, "\n".join([*records, f"{record},,"]) + "\n")


def test_pre_commit_try_repo_installs_the_hook_and_runs_it(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    for dist in _installed_closure("brandkit"):
        _pack(dist, wheelhouse)
    embedded = Path(virtualenv_wheels.__file__).parent  # the build backend, for pip's isolation
    newest = max(embedded.glob("setuptools-*.whl"), key=lambda p: int(p.name.split(".")[0][11:]))
    shutil.copy(newest, wheelhouse)
    brands = tmp_path / "brands"  # a user's repository with one good and one broken spec
    (brands / "good").mkdir(parents=True)
    shutil.copy(EXAMPLES / "lumen" / "brand.yaml", brands / "good" / "brand.yaml")
    copy_example("lumen/logos", brands / "good" / "logos")
    (brands / "bad").mkdir()
    shutil.copy(
        REPO / "tests" / "spec" / "invalid" / "tiff-logo.yaml", brands / "bad" / "brand.yaml"
    )
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    env.pop("PYTHONPATH", None)

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "brandkit-validate"]
        return subprocess.run(
            [*command, "--files", *files], cwd=brands, env=env, capture_output=True, text=True
        )

    subprocess.run(["git", "init", "-q"], cwd=brands, check=True)
    good = try_repo("good/brand.yaml")
    assert good.returncode == 0, good.stdout[-3000:] + good.stderr[-3000:]
    assert re.search(r"brandkit validate\.+Passed", good.stdout), good.stdout
    bad = try_repo("good/brand.yaml", "bad/brand.yaml")
    assert bad.returncode == 1, bad.stdout[-3000:]
    assert re.search(r"brandkit validate\.+Failed", bad.stdout), bad.stdout
    assert "bad/brand.yaml:5:9: logos.mark" in bad.stdout, bad.stdout  # with its position
