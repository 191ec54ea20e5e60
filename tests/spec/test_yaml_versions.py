"""Values YAML 1.1 (brandkit) and YAML 1.2 (editors) read differently are reported, so the spec
means the same in the editor and in brandkit."""

from __future__ import annotations

import shutil
from pathlib import Path

import brandkit
from tests.conftest import EXAMPLES


def test_each_divergent_plain_value_is_named_and_quoting_silences_it(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "northwind", tmp_path / "b")
    spec = tmp_path / "b" / "brand.yaml"
    text = spec.read_text()
    text = text.replace(
        "render:\n", "render:\n  allow_upscale: yes\n  defaults: {padding: 1e-1}\n", 1
    )
    text = text.replace('postal_code: "97103"', "postal_code: 0777")
    spec.write_text(text)
    result = brandkit.validate(spec, render_checks=False)
    said = {i.message for i in result.issues if "YAML 1." in i.message}
    assert any("`yes` is a boolean in YAML 1.1" in m for m in said), said
    assert any("`1e-1` is text in YAML 1.1" in m for m in said), said
    assert any("`0777` is 511 in YAML 1.1 (brandkit) but 777 in YAML 1.2" in m for m in said), said
    quoted = text.replace("postal_code: 0777", 'postal_code: "0777"').replace(
        "allow_upscale: yes", "allow_upscale: true"
    )
    spec.write_text(quoted)
    again = brandkit.validate(spec, render_checks=False)
    remaining = [i.message for i in again.issues if "YAML 1." in i.message]
    assert len(remaining) == 1 and "1e-1" in remaining[0]


def test_the_examples_read_alike_in_both() -> None:
    for spec in [*EXAMPLES.glob("*/brand.yaml"), EXAMPLES / "posit" / "_brand.yml"]:
        result = brandkit.validate(spec, render_checks=False)
        assert not [i for i in result.issues if "YAML 1." in i.message], spec
