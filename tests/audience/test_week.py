"""The community manager's week on the sandbox: figures as the platforms serve them, one snapshot
a day, a report over a week that shows the movement, alerts only when something changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing as t
from pathlib import Path

import brandkit
from brandkit.audience.history import History
from brandkit.cli import main
from brandkit.sandbox.audience import Audience, clock, day_of
from tests.audience.conftest import Receiver
from tests.sync.conftest import World


def _ago(days: int) -> str:
    """The UTC date ``days`` ago: the history's days follow the machine's clock."""
    return str(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days))


def _history(world: World) -> Path:
    return world.spec.parent / ".brandkit" / "history.sqlite"


def _day(world: World) -> int:
    return day_of(clock(world.sandbox.server.state.data))


def test_stats_are_what_the_platforms_serve(everything: World) -> None:
    result = brandkit.stats(everything.brand, everything.options)
    by = {a.platform: a for a in result.accounts}
    day = _day(everything)
    assert by["twitter"].audience == Audience("twitter", "northwindcoffee").total("followers", day)
    assert by["twitter"].metrics["following_count"] > 0
    page_id = everything.brand.account("northwind-fb").options.page_id
    assert by["facebook"].audience == Audience("facebook", str(page_id)).total("follows", day)
    assert by["facebook"].metrics["page_daily_follows"] >= 0 and not by["facebook"].refused
    audience_id = everything.brand.account("northwind-news").options.audience_id
    members = Audience("mailchimp", str(audience_id)).total("members", day)
    assert by["mailchimp"].audience == members
    assert by["mailchimp"].metrics["last_campaign"]["emails_sent"] > 0
    doc = result.to_dict()
    assert set(doc) == {"collected_at", "accounts"}
    assert {tuple(sorted(a)) for a in doc["accounts"]} == {
        ("account", "audience", "metrics", "platform")
    }
    # at most two requests per account: X one, the Page two, the newsletter two
    assert everything.sandbox.count() <= 2 * 3


def test_one_snapshot_per_account_per_day(everything: World) -> None:
    for _ in range(3):  # an hourly job
        brandkit.stats(everything.brand, everything.options)
    with History(_history(everything)) as store:
        assert len(store.snapshots("Northwind Coffee Roasters", "twitter", "northwind-x")) == 1
    everything.sandbox.advance(1)
    brandkit.stats(everything.brand, everything.options)
    with History(_history(everything)) as store:
        # the history's days follow the machine's clock; the sandbox's moved, so the figure did
        snaps = store.snapshots("Northwind Coffee Roasters", "twitter", "northwind-x")
        assert len(snaps) == 1 and snaps[0].audience == Audience(
            "twitter", "northwindcoffee"
        ).total("followers", _day(everything))


def test_a_week_of_stats_makes_a_report_with_movement(everything: World) -> None:
    history = _history(everything)
    with History(history) as store:  # a week of daily snapshots, as a scheduled job leaves them
        for back in range(7, 0, -1):
            everything.sandbox.advance(-back)
            found = brandkit.stats(everything.brand, everything.options, history=history)
            everything.sandbox.advance(back)
            for a in found.accounts:
                assert a.audience is not None
                store.add_snapshot(
                    a.brand,
                    a.platform,
                    a.account,
                    a.audience,
                    a.metrics,
                    at=f"{_ago(back)}T09:00:00",
                )
    (report,) = brandkit.report(
        everything.brand, everything.options, period="week", history=history
    )
    x = next(a for a in report.accounts if a.platform == "twitter")
    assert len(x.trend) >= 7
    assert x.change == x.trend[-1][1] - x.trend[0][1] and x.change > 0
    assert x.change_pct is not None and abs(x.change_pct - 100 * x.change / x.trend[0][1]) < 1e-9
    fb = next(a for a in report.accounts if a.platform == "facebook")
    assert len(fb.trend) >= 7  # Page insights give the days before brandkit looked
    assert all(a.status == "ok" or a.status == "drift" for a in report.accounts)
    doc = json.loads(json.dumps(report.to_dict()))
    assert doc["period"]["days"] == 7 and len(doc["accounts"]) == 3


def _watch(world: World, *notify: str) -> t.Any:
    return brandkit.watch(world.brand, world.options, notify=notify)


def test_watch_alerts_once_per_change(everything: World, receiver: Receiver) -> None:
    brandkit.apply(everything.brand, everything.options)
    first = _watch(everything, receiver.url)
    assert first.exit_code() == 0 and not first.transitions and not receiver.received
    everything.api().update_profile(description="Cheap coffee, whatever")  # behind brandkit's back
    drift = _watch(everything, receiver.url)
    assert drift.exit_code() == 2
    assert [m["title"] for m in receiver.received] == ["brandkit: twitter:northwind-x off-brand"]
    assert "description" in receiver.received[0]["message"]
    for _ in range(5):
        assert _watch(everything, receiver.url).exit_code() == 2
    assert len(receiver.received) == 1  # the same drift is never told twice
    brandkit.apply(everything.brand, everything.options)
    everything.processed()
    resolved = _watch(everything, receiver.url)
    assert resolved.exit_code() == 0
    assert [m["title"] for m in receiver.received][1:] == [
        "brandkit: twitter:northwind-x on-brand again"
    ]


def test_a_failing_target_is_reported_and_the_alert_sent_next_run(
    everything: World, receiver: Receiver
) -> None:
    brandkit.apply(everything.brand, everything.options)
    _watch(everything, receiver.url)
    everything.api().update_profile(location="Nowhere")
    receiver.fail = 1
    result = _watch(everything, receiver.url)
    assert result.exit_code() == 2  # the check's result does not depend on the delivery
    assert len(result.failures) == 1 and "not delivered" in result.failures[0]
    assert "s3cr3t-hook-token" not in result.failures[0]
    assert receiver.received == []
    again = _watch(everything, receiver.url)
    assert again.delivered == 1 and not again.transitions
    assert [m["title"] for m in receiver.received] == ["brandkit: twitter:northwind-x off-brand"]
    with History(_history(everything)) as store:
        kinds = [e.kind for e in store.events()]
    assert kinds.count("notify_failed") == 1 and kinds.count("drift_appeared") == 1


def test_a_refused_token_is_one_alert_naming_no_secret(
    everything: World, receiver: Receiver
) -> None:
    brandkit.apply(everything.brand, everything.options)
    everything.processed()
    _watch(everything, receiver.url)
    var = dict(everything.brand.account("northwind-fb").credentials)["page_token"]
    broken = dataclasses.replace(everything.options, env={**everything.env, var: "expired-token"})
    for _ in range(2):
        result = brandkit.watch(everything.brand, broken, notify=[receiver.url])
        assert result.exit_code() == 1
    titles = [m["title"] for m in receiver.received]
    assert titles == ["brandkit: facebook:northwind-fb credentials refused"]
    assert "expired-token" not in json.dumps(receiver.received)
    assert "new token" in receiver.received[0]["message"]


def test_the_commands_and_their_secret_free_output(
    everything: World, receiver: Receiver, capsys: t.Any, monkeypatch: t.Any
) -> None:
    monkeypatch.setenv("TEAM_HOOK", receiver.url)
    monkeypatch.chdir(everything.spec.parent)
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    spec = str(everything.spec)
    assert main(["stats", spec, "--format", "json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["accounts"]) == 3 and all(a["audience"] > 0 for a in doc["accounts"])
    brandkit.apply(everything.brand, everything.options)
    everything.processed()
    everything.api().update_profile(description="Off brand")
    assert main(["watch", spec, "--notify", "env:TEAM_HOOK", "-q"]) == 2
    out = capsys.readouterr()
    assert "alert: twitter:northwind-x: off-brand: description" in out.out
    assert main(["report", spec, "-o", "week.html", "-q", "--send", "env:TEAM_HOOK"]) == 0
    out = capsys.readouterr()
    assert "report: week.html" in out.out and "sent to env:TEAM_HOOK" in out.out
    html = (everything.spec.parent / "week.html").read_text()
    assert "<svg" in html and "Northwind Coffee Roasters" in html and "off-brand" in html
    assert main(["watch", spec, "--notify", "env:NOT_SET_ANYWHERE", "-q"]) == 1
    err = capsys.readouterr().err
    assert "NOT_SET_ANYWHERE is not set" in err
    everything_said = out.out + out.err + err + html
    everything_said += _history(everything).read_bytes().decode("latin-1")
    assert "s3cr3t-hook-token" not in everything_said
    for value in everything.env.values():
        if value.startswith("sbx-"):
            assert value not in everything_said


def test_alerts_speak_the_brands_language(everything: World, receiver: Receiver) -> None:
    """An alert goes to the brand's team: a French brand's headline and advice are French."""
    brand = everything.brand
    french = dataclasses.replace(brand, identity=dataclasses.replace(brand.identity, language="fr"))
    brandkit.apply(french, everything.options)
    assert brandkit.watch(french, everything.options, notify=[receiver.url]).exit_code() == 0
    everything.api().update_profile(description="Cheap coffee, whatever")
    assert brandkit.watch(french, everything.options, notify=[receiver.url]).exit_code() == 2
    (alert,) = receiver.received
    assert alert["title"] == "brandkit: twitter:northwind-x hors charte"
    assert "Quelqu'un a modifié le profil en dehors de brandkit" in alert["message"]
    from brandkit.audience.render_report import report_markdown

    (built,) = brandkit.report(french, everything.options, period="week")
    md = report_markdown(built)
    assert md.startswith("# Northwind Coffee Roasters : rapport d'audience"), md[:200]
    assert "| chiffre | valeur |" in md and "| Abonnés |" in md
