"""Faults on demand: per-endpoint errors, latency, dropped connections, truncated bodies."""

from __future__ import annotations

import dataclasses
import re
import threading
import typing as t

__all__ = ["Fault", "FaultPlan"]


@dataclasses.dataclass
class Fault:
    """Applies to requests whose platform, method and path match, ``times`` times (None: always).

    ``status`` answers with that status and the platform's real error body for it (429 with its
    rate-limit headers); ``code`` picks a platform error code (Facebook 4/17/32/341/613/80001/
    102/190..., Twitter 88/453...) and ``subcode`` Facebook's error_subcode; ``minutes`` is how
    long a throttled Facebook answer says access takes to return; ``drop`` closes the
    connection without answering; ``truncate`` sends half the body of the real answer;
    ``latency`` delays the request (seconds); ``body`` answers with exactly these bytes (as
    JSON, status ``status`` or 200) without handling the request: what a broken or hostile
    platform might send.
    """

    platform: str | None = None
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request path
    status: int | None = None
    code: int | None = None
    subcode: int | None = None
    minutes: int | None = None
    times: int | None = 1
    latency: float = 0.0
    drop: bool = False
    truncate: bool = False
    retry_after: int | None = None
    body: str | None = None
    location: str | None = None  # with ``body``: a Location header (a redirect)
    hits: int = 0

    def matches(self, platform: str, method: str, path: str) -> bool:
        return (
            (self.platform is None or self.platform == platform)
            and (self.method is None or self.method.upper() == method)
            and (self.path is None or re.search(self.path, path) is not None)
            and (self.times is None or self.hits < self.times)
        )

    def to_dict(self) -> dict[str, t.Any]:
        return dataclasses.asdict(self)


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.faults: list[Fault] = []
        self.latency = 0.0  # added to every request (scale benchmarks)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.latency = 0.0

    def take(self, platform: str, method: str, path: str) -> Fault | None:
        """The first matching fault, counted as used."""
        with self._lock:
            for fault in self.faults:
                if fault.matches(platform, method, path):
                    fault.hits += 1
                    return fault
        return None
