"""What a French team reads (#25) and what a platform can slip into a report (#27): numbers,
dates and labels in the person's or the brand's language, and every value from a platform
escaped for the Markdown, terminal and HTML it lands in."""

from __future__ import annotations

import dataclasses
import html
import re
import typing as t

import brandkit
from brandkit.audience.render_report import report_html, report_markdown, trend_svg
from brandkit.cli import main
from tests.sync.conftest import World


def _french(world: World) -> brandkit.Brand:
    brand = world.brand
    return dataclasses.replace(brand, identity=dataclasses.replace(brand.identity, language="fr"))


def test_the_markdown_report_writes_numbers_and_dates_as_the_brand_does(everything: World) -> None:
    (built,) = brandkit.report(_french(everything), everything.options, period="week")
    md = report_markdown(built)
    assert re.search(r"\*\*\d{1,3}[\u202f\xa0 ]\d{3}\*\*", md), md[:600]
    assert not re.search(r"\d,\d{3}", md)  # no English thousands separator
    assert not re.search(r"\d{4}-\d{2}-\d{2}", md)  # no ISO date
    assert " déc. 2026" in md or " 2026" in md


def test_stats_speaks_the_persons_language(
    everything: World, capsys: t.Any, monkeypatch: t.Any
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    assert main(["--lang", "fr", "stats", str(everything.spec), "-q"]) == 0
    out = capsys.readouterr().out
    for raw in ("fan_count", "page_follows", "followers_count", "tweet_count", "member_count"):
        assert raw not in out
    assert "Abonnés" in out
    assert not re.search(r"\d,\d{3}", out)


def test_watch_speaks_the_persons_language(
    everything: World, capsys: t.Any, monkeypatch: t.Any
) -> None:
    for var, value in everything.env.items():
        monkeypatch.setenv(var, value)
    spec = str(everything.spec)
    assert main(["--lang", "fr", "watch", spec, "-q"]) in (0, 2)
    assert main(["--lang", "fr", "watch", spec, "-q"]) in (0, 2)
    out = capsys.readouterr().out
    assert "aucun changement depuis la dernière surveillance" in out, out[-400:]
    brandkit.apply(everything.brand, everything.options)
    everything.processed()
    everything.api().update_profile(description="Off brand")
    assert main(["--lang", "fr", "watch", spec, "-q"]) == 2
    out = capsys.readouterr().out
    assert "alerte : twitter:northwind-x : hors charte : description" in out, out[-600:]


def test_a_one_day_chart_keeps_its_words_inside_it() -> None:
    said = "une seule journée pour l'instant : la tendance commence demain"
    svg = trend_svg([("2026-12-05", 10)], "#123456", width=320, words=lambda _: said)
    lines = [html.unescape(x) for x in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)]
    assert " ".join(lines) == said
    assert all(len(line) * 6.5 <= 320 - 16 for line in lines)


HOSTILE = "evil | col\r\n# Heading ![x](https://evil.example/p.png) <img src=x onerror=alert(1)>"


def test_platform_text_cannot_shape_the_markdown_report(everything: World) -> None:
    (built,) = brandkit.report(everything.brand, everything.options, period="week")
    account = dataclasses.replace(
        built.accounts[0], account=HOSTILE, platform_label="X\x1b]0;owned\x07"
    )
    md = report_markdown(dataclasses.replace(built, accounts=(account, *built.accounts[1:])))
    heading = next(line for line in md.splitlines() if line.startswith("## X"))
    assert "\r" not in md and "\x1b" not in md
    assert "\\|" in heading and "\\!\\[x\\]" in heading and "\\<img" in heading
    assert not any(line.startswith("# Heading") for line in md.splitlines())
    page = report_html(dataclasses.replace(built, accounts=(account,)))
    assert "<img src=x" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(1)&gt;", ""
    )


def test_the_last_campaign_says_to_how_many_subscribers(everything: World) -> None:
    (built,) = brandkit.report(everything.brand, everything.options, period="week")
    page = report_html(built)
    assert re.search(r"sent [^<]+ to [\d,]+ subscribers", page), "no noun after the count"
    page_figures = [a.figures for a in built.accounts if a.platform == "facebook"]
    labels = [label for figures in page_figures for label, _ in figures]
    assert "Followers" in labels and "Follows" not in labels  # two totals, told apart
