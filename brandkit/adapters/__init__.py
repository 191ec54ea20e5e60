"""The contract every platform adapter implements (``base.Adapter``); the adapters themselves
live in their platform's folder (brandkit/platforms/<name>/adapter.py), registered in
brandkit/platforms/registry.py."""

from __future__ import annotations

from brandkit.adapters.base import Adapter, Desired, Endpoints, LiveState

__all__ = ["Adapter", "Desired", "Endpoints", "LiveState"]
