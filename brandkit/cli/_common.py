"""Helpers shared by commands."""

from __future__ import annotations

import typing as t

from brandkit.errors import SpecError

if t.TYPE_CHECKING:
    from brandkit.spec.model import Brand

__all__ = ["colour_wanted", "load_specs"]


def colour_wanted() -> bool:
    """Colours on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    import os
    import sys

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def load_specs(specs: t.Sequence[str]) -> list[Brand]:
    """Load every spec; if any is invalid, raise one SpecError with all their issues."""
    from brandkit.spec import Issue, validate  # jsonschema and PyYAML: only once a spec is read

    brands: list[Brand] = []
    issues: list[Issue] = []
    for spec in specs:
        result = validate(spec)
        issues.extend(result.errors)
        if result.brand is not None:
            brands.append(result.brand)
    if issues:
        raise SpecError(issues)
    return brands
