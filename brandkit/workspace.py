"""An agency's workspace: a folder of brands, each spec below it, each brand with its client;
the accounts a command takes (``--client``, ``--platform``) and the brands one shard of a watch
takes (``--shard K/N``).

A brand's client is ``identity.client``, else the folder that holds the brand's folder below
the workspace (``brands/<client>/<brand>/brand.yaml``); a brand directly below it, or named on
its own, has none unless its spec says.

A shard takes whole brands, chosen by a hash of the spec's path below the workspace
(``acme/brand-1/brand.yaml``): the same brand always falls to the same shard whatever the order
or the machine, adding a brand moves no other, and a shard reads only its own specs (no shard
loads the whole workspace) and renders each of its brands' images once, in its own process. (A
hash of brand and account would spread a brand's accounts over every shard: each would load
every spec and render the same brand's images into the same folder.)
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
    from brandkit.spec.model import Brand

__all__ = [
    "Shard",
    "expand",
    "parse_shard",
    "roots_of",
    "select",
    "shard_of",
    "take_shard",
    "with_clients",
]

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


def _shard_key(spec: str, roots: t.Sequence[Path]) -> str:
    """A spec's path below its workspace (the same on every machine that checks it out), else
    the path as given (the same command line on every job)."""
    resolved = Path(spec).resolve()
    for root in roots:
        if resolved.is_relative_to(root):
            return resolved.relative_to(root).as_posix()
    return Path(spec).as_posix()


def shard_of(spec: str, roots: t.Sequence[Path], of: int) -> int:
    """The shard (1..of) a brand falls to: a hash of its spec's path below the workspace."""
    digest = hashlib.sha256(_shard_key(spec, roots).encode()).digest()
    return int.from_bytes(digest[:8], "big") % of + 1


def take_shard(specs: t.Sequence[str], roots: t.Sequence[Path], shard: Shard) -> list[str]:
    """The specs of the brands that fall to ``shard``."""
    return [spec for spec in specs if shard_of(spec, roots, shard.of) == shard.index]


def select(
    brands: t.Sequence[Brand],
    *,
    clients: t.Sequence[str] = (),
    platforms: t.Sequence[str] = (),
) -> list[Brand]:
    """The brands and accounts a command takes: those of ``clients`` (all if none), on
    ``platforms`` (all if none). A brand left with no account is left out."""
    wanted = {c.casefold() for c in clients}
    out = []
    for brand in brands:
        if wanted and (brand.identity.client or "").casefold() not in wanted:
            continue
        accounts = tuple(a for a in brand.accounts if not platforms or a.platform in platforms)
        if accounts:
            out.append(dataclasses.replace(brand, accounts=accounts))
    return out
