"""Changes that need ``--force``: blanking a field, or renaming far enough to suggest the wrong account."""

from __future__ import annotations

import difflib
import unicodedata

from brandkit.sync.model import Change

__all__ = ["unsafe_reasons"]

NAME_SIMILARITY = 0.6


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def similar_names(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    return not x or not y or x in y or y in x or difflib.SequenceMatcher(None, x, y).ratio() >= NAME_SIMILARITY


def unsafe_reasons(changes: tuple[Change, ...]) -> list[str]:
    reasons = []
    for c in changes:
        if c.kind == "text" and c.after in (None, "", []) and c.before not in (None, "", []):
            reasons.append(f"{c.field} would be blanked (was {c.before!r})")
        if c.field == "name" and isinstance(c.before, str) and isinstance(c.after, str) \
                and not similar_names(c.before, c.after):
            reasons.append(f"the display name would change from {c.before!r} to {c.after!r}, "
                           "far enough to suggest the wrong account")
    return reasons
