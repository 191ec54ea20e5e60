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
from brandkit.spec import Issue, ValidationResult, load, validate
from brandkit.spec.model import Brand

__all__ = [
    "AdapterError",
    "AuthError",
    "Brand",
    "BrandkitError",
    "Issue",
    "PlanError",
    "RateLimitedError",
    "RemoteError",
    "RenderError",
    "SandboxError",
    "SpecError",
    "UnsafeChangeError",
    "ValidationResult",
    "__version__",
    "load",
    "validate",
]
