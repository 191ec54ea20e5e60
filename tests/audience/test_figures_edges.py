"""Figures when the platform says no: a Page token without insights permission still gives the
follower count; a metric Graph does not know (retired) fails the whole request, so each is asked
alone and the refused one is named. And a report sent as HTML e-mail to a local SMTP server."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import typing as t

import pytest

import brandkit
from brandkit.cli import main
from brandkit.platforms.facebook import adapter as facebook
from tests.sync.conftest import World

PAGE = "104729381234567"


def test_without_read_insights_the_follower_count_still_comes(everything: World) -> None:
    page = everything.brand.account("northwind-fb").options.page_id
    everything.sandbox.server.facebook.add_page(
        str(page), name="x", page_token="no-insights", permissions=["pages_read_engagement"]
    )
    var = dict(everything.brand.account("northwind-fb").credentials)["page_token"]
    options = dataclasses.replace(everything.options, env={**everything.env, var: "no-insights"})
    result = brandkit.stats(everything.brand, options)
    fb = next(a for a in result.accounts if a.platform == "facebook")
    assert fb.error is None and fb.audience and fb.audience > 0
    assert set(fb.refused) == set(facebook.INSIGHTS)
    assert all("read_insights" in why for why in fb.refused.values()), fb.refused


def test_a_retired_metric_is_named_and_the_others_still_come(
    everything: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facebook, "INSIGHTS", (*facebook.INSIGHTS, "page_impressions"))
    everything.sandbox.clear_requests()
    result = brandkit.stats(everything.brand, everything.options)
    fb = next(a for a in result.accounts if a.platform == "facebook")
    assert list(fb.refused) == ["page_impressions"]
    assert "valid insights metric" in fb.refused["page_impressions"]
    assert fb.metrics["page_daily_follows"] is not None and "page_media_view" in fb.daily


def test_report_sent_as_html_email(everything: World, capsys: t.Any, monkeypatch: t.Any) -> None:
    from aiosmtpd.controller import Controller

    received: list[bytes] = []

    class Inbox:
        async def handle_DATA(self, server: t.Any, session: t.Any, envelope: t.Any) -> str:
            received.append(envelope.content)
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        monkeypatch.setenv(
            "TEAM_MAIL",
            # no AUTH: aiosmtpd's test server offers none
            f"mailto://127.0.0.1:{port}?from=brandkit@example.org&to=team@example.org",
        )
        for var, value in everything.env.items():
            monkeypatch.setenv(var, value)
        spec = str(everything.spec)
        assert (
            main(
                [
                    "report",
                    spec,
                    "-q",
                    "-o",
                    str(everything.spec.parent / "r.html"),
                    "--send",
                    "env:TEAM_MAIL",
                ]
            )
            == 0
        )
    finally:
        smtp.stop()
    out = capsys.readouterr()
    assert "sent to env:TEAM_MAIL" in out.out, out.err
    assert len(received) == 1
    message = email.message_from_bytes(received[0], policy=email.policy.default)
    assert "audience report" in message["Subject"]
    html = message.get_body(("html",))
    assert html is not None and "<svg" in html.get_content()
    assert f"127.0.0.1:{port}" not in out.out + out.err  # the target is named, never shown
