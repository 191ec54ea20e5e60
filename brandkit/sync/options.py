"""How plan, apply, check and restore reach the platforms, and where they keep their files."""

from __future__ import annotations

import dataclasses
import os
import threading
import typing as t
from pathlib import Path

from brandkit.adapters.base import Endpoints
from brandkit.gates import Gates
from brandkit.retry import RetryPolicy

__all__ = ["SyncOptions"]


@dataclasses.dataclass
class SyncOptions:
    """How to reach the platforms and where brandkit keeps its working files."""

    env: t.Mapping[str, str] = dataclasses.field(default_factory=lambda: dict(os.environ))
    endpoints: Endpoints | None = None
    state_dir: Path = Path(".brandkit")
    workers: int = 8
    retry: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)
    force: bool = False
    progress: t.Callable[[str], None] | None = None
    # how long apply waits for a platform to show images it processes after the upload
    # (X: "at least 5 seconds"), re-reading at growing intervals, before it calls it a failure
    settle_timeout: float = 60.0
    # set to stop issuing writes (Ctrl-C sets it): writes under way finish, no new one starts
    cancel: threading.Event = dataclasses.field(default_factory=threading.Event)
    # how many accounts work at once per platform and per credential (an agency's workspace)
    gates: Gates = dataclasses.field(default_factory=Gates)

    def resolved_endpoints(self) -> Endpoints:
        return self.endpoints or Endpoints.from_env(self.env)

    def note(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)
