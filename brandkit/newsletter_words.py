"""The words the brand's audience reads (the newsletter's, a profile's link labels), in the
brand's language (the ``audience`` catalogue).

Kept apart from brandkit's messages: these are read by the brand's subscribers, so they follow
``identity.language``, not the language of the person running brandkit.
"""

from __future__ import annotations

from brandkit.i18n import N_, audience_words

__all__ = ["link_label", "newsletter_words"]

WORDS = {
    "view_online": N_("View this email in your browser"),
    "hello": N_("Hello"),
    "placeholder": N_("Write your news here."),
    "cta": N_("Visit us"),
    "website_label": N_("Website"),
    # TRANSLATORS: *|LIST:COMPANY|* is a Mailchimp merge tag: keep it as it is
    "why": N_("You are receiving this because you subscribed to *|LIST:COMPANY|*."),
    "preferences": N_("Update your preferences"),
    "unsubscribe": N_("Unsubscribe"),
}


def newsletter_words(language: str) -> dict[str, str]:
    """Each of the newsletter's words in ``language`` (English where there is no catalogue)."""
    catalogue = audience_words(language)
    return {key: catalogue.gettext(text) for key, text in WORDS.items()}


# names as their owners write them (a link's key in the spec is lower case)
_LINK_NAMES = {
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "github": "GitHub",
    "gitlab": "GitLab",
    "bluesky": "Bluesky",
    "x": "X",
    "twitter": "X",
    "whatsapp": "WhatsApp",
    "soundcloud": "SoundCloud",
}


def link_label(name: str) -> str:
    """A link's label from its key in the spec: ``youtube`` -> ``YouTube``."""
    return _LINK_NAMES.get(name.lower(), name[:1].upper() + name[1:])
