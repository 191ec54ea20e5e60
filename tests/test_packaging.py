from __future__ import annotations

import tomllib

from tests.conftest import REPO


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "brandkit").rglob("__init__.py")
    }
    assert on_disk <= listed, sorted(on_disk - listed)
    assert {"brandkit._assets", "brandkit._schemas"} <= listed
