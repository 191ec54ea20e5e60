"""The settings of a YouTube channel in a spec (the ``then`` of its branch in brand.schema.json,
platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    channel_id: str  # UC…: the channel the token must manage
    country: str = ""  # ISO 3166-1 alpha-2, shown on the channel's About
    keywords: str = ""  # the channel's keywords, space-separated ("quoted phrases" allowed)
