"""The newsletter's own words, in the brand's language (the ``audience`` catalogue).

Kept apart from brandkit's messages: these are read by the brand's subscribers, so they follow
``identity.language``, not the language of the person running brandkit.
"""

from __future__ import annotations

from brandkit.i18n import N_, audience_words

__all__ = ["newsletter_words"]

WORDS = {
    "view_online": N_("View this email in your browser"),
    "hello": N_("Hello"),
    "placeholder": N_("Write your news here."),
    "cta": N_("Visit us"),
    "website": N_("Website"),
    # TRANSLATORS: *|LIST:COMPANY|* is a Mailchimp merge tag: keep it as it is
    "why": N_("You are receiving this because you subscribed to *|LIST:COMPANY|*."),
    "preferences": N_("Update your preferences"),
    "unsubscribe": N_("Unsubscribe"),
}


def newsletter_words(language: str) -> dict[str, str]:
    """Each of the newsletter's words in ``language`` (English where there is no catalogue)."""
    catalogue = audience_words(language)
    return {key: catalogue.gettext(text) for key, text in WORDS.items()}
