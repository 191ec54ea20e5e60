from __future__ import annotations

import base64
import concurrent.futures
import json
import typing as t

import mailchimp_marketing as MailchimpMarketing
import pytest
import requests
from mailchimp_marketing.api_client import ApiClientError

from brandkit.sandbox import Sandbox
from tests.sandbox.helpers import png, session


@pytest.fixture
def sb() -> t.Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def client(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> MailchimpMarketing.Client:
    key = sb.add_mailchimp_account("abc123", audience_name="News")["api_key"]
    # mailchimp-marketing uses module-level requests calls: only the environment can add a CA
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sb.ca_path))
    c = MailchimpMarketing.Client()
    c.set_config({"api_key": key})
    c.api_client.host = f"{sb.url}/3.0"  # no "server" in it: the client replaces that substring
    return c


def test_ping(client: MailchimpMarketing.Client) -> None:
    assert client.ping.get() == {"health_status": "Everything's Chimpy!"}


def test_template_crud_keeps_html_as_sent(sb: Sandbox, client: MailchimpMarketing.Client) -> None:
    html = '<table><tr><td mc:edit="body">Hi *|FNAME|*</td></tr></table>\n  *|UNSUB|*  '
    created = client.templates.create({"name": "House", "html": html})
    tid = created["id"]
    assert created["type"] == "user" and created["content_type"] == "template"
    got = client.templates.get_template(tid)
    assert "html" not in got and {"date_edited", "drag_and_drop", "content_type"} <= set(got)
    assert client.templates.get_default_content_for_template(tid)["sections"] == {
        "body": "Hi *|FNAME|*"
    }
    client.templates.update_template(tid, {"html": html + "<!-- v2 -->"})
    stored = sb.mailchimp.state.data["mailchimp"]["templates"][str(tid)]["html"]
    assert stored.endswith("<!-- v2 -->")
    listed = client.templates.list(type="user")
    assert listed["total_items"] == 1 and listed["templates"][0]["name"] == "House"
    deleted = client.templates.delete_template(tid)
    assert (
        isinstance(deleted, requests.Response) and deleted.status_code == 204
    )  # returned, not raised
    # Mailchimp keeps a deleted user template, marked inactive (docs/platforms.md)
    (kept,) = client.templates.list()["templates"]
    assert kept["id"] == tid and kept["active"] is False


def test_problem_documents_arrive_as_a_string(client: MailchimpMarketing.Client) -> None:
    with pytest.raises(ApiClientError) as info:
        client.templates.create({"name": "é" * 26, "html": "x"})  # 52 bytes
    assert info.value.status_code == 400
    doc = json.loads(info.value.text)  # application/problem+json: the client does not parse it
    assert {"type", "title", "status", "detail", "instance"} <= set(doc)
    assert doc["errors"][0]["field"] == "name"


def test_file_manager_upload_and_list(sb: Sandbox, client: MailchimpMarketing.Client) -> None:
    data = png((1200, 400))
    f = client.fileManager.upload(
        {"name": "header.png", "file_data": base64.b64encode(data).decode()}
    )
    assert f["width"] == 1200 and f["size"] == len(data)
    with session(sb) as s:
        assert s.get(f["full_size_url"]).content == data
    files = client.fileManager.files()
    assert files["total_items"] == 1 and files["files"][0]["name"] == "header.png"
    with pytest.raises(ApiClientError) as info:
        client.fileManager.upload(
            {"name": "x.png", "file_data": base64.b64encode(b"text").decode()}
        )
    assert json.loads(info.value.text)["errors"][0]["field"] == "file_data"


def test_lists_get_and_patch_merge(client: MailchimpMarketing.Client) -> None:
    before = client.lists.get_list("abc123")
    after = client.lists.update_list(
        "abc123",
        {
            "campaign_defaults": {"from_name": "Acme"},
            "contact": {"company": "Acme SAS", "country": "FR"},
        },
    )
    assert after["campaign_defaults"]["from_name"] == "Acme"
    assert after["campaign_defaults"]["language"] == before["campaign_defaults"]["language"]
    assert after["contact"]["company"] == "Acme SAS"
    assert after["permission_reminder"] == before["permission_reminder"]


def test_bearer_token_and_bad_key(sb: Sandbox, client: MailchimpMarketing.Client) -> None:
    sb.server.mailchimp.add_account("other-key", audience_id="abc123", access_token="oauth-token")
    c = MailchimpMarketing.Client()
    c.set_config({"access_token": "oauth-token", "server": "us1"})
    c.api_client.host = f"{sb.url}/3.0"
    assert c.ping.get()["health_status"]
    c.set_config({"api_key": "wrong-us1"})
    with pytest.raises(ApiClientError) as info:
        c.ping.get()
    assert info.value.status_code == 401


def test_more_than_ten_connections_per_key_is_429(
    sb: Sandbox, client: MailchimpMarketing.Client
) -> None:
    sb.add_fault(platform="mailchimp", path="/ping", latency=0.6, times=None)

    def ping() -> int:
        try:
            client.ping.get()
            return 200
        except ApiClientError as exc:
            return int(exc.status_code or 0)

    with concurrent.futures.ThreadPoolExecutor(max_workers=14) as pool:
        codes = list(pool.map(lambda _: ping(), range(14)))
    assert codes.count(429) >= 1 and codes.count(200) >= 10


def test_empty_body_error_is_returned_not_raised(
    sb: Sandbox, client: MailchimpMarketing.Client
) -> None:
    sb.add_fault(platform="mailchimp", path="/ping", status=503, truncate=True)
    with pytest.raises(ApiClientError):
        client.ping.get()  # a cut body surfaces as a transport error
