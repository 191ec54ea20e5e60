"""The report as a self-contained HTML page (inline SVG charts, the logo embedded, no script,
prints on A4) and as Markdown (an e-mail or a chat message)."""

from __future__ import annotations

import base64
import html
import typing as t

from brandkit.audience.report import AccountReport, Report

__all__ = ["report_html", "report_markdown", "trend_svg"]


def _number(value: t.Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _change(account: AccountReport) -> str:
    if account.change is None:
        return "no earlier figure in this period yet"
    pct = f" ({account.change_pct:+.1f} %)" if account.change_pct is not None else ""
    return f"{account.change:+,}{pct}"


def trend_svg(points: t.Sequence[tuple[str, int]], colour: str, width: int = 320) -> str:
    """A line chart of the audience per day, with its first and last day and the range."""
    height, pad = 96, 6
    if len(points) < 2:
        return (
            f'<svg class="trend" width="{width}" height="{height}" role="img" '
            f'aria-label="not enough days yet"><text x="8" y="50" font-size="12" '
            f'fill="#777">one day so far: the trend starts tomorrow</text></svg>'
        )
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = (width - 2 * pad) / (len(points) - 1)
    xy = [
        (pad + i * step, pad + (height - 30) * (1 - (v - low) / span)) for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    area = f"{pad},{height - 24} {line} {xy[-1][0]:.1f},{height - 24}"
    label = f"audience from {low:,} to {high:,}, {points[0][0]} to {points[-1][0]}"
    return (
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{html.escape(label)}">'
        f'<polygon points="{area}" fill="{colour}" fill-opacity="0.12"/>'
        f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5" '
        f'stroke-linejoin="round"/>'
        f'<circle cx="{xy[-1][0]:.1f}" cy="{xy[-1][1]:.1f}" r="3.5" fill="{colour}"/>'
        f'<text x="{pad}" y="{height - 8}" font-size="11" fill="#666">{points[0][0]}</text>'
        f'<text x="{width - pad}" y="{height - 8}" font-size="11" fill="#666" '
        f'text-anchor="end">{points[-1][0]}</text></svg>'
    )


def _logo(report: Report) -> str:
    path = report.logo
    kind = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}.get(
        path.suffix.lower(), "image/png"
    )
    try:
        data = base64.b64encode(path.read_bytes()).decode()
    except OSError:
        return ""
    return f'<img class="logo" src="data:{kind};base64,{data}" alt="">'


def _status(account: AccountReport) -> str:
    since = f" · last change {account.last_change[:10]}" if account.last_change else ""
    if account.status == "ok":
        return f'<span class="badge ok">on-brand</span>{since}'
    if account.status == "drift":
        return (
            f'<span class="badge drift">off-brand: {html.escape(account.status_detail)}</span>'
            f"{since}"
        )
    return '<span class="badge error">not checked (see problems)</span>'


def _account_html(account: AccountReport, colour: str) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{_number(value)}</td></tr>"
        for label, value in account.figures
    )
    campaign = ""
    if account.last_campaign:
        c = account.last_campaign
        opened = c.get("open_rate")
        clicked = c.get("click_rate")
        campaign = (
            f"<p class='campaign'>Last campaign: <b>{html.escape(str(c.get('title') or ''))}"
            f"</b>, sent {html.escape(str(c.get('send_time') or '')[:10])} to "
            f"{_number(c.get('emails_sent') or 0)}; opened by "
            f"{(opened or 0) * 100:.1f} %, clicked by {(clicked or 0) * 100:.1f} %</p>"
        )
    problems = "".join(
        f"<li><b>{html.escape(p.at[:16].replace('T', ' '))}</b> {html.escape(p.detail)}"
        f"<br><span class='advice'>{html.escape(p.advice)}</span></li>"
        for p in account.problems
    )
    audience = _number(account.audience) if account.audience is not None else "—"
    return f"""<section class="account">
<h2>{html.escape(account.platform_label)} · {html.escape(account.account)}</h2>
<div class="head"><div><div class="big">{audience}</div>
<div class="sub">audience · {html.escape(_change(account))}</div></div>
{trend_svg(account.trend, colour)}</div>
<p>{_status(account)}</p>
<table>{rows}</table>{campaign}
{f'<h3>Problems this period</h3><ul class="problems">{problems}</ul>' if problems else ""}
{f'<p class="error">{html.escape(account.error)}</p>' if account.error else ""}
</section>"""


def report_html(report: Report) -> str:
    primary, on_primary, accent = report.colours
    body = "".join(_account_html(a, primary) for a in report.accounts)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(report.brand)} — audience report {report.start} to {report.end}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1f;
  margin: 0; background: #fff; }}
header {{ background: {primary}; color: {on_primary}; padding: 20px 28px; display: flex;
  align-items: center; gap: 18px; }}
header .logo {{ width: 56px; height: 56px; object-fit: contain; background: #fff;
  border-radius: 12px; padding: 6px; }}
header h1 {{ margin: 0; font-size: 22px; }} header p {{ margin: 4px 0 0; opacity: .85; }}
main {{ padding: 8px 28px 28px; }}
.account {{ border-top: 3px solid {accent}; margin-top: 22px; padding-top: 8px;
  break-inside: avoid; }}
.account h2 {{ font-size: 17px; margin: 6px 0 10px; }}
.head {{ display: flex; justify-content: space-between; align-items: center; gap: 16px;
  flex-wrap: wrap; }}
.big {{ font-size: 34px; font-weight: 700; }} .sub {{ color: #555; }}
table {{ border-collapse: collapse; margin: 8px 0; font-size: 14px; }}
th {{ text-align: left; font-weight: 500; color: #555; padding: 3px 18px 3px 0; }}
td {{ text-align: right; font-variant-numeric: tabular-nums; }}
.badge {{ padding: 2px 10px; border-radius: 10px; font-size: 13px; }}
.ok {{ background: #dff3e4; color: #14532d; }} .drift {{ background: #fdecc8; color: #713f12; }}
.error {{ background: #fde2e1; color: #7f1d1d; }}
.problems li {{ margin-bottom: 6px; }} .advice {{ color: #555; font-size: 13px; }}
@media print {{ header {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }} }}
</style></head><body>
<header>{_logo(report)}<div><h1>{html.escape(report.brand)}: audience report</h1>
<p>{report.start} to {report.end} ({report.period_days} days) · made
{html.escape(report.generated_at[:16].replace("T", " "))} UTC by brandkit</p></div></header>
<main>{body}</main></body></html>
"""


def report_markdown(report: Report) -> str:
    lines = [
        f"# {report.brand}: audience report",
        f"{report.start} to {report.end} ({report.period_days} days)",
        "",
    ]
    for a in report.accounts:
        audience = _number(a.audience) if a.audience is not None else "—"
        status = {"ok": "on-brand", "drift": f"off-brand ({a.status_detail})"}.get(
            a.status, "not checked"
        )
        lines += [
            f"## {a.platform_label} · {a.account}",
            f"**{audience}** audience, {_change(a)}; {status}"
            + (f", last change {a.last_change[:10]}" if a.last_change else ""),
            "",
            "| figure | value |",
            "|---|---|",
            *[f"| {label} | {_number(value)} |" for label, value in a.figures],
            "",
        ]
        for p in a.problems:
            lines.append(f"- {p.at[:16].replace('T', ' ')} {p.detail} — {p.advice}")
        if a.problems:
            lines.append("")
    return "\n".join(lines)
