"""Platform adapters behind one contract (``base.Adapter``), registered by platform name."""

from __future__ import annotations

from brandkit.adapters.base import Adapter, Desired, Endpoints, LiveState
from brandkit.adapters.bluesky import BlueskyAdapter
from brandkit.adapters.facebook import FacebookAdapter
from brandkit.adapters.mailchimp import MailchimpAdapter
from brandkit.adapters.mastodon import MastodonAdapter
from brandkit.adapters.twitter import TwitterAdapter

__all__ = ["ADAPTERS", "Adapter", "Desired", "Endpoints", "LiveState"]

# platform -> adapter class (each platform also has an entry in schemas/platforms.json)
ADAPTERS: dict[str, type[Adapter]] = {
    cls.platform: cls
    for cls in (TwitterAdapter, FacebookAdapter, MailchimpAdapter, MastodonAdapter, BlueskyAdapter)
}
