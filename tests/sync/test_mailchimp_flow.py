"""The Mailchimp adapter with the real mailchimp-marketing client against the sandbox."""

from __future__ import annotations

import dataclasses
import json
import time
import typing as t
from pathlib import Path

import mailchimp_marketing as MailchimpMarketing
import pytest

from brandkit.spec.model import TextValue
from brandkit.sync import apply, plan, restore
from tests.sync.conftest import World, make_world

AUDIENCE = "a1b2c3d4e5"


@pytest.fixture
def mc(tmp_path: Path) -> t.Iterator[World]:
    yield from make_world(tmp_path, {"northwind-news"})


def _client(world: World, monkeypatch: pytest.MonkeyPatch) -> t.Any:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(world.sandbox.ca_path))
    client = MailchimpMarketing.Client()
    client.set_config({"api_key": world.env["NORTHWIND_MAILCHIMP_API_KEY"]})
    client.api_client.host = f"{world.sandbox.url}/3.0"
    return client


def _template(client: t.Any) -> dict[str, t.Any]:
    listed = client.templates.list(count=100)["templates"]
    assert len(listed) == 1
    got = t.cast(dict[str, t.Any], client.templates.get_template(listed[0]["id"]))
    assert "html" not in got  # as Mailchimp's OpenAPI says: the HTML is never given back
    return got


def _stored_html(world: World, template_id: int) -> str:
    """What Mailchimp stores (readable only from the sandbox's side)."""
    return str(
        world.sandbox.mailchimp.state.data["mailchimp"]["templates"][str(template_id)]["html"]
    )


def test_fresh_apply_creates_template_and_defaults_once(
    mc: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = plan([mc.brand], mc.options)
    assert {"template", "header", "from_name", "from_email", "subject", "company", "address1"} <= {
        c.field for c in first.changes
    }
    assert apply([mc.brand], mc.options).accounts[0].status == "changed"
    assert plan([mc.brand], mc.options).exit_code() == 0
    writes = mc.sandbox.count(writes=True)
    assert apply([mc.brand], mc.options).accounts[0].status == "ok"
    assert mc.sandbox.count(writes=True) == writes  # upsert is idempotent: zero writes
    client = _client(mc, monkeypatch)
    files = client.fileManager.files()["files"]
    assert len(files) == 1 and files[0]["name"].startswith("brandkit-header-")
    tpl = _template(client)
    html = _stored_html(mc, tpl["id"])
    assert files[0]["full_size_url"] in html  # the template points at the hosted header
    sections = client.templates.get_default_content_for_template(tpl["id"])["sections"]
    assert sections["brandkit_fingerprint"].startswith("brandkit sha256:")  # how check reads it
    for needle in (
        'mc:edit="headline"',
        'mc:edit="body"',
        'mc:edit="footer"',
        "mc:hideable",
        "mc:repeatable",
        "*|UNSUB|*",
        "*|HTML:LIST_ADDRESS_HTML|*",
        "#0b3d3a",
        "Northwind Coffee Roasters",
    ):
        assert needle in html, needle
    audience = client.lists.get_list(AUDIENCE)
    assert audience["campaign_defaults"]["from_name"] == "Northwind Coffee"
    assert audience["campaign_defaults"]["subject"] == "[Northwind]"
    assert audience["contact"]["city"] == "Astoria" and audience["contact"]["state"] == "OR"


def test_drift_is_fixed_and_fields_we_do_not_own_are_kept(
    mc: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply([mc.brand], mc.options)
    client = _client(mc, monkeypatch)
    tpl = _template(client)
    edited = _stored_html(mc, tpl["id"]).replace("Write your news here.", "SALE SALE SALE")
    # someone edits the code in Mailchimp an hour later, keeping brandkit's hidden region
    mc.sandbox.mailchimp.edit_by_hand(tpl["id"], edited, edited_at=time.time() + 3600)
    client.lists.update_list(
        AUDIENCE,
        {
            "campaign_defaults": {"from_name": "Intern"},
            "permission_reminder": "You bought coffee from us.",
        },
    )
    drift = plan([mc.brand], mc.options)
    assert sorted(c.field for c in drift.changes) == ["from_name", "template"]
    template = next(c for c in drift.changes if c.field == "template")
    assert ", then edited in Mailchimp on " in template.before
    fixed = apply([mc.brand], mc.options)
    assert fixed.accounts[0].status == "changed" and plan([mc.brand], mc.options).exit_code() == 0
    audience = client.lists.get_list(AUDIENCE)
    assert audience["permission_reminder"] == "You bought coffee from us."  # read-merge-write
    assert audience["campaign_defaults"]["language"] == "en"
    assert fixed.backup is not None
    saved = json.loads((fixed.backup / "mailchimp" / "northwind-news" / "profile.json").read_text())
    assert saved["text"]["from_name"] == "Intern"
    assert "SALE SALE SALE" not in _stored_html(mc, tpl["id"])
    undone = restore(fixed.backup, [mc.brand], mc.options)
    assert client.lists.get_list(AUDIENCE)["campaign_defaults"]["from_name"] == "Intern"
    # the template's HTML cannot be read from Mailchimp, so no backup can hold it: said, not faked
    assert "template: Mailchimp never gives a template's HTML back" in undone.accounts[0].message


def test_whitespace_only_edits_are_not_drift(mc: World, monkeypatch: pytest.MonkeyPatch) -> None:
    apply([mc.brand], mc.options)
    client = _client(mc, monkeypatch)
    tpl = _template(client)
    spaced = _stored_html(mc, tpl["id"]).replace("><", ">\n   <")
    mc.sandbox.mailchimp.edit_by_hand(tpl["id"], spaced)  # at once: within the tolerance
    assert plan([mc.brand], mc.options).exit_code() == 0


def test_a_template_replaced_by_another_tool_is_drift(
    mc: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply([mc.brand], mc.options)
    client = _client(mc, monkeypatch)
    tpl = _template(client)
    client.templates.update_template(
        tpl["id"], {"html": "<html><body>*|UNSUB|* other</body></html>"}
    )
    (change,) = plan([mc.brand], mc.options).changes
    assert change.field == "template" and change.before.startswith(
        "a template brandkit did not write"
    )
    assert apply([mc.brand], mc.options).accounts[0].status == "changed"
    assert plan([mc.brand], mc.options).exit_code() == 0


def test_a_new_builder_template_of_the_same_name_is_never_overwritten(mc: World) -> None:
    name = mc.brand.accounts[0].options.template_name
    made = mc.sandbox.mailchimp.add_template(
        name, "<p>designed in the app</p>", content_type="multichannel"
    )
    drift = plan([mc.brand], mc.options)
    template = next(c for c in drift.changes if c.field == "template")
    assert template.before == "a multichannel template made in Mailchimp's editor"
    result = apply([mc.brand], mc.options)
    assert result.accounts[0].status == "failed"
    assert "made with Mailchimp's new builder" in result.accounts[0].message
    assert "give this account another template_name" in result.accounts[0].message
    assert _stored_html(mc, made["id"]) == "<p>designed in the app</p>"


def test_the_service_names_the_field_it_refused(mc: World) -> None:
    account = mc.brand.accounts[0]
    account = dataclasses.replace(
        account, text={**account.text, "from_email": TextValue("not-an-address", ())}
    )
    brand = dataclasses.replace(mc.brand, accounts=(account,))
    result = apply([brand], mc.options)
    assert result.accounts[0].status == "failed"
    assert (
        "mailchimp:northwind-news campaign_defaults.from_email: refused (400)"
        in result.accounts[0].message
    )
    assert "This value is not a valid email address." in result.accounts[0].message


@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", "/templates$"),
        ("POST", "/file-manager/files"),
        ("PATCH", "/lists/"),
        ("GET", "/lists/"),
    ],
)
@pytest.mark.parametrize(
    "fault", [{"status": 500}, {"status": 429}, {"drop": True}, {"status": 503, "times": 2}]
)
def test_faults_at_every_step_converge(
    mc: World, method: str, path: str, fault: dict[str, object]
) -> None:
    injected = mc.sandbox.add_fault(platform="mailchimp", method=method, path=path, **fault)
    result = apply([mc.brand], mc.options)
    assert injected.hits >= 1
    assert result.accounts[0].status == "changed", result.accounts[0].message
    assert plan([mc.brand], mc.options).exit_code() == 0


def test_errors_name_the_field_and_never_echo_the_key(mc: World) -> None:
    env = dict(mc.env, NORTHWIND_MAILCHIMP_API_KEY="wrong-key-us1")
    bad = plan([mc.brand], dataclasses.replace(mc.options, env=env))
    error = bad.accounts[0].error or ""
    assert (
        "Mailchimp refused the credentials (401" in error and "NORTHWIND_MAILCHIMP_API_KEY" in error
    )
    assert "wrong-key-us1" not in error
    # 60 bytes: validation catches it; so does the API
    account = mc.brand.accounts[0]
    account = dataclasses.replace(
        account, options=dataclasses.replace(account.options, template_name="é" * 30)
    )
    brand = dataclasses.replace(mc.brand, accounts=(account,))
    refused = apply([brand], mc.options)
    assert "mailchimp:northwind-news name: refused (400)" in refused.accounts[0].message


def test_a_template_without_unsubscribe_is_refused(mc: World) -> None:
    own = mc.spec.parent / "mine.mjml"
    own.write_text(
        "<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text></mj-column></mj-section></mj-body></mjml>"
    )
    account = mc.brand.accounts[0]
    account = dataclasses.replace(
        account, options=dataclasses.replace(account.options, template=own)
    )
    brand = dataclasses.replace(mc.brand, accounts=(account,))
    (planned,) = plan([brand], mc.options).accounts
    assert planned.error and "the template has no unsubscribe link (*|UNSUB|*)" in planned.error
    mc.sandbox.clear_requests()
    (applied,) = apply([brand], mc.options).accounts
    assert applied.status == "failed" and "no unsubscribe link" in applied.message
    assert mc.sandbox.count(writes=True) == 0  # refused before anything is written
