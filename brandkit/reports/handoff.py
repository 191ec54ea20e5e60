"""The hand-off: one printable page, in the brand's language, with what a person must change
where no API can (an organization's avatar on GitHub, a channel's name on YouTube, everything on
Instagram and LinkedIn): per account, each field, where to click, and the exact text to paste or
the file to upload, copied beside the page."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from brandkit import platforms
from brandkit._files import atomic_write
from brandkit.i18n import _, current_language, localize, use_language
from brandkit.sync.model import Change, ImageChange, Plan

__all__ = ["write_handoff"]


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "file"


def _where(text: str) -> str:
    """Where to click: a leading https address becomes a link (escaped for the attribute)."""
    m = re.match(r"(https://[^\s:]+(?::\d+)?[^\s]*?)(:\s|$)(.*)", text, re.S)
    if not m:
        return html.escape(text)
    url = m.group(1)
    rest = f": {html.escape(m.group(3))}" if m.group(3) else ""
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>{rest}'


def _field(change: Change, files: Path) -> str:
    where = _where(localize(change.by_hand or ""))
    if isinstance(change, ImageChange):
        source = Path(change.new_image or change.after)
        name = _safe(f"{change.platform}-{change.account}-{change.field}") + source.suffix
        shutil.copyfile(source, files / name)
        upload = _("upload this file")
        what = (
            f'<figure><img src="files/{html.escape(name, quote=True)}" alt="">'
            f"<figcaption>{upload}: <code>files/{html.escape(name)}</code></figcaption></figure>"
        )
    else:
        value = change.after if isinstance(change.after, str) else ", ".join(map(str, change.after))
        paste = _("paste this text")
        what = f"<p>{paste}:</p><pre>{html.escape(value)}</pre>"
    return (
        f'<tr><th>{html.escape(change.field)}</th><td><p class="where">{where}</p>{what}</td></tr>'
    )


def write_handoff(plan: Plan, out: Path, language: str = "en") -> tuple[Path, int]:
    """Write ``out/index.html`` and ``out/files/``; the page and the number of fields on it."""
    files = out / "files"
    files.mkdir(parents=True, exist_ok=True)
    before = current_language()
    use_language(language)
    try:
        sections, count = [], 0
        for account in plan.accounts:
            by_hand = [c for c in account.changes if c.by_hand]
            if not by_hand:
                continue
            count += len(by_hand)
            label = platforms.platform(account.platform).label
            rows = "".join(_field(c, files) for c in by_hand)
            sections.append(
                f"<section><h2>{html.escape(label)} · {html.escape(account.account)}</h2>"
                f"<table>{rows}</table></section>"
            )
        title = _("What to change by hand")
        if not sections:
            nothing = _(
                "Nothing to change by hand: every account is as the spec says, or brandkit "
                "can write it."
            )
            sections.append(f"<p>{html.escape(nothing)}</p>")
        brands = ", ".join(sorted({a.brand for a in plan.accounts}))
        intro = _(
            "These platforms offer no API for these fields: change them by hand, then run "
            "brandkit check again."
        )
        page = f"""<!doctype html>
<html lang="{html.escape(current_language())}"><head><meta charset="utf-8">
<title>{html.escape(title)} · {html.escape(brands)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:32px;color:#1f2328;max-width:960px}}
h1{{font-size:24px}} h2{{font-size:18px;margin:24px 0 8px}}
table{{border-collapse:collapse;width:100%}}
th{{text-align:left;vertical-align:top;padding:8px 12px 8px 0;width:140px}}
td{{padding:8px 0;border-top:1px solid #d0d7de}}
pre{{white-space:pre-wrap;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;
 padding:8px 12px;font-size:14px}}
img{{max-width:360px;max-height:240px;border:1px solid #d0d7de;border-radius:6px}}
.where{{margin:0 0 6px}}
@media print{{body{{margin:12mm}} section{{break-inside:avoid}} a{{color:inherit}}}}
</style></head><body>
<h1>{html.escape(title)} · {html.escape(brands)}</h1>
<p>{html.escape(intro)}</p>
{"".join(sections)}
</body></html>
"""
    finally:
        use_language(before)
    index = out / "index.html"
    atomic_write(index, page.encode())
    return index, count
