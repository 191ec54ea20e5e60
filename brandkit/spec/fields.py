"""The text each platform gets from a spec, and where in the spec each value comes from.

Shared by validation (text limits are checked on exactly what will be sent) and by the
adapters (desired state).
"""

from __future__ import annotations

import typing as t
import unicodedata

from brandkit.spec.issues import JsonPath

__all__ = ["TextValue", "account_text", "measure", "platform_text"]


class TextValue(t.NamedTuple):
    value: str
    source: JsonPath  # where the user wrote it, for error messages


def measure(text: str, count: str) -> int:
    """Length the way a platform counts it: characters (NFC code points) or UTF-8 bytes."""
    if count == "bytes":
        return len(text.encode("utf-8"))
    # Twitter normalises to NFC before counting; an "é" typed as e + accent is one character.
    return len(unicodedata.normalize("NFC", text))


def _get(data: t.Any, *path: str | int) -> t.Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[part] if isinstance(part, int) else data.get(part)
    return data


def _first(data: t.Any, *candidates: JsonPath) -> TextValue | None:
    for path in candidates:
        value = _get(data, *path)
        if isinstance(value, str) and value:
            return TextValue(value, path)
    return None


def platform_text(data: t.Mapping[str, t.Any], index: int, *, name_limit: int | None = None) -> dict[str, TextValue]:
    """Text fields for ``accounts[index]`` computed from raw spec data (schema-valid or not).

    Precedence: the account's ``overrides``, then ``identity.bio.platforms.<platform>``,
    then the general identity value.
    """
    acc: JsonPath = ("accounts", index)
    over: JsonPath = acc + ("overrides",)
    platform = _get(data, "accounts", index, "platform")
    fields: dict[str, TextValue | None] = {}
    if platform == "twitter":
        name = _first(data, over + ("name",), ("identity", "name"))
        short = _first(data, ("identity", "short_name"))
        if (name and name.source == ("identity", "name") and short and name_limit
                and measure(name.value, "characters") > name_limit):
            name = short  # the short name exists for exactly this
        fields["name"] = name
        fields["description"] = _first(
            data, over + ("bio",), ("identity", "bio", "platforms", "twitter"), ("identity", "bio", "short")
        )
        fields["location"] = _first(data, over + ("location",), ("identity", "location"))
        fields["url"] = _first(data, over + ("website",), ("identity", "website"))
    elif platform == "facebook":
        fields["about"] = _first(
            data, over + ("bio",), ("identity", "bio", "platforms", "facebook"), ("identity", "bio", "short")
        )
        fields["description"] = _first(data, over + ("long_bio",), ("identity", "bio", "long"))
        fields["website"] = _first(data, over + ("website",), ("identity", "website"))
        fields["emails"] = _first(data, ("identity", "contact", "email"))
        fields["phone"] = _first(data, ("identity", "contact", "phone"))
    elif platform == "mailchimp":
        fields["template_name"] = _first(data, acc + ("template_name",))
        fields["from_name"] = _first(data, acc + ("from_name",), over + ("name",), ("identity", "short_name"), ("identity", "name"))
        fields["from_email"] = _first(data, acc + ("from_email",), ("identity", "contact", "email"))
        fields["subject_prefix"] = _first(data, acc + ("subject_prefix",))
        fields["company"] = _first(data, ("identity", "contact", "address", "company"), ("identity", "name"))
    return {k: v for k, v in fields.items() if v is not None}


def account_text(data: t.Mapping[str, t.Any], account_id: str, *, name_limit: int | None = None) -> dict[str, TextValue]:
    """``platform_text`` for the account with this id (found by id, not by position)."""
    accounts = data.get("accounts") or []
    for index, raw in enumerate(accounts):
        if isinstance(raw, dict) and raw.get("id") == account_id:
            return platform_text(data, index, name_limit=name_limit)
    raise KeyError(account_id)
