"""brandkit: describe a brand once, render every image, keep every account in sync.

Usage::

    import brandkit
    brand = brandkit.load("brand.yaml")
"""

from __future__ import annotations

from brandkit._version import __version__
from brandkit.errors import (
    AdapterError,
    AuthError,
    BrandkitError,
    PlanError,
    RateLimitedError,
    RemoteError,
    RenderError,
    SandboxError,
    SpecError,
    UnsafeChangeError,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it the same)
if TYPE_CHECKING:
    from brandkit.audience.api import report, stats, watch
    from brandkit.render import RenderResult, render
    from brandkit.spec import Issue, ValidationResult, load, validate
    from brandkit.spec.model import Brand
    from brandkit.sync.api import apply, check, plan
    from brandkit.sync.model import ApplyResult, Change, Plan
    from brandkit.sync.options import SyncOptions

# Imported on first use: the platform clients (tweepy, requests, mailchimp-marketing) and the
# renderer cost ~150 ms to import, which `validate` and `render` should not pay for each other;
# the spec stack (jsonschema, PyYAML: ~90 ms) is not needed by a `brandkit render` with nothing
# to do.
_LAZY = {
    "load": "brandkit.spec",
    "validate": "brandkit.spec",
    "Issue": "brandkit.spec",
    "ValidationResult": "brandkit.spec",
    "Brand": "brandkit.spec.model",
    "render": "brandkit.render",
    "RenderResult": "brandkit.render",
    "plan": "brandkit.sync.api",
    "apply": "brandkit.sync.api",
    "check": "brandkit.sync.api",
    "stats": "brandkit.audience.api",
    "report": "brandkit.audience.api",
    "watch": "brandkit.audience.api",
    "ApplyResult": "brandkit.sync.model",
    "SyncOptions": "brandkit.sync.options",
    "Change": "brandkit.sync.model",
    "Plan": "brandkit.sync.model",
}


if not TYPE_CHECKING:  # type checkers see the imports above, not "any name is Any"

    def __getattr__(name: str) -> object:
        if name in _LAZY:
            import importlib

            value = getattr(importlib.import_module(_LAZY[name]), name)
            globals()[name] = value
            return value
        raise AttributeError(f"module 'brandkit' has no attribute {name!r}")


__all__ = [
    "AdapterError",
    "ApplyResult",
    "AuthError",
    "Brand",
    "BrandkitError",
    "Change",
    "Issue",
    "Plan",
    "PlanError",
    "RateLimitedError",
    "RemoteError",
    "RenderError",
    "RenderResult",
    "SandboxError",
    "SpecError",
    "SyncOptions",
    "UnsafeChangeError",
    "ValidationResult",
    "__version__",
    "apply",
    "check",
    "load",
    "plan",
    "render",
    "report",
    "stats",
    "validate",
    "watch",
]
