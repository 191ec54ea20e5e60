"""Build the frozen Brand model from spec data that passed every check."""

from __future__ import annotations

import typing as t
from pathlib import Path

from brandkit import platforms
from brandkit._resources import assets_dir
from brandkit.colors import RGB, parse_colour
from brandkit.spec import model as m
from brandkit.spec.semantic import BUNDLED_FONTS
from brandkit.spec.text import TextValue

__all__ = ["build_brand"]

_FALLBACK_STACK = "Helvetica, Arial, sans-serif"


def _path(root: Path, text: str | None) -> Path | None:
    if text is None:
        return None
    p = Path(text)
    return p if p.is_absolute() else (root / p).resolve()


def _logo(root: Path, raw: t.Any) -> m.Logo | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return m.Logo(path=t.cast(Path, _path(root, raw)))
    return m.Logo(
        path=t.cast(Path, _path(root, raw["path"])),
        dark=_path(root, raw.get("dark")),
        alt=raw.get("alt"),
    )


def _font(root: Path, raw: t.Any, default: str) -> m.Font:
    raw = raw if raw is not None else default
    file, family, fallback = (
        (raw, None, None)
        if isinstance(raw, str)
        else (raw["file"], raw.get("family"), raw.get("fallback"))
    )
    bundled = BUNDLED_FONTS.get(file.lower())
    path = (assets_dir() / bundled) if bundled else t.cast(Path, _path(root, file))
    if family is None:
        family = "Inter" if bundled else path.stem.split("-")[0]
    return m.Font(path=path, family=family, fallback=fallback or _FALLBACK_STACK)


def _colour(colours: dict[str, RGB], value: str | None) -> RGB | None:
    if value is None:
        return None
    if value in colours:
        return colours[value]
    return parse_colour(value)


def _style(raw: t.Any, colours: dict[str, RGB]) -> m.TargetStyle:
    raw = raw or {}
    return m.TargetStyle(
        background=_colour(colours, raw.get("background")),
        padding=raw.get("padding"),
        logo=raw.get("logo"),
        text=raw.get("text"),
        layout=raw.get("layout"),
        format=raw.get("format"),
        logo_treatment=raw.get("logo_treatment"),
    )


def _identity(raw: dict[str, t.Any]) -> m.Identity:
    bio = raw.get("bio") or {}
    contact = raw.get("contact") or {}
    address = contact.get("address")
    return m.Identity(
        name=raw["name"],
        short_name=raw.get("short_name"),
        client=raw.get("client"),
        tagline=raw.get("tagline"),
        language=raw.get("language") or "en",
        bio=m.Bio(
            short=bio.get("short"),
            long=bio.get("long"),
            platforms=tuple(sorted((bio.get("platforms") or {}).items())),
        ),
        website=raw.get("website"),
        location=raw.get("location"),
        links=tuple((raw.get("links") or {}).items()),
        contact=m.Contact(
            email=contact.get("email"),
            phone=contact.get("phone"),
            address=m.Address(**address) if address else None,
        ),
    )


_ACCOUNT_COMMON = frozenset({"id", "platform", "credentials", "overrides"})


def _account(root: Path, raw: dict[str, t.Any], text: dict[str, TextValue]) -> m.Account:
    info = platforms.platform(raw["platform"])
    overrides = raw.get("overrides") or {}
    images = {
        image.name: t.cast(Path, _path(root, overrides[image.override]))
        for image in info.images
        if image.override and overrides.get(image.override)
    }
    settings = {
        key: (_path(root, value) if key in info.paths else value)
        for key, value in raw.items()
        if key not in _ACCOUNT_COMMON
    }
    account = m.Account(
        id=raw["id"],
        platform=raw["platform"],
        credentials=tuple(sorted(raw["credentials"].items())),
        options=platforms.settings_class(raw["platform"])(**settings),
        text=text,
        images=images,
    )
    return account


def build_brand(
    data: dict[str, t.Any],
    source: Path,
    colours: dict[str, RGB],
    account_texts: t.Mapping[int, dict[str, TextValue]],
) -> m.Brand:
    root = source.parent
    raw_colors = data["colors"]
    roles = {role: colours[role] for role in ("primary", "background", "foreground")}
    render = data.get("render") or {}
    patterns = render.get("targets") or ["*"]
    targets, _ = platforms.expand_target_patterns(patterns)
    # colour roles may be named in render overrides too
    style_colours = dict(colours)
    logos = data["logos"]
    brand = m.Brand(
        version=data["version"],
        source=source,
        identity=_identity(data["identity"]),
        logos=m.Logos(
            mark=t.cast(m.Logo, _logo(root, logos["mark"])),
            wordmark=_logo(root, logos.get("wordmark")),
        ),
        colors=m.Colors(
            primary=roles["primary"],
            background=roles["background"],
            foreground=roles["foreground"],
            on_primary=colours.get("on_primary", roles["background"]),
            secondary=colours.get("secondary"),
            accent=colours.get("accent"),
            palette=tuple(
                (k, colours[k]) for k in (raw_colors.get("palette") or {}) if k in colours
            ),
        ),
        typography=m.Typography(
            heading=_font(root, (data.get("typography") or {}).get("heading"), "inter-bold"),
            body=_font(root, (data.get("typography") or {}).get("body"), "inter"),
        ),
        render=m.RenderSettings(
            targets=tuple(targets),
            allow_upscale=bool(render.get("allow_upscale", False)),
            defaults=_style(render.get("defaults"), style_colours),
            overrides=tuple(
                (name, _style(v, style_colours))
                for name, v in (render.get("overrides") or {}).items()
            ),
        ),
        accounts=tuple(
            _account(root, a, dict(account_texts.get(i, {})))
            for i, a in enumerate(data.get("accounts") or [])
        ),
    )
    return brand
