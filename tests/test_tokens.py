"""Design tokens: the DTCG file validates against the Design Tokens Community Group's own JSON
Schema; CSS, SCSS and Tailwind define every variable they use; a _brand.yml read back gives the
same brand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import referencing

import brandkit
from brandkit.colors import hex_of
from brandkit.tokens import css, dtcg, export, scss, tailwind
from tests.conftest import EXAMPLES, copy_example

DTCG = Path(__file__).parent / "fidelity" / "data" / "dtcg-2025.10"
BRANDS = ["northwind", "lumen"]


def _validator() -> jsonschema.protocols.Validator:
    resources = []
    for path in DTCG.rglob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    registry = referencing.Registry().with_resources(resources)
    root = json.loads((DTCG / "format.json").read_text())
    return jsonschema.Draft7Validator(root, registry=registry)


@pytest.mark.parametrize("name", BRANDS)
def test_dtcg_is_valid_against_the_official_schema(name: str) -> None:
    brand = brandkit.load(EXAMPLES / name / "brand.yaml")
    doc = dtcg(brand, brand.root)
    errors = list(_validator().iter_errors(doc))
    assert errors == [], [e.message for e in errors][:3]
    palette = doc["color"]["palette"]
    primary = doc["color"]["primary"]["$value"]
    match = re.fullmatch(r"\{color\.palette\.([a-z0-9-]+)\}", primary)
    assert match and palette[match.group(1)]["$value"]["hex"] == hex_of(brand.colors.primary)
    assert doc["$extensions"]["org.brandkit"]["logos"]["mark"]["path"].startswith("logos/")


def test_the_official_schema_refuses_a_broken_token() -> None:
    brand = brandkit.load(EXAMPLES / "northwind" / "brand.yaml")
    doc = dtcg(brand, brand.root)
    doc["color"]["palette"]["pine"]["$value"]["components"] = [11, 61, 58]  # 0-255, not 0-1
    assert list(_validator().iter_errors(doc))


@pytest.mark.parametrize("name", BRANDS)
def test_css_scss_and_tailwind_define_what_they_use(name: str) -> None:
    brand = brandkit.load(EXAMPLES / name / "brand.yaml")
    sheet = css(brand)
    defined = dict(re.findall(r"--([\w-]+): ([^;]+);", sheet))
    for used in re.findall(r"var\(--([\w-]+)\)", sheet):
        assert used in defined, used
    primary = defined["brand-primary"]
    while primary.startswith("var(--"):  # follow the alias to the palette entry
        primary = defined[primary[len("var(--") : -1]]
    assert primary == hex_of(brand.colors.primary)
    variables = scss(brand)
    seen: set[str] = set()
    for name_, value in re.findall(r"^\$([\w-]+): ([^;]+);$", variables, re.M):
        for used in re.findall(r"\$([\w-]+)", value):
            assert used in seen, used  # defined before use, as SCSS needs
        seen.add(name_)
    theme = tailwind(brand)
    assert theme.splitlines()[1] == "@theme {" and "--color-brand-primary:" in theme
    assert "--font-headings:" in theme and "--font-base:" in theme


@pytest.mark.parametrize("name", BRANDS)
def test_a_brand_yml_read_back_is_the_same_brand(name: str, tmp_path: Path) -> None:
    copy_example(name, tmp_path / name)
    brand = brandkit.load(tmp_path / name / "brand.yaml")
    out = tmp_path / name / "_brand.yml"
    out.write_text(export(brand, "brand-yml", out.parent))
    again = brandkit.load(out)
    assert again.identity.name == brand.identity.name
    assert again.identity.short_name == brand.identity.short_name
    assert again.identity.tagline == brand.identity.tagline
    assert again.identity.website == brand.identity.website
    assert dict(again.identity.links) == dict(brand.identity.links)
    assert again.identity.bio.short == brand.identity.bio.short
    for role in ("primary", "secondary", "background", "foreground", "on_primary"):
        assert getattr(again.colors, role) == getattr(brand.colors, role), role
    assert dict(again.colors.palette) == {
        re.sub(r"[^a-z0-9]+", "-", k.lower()): v for k, v in brand.colors.palette
    }
    assert again.logos.mark.path == brand.logos.mark.path
    assert again.logos.mark.dark == brand.logos.mark.dark
    assert (again.logos.wordmark is None) == (brand.logos.wordmark is None)
    assert again.typography.body.family == brand.typography.body.family
    assert again.typography.heading.path == brand.typography.heading.path


HOSTILE_NAME = "X */ body{display:none} /*\n# injected: true"
HOSTILE_FONT = "Plain';background:url(https://evil.example/x)"


def _hostile_brand() -> brandkit.Brand:
    from dataclasses import replace

    brand = brandkit.load(EXAMPLES / "lumen" / "brand.yaml")
    body = replace(brand.typography.body, family=HOSTILE_FONT)
    return replace(
        brand,
        identity=replace(brand.identity, name=HOSTILE_NAME),
        typography=replace(brand.typography, body=body),
    )


@pytest.mark.parametrize("fmt", ["css", "tailwind", "scss"])
def test_a_name_or_font_cannot_break_out_of_a_comment_or_string(fmt: str) -> None:
    """#27: a brand name ``X */ body{display:none} /*`` or a font family with a quote broke out
    of comments and strings."""
    out = export(_hostile_brand(), fmt, Path("."))
    first = out.splitlines()[0]
    assert "\n# injected" not in out and "body{display:none}" in first  # stayed in the comment
    if fmt != "scss":
        assert first.count("*/") == 1 and first.endswith("*/")
    assert "'Plainbackground:urlhttps://evil.example/x'" in out  # one string, no declaration


def test_the_newsletter_style_keeps_a_font_family_inside_its_string() -> None:
    from brandkit.newsletter import newsletter_html

    page = newsletter_html(_hostile_brand(), "https://cdn.example/h.png")
    assert "background:url(" not in page
    assert "&#x27;Plainbackground:urlhttps://evil.example/x&#x27;" in page  # one CSS string


def test_a_brand_yml_with_a_newline_in_the_name_reads_back(tmp_path: Path) -> None:
    import yaml

    text = export(_hostile_brand(), "brand-yml", tmp_path)
    doc = yaml.safe_load(text)
    assert doc["meta"]["name"]["full"] == HOSTILE_NAME
    assert "injected" not in json.dumps({k: v for k, v in doc.items() if k != "meta"})


@pytest.mark.parametrize("name", ["northwind", "lumen", "lumiere"])
def test_an_export_to_another_folder_reads_back(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """#27: ``export --format brand-yml -o b/_brand.yml`` named ``../logos/mark.svg``, which
    validate then refused. The files it names now go beside it."""
    from brandkit.cli import main

    copy_example(name, tmp_path / name)
    spec = tmp_path / name / "brand.yaml"
    out = tmp_path / "elsewhere" / "_brand.yml"
    assert main(["export", str(spec), "--format", "brand-yml", "-o", str(out)]) == 0
    result = brandkit.validate(out)
    assert not result.errors, [i.format() for i in result.errors]
    again, brand = brandkit.load(out), brandkit.load(spec)
    assert again.identity.name == brand.identity.name
    assert again.logos.mark.path.read_bytes() == brand.logos.mark.path.read_bytes()
    assert again.logos.mark.path.is_relative_to(out.parent)
    assert main(["export", str(spec), "--format", "brand-yml", "-o", str(out.parent)]) == 1
    assert "is a folder: name the file to write" in capsys.readouterr().err
