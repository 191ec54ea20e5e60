"""The frozen, typed brand model that ``brandkit.load`` returns."""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

from brandkit.colors import RGB

__all__ = [
    "Account",
    "AccountOverrides",
    "Address",
    "Bio",
    "Brand",
    "Colors",
    "Contact",
    "FacebookAccount",
    "Font",
    "Identity",
    "Logo",
    "Logos",
    "MailchimpAccount",
    "Platform",
    "RenderSettings",
    "TargetStyle",
    "Typography",
    "TwitterAccount",
]

Platform = t.Literal["twitter", "facebook", "mailchimp"]
PLATFORMS: tuple[Platform, ...] = ("twitter", "facebook", "mailchimp")


@dataclasses.dataclass(frozen=True)
class Address:
    line1: str
    city: str
    country: str
    company: str | None = None
    line2: str | None = None
    region: str | None = None
    postal_code: str | None = None


@dataclasses.dataclass(frozen=True)
class Contact:
    email: str | None = None
    phone: str | None = None
    address: Address | None = None


@dataclasses.dataclass(frozen=True)
class Bio:
    short: str | None = None
    long: str | None = None
    platforms: tuple[tuple[str, str], ...] = ()

    def for_platform(self, platform: str) -> str | None:
        return dict(self.platforms).get(platform, self.short)


@dataclasses.dataclass(frozen=True)
class Identity:
    name: str
    short_name: str | None = None
    tagline: str | None = None
    bio: Bio = Bio()
    website: str | None = None
    location: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    contact: Contact = Contact()


@dataclasses.dataclass(frozen=True)
class Logo:
    path: Path
    dark: Path | None = None
    alt: str | None = None


@dataclasses.dataclass(frozen=True)
class Logos:
    mark: Logo
    wordmark: Logo | None = None


@dataclasses.dataclass(frozen=True)
class Colors:
    primary: RGB
    background: RGB
    foreground: RGB
    on_primary: RGB
    secondary: RGB | None = None
    accent: RGB | None = None
    palette: tuple[tuple[str, RGB], ...] = ()


@dataclasses.dataclass(frozen=True)
class Font:
    path: Path
    family: str
    fallback: str


@dataclasses.dataclass(frozen=True)
class Typography:
    heading: Font
    body: Font


@dataclasses.dataclass(frozen=True)
class TargetStyle:
    """Per-target rendering choices; ``None`` means "the target's own default"."""

    background: RGB | None = None
    padding: float | None = None
    logo: t.Literal["mark", "wordmark"] | None = None
    text: bool | None = None
    layout: t.Literal["centered", "left", "right"] | None = None
    format: t.Literal["png", "jpeg"] | None = None

    def merged(self, other: TargetStyle) -> TargetStyle:
        """``other``'s set values win over ours."""
        changes = {f.name: getattr(other, f.name) for f in dataclasses.fields(other) if getattr(other, f.name) is not None}
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class RenderSettings:
    targets: tuple[str, ...]
    allow_upscale: bool = False
    defaults: TargetStyle = TargetStyle()
    overrides: tuple[tuple[str, TargetStyle], ...] = ()

    def style_for(self, target: str) -> TargetStyle:
        return self.defaults.merged(dict(self.overrides).get(target, TargetStyle()))


@dataclasses.dataclass(frozen=True)
class AccountOverrides:
    name: str | None = None
    bio: str | None = None
    long_bio: str | None = None
    location: str | None = None
    website: str | None = None
    avatar: Path | None = None
    banner: Path | None = None


@dataclasses.dataclass(frozen=True)
class Account:
    id: str
    platform: Platform
    # role -> NAME of the environment variable holding the secret; never the secret itself
    credentials: tuple[tuple[str, str], ...]
    overrides: AccountOverrides = AccountOverrides()

    def credential_env(self, role: str) -> str | None:
        return dict(self.credentials).get(role)


@dataclasses.dataclass(frozen=True)
class TwitterAccount(Account):
    handle: str = ""


@dataclasses.dataclass(frozen=True)
class FacebookAccount(Account):
    page_id: str = ""
    graph_version: str = "v26.0"


@dataclasses.dataclass(frozen=True)
class MailchimpAccount(Account):
    audience_id: str = ""
    template_name: str = ""
    template: Path | None = None
    from_name: str | None = None
    from_email: str | None = None
    subject_prefix: str | None = None
    server: str | None = None


@dataclasses.dataclass(frozen=True)
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
    # the validated spec data, native shape: spec/fields.py derives each platform's text from it
    data: t.Mapping[str, t.Any] = dataclasses.field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def root(self) -> Path:
        return self.source.parent

    def account(self, account_id: str) -> Account:
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise KeyError(account_id)
