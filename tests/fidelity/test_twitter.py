"""The sandbox's Twitter/X answers and the adapter's requests, held to recorded real answers
(tweepy's cassettes) and to X's own API v2 OpenAPI (tests/fidelity/data/)."""

from __future__ import annotations

import io
import typing as t

import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1

from brandkit.platforms.twitter.adapter import expand_links
from brandkit.platforms.twitter.api_v2 import USER_FIELDS
from brandkit.sandbox import Sandbox
from tests.fidelity.conftest import evidence
from tests.sandbox.helpers import png, session, tweepy_api

RECORDED = evidence("twitter_recorded.json")["responses"]
OPENAPI = evidence("x_api_v2_openapi.json")


def _shape(value: t.Any) -> t.Any:
    """The structure of a JSON value: dict keys and list item shapes, leaf types."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


@pytest.fixture
def sb() -> t.Iterator[Sandbox]:
    with Sandbox() as sandbox:
        sandbox.twitter.processing_delay = 0
        yield sandbox


@pytest.fixture
def creds(sb: Sandbox) -> dict[str, str]:
    return sb.add_twitter_account("acme", name="Acme")


def test_v1_user_object_has_every_recorded_key_with_its_type(
    sb: Sandbox, creds: dict[str, str]
) -> None:
    api = tweepy_api(sb, creds)
    api.update_profile(url="https://acme.example")
    api.update_profile_banner("b.png", file=io.BytesIO(png((1500, 500))))
    ours = api.verify_credentials(skip_status=True)._json
    recorded = RECORDED["v1.1 GET account/verify_credentials (skip_status)"]["body"]
    assert set(recorded) <= set(ours)
    for key, value in recorded.items():
        if value is not None and ours[key] is not None:
            assert type(ours[key]) is type(value), key
    assert _shape(ours["entities"]["url"]) == _shape(recorded["entities"]["url"])
    stamp = ours["profile_banner_url"].rsplit("/", 1)[1]
    assert len(stamp) == len(recorded["profile_banner_url"].rsplit("/", 1)[1])  # seconds, 10 digits


def test_headers_as_recorded(sb: Sandbox, creds: dict[str, str]) -> None:
    api = tweepy_api(sb, creds)
    api.verify_credentials()
    read = RECORDED["v1.1 GET account/verify_credentials (skip_status)"]["headers"]
    assert api.last_response.headers["x-rate-limit-limit"] == read["x-rate-limit-limit"]
    api.update_profile(location="Rome")
    written = RECORDED["v1.1 POST account/update_profile"]["headers"]
    assert (
        "x-rate-limit-limit" not in written
        and "x-rate-limit-limit" not in api.last_response.headers
    )
    assert "x-access-level" in written and "x-access-level" in api.last_response.headers
    with session(sb) as s:
        banner = s.post(
            f"{sb.url}/1.1/account/update_profile_banner.json",
            files={"banner": ("b.png", png((1500, 500)))},
            auth=OAuth1(
                creds["consumer_key"],
                creds["consumer_secret"],
                creds["access_token"],
                creds["access_token_secret"],
            ),
        )
    recorded = RECORDED["v1.1 POST account/update_profile_banner"]
    assert banner.status_code == recorded["status"] and banner.content.decode() == recorded["body"]
    assert banner.headers["x-rate-limit-limit"] == recorded["headers"]["x-rate-limit-limit"]


def test_a_link_in_the_bio_comes_back_as_recorded_and_the_adapter_expands_it(
    sb: Sandbox, creds: dict[str, str]
) -> None:
    recorded = RECORDED["v1.1 user with a link in the bio (@TwitterSafety, from users/search)"]
    assert expand_links(recorded["description"], recorded["entities"]["description"]).endswith(
        "For support, visit https://support.twitter.com"
    )
    api = tweepy_api(sb, creds)
    ours = api.update_profile(description="For support, visit https://support.acme.example")._json
    link = ours["entities"]["description"]["urls"][0]
    want = recorded["entities"]["description"]["urls"][0]
    assert set(link) == set(want) and len(link["url"]) == len(want["url"])
    start, end = link["indices"]
    assert ours["description"][start:end] == link["url"]
    assert expand_links(ours["description"], ours["entities"]["description"]).endswith(
        "visit https://support.acme.example"
    )


def _v2(sb: Sandbox, creds: dict[str, str]) -> requests.Session:
    s = session(sb)
    s.auth = OAuth1(
        creds["consumer_key"],
        creds["consumer_secret"],
        creds["access_token"],
        creds["access_token_secret"],
    )
    return s


def test_v2_users_me_as_recorded_and_as_the_openapi_says(
    sb: Sandbox, creds: dict[str, str]
) -> None:
    recorded = RECORDED["v2 GET /2/users/me"]
    with _v2(sb, creds) as s:
        plain = s.get(f"{sb.url}/2/users/me")
        assert set(plain.json()["data"]) == set(recorded["body"]["data"])  # id, name, username
        for header in ("x-access-level", "x-rate-limit-limit", "x-rate-limit-remaining"):
            assert header in plain.headers and header in recorded["headers"]
        assert plain.headers["x-rate-limit-limit"] == recorded["headers"]["x-rate-limit-limit"]
        asked = USER_FIELDS.split(",")
        assert set(asked) <= set(OPENAPI["user_fields"])  # every field the adapter asks for exists
        full = s.get(f"{sb.url}/2/users/me", params={"user.fields": USER_FIELDS}).json()["data"]
        assert set(full) <= set(OPENAPI["user_properties"])
        assert "default_profile_image" not in full  # v2 has no such field


def test_v2_media_upload_and_profile_update_as_specified(
    sb: Sandbox, creds: dict[str, str]
) -> None:
    request = OPENAPI["media_upload_request"]
    with _v2(sb, creds) as s:
        sent = {"media_category": "tweet_image"}
        assert set(request["required"]) <= {"media", *sent}
        assert sent["media_category"] in request["properties"]["media_category"]["enum"]
        uploaded = s.post(
            f"{sb.url}/2/media/upload", files={"media": ("a.png", png((400, 400)))}, data=sent
        ).json()["data"]
        assert set(OPENAPI["media_upload_response_data_required"]) <= set(uploaded)
        assert set(uploaded) <= set(OPENAPI["media_upload_response_data_properties"])
        body = OPENAPI["docs_x_com"]["PUT /2/users/me/profile_image"]["body"]
        assert s.put(f"{sb.url}/2/users/me/profile_image", json={body[0]: uploaded["id"]}).ok
        fields = OPENAPI["docs_x_com"]["PUT /2/users/me"]["body"]
        assert s.put(f"{sb.url}/2/users/me", json=dict.fromkeys(fields, "x")).ok
        refused = s.put(f"{sb.url}/2/users/me", json={"name": "x" * 51}).json()
        problem = OPENAPI["invalid_request_problem"]
        assert set(problem["required"]) <= set(refused)
        assert refused["type"] in problem["properties"]["type"]["enum"]


def test_tweepy_reads_the_v1_error_shape(sb: Sandbox, creds: dict[str, str]) -> None:
    sb.add_fault(platform="twitter", status=429)
    with pytest.raises(tweepy.TooManyRequests) as info:
        tweepy_api(sb, creds).verify_credentials()
    assert info.value.api_codes == [88]
