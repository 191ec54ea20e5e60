"""How brandkit tells whether a Mailchimp template is still the one it wrote.

Mailchimp never gives a template's HTML back (the template object has no ``html``; Mailchimp's
OpenAPI ``TemplateInstance``), so brandkit cannot compare what is there with what it would
write. It can read two things: ``GET /templates/{id}/default-content`` returns the content of
each editable region (``mc:edit``), and the template object carries ``date_edited``. So, when
brandkit writes a template, it adds one hidden editable region holding the sha256 of the HTML it
wrote and the time it wrote it (by Mailchimp's clock, from the ``Date`` header of the answer just
before). The template is in sync when that hash is the hash of what brandkit would write now,
and Mailchimp has not edited it since (``date_edited`` no later than the written time plus
``EDIT_TOLERANCE``). The evidence lives in the template itself, so a fresh CI checkout, with no
local state, can check it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import typing as t

__all__ = ["EDIT_TOLERANCE", "REGION", "fingerprint", "live_value", "stamp"]

REGION = "brandkit_fingerprint"
# seconds between the answer whose Date brandkit records and Mailchimp's own date_edited
EDIT_TOLERANCE = 120.0
_BLOCK = re.compile(r'<div mc:edit="' + REGION + r'"[^>]*>.*?</div>', re.DOTALL)
_STAMP = re.compile(r"brandkit sha256:([0-9a-f]{16}) written (\S+)")


def _normalise(html: str) -> str:
    return re.sub(r"\s+", " ", _BLOCK.sub("", html)).replace("> <", "><").strip()


def fingerprint(html: str) -> str:
    """``sha256:<16 hex>`` of the template's HTML, whitespace folded, its own stamp left out."""
    return "sha256:" + hashlib.sha256(_normalise(html).encode("utf-8")).hexdigest()[:16]


def stamp(html: str, written_at: dt.datetime) -> str:
    """``html`` with the hidden region that records what brandkit wrote, and when."""
    digest = fingerprint(html).removeprefix("sha256:")
    when = written_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    block = (
        f'<div mc:edit="{REGION}" style="display:none;max-height:0;overflow:hidden;mso-hide:all">'
        f"brandkit sha256:{digest} written {when}</div>"
    )
    clean = _BLOCK.sub("", html)
    at = clean.lower().rfind("</body>")
    return clean[:at] + block + clean[at:] if at >= 0 else clean + block


def _time(text: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def live_value(template: t.Mapping[str, t.Any], sections: t.Mapping[str, t.Any]) -> str:
    """What the template on Mailchimp is, in words a plan can show: the fingerprint brandkit
    wrote (equal to ``fingerprint(desired html)`` when in sync), or why it is not that."""
    kind = template.get("content_type")
    if kind == "multichannel" or template.get("drag_and_drop"):
        return f"a {kind or 'drag-and-drop'} template made in Mailchimp's editor"
    found = _STAMP.search(str(sections.get(REGION) or ""))
    edited = _time(str(template.get("date_edited") or ""))
    if found is None:
        return "a template brandkit did not write" + (
            f" (edited {edited:%Y-%m-%d %H:%M})" if edited else ""
        )
    written = _time(found.group(2))
    if edited and written and (edited - written).total_seconds() > EDIT_TOLERANCE:
        return f"sha256:{found.group(1)}, then edited in Mailchimp on {edited:%Y-%m-%d %H:%M} UTC"
    return f"sha256:{found.group(1)}"
