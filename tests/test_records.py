"""``@record`` behaves as ``@dataclasses.dataclass(frozen=True)`` does, and the standard library
sees its classes as dataclasses (brandkit/_records.py)."""

from __future__ import annotations

import dataclasses
import pickle
import typing as t

import pytest

import brandkit
from brandkit import _records
from brandkit._records import field, record
from tests.conftest import EXAMPLES


@record
class Point:
    x: int
    y: int = 0
    tags: dict[str, str] = field(default_factory=dict, hash=False)
    label: str = field(default="p", compare=False, repr=False)
    KIND: t.ClassVar[str] = "point"

    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


@dataclasses.dataclass(frozen=True)
class Twin:
    x: int
    y: int = 0
    tags: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)
    label: str = dataclasses.field(default="p", compare=False, repr=False)
    KIND: t.ClassVar[str] = "point"


def test_construction_as_a_dataclass() -> None:
    assert Point(1).y == 0 and Point(1, 2).y == 2 and Point(y=3, x=1).norm() == 4
    assert Point(1).tags == {} and Point(1).tags is not Point(1).tags  # a fresh default each
    assert Point.y == 0 and Point.KIND == "point"  # plain defaults stay on the class
    with pytest.raises(TypeError, match="missing required argument: 'x'"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes 4 positional"):
        Point(1, 2, {}, "a", 5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, z=2)  # type: ignore[call-arg]


def test_frozen_equal_hashed_and_shown_as_a_dataclass() -> None:
    p = Point(1, 2, {"a": "b"}, "one")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.y  # type: ignore[misc]
    twin = Twin(1, 2, {"a": "b"}, "one")
    assert repr(p) == repr(twin).replace("Twin", "Point")
    assert p == Point(1, 2, {"a": "b"}, "two")  # label is not compared
    assert p != Point(1, 3) and p != twin and (p == 1) is False
    assert hash(p) == hash(Point(1, 2, {"other": "tags"})) == hash(twin)  # tags not hashed
    assert pickle.loads(pickle.dumps(p)) == p


def test_the_standard_library_sees_a_dataclass() -> None:
    p = Point(1, 2, {"a": "b"})
    assert dataclasses.is_dataclass(p) and dataclasses.is_dataclass(Point)
    ours = [(f.name, f.default, f.hash, f.compare, f.repr) for f in dataclasses.fields(p)]
    theirs = [(f.name, f.default, f.hash, f.compare, f.repr) for f in dataclasses.fields(Twin)]
    assert ours == theirs
    assert dataclasses.asdict(p) == dataclasses.asdict(Twin(1, 2, {"a": "b"}))
    assert dataclasses.replace(p, y=5) == Point(1, 5, {"a": "b"})


@pytest.mark.parametrize("example", ["northwind", "lumen", "lumiere"])
def test_the_brand_model_as_dicts_as_the_standard_library_gives_them(example: str) -> None:
    brand = brandkit.load(EXAMPLES / example / "brand.yaml")
    assert _records.asdict(brand) == dataclasses.asdict(brand)
    assert _records.replace(brand.identity, name="x") == dataclasses.replace(
        brand.identity, name="x"
    )
    assert pickle.loads(pickle.dumps(brand)) == brand
