"""Writing files so that an interruption never leaves a truncated one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write"]

# mkstemp creates files 0600; ordinary outputs get what any new file would (0666 less the umask)
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write via a temporary file in the same folder, then rename. ``private`` keeps it 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if not private:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
