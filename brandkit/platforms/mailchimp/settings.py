"""The settings of a Mailchimp account in a spec (the ``then`` of its branch in
brand.schema.json, platform.json ``account``), typed; built when the spec is loaded."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from brandkit.platforms import AccountSettings

__all__ = ["Settings"]


@dataclasses.dataclass(frozen=True, slots=True)
class Settings(AccountSettings):
    audience_id: str  # the audience (list) whose defaults brandkit keeps
    template_name: str  # the name of the template brandkit owns
    template: Path | None = None  # the brand's own MJML template, absolute
    from_name: str = ""  # the sender's name, if not the brand's
    from_email: str = ""  # the sender's address, if not the brand's contact
    subject_prefix: str = ""  # the audience's default subject
    server: str = ""  # the data centre (us6), when the key does not end with it
