"""Files a spec names that are not what they claim: refused with a message, never a hang or a
crash (a FIFO would block a read forever; a sparse 4 GB file would be read whole)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import brandkit
from tests.conftest import copy_example


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    copy_example("northwind", tmp_path / "nw")
    return tmp_path / "nw" / "brand.yaml"


def _use_as_mark(spec: Path, name: str) -> None:
    old = "    path: logos/mark.svg\n"
    spec.write_text(spec.read_text().replace(old, f"    path: logos/{name}\n"))


def _messages(spec: Path) -> list[str]:
    return [i.format() for i in brandkit.validate(spec).errors]


def test_a_fifo_as_the_logo_is_refused_without_reading_it(spec: Path) -> None:
    os.mkfifo(spec.parent / "logos" / "pipe.svg")
    _use_as_mark(spec, "pipe.svg")
    assert any("logos.mark.path" in m and "is not a regular file" in m for m in _messages(spec))


def test_a_huge_sparse_file_is_refused_by_its_size(spec: Path) -> None:
    with (spec.parent / "logos" / "huge.svg").open("wb") as fh:
        fh.truncate(4 * 1024**3)  # 4 GB of nothing, allocated on no disk
    _use_as_mark(spec, "huge.svg")
    assert any("is 4,294,967,296 bytes; the limit is 104,857,600" in m for m in _messages(spec))


def test_a_nul_character_in_a_path_is_refused(spec: Path) -> None:
    _use_as_mark(spec, '"mark\\0.svg"')
    spec.write_text(spec.read_text().replace('logos/"mark\\0.svg"', '"logos/mark\\0.svg"'))
    assert any("not a usable file name" in m for m in _messages(spec))


def test_a_decomposed_name_is_sent_composed(spec: Path) -> None:
    spec.write_text(
        spec.read_text().replace("name: Northwind Coffee Roasters", "name: Cafe\u0301 Northwind", 1)
    )
    brand = brandkit.load(spec)
    sent = brand.account("northwind-x").text["name"].value
    assert sent == "Caf\u00e9 Northwind"  # what the limit was measured on is what is sent
