from __future__ import annotations

import dataclasses

import brandkit
from brandkit.adapters import Endpoints
from brandkit.platforms.registry import ADAPTERS
from tests.conftest import EXAMPLES


def test_desired_text_follows_the_account_not_its_position() -> None:
    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    fb_ca = brand.account("lumen-fb-ca")
    only = dataclasses.replace(brand, accounts=(fb_ca,))  # a filtered brand keeps the full data
    env = {var: "x" for a in brand.accounts for _, var in a.credentials}
    adapter = ADAPTERS["facebook"](fb_ca, env, Endpoints())
    try:
        desired = adapter.desired(only, {})
    finally:
        adapter.close()
    assert desired.text["about"] == "Le studio Lumen à Montréal. Identités, motion et typographie."
