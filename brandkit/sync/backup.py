"""Backups: what an apply (or a restore) replaced, saved before the first write to an account.

The format, owned here (``restore`` reads it through :func:`read_backup`)::

    <state>/backups/<UTC stamp>/
        backup.json                        {"format", "created", "specs",
                                            "accounts": [[platform, id]]}
        <platform>/<account>/profile.json  {"text": {field: value}, "images": {field: file},
                                            "sha256": {file: hex}}
        <platform>/<account>/<field>.png     each replaced image, as the platform served it

Every file is written durably (fsync, then an atomic rename) and the index is rewritten as each
account is added, so an interrupted apply still leaves a backup that ``restore`` can use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
import typing as t
from pathlib import Path

from brandkit._files import atomic_write
from brandkit.adapters.base import LiveState
from brandkit.errors import PlanError
from brandkit.i18n import msg
from brandkit.sync.model import Change

__all__ = ["BackedUpAccount", "Backup", "read_backup", "read_index"]

FORMAT = "brandkit-backup/1"


def _json(data: t.Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _extension(data: bytes) -> str:
    return ".png" if data[:4] == b"\x89PNG" else ".jpg"


class Backup:
    """A new backup folder; created on disk only when the first account is saved."""

    def __init__(self, state_dir: Path, specs: t.Iterable[str]) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        self.root = state_dir / "backups" / stamp
        self.specs = sorted(set(specs))
        self.accounts: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    @property
    def exists(self) -> bool:
        return (self.root / "backup.json").exists()

    def save(
        self,
        live: LiveState,
        changes: t.Sequence[Change],
        platform: str,
        account: str,
        image: t.Callable[[str], bytes],
    ) -> None:
        """Save the live text and every image ``changes`` replace (``image(url)``: its bytes)."""
        folder = self.root / platform / account
        record: dict[str, t.Any] = {"text": dict(live.text), "images": {}, "sha256": {}}
        for change in changes:
            if change.kind == "image" and isinstance(change.before, str):
                data = image(change.before)
                name = f"{change.field}{_extension(data)}"
                atomic_write(folder / name, data, durable=True)
                record["images"][change.field] = name
                record["sha256"][name] = hashlib.sha256(data).hexdigest()
        atomic_write(folder / "profile.json", _json(record), durable=True)
        with self._lock:
            self.accounts.append((platform, account))
            index = {
                "format": FORMAT,
                "created": self.root.name,
                "specs": self.specs,
                "accounts": sorted(list(a) for a in self.accounts),
            }
            atomic_write(self.root / "backup.json", _json(index), durable=True)


@dataclasses.dataclass(frozen=True)
class BackedUpAccount:
    platform: str
    account: str
    text: dict[str, t.Any]
    images: dict[str, Path]


def read_index(folder: Path) -> dict[str, t.Any]:
    try:
        index = json.loads((folder / "backup.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PlanError(
            msg("{folder}: not a brandkit backup (no readable backup.json)", folder=folder)
        ) from None
    if not isinstance(index, dict) or not isinstance(index.get("specs", []), list):
        raise PlanError(msg("{folder}/backup.json: not a brandkit backup index", folder=folder))
    return index


def read_backup(folder: Path) -> list[BackedUpAccount]:
    """Every account a backup holds. Files are untrusted: an image must be a plain file name in
    its account's folder and match the hash recorded when it was saved."""
    out: list[BackedUpAccount] = []
    for profile in sorted(folder.glob("*/*/profile.json")):
        where = f"{profile.parent.parent.name}:{profile.parent.name}"
        try:
            record = json.loads(profile.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise PlanError(
                msg("{profile}: unreadable backup of {where}", profile=profile, where=where)
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), dict):
            raise PlanError(
                msg(
                    "{profile}: not a backup of {where} (no text fields)",
                    profile=profile,
                    where=where,
                )
            )
        images: dict[str, Path] = {}
        named = record.get("images") or {}
        hashes = record.get("sha256") or {}
        if not isinstance(named, dict) or not isinstance(hashes, dict):
            raise PlanError(
                msg(
                    "{profile}: not a backup of {where} (images or sha256 not a mapping)",
                    profile=profile,
                    where=where,
                )
            )
        for field, name in named.items():
            if not isinstance(name, str) or not name:
                raise PlanError(
                    msg(
                        "{profile}: {field} names {name}, which is not a file name",
                        profile=profile,
                        field=field,
                        name=f"{name!r}",
                    )
                )
            path = profile.parent / name
            # a link could make restore upload any file the user can read: plain files only
            if Path(name).name != name or path.is_symlink() or not path.is_file():
                raise PlanError(
                    msg(
                        "{profile}: {field} names {name}, which is not a file of this backup",
                        profile=profile,
                        field=field,
                        name=f"{name!r}",
                    )
                )
            if hashes.get(name) != hashlib.sha256(path.read_bytes()).hexdigest():
                raise PlanError(
                    msg(
                        "{profile}: {name} changed since the backup was made, or its sha256 is "
                        "not recorded; refusing to upload it",
                        profile=profile,
                        name=name,
                    )
                )
            images[field] = path
        out.append(
            BackedUpAccount(profile.parent.parent.name, profile.parent.name, record["text"], images)
        )
    if not out:
        raise PlanError(
            msg(
                "{folder} holds no account backups (expected <platform>/<account>/profile.json)",
                folder=folder,
            )
        )
    return out
