"""The agency's Monday report: every client's brands on one page, with their audience and its
change over the period, how many accounts are on-brand, and the problems to look at, per client
and across clients (``brandkit report brands/ --agency``). Built from the brands' own reports;
rendered as a self-contained HTML page, Markdown or JSON, in one language."""

from __future__ import annotations

import dataclasses
import html
import typing as t

from brandkit.audience.render_report import _Say
from brandkit.audience.report import Report
from brandkit.i18n import N_
from brandkit.spec.model import Brand
from brandkit.textsafe import md

__all__ = ["AgencyReport", "agency_html", "agency_markdown", "agency_report"]

NO_CLIENT = N_("(no client)")


@dataclasses.dataclass(frozen=True)
class Line:
    """One brand, or the sum of several (a client's, the agency's)."""

    name: str
    accounts: int
    audience: int  # the accounts whose figures could be read
    change: int | None  # over the period, where an earlier figure exists
    on_brand: int
    drifted: int
    failing: int
    problems: int

    def to_dict(self) -> dict[str, t.Any]:
        return dataclasses.asdict(self)


def _sum(name: str, lines: t.Sequence[Line]) -> Line:
    changes = [line.change for line in lines if line.change is not None]
    return Line(
        name,
        sum(line.accounts for line in lines),
        sum(line.audience for line in lines),
        sum(changes) if changes else None,
        sum(line.on_brand for line in lines),
        sum(line.drifted for line in lines),
        sum(line.failing for line in lines),
        sum(line.problems for line in lines),
    )


def _line(report: Report) -> Line:
    changes = [a.change for a in report.accounts if a.change is not None]
    return Line(
        report.brand,
        len(report.accounts),
        sum(a.audience or 0 for a in report.accounts),
        sum(changes) if changes else None,
        sum(1 for a in report.accounts if a.status == "ok"),
        sum(1 for a in report.accounts if a.status == "drift"),
        sum(1 for a in report.accounts if a.status not in ("ok", "drift")),
        sum(len(a.problems) for a in report.accounts),
    )


@dataclasses.dataclass(frozen=True)
class Client:
    name: str  # "" when the brands have none
    total: Line
    brands: tuple[Line, ...]


@dataclasses.dataclass(frozen=True)
class AgencyReport:
    period_days: int
    start: str
    end: str
    clients: tuple[Client, ...]
    total: Line

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "period": {"days": self.period_days, "start": self.start, "end": self.end},
            "total": self.total.to_dict(),
            "clients": [
                {
                    "client": c.name,
                    "total": c.total.to_dict(),
                    "brands": [b.to_dict() for b in c.brands],
                }
                for c in self.clients
            ],
        }


def agency_report(brands: t.Sequence[Brand], reports: t.Sequence[Report]) -> AgencyReport:
    """Group the brands' reports by client (in order of name; brands without one last)."""
    client_of = {b.identity.name: b.identity.client or "" for b in brands}
    grouped: dict[str, list[Line]] = {}
    for report in reports:
        grouped.setdefault(client_of.get(report.brand, ""), []).append(_line(report))
    clients = tuple(
        Client(name, _sum(name, lines), tuple(sorted(lines, key=lambda line: line.name)))
        for name, lines in sorted(grouped.items(), key=lambda kv: (kv[0] == "", kv[0].casefold()))
    )
    first = reports[0] if reports else None
    return AgencyReport(
        first.period_days if first else 0,
        first.start if first else "",
        first.end if first else "",
        clients,
        _sum("", [c.total for c in clients]),
    )


def _change(line: Line, say: _Say) -> str:
    return say.signed(line.change) if line.change is not None else "—"


def _headers(say: _Say) -> list[str]:
    return [
        say(N_("Accounts")),
        say(N_("Audience")),
        say(N_("Change")),
        say(N_("On-brand")),
        say(N_("Off-brand")),
        say(N_("Cannot be read")),
        say(N_("Problems")),
    ]


def _cells(line: Line, say: _Say) -> list[str]:
    return [
        say.number(line.accounts),
        say.number(line.audience),
        _change(line, say),
        f"{say.number(line.on_brand)}/{say.number(line.accounts)}",
        say.number(line.drifted),
        say.number(line.failing),
        say.number(line.problems),
    ]


def agency_markdown(report: AgencyReport, language: str = "en") -> str:
    say = _Say(language)
    period = f"{say.date(report.start)} – {say.date(report.end)}"
    out = [f"# {say(N_('Every client this week'))} ({period})", ""]
    head = "| " + " | ".join([say(N_("Client")), *_headers(say)]) + " |"
    out += [head, "|" + "---|" * (len(_headers(say)) + 1)]
    for client in report.clients:
        name = md(client.name) if client.name else say(NO_CLIENT)
        out.append("| " + " | ".join([name, *_cells(client.total, say)]) + " |")
    out.append(
        "| **" + say(N_("All clients")) + "** | " + " | ".join(_cells(report.total, say)) + " |"
    )
    for client in report.clients:
        out += ["", f"## {md(client.name) if client.name else say(NO_CLIENT)}", ""]
        out += ["| " + " | ".join([say(N_("Brand")), *_headers(say)]) + " |"]
        out += ["|" + "---|" * (len(_headers(say)) + 1)]
        out += ["| " + " | ".join([md(b.name), *_cells(b, say)]) + " |" for b in client.brands]
    return "\n".join(out) + "\n"


STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d1d1f;
  padding:0 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{padding:.35rem .6rem;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child{text-align:left}
tr.total td{font-weight:600;border-top:2px solid #1d1d1f}
td.bad{color:#b3261e;font-weight:600}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
@media print{body{margin:0}}
"""


def _row(cells: list[str], line: Line, css: str = "") -> str:
    tds = [f"<td>{cells[0]}</td>"]
    for i, cell in enumerate(cells[1:]):
        bad = (i == 4 and line.drifted) or (i == 5 and line.failing) or (i == 6 and line.problems)
        tds.append(f'<td class="bad">{cell}</td>' if bad else f"<td>{cell}</td>")
    return (
        f'<tr class="{css}">' + "".join(tds) + "</tr>" if css else "<tr>" + "".join(tds) + "</tr>"
    )


def agency_html(report: AgencyReport, language: str = "en") -> str:
    say = _Say(language)
    esc = html.escape
    period = f"{say.date(report.start)} – {say.date(report.end)}"
    title = esc(say(N_("Every client this week")))
    head = "".join(f"<th>{esc(h)}</th>" for h in _headers(say))
    parts = [
        f'<!doctype html><html lang="{esc(language)}"><meta charset="utf-8">',
        f"<title>{title}</title><style>{STYLE}</style>",
        f"<h1>{title} <small>({esc(period)})</small></h1>",
        f"<table><tr><th>{esc(say(N_('Client')))}</th>{head}</tr>",
    ]
    for client in report.clients:
        name = esc(client.name or say(NO_CLIENT))
        parts.append(_row([name, *map(esc, _cells(client.total, say))], client.total))
    total = [esc(say(N_("All clients"))), *map(esc, _cells(report.total, say))]
    parts.append(_row(total, report.total, "total") + "</table>")
    for client in report.clients:
        parts.append(f"<h2>{esc(client.name or say(NO_CLIENT))}</h2>")
        parts.append(f"<table><tr><th>{esc(say(N_('Brand')))}</th>{head}</tr>")
        parts += [_row([esc(b.name), *map(esc, _cells(b, say))], b) for b in client.brands]
        parts.append("</table>")
    return "\n".join(parts) + "\n</html>\n"
