"""The plan as a pull request's review comment (issue #31): per account the fields that change
(text as a word diff), the live and the new image side by side as thumbnails, what needs
``--force`` and why, what must be changed by hand; one summary line; within GitHub's 65,536
characters (what does not fit is left to the plan file, and the comment says so).

Thumbnails are files written beside the comment (``thumbnails/``) and referred to by
``images_url`` + their name: the CI job uploads them with the plan as the run's artifact, or
publishes them where the forge can show them (docs/ci.md says which and why). Everything the
platforms or the spec say is escaped for Markdown.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from PIL import Image

from brandkit.reports.formats import status_word
from brandkit.sync.model import AccountPlan, ImageChange, Plan, TextChange
from brandkit.sync.worddiff import word_runs
from brandkit.textsafe import md

__all__ = ["MARKER", "LIMIT", "plan_review"]

MARKER = "<!-- brandkit-plan -->"  # how the action finds its own comment again
LIMIT = 65_536  # characters GitHub takes in one comment
THUMB = 320  # px, the longer side


def _thumbnail(path: str | None, folder: Path) -> str | None:
    """A small copy of ``path`` in ``folder``, named by its content; its name."""
    if not path or not Path(path).is_file():
        return None
    data = Path(path).read_bytes()
    name = hashlib.sha256(data).hexdigest()[:16] + ".png"
    target = folder / name
    if not target.exists():
        try:
            with Image.open(path) as image:
                image.thumbnail((THUMB, THUMB))
                image.convert("RGBA").save(target, "PNG")
        except (OSError, ValueError):
            shutil.copyfile(path, target)
    return name


def _words(change: TextChange) -> str:
    before, after = change.before, change.after
    if not isinstance(before, str) or not isinstance(after, str) or len(after) > 2000:
        shown = after if isinstance(after, str) and len(after) <= 300 else "…"
        return md(shown if not isinstance(after, list) else ", ".join(map(str, after)))
    out = []
    for op, old, new in word_runs(before, after):
        if op in ("delete", "replace") and old.strip():
            out.append(f"~~{md(old.strip())}~~ ")
        if op in ("insert", "replace") and new.strip():
            out.append(f"**{md(new.strip())}** ")
        if op == "equal":
            out.append(md(new))
    return "".join(out).strip()


def _account(account: AccountPlan, folder: Path, images_url: str) -> str:
    status = md(status_word(account.status).strip())
    lines = [f"#### {md(account.platform)}:{md(account.account)} · {status}"]
    if account.error:
        lines.append(f"> ❌ {md(account.error)}")
    texts = [c for c in account.changes if isinstance(c, TextChange)]
    if texts:
        lines += ["", "| field | change |", "|---|---|"]
        lines += [f"| {md(c.field)} | {_words(c)} |" for c in texts]
    for change in (c for c in account.changes if isinstance(c, ImageChange)):
        live = _thumbnail(change.live_image, folder)
        new = _thumbnail(change.new_image or change.after, folder)
        shown = [
            f"![live]({images_url}{live})" if live else "_(no image)_",
            f"![new]({images_url}{new})" if new else "_(missing)_",
        ]
        lines += ["", f"**{md(change.field)}**: live → new", "", " → ".join(shown)]
    for each in account.changes:
        if each.unsafe:
            lines.append(f"\n⚠️ {md(each.field)} needs `--force`: {md(each.unsafe)}")
        if each.by_hand:
            lines.append(f"\n✋ {md(each.field)}: change by hand, {md(each.by_hand)}")
    return "\n".join(lines)


def plan_review(
    plan: Plan, folder: Path, images_url: str = "thumbnails/", plan_link: str = ""
) -> str:
    """The comment's Markdown; thumbnails are written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    head = f"{MARKER}\n### brandkit plan: {md(plan.summary())}\n"
    tail_left = (
        "\n\n_{count} more account(s) did not fit in this comment: see the full plan{where}._"
    )
    body, left = [], 0
    size = len(head) + len(tail_left) + 200
    for account in plan.accounts:
        if not account.changes and not account.error:
            continue
        part = _account(account, folder, images_url)
        if size + len(part) + 2 > LIMIT:
            left += 1
            continue
        body.append(part)
        size += len(part) + 2
    text = head + ("\n" + "\n\n".join(body) if body else "\nEvery account is as the spec says.")
    if left:
        # a link only to an https address (the run's artifact page); never text from a platform
        where = (
            f" ([the plan file]({plan_link}))"
            if plan_link.startswith("https://") and not set(plan_link) & set("()<>[] \n")
            else " (the plan file in this run's artifact)"
        )
        text += tail_left.format(count=left, where=where)
    return text + "\n"
