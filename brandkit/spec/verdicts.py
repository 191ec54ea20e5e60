"""The checks' verdict on a spec, remembered in brandkit's cache (brandkit/cache.py).

The schema check (jsonschema: ~0.1 s to import and build) and the render probes (a decode of
every logo: 0.3 s for a 4000x4000 one) say the same again while the spec's bytes, every file it
refers to (by sha256), brandkit's checking code and data, the imaging libraries and the options
are those of a run where the spec passed. Only passes are kept (a refused spec is always
checked, so its messages are always current); the brand itself is built again from the spec
(YAML, the semantic checks, the model: a few ms), never read back from a file.
"""

from __future__ import annotations

import functools
import os
import typing as t
from pathlib import Path

from brandkit import cache
from brandkit._files import file_sha256
from brandkit._resources import schemas_dir
from brandkit._version import __version__
from brandkit.i18n import Message
from brandkit.spec.issues import Issue

if t.TYPE_CHECKING:
    from brandkit.spec.model import Brand

__all__ = ["recall", "remember", "schema_passed", "schema_passes"]

_FORMAT = "verdict-2"  # bumped when what an entry holds changes


@functools.cache  # once a process: a check that misses asks twice (recall, then remember)
def _code_fingerprint() -> bytes:
    """What decides a verdict besides the inputs: brandkit's version, its checking code (an
    edited checkout changes it without a new version), its schema and platform data, and the
    imaging libraries the render probes use."""
    from brandkit.rerun import renderer_versions

    package = Path(__file__).resolve().parent.parent
    parts = [repr(sorted(renderer_versions().items())).encode()]
    for folder in (package, package / "spec", package / "rendering"):
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.path}:{st.st_mtime_ns}:{st.st_size}".encode())
    for name in ("brand.schema.json", "platforms.json"):
        parts.append((schemas_dir() / name).read_bytes())
    return b"\0".join(parts)


def _key(spec: str | Path, options: tuple[bool, ...]) -> str | None:
    source = Path(spec)
    try:
        return cache.key(
            _FORMAT,
            _code_fingerprint(),
            os.fsencode(str(spec)),  # as given: issues name the file this way
            os.fsencode(str(source.resolve())),
            repr(options),
            source.read_bytes(),
        )
    except (OSError, ValueError):
        return None


def _message(value: t.Any) -> t.Any:
    if isinstance(value, Message):
        return {"msgid": value.msgid, "params": {k: _message(v) for k, v in value.params.items()}}
    return value if isinstance(value, int | float) else str(value)


def _message_back(value: t.Any) -> t.Any:
    if isinstance(value, dict):
        params = {str(k): _message_back(v) for k, v in dict(value["params"]).items()}
        return Message(str(value["msgid"]), params)
    return value


def _issue(issue: Issue) -> dict[str, t.Any]:
    return {
        "file": issue.file,
        "line": issue.line,
        "column": issue.column,
        "path": list(issue.path),
        "message": _message(issue.message),
        "severity": issue.severity,
    }


def _issue_back(data: t.Any) -> Issue:
    path = tuple(p if isinstance(p, int) else str(p) for p in data["path"])
    severity = data["severity"]
    if severity not in ("error", "warning"):
        raise ValueError(severity)
    return Issue(
        str(data["file"]),
        int(data["line"]),
        int(data["column"]),
        path,
        _message_back(data["message"]),
        severity,
    )


def recall(spec: str | Path, options: tuple[bool, ...]) -> tuple[Issue, ...] | None:
    """Every issue of a pass of ``spec`` with ``options`` before, if nothing it depends on moved."""
    name = _key(spec, options)
    found = cache.read("verdicts", name) if name else None
    if not isinstance(found, dict):
        return None
    try:
        for file, digest in dict(found["files"]).items():
            if file_sha256(Path(file)) != digest:
                return None
        return tuple(_issue_back(i) for i in found["issues"])
    except (OSError, KeyError, TypeError, ValueError):
        return None  # damaged or foreign: a miss, never an error


def remember(
    spec: str | Path, options: tuple[bool, ...], brand: Brand, issues: t.Sequence[Issue]
) -> None:
    """Keep the verdict on a spec that passed (its warnings, if any)."""
    from brandkit.rendering.output import referenced_files

    name = _key(spec, options)
    if name is None:
        return
    try:
        files = {str(p): file_sha256(p) for p in sorted(referenced_files(brand))}
    except OSError:
        return
    cache.write("verdicts", name, {"files": files, "issues": [_issue(i) for i in issues]})


def _schema_key(source: Path) -> str | None:
    try:
        spec = source.read_bytes()
        schema = (schemas_dir() / "brand.schema.json").read_bytes()
    except (OSError, ValueError):
        return None
    return cache.key(spec, schema, __version__)


def schema_passed(source: Path) -> bool:
    """These exact bytes passed this schema before (same brandkit)."""
    name = _schema_key(source)
    return name is not None and cache.read("schema-passed", name) is True


def schema_passes(source: Path) -> None:
    name = _schema_key(source)
    if name is not None:
        cache.write("schema-passed", name, True)
