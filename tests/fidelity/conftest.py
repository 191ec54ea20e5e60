from __future__ import annotations

import json
import typing as t
from pathlib import Path

DATA = Path(__file__).parent / "data"


def evidence(name: str) -> t.Any:
    """A file of real recorded answers or official schema excerpts (each names its source)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))
