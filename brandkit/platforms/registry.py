"""Every platform brandkit works with, registered once.

A platform is its folder, ``brandkit/platforms/<name>/``: ``adapter.py`` (``ADAPTER``, the
:class:`~brandkit.adapters.base.Adapter` subclass), ``emulator.py`` (``EMULATOR``, the sandbox's
stand-in) and its data in schemas/platforms.json. Adding one is its folder and its name below
(docs/architecture.md, "Adding a platform"); tests/test_registry.py checks that every list of
platforms agrees with this one.
"""

from __future__ import annotations

import importlib
import typing as t

from brandkit.adapters.base import Adapter

if t.TYPE_CHECKING:
    from brandkit.sandbox.base import PlatformAPI

__all__ = ["ADAPTERS", "NAMES", "emulators"]

NAMES = (
    "twitter",
    "facebook",
    "mailchimp",
    "mastodon",
    "bluesky",
    "telegram",
    "github",
    "discord",
    "youtube",
    "instagram",
    "linkedin",
)


def _part(name: str, module: str, attribute: str) -> t.Any:
    return getattr(importlib.import_module(f"brandkit.platforms.{name}.{module}"), attribute)


ADAPTERS: dict[str, type[Adapter]] = {name: _part(name, "adapter", "ADAPTER") for name in NAMES}


def emulators() -> tuple[type[PlatformAPI], ...]:
    """The sandbox's stand-ins (imported by the sandbox only: a run against the real platforms
    never loads them)."""
    return tuple(_part(name, "emulator", "EMULATOR") for name in NAMES)
