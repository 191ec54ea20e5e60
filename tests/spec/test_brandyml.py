"""A Posit _brand.yml loads into the same model as the equivalent native spec."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import brandkit
from tests.conftest import EXAMPLES, copy_example

NATIVE_EQUIVALENT = """\
version: 1
identity:
  name: Northwind Coffee Roasters
  short_name: Northwind Coffee
  website: https://northwind.example
  links: {instagram: https://instagram.com/northwindcoffee}
  tagline: Small-batch coffee, roasted on the coast
  bio: {short: Small-batch coffee roasted on the Oregon coast.}
  location: Astoria, Oregon
  contact: {email: hello@northwind.example}
logos:
  mark: {path: logos/mark.svg, dark: logos/mark-dark.svg}
colors:
  palette: {pine: "#0b3d3a", copper: "#c8873a", foam: "#f4ead9", roast: "#2b1d14"}
  primary: pine
  secondary: copper
  accent: copper
  background: foam
  foreground: roast
  on_primary: foam
typography:
  heading: {file: fonts/Inter-Bold.otf, family: Inter}
  body: {file: fonts/Inter-Regular.otf, family: Inter}
accounts:
  - id: northwind-x
    platform: twitter
    handle: northwindcoffee
    credentials:
      consumer_key: NORTHWIND_X_CONSUMER_KEY
      consumer_secret: NORTHWIND_X_CONSUMER_SECRET
      access_token: NORTHWIND_X_ACCESS_TOKEN
      access_token_secret: NORTHWIND_X_ACCESS_TOKEN_SECRET
"""


def test_brand_yml_equals_native_spec(tmp_path: Path) -> None:
    folder = tmp_path / "posit"
    copy_example("posit", folder)
    (folder / "brand.yaml").write_text(NATIVE_EQUIVALENT, encoding="utf-8")
    from_posit = brandkit.load(folder / "_brand.yml")
    native = brandkit.load(folder / "brand.yaml")
    assert dataclasses.replace(from_posit, source=native.source) == native


def test_brand_yml_shorthands(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "posit" / "logos" / "mark.svg", tmp_path / "logo.svg")
    (tmp_path / "_brand.yml").write_text(
        "meta:\n  name: Tiny Co\n  link: https://tiny.example\nlogo: logo.svg\n"
        "color:\n  primary: '#003366'\n  background: white\n  foreground: black\n"
        "typography:\n  base: Open Sans\n",
        encoding="utf-8",
    )
    brand = brandkit.load(tmp_path / "_brand.yml")
    assert brand.identity.name == "Tiny Co"
    assert brand.identity.website == "https://tiny.example"
    assert brand.logos.mark.path == (tmp_path / "logo.svg").resolve()
    # a Google font cannot be fetched offline: the bundled font renders, the family name is kept
    # for email
    assert brand.typography.body.family == "Open Sans"
    assert brand.typography.body.path.name == "Inter-Regular.otf"


def test_errors_point_into_the_brand_yml(tmp_path: Path) -> None:
    (tmp_path / "_brand.yml").write_text(
        "meta:\n  name: Tiny Co\nlogo: missing.svg\ncolor:\n  primary: notacolour\n"
        "  background: white\n  foreground: black\n",
        encoding="utf-8",
    )
    result = brandkit.validate(tmp_path / "_brand.yml")
    assert [(i.line, i.column, i.message) for i in result.errors] == [
        (3, 7, "'missing.svg': file not found"),
        (5, 12, "'notacolour' is not a colour (use #RRGGBB, rgb(), or a palette name)"),
    ]
