"""What each platform module of the sandbox provides; the server knows platforms only through it.

A platform module subclasses :class:`PlatformAPI`: the URL prefixes it answers, its empty state,
its request handler, how it words an injected fault (each platform its own error shape), how a
control call or ``--sandbox`` creates an account, and the environment that points brandkit at it.
"""

from __future__ import annotations

import abc
import typing as t

from brandkit.sandbox.faults import Fault
from brandkit.sandbox.http import Request, Response
from brandkit.sandbox.state import SandboxState

if t.TYPE_CHECKING:
    from brandkit.spec.model import Account, Brand

__all__ = ["PlatformAPI"]


class PlatformAPI(abc.ABC):
    platform: t.ClassVar[str]
    # URL path prefixes this platform answers (its API and the URLs of the images it hosts)
    prefixes: t.ClassVar[tuple[str, ...]]
    # this platform's part of the sandbox state, as a new sandbox has it
    empty_state: t.ClassVar[dict[str, t.Any]]

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        state.ensure_section(self.platform, self.empty_state)

    def owns(self, path: str) -> bool:
        return path.startswith(self.prefixes)

    def enter(self, req: Request) -> Response | t.Callable[[], None] | None:
        """Before a request is served: a refusal, a release to call after it, or None.
        (Mailchimp counts simultaneous connections per key.)"""
        return None

    @abc.abstractmethod
    def handle(self, req: Request) -> Response: ...

    def reset_rate_limits(self) -> None:  # noqa: B027 (most platforms here have none)
        """Start every rate-limit window afresh (the platforms without limits: nothing)."""

    @abc.abstractmethod
    def fault_response(self, fault: Fault, path: str) -> Response:
        """An injected fault, worded as this platform words that status."""

    @abc.abstractmethod
    def add_from_control(self, fields: dict[str, t.Any]) -> dict[str, t.Any]:
        """``POST /_sandbox/accounts/<platform>``: create an account from a JSON body."""

    @abc.abstractmethod
    def provision(self, account: Account, brand: Brand, credentials: dict[str, str]) -> None:
        """Create the spec's account (keeping one that exists), as someone who just opened it
        by hand would have it, with these credentials."""

    def by_hand(self, account: Account, field: str, value: bytes | str) -> bool:
        """Do what a person does on the platform's own site for a field no API writes (the
        hand-off); False where this platform has no such field."""
        return False

    @abc.abstractmethod
    def env(self, base_url: str) -> dict[str, str]:
        """The environment variables that point brandkit (and scripts) at this platform here."""

    @abc.abstractmethod
    def describe(self, base_url: str) -> str:
        """One line for ``brandkit sandbox``: where this platform's API is and how to reach it."""

    @abc.abstractmethod
    def add_demo_account(self) -> str:
        """Create a ready-made account with fixed, obviously fake credentials (they open only
        this sandbox); return one line saying what they are."""
