"""Where the bundled ``assets/`` and ``schemas/`` folders are, installed or in a checkout."""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

__all__ = ["assets_dir", "schemas_dir"]

_REPO_ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def _data_dir(package: str, repo_folder: str) -> Path:
    # An installed wheel carries the folders as brandkit._assets / brandkit._schemas
    # (pyproject.toml maps them); a plain checkout has them beside the package.
    try:
        root = importlib.resources.files(package)
        path = Path(str(root))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    return _REPO_ROOT / repo_folder


def assets_dir() -> Path:
    """The bundled assets: fonts (with licences), the email template, sample marks."""
    return _data_dir("brandkit._assets", "assets")


def schemas_dir() -> Path:
    """The JSON Schemas and the versioned targets data."""
    return _data_dir("brandkit._schemas", "schemas")
