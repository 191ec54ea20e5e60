"""Values YAML 1.1 (brandkit) and YAML 1.2 (editors) read differently are reported, so the spec
means the same in the editor and in brandkit."""

from __future__ import annotations

from pathlib import Path

import brandkit
from tests.conftest import EXAMPLES, copy_example


def test_each_divergent_plain_value_is_named_and_quoting_silences_it(tmp_path: Path) -> None:
    copy_example("northwind", tmp_path / "b")
    spec = tmp_path / "b" / "brand.yaml"
    text = spec.read_text()
    text = text.replace("render:\n", "render:\n  allow_upscale: yes\n", 1)
    text = text.replace("location: Astoria, Oregon", "location: 1e-1")
    text = text.replace('postal_code: "97103"', "postal_code: 0777")
    spec.write_text(text)
    result = brandkit.validate(spec, render_checks=False)
    said = {i.message for i in result.issues}
    assert any("`yes` is a boolean in YAML 1.1 (brandkit) but text in YAML 1.2" in m for m in said)
    assert any("`1e-1` is text in YAML 1.1 (brandkit) but a number in YAML 1.2" in m for m in said)
    # where the schema refuses the value, its error already says how YAML read it: once
    octal = [m for m in said if "0777" in m]
    assert len(octal) == 1 and "was read as a number" in octal[0], octal
    fixed = text.replace("allow_upscale: yes", "allow_upscale: true")
    spec.write_text(fixed.replace("location: 1e-1", 'location: "1e-1"'))
    again = brandkit.validate(spec, render_checks=False)
    assert not [i for i in again.issues if "YAML 1." in i.message]


def test_the_examples_read_alike_in_both() -> None:
    for spec in [*EXAMPLES.glob("*/brand.yaml"), EXAMPLES / "posit" / "_brand.yml"]:
        result = brandkit.validate(spec, render_checks=False)
        assert not [i for i in result.issues if "YAML 1." in i.message], spec
