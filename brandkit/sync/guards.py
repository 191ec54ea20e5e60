"""Changes that need ``--force``: blanking a field, or renaming far enough to suggest the wrong
account. Computed into the plan, so ``plan`` and ``check`` say it before ``apply`` refuses."""

from __future__ import annotations

import difflib
import typing as t
import unicodedata

__all__ = ["NAME_SIMILARITY", "similar_names", "unsafe_reason"]

NAME_SIMILARITY = 0.6
_EMPTY: tuple[t.Any, ...] = (None, "", [])


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def similar_names(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    return (
        not x
        or not y
        or x in y
        or y in x
        or difflib.SequenceMatcher(None, x, y).ratio() >= NAME_SIMILARITY
    )


def unsafe_reason(field: str, kind: str, before: t.Any, after: t.Any) -> str | None:
    """Why writing ``after`` over ``before`` needs ``--force``, or None when it is safe."""
    if kind == "text" and after in _EMPTY and before not in _EMPTY:
        return f"{field} would be blanked (was {before!r})"
    if (
        kind == "text"
        and field == "name"
        and isinstance(before, str)
        and isinstance(after, str)
        and not similar_names(before, after)
    ):
        return (
            f"the display name would change from {before!r} to {after!r}, "
            "far enough to suggest the wrong account"
        )
    return None
