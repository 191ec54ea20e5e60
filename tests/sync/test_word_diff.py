"""A text change is shown by the words that changed, in text, JSON, JUnit and HTML; a saved plan
with those words reads back."""

from __future__ import annotations

from brandkit.reports import html_report, junit_xml, plan_json
from brandkit.sync.model import AccountPlan, Plan, TextChange
from brandkit.sync.worddiff import inline, word_changes

LONG = (
    "Northwind Coffee Roasters has roasted small batches of single-origin coffee in Astoria, "
    "Oregon since 2014. We buy directly from growers, publish what we pay, and ship every Tuesday."
)


def _plan() -> Plan:
    change = TextChange("twitter", "x", "description", LONG.replace("Tuesday", "Friday"), LONG)
    return Plan((AccountPlan("Northwind", "twitter", "x", (change,), spec="brand.yaml"),))


def test_the_end_of_a_long_bio_is_shown_where_it_changed() -> None:
    said = _plan().accounts[0].changes[0].describe()
    assert said == "description: …pay, and ship every [-Friday.-] {+Tuesday.+}"
    assert word_changes("a b c", "a x c") == [("replace", "b", "x")]
    assert inline("Rome", "Rejoice Rome") == "{+Rejoice+} Rome"


def test_every_format_carries_the_words() -> None:
    plan = _plan()
    assert '"words": [' in plan_json(plan) and '"before": "Friday."' in plan_json(plan)
    assert "[-Friday.-] {+Tuesday.+}" in junit_xml(plan)
    page = html_report(plan)
    assert "<del>Friday.</del><ins>Tuesday.</ins>" in page
    assert "brand.yaml" in page and "brandkit " in page  # which spec, which version
    again = AccountPlan.from_dict(plan.accounts[0].to_dict())
    assert again.changes == plan.accounts[0].changes


def _template(headline: str) -> str:
    return (
        "<!doctype html><html><head><style>td{color:#123}</style><script>x()</script></head>"
        f"<body><table><tr><td mc:edit='headline'>{headline}</td></tr>"
        + "<tr><td style='padding:0 28px 16px;font-family:Inter'>Hello *|FNAME|*,</td></tr>" * 40
        + "</table></body></html>"
    )


def test_a_changed_template_shows_the_words_a_reader_sees_not_its_markup() -> None:
    """#25: a template drift pasted ~9,600 characters of raw HTML into the report."""
    before = _template("Small-batch coffee, roasted on the coast")
    after = _template("Small-batch coffee, roasted on the bay")
    change = TextChange("mailchimp", "news", "template", before, after)
    plan = Plan((AccountPlan("Northwind", "mailchimp", "news", (change,), spec="brand.yaml"),))
    said = change.describe()
    assert "roasted on the [-coast-] {+bay+}" in said and "<td" not in said
    assert f"markup: {len(before):,} -> {len(after):,} characters" in said
    page = html_report(plan)
    assert "<del>coast</del><ins>bay</ins>" in page
    # both renderings, each in a frame that runs no script; the markup only inside srcdoc
    assert page.count('<iframe sandbox=""') == 2
    outside = page.replace(page[page.index("<iframe") : page.rindex("</iframe>")], "")
    assert "padding:0 28px" not in outside and "<script>x()" not in page
    same = TextChange("mailchimp", "news", "template", before, before.replace("#123", "#124"))
    assert "only the markup changed" in same.describe()


def test_a_template_the_platform_only_fingerprints_is_shown_rendered() -> None:
    """Mailchimp gives a template's fingerprint back, not its HTML: the report shows the spec's
    template rendered in a sandboxed frame, never its markup as text."""
    after = _template("Small-batch coffee, roasted on the bay")
    change = TextChange("mailchimp", "news", "template", "sha256:e394f58d0f1c41e6", after)
    page = html_report(Plan((AccountPlan("N", "mailchimp", "news", (change,)),)))
    assert page.count('<iframe sandbox=""') == 1 and "sha256:e394f58d0f1c41e6" in page
    outside = page.replace(page[page.index("<iframe") : page.rindex("</iframe>")], "")
    assert "padding:0 28px" not in outside


def test_platform_text_cannot_reach_a_terminal_or_break_junit() -> None:
    """#27: ESC/OSC sequences and control characters from a live bio reached the terminal, and
    JUnit was not well-formed XML."""
    import xml.etree.ElementTree as ET

    from brandkit.reports import plan_text

    hostile = "Roasted \x1b]0;owned\x07 on the \x1b[31mcoast\r\x00|\u202e"
    change = TextChange("twitter", "x", "description", hostile, LONG)
    plan = Plan((AccountPlan("Northwind\x1b[2J", "twitter", "x", (change,), spec="b.yaml"),))
    text = plan_text(plan)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text and "\u202e" not in text
    ET.fromstring(junit_xml(plan))  # well-formed


def test_a_word_added_at_the_end_keeps_its_space() -> None:
    """The Mailchimp company line read "Northwind Coffee Roasters{+LLC+}"."""
    assert inline("Northwind Coffee Roasters", "Northwind Coffee Roasters LLC") == (
        "Northwind Coffee Roasters {+LLC+}"
    )
    assert inline("Hello world", "Hello big world") == "Hello {+big+} world"
    assert inline("a b c", "a c") == "a [-b-] c"
    assert inline("Small batch roasting", "Small roasting") == "Small [-batch-] roasting"
