"""Property tests: whatever the input, loading raises nothing but SpecError."""

from __future__ import annotations

import copy
import json
import typing as t
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

import brandkit
from brandkit.errors import SpecError
from tests.conftest import EXAMPLES

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _load_text(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        brandkit.load(path)
    except SpecError as exc:
        assert exc.issues, "a SpecError always carries at least one issue"


@given(text=st.text(max_size=300))
def test_random_text_as_yaml(tmp_path: Path, text: str) -> None:
    _load_text(tmp_path, "brand.yaml", text)


@given(value=json_values)
def test_random_json_documents(tmp_path: Path, value: t.Any) -> None:
    _load_text(tmp_path, "brand.json", json.dumps(value))


def _example_data() -> dict[str, t.Any]:
    return t.cast(
        dict[str, t.Any],
        yaml.safe_load((EXAMPLES / "northwind" / "brand.yaml").read_text(encoding="utf-8")),
    )


def _paths(data: t.Any, prefix: tuple[t.Any, ...] = ()) -> list[tuple[t.Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, prefix + (i,))
    return out


def _mutated(base: t.Any, path: tuple[t.Any, ...], value: t.Any, delete: bool) -> t.Any:
    """A copy of ``base`` with the value at ``path`` replaced by ``value``, or removed."""
    data = copy.deepcopy(base)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


BASE = _example_data()
ALL_PATHS = [p for p in _paths(BASE) if p]


@given(path=st.sampled_from(ALL_PATHS), value=json_values, delete=st.booleans())
def test_mutated_example(
    tmp_path: Path, path: tuple[t.Any, ...], value: t.Any, delete: bool
) -> None:
    data = _mutated(BASE, path, value, delete)
    for logo in ("mark.svg", "mark-dark.svg"):
        (tmp_path / "logos").mkdir(exist_ok=True)
        (tmp_path / "logos" / logo).write_bytes(
            (EXAMPLES / "northwind" / "logos" / logo).read_bytes()
        )
    _load_text(tmp_path, "brand.yaml", yaml.safe_dump(data, allow_unicode=True))


BRAND_YML = t.cast(
    dict[str, t.Any],
    yaml.safe_load((EXAMPLES / "posit" / "_brand.yml").read_text(encoding="utf-8")),
)
BRAND_YML_PATHS = [p for p in _paths(BRAND_YML) if p]


@given(path=st.sampled_from(BRAND_YML_PATHS), value=json_values, delete=st.booleans())
def test_mutated_brand_yml(
    tmp_path: Path, path: tuple[t.Any, ...], value: t.Any, delete: bool
) -> None:
    """A Posit _brand.yml with any one value replaced or removed: a SpecError, never a crash."""
    import shutil

    data = _mutated(BRAND_YML, path, value, delete)
    for item in (EXAMPLES / "posit").iterdir():
        if item.is_dir() and not (tmp_path / item.name).exists():
            shutil.copytree(item, tmp_path / item.name)
    _load_text(tmp_path, "_brand.yml", yaml.safe_dump(data, allow_unicode=True))


@given(
    top=st.dictionaries(
        st.sampled_from(["meta", "logo", "color", "typography", "defaults"]),
        json_values,
        min_size=1,
    )
)
def test_random_brand_yml_sections(tmp_path: Path, top: dict[str, t.Any]) -> None:
    _load_text(tmp_path, "_brand.yml", yaml.safe_dump(top, allow_unicode=True))
