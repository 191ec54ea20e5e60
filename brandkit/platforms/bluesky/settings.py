"""The settings of a Bluesky account in a spec (the ``then`` of its branch in
brand.schema.json, platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    handle: str  # the handle (name.bsky.social or a domain)
    pds: str = ""  # the account's own PDS; empty: found from the handle
