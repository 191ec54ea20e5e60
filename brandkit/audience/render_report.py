"""The report as a self-contained HTML page (inline SVG charts, the logo embedded, no script,
prints on A4) and as Markdown (an e-mail or a chat message)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import textwrap
import typing as t

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from brandkit.audience.report import AccountReport, Report
from brandkit.i18n import Words, cldr_locale, words_in
from brandkit.textsafe import md

__all__ = ["report_html", "report_markdown", "trend_svg"]


class _Say:
    """The report's words (the catalogue) and its numbers and dates (CLDR, through Babel), in one
    language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.words: Words = words_in(language)
        self.locale = cldr_locale(language)

    def __call__(self, text: str) -> str:
        return self.words(text)

    def number(self, value: t.Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "—"  # not a number: nothing from a platform is written as it came
        pattern = "#,##0.00" if isinstance(value, float) else "#,##0"
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def signed(self, value: float, digits: int = 0) -> str:
        pattern = "+#,##0;-#,##0" if not digits else "+#,##0.0;-#,##0.0"
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def percent(self, value: float) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "—"  # not a number: nothing from a platform is written as it came
        return str(format_percent(value, format="#,##0.0 %", locale=self.locale))

    def date(self, iso: str) -> str:
        try:
            day = dt.date.fromisoformat(iso[:10])
        except ValueError:
            return iso
        return str(format_date(day, format="medium", locale=self.locale))


def _change(account: AccountReport, say: _Say) -> str:
    if account.change is None:
        return say("no earlier figure in this period yet")
    pct = f" ({say.percent(account.change_pct / 100)})" if account.change_pct is not None else ""
    return f"{say.signed(account.change)}{pct}"


def trend_svg(
    points: t.Sequence[tuple[str, int]],
    colour: str,
    width: int = 320,
    words: t.Callable[[str], str] | None = None,
) -> str:
    """A line chart of the audience per day, with its first and last day and the range."""
    _ = words or (lambda text: text)
    height, pad = 96, 6
    if len(points) < 2:
        label, said = _("not enough days yet"), _("one day so far: the trend starts tomorrow")
        # SVG text does not wrap: lines of what fits at 12 px (~6.5 px a character)
        lines = textwrap.wrap(said, width=max(10, (width - 16) * 10 // 65))
        spans = "".join(
            f'<tspan x="8" dy="{0 if i == 0 else 16}">{html.escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        return (
            f'<svg class="trend" width="{width}" height="{height}" role="img" '
            f'aria-label="{html.escape(label)}"><text x="8" y="{50 - 8 * (len(lines) - 1)}" '
            f'font-size="12" fill="#777">{spans}</text></svg>'
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
    label = _("audience from {low} to {high}, {start} to {end}").format(
        low=f"{low:,}", high=f"{high:,}", start=points[0][0], end=points[-1][0]
    )
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


def _status(account: AccountReport, _: _Say) -> str:
    since = (
        " · " + _("last change {date}").format(date=_.date(account.last_change))
        if account.last_change
        else ""
    )
    if account.status == "ok":
        said = _("on-brand")
        return f'<span class="badge ok">{said}</span>{since}'
    if account.status == "drift":
        said = _("off-brand: {fields}").format(fields=html.escape(account.status_detail))
        return f'<span class="badge drift">{said}</span>{since}'
    said = _("not checked (see problems)")
    return f'<span class="badge error">{said}</span>'


def _account_html(account: AccountReport, colour: str, _: _Say) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(_(label))}</th><td>{_.number(value)}</td></tr>"
        for label, value in account.figures
    )
    campaign = ""
    if account.last_campaign:
        c = account.last_campaign
        said = _(
            "Last campaign: <b>{title}</b>, sent {date} to {count} subscribers; opened by "
            "{opened}, clicked by {clicked}"
        ).format(
            title=html.escape(str(c.get("title") or "")),
            date=html.escape(_.date(str(c.get("send_time") or ""))),
            count=_.number(c.get("emails_sent") or 0),
            opened=_.percent(c.get("open_rate") or 0),
            clicked=_.percent(c.get("click_rate") or 0),
        )
        campaign = f"<p class='campaign'>{said}</p>"
    problems = "".join(
        f"<li><b>{html.escape(p.at[:16].replace('T', ' '))}</b> {html.escape(p.detail)}"
        f"<br><span class='advice'>{html.escape(_(p.advice))}</span></li>"
        for p in account.problems
    )
    audience = _.number(account.audience) if account.audience is not None else "—"
    problems_title = _("Problems this period")
    audience_word = _("audience")
    return f"""<section class="account">
<h2>{html.escape(account.platform_label)} · {html.escape(account.account)}</h2>
<div class="head"><div><div class="big">{audience}</div>
<div class="sub">{audience_word} · {html.escape(_change(account, _))}</div></div>
{trend_svg(account.trend, colour, words=_)}</div>
<p>{_status(account, _)}</p>
<table>{rows}</table>{campaign}
{f'<h3>{problems_title}</h3><ul class="problems">{problems}</ul>' if problems else ""}
{f'<p class="error">{html.escape(account.error)}</p>' if account.error else ""}
</section>"""


def report_html(report: Report, language: str | None = None) -> str:
    """The page in ``language`` (default: the brand's, ``identity.language``)."""
    _ = _Say(language or report.language)
    primary, on_primary, accent = report.colours
    body = "".join(_account_html(a, primary, _) for a in report.accounts)
    title = _("{brand}: audience report").format(brand=html.escape(report.brand))
    period = _("{start} to {end} ({days} days) · made {time} UTC by brandkit").format(
        start=_.date(report.start),
        end=_.date(report.end),
        days=report.period_days,
        time=html.escape(report.generated_at[:16].replace("T", " ")),
    )
    return f"""<!doctype html>
<html lang="{html.escape(_.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — {_.date(report.start)} – {_.date(report.end)}</title>
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
<header>{_logo(report)}<div><h1>{title}</h1>
<p>{period}</p></div></header>
<main>{body}</main></body></html>
"""


def report_markdown(report: Report, language: str | None = None) -> str:
    """The report for an e-mail or a chat, in ``language`` (default: the brand's): its words,
    numbers and dates. Whatever came from a platform or the spec is escaped for Markdown."""
    _ = _Say(language or report.language)
    lines = [
        "# " + md(_("{brand}: audience report").format(brand=report.brand)),
        _("{start} to {end} ({days} days)").format(
            start=_.date(report.start), end=_.date(report.end), days=report.period_days
        ),
        "",
    ]
    for a in report.accounts:
        audience = _.number(a.audience) if a.audience is not None else "—"
        if a.status == "ok":
            status = _("on-brand")
        elif a.status == "drift":
            status = _("off-brand ({fields})").format(fields=md(a.status_detail))
        else:
            status = _("not checked")
        if a.last_change:
            status += _(", last change {date}").format(date=_.date(a.last_change))
        figure, value = _("figure"), _("value")
        lines += [
            f"## {md(a.platform_label)} · {md(a.account)}",
            _("**{audience}** audience, {change}; {status}").format(
                audience=audience, change=_change(a, _), status=status
            ),
            "",
            f"| {md(figure)} | {md(value)} |",
            "|---|---|",
            *[f"| {md(_(label))} | {_.number(value)} |" for label, value in a.figures],
            "",
        ]
        for p in a.problems:
            when = md(p.at[:16].replace("T", " "))
            lines.append(f"- {when} {md(p.detail)} — {md(_(p.advice))}")
        if a.problems:
            lines.append("")
    return "\n".join(lines)
