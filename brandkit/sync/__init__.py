"""Desired state, plans, apply, check, restore."""

from __future__ import annotations

from brandkit.sync.engine import AccountResult, ApplyResult, SyncOptions, apply, plan, restore
from brandkit.sync.model import AccountPlan, Change, Plan

__all__ = ["AccountPlan", "AccountResult", "ApplyResult", "Change", "Plan", "SyncOptions", "apply", "plan", "restore"]
