from __future__ import annotations

import io
import time
import typing as t

import pytest
import requests
import tweepy
from requests_oauthlib import OAuth1

from brandkit.sandbox import Sandbox
from tests.sandbox.helpers import decode, png, session, tweepy_api

# top-level keys of the user object in tweepy's recorded v1.1 response
# (tweepy/tweepy cassettes/testverifycredentials.json, the skip_status=True interaction)
RECORDED_USER_KEYS = {
    "id",
    "id_str",
    "name",
    "screen_name",
    "location",
    "profile_location",
    "description",
    "url",
    "entities",
    "protected",
    "followers_count",
    "friends_count",
    "listed_count",
    "created_at",
    "favourites_count",
    "utc_offset",
    "time_zone",
    "geo_enabled",
    "verified",
    "statuses_count",
    "lang",
    "contributors_enabled",
    "is_translator",
    "is_translation_enabled",
    "profile_background_color",
    "profile_background_image_url",
    "profile_background_image_url_https",
    "profile_background_tile",
    "profile_image_url",
    "profile_image_url_https",
    "profile_banner_url",
    "profile_link_color",
    "profile_sidebar_border_color",
    "profile_sidebar_fill_color",
    "profile_text_color",
    "profile_use_background_image",
    "default_profile",
    "default_profile_image",
    "following",
    "follow_request_sent",
    "notifications",
}


@pytest.fixture
def sb() -> t.Iterator[Sandbox]:
    with Sandbox() as sandbox:
        sandbox.twitter.processing_delay = 0  # shapes here; the delay has tests of its own
        yield sandbox


@pytest.fixture
def api(sb: Sandbox) -> tweepy.API:
    return tweepy_api(sb, sb.add_twitter_account("acme", name="Acme"))


def test_user_object_has_the_recorded_shape(sb: Sandbox, api: tweepy.API) -> None:
    api.update_profile_banner("b.png", file=io.BytesIO(png((1500, 500))))
    user = api.verify_credentials(skip_status=True)._json
    assert RECORDED_USER_KEYS <= set(user)
    assert user["screen_name"] == "acme" and user["id_str"] == str(user["id"])


def test_update_profile_reads_the_query_string_and_wraps_the_url(api: tweepy.API) -> None:
    user = api.update_profile(
        name="Acme Co", url="acme.example/shop", location="Lyon", description="Hi"
    )
    assert user.name == "Acme Co" and user.location == "Lyon" and user.description == "Hi"
    assert user.url.startswith("https://t.co/")
    link = user.entities["url"]["urls"][0]
    assert link["expanded_url"] == "http://acme.example/shop"  # a URL without a scheme gets http://
    assert link["url"] == user.url and link["indices"] == [0, len(user.url)]
    assert api.verify_credentials().name == "Acme Co"


@pytest.mark.parametrize(
    "field,limit", [("name", 50), ("description", 160), ("location", 30), ("url", 100)]
)
def test_profile_limits_use_the_real_error_shape(api: tweepy.API, field: str, limit: int) -> None:
    api.update_profile(**{field: "a" * limit})
    with pytest.raises(tweepy.Forbidden) as info:
        api.update_profile(**{field: "a" * (limit + 1)})
    assert info.value.api_codes == [120]
    assert "too long" in info.value.api_messages[0]


def test_avatar_is_reencoded_and_served_in_variants(sb: Sandbox, api: tweepy.API) -> None:
    uploaded = png((800, 800))
    user = api.update_profile_image("a.png", file=io.BytesIO(uploaded))
    assert user.profile_image_url_https.endswith("_normal.jpg")
    with session(sb) as s:
        normal = s.get(user.profile_image_url_https)
        original = s.get(user.profile_image_url_https.replace("_normal", ""))
    assert decode(normal.content).size == (48, 48)
    assert decode(original.content).size == (400, 400)  # wider than 400 is scaled down
    assert original.content != uploaded


def test_avatar_limits(api: tweepy.API) -> None:
    with pytest.raises(tweepy.BadRequest):
        api.update_profile_image("a.png", file=io.BytesIO(png((600, 600), noise=True)))  # > 700 KB
    with pytest.raises(tweepy.BadRequest):
        api.update_profile_image("a.png", file=io.BytesIO(b"not an image at all"))


def test_banner_returns_no_body_and_serves_variants(sb: Sandbox, api: tweepy.API) -> None:
    assert api.update_profile_banner("b.png", file=io.BytesIO(png((1500, 500)))) is None
    user = api.verify_credentials()
    assert "." not in user.profile_banner_url.rsplit("/", 1)[1]  # no extension
    sizes = api.get_profile_banner(screen_name="acme")["sizes"]
    assert sizes["1500x500"] == {"h": 500, "w": 1500, "url": user.profile_banner_url + "/1500x500"}
    with session(sb) as s:
        assert decode(s.get(user.profile_banner_url + "/600x200").content).size == (600, 200)
    api.remove_profile_banner()
    with pytest.raises(tweepy.NotFound):
        api.get_profile_banner(screen_name="acme")
    assert not hasattr(api.verify_credentials(), "profile_banner_url")


def test_banner_too_large_is_422(api: tweepy.API) -> None:
    with pytest.raises(tweepy.HTTPException) as info:
        api.update_profile_banner("b.png", file=io.BytesIO(png((1600, 1200), noise=True)))  # > 5 MB
    assert info.value.response.status_code == 422


def test_users_show(sb: Sandbox, api: tweepy.API) -> None:
    sb.add_twitter_account("other", name="Other")
    assert api.get_user(screen_name="other").name == "Other"
    with pytest.raises(tweepy.NotFound):
        api.get_user(screen_name="nobody")


@pytest.mark.parametrize("wrong", ["consumer_secret", "access_token_secret", "access_token"])
def test_signatures_are_verified(sb: Sandbox, wrong: str) -> None:
    creds = sb.add_twitter_account("acme")
    creds[wrong] = "wrong"
    with pytest.raises(tweepy.Unauthorized) as info:
        tweepy_api(sb, creds).verify_credentials()
    assert info.value.api_codes == ([89] if wrong == "access_token" else [32])


def test_a_form_body_is_part_of_the_signature(sb: Sandbox) -> None:
    creds = sb.add_twitter_account("acme")
    auth = OAuth1(
        creds["consumer_key"],
        creds["consumer_secret"],
        creds["access_token"],
        creds["access_token_secret"],
    )
    url = f"{sb.url}/1.1/account/update_profile.json"
    with session(sb) as s:
        ok = s.post(url, data={"location": "Paris"}, auth=auth)
        assert ok.status_code == 200 and ok.json()["location"] == "Paris"
        signed = s.prepare_request(
            requests.Request("POST", url, data={"location": "Rome"}, auth=auth)
        )
        signed.body = "location=Oslo"  # tampered after signing
        signed.headers["Content-Length"] = str(len(signed.body))
        assert s.send(signed).status_code == 401


def test_rate_limit_headers_and_429(sb: Sandbox, api: tweepy.API) -> None:
    sb.twitter.rate_limit = 2
    api.verify_credentials()
    headers = api.last_response.headers
    assert headers["x-rate-limit-limit"] == "2" and headers["x-rate-limit-remaining"] == "1"
    api.verify_credentials()
    with pytest.raises(tweepy.TooManyRequests) as info:
        api.verify_credentials()
    assert info.value.api_codes == [88]
    assert info.value.reset_time is not None and info.value.reset_time > time.time()


@pytest.mark.parametrize(
    "status,exc",
    [
        (429, tweepy.TooManyRequests),
        (500, tweepy.TwitterServerError),
        (502, tweepy.TwitterServerError),
        (503, tweepy.TwitterServerError),
    ],
)
def test_injected_status_faults(
    sb: Sandbox, api: tweepy.API, status: int, exc: type[Exception]
) -> None:
    sb.add_fault(platform="twitter", path="update_profile", status=status)
    with pytest.raises(exc):
        api.update_profile(name="X")
    assert api.update_profile(name="X").name == "X"  # a fault fires `times` times (once by default)
    if status == 429:
        assert sb.requests[-2].status == 429


def test_plan_without_access_is_403_453(sb: Sandbox, api: tweepy.API) -> None:
    sb.add_fault(platform="twitter", status=403, code=453)
    with pytest.raises(tweepy.Forbidden) as info:
        api.verify_credentials()
    assert info.value.api_codes == [453]


def test_dropped_and_truncated_answers(sb: Sandbox, api: tweepy.API) -> None:
    sb.add_fault(platform="twitter", path="verify_credentials", drop=True)
    with pytest.raises(tweepy.TweepyException, match="Failed to send request"):
        api.verify_credentials()
    sb.add_fault(platform="twitter", path="verify_credentials", truncate=True)
    with pytest.raises(tweepy.TweepyException):
        api.verify_credentials()
    assert api.verify_credentials().screen_name == "acme"


def test_latency(sb: Sandbox, api: tweepy.API) -> None:
    sb.add_fault(platform="twitter", latency=0.3)
    start = time.perf_counter()
    api.verify_credentials()
    assert time.perf_counter() - start >= 0.3


def test_new_images_show_only_after_processing(sb: Sandbox, api: tweepy.API) -> None:
    sb.twitter.processing_delay = 0.4
    before = api.verify_credentials()
    answered = api.update_profile_image("a.png", file=io.BytesIO(png((400, 400))))
    api.update_profile_banner("b.png", file=io.BytesIO(png((1500, 500))))
    # X answers at once and processes the upload afterwards: the old images for a while
    assert answered.profile_image_url_https == before.profile_image_url_https
    still = api.verify_credentials()
    assert still.default_profile_image and not hasattr(still, "profile_banner_url")
    time.sleep(0.45)
    after = api.verify_credentials()
    assert not after.default_profile_image and after.profile_image_url_https.endswith("_normal.jpg")
    stamp = after.profile_banner_url.rsplit("/", 1)[1]
    assert stamp.isdigit() and abs(int(stamp) - time.time()) < 60  # seconds, as recorded


def test_links_in_the_bio_come_back_wrapped(sb: Sandbox, api: tweepy.API) -> None:
    bio = "Roasters. Support: https://help.example.com/coffee, shop www.example.com ☕"
    user = api.update_profile(description=bio)._json
    urls = user["entities"]["description"]["urls"]
    assert [u["expanded_url"] for u in urls] == [
        "https://help.example.com/coffee",
        "http://www.example.com",
    ]
    assert (
        "example.com" not in user["description"] and user["description"].count("https://t.co/") == 2
    )
    for u in urls:
        start, end = u["indices"]
        assert user["description"][start:end] == u["url"] and len(u["url"]) == 23
    assert user["description"].endswith(" ☕")
    assert user["url"] is None and "url" not in user["entities"]  # no website: no url entity


def test_rate_limit_headers_only_where_x_sends_them(sb: Sandbox, api: tweepy.API) -> None:
    api.verify_credentials()
    assert api.last_response.headers["x-rate-limit-limit"] == "75"
    api.update_profile(location="Rome")
    assert "x-rate-limit-limit" not in api.last_response.headers  # as recorded
    assert api.last_response.headers["x-access-level"] == "read-write"


def test_a_read_only_token_cannot_write(sb: Sandbox) -> None:
    creds = sb.add_twitter_account("reader", access_level="read")
    api = tweepy_api(sb, creds)
    api.verify_credentials()
    assert api.last_response.headers["x-access-level"] == "read"
    with pytest.raises(tweepy.Unauthorized) as info:
        api.update_profile(location="Rome")
    assert info.value.api_messages == ["Read-only application cannot POST."]
