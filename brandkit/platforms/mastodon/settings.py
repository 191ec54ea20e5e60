"""The settings of a Mastodon account in a spec (the ``then`` of its branch in
brand.schema.json, platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    instance: str  # the server's address, https://…
    handle: str = ""  # the username, for the web head's rel=me link
    fields: bool = True  # keep the profile's fields as the brand's website and links
