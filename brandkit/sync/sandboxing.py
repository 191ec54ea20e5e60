"""``--sandbox``: start the embedded sandbox, create the spec's accounts in it, and hand back the
environment (endpoints, CA, credentials) that points every adapter at it."""

from __future__ import annotations

import hashlib
import tempfile
import typing as t
from pathlib import Path

from brandkit.platforms.registry import ADAPTERS
from brandkit.rendering import render_targets
from brandkit.sandbox import Sandbox
from brandkit.sandbox.base import PlatformAPI
from brandkit.spec.model import Account, Brand

__all__ = ["done_by_hand", "provision", "start_sandbox"]


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
            new = _first_time(sandbox, account)
            api.provision(account, brand, creds)
            if new:
                done_by_hand(api, brand, account)
    return env


def _first_time(sandbox: Sandbox, account: Account) -> bool:
    with sandbox.state.edit() as data:
        seen = data.setdefault("provisioned", [])
        key = f"{account.platform}/{account.id}"
        if key in seen:
            return False
        seen.append(key)
        return True


def done_by_hand(api: PlatformAPI, brand: Brand, account: Account) -> None:
    """A new account starts as its owner left it where no API can write (the hand-off done
    once, by hand, when the account was opened): those fields as the spec has them, so that
    a fresh sandbox can be in sync; a later change there is drift, found like any other."""
    by_hand = ADAPTERS[account.platform].BY_HAND
    targets = ADAPTERS[account.platform].image_targets()
    images = {f: targets[f] for f in by_hand if f in targets and f not in account.images}
    with tempfile.TemporaryDirectory(prefix="brandkit-hand-") as folder:
        rendered = (
            {
                a.target: a.path
                for a in render_targets(brand, folder, targets=images.values()).assets
            }
            if images
            else {}
        )
        for field in by_hand:
            if field in account.text:
                api.by_hand(account, field, account.text[field].value)
            elif field in account.images:
                api.by_hand(account, field, account.images[field].read_bytes())
            elif field in images:
                api.by_hand(account, field, rendered[images[field]].read_bytes())
