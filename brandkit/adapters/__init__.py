"""Platform adapters behind one contract (``base.Adapter``), registered by platform name."""

from __future__ import annotations

import typing as t

from brandkit.adapters.base import Adapter, Desired, Endpoints, LiveState
from brandkit.adapters.facebook import FacebookAdapter
from brandkit.adapters.mailchimp import MailchimpAdapter
from brandkit.adapters.twitter import TwitterAdapter

__all__ = ["ADAPTERS", "Adapter", "Desired", "Endpoints", "LiveState"]

# platform -> adapter class; mypy checks each against the Adapter protocol
ADAPTERS: dict[str, t.Callable[..., Adapter]] = {
    "twitter": TwitterAdapter,
    "facebook": FacebookAdapter,
    "mailchimp": MailchimpAdapter,
}
