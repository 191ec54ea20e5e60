from __future__ import annotations

import hashlib
import hmac
import json
import typing as t

import pytest
import requests

from brandkit.sandbox import Sandbox
from tests.sandbox.helpers import decode, png, session

PAGE = "1234567890"


@pytest.fixture
def sb() -> t.Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def graph(sb: Sandbox) -> t.Iterator[tuple[requests.Session, str, str]]:
    token = sb.add_facebook_page(PAGE, name="Acme", about="Old about")["page_token"]
    with session(sb) as s:
        yield s, f"{sb.url}/v26.0/{PAGE}", token


def test_read_fields_and_usage_headers(graph: tuple[requests.Session, str, str]) -> None:
    s, url, token = graph
    r = s.get(
        url,
        params={
            "fields": "id,name,about,picture{url,width,height,is_silhouette},cover{id,source}",
            "access_token": token,
        },
    )
    assert r.status_code == 200
    body = r.json()
    assert body["about"] == "Old about" and body["picture"]["data"]["is_silhouette"] is True
    assert "cover" not in body  # no cover yet
    assert set(json.loads(r.headers["X-App-Usage"])) == {
        "call_count",
        "total_cputime",
        "total_time",
    }
    buc = json.loads(r.headers["X-Business-Use-Case-Usage"])[PAGE][0]
    assert buc["estimated_time_to_regain_access"] == 0


def test_update_text_fields_with_json_encoded_lists(
    graph: tuple[requests.Session, str, str],
) -> None:
    s, url, token = graph
    r = s.post(
        url,
        data={
            "about": "New",
            "description": "Long",
            "website": "https://acme.example",
            "emails": json.dumps(["hi@acme.example"]),
            "phone": "+33 1 23",
            "access_token": token,
        },
    )
    assert r.json() == {"success": True}
    body = s.get(
        url, params={"fields": "about,description,website,emails,phone", "access_token": token}
    ).json()
    assert body == {
        "id": PAGE,
        "about": "New",
        "description": "Long",
        "website": "https://acme.example",
        "emails": ["hi@acme.example"],
        "phone": "+33 1 23",
    }


def test_about_limit_is_error_100(graph: tuple[requests.Session, str, str]) -> None:
    s, url, token = graph
    r = s.post(url, data={"about": "x" * 101, "access_token": token})
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == 100 and error["type"] == "OAuthException"
    assert {"message", "type", "code", "fbtrace_id"} <= set(error)


def test_cover_from_an_unpublished_photo_tells_no_one(
    sb: Sandbox, graph: tuple[requests.Session, str, str]
) -> None:
    s, url, token = graph
    r = s.post(
        f"{url}/photos",
        data={"published": "false", "access_token": token},
        files={"source": ("c.png", png((1640, 624)), "image/png")},
    )
    photo = r.json()["id"]
    assert s.post(
        url, data={"cover": photo, "no_feed_story": "true", "access_token": token}
    ).json() == {"success": True}
    cover = s.get(
        url, params={"fields": "cover{id,source,offset_x,offset_y}", "access_token": token}
    ).json()["cover"]
    assert cover["id"] == photo
    assert decode(s.get(cover["source"]).content).format == "JPEG"  # re-encoded
    assert sb.state.data["stories"] == 0


def test_published_photo_or_cover_without_no_feed_story_makes_a_story(
    sb: Sandbox, graph: tuple[requests.Session, str, str]
) -> None:
    s, url, token = graph
    photo = s.post(
        f"{url}/photos",
        data={"published": "false", "access_token": token},
        files={"source": ("c.png", png((820, 312)), "image/png")},
    ).json()["id"]
    s.post(url, data={"cover": photo, "access_token": token})
    assert sb.state.data["stories"] == 1


def test_profile_picture_from_photo_id(graph: tuple[requests.Session, str, str]) -> None:
    s, url, token = graph
    photo = s.post(
        f"{url}/photos",
        data={"published": "false", "access_token": token},
        files={"source": ("p.png", png((720, 720), (0, 200, 0)), "image/png")},
    ).json()["id"]
    assert s.post(f"{url}/picture", data={"photo": photo, "access_token": token}).json() == {
        "success": True
    }
    data = s.get(
        f"{url}/picture", params={"redirect": "0", "width": "720", "access_token": token}
    ).json()["data"]
    assert data["is_silhouette"] is False
    assert decode(s.get(data["url"]).content).getpixel((10, 10))[1] > 180
    redirect = s.get(f"{url}/picture", params={"access_token": token}, allow_redirects=False)
    assert redirect.status_code == 302 and redirect.headers["Location"] == data["url"]


def test_bad_token_is_190(graph: tuple[requests.Session, str, str]) -> None:
    s, url, _ = graph
    for token in ("", "EAAB-wrong"):
        error = s.get(url, params={"fields": "about", "access_token": token}).json()["error"]
        assert error["code"] == 190


def test_bearer_header_works(graph: tuple[requests.Session, str, str]) -> None:
    s, url, token = graph
    assert (
        s.get(
            url, params={"fields": "about"}, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )


def test_appsecret_proof(sb: Sandbox) -> None:
    token = sb.add_facebook_page("42", name="P", app_secret="shh")["page_token"]
    proof = hmac.new(b"shh", token.encode(), hashlib.sha256).hexdigest()
    with session(sb) as s:
        url = f"{sb.url}/v26.0/42"
        assert (
            s.get(url, params={"fields": "about", "access_token": token}).json()["error"]["code"]
            == 100
        )
        assert (
            s.get(
                url, params={"fields": "about", "access_token": token, "appsecret_proof": proof}
            ).status_code
            == 200
        )


def test_missing_permission_is_200_range(sb: Sandbox) -> None:
    token = sb.server.facebook.add_page(
        "43", name="P", page_token="tok", permissions=["pages_read_engagement"]
    )
    with session(sb) as s:
        r = s.post(f"{sb.url}/v26.0/43", data={"about": "x", "access_token": "tok"})
    assert r.status_code == 403 and r.json()["error"]["code"] == 200
    assert "pages_manage_metadata" in r.json()["error"]["message"]
    assert token["id"] == "43"


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_throttling_faults(
    sb: Sandbox, graph: tuple[requests.Session, str, str], code: int
) -> None:
    s, url, token = graph
    sb.add_fault(platform="facebook", code=code, status=400 if code != 80001 else 403)
    r = s.get(url, params={"fields": "about", "access_token": token})
    assert r.json()["error"]["code"] == code
    assert (
        json.loads(r.headers["X-Business-Use-Case-Usage"])[PAGE][0][
            "estimated_time_to_regain_access"
        ]
        >= 1
    )
    assert s.get(url, params={"fields": "about", "access_token": token}).status_code == 200


def test_server_errors_are_transient(sb: Sandbox, graph: tuple[requests.Session, str, str]) -> None:
    s, url, token = graph
    sb.add_fault(platform="facebook", status=500)
    error = s.get(url, params={"fields": "about", "access_token": token}).json()["error"]
    assert error["code"] == 1 and error["is_transient"] is True


def test_unknown_page_and_field(graph: tuple[requests.Session, str, str], sb: Sandbox) -> None:
    s, url, token = graph
    assert (
        s.get(f"{sb.url}/v26.0/999", params={"access_token": token}).json()["error"][
            "error_subcode"
        ]
        == 33
    )
    assert (
        s.get(url, params={"fields": "bogus", "access_token": token}).json()["error"]["code"] == 100
    )
