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
from brandkit.render import RenderResult, render
from brandkit.spec import Issue, ValidationResult, load, validate
from brandkit.spec.model import Brand
from brandkit.sync.api import apply, check, plan
from brandkit.sync.engine import ApplyResult, SyncOptions
from brandkit.sync.model import Change, Plan

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
    "validate",
]
