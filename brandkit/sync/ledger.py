"""What brandkit last wrote to each account's images, so a check can tell "the platform still shows
what we uploaded, but the spec has changed since" from "someone else changed the image".

A perceptual comparison is tuned to ignore what platforms do to an upload (re-encoding, resizing),
and so cannot be trusted with a change it is tuned to ignore (a colour moved by one step). After
an apply has verified an image, the ledger records, per account and image field, the sha256 of
the bytes brandkit uploaded, the URL the platform showed for it right after, and a digest of each
input the image was drawn from (the name, the tagline, the colours, the logo files...). While the
platform still shows that URL, the image is in sync exactly when the newly rendered bytes are the
ones uploaded; otherwise the inputs that moved are named. A URL brandkit did not see after its own
upload means someone else changed the image: that is for the perceptual comparison.

The file (``<state>/written.json``) is brandkit's own, but read as untrusted: anything
unexpected in it is ignored, never an error (the comparison then decides, as on a fresh runner).
"""

from __future__ import annotations

import dataclasses
import json
import threading
import typing as t
from pathlib import Path

from brandkit._files import atomic_write, file_sha256
from brandkit.adapters import Adapter
from brandkit.rendering import target_inputs
from brandkit.spec.model import Brand

__all__ = ["Ledger", "Written", "image_inputs"]

FILE = "written.json"


@dataclasses.dataclass(frozen=True)
class Written:
    """One image brandkit uploaded: its bytes' sha256, the URL the platform showed for it, and
    a digest of each input it was drawn from."""

    sha256: str
    live: str
    inputs: t.Mapping[str, str]

    def moved(self, inputs: t.Mapping[str, str]) -> list[str]:
        """The inputs that differ from the ones this image was drawn from."""
        return sorted(
            k for k in set(self.inputs) | set(inputs) if self.inputs.get(k) != inputs.get(k)
        )


class Ledger:
    """The state folder's record of uploaded images; thread-safe (accounts are applied on a
    pool); one process writes it at a time (apply holds the state folder's lock)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE
        self._lock = threading.Lock()

    def _read(self) -> dict[str, t.Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        accounts = data.get("accounts") if isinstance(data, dict) else None
        return accounts if isinstance(accounts, dict) else {}

    def account(self, platform: str, account: str) -> dict[str, Written]:
        """Field -> what brandkit last uploaded there (fields with a damaged entry left out)."""
        with self._lock:
            fields = self._read().get(f"{platform}:{account}")
        out: dict[str, Written] = {}
        if not isinstance(fields, dict):
            return out
        for field, entry in fields.items():
            if not isinstance(entry, dict):
                continue
            sha, live, inputs = entry.get("sha256"), entry.get("live"), entry.get("inputs")
            if isinstance(sha, str) and isinstance(live, str) and isinstance(inputs, dict):
                out[field] = Written(sha, live, {str(k): str(v) for k, v in inputs.items()})
        return out

    def record(self, platform: str, account: str, written: t.Mapping[str, Written | None]) -> None:
        """Set (or, for None, forget) these fields of one account."""
        with self._lock:
            accounts = self._read()
            key = f"{platform}:{account}"
            fields = accounts.get(key)
            fields = dict(fields) if isinstance(fields, dict) else {}
            for field, entry in written.items():
                if entry is None:
                    fields.pop(field, None)
                else:
                    fields[field] = dataclasses.asdict(entry)
            accounts[key] = fields
            body = {"version": 1, "accounts": dict(sorted(accounts.items()))}
            atomic_write(self.path, (json.dumps(body, indent=1, sort_keys=True) + "\n").encode())


def image_inputs(brand: Brand, adapter: Adapter) -> dict[str, dict[str, str]]:
    """Image field -> a digest of each input its image is drawn from (an account's own image
    file is one input: ``file``)."""
    out: dict[str, dict[str, str]] = {}
    for field, target in adapter.image_targets().items():
        override = adapter.account.images.get(field)
        if override is not None:
            out[field] = {"file": file_sha256(override)}
        else:
            out[field] = target_inputs(brand, target)
    return out
