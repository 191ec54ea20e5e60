"""Text from a platform or a spec, made safe for where it is written: a terminal, Markdown, XML.

HTML has the standard library's ``html.escape``; the other targets have no such function, so
they are here, in one place. Every platform answer is untrusted (a bio can hold ESC sequences
that retitle a terminal, a ``\\r`` that splits a Markdown table row, a ``|`` that shifts its
columns, markup and links that a chat renders).
"""

from __future__ import annotations

import re

__all__ = ["comment_text", "css_families", "css_string", "md", "plain", "xml_text"]

# C0 and C1 control characters and DEL, except tab and newline
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# bidirectional overrides and isolates: they reorder what a person reads (Trojan Source)
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# what XML 1.0 cannot hold at all, even escaped
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# what Markdown (CommonMark and GitHub's) reads as markup inside a line
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def plain(text: object) -> str:
    """One line for a terminal or a log: control characters (ESC, OSC, ``\\r``) and
    direction overrides removed, line breaks as spaces."""
    value = _BIDI.sub("", _CONTROL.sub("", str(text)))
    return value.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def md(text: object) -> str:
    """Text inside a Markdown line or table cell: plain, with every markup character escaped
    (no heading, link, image, HTML or column break can come through)."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text))


# CSS's generic families are keywords: quoted, they would name a font called "serif"
GENERIC_FAMILIES = frozenset(
    {
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-serif",
        "ui-sans-serif",
        "ui-monospace",
        "ui-rounded",
        "emoji",
        "math",
        "fangsong",
    }
)


# characters no real font family has, and which could end a CSS string or declaration; they
# are dropped rather than escaped, because a backslash escape does not survive every template
# engine (MJML's raw blocks double it, which ends the string)
_NOT_IN_FAMILY = re.compile(r"""['"\\;{}<>()\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]""")


def css_string(text: object) -> str:
    """A font family as a CSS string (single-quoted, as e-mail templates write them): nothing
    in it can end the string, the declaration or the style sheet."""
    return "'" + " ".join(_NOT_IN_FAMILY.sub("", str(text)).split()) + "'"


def css_families(families: list[str]) -> str:
    """A ``font-family`` value: each family a CSS string, the generic keywords as they are."""
    return ", ".join(f if f.lower() in GENERIC_FAMILIES else css_string(f) for f in families)


def comment_text(text: object) -> str:
    """Text inside a one-line comment (CSS ``/* */``, SCSS ``//``, YAML ``#``): one line, and
    nothing that ends a CSS comment."""
    return plain(text).replace("*/", "* /")


def xml_text(text: object) -> str:
    """Text XML 1.0 can hold (then escaped by the XML writer): illegal characters removed."""
    return _NOT_XML.sub("", _BIDI.sub("", str(text)))
