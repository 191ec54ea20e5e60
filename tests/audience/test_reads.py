"""One look's read cache (brandkit/adapters/reads.py) against the sandbox: a GET answered once is
not sent again for the same credential, is sent for another one, an OAuth 1.0a request is known
by its signer whatever its nonce; a watch of the Northwind accounts reads each account's profile
once for the check and the figures together."""

from __future__ import annotations

import brandkit
from brandkit.adapters.base import Endpoints, http_session
from brandkit.adapters.reads import ReadCache
from brandkit.sandbox import Sandbox
from tests.sync.conftest import World


def test_a_get_is_answered_once_per_credential() -> None:
    with Sandbox() as sandbox:
        token = sandbox.github.add_from_control({"login": "acme"})["token"]
        other = sandbox.github.add_from_control({"login": "globex"})["token"]
        cache = ReadCache()
        endpoints = Endpoints(ca_bundle=str(sandbox.ca_path), reads=cache)
        url = f"{sandbox.url}/gh/orgs/acme"
        for _ in range(3):
            session = http_session(endpoints)
            session.headers["Authorization"] = f"Bearer {token}"
            assert session.get(url, timeout=10).json()["login"] == "acme"
        assert sandbox.count(platform="github") == 1 and cache.hits == 2
        session = http_session(endpoints)
        session.headers["Authorization"] = f"Bearer {other}"
        session.get(url, timeout=10)
        assert sandbox.count(platform="github") == 2  # another credential asks for itself
        plain = http_session(Endpoints(ca_bundle=str(sandbox.ca_path)))  # no look: no cache
        plain.headers["Authorization"] = f"Bearer {token}"
        plain.get(url, timeout=10)
        assert sandbox.count(platform="github") == 3


def test_an_oauth_signer_is_known_whatever_its_nonce() -> None:
    from brandkit.adapters.reads import _who

    first = 'OAuth oauth_nonce="1", oauth_consumer_key="ck", oauth_token="t1", oauth_signature="a"'
    again = 'OAuth oauth_nonce="2", oauth_consumer_key="ck", oauth_token="t1", oauth_signature="b"'
    other = 'OAuth oauth_nonce="2", oauth_consumer_key="ck", oauth_token="t2", oauth_signature="b"'
    assert _who({"Authorization": first.encode()}) == _who({"Authorization": again})
    assert _who({"Authorization": first}) != _who({"Authorization": other})


def test_a_watch_reads_each_profile_once(everything: World) -> None:
    brandkit.apply(everything.brand, everything.options)
    everything.sandbox.clear_requests()
    brandkit.watch(everything.brand, everything.options)
    reads = [r for r in everything.sandbox.requests if r.method == "GET"]
    profile = [r for r in reads if r.path.endswith(("/users/me", "verify_credentials.json"))]
    assert len(profile) == 1, [r.path for r in reads]
