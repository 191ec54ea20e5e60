"""``--sandbox``: start the embedded sandbox, create the spec's accounts in it, and hand back the
environment (endpoints, CA, credentials) that points every adapter at it."""

from __future__ import annotations

import hashlib
import typing as t
from pathlib import Path

from brandkit.sandbox import Sandbox
from brandkit.spec.fields import platform_text
from brandkit.spec.model import Brand, FacebookAccount, MailchimpAccount, TwitterAccount

__all__ = ["provision", "start_sandbox"]


def _secret(account_id: str, role: str) -> str:
    # deterministic, so separate processes (apply, then check) share the same sandbox credentials
    return "sbx-" + hashlib.sha256(f"{account_id}/{role}".encode()).hexdigest()[:24]


def start_sandbox(state_dir: Path) -> Sandbox:
    return Sandbox(state_dir=state_dir).start()


def provision(sandbox: Sandbox, brands: t.Sequence[Brand]) -> dict[str, str]:
    """Create each account the specs name (keeping any that exist) and return the environment."""
    env = dict(sandbox.env())
    for brand in brands:
        for index, account in enumerate(brand.accounts):
            creds = {role: _secret(account.id, role) for role, _ in account.credentials}
            for role, var in account.credentials:
                env[var] = creds[role]
            if isinstance(account, TwitterAccount):
                # a new sandbox account starts with the brand's display name and nothing else,
                # like an account someone just created by hand
                name = platform_text(brand.data, index, name_limit=50).get("name")
                sandbox.server.twitter.add_account(account.handle, name=name.value if name else account.handle,
                                                   **creds)
            elif isinstance(account, FacebookAccount):
                sandbox.server.facebook.add_page(account.page_id, name=brand.identity.name,
                                                 page_token=creds["page_token"], app_secret=creds.get("app_secret"))
            elif isinstance(account, MailchimpAccount):
                key = creds.get("api_key") or creds.get("access_token") or ""
                sandbox.server.mailchimp.add_account(key, audience_id=account.audience_id,
                                                     audience_name=brand.identity.name)
    return env
