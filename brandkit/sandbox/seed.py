"""Ready-made accounts for a fresh sandbox, so a user can try their scripts at once."""

from __future__ import annotations

import typing as t

from brandkit.sandbox import Sandbox

__all__ = ["DEMO", "seed_demo_accounts"]

# Fixed, obviously fake credentials: they only open the local sandbox.
DEMO: dict[str, dict[str, t.Any]] = {
    "twitter": {
        "handle": "brandkit_demo",
        "name": "brandkit demo",
        "consumer_key": "sandbox-consumer-key",
        "consumer_secret": "sandbox-consumer-secret",
        "access_token": "1-sandbox-access-token",
        "access_token_secret": "sandbox-access-token-secret",
    },
    "facebook": {
        "page_id": "100000000000001",
        "name": "brandkit demo Page",
        "page_token": "sandbox-page-token",
    },
    "mailchimp": {"audience_id": "demo0001", "api_key": "sandbox0000000000000000000000000000-us1"},
}


def seed_demo_accounts(sandbox: Sandbox) -> dict[str, dict[str, t.Any]]:
    tw = dict(DEMO["twitter"])
    sandbox.add_twitter_account(tw.pop("handle"), name=tw.pop("name"), **tw)
    fb = DEMO["facebook"]
    sandbox.add_facebook_page(fb["page_id"], name=fb["name"], page_token=fb["page_token"])
    mc = DEMO["mailchimp"]
    sandbox.add_mailchimp_account(mc["audience_id"], api_key=mc["api_key"])
    return DEMO
