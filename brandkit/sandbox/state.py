"""The sandbox's accounts and stored images: in memory, optionally persisted to a folder.

Persisted state is one JSON file plus one file per stored image, written atomically after
every change, so separate processes (``apply`` then ``check``) see the same accounts.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import secrets
import threading
import typing as t
from pathlib import Path

from brandkit._files import atomic_write, open_lock
from brandkit.errors import SandboxError

__all__ = ["SandboxState"]

STATE_FILE = "state.json"


def _empty() -> dict[str, t.Any]:
    # each platform module adds its own section (``ensure_section``)
    return {"images": {}, "stories": 0, "port": None}


class SandboxState:
    """Thread- and process-safe state. ``with state.edit() as data:`` changes it and persists the
    change. With a folder, every edit holds a lock on it and starts from what is on disk, so two
    processes sharing a ``--state`` folder never lose each other's changes."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._lock = threading.RLock()
        self._depth = 0
        self._lock_file: t.IO[bytes] | None = None
        self._seen: tuple[int, int] | None = None
        self._images: dict[str, bytes] = {}
        self._sections: dict[str, dict[str, t.Any]] = {}  # each platform's empty part
        self.data = _empty()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            with self._locked():
                pass  # loads what is on disk

    def _reload(self) -> None:
        assert self.folder is not None
        path = self.folder / STATE_FILE
        try:
            st = path.stat()
        except FileNotFoundError:
            return
        if self._seen == (st.st_mtime_ns, st.st_size):
            return
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(loaded, dict):
                raise ValueError("not an object")
        except (OSError, ValueError) as exc:
            raise SandboxError(
                f"{path} is damaged ({exc}); delete the folder {self.folder} to start the sandbox "
                "afresh (it only holds emulated accounts)"
            ) from None
        base = _empty()
        self._check_shape(path, loaded, {**base, **self._sections})
        base.update(loaded)
        sections = {k: v for k, v in self.data.items() if k not in base}
        self.data = {**base, **sections}
        self._seen = (st.st_mtime_ns, st.st_size)

    @contextlib.contextmanager
    def _locked(self) -> t.Iterator[None]:
        with self._lock:
            outermost = self._depth == 0
            self._depth += 1
            try:
                if outermost and self.folder is not None:
                    self._lock_file = open_lock(self.folder / "state.lock")
                    fcntl.flock(self._lock_file, fcntl.LOCK_EX)
                    self._reload()
                yield
            finally:
                self._depth -= 1
                if outermost and self._lock_file is not None:
                    fcntl.flock(self._lock_file, fcntl.LOCK_UN)
                    self._lock_file.close()
                    self._lock_file = None

    class _Edit:
        def __init__(self, state: SandboxState) -> None:
            self.state = state
            self.held: contextlib.AbstractContextManager[None] | None = None

        def __enter__(self) -> dict[str, t.Any]:
            self.held = self.state._locked()
            self.held.__enter__()
            return self.state.data

        def __exit__(self, *exc: t.Any) -> None:
            assert self.held is not None
            try:
                if exc[0] is None:
                    self.state._save()
            finally:
                self.held.__exit__(*exc)

    def edit(self) -> SandboxState._Edit:
        return SandboxState._Edit(self)

    def ensure_section(self, name: str, empty: dict[str, t.Any]) -> None:
        """A platform's part of the state, as ``empty`` when this state has none yet."""
        with self._locked():
            self._sections[name] = empty
            if self.folder is not None:
                self._check_shape(self.folder / STATE_FILE, self.data, {name: empty})
            if name not in self.data:
                self.data[name] = copy.deepcopy(empty)

    def _check_shape(self, path: Path, loaded: dict[str, t.Any], like: dict[str, t.Any]) -> None:
        """Each known part as the sandbox writes it (a mapping where a mapping goes, and each
        platform section's own parts too), else the file was edited or damaged: say so."""
        wrong = []
        for key, model in like.items():
            if key not in loaded or model is None:
                continue
            if type(loaded[key]) is not type(model):
                wrong.append(key)
            elif isinstance(model, dict):
                wrong += [
                    f"{key}.{k}"
                    for k, v in model.items()
                    if k in loaded[key] and v is not None and type(loaded[key][k]) is not type(v)
                ]
        if loaded.get("port") is not None and not isinstance(loaded.get("port"), int):
            wrong.append("port")
        if wrong:
            raise SandboxError(
                f"{path} is damaged ({', '.join(sorted(wrong))} not as the sandbox wrote it); "
                f"delete the folder {self.folder} to start the sandbox afresh (it only holds "
                "emulated accounts)"
            )

    def read(self) -> dict[str, t.Any]:
        with self._locked():
            return copy.deepcopy(self.data)

    def _save(self) -> None:
        if self.folder is None:
            return
        path = self.folder / STATE_FILE
        atomic_write(path, json.dumps(self.data, indent=1, sort_keys=True).encode(), private=True)
        st = path.stat()
        self._seen = (st.st_mtime_ns, st.st_size)

    def refresh(self) -> None:
        """Take in what another process sharing the folder wrote (a stat when nothing did)."""
        with self._locked():
            pass

    # -- images -----------------------------------------------------------------
    def put_image(self, data: bytes, content_type: str, key: str | None = None) -> str:
        """Store an image under ``key`` (a platform's own id or variant name), or a new key."""
        key = key or secrets.token_hex(8)
        with self.edit() as state:
            if self.folder is not None:
                atomic_write(self.folder / "images" / key, data, private=True)
            else:
                self._images[key] = data
            state["images"][key] = content_type
        return key

    def get_image(self, key: str) -> tuple[bytes, str] | None:
        with self._locked():
            content_type = self.data["images"].get(key)
            if content_type is None:
                return None
            if self.folder is not None:
                try:
                    return (self.folder / "images" / key).read_bytes(), content_type
                except OSError:
                    return None
            return self._images[key], content_type
