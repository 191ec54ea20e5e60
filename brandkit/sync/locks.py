"""One apply (or restore) at a time per state folder and per spec.

Two applies at once would interleave their writes and their backups; two on one state folder
would also race on its caches. Each holds an exclusive, non-blocking ``flock`` on
``<state>/apply.lock`` and on one lock per spec, in the ``.brandkit`` folder beside the spec (so
two state folders applying one spec also meet; not in the shared temporary folder, where another
user could hold it first or plant a link). Lock files are private (0600) and never opened
through a link, released when it ends, however it ends (the kernel releases a
lock when its process dies, so a killed apply leaves nothing to clean up).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import typing as t
from pathlib import Path

from brandkit._files import open_lock
from brandkit.errors import PlanError
from brandkit.i18n import msg

__all__ = ["apply_lock"]


def _locks(state_dir: Path, specs: t.Iterable[str]) -> list[tuple[Path, str]]:
    out = [(state_dir / "apply.lock", f"the state folder {state_dir}")]
    for spec in sorted(set(specs)):
        resolved = Path(spec).resolve()
        digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
        out.append((resolved.parent / ".brandkit" / f"apply-{digest}.lock", f"the spec {spec}"))
    return out


@contextlib.contextmanager
def apply_lock(state_dir: Path, specs: t.Iterable[str]) -> t.Iterator[None]:
    """Hold the locks for the block; a PlanError naming who holds one if it is taken."""
    state_dir.mkdir(parents=True, exist_ok=True)
    held: list[t.BinaryIO] = []
    try:
        for path, what in _locks(state_dir, specs):
            fh = open_lock(path)
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read(200).decode("utf-8", "replace").strip() or "another process"
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
            fh.write(f"process {os.getpid()}, started {now}".encode())
            fh.flush()
            held.append(fh)
        yield
    finally:
        for lock in held:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()
