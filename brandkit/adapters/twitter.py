"""Twitter/X profiles through tweepy.API (v1.1, OAuth 1.0a user context).

Fields: name, description, location, url, avatar, banner. The website is compared through
``entities.url.urls[0].expanded_url`` (``url`` is a t.co link); the avatar through the original
size (the final ``_normal`` stripped); the banner through its ``/1500x500`` variant. The facts
are in docs/platforms.md, "Twitter/X".
"""

from __future__ import annotations

import contextlib
import io
import re
import time
import typing as t

import tweepy

from brandkit.adapters.base import Adapter, Desired, Endpoints, LiveState, credentials, http_session
from brandkit.errors import AuthError, RateLimitedError, RemoteError
from brandkit.spec.model import Account

__all__ = ["TwitterAdapter"]

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
        self.handle: str = account.setting("handle", "")
        if api is None:
            creds = credentials(account, env, _CREDENTIALS)
            auth = tweepy.OAuth1UserHandler(
                creds["consumer_key"],
                creds["consumer_secret"],
                creds["access_token"],
                creds["access_token_secret"],
            )
            host = endpoints.url("twitter", "https://api.twitter.com").split("://", 1)[-1]
            # never wait_on_rate_limit: it can sleep forever (docs/platforms.md); brandkit.retry
            # retries instead
            api = tweepy.API(auth, host=host, upload_host=host, timeout=30)
            http_session(endpoints, api.session)
        self.api = api

    def close(self) -> None:
        super().close()
        self.api.session.close()

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
            retry_after = (
                exc.response.headers.get("Retry-After") if exc.response is not None else None
            )
            if retry_after and retry_after.isdigit():
                wait = float(retry_after)
            raise RateLimitedError(
                f"rate limited by Twitter/X{_codes(exc)}", status=429, retry_after=wait, **where
            ) from None
        except tweepy.Unauthorized as exc:
            if any("Read-only application" in str(m) for m in exc.api_messages):
                raise AuthError(READ_ONLY, status=401, **where) from None
            raise AuthError(
                f"credentials rejected{_codes(exc)}: check the four environment variables "
                "named in the spec (consumer key/secret, access token/secret)",
                status=401,
                **where,
            ) from None
        except tweepy.Forbidden as exc:
            if 453 in exc.api_codes:
                raise AuthError(
                    "this X API plan does not include the v1.1 account endpoints (code 453); "
                    "a plan with profile write access is needed",
                    status=403,
                    **where,
                ) from None
            raise RemoteError(f"refused{_codes(exc)}", status=403, **where) from None
        except tweepy.TwitterServerError as exc:
            raise RemoteError(
                f"Twitter/X server error{_codes(exc)}",
                status=exc.response.status_code,
                retryable=True,
                **where,
            ) from None
        except tweepy.HTTPException as exc:
            raise RemoteError(
                f"refused{_codes(exc)}", status=exc.response.status_code, **where
            ) from None
        except tweepy.TweepyException as exc:  # transport: TLS, DNS, timeouts, dropped connections
            raise RemoteError(
                f"could not reach Twitter/X ({_transport(exc)})", retryable=True, **where
            ) from None

    # -- the contract ---------------------------------------------------------------------------
    def read(self, desired: Desired) -> LiveState:
        with self._errors():
            user = self.api.verify_credentials(include_entities=True, skip_status=True)
        data = user._json
        if data["screen_name"].lower() != self.handle.lower():
            raise AuthError(
                f"the credentials belong to @{data['screen_name']}, not @{self.handle}: "
                "refusing to touch another account",
                platform="twitter",
                account=self.account.id,
            )
        entities = data.get("entities") or {}
        urls = (entities.get("url") or {}).get("urls") or []
        website = urls[0].get("expanded_url") if urls else data.get("url")
        description = expand_links(data.get("description") or "", entities.get("description"))
        avatar = data.get("profile_image_url_https")
        if data.get("default_profile_image"):
            avatar = None
        banner = data.get("profile_banner_url")
        last = self.api.last_response
        access = last.headers.get("x-access-level", "") if last is not None else ""
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
        with self._errors(",".join(fields)):
            self.api.update_profile(**fields)

    def write_image(self, field: str, data: bytes, filename: str, live: LiveState) -> None:
        with self._errors(field):
            if field == "avatar":
                self.api.update_profile_image(filename, file=io.BytesIO(data))
            else:
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
