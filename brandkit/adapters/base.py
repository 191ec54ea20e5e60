"""The adapter contract. Each platform module implements it; ``adapters.ADAPTERS`` registers them.

An adapter reads an account's live state, turns the brand into the desired state for that
account, and writes a list of changes. Comparing the two (``sync.diff``) is shared code.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

import requests

from brandkit.errors import AuthError, RemoteError
from brandkit.retry import Retryable
from brandkit.spec.model import Account, Brand

__all__ = ["Adapter", "Desired", "Endpoints", "LiveState", "account_images", "credentials", "download"]


@dataclasses.dataclass(frozen=True)
class Endpoints:
    """Where the platforms are: the real services, or the sandbox (host, URLs and its CA)."""

    twitter_host: str = "api.twitter.com"
    facebook_url: str = "https://graph.facebook.com"
    mailchimp_url: str | None = None  # None: https://<dc>.api.mailchimp.com/3.0 from the key
    ca_bundle: str | None = None

    @classmethod
    def from_env(cls, env: t.Mapping[str, str]) -> Endpoints:
        return cls(
            twitter_host=env.get("BRANDKIT_TWITTER_HOST", cls.twitter_host),
            facebook_url=env.get("BRANDKIT_FACEBOOK_URL", cls.facebook_url),
            mailchimp_url=env.get("BRANDKIT_MAILCHIMP_URL"),
            ca_bundle=env.get("BRANDKIT_CA_BUNDLE"),
        )


@dataclasses.dataclass(frozen=True)
class LiveState:
    """What an account shows now: text fields, and image URLs (fetched and compared separately)."""

    text: t.Mapping[str, t.Any]
    images: t.Mapping[str, str | None]  # field -> URL, None when there is no image


@dataclasses.dataclass(frozen=True)
class Desired:
    text: t.Mapping[str, t.Any]
    images: t.Mapping[str, Path]  # field -> rendered (or override) file
    # what each image is compared on: the region every device shows (e.g. a cover's safe zone)
    compare_boxes: t.Mapping[str, tuple[int, int, int, int] | None] = dataclasses.field(default_factory=dict)


class Adapter(t.Protocol):
    platform: t.ClassVar[str]
    # the fields this adapter can read and write
    SUPPORTS: t.ClassVar[frozenset[str]]
    # the render target each image field is taken from
    IMAGE_TARGETS: t.ClassVar[t.Mapping[str, str]]

    def read(self) -> LiveState: ...

    def desired(self, brand: Brand, assets: t.Mapping[str, Path]) -> Desired: ...

    def write_text(self, fields: t.Mapping[str, t.Any]) -> None: ...

    def write_image(self, field: str, data: bytes, filename: str) -> None: ...

    def fetch(self, url: str) -> bytes: ...

    def close(self) -> None: ...


AdapterFactory = t.Callable[[Account, t.Mapping[str, str], Endpoints], Adapter]


def credentials(account: Account, env: t.Mapping[str, str], roles: t.Sequence[str]) -> dict[str, str]:
    """The secrets an account names, from the environment; missing ones are an AuthError."""
    out: dict[str, str] = {}
    missing = []
    for role in roles:
        name = account.credential_env(role)
        if name is None:
            continue
        value = env.get(name)
        if not value:
            missing.append(name)
        else:
            out[role] = value
    if missing:
        raise AuthError(f"environment variable{'s' * (len(missing) > 1)} {', '.join(missing)} "
                        f"not set (the spec names {'them' if len(missing) > 1 else 'it'} for this account)",
                        platform=account.platform, account=account.id)
    return out


def account_images(account: Account, targets: t.Mapping[str, str], assets: t.Mapping[str, Path]) -> dict[str, Path]:
    """field -> file: the account's own override if it names one, else the rendered target."""
    overrides = {"avatar": account.overrides.avatar, "banner": account.overrides.banner}
    out: dict[str, Path] = {}
    for field, target in targets.items():
        chosen = overrides.get(field) or assets.get(target)
        if chosen is not None:
            out[field] = chosen
    return out


def download(session: requests.Session, url: str, *, platform: str, account: str) -> bytes:
    """A live image, from wherever the platform hosts it; 429, 5xx and transport errors retryable."""
    try:
        response = session.get(url, timeout=60)
    except requests.RequestException as exc:
        raise Retryable(RemoteError(f"could not download an image ({type(exc).__name__})",
                                    platform=platform, account=account)) from None
    status = response.status_code
    if status == 429 or status >= 500:
        raise Retryable(RemoteError(f"image download answered {status}", platform=platform, account=account,
                                    status=status))
    if status != 200:
        raise RemoteError(f"image download answered {status}", platform=platform, account=account, status=status)
    return response.content
