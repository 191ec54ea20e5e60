"""``--sandbox``: start the embedded sandbox, create the spec's accounts in it, and hand back the
environment (endpoints, CA, credentials) that points every adapter at it."""

from __future__ import annotations

import hashlib
import typing as t
from pathlib import Path

from brandkit.sandbox import Sandbox
from brandkit.spec.model import Brand

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
        for account in brand.accounts:
            api = sandbox.server.apis.get(account.platform)
            if api is None:
                continue
            creds = {role: _secret(account.id, role) for role, _ in account.credentials}
            for role, var in account.credentials:
                env[var] = creds[role]
            api.provision(account, brand, creds)
    return env
