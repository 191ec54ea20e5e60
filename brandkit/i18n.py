"""brandkit's own words in the user's language (gettext), and the brand's words in the brand's.

Two catalogues per language live in ``brandkit/locale/<lang>/LC_MESSAGES/``: ``brandkit``
(what brandkit tells the person running it: validate, render, plan/apply/check, reports) and
``audience`` (what brandkit writes for the brand's audience: the newsletter's own words).

The person's language comes from ``--lang`` or the usual locale variables (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in gettext's order); English when none names a language
brandkit has. A problem found in a spec is kept as a :class:`Message`: a ``str`` holding the
English text (what JSON and JUnit outputs carry, stable for machines), plus its message id and
values, so a terminal can show it translated with :func:`localize`.

Message ids use ``str.format`` fields (``{name}``); a translation must keep the same fields
(``tests/test_i18n.py`` holds every catalogue to it).
"""

from __future__ import annotations

import gettext
import os
import typing as t
from pathlib import Path

__all__ = [
    "joined",
    "LANGUAGES",
    "Message",
    "Words",
    "N_",
    "_",
    "audience_words",
    "cldr_locale",
    "current_language",
    "localize",
    "msg",
    "ngettext",
    "use_language",
    "words_in",
]

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "fr")  # the languages with complete catalogues
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_messages: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _candidates(language: str | None) -> list[str]:
    """``fr_FR.UTF-8`` -> ``["fr_FR", "fr"]``; ``fr-CA`` -> ``["fr_CA", "fr"]``."""
    if language is None:
        for variable in _LOCALE_VARIABLES:
            value = os.environ.get(variable)
            if value:
                language = value.split(":")[0]
                break
    if not language or language in ("C", "POSIX") or language.startswith("C."):
        return ["en"]
    code = language.split(".")[0].split("@")[0].replace("-", "_")
    return [code, code.split("_")[0]] if "_" in code else [code]


def _catalogue(domain: str, language: str | None) -> tuple[gettext.NullTranslations, str]:
    for code in _candidates(language):
        if code.split("_")[0] == "en":
            return gettext.NullTranslations(), "en"
        try:
            return gettext.translation(domain, LOCALE_DIR, languages=[code]), code
        except OSError:
            continue
    return gettext.NullTranslations(), "en"


def use_language(language: str | None = None) -> str:
    """Speak ``language`` (a BCP 47 tag or a locale name) from now on; None: the environment's.
    Returns the language chosen (``en`` when brandkit has no catalogue for the one asked)."""
    global _messages, _language
    _messages, _language = _catalogue("brandkit", language)
    return _language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _messages.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _messages.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; translated where it is shown."""
    return message


class Message(str):
    """English text for machines, with what is needed to say it in another language."""

    msgid: str
    params: dict[str, t.Any]

    def __new__(cls, msgid: str, params: dict[str, t.Any]) -> Message:
        text = msgid.format(**{k: str(v) for k, v in params.items()}) if params else msgid
        made = super().__new__(cls, text)
        made.msgid, made.params = msgid, params
        return made

    def __reduce__(self) -> tuple[t.Any, ...]:  # survives pickling (worker processes)
        return (Message, (self.msgid, self.params))


def msg(msgid: str, **params: t.Any) -> Message:
    """A message to translate where it is shown; values that are Messages are translated too."""
    return Message(msgid, params)


def joined(items: t.Sequence[str]) -> str:
    """``a; b; c`` where each item stays translatable (a Message of Messages)."""
    if not items:
        return ""
    out: str = items[-1]
    for item in reversed(items[:-1]):
        out = msg("{first}; {rest}", first=item, rest=out)
    return out


def localize(text: str) -> str:
    """``text`` in the current language: a Message is translated with its values; plain text is
    looked up as it is (and stays as it is when the catalogue does not have it)."""
    if isinstance(text, Message):
        values = {k: localize(v) if isinstance(v, Message) else v for k, v in text.params.items()}
        translated = _(text.msgid)
        return translated.format(**values) if text.params else translated
    return _(text)


Words = t.Callable[[str], str]


def words_in(language: str) -> Words:
    """brandkit's catalogue in ``language`` whatever the current one is: for documents that
    speak the brand's language (the audience report)."""
    return _catalogue("brandkit", language)[0].gettext


def cldr_locale(language: str) -> t.Any:
    """Babel's locale for a BCP 47 tag (``fr-CA``), English when CLDR does not know it: what
    names countries and formats dates and numbers in the brand's language."""
    from babel import Locale, UnknownLocaleError  # imported here: only reports and addresses

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def audience_words(language: str) -> gettext.NullTranslations:
    """The newsletter's own words ("Unsubscribe"...) in the brand's language (English when
    brandkit has no catalogue for it)."""
    return _catalogue("audience", language)[0]
