"""Sending alerts and reports through apprise URLs (Slack, Teams, Discord, Matrix, e-mail, JSON
webhooks...). A URL carries its secret (a webhook token, an SMTP password), so it is never
printed, stored or put in an error: targets are named by what the person typed (``env:VAR``) or
by their scheme alone, and stored by a hash."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import typing as t

from brandkit.errors import BrandkitError

__all__ = ["NotifyError", "Target", "deliver", "resolve_targets"]

EMAIL_SCHEMES = ("mailto", "mailtos")


class NotifyError(BrandkitError):
    """A notification target that cannot be used as given (not a URL, an unset variable)."""


@dataclasses.dataclass(frozen=True)
class Target:
    url: str = dataclasses.field(repr=False)
    shown: str  # what messages call it: "env:SLACK_URL" or "slack://…"

    @property
    def key(self) -> str:
        """How the history names this target: a hash, never the URL."""
        return hashlib.sha256(self.url.encode()).hexdigest()[:20]

    @property
    def scheme(self) -> str:
        """The URL's scheme when it has one that looks like a scheme (never any other part of
        the value: a value without ``://`` may be a secret path)."""
        scheme = self.url.split("://", 1)[0].lower() if "://" in self.url else ""
        return scheme if re.fullmatch(r"[a-z][a-z0-9+.-]{0,20}", scheme) else "?"

    @property
    def is_email(self) -> bool:
        return self.scheme in EMAIL_SCHEMES


def resolve_targets(given: t.Sequence[str], env: t.Mapping[str, str]) -> list[Target]:
    """``--notify`` / ``--send`` values: a URL, or ``env:VAR`` naming the variable holding one."""
    out = []
    for item in given:
        if item.startswith("env:"):
            var = item[4:]
            url = env.get(var, "").strip()
            if not url:
                raise NotifyError(f"notification target {item}: {var} is not set (or is empty)")
            if "://" not in url:
                raise NotifyError(
                    f"notification target {item}: the value of {var} is not a URL (value not "
                    "shown); give an apprise URL such as slack://…, json://host/path or mailtos://…"
                )
            out.append(Target(url, item))
        elif "://" in item:
            out.append(Target(item, item.split("://", 1)[0] + "://…"))
        else:
            raise NotifyError(
                f"notification target {item.split(':', 1)[0]!r}…: not a URL; give an apprise URL "
                "(e.g. json://host/path, mailtos://…) or env:VAR naming a variable that holds one"
            )
    return out


def _redact(text: str, url: str) -> str:
    """``text`` with the URL and every piece of it that could be a secret taken out."""
    pieces = sorted(
        {p for p in re.split(r"[/:@?&=#]+", url.split("://", 1)[-1]) if len(p) >= 6},
        key=len,
        reverse=True,
    )
    text = text.replace(url, "…")
    for piece in pieces:
        text = text.replace(piece, "…")
    return text


def deliver(target: Target, title: str, body: str, *, html: bool = False) -> str | None:
    """Send one message; None when it went, else why not (with no secret in it)."""
    import apprise  # imported here: only commands that send pay for it (~0.2 s)

    sender = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING) as log:
        if not sender.add(target.url):
            return f"{target.shown}: not a notification URL apprise knows ({target.scheme}://)"
        body_format = apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.MARKDOWN
        sent = sender.notify(title=title, body=body, body_format=body_format)
        said = log.getvalue() if hasattr(log, "getvalue") else ""
    if sent:
        return None
    reason = next((ln.strip() for ln in said.splitlines() if ln.strip()), "no reason given")
    reason = re.sub(r"^.*? - [A-Z]+ - ", "", reason)  # the log line's time and level
    return f"{target.shown}: not delivered ({_redact(reason, target.url)[:200]})"
