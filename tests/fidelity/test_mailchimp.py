"""The sandbox's Mailchimp template answers, held to Mailchimp's OpenAPI (via its generated SDK)."""

from __future__ import annotations

import typing as t

import mailchimp_marketing as MailchimpMarketing
import pytest

from brandkit.platforms.mailchimp.template import REGION
from brandkit.sandbox import Sandbox
from tests.fidelity.conftest import evidence

SPEC = evidence("mailchimp_templates.json")


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> t.Iterator[t.Any]:
    with Sandbox() as sb:
        key = sb.add_mailchimp_account("abc123")["api_key"]
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sb.ca_path))
        c = MailchimpMarketing.Client()
        c.set_config({"api_key": key})
        c.api_client.host = f"{sb.url}/3.0"
        yield c


def test_a_template_never_gives_its_html_back(client: t.Any) -> None:
    region = f'<div mc:edit="{REGION}">brandkit sha256:0 written x</div>'
    html = f"<html><body>{region}*|UNSUB|*</body></html>"
    created = client.templates.create({"name": "House", "html": html})
    for answer in (
        created,
        client.templates.get_template(created["id"]),
        client.templates.list()["templates"][0],
    ):
        assert "html" not in answer
        assert set(answer) <= set(SPEC["template_instance_properties"])
        assert answer["content_type"] in SPEC["template_content_type_enum"]


def test_default_content_gives_the_editable_sections(client: t.Any) -> None:
    html = '<html><body><div mc:edit="intro">Hello</div><p>fixed</p></body></html>'
    created = client.templates.create({"name": "House", "html": html})
    content = client.templates.get_default_content_for_template(created["id"])
    assert set(content) == set(SPEC["default_content_properties"])
    assert content["sections"] == {"intro": "Hello"}
