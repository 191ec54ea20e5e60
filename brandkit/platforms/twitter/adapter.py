"""Twitter/X profiles, OAuth 1.0a user context: X API v2 (``api: v2``, the default) or v1.1.

Fields: name, description, location, url, avatar, banner. With v2, the profile is read with
``GET /2/users/me``, text written with ``PUT /2/users/me`` and the avatar set from a v2 media
upload (``twitter_v2.py``); the banner has no v2 endpoint and stays on v1.1
``account/update_profile_banner`` (tweepy). With ``api: v1.1`` everything goes through
tweepy.API. Either way: the website is compared through its expanded URL (``url`` is a t.co
link), links in the bio likewise; the avatar through the original size (the final ``_normal``
stripped); the banner through its ``/1500x500`` variant. Facts in docs/platforms.md.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
import typing as t

import tweepy
from requests_oauthlib import OAuth1

from brandkit.adapters.base import (
    Adapter,
    Desired,
    Endpoints,
    Figures,
    LiveState,
    credentials,
    http_session,
    retry_after,
)
from brandkit.errors import AuthError, RateLimitedError, RemoteError
from brandkit.i18n import N_, msg
from brandkit.platforms.twitter.api_v2 import NoV2Write, XApiV2
from brandkit.platforms.twitter.settings import Settings
from brandkit.spec.model import Account

__all__ = ["TwitterAdapter", "ADAPTER"]

_CREDENTIALS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
# only the size suffix before the extension
_ORIGINAL_SIZE = re.compile(r"_normal(\.[A-Za-z0-9]+)?$")
READ_ONLY = (
    "the access token is read-only (x-access-level: read): give the app Read and write "
    "permission in the developer portal, then generate a new access token and secret"
)
# a link as X finds one in a bio: with or without a scheme
_LINK = re.compile(r"(?:https?://)?((?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?)", re.IGNORECASE)


class TwitterAdapter(Adapter):
    # the figures its section of stats and the report shows, in order, in a person's words
    FIGURES = (
        ("followers_count", N_("Followers")),
        ("following_count", N_("Following")),
        ("post_count", N_("Posts")),
        ("listed_count", N_("Listed")),
    )
    platform: t.ClassVar[str] = "twitter"
    SUPPORTS: t.ClassVar[frozenset[str]] = frozenset(
        {"name", "description", "location", "url", "avatar", "banner"}
    )

    def __init__(
        self,
        account: Account,
        env: t.Mapping[str, str],
        endpoints: Endpoints,
        api: tweepy.API | None = None,
    ) -> None:
        super().__init__(account, env, endpoints)
        self.settings = Settings.of(account.options)
        self.handle: str = self.settings.handle
        creds = credentials(account, env, _CREDENTIALS)
        base = endpoints.url("twitter", "https://api.twitter.com")
        if api is None:
            auth = tweepy.OAuth1UserHandler(
                creds["consumer_key"],
                creds["consumer_secret"],
                creds["access_token"],
                creds["access_token_secret"],
            )
            host = base.split("://", 1)[-1]
            # never wait_on_rate_limit: it can sleep forever (docs/platforms.md); brandkit.retry
            # retries instead
            api = tweepy.API(auth, host=host, upload_host=host, timeout=30)
            http_session(endpoints, api.session)
        self.api = api
        self.v2: XApiV2 | None = None
        self._v1_writes = False  # v2 refused a profile write: v1.1 for the rest of the run
        if self.settings.api == "v2":
            signer = OAuth1(
                creds["consumer_key"],
                creds["consumer_secret"],
                creds["access_token"],
                creds["access_token_secret"],
            )
            where = {"platform": "twitter", "account": account.id}
            self.v2 = XApiV2(http_session(endpoints), base, signer, where)

    def _fall_back(self, v2: str, v1: str, exc: NoV2Write) -> None:
        """v2 has no profile write for this app: v1.1 from now on, for the rest of the run."""
        self._v1_writes = True
        self.notes.append(
            msg(
                "X answered {status} to {v2}: written with v1.1 {v1} instead (for the rest of "
                "this run)",
                status=exc.status,
                v2=v2,
                v1=v1,
            )
        )

    def close(self) -> None:
        super().close()
        self.api.session.close()
        if self.v2 is not None:
            self.v2.session.close()

    # -- the one place tweepy errors become brandkit errors ------------------------------------
    @contextlib.contextmanager
    def _errors(self, field: str | None = None) -> t.Iterator[None]:
        where: dict[str, t.Any] = {
            "platform": "twitter",
            "account": self.account.id,
            "field": field,
        }
        try:
            yield
        except tweepy.TooManyRequests as exc:
            reset = exc.reset_time
            wait = max(0.0, reset - time.time()) if reset else None
            if exc.response is not None:
                wait = retry_after(exc.response.headers) or wait
            raise RateLimitedError(
                msg("rate limited by Twitter/X{codes}", codes=_codes(exc)),
                status=429,
                retry_after=wait,
                **where,
            ) from None
        except tweepy.Unauthorized as exc:
            if any("Read-only application" in str(m) for m in exc.api_messages):
                raise AuthError(READ_ONLY, status=401, **where) from None
            raise AuthError(
                msg(
                    "credentials rejected{codes}: check the four environment variables named in "
                    "the spec (consumer key/secret, access token/secret)",
                    codes=_codes(exc),
                ),
                status=401,
                **where,
            ) from None
        except tweepy.Forbidden as exc:
            if 453 in exc.api_codes:
                raise AuthError(
                    msg(
                        "this X API plan does not include the v1.1 account endpoints (code 453); "
                        "a plan with profile write access is needed"
                    ),
                    status=403,
                    **where,
                ) from None
            raise RemoteError(
                msg("refused{codes}", codes=_codes(exc)), status=403, **where
            ) from None
        except tweepy.TwitterServerError as exc:
            raise RemoteError(
                msg("Twitter/X server error{codes}", codes=_codes(exc)),
                status=exc.response.status_code,
                retryable=True,
                retry_after=retry_after(exc.response.headers),
                **where,
            ) from None
        except tweepy.HTTPException as exc:
            raise RemoteError(
                msg("refused{codes}", codes=_codes(exc)), status=exc.response.status_code, **where
            ) from None
        except tweepy.TweepyException as exc:  # transport: TLS, DNS, timeouts, dropped connections
            raise RemoteError(
                msg("could not reach Twitter/X ({transport})", transport=_transport(exc)),
                retryable=True,
                **where,
            ) from None

    # -- the contract ---------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        if self.v2 is not None:
            user = self.v2.me()
            access = self.v2.last_headers.get("x-access-level", "")
            return self._live(
                user.get("username") or "",
                user,
                avatar=None
                if "default_profile_images" in (user.get("profile_image_url") or "")
                else user.get("profile_image_url"),
                access=access,
            )
        with self._errors():
            found = self.api.verify_credentials(include_entities=True, skip_status=True)
        data = found._json
        last = self.api.last_response
        return self._live(
            data["screen_name"],
            data,
            avatar=None
            if data.get("default_profile_image")
            else data.get("profile_image_url_https"),
            access=last.headers.get("x-access-level", "") if last is not None else "",
        )

    def figures(self, days: int = 7) -> Figures:
        """``public_metrics`` of ``GET /2/users/me``, or the v1.1 user object's counts."""
        if self.v2 is not None:
            metrics = _renamed(dict(self.v2.me().get("public_metrics") or {}))
        else:
            with self._errors():
                user = self.api.verify_credentials(skip_status=True)._json
            metrics = {
                "followers_count": user.get("followers_count"),
                "following_count": user.get("friends_count"),
                "post_count": user.get("statuses_count"),
                "listed_count": user.get("listed_count"),
            }
        return Figures(int(metrics.get("followers_count") or 0), metrics)

    def _live(
        self, handle: str, data: t.Mapping[str, t.Any], *, avatar: str | None, access: str
    ) -> LiveState:
        """The live state from a user object (v1.1 and v2 name the same fields alike, but for the
        handle and the avatar)."""
        if handle.lower() != self.handle.lower():
            raise AuthError(
                msg(
                    "the credentials belong to @{handle}, not @{expected}: refusing to touch "
                    "another account",
                    handle=handle,
                    expected=self.handle,
                ),
                platform="twitter",
                account=self.account.id,
            )
        entities = data.get("entities") or {}
        urls = (entities.get("url") or {}).get("urls") or []
        website = urls[0].get("expanded_url") if urls else data.get("url")
        description = expand_links(data.get("description") or "", entities.get("description"))
        banner = data.get("profile_banner_url")
        return LiveState(
            text={
                "name": data.get("name") or "",
                "description": description,
                "location": data.get("location") or "",
                "url": website or "",
            },
            images={
                "avatar": original_size(avatar) if avatar else None,
                "banner": f"{banner}/1500x500" if banner else None,
            },
            cannot_write=READ_ONLY if access == "read" else None,
        )

    def normalise(self, field: str, value: t.Any) -> t.Any:
        if field == "description" and isinstance(value, str):
            return same_links(value)
        return value

    def write_text(self, fields: t.Mapping[str, t.Any], live: LiveState) -> None:
        if self.v2 is not None and not self._v1_writes:
            try:
                self.v2.update_profile(fields)
                return
            except NoV2Write as exc:
                self._fall_back("PUT /2/users/me", "account/update_profile", exc)
        with self._errors(",".join(fields)):
            self.api.update_profile(**fields)

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        if field == "avatar" and self.v2 is not None and not self._v1_writes:
            try:
                self.v2.set_profile_image(data, filename)
                return
            except NoV2Write as exc:
                self._fall_back(
                    "PUT /2/users/me/profile_image", "account/update_profile_image", exc
                )
        with self._errors(field):
            if field == "avatar":
                self.api.update_profile_image(filename, file=io.BytesIO(data))
            else:  # the banner: v1.1 only (X documents no v2 banner endpoint)
                self.api.update_profile_banner(filename, file=io.BytesIO(data))


def expand_links(text: str, entity: t.Mapping[str, t.Any] | None) -> str:
    """The bio as written: X returns every link in it as a t.co link, with the address it stands
    for in ``entities.description.urls[].expanded_url``."""
    for link in (entity or {}).get("urls") or []:
        if link.get("url") and link.get("expanded_url"):
            text = text.replace(link["url"], link["expanded_url"])
    return text


def same_links(text: str) -> str:
    """``text`` with each link's scheme and final slash dropped: X links a bare ``example.com``
    as ``http://example.com``, and the bio means the same either way."""
    return _LINK.sub(lambda m: m.group(1).rstrip("/"), text)


def original_size(url: str) -> str:
    """The avatar's original-size URL: the final ``_normal`` before the extension removed
    (``my_normal_logo_normal.png`` -> ``my_normal_logo.png``)."""
    return _ORIGINAL_SIZE.sub(lambda m: m.group(1) or "", url)


def _codes(exc: tweepy.HTTPException) -> str:
    pairs = [f"{c}: {m}" for c, m in zip(exc.api_codes, exc.api_messages, strict=False)]
    return f" ({'; '.join(pairs)})" if pairs else f" (HTTP {exc.response.status_code})"


def _transport(exc: Exception) -> str:
    text = str(exc)
    for kind in (
        "SSLError",
        "ConnectTimeout",
        "ReadTimeout",
        "ConnectionError",
        "ChunkedEncodingError",
    ):
        if kind in text:
            return kind
    return "connection failed"


# X renamed UserPublicMetrics.tweet_count to post_count (docs, August 2026; X's OpenAPI as its
# SDK generator xdevplatform/xdk reads it has post_count only). Either is read, kept under the
# new name, and the name served is recorded: the Posts figure survives the rename.
_RENAMED = {"tweet_count": "post_count"}


def _renamed(metrics: dict[str, t.Any]) -> dict[str, t.Any]:
    served: dict[str, str] = {}
    for old, new in _RENAMED.items():
        if new in metrics:
            served[new] = new
            metrics.pop(old, None)
        elif old in metrics:
            metrics[new] = metrics.pop(old)
            served[new] = old
    if served:
        metrics["served_as"] = served
    return metrics


ADAPTER = TwitterAdapter
