"""An agency's workspace: a folder of brands, each spec below it, each brand with its client;
the accounts a command takes (``--client``, ``--platform``) and the share one shard of a watch
takes (``--shard K/N``).

A brand's client is ``identity.client``, else the folder that holds the brand's folder below
the workspace (``brands/<client>/<brand>/brand.yaml``); a brand directly below it, or named on
its own, has none unless its spec says. A shard is chosen by a hash of the brand and the
account, so the same account always falls to the same shard whatever the order or the machine,
and adding a brand moves no other brand's accounts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import typing as t
from pathlib import Path

from brandkit.errors import ConfigError

if t.TYPE_CHECKING:  # a no-op render expands folders without loading the spec stack
    from brandkit.spec.model import Account, Brand

__all__ = ["Shard", "expand", "parse_shard", "roots_of", "select", "shard_of", "with_clients"]

SPEC_NAMES = ("brand.yaml", "brand.yml", "_brand.yml", "brand.json")
SKIPPED = {".brandkit", ".git", "node_modules", ".venv", "__pycache__"}


@dataclasses.dataclass(frozen=True)
class Shard:
    index: int  # 1..of
    of: int

    def __str__(self) -> str:
        return f"{self.index}/{self.of}"


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N (a matrix's index + 1, or JOB_COMPLETION_INDEX + 1)."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not found or not 1 <= int(found.group(1)) <= int(found.group(2)) <= 10_000:
        raise ConfigError(
            f"--shard {text!r}: give K/N with 1 <= K <= N, e.g. 1/4 (a job index counted from 0 "
            "is K-1: --shard $((JOB_COMPLETION_INDEX + 1))/N)"
        )
    return Shard(int(found.group(1)), int(found.group(2)))


def roots_of(paths: t.Sequence[str]) -> list[Path]:
    """The folders among ``paths`` (each a workspace of brands)."""
    return [Path(p).resolve() for p in paths if Path(p).is_dir()]


def expand(paths: t.Sequence[str]) -> list[str]:
    """The spec files ``paths`` name: a file as it is, a folder as every spec below it (sorted,
    state and tool folders skipped). A folder with none is an error that names it."""
    specs: list[str] = []
    for given in paths:
        if not Path(given).is_dir():
            specs.append(given)
            continue
        found = []
        for folder, subfolders, files in os.walk(given):
            subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED)
            name = next((n for n in SPEC_NAMES if n in files), None)
            if name is not None:
                found.append(str(Path(folder) / name))
        if not found:
            raise ConfigError(
                f"{given}: no brand.yaml, brand.yml, _brand.yml or brand.json below it"
            )
        specs += sorted(found)
    return specs


def _client(brand: Brand, roots: t.Sequence[Path]) -> str | None:
    if brand.identity.client:
        return brand.identity.client
    spec = brand.source.resolve()
    for root in roots:
        if spec.is_relative_to(root):
            parts = spec.relative_to(root).parts
            return parts[0] if len(parts) >= 3 else None
    return None


def with_clients(brands: t.Sequence[Brand], roots: t.Sequence[Path]) -> list[Brand]:
    """Each brand with its client (``identity.client``, else its folder's folder)."""
    out = []
    for brand in brands:
        client = _client(brand, roots)
        if client != brand.identity.client:
            brand = dataclasses.replace(
                brand, identity=dataclasses.replace(brand.identity, client=client)
            )
        out.append(brand)
    return out


def shard_of(brand: Brand, account: Account, of: int) -> int:
    """The shard (1..of) an account falls to: a hash of the brand's name and the account."""
    key = "\0".join((brand.identity.name, account.platform, account.id)).encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % of + 1


def select(
    brands: t.Sequence[Brand],
    *,
    clients: t.Sequence[str] = (),
    platforms: t.Sequence[str] = (),
    shard: Shard | None = None,
) -> list[Brand]:
    """The brands and accounts a command takes: those of ``clients`` (all if none), on
    ``platforms`` (all if none), in ``shard`` (all if None). A brand left with no account is
    left out."""
    wanted = {c.casefold() for c in clients}
    out = []
    for brand in brands:
        if wanted and (brand.identity.client or "").casefold() not in wanted:
            continue
        accounts = tuple(
            a
            for a in brand.accounts
            if (not platforms or a.platform in platforms)
            and (shard is None or shard_of(brand, a, shard.of) == shard.index)
        )
        if accounts:
            out.append(dataclasses.replace(brand, accounts=accounts))
    return out
