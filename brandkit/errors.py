"""The brandkit exception tree. Every error brandkit raises on purpose is a ``BrandkitError``.

::

    BrandkitError                 expected failure; the CLI prints it and exits 1
    ├── SpecError                 a brand spec is unreadable or invalid; ``.issues``: every problem
    ├── RenderError               an image could not be produced; names the target and the file
    ├── SandboxError              the local platform emulator could not start or be reached
    ├── ConfigError               the environment or a working file is unusable (an endpoint
    │                             that is not https, a state folder that is a file...)
    ├── PlanError                 a plan cannot be made or applied (stale plan, refused change)
    │   └── UnsafeChangeError     a guarded change (blanking a field, renaming) needs ``--force``
    └── AdapterError              a platform call failed; names platform, account and field
        ├── AuthError             credentials missing, invalid or lacking a permission
        ├── RateLimitedError      the platform throttled us (retryable; beyond the budget, final)
        └── RemoteError           any other refusal or transport failure from the platform
            └── UnansweredError   sent, but no answer came back (it may have been done)

Whether an ``AdapterError`` may succeed if tried again is part of the error (``retryable``,
with the wait the platform asked for in ``retry_after``), as httpx's transport errors carry it:
``brandkit.retry`` retries exactly those, and says in the message how long it waited when it
gives up.

Foreign exceptions (yaml, jsonschema, PIL, tweepy, requests, mailchimp-marketing) are translated
into these at the module that calls the foreign library, with ``raise ... from``.
"""

from __future__ import annotations

import typing as t

from brandkit.i18n import msg

if t.TYPE_CHECKING:
    from brandkit.spec.issues import Issue

__all__ = [
    "AdapterError",
    "AuthError",
    "BrandkitError",
    "ConfigError",
    "PlanError",
    "RateLimitedError",
    "RemoteError",
    "RenderError",
    "SandboxError",
    "SpecError",
    "UnansweredError",
    "UnsafeChangeError",
]


class BrandkitError(Exception):
    """Root of every error brandkit raises on purpose."""

    def __str__(self) -> str:
        # a message raised as an i18n.Message stays one: English here, translated where shown
        if len(self.args) == 1 and isinstance(self.args[0], str):
            return self.args[0]
        return super().__str__()


class SpecError(BrandkitError):
    """A spec could not be loaded. ``issues`` lists every problem found, sorted by position."""

    def __init__(self, issues: t.Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        first = errors[0].format() if errors else "invalid spec"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


class RenderError(BrandkitError):
    """An image target could not be rendered."""

    def __init__(self, message: str, *, target: str | None = None, file: str | None = None) -> None:
        self.target = target
        self.file = file
        where = ", ".join(x for x in (target, file) if x)
        super().__init__(
            msg("{where}: {message}", where=where, message=message) if where else message
        )


class SandboxError(BrandkitError):
    """The sandbox could not start, or a control call failed."""


class ConfigError(BrandkitError):
    """The environment, an option or a working file cannot be used as it is; the message says
    which and what to do."""


class PlanError(BrandkitError):
    """A plan could not be computed or applied."""


class UnsafeChangeError(PlanError):
    """A change that could lose data or hit the wrong account was refused without ``--force``."""


class AdapterError(BrandkitError):
    """A platform call failed. Carries the platform, the account id and, when known, the field."""

    retryable_by_default: t.ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        platform: str,
        account: str,
        field: str | None = None,
        status: int | None = None,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.platform = platform
        self.account = account
        self.field = field
        self.status = status
        self.retryable = self.retryable_by_default if retryable is None else retryable
        self.retry_after = retry_after  # seconds the platform asked us to wait, if it said
        self.gave_up: str | None = None  # set by brandkit.retry when the retry budget ran out
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.platform}:{self.account}" + (f" {self.field}" if self.field else "")
        said = msg("{where}: {message}", where=where, message=self.message)
        return msg("{said} ({gave_up})", said=said, gave_up=self.gave_up) if self.gave_up else said


class AuthError(AdapterError):
    """Credentials are missing, wrong, expired, or lack a permission."""


class RateLimitedError(AdapterError):
    """Throttled by the platform; retried within the budget, then final."""

    retryable_by_default = True


class RemoteError(AdapterError):
    """Any other failure reported by (or on the way to) the platform."""


class UnansweredError(RemoteError):
    """The request may have reached the platform, but no answer came back. ``timed_out``: the
    client stopped waiting, so the platform may still be doing the work (a create may land
    later); otherwise the connection was cut after the platform had answered, or never was."""

    retryable_by_default = True

    def __init__(self, message: str, *, timed_out: bool = False, **where: t.Any) -> None:
        super().__init__(message, **where)
        self.timed_out = timed_out
