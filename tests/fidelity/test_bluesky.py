"""The sandbox's PDS and brandkit's Bluesky limits held to the published lexicon of
app.bsky.actor.profile (tests/fidelity/data/bluesky_profile_lexicon.json, source inside)."""

from __future__ import annotations

import json
from pathlib import Path

from brandkit import platforms
from brandkit.platforms.bluesky import emulator as pds
from brandkit.platforms.bluesky.adapter import BlueskyAdapter

LEXICON = json.loads((Path(__file__).parent / "data" / "bluesky_profile_lexicon.json").read_text())
PROFILE = LEXICON["schema"]["defs"]["main"]
FIELDS = PROFILE["record"]["properties"]


def test_the_record_and_its_key() -> None:
    assert LEXICON["schema"]["id"] == pds.PROFILE == "app.bsky.actor.profile"
    assert PROFILE["key"] == "literal:self"


def test_text_limits_match_in_graphemes_and_bytes() -> None:
    spec = platforms.platform("bluesky")
    limits = {f.name: f.limit for f in spec.text}
    for field in ("displayName", "description"):
        lexicon = FIELDS[field]
        assert pds.TEXT_LIMITS[field] == (lexicon["maxGraphemes"], lexicon["maxLength"])
        limit = limits[field]
        assert limit is not None
        assert (limit.max, limit.unit) == (lexicon["maxGraphemes"], "graphemes")
    assert BlueskyAdapter.SUPPORTS <= set(FIELDS)


def test_images_match_the_blob_constraints() -> None:
    targets = platforms.all_targets()
    for field, target in platforms.platform("bluesky").image_targets.items():
        blob = FIELDS[field]
        assert blob["type"] == "blob" and pds.MAX_BLOB == blob["maxSize"]
        assert targets[target].max_bytes <= blob["maxSize"]
        assert {f"image/{f}" for f in targets[target].formats} <= set(blob["accept"])
