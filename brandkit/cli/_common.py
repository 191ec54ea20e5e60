"""Helpers shared by commands."""

from __future__ import annotations

import typing as t

from brandkit.errors import SpecError

if t.TYPE_CHECKING:
    from pathlib import Path

    from brandkit.spec import ValidationResult
    from brandkit.spec.model import Brand

__all__ = ["check_specs", "colour_wanted", "load_specs", "specs_or_here", "state_folder"]

SPEC_NAMES = ("brand.yaml", "brand.yml", "_brand.yml", "brand.json")


def colour_wanted() -> bool:
    """Colours on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    import os
    import sys

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def load_specs(specs: t.Sequence[str]) -> list[Brand]:
    """Load every spec; if any is invalid, raise one SpecError with all their issues."""
    return [t.cast("Brand", result.brand) for result in check_specs(specs)]


def check_specs(specs: t.Sequence[str]) -> list[ValidationResult]:
    """Validate every spec (each with a brand); if any is invalid, raise one SpecError with all
    their issues. Only the first result keeps the logos its checks decoded (for the render that
    follows: every spec's would be held in memory at once)."""
    import dataclasses

    from brandkit.spec import Issue, validate  # jsonschema and PyYAML: only once a spec is read

    results: list[ValidationResult] = []
    issues: list[Issue] = []
    for spec in specs:
        result = validate(spec)
        issues.extend(result.errors)
        results.append(dataclasses.replace(result, logos={}) if results else result)
    if issues:
        raise SpecError(issues)
    return results


def specs_or_here(specs: t.Sequence[str], command: str) -> list[str]:
    """The specs named, else the one in the current folder (as ``git`` finds its repository)."""
    from pathlib import Path

    from brandkit.errors import BrandkitError
    from brandkit.i18n import msg

    if specs:
        from brandkit.workspace import expand

        return expand(specs)  # a folder: every spec below it (an agency's workspace)
    for name in SPEC_NAMES:
        if Path(name).is_file():
            return [name]
    raise BrandkitError(
        msg(
            "no brand.yaml, brand.yml, _brand.yml or brand.json in this folder: name the spec "
            "(brandkit {command} path/to/brand.yaml) or create one (brandkit init)",
            command=command,
        )
    )


def state_folder(given: str | None, specs: t.Sequence[str]) -> Path:
    """``--state``, else ``.brandkit`` beside the (first) spec: a spec's rendered images,
    caches, backups, sandbox and history stay with it, wherever the command is run from."""
    from pathlib import Path

    from brandkit.errors import ConfigError
    from brandkit.i18n import msg

    folder = Path(given) if given else Path(specs[0]).resolve().parent / ".brandkit"
    if folder.exists() and not folder.is_dir():
        raise ConfigError(
            msg("the state folder {path} is a file: give --state a folder", path=folder)
        )
    return folder
