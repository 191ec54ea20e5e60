"""A spec whose exact bytes passed the schema before is not checked again (jsonschema is not even
imported); one changed byte, and it is."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import copy_example, run_python

PROBE = (
    "import sys, brandkit\n"
    "try:\n"
    "    brandkit.load(sys.argv[1])\n"
    "    said = 'ok'\n"
    "except brandkit.SpecError as exc:\n"
    "    said = str(exc)\n"
    "print('jsonschema' in sys.modules, said)\n"
)


def _load(spec: Path) -> str:
    cache = spec.parent.parent / "cache"  # this test's own: other tests load the same bytes
    return run_python(PROBE, str(spec), BRANDKIT_CACHE=str(cache)).strip()


def test_the_schema_runs_once_per_spec_content(tmp_path: Path) -> None:
    copy_example("lumen", tmp_path / "lumen")
    spec = tmp_path / "lumen" / "brand.yaml"
    assert _load(spec) == "True ok"  # checked
    assert _load(spec) == "False ok"  # these bytes passed: no jsonschema at all
    spec.write_text(spec.read_text().replace("version: 1", "version: 2", 1))
    changed = _load(spec)
    assert changed.startswith("True ") and "version" in changed  # checked again, and refused
    spec.write_text(spec.read_text().replace("version: 2", "version: 1", 1))
    assert _load(spec) == "False ok"  # the same bytes as the first time
