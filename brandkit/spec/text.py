"""The text each account gets from a spec, and where in the spec each value comes from.

Computed once, while the spec is validated (text limits are checked on exactly what will be
sent), and kept on each :class:`~brandkit.spec.model.Account` for the adapters. Which field
comes from where is data: ``platforms.<name>.text`` in ``schemas/platforms.json``.
"""

from __future__ import annotations

import re
import typing as t
import unicodedata

from brandkit import platforms
from brandkit.spec.graphemes import count_graphemes
from brandkit.spec.issues import JsonPath

__all__ = ["TextValue", "account_text", "get_path", "mastodon_countable", "measure"]

# Mastodon's NoteLengthValidator (mastodon/mastodon@03006bd app/validators/note_length_validator.rb)
# counts graphemes of the note after every autolinkable http(s) URL becomes 23 characters and
# every remote mention @user@host becomes @user. A URL is autolinked only after a character
# that is not a letter, digit, @, $ or # (twitter-text's valid_url_preceding_chars), and that
# character is part of the match Mastodon replaces, so it is not counted either.
_MASTODON_URL = re.compile(
    r"(?:^|[^A-Za-z0-9@\uff20$#\uff03])"
    r"https?://[\w-]+(?:\.[\w-]+)+(?::\d+)?"
    r"(?:/(?:[^\s?]*[\w=#/+\-])?)?"
    r"(?:\?[^\s]*[\w&=#/\-])?",
    re.IGNORECASE,
)
_MASTODON_MENTION = re.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(?:@\w+(?:[.-]+\w+)*)?", re.IGNORECASE
)


def mastodon_countable(text: str) -> str:
    """The note as Mastodon measures it: links as 23 characters, remote mentions as @user."""
    return _MASTODON_MENTION.sub(r"@\1", _MASTODON_URL.sub("x" * 23, text))


class TextValue(t.NamedTuple):
    value: str
    source: JsonPath  # where the user wrote it, for error messages


def measure(text: str, count: str) -> int:
    """Length the way a platform counts it: characters (NFC code points), UTF-8 bytes,
    graphemes (what a person sees as one character: Bluesky), or "mastodon" (graphemes, each
    link 23, a remote mention by its local part)."""
    if count == "bytes":
        return len(text.encode("utf-8"))
    if count == "graphemes":
        return count_graphemes(text)
    if count == "mastodon":
        return count_graphemes(mastodon_countable(text))
    # Twitter normalises to NFC before counting; an "é" typed as e + accent is one character.
    return len(unicodedata.normalize("NFC", text))


def get_path(data: t.Any, *path: str | int) -> t.Any:
    """``data[path[0]][path[1]]...``, or None where any step is missing or of another type."""
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and 0 <= part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _json_path(dotted: str, index: int) -> JsonPath:
    head, *rest = dotted.split(".")
    return (("accounts", index) if head == "account" else (head,)) + tuple(rest)


def _first(data: t.Any, index: int, sources: t.Iterable[str]) -> TextValue | None:
    for dotted in sources:
        path = _json_path(dotted, index)
        value = get_path(data, *path)
        if isinstance(value, str) and value:
            # sent as measured: an "é" typed as e + accent (NFD) is one character to X, but only
            # once composed; sending the NFD text gets it refused as too long
            return TextValue(unicodedata.normalize("NFC", value), path)
    return None


def account_text(data: t.Mapping[str, t.Any], index: int) -> dict[str, TextValue]:
    """The text fields ``accounts[index]`` gets, from raw spec data (schema-valid or not).

    Each field takes the first of its sources that the spec sets (the account's own value, then
    e.g. ``identity.bio.platforms.<platform>``, then the general identity value). A field with
    ``if_too_long`` takes that value instead when the identity's is over the platform's limit
    (``identity.short_name`` exists for exactly this).
    """
    platform = get_path(data, "accounts", index, "platform")
    info = platforms.all_platforms().get(platform) if isinstance(platform, str) else None
    if info is None:
        return {}
    out: dict[str, TextValue] = {}
    for field in info.text:
        value = _first(data, index, field.sources)
        if (
            value is not None
            and field.if_too_long
            and field.limit
            and value.source[0] != "accounts"
            and measure(value.value, field.limit.unit) > field.limit.max
        ):
            value = _first(data, index, (field.if_too_long,)) or value
        if value is not None:
            out[field.name] = value
    return out
