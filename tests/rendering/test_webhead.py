"""The web head: site.webmanifest (valid against SchemaStore's schema), favicon.svg (light and
dark marks, switched by the browser's colour scheme) and head.html (every line points at a file
that exists, with its real size)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

import brandkit
from brandkit.rendering import render
from tests.conftest import EXAMPLES

SCHEMA = json.loads(
    (
        Path(__file__).parents[1] / "fidelity" / "data" / "schemastore" / "web-manifest.json"
    ).read_text()
)


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("northwind")
    render(brandkit.load(EXAMPLES / "northwind" / "brand.yaml"), out)
    return out / "web"


def test_the_manifest_is_valid_and_names_real_icons(northwind: Path) -> None:
    manifest = json.loads((northwind / "site.webmanifest").read_text())
    jsonschema.validate(manifest, SCHEMA)
    assert manifest["theme_color"] == "#0b3d3a" and manifest["short_name"] == "Northwind Coffee"
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in manifest["icons"]:
        with Image.open(northwind / icon["src"]) as img:
            assert f"{img.width}x{img.height}" == icon["sizes"] and img.format == "PNG"


def test_every_head_line_points_at_a_file_with_its_real_size(northwind: Path) -> None:
    head = (northwind / "head.html").read_text()
    for href in re.findall(r'href="/([^"]+)"', head):
        assert (northwind / href).is_file(), href
    og = re.search(r'property="og:image" content="https://northwind.example/([^"]+)"', head)
    assert og is not None
    width = re.search(r'og:image:width" content="(\d+)"', head)
    height = re.search(r'og:image:height" content="(\d+)"', head)
    with Image.open(northwind / og.group(1)) as img:
        assert (
            width
            and height
            and (img.width, img.height)
            == (
                int(width.group(1)),
                int(height.group(1)),
            )
        )
    assert 'name="twitter:card" content="summary_large_image"' in head
    assert "og:image:alt" in head and "a coffee bean in the wind" in head


def _centre(shot: Path) -> tuple[int, int, int]:
    with Image.open(shot) as img:
        rgb = img.convert("RGB")
        return rgb.getpixel((rgb.width // 2 - 60, rgb.height // 2))  # type: ignore[return-value]


def test_the_svg_favicon_follows_the_colour_scheme(northwind: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "this test needs Chromium from the OS packages: apt-get install chromium"
    shots = {}
    for scheme, extra in (("light", []), ("dark", ["--force-dark-mode"])):
        shot = tmp_path / f"{scheme}.png"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                *extra,
                f"--screenshot={shot}",
                "--window-size=200,200",
                f"file://{northwind / 'favicon.svg'}",
            ],
            capture_output=True,
            timeout=120,
            env={**os.environ, "HOME": str(tmp_path)},
        )
        shots[scheme] = _centre(shot)
    # the pine disc of the light mark, the foam disc of the dark one
    assert shots["light"][1] < 90 and shots["dark"][1] > 200, shots


def test_a_raster_mark_gets_no_svg_favicon(tmp_path: Path) -> None:
    render(brandkit.load(EXAMPLES / "lumen" / "brand.yaml"), tmp_path)
    web = tmp_path / "web"
    assert not (web / "favicon.svg").exists()
    assert "favicon.svg" not in (web / "head.html").read_text()
    jsonschema.validate(json.loads((web / "site.webmanifest").read_text()), SCHEMA)


def test_a_mastodon_account_is_linked_for_verification(northwind: Path) -> None:
    # the Northwind example names its Mastodon account's handle
    head = (northwind / "head.html").read_text()
    assert '<link rel="me" href="https://mastodon.social/@northwindcoffee">' in head
