"""Where the bundled ``assets/`` and ``schemas/`` folders are, installed or in a checkout."""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["assets_dir", "schemas_dir"]

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def _data_dir(installed_name: str, repo_folder: str) -> Path:
    # A wheel carries the folders inside the package as _assets/ and _schemas/ (pyproject.toml
    # maps them); a checkout or editable install has them beside the package.
    installed = _PACKAGE / installed_name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / repo_folder


def assets_dir() -> Path:
    """The bundled assets: fonts (with licences), the starter spec, the email template."""
    return _data_dir("_assets", "assets")


def schemas_dir() -> Path:
    """The JSON Schemas and the versioned platform data."""
    return _data_dir("_schemas", "schemas")
