"""The settings of a GitHub organization in a spec (the ``then`` of its branch in
brand.schema.json, platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    org: str  # the organization's login, as in github.com/<org>
