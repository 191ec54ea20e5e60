from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from brandkit import platforms
from brandkit._resources import schemas_dir


@pytest.mark.parametrize("name", ["brand.schema.json", "platforms.schema.json"])
def test_schema_is_valid_2020_12_with_an_id(name: str) -> None:
    schema = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://")


def test_platform_data_matches_its_schema() -> None:
    schema = json.loads((schemas_dir() / "platforms.schema.json").read_text(encoding="utf-8"))
    data = json.loads((schemas_dir() / "platforms.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


def test_required_targets_are_present_with_their_sizes() -> None:
    sizes = {name: t.size for name, t in platforms.all_targets().items()}
    assert sizes["twitter.avatar"] == (400, 400)
    assert sizes["twitter.banner"] == (1500, 500)
    assert sizes["facebook.profile"] == (720, 720)
    assert sizes["facebook.cover"] == (1640, 624)
    assert sizes["mailchimp.header"][0] == 1200
    assert sizes["og.image"] == (1200, 630)
    assert platforms.all_targets()["favicon.ico"].ico_sizes == (16, 32, 48)
    assert sizes["apple-touch-icon"] == (180, 180)
    for n in (192, 512):
        assert sizes[f"pwa.icon-{n}"] == (n, n) and sizes[f"pwa.maskable-{n}"] == (n, n)
    assert sizes["linkedin.logo"] == (400, 400) and sizes["linkedin.cover"] == (1128, 191)
    assert sizes["youtube.avatar"] == (800, 800) and sizes["youtube.banner"] == (2560, 1440)
    assert sizes["instagram.avatar"] == (320, 320)


def test_safe_zones_lie_inside_their_canvas() -> None:
    for target in platforms.all_targets().values():
        w, h = target.size
        x0, y0, x1, y1 = target.content_box()
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, target.name
