"""A self-contained HTML report: each account's status and, for image drift, the live and the
expected image side by side (embedded, so the page can be attached to a CI run)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import typing as t
from pathlib import Path

from PIL import Image, ImageOps

from brandkit._version import __version__
from brandkit.i18n import _, current_language, localize
from brandkit.reports.formats import status_word
from brandkit.sync.compare import changed_areas
from brandkit.sync.model import Change, ImageChange, Plan
from brandkit.sync.worddiff import is_markup, visible_text, word_runs

__all__ = ["html_report"]

_COLOURS = {"ok": "#1a7f37", "drift": "#9a6700", "error": "#cf222e"}


def _img(path: str | None) -> str:
    if not path:
        said = _("no image")
        return f'<div class="none">{said}</div>'
    try:
        data = Path(path).read_bytes()
    except OSError:
        said = _("image unavailable")
        return f'<div class="none">{said}</div>'
    kind = "png" if data[:4] == b"\x89PNG" else "gif" if data[:3] == b"GIF" else "jpeg"
    return f'<img src="data:image/{kind};base64,{base64.b64encode(data).decode()}" alt="">'


def _difference(live: str | None, expected: str | None) -> str:
    """The expected image in grey with the places the live one differs in red, by the measure
    the check itself uses (a platform's re-encoding alone paints nothing): where to look."""
    if not live or not expected:
        return ""
    try:
        changed = changed_areas(Path(live).read_bytes(), Path(expected).read_bytes())
        with Image.open(expected) as b_file:
            grey = ImageOps.grayscale(b_file.convert("RGB")).point(lambda v: 160 + v // 3)
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    marked = Image.composite(
        Image.new("RGB", grey.size, (230, 30, 40)), grey.convert("RGB"), changed
    )
    marked.thumbnail((480, 480))
    buffer = io.BytesIO()
    marked.save(buffer, "PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    alt, caption = html.escape(_("where they differ")), _("where they differ (red)")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _change(c: Change) -> str:
    empty = _("(empty)")
    if isinstance(c, ImageChange):
        how = localize(c.distance) if c.distance else _("missing")
        live, expected = _("live"), _("expected")
        return (
            f'<div class="img"><h4>{html.escape(c.field)} '
            f"<small>{html.escape(how)}</small></h4>"
            f"<figure>{_img(c.live_image)}<figcaption>{live}</figcaption></figure>"
            f"<figure>{_img(c.new_image)}<figcaption>{expected}</figcaption></figure>"
            f"{_difference(c.live_image, c.new_image)}</div>"
        )
    guard = (
        '<td class="guard">' + html.escape(_("needs --force: {why}").format(why=c.unsafe)) + "</td>"
        if c.unsafe
        else "<td></td>"
    )
    if is_markup(c.after):
        return _document_change(c, guard)
    after = html.escape(str(c.after or empty))
    if isinstance(c.before, str) and isinstance(c.after, str) and c.before and c.after:
        after = _marked(c.before, c.after)
    return (
        f"<tr><th>{html.escape(c.field)}</th><td "
        f'class="old">{html.escape(str(c.before or empty))}</td>'
        f'<td class="new">{after}</td>{guard}</tr>'
    )


def _document_change(c: Change, guard: str) -> str:
    """A changed document (a newsletter template): the words a reader sees that changed, and
    the two renderings side by side, each in a sandboxed frame (no scripts, no requests to
    this page)."""
    after = str(c.after)
    live, spec = _("live"), _("spec")
    shown = [(after, spec)]
    if is_markup(c.before):
        before = str(c.before)
        seen_before, seen_after = visible_text(before), visible_text(after)
        if seen_before == seen_after:
            words = html.escape(_("the visible text is the same; only the markup changed"))
        else:
            words = _marked(seen_before, seen_after)
        shown.insert(0, (before, live))
    else:  # the platform gives back a fingerprint, not the document (Mailchimp's templates)
        words = html.escape(
            _("the live one cannot be read back ({live}); the spec's:").format(
                live=c.before or _("(empty)")
            )
        )
    frames = "".join(
        f'<figure><iframe sandbox="" referrerpolicy="no-referrer" loading="lazy" '
        f'srcdoc="{html.escape(doc, quote=True)}"></iframe><figcaption>{label}</figcaption>'
        "</figure>"
        for doc, label in shown
    )
    return (
        f'<tr><th>{html.escape(c.field)}</th><td colspan="2" class="new">{words}'
        f'<div class="doc">{frames}</div></td>{guard}</tr>'
    )


def _marked(before: str, after: str) -> str:
    """The expected text with the words that differ from the live one marked."""
    out = []
    for op, old, new in word_runs(before, after):
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(old)}</del>")
        if op != "delete":
            out.append(f"<ins>{html.escape(new)}</ins>" if op != "equal" else html.escape(new))
    return "".join(out)


def _made(plan: Plan) -> str:
    """Which specs, when, by which brandkit: a report read a week later says what it is."""
    specs = sorted({a.spec for a in plan.accounts if a.spec})
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    named = ", ".join(specs) or _("no spec")
    return f"{named} · {when} · brandkit {__version__}"


def html_report(plan: Plan, title: str = "brandkit check") -> str:
    sections: list[str] = []
    for a in plan.accounts:
        text_rows = "".join(_change(c) for c in a.changes if c.kind == "text")
        images = "".join(_change(c) for c in a.changes if c.kind == "image")
        live, spec = _("live"), _("spec")
        table = (
            f"<table><tr><th></th><th>{live}</th><th>{spec}</th><th></th></tr>{text_rows}</table>"
            if text_rows
            else ""
        )
        error = f'<p class="error">{html.escape(localize(a.error))}</p>' if a.error else ""
        if a.cannot_write:
            said = _("apply cannot write here: {why}").format(why=localize(a.cannot_write))
            error += f'<p class="guard">{html.escape(said)}</p>'
        status = html.escape(status_word(a.status).strip())
        sections.append(
            '<section><h2><span class="badge" '
            f'style="background:{_COLOURS[a.status]}">{status}</span> '
            f"{html.escape(a.brand)} · "
            f"{html.escape(a.platform)}:{html.escape(a.account)}</h2>{error}{table}{images}</section>"
        )
    body: t.Any = "".join(sections)
    return f"""<!doctype html>
<html lang="{current_language()}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:32px;color:#1f2328;background:#f6f8fa}}
section{{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;
 margin:0 0 16px}}
.badge{{color:#fff;border-radius:12px;padding:2px 10px;font-size:13px;vertical-align:middle}}
table{{border-collapse:collapse;margin:8px 0}}
th,td{{text-align:left;padding:4px 12px;border-bottom:1px solid #eee;vertical-align:top}}
.old{{background:#ffebe9}} .new{{background:#dafbe1}} .error{{color:#cf222e}}
.guard{{color:#9a6700;font-weight:600}}
del{{background:#ffb3ad;text-decoration:line-through}}
ins{{background:#8ce99a;text-decoration:none}}
.meta{{color:#57606a}}
.img figure{{display:inline-block;margin:0 16px 0 0}}
.img img{{max-width:480px;max-height:240px;border:1px solid #d0d7de}}
.doc figure{{display:inline-block;margin:8px 16px 0 0}}
.doc iframe{{width:360px;height:420px;border:1px solid #d0d7de;background:#fff}}
.none{{width:240px;height:120px;display:flex;align-items:center;justify-content:center;background:#eee;color:#666}}
</style></head><body><h1>{html.escape(title)}</h1>
<p class="meta">{html.escape(_made(plan))}</p>
<p>{html.escape(localize(plan.summary()))}</p>{body}</body></html>
"""
