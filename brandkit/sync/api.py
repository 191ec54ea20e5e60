"""The Python API: plan, apply and check take spec paths or loaded brands; results are objects."""

from __future__ import annotations

import typing as t
from pathlib import Path

from brandkit.spec import load
from brandkit.spec.model import Brand
from brandkit.sync import engine
from brandkit.sync.model import ApplyResult, Plan
from brandkit.sync.options import SyncOptions

__all__ = ["apply", "check", "plan"]

Specs = str | Path | Brand | t.Sequence[str | Path | Brand]


def _brands(specs: Specs) -> list[Brand]:
    items = [specs] if isinstance(specs, (str, Path, Brand)) else list(specs)
    return [item if isinstance(item, Brand) else load(item) for item in items]


def plan(specs: Specs, options: SyncOptions | None = None) -> Plan:
    """What would change on every account.

    ``plan("brand.yaml").summary()`` -> "2 to change (7 fields), 5 ok"."""
    return engine.plan(_brands(specs), options)


def check(specs: Specs, options: SyncOptions | None = None) -> Plan:
    """A plan read as a CI check: ``check(...).exit_code()`` is 0 in sync, 2 drift, 1 error."""
    return engine.plan(_brands(specs), options)


def apply(
    specs: Specs, options: SyncOptions | None = None, *, saved: Plan | None = None
) -> ApplyResult:
    """Write what differs, after a backup; verify. ``saved``: apply that plan if nothing moved."""
    return engine.apply(_brands(specs), options, saved=saved)
