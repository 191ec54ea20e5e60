"""The settings of a X (Twitter) account in a spec (the ``then`` of its branch in
brand.schema.json, platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses
import typing as t

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    handle: str  # the @handle without @ (checked against the account the token signs in as)
    api: t.Literal["v2", "v1.1"] = (
        "v2"  # X API version for the profile and avatar (the banner is v1.1 either way)
    )
