"""A text change is shown by the words that changed, in text, JSON, JUnit and HTML; a saved plan
with those words reads back."""

from __future__ import annotations

from brandkit.reports import html_report, junit_xml, plan_json
from brandkit.sync.model import AccountPlan, Change, Plan
from brandkit.sync.worddiff import inline, word_changes

LONG = (
    "Northwind Coffee Roasters has roasted small batches of single-origin coffee in Astoria, "
    "Oregon since 2014. We buy directly from growers, publish what we pay, and ship every Tuesday."
)


def _plan() -> Plan:
    change = Change("twitter", "x", "description", "text", LONG.replace("Tuesday", "Friday"), LONG)
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
