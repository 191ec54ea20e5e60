"""Text, JSON and JUnit XML for plans (``plan``, ``check``)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from brandkit.i18n import N_, _, localize
from brandkit.sync.model import Plan
from brandkit.textsafe import md, plain, xml_text

__all__ = ["junit_xml", "paint_words", "plan_json", "plan_markdown", "plan_text", "status_word"]


STATUS_WORDS = {  # a plan's and an apply's statuses, as the text output says them
    "ok": N_("ok"),
    "drift": N_("drift"),
    "error": N_("error"),
    "changed": N_("changed"),
    "failed": N_("failed"),
    "by hand": N_("by hand"),
}

_REMOVED, _ADDED = re.compile(r"\[-(.*?)-\]", re.S), re.compile(r"\{\+(.*?)\+\}", re.S)


def paint_words(text: str) -> str:
    """A word diff for a terminal: removed words red and struck through, added words green."""
    text = _REMOVED.sub(lambda m: f"\x1b[31;9m{m.group(1)}\x1b[0m", text)
    return _ADDED.sub(lambda m: f"\x1b[32m{m.group(1)}\x1b[0m", text)


def status_word(status: str) -> str:
    """A status in the user's language, padded so the names after it line up."""
    words = [_(w) for w in STATUS_WORDS.values()]
    return _(STATUS_WORDS.get(status, status)).ljust(max(map(len, words)))


def plan_text(plan: Plan, colour: bool = False) -> str:
    """The plan for a person, in their language; ``colour``: a terminal's word-diff colours."""
    lines = []
    # what a platform or a spec says is shown as plain text: no escape sequence reaches the
    # terminal, no line break splits a line
    for account in plan.accounts:
        where = plain(f"{account.brand} · {account.platform}:{account.account}")
        lines.append(f"{status_word(account.status)}  {where}")
        if account.error:
            said = _("error: {message}").format(message=plain(localize(account.error)))
            lines.append("         " + said)
        if account.cannot_write:
            said = _("apply cannot write here: {why}").format(
                why=plain(localize(account.cannot_write))
            )
            lines.append("         " + said)
        for change in account.changes:
            said = plain(localize(change.describe()))
            lines.append(f"         ~ {paint_words(said) if colour else said}")
            if change.unsafe:
                lines.append(
                    "           " + _("needs --force: {why}").format(why=localize(change.unsafe))
                )
            if change.by_hand:
                lines.append(
                    "           "
                    + _("change by hand: {where}").format(where=plain(localize(change.by_hand)))
                )
    lines.append(localize(plan.summary()))
    return "\n".join(lines)


def plan_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False, default=str)


def junit_xml(plan: Plan) -> str:
    suite = ET.Element(
        "testsuite",
        name="brandkit check",
        tests=str(len(plan.accounts)),
        failures=str(len(plan.drifted)),
        errors=str(len(plan.errors)),
    )
    for account in plan.accounts:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_text(f"{account.brand}.{account.platform}"),
            name=xml_text(account.account),
        )
        if account.error:
            error = xml_text(account.error)
            ET.SubElement(case, "error", message=error).text = error
        elif account.changes:
            text = xml_text(
                "\n".join(
                    c.describe()
                    + (f"\n  needs --force: {c.unsafe}" if c.unsafe else "")
                    + (f"\n  change by hand: {c.by_hand}" if c.by_hand else "")
                    for c in account.changes
                )
            )
            guarded = f"; {len(account.unsafe)} need(s) --force" if account.unsafe else ""
            ET.SubElement(
                case, "failure", message=f"{len(account.changes)} field(s) drifted{guarded}"
            ).text = text
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)


def plan_markdown(plan: Plan) -> str:
    """A Markdown table of the accounts (a CI job summary, a chat message)."""
    marks = {"ok": "✅ in sync", "drift": "⚠️ drift", "error": "❌ error"}
    lines = [
        f"### brandkit check: {md(plan.summary())}",
        "",
        "| account | status | what |",
        "|---|---|---|",
    ]
    for a in plan.accounts:
        if a.error:
            what = md(a.error)
        else:
            what = "; ".join(md(c.describe()) for c in a.changes) or "—"
        where = md(f"{a.brand} · {a.platform}:{a.account}")
        lines.append(f"| {where} | {marks[a.status]} | {what} |")
    return "\n".join(lines) + "\n"
