"""Every link in a generated newsletter leads somewhere (#25: the main button linked to the word
"Website"): an absolute http(s) or mailto URL, or a Mailchimp merge tag, for every example in
every language brandkit has words for (and one it has none for)."""

from __future__ import annotations

import html.parser
import re
from dataclasses import replace
from pathlib import Path

import pytest

import brandkit
from brandkit.newsletter import newsletter_html
from tests.conftest import EXAMPLES

SPECS = sorted([*EXAMPLES.glob("*/brand.yaml"), *EXAMPLES.glob("*/_brand.yml")])
MERGE_TAG = re.compile(r"^\*\|[A-Z_:]+\|\*$")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src"):
                self.links.append((tag, value or ""))


def _links(compiled: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(compiled)
    return parser.links


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_every_link_leads_somewhere(spec: Path, language: str) -> None:
    brand = brandkit.load(spec)
    brand = replace(brand, identity=replace(brand.identity, language=language))
    compiled = newsletter_html(brand, "https://cdn.example/header.png")
    links = _links(compiled)
    assert links, "the newsletter has no links at all"
    for tag, url in links:
        assert re.match(r"^(https?://[^\s/]+|mailto:\S+@)", url) or MERGE_TAG.match(url), (
            f"<{tag}> leads to {url!r}"
        )
    if brand.identity.website:  # the main button goes to the website
        assert f'href="{brand.identity.website}"' in compiled


def test_without_a_website_the_button_is_left_out(examples: Path) -> None:
    brand = brandkit.load(examples / "northwind" / "brand.yaml")
    compiled = newsletter_html(
        replace(brand, identity=replace(brand.identity, website=None)), "https://cdn.example/h.png"
    )
    assert "Visit us" not in compiled
    assert all(url.startswith(("https://", "*|")) for _, url in _links(compiled))


def test_link_labels_are_written_as_their_owners_write_them(examples: Path) -> None:
    compiled = newsletter_html(
        brandkit.load(examples / "northwind" / "brand.yaml"), "https://cdn.example/h.png"
    )
    assert ">YouTube</a>" in compiled and ">Youtube<" not in compiled


def test_a_french_brand_labels_its_mastodon_website_field_in_french(tmp_path: Path) -> None:
    """#25: a French brand's Mastodon profile field was labelled "Website"; "Youtube" too."""
    from brandkit.platforms.mastodon.adapter import MastodonAdapter
    from tests.sync.conftest import make_world

    for world in make_world(tmp_path, {"northwind-masto"}):
        brand = world.brand
        french = replace(brand, identity=replace(brand.identity, language="fr"))
        account = french.account("northwind-masto")
        adapter = MastodonAdapter(account, world.env, world.options.resolved_endpoints())
        try:
            fields = adapter.desired(french, {}).text["fields"]
        finally:
            adapter.close()
        assert [f["name"] for f in fields] == ["Site web", "Instagram", "YouTube"]
