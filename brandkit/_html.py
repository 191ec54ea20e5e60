"""HTML escaping without the ``html`` module, which imports its 2,000-entry entity table (2.5 ms)
on the way: the renderer writes a few attributes and a newsletter, and starts faster without it."""

from __future__ import annotations

__all__ = ["escape"]


def escape(text: str, quote: bool = True) -> str:
    """``html.escape``: ``& < >`` always, and both quotes when ``quote``."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text
