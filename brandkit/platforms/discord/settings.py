"""The settings of a Discord server in a spec (the ``then`` of its branch in brand.schema.json,
platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    guild_id: str  # the server's id (a snowflake: Developer Mode, right-click the server)
