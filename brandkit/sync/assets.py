"""The images each brand's accounts need, rendered (or reused) under the state folder."""

from __future__ import annotations

import hashlib
import typing as t
from pathlib import Path

from brandkit.platforms.registry import ADAPTERS
from brandkit.rendering import render_targets
from brandkit.spec.model import Brand

__all__ = ["account_assets"]


def _slug(brand: Brand) -> str:
    digest = hashlib.sha1(str(brand.source).encode()).hexdigest()[:8]
    return f"{brand.source.parent.name}-{digest}"


def account_assets(brands: t.Sequence[Brand], state_dir: Path) -> dict[Path, dict[str, Path]]:
    """spec path -> render target -> file, for the targets the brand's accounts use."""
    out: dict[Path, dict[str, Path]] = {}
    for brand in brands:
        needed = sorted(
            {
                target
                for a in brand.accounts
                for target in ADAPTERS[a.platform].image_targets().values()
            }
        )
        result = render_targets(brand, state_dir / "assets" / _slug(brand), targets=needed)
        out[brand.source] = {a.target: a.path for a in result.assets}
    return out
