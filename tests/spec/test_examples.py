from __future__ import annotations

from pathlib import Path

import pytest

import brandkit
from tests.conftest import EXAMPLES

SPECS = sorted([*EXAMPLES.glob("*/brand.yaml"), *EXAMPLES.glob("*/_brand.yml")])


def test_there_are_svg_png_and_brand_yml_examples() -> None:
    names = {p.parent.name + "/" + p.name for p in SPECS}
    assert {"northwind/brand.yaml", "lumen/brand.yaml", "posit/_brand.yml"} <= names


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_is_valid_without_warnings(spec: Path) -> None:
    result = brandkit.validate(spec)
    assert result.issues == ()
    assert result.brand is not None


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_native_examples_carry_the_editor_schema_line(spec: Path) -> None:
    first = spec.read_text(encoding="utf-8").splitlines()[0]
    if spec.name == "brand.yaml":
        assert first == "# yaml-language-server: $schema=../../schemas/brand.schema.json"
        assert (spec.parent / "../../schemas/brand.schema.json").resolve().is_file()


def test_lumen_model() -> None:
    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    assert brand.identity.name == "Lumen Studio"
    assert brand.logos.mark.path == (EXAMPLES / "lumen" / "logos" / "mark.png").resolve()
    assert brand.logos.wordmark is not None and brand.logos.wordmark.dark is not None
    assert brand.colors.primary == (0x21, 0x1E, 0x38)
    assert brand.colors.on_primary == (255, 255, 255)
    assert [a.platform for a in brand.accounts] == [
        "twitter",
        "twitter",
        "facebook",
        "facebook",
        "mailchimp",
    ]
    assert brand.accounts[0].options.handle and brand.accounts[2].options.page_id
    assert brand.accounts[0].credential_env("access_token") == "LUMEN_X_ACCESS_TOKEN"
    assert "twitter.avatar" in brand.render.targets and "youtube.banner" not in brand.render.targets
    assert brand.render.style_for("twitter.avatar").background == (255, 255, 255)
    assert brand.render.style_for("facebook.cover").layout == "left"
    assert brand.render.style_for("og.image").background == brand.colors.background  # a colour role
    assert brand.render.style_for("twitter.banner") == brand.render.defaults


def test_model_is_frozen() -> None:
    brand = brandkit.load(EXAMPLES / "northwind" / "brand.yaml")
    with pytest.raises(AttributeError):
        brand.identity.name = "Other"  # type: ignore[misc]
    hash(brand.colors)


def test_load_raises_one_spec_error_with_every_issue(tmp_path: Path) -> None:
    spec = tmp_path / "brand.yaml"
    spec.write_text(
        "version: 1\nidentity: {name: X, website: nope}\nlogos: {mark: a.svg}\n"
        "colors: {primary: blu, background: '#fff', foreground: '#000'}\n"
    )
    with pytest.raises(brandkit.SpecError) as info:
        brandkit.load(spec)
    paths = [i.path for i in info.value.issues]
    assert paths == [("identity", "website"), ("logos", "mark"), ("colors", "primary")]
    assert str(info.value).startswith(f"{spec}:2:")
    assert "(and 2 more)" in str(info.value)
