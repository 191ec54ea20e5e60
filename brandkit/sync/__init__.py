"""Desired state, plans, apply, check, restore."""

from __future__ import annotations

from brandkit.sync.engine import apply, plan, restore
from brandkit.sync.model import AccountPlan, AccountResult, ApplyResult, Change, Plan
from brandkit.sync.options import SyncOptions

__all__ = [
    "AccountPlan",
    "AccountResult",
    "ApplyResult",
    "Change",
    "Plan",
    "SyncOptions",
    "apply",
    "plan",
    "restore",
]
