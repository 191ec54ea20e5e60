"""Platform data shipped with brandkit (schemas/platforms.json): each platform's text fields
(sources and limits) and image fields, and the image targets.

The data is versioned and validated against schemas/platforms.schema.json by the tests; code
reads it only through this module.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import importlib
import json
import math
import typing as t

from brandkit._resources import schemas_dir

__all__ = [
    "AccountSettings",
    "ImageField",
    "PlatformInfo",
    "Target",
    "TextField",
    "TextLimit",
    "all_platforms",
    "all_targets",
    "expand_target_patterns",
    "platform",
    "settings_class",
]

Box = tuple[int, int, int, int]


class TextLimit(t.NamedTuple):
    max: int
    unit: str  # how the platform counts: "characters" | "bytes" | "graphemes" | "mastodon"


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    name: str
    platform: str
    role: str
    file: str
    size: tuple[int, int]
    formats: tuple[str, ...]
    shape: str
    layout: str
    max_bytes: int | None = None
    padding: float = 0.1
    background: str = "brand"
    opaque: bool = False
    safe: Box | None = None
    keep_out: tuple[Box, ...] = ()
    safe_circle: float | None = None
    ico_sizes: tuple[int, ...] = ()
    notes: str = ""

    @property
    def width(self) -> int:
        return self.size[0]

    @property
    def height(self) -> int:
        return self.size[1]

    def content_box(self, padding: float | None = None) -> Box:
        """Where content may go: the safe zone, or the padded canvas (circle/mask aware)."""
        w, h = self.size
        if self.layout == "icon":
            side = min(w, h)
            if self.safe_circle is not None:
                # the largest square inside the safe circle, less any extra padding
                inner = 2 * self.safe_circle * side / math.sqrt(2)
                inner *= 1 - 2 * (padding or 0.0)
            else:
                inner = side * (1 - 2 * (self.padding if padding is None else padding))
            inner = max(1, int(inner))
            x0, y0 = (w - inner) // 2, (h - inner) // 2
            return (x0, y0, x0 + inner, y0 + inner)
        if self.safe is not None:
            return self.safe
        pad = int(min(w, h) * (self.padding if padding is None else padding))
        return (pad, pad, w - pad, h - pad)


@functools.cache
def _data() -> dict[str, t.Any]:
    with (schemas_dir() / "platforms.json").open(encoding="utf-8") as fh:
        return t.cast(dict[str, t.Any], json.load(fh))


@functools.cache
def all_targets() -> dict[str, Target]:
    out: dict[str, Target] = {}
    for name, raw in _data()["targets"].items():
        fields = dict(raw)
        fields["size"] = tuple(fields["size"])
        fields["formats"] = tuple(fields["formats"])
        if "safe" in fields:
            fields["safe"] = tuple(fields["safe"])
        fields["keep_out"] = tuple(tuple(b) for b in fields.get("keep_out", ()))
        fields["ico_sizes"] = tuple(fields.get("ico_sizes", ()))
        out[name] = Target(name=name, **fields)
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class TextField:
    """One text field a platform gets: where its value comes from, and how long it may be."""

    name: str
    sources: tuple[str, ...]  # dotted spec paths; "account." is the account's own entry
    limit: TextLimit | None = None
    if_too_long: str | None = (
        None  # an identity path taken instead when the identity value is over the limit
    )
    as_list: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class ImageField:
    name: str
    target: str
    override: str | None = (
        None  # the account override (avatar | banner) that replaces the rendered image
    )


@dataclasses.dataclass(frozen=True, slots=True)
class PlatformInfo:
    name: str
    label: str
    text: tuple[TextField, ...]
    images: tuple[ImageField, ...]
    paths: tuple[str, ...] = ()  # account settings that name files
    requires: tuple[tuple[str, str], ...] = ()  # (spec path, why) an account of this platform needs

    @property
    def image_targets(self) -> dict[str, str]:
        return {image.name: image.target for image in self.images}


@functools.cache
def all_platforms() -> dict[str, PlatformInfo]:
    out: dict[str, PlatformInfo] = {}
    for name, raw in _data()["platforms"].items():
        text = tuple(
            TextField(
                field,
                tuple(spec["from"]),
                TextLimit(spec["max"], spec["count"]) if "max" in spec else None,
                spec.get("if_too_long"),
                bool(spec.get("list", False)),
            )
            for field, spec in raw["text"].items()
        )
        images = tuple(
            ImageField(field, spec["target"], spec.get("override"))
            for field, spec in raw["images"].items()
        )
        requires = tuple((raw.get("requires") or {}).items())
        out[name] = PlatformInfo(
            name, raw["label"], text, images, tuple(raw.get("paths", ())), requires
        )
    return out


def platform(name: str) -> PlatformInfo:
    return all_platforms()[name]


def expand_target_patterns(patterns: t.Iterable[str]) -> tuple[list[str], list[str]]:
    """Target names matched by names or globs (``twitter.*``), in data order; and the misses."""
    known = list(all_targets())
    chosen: list[str] = []
    unknown: list[str] = []
    for pattern in patterns:
        matches = [n for n in known if fnmatch.fnmatchcase(n, pattern)]
        if not matches:
            unknown.append(pattern)
        chosen.extend(m for m in matches if m not in chosen)
    return [n for n in known if n in chosen], unknown


class AccountSettings:
    """What every platform's typed account settings derive from (``<name>/settings.py``: a frozen
    dataclass of the account's own fields in the spec, built when the spec is loaded)."""

    __slots__ = ()

    @classmethod
    def of(cls, options: object) -> t.Self:
        """``options`` (an Account's), checked to be this platform's settings."""
        if not isinstance(options, cls):
            raise TypeError(f"{type(options).__name__} are not {cls.__module__} settings")
        return options

    def values(self) -> dict[str, t.Any]:
        """The settings by name (every subclass is a dataclass)."""
        return dataclasses.asdict(t.cast(t.Any, self))


def settings_class(platform: str) -> type[AccountSettings]:
    """The settings type of a registered platform (its folder's settings.py)."""
    found = importlib.import_module(f"brandkit.platforms.{platform}.settings").Settings
    assert issubclass(found, AccountSettings)
    return found
