"""The frozen, typed brand model that ``brandkit.load`` returns."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from brandkit.colors import RGB
from brandkit.platforms import AccountSettings
from brandkit.spec.text import TextValue

__all__ = [
    "Account",
    "Address",
    "Bio",
    "Brand",
    "Colors",
    "Contact",
    "Font",
    "Identity",
    "Logo",
    "Logos",
    "RenderSettings",
    "TargetStyle",
    "TextValue",
    "Typography",
]


@dataclasses.dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    country: str
    company: str | None = None
    line2: str | None = None
    region: str | None = None
    postal_code: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    address: Address | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Bio:
    short: str | None = None
    long: str | None = None
    platforms: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Identity:
    name: str
    short_name: str | None = None
    client: str | None = None  # an agency's client: workspace reports group by it
    tagline: str | None = None
    language: str = "en"  # BCP 47: what the brand's audience reads (newsletter words, reports)
    bio: Bio = Bio()
    website: str | None = None
    location: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    contact: Contact = Contact()


@dataclasses.dataclass(frozen=True, slots=True)
class Logo:
    path: Path
    dark: Path | None = None
    alt: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Logos:
    mark: Logo
    wordmark: Logo | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Colors:
    primary: RGB
    background: RGB
    foreground: RGB
    on_primary: RGB
    secondary: RGB | None = None
    accent: RGB | None = None
    palette: tuple[tuple[str, RGB], ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Font:
    path: Path
    family: str
    fallback: str


@dataclasses.dataclass(frozen=True, slots=True)
class Typography:
    heading: Font
    body: Font


@dataclasses.dataclass(frozen=True, slots=True)
class TargetStyle:
    """Per-target rendering choices; ``None`` means "the target's own default"."""

    background: RGB | None = None
    padding: float | None = None
    logo: t.Literal["mark", "wordmark"] | None = None
    text: bool | None = None
    layout: t.Literal["centered", "left", "right"] | None = None
    format: t.Literal["png", "jpeg"] | None = None
    logo_treatment: t.Literal["auto", "original", "knockout", "plate"] | None = None

    def merged(self, other: TargetStyle) -> TargetStyle:
        """``other``'s set values win over ours."""
        changes = {
            name: getattr(other, name)
            for name in tuple(f.name for f in dataclasses.fields(other))
            if getattr(other, name) is not None
        }
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True, slots=True)
class RenderSettings:
    targets: tuple[str, ...]
    allow_upscale: bool = False
    defaults: TargetStyle = TargetStyle()
    overrides: tuple[tuple[str, TargetStyle], ...] = ()

    def style_for(self, target: str) -> TargetStyle:
        return self.defaults.merged(dict(self.overrides).get(target, TargetStyle()))


@dataclasses.dataclass(frozen=True, slots=True)
class Account:
    """One account the brand covers, with everything an adapter needs to write to it.

    ``text`` is the text this account gets (each value with the spec position it came from),
    ``images`` the account's own image overrides by image field, and ``options`` the platform's
    own fields (``handle``, ``page_id``, ``audience_id``...; file paths made absolute), typed by
    the platform (``brandkit/platforms/<name>/settings.py``): adapters read them as
    ``<Platform>Settings.of(account.options)``, anything else asks ``isinstance``.
    """

    id: str
    platform: str
    # role -> NAME of the environment variable holding the secret; never the secret itself
    credentials: tuple[tuple[str, str], ...]
    options: AccountSettings = dataclasses.field(hash=False)
    text: t.Mapping[str, TextValue] = dataclasses.field(default_factory=dict, hash=False)
    images: t.Mapping[str, Path] = dataclasses.field(default_factory=dict, hash=False)

    def credential_env(self, role: str) -> str | None:
        return dict(self.credentials).get(role)


@dataclasses.dataclass(frozen=True, slots=True)
class Brand:
    """A validated brand. Paths are absolute; colours are resolved to RGB."""

    version: int
    source: Path
    identity: Identity
    logos: Logos
    colors: Colors
    typography: Typography
    render: RenderSettings
    accounts: tuple[Account, ...] = ()

    @property
    def root(self) -> Path:
        return self.source.parent

    def account(self, account_id: str) -> Account:
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise KeyError(account_id)
