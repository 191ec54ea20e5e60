"""The settings of an Instagram professional account in a spec (the ``then`` of its branch in
brand.schema.json, platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    ig_user_id: str  # the IG User id (the Page's instagram_business_account)
    username: str = ""  # the @username, for the hand-off page's words
    graph_version: str = ""  # a Graph API version (v23.0), if not brandkit's
