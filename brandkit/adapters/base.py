"""The adapter contract: a base class every platform module subclasses (``adapters.ADAPTERS``).

An adapter turns the brand into the desired state of one account, reads the account's live
state, and writes changes. Comparing the two is shared code (``sync/diff.py``); so are retries,
backups and verification (``sync/engine.py``). The sync engine calls, in this order::

    desired = adapter.desired(brand, assets)   # pure: the spec and the rendered files
    live = adapter.read(desired)               # the platform's state of what ``desired`` names
    expected = adapter.expected(desired, live) # ``desired`` with what only the platform knows
    ... diff(expected, live) -> changes ...
    adapter.write_image(field, data, filename, live)   # images first: text may refer to them
    adapter.write_text(fields, live)
    adapter.close()

Every hook has a default here except ``read``, ``write_text`` and ``write_image``. Which render
target feeds which image field, and which text field comes from where in the spec, is data
(``schemas/platforms.json``), not code.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import ipaddress
import re
import typing as t
import urllib.parse
from pathlib import Path

import requests

from brandkit import platforms
from brandkit.adapters.jsonapi import retry_after
from brandkit.adapters.reads import CachingAdapter, ReadCache
from brandkit.errors import AuthError, ConfigError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.spec.model import Account, Brand

__all__ = [
    "Figures",
    "Adapter",
    "Desired",
    "Endpoints",
    "LiveState",
    "credentials",
    "expect",
    "text_of",
    "url_of",
    "http_session",
    "is_loopback",
]


@dataclasses.dataclass(frozen=True)
class Endpoints:
    """Where the platforms are: their real services, or the sandbox (base URLs and its CA).

    ``urls`` maps a platform to its base URL; a platform not named uses its real service.
    From the environment: ``BRANDKIT_<PLATFORM>_URL`` and ``BRANDKIT_CA_BUNDLE``.
    """

    urls: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    ca_bundle: str | None = None
    # how long one call waits for an answer (``BRANDKIT_HTTP_TIMEOUT``, seconds)
    timeout: float = 60.0
    # what this look at the accounts has read already (``observe`` sets it; apply never does)
    reads: ReadCache | None = dataclasses.field(default=None, compare=False, repr=False)

    def url(self, platform: str, default: str) -> str:
        return self.urls.get(platform, default).rstrip("/")

    @classmethod
    def from_env(cls, env: t.Mapping[str, str]) -> Endpoints:
        """The overrides in ``env``; each must be https, or http to this machine (loopback):
        credentials never travel in clear text to another host."""
        urls: dict[str, str] = {}
        # each platform's API (BRANDKIT_DISCORD_URL), and the other services a platform uses
        # (BRANDKIT_DISCORD_CDN_URL, BRANDKIT_BLUESKY_PLC_URL): keys "discord", "discord-cdn"
        for variable, url in sorted(env.items()):
            found = re.fullmatch(r"BRANDKIT_([A-Z0-9_]+)_URL", variable)
            name = found.group(1).lower().replace("_", "-") if found else ""
            if not url or name.split("-")[0] not in platforms.all_platforms():
                continue
            parts = urllib.parse.urlsplit(url)
            loopback = is_loopback(parts.hostname or "")
            if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
                raise ConfigError(
                    msg(
                        "{variable} must be an https:// URL (plain http only to this machine, "
                        "for a local stand-in): credentials would travel in clear text",
                        variable=variable,
                    )
                )
            urls[name] = url
        try:
            timeout = float(env.get("BRANDKIT_HTTP_TIMEOUT") or 60)
        except ValueError:
            raise ConfigError(
                msg("BRANDKIT_HTTP_TIMEOUT must be a number of seconds (like 60)")
            ) from None
        return cls(urls=urls, ca_bundle=env.get("BRANDKIT_CA_BUNDLE") or None, timeout=timeout)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def http_session(endpoints: Endpoints, session: requests.Session | None = None) -> requests.Session:
    """A requests session that trusts the endpoints' CA (the sandbox's) when one is set.

    ``trust_env`` goes off with it: otherwise ``REQUESTS_CA_BUNDLE`` from the environment wins
    over ``session.verify`` silently (requests merges environment settings per request).
    """
    session = session or requests.Session()
    if endpoints.reads is not None:  # one look: a GET answered once is not sent again
        session.mount("https://", CachingAdapter(endpoints.reads))
        session.mount("http://", CachingAdapter(endpoints.reads))
    if endpoints.ca_bundle:
        session.verify = endpoints.ca_bundle
        session.trust_env = False
    return session


@dataclasses.dataclass(frozen=True)
class LiveState:
    """What an account shows now: text fields, and image URLs (fetched and compared separately).

    ``handles`` are the platform's own ids that writing needs (a template id, a file's URL);
    they are not compared.
    """

    text: t.Mapping[str, t.Any]
    images: t.Mapping[str, str | None]  # field -> URL, None when there is no image
    handles: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    # why nothing can be written with these credentials (e.g. a read-only token), if so
    cannot_write: str | None = None

    def record(self) -> dict[str, t.Any]:
        """What a plan keeps of it (and fingerprints, to tell that the account moved since)."""
        return {**dict(self.text), **{f"{k}_url": v for k, v in self.images.items()}}


@dataclasses.dataclass(frozen=True)
class Desired:
    text: t.Mapping[str, t.Any]
    images: t.Mapping[str, Path]  # field -> rendered (or override) file
    # what each image is compared on: the region every device shows (e.g. a cover's safe zone)
    compare_boxes: t.Mapping[str, tuple[int, int, int, int] | None] = dataclasses.field(
        default_factory=dict
    )


@dataclasses.dataclass(frozen=True)
class Figures:
    """An account's audience now. ``audience`` is the headline figure (X followers, Page
    followers, subscribed list members); ``metrics`` the platform's own names and values;
    ``daily`` what the platform gives per day (Page insights: up to 90 days back), as
    ``{metric: {"YYYY-MM-DD": value}}``; ``refused`` the metrics the platform would not give,
    each with why."""

    audience: int
    metrics: t.Mapping[str, t.Any]
    daily: t.Mapping[str, t.Mapping[str, int]] = dataclasses.field(default_factory=dict)
    refused: t.Mapping[str, str] = dataclasses.field(default_factory=dict)


class Adapter(abc.ABC):
    """One account on one platform. Subclasses set ``platform`` and ``SUPPORTS`` and implement
    ``read``, ``write_text`` and ``write_image``; the rest has working defaults."""

    platform: t.ClassVar[str]
    # the fields this adapter can read and write
    SUPPORTS: t.ClassVar[frozenset[str]]
    # fields the platform will not store empty: a restore leaves them as they are
    UNBLANKABLE: t.ClassVar[frozenset[str]] = frozenset()
    # the audience figures its section of stats and the report shows, in order: (key in
    # Figures.metrics, the words a person reads, marked N_ for translation)
    FIGURES: t.ClassVar[tuple[tuple[str, str], ...]] = ()
    # fields the platform has no API to write, each with where a person changes it (message
    # ids, formatted with the account's settings): plan says "change by hand", apply leaves
    # them, ``brandkit handoff`` writes the page
    BY_HAND: t.ClassVar[dict[str, str]] = {}
    # fields the platform never gives back (``read`` returns a fingerprint of them): no backup
    # can hold them, so a restore leaves them as they are, and says why
    UNREADABLE: t.ClassVar[dict[str, str]] = {}

    def __init__(self, account: Account, env: t.Mapping[str, str], endpoints: Endpoints) -> None:
        self.account = account
        self.endpoints = endpoints
        self.downloads = http_session(endpoints)  # image hosts never see a token
        # what the person should know about this run beyond its changes (said after the result)
        self.notes: list[str] = []

    def no_api(self, field: str) -> RemoteError:
        """The error for a write the platform has no API for (apply never asks: ``BY_HAND``)."""
        return RemoteError(
            msg(
                "{platform} has no API to change {field}: change it by hand (brandkit handoff)",
                platform=platforms.platform(self.platform).label,
                field=field,
            ),
            platform=self.platform,
            account=self.account.id,
            field=field,
        )

    def by_hand(self, field: str) -> str | None:
        """Where a person changes ``field``, if no API can (``BY_HAND``, with the settings)."""
        where = self.BY_HAND.get(field)
        if where is None:
            return None
        return msg(where, **self.account.options.values())

    @classmethod
    def image_targets(cls) -> dict[str, str]:
        """Image field -> the render target it is taken from."""
        return platforms.platform(cls.platform).image_targets

    # -- what the spec wants ---------------------------------------------------------------------
    def desired(self, brand: Brand, assets: t.Mapping[str, Path]) -> Desired:
        """The account's text (computed when the spec was loaded) and images (its own override,
        else the rendered target). Subclasses add what is theirs (compare boxes, a template)."""
        as_list = {f.name for f in platforms.platform(self.platform).text if f.as_list}
        text: dict[str, t.Any] = {}
        for field, value in self.account.text.items():
            if field in self.SUPPORTS:
                text[field] = [value.value] if field in as_list else value.value
        return Desired(text=text, images=self.account_images(assets))

    def account_images(self, assets: t.Mapping[str, Path]) -> dict[str, Path]:
        out: dict[str, Path] = {}
        for field, target in self.image_targets().items():
            chosen = self.account.images.get(field) or assets.get(target)
            if chosen is not None:
                out[field] = chosen
        return out

    def expected(self, desired: Desired, live: LiveState) -> Desired:
        """``desired`` completed with what only the live state knows (e.g. where the platform
        hosts an image the text refers to). The default: ``desired`` as it is."""
        return desired

    def normalise(self, field: str, value: t.Any) -> t.Any:
        """How the platform stores a value, when that differs from how it was sent (already
        stripped and NFC-normalised by the diff)."""
        return value

    # -- the platform ------------------------------------------------------------------------------
    @abc.abstractmethod
    def read(self, desired: Desired) -> LiveState:
        """The account's live state for the fields in ``desired``."""

    # -- what the engine calls: a platform's answers are untrusted ---------------------------------
    def live(self, desired: Desired) -> LiveState:
        """``read``, with an answer in a shape brandkit does not know (a list for an object, a
        number for a name, ``{}`` for a profile) a RemoteError naming the account, never a
        crash and never a profile read as empty."""
        with self.answers("profile"):
            return self.read(desired)

    def audience(self, days: int = 7) -> Figures:
        """``figures``, guarded the same way; a figure that is not a number is refused."""
        with self.answers("figures"):
            found = self.figures(days)
        if not _is_number(found.audience):
            raise self._shape_error("figures", TypeError("the audience is not a number"))
        # figures are numbers or dates; a record of them (the last campaign) is kept whole
        odd = {
            k
            for k, v in found.metrics.items()
            if v is not None and not _is_number(v) and not isinstance(v, dict) and not _is_date(v)
        }
        if not odd:
            return found
        refused = {**found.refused, **dict.fromkeys(sorted(odd), "the platform sent no number")}
        kept = {k: v for k, v in found.metrics.items() if k not in odd}
        return dataclasses.replace(found, metrics=kept, refused=refused)

    @contextlib.contextmanager
    def answers(self, what: str) -> t.Iterator[None]:
        try:
            yield
        except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
            raise self._shape_error(what, exc) from None

    def _shape_error(self, what: str, exc: Exception) -> RemoteError:
        return RemoteError(
            msg(
                "answered the {what} in a shape brandkit cannot read ({error}: {detail}); "
                "nothing was changed on the account",
                what=what,
                error=type(exc).__name__,
                detail=str(exc)[:80],
            ),
            platform=self.platform,
            account=self.account.id,
            field=what,
        )

    @abc.abstractmethod
    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        """Write these text fields (only these: fields not named keep their live value)."""

    @abc.abstractmethod
    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        """Replace one image."""

    def fetch(self, url: str) -> bytes:
        """A live image, from wherever the platform hosts it; 429, 5xx and transport errors are
        retryable."""
        where: dict[str, t.Any] = {"platform": self.platform, "account": self.account.id}
        try:
            response = self.downloads.get(url, timeout=self.endpoints.timeout)
        except requests.RequestException as exc:
            raise RemoteError(
                msg("could not download an image ({error})", error=type(exc).__name__),
                retryable=True,
                **where,
            ) from None
        status = response.status_code
        if status != 200:
            raise RemoteError(
                msg("image download answered {status}", status=status),
                status=status,
                retryable=status == 429 or status >= 500,
                retry_after=retry_after(response.headers),
                **where,
            )
        return response.content

    def figures(self, days: int = 7) -> Figures:
        """The account's audience figures now (and, where the platform keeps them, per day for
        the last ``days``)."""
        raise NotImplementedError(
            msg("{platform} does not report audience figures yet", platform=self.platform)
        )

    def close(self) -> None:
        self.downloads.close()


def credentials(
    account: Account, env: t.Mapping[str, str], roles: t.Sequence[str]
) -> dict[str, str]:
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
        said = (
            N_(
                "environment variables {missing} not set (the spec names them for this account; "
                "brandkit looked in the environment and in a .env file beside the spec)"
            )
            if len(missing) > 1
            else N_(
                "environment variable {missing} not set (the spec names it for this account; "
                "brandkit looked in the environment and in a .env file beside the spec)"
            )
        )
        raise AuthError(
            msg(said, missing=", ".join(missing)),
            platform=account.platform,
            account=account.id,
        )
    return out


def _is_date(value: t.Any) -> bool:
    return (
        isinstance(value, str)
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]?[\d:.+Z-]*", value) is not None
    )


def _is_number(value: t.Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def text_of(value: t.Any, what: str) -> str:
    """A text field from a platform: absent is empty; anything but text is refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def url_of(value: t.Any, what: str) -> str | None:
    """An image URL from a platform: absent is None; anything but an http(s) URL is refused."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise ValueError(f"{what} is not a URL")
    return value


def expect(value: t.Any, kind: type | tuple[type, ...], what: str) -> t.Any:
    """``value`` if it is of ``kind`` (a str that is empty counts as missing), else a
    ValueError naming ``what``: a platform's answer is checked before it is believed."""
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise ValueError(f"{what} is missing or not a {getattr(kind, '__name__', kind)}")
    if isinstance(value, str) and not value:
        raise ValueError(f"{what} is empty")
    return value
