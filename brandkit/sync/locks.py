"""One apply (or restore) at a time per state folder and per spec.

Two applies at once would interleave their writes and their backups; two on one state folder
would also race on its caches. Each holds an exclusive, non-blocking ``flock`` on
``<state>/apply.lock`` and on one lock per spec (in the temporary folder, so two state folders
applying one spec also meet), released when it ends, however it ends (the kernel releases a
lock when its process dies, so a killed apply leaves nothing to clean up).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import tempfile
import typing as t
from pathlib import Path

from brandkit.errors import PlanError
from brandkit.i18n import msg

__all__ = ["apply_lock"]


def _locks(state_dir: Path, specs: t.Iterable[str]) -> list[tuple[Path, str]]:
    out = [(state_dir / "apply.lock", f"the state folder {state_dir}")]
    for spec in sorted(set(specs)):
        digest = hashlib.sha256(str(Path(spec).resolve()).encode()).hexdigest()[:16]
        out.append(
            (Path(tempfile.gettempdir()) / f"brandkit-apply-{digest}.lock", f"the spec {spec}")
        )
    return out


@contextlib.contextmanager
def apply_lock(state_dir: Path, specs: t.Iterable[str]) -> t.Iterator[None]:
    """Hold the locks for the block; a PlanError naming who holds one if it is taken."""
    state_dir.mkdir(parents=True, exist_ok=True)
    held: list[t.IO[str]] = []
    try:
        for path, what in _locks(state_dir, specs):
            fh = path.open("a+", encoding="utf-8")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                fh.close()
                raise PlanError(
                    msg(
                        "another brandkit apply or restore is running on {what} ({holder}); wait "
                        "for it to finish (nothing was written by this one)",
                        what=what,
                        holder=holder,
                    )
                ) from None
            fh.seek(0)
            fh.truncate()
            now = dt.datetime.now(dt.UTC).strftime("%H:%M:%S UTC")
            fh.write(f"process {os.getpid()}, started {now}")
            fh.flush()
            held.append(fh)
        yield
    finally:
        for lock in held:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()
