from __future__ import annotations

import time

import pytest

from brandkit.errors import SpecError
from brandkit.spec.loader import parse_document


def test_positions_are_one_based_line_and_column() -> None:
    doc = parse_document("version: 1\nidentity:\n  name: Acme\n", "b.yaml")
    assert doc.value_pos[("identity", "name")] == (3, 9)
    assert doc.key_pos[("identity", "name")] == (3, 3)


def test_keys_stay_text_even_when_yaml_would_read_a_boolean() -> None:
    doc = parse_document("on: 1\nno: 2\n", "b.yaml")
    assert doc.data == {"on": 1, "no": 2}


def test_json_with_tabs_keeps_columns() -> None:
    doc = parse_document(
        '{\n\t"version": 1,\n\t"identity": {"name": "A"}\n}\n', "b.json", is_json=True
    )
    assert doc.data == {"version": 1, "identity": {"name": "A"}}
    assert doc.value_pos[("identity", "name")] == (3, 23)


def test_merge_keys_are_resolved() -> None:
    doc = parse_document("base: &b {a: 1}\nother:\n  <<: *b\n  c: 2\n", "b.yaml")
    assert doc.data["other"] == {"a": 1, "c": 2}


def test_alias_bomb_is_refused_quickly() -> None:
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        layers.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    start = time.perf_counter()
    with pytest.raises(SpecError) as info:
        parse_document("\n".join(layers) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 2.0  # a generous bound: a bug would take hours
    assert "expands to more than" in str(info.value)


def test_non_utf8_file_is_a_spec_error(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from brandkit.spec.loader import read_document

    p = Path(str(tmp_path)) / "b.yaml"
    p.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        read_document(p)
