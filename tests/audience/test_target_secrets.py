"""A notification target is a secret (#27): whatever its shape, it is never printed, stored in
the history's outbox or events, or put in an error."""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

import requests

import brandkit
from brandkit.cli import main
from tests.sync.conftest import World

SECRET = "T0AAAAAA/B0BBBBBB/XxSecretWebhookTokenxX"


def test_a_target_that_is_not_a_url_is_refused_without_showing_it(
    everything: World, capsys: t.Any, monkeypatch: t.Any
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    spec = str(everything.spec)
    monkeypatch.setenv("HOOK", f"hooks.slack.com/services/{SECRET}")
    assert main(["report", spec, "-q", "--send", "env:HOOK", "-o", "r.html"]) == 1
    said = capsys.readouterr()
    assert "the value of HOOK is not a URL (value not shown)" in said.err
    assert "Secret" not in said.out + said.err


def test_an_undeliverable_target_is_never_stored_or_shown(
    everything: World, capsys: t.Any, monkeypatch: t.Any
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    spec = str(everything.spec)
    monkeypatch.setenv("HOOK", f"nosuchscheme{SECRET}://hooks.example/{SECRET}")
    brandkit.apply(everything.brand, everything.options)
    everything.processed()
    everything.api().update_profile(description="Off brand")
    main(["watch", spec, "-q", "--notify", "env:HOOK"])
    said = capsys.readouterr()
    history = everything.spec.parent / ".brandkit" / "history.sqlite"
    stored = b"".join(p.read_bytes() for p in history.parent.glob("history.sqlite*"))
    assert "Secret" not in said.out + said.err
    assert b"Secret" not in stored
    assert "env:HOOK" in said.err  # named by what the person typed


def test_a_figure_that_is_not_a_number_is_refused_and_never_written_as_it_came(
    tmp_path: Path,
) -> None:
    """#27: a Mastodon ``following_count`` of ``<img src=x onerror=...>`` ran in the report."""
    from brandkit.audience.render_report import report_html, report_markdown
    from tests.sync.conftest import make_world

    for world in make_world(tmp_path, {"northwind-masto"}):
        session = requests.Session()
        session.verify = world.env["BRANDKIT_CA_BUNDLE"]
        session.trust_env = False
        base = world.env["BRANDKIT_MASTODON_URL"]
        token = world.env["NORTHWIND_MASTODON_TOKEN"]
        me = session.get(
            f"{base}/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        me["following_count"] = "<img src=x onerror=alert(document.domain)>"
        world.sandbox.add_fault(
            platform="mastodon", path="verify_credentials", body=json.dumps(me), times=None
        )
        found = brandkit.stats(world.brand, world.options)
        (account,) = found.accounts
        assert "following_count" not in account.metrics
        assert account.refused["following_count"] == "the platform sent no number"
        (built,) = brandkit.report(world.brand, world.options)
        for page in (report_html(built), report_markdown(built)):
            assert "<img src=x" not in page and "onerror" not in page


def test_the_posts_figure_survives_xs_rename(tmp_path: Path) -> None:
    """#26: X's UserPublicMetrics has post_count and no tweet_count (renamed August 2026).
    Served under either name, the Posts figure is kept, with the name it came as."""
    from tests.sync.conftest import make_world

    for world in make_world(tmp_path, {"northwind-x"}):
        (now,) = brandkit.stats(world.brand, world.options).accounts
        assert now.metrics["post_count"] > 0 and "tweet_count" not in now.metrics
        assert now.metrics["served_as"] == {"post_count": "post_count"}
        from requests_oauthlib import OAuth1

        creds = {r: world.env[v] for r, v in world.brand.account("northwind-x").credentials}
        session = requests.Session()
        session.verify = world.env["BRANDKIT_CA_BUNDLE"]
        session.trust_env = False
        session.auth = OAuth1(
            creds["consumer_key"],
            creds["consumer_secret"],
            creds["access_token"],
            creds["access_token_secret"],
        )
        # the answer as X gave it before the rename
        me = session.get(
            world.env["BRANDKIT_TWITTER_URL"] + "/2/users/me",
            params={"user.fields": "public_metrics,username,name"},
        ).json()
        metrics = me["data"]["public_metrics"]
        metrics["tweet_count"] = metrics.pop("post_count")
        world.sandbox.add_fault(platform="twitter", path="/2/users/me$", body=json.dumps(me))
        (old,) = brandkit.stats(world.brand, world.options).accounts
        assert old.metrics["post_count"] == now.metrics["post_count"]
        assert old.metrics["served_as"] == {"post_count": "tweet_count"}
