"""What one look at the accounts has read already: a watch reads each account for the check and
again for its figures (and some adapters read the same resource twice to plan); within one look
the answer is the same, so a GET answered once is not sent again.

``ReadCache`` lives for one look only (``observe``: the check, the figures, the alerts), never
across runs and never in ``apply``, whose reads after a write must see the write. It keeps
successful answers by address and by who asked (the credential in the Authorization header; an
OAuth 1.0a header by its consumer key and token, its nonce and signature set aside), so two
accounts never share one another's answer. It is mounted on each adapter's session as a
transport adapter (``http_session``), the one place every JSON adapter's requests go through.
"""

from __future__ import annotations

import hashlib
import re
import threading
import typing as t

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

__all__ = ["CachingAdapter", "ReadCache"]

_OAUTH_WHO = re.compile(r'oauth_(?:consumer_key|token)="([^"]*)"')


Headers = t.Mapping[str, t.Any]  # requests' values: str, or bytes (requests-oauthlib's)


def _who(headers: Headers) -> str:
    auth = headers.get("Authorization", "")
    if isinstance(auth, bytes):
        auth = auth.decode("latin-1")
    if auth.startswith("OAuth "):
        auth = ",".join(_OAUTH_WHO.findall(auth))  # the same signer, whatever its nonce
    return hashlib.sha256(auth.encode()).hexdigest()


class ReadCache:
    """Answers to GETs during one look; thread-safe; bounded (``limit`` answers)."""

    def __init__(self, limit: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, str], tuple[int, dict[str, str], bytes]] = {}
        self._limit = limit
        self._kept: dict[str, t.Any] = {}
        self.hits = 0

    def recall(self, key: str) -> t.Any:
        """What an adapter kept for this look (a session it signed in with), or None."""
        with self._lock:
            return self._kept.get(key)

    def keep(self, key: str, value: t.Any) -> None:
        with self._lock:
            self._kept[key] = value

    def get(self, url: str, headers: Headers) -> tuple[int, dict[str, str], bytes] | None:
        with self._lock:
            found = self._answers.get((url, _who(headers)))
            if found is not None:
                self.hits += 1
            return found

    def put(self, url: str, headers: Headers, answer: tuple[int, dict[str, str], bytes]) -> None:
        with self._lock:
            if len(self._answers) < self._limit:
                self._answers[(url, _who(headers))] = answer


class CachingAdapter(HTTPAdapter):
    """requests' transport, answering a GET the look has seen from ``cache``."""

    def __init__(self, cache: ReadCache, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.cache = cache

    def send(  # type: ignore[override]  # requests' own arguments, passed on as they came
        self, request: requests.PreparedRequest, **kwargs: t.Any
    ) -> requests.Response:
        if request.method != "GET" or request.url is None:
            return super().send(request, **kwargs)
        found = self.cache.get(request.url, request.headers)
        if found is not None:
            status, headers, body = found
            response = requests.Response()
            response.status_code, response._content = status, body
            response.headers = CaseInsensitiveDict(headers)
            response.url, response.request, response.reason = request.url, request, "OK"
            response.encoding = requests.utils.get_encoding_from_headers(response.headers)
            return response
        response = super().send(request, **kwargs)
        if response.status_code == 200 and not kwargs.get("stream"):
            self.cache.put(
                request.url, request.headers, (200, dict(response.headers), response.content)
            )
        return response
