"""Which revision of a spec a plan was made from: the spec file's sha256 and, when it lives in a
git repository, the commit checked out. ``apply --plan`` refuses a plan made from another
revision: what was reviewed is what gets written (#31)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from brandkit._files import file_sha256

__all__ = ["spec_revision"]


def spec_revision(spec: Path) -> tuple[str, str]:
    """(sha256 of the spec file, git commit or ""), "" for a file that cannot be read."""
    try:
        st = spec.stat()
    except OSError:
        return "", ""
    return _revision(str(spec), st.st_mtime_ns, st.st_size)


@functools.cache  # once per file version and process: every account of a brand asks
def _revision(spec: str, mtime_ns: int, size: int) -> tuple[str, str]:
    try:
        digest = file_sha256(Path(spec))
    except OSError:
        return "", ""
    return digest, _commit(Path(spec).parent)


def _commit(folder: Path) -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    try:
        found = subprocess.run(  # noqa: S603 - git, by its full path, with fixed arguments
            [git, "-C", str(folder), "rev-parse", "--verify", "-q", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    commit = found.stdout.strip()
    return commit if found.returncode == 0 and len(commit) in (40, 64) else ""
