"""Platform data shipped with brandkit (schemas/platforms.json): text limits and image targets.

The data is versioned and validated against schemas/platforms.schema.json by the tests; code
reads it only through this module.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import json
import math
import typing as t

from brandkit._resources import schemas_dir

__all__ = ["Target", "TextLimit", "all_targets", "expand_target_patterns", "text_limits"]

Box = tuple[int, int, int, int]


class TextLimit(t.NamedTuple):
    max: int
    unit: str  # how the platform counts: "characters" | "bytes"


@dataclasses.dataclass(frozen=True)
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


def text_limits() -> dict[str, dict[str, TextLimit]]:
    return {
        platform: {field: TextLimit(limit["max"], limit["count"]) for field, limit in fields.items()}
        for platform, fields in _data()["text_limits"].items()
    }


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
