"""brandkit: describe a brand once, render every image, keep every account in sync.

Usage::

    import brandkit
    brand = brandkit.load("brand.yaml")
"""

from __future__ import annotations

import importlib
import typing as t

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

if t.TYPE_CHECKING:
    from brandkit.audience.api import report, stats, watch
    from brandkit.rendering import RenderResult, render
    from brandkit.spec import Issue, ValidationResult, load, validate
    from brandkit.spec.model import Brand
    from brandkit.sync.api import apply, check, plan
    from brandkit.sync.model import ApplyResult, Change, Plan
    from brandkit.sync.options import SyncOptions

# Imported when first asked for (PEP 562): every command imports this package, and each needs
# only part of it. The network stack (requests, tweepy, mailchimp-marketing) is ~200 ms, Pillow
# ~90 ms, and a `brandkit render` with nothing to do replays its last report needing neither
# them nor the spec stack (measured: 26 ms to import brandkit, 266 ms with everything).
_LAZY = {
    "load": "brandkit.spec",
    "validate": "brandkit.spec",
    "Issue": "brandkit.spec",
    "ValidationResult": "brandkit.spec",
    "Brand": "brandkit.spec.model",
    "render": "brandkit.rendering",
    "RenderResult": "brandkit.rendering",
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


if not t.TYPE_CHECKING:  # a type checker sees the imports above, not "any name is an object"

    def __getattr__(name: str) -> object:
        if name not in _LAZY:
            raise AttributeError(f"module 'brandkit' has no attribute {name!r}")
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value


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
