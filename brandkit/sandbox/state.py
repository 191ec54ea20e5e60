"""The sandbox's accounts and stored images: in memory, optionally persisted to a folder.

Persisted state is one JSON file plus one file per stored image, written atomically after
every change, so separate processes (``apply`` then ``check``) see the same accounts.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import typing as t
from pathlib import Path

from brandkit._files import atomic_write

__all__ = ["SandboxState"]

STATE_FILE = "state.json"


def _empty() -> dict[str, t.Any]:
    # each platform module adds its own section (``ensure_section``)
    return {"images": {}, "stories": 0, "port": None}


class SandboxState:
    """Thread-safe state. ``with state.edit() as data:`` changes it and persists the change."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._lock = threading.RLock()
        self._images: dict[str, bytes] = {}
        self.data = _empty()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / STATE_FILE
            if path.exists():
                loaded = json.loads(path.read_text(encoding="utf-8"))
                base = _empty()
                base.update(loaded)
                self.data = base

    class _Edit:
        def __init__(self, state: SandboxState) -> None:
            self.state = state

        def __enter__(self) -> dict[str, t.Any]:
            self.state._lock.acquire()
            return self.state.data

        def __exit__(self, *exc: object) -> None:
            try:
                if exc[0] is None:
                    self.state._save()
            finally:
                self.state._lock.release()

    def edit(self) -> SandboxState._Edit:
        return SandboxState._Edit(self)

    def ensure_section(self, name: str, empty: dict[str, t.Any]) -> None:
        """A platform's part of the state, as ``empty`` when this state has none yet."""
        with self._lock:
            if name not in self.data:
                self.data[name] = copy.deepcopy(empty)

    def read(self) -> dict[str, t.Any]:
        with self._lock:
            return copy.deepcopy(self.data)

    def _save(self) -> None:
        if self.folder is None:
            return
        atomic_write(
            self.folder / STATE_FILE,
            json.dumps(self.data, indent=1, sort_keys=True).encode(),
            private=True,
        )

    # -- images -----------------------------------------------------------------
    def put_image(self, data: bytes, content_type: str, key: str | None = None) -> str:
        """Store an image under ``key`` (a platform's own id or variant name), or a new key."""
        key = key or secrets.token_hex(8)
        with self._lock:
            self.data["images"][key] = content_type
            if self.folder is not None:
                atomic_write(self.folder / "images" / key, data, private=True)
            else:
                self._images[key] = data
            self._save()
        return key

    def get_image(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            content_type = self.data["images"].get(key)
            if content_type is None:
                return None
            if self.folder is not None:
                try:
                    return (self.folder / "images" / key).read_bytes(), content_type
                except OSError:
                    return None
            return self._images[key], content_type
