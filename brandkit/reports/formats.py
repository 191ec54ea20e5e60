"""Text, JSON and JUnit XML for plans (``plan``, ``check``)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from brandkit.sync.model import Plan

__all__ = ["junit_xml", "plan_json", "plan_markdown", "plan_text"]


def plan_text(plan: Plan) -> str:
    lines = []
    for account in plan.accounts:
        head = f"{account.status:5}  {account.brand} · {account.platform}:{account.account}"
        lines.append(head)
        if account.error:
            lines.append(f"         error: {account.error}")
        if account.cannot_write:
            lines.append(f"         apply cannot write here: {account.cannot_write}")
        for change in account.changes:
            lines.append(f"         ~ {change.describe()}")
            if change.unsafe:
                lines.append(f"           needs --force: {change.unsafe}")
    lines.append(plan.summary())
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
            suite, "testcase", classname=f"{account.brand}.{account.platform}", name=account.account
        )
        if account.error:
            ET.SubElement(case, "error", message=account.error).text = account.error
        elif account.changes:
            text = "\n".join(
                c.describe() + (f"\n  needs --force: {c.unsafe}" if c.unsafe else "")
                for c in account.changes
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
        f"### brandkit check: {plan.summary()}",
        "",
        "| account | status | what |",
        "|---|---|---|",
    ]
    for a in plan.accounts:
        if a.error:
            what = a.error
        else:
            what = "; ".join(c.describe() for c in a.changes) or "—"
        what = what.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {a.brand} · {a.platform}:{a.account} | {marks[a.status]} | {what} |")
    return "\n".join(lines) + "\n"
